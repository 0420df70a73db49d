"""Byte-counted jobs (evidence files, bundles): the bar moves in per mille, the label says MB and files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from fieldkit.ui import strings
from fieldkit.ui.jobs import JobRunner

SCALE = 1000  # Qt's progress values are 32-bit ints and body-cam video is many GB: report per mille


@dataclass(frozen=True)
class Transfer:
    """Where a byte-counted job stands; files_total 0 when the job does not count files."""

    done: int
    total: int
    files_done: int = 0
    files_total: int = 0


Report = Callable[[Transfer], None]


class TransferRunner(JobRunner):
    """A JobRunner whose `fn(report, cancelled)` reports Transfer values from the worker thread.

    The worker only emits signals; the label and bar are set here, on the GUI thread (STYLE §5).
    """

    detail = Signal(object)  # Transfer

    def __init__(
        self,
        parent: QWidget,
        fn: Callable[[Report, Callable[[], bool]], object],
        label: str,
        pool: QThreadPool | None = None,
    ) -> None:
        last: list[tuple[int, int] | None] = [None]

        def run(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> object:
            def report(t: Transfer) -> None:
                step = (t.done * SCALE // t.total if t.total > 0 else 0, t.files_done)
                if step != last[0]:  # a signal per chunk of a 4 GB file would flood the GUI thread
                    last[0] = step
                    progress(step[0], SCALE)
                    self.detail.emit(t)

            return fn(report, cancelled)

        super().__init__(parent, run, label, pool)
        self._title = label
        self._text = label
        self.last: Transfer | None = None
        self.detail.connect(self._on_detail)

    @property
    def label_text(self) -> str:
        return self._text

    def _on_detail(self, transfer: object) -> None:
        if not isinstance(transfer, Transfer) or self.job.is_cancelled():
            return
        self.last = transfer
        self._text = strings.transfer_label(
            self._title, transfer.done, transfer.total, transfer.files_done, transfer.files_total
        )
        if self.dialog is not None:
            self.dialog.setLabelText(self._text)

    def _on_timer_timeout(self) -> None:
        super()._on_timer_timeout()
        if self.dialog is not None:
            self.dialog.setLabelText(self._text)
            self.dialog.setMinimumWidth(440)
