"""Long work off the GUI thread: Job (a QRunnable), a one-writer pool, and a delayed progress dialog."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from fieldkit.errors import FieldkitError
from fieldkit.ui import strings

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 500  # quick work never flashes a dialog (Anki's ProgressManager waits 600 ms)
_write_pool: QThreadPool | None = None


def write_pool() -> QThreadPool:
    """Jobs that write the database run here, one at a time, so SQLite sees a single writer."""
    global _write_pool
    if _write_pool is None:
        _write_pool = QThreadPool()
        _write_pool.setMaxThreadCount(1)
    return _write_pool


def progress_dialog(
    parent: QWidget, label: str, total: int, done: int, cancel: Callable[[], object]
) -> QProgressDialog:
    """The window-modal progress of a job that has run for a while; 取消 calls `cancel`."""
    dialog = QProgressDialog(label, strings.CANCEL, 0, total, parent)
    dialog.setWindowTitle(strings.APP_SHORT)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(360)
    dialog.setValue(done)
    dialog.canceled.connect(cancel)
    dialog.show()
    return dialog


class JobSignals(QObject):
    progress = Signal(object, object)  # done, total: Python ints, since byte counts pass 2**31
    finished = Signal(object)  # return value
    failed = Signal(object)  # the exception


class Job(QRunnable):
    """Runs `fn(progress=..., cancelled=...)` on a pool thread; reports only through its signals."""

    def __init__(self, fn: Callable[..., object]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = JobSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self.fn(progress=self.signals.progress.emit, cancelled=self._cancel.is_set)
        except FieldkitError as exc:  # expected: a cancel, a refusal, nothing to do — said to the user
            log.info("job stopped: %s", exc)
            self.signals.failed.emit(exc)
        except Exception as exc:
            log.exception("job failed")
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class JobRunner(QObject):
    """Starts a job, shows a progress dialog with 取消 if it lasts over ~0.5 s, and reports the end.

    The runner keeps the job alive until it reports; the caller keeps the runner (e.g. `self._runner`).
    """

    finished = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        fn: Callable[..., object],
        label: str = strings.JOB_WORKING,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._label = label
        self._pool = pool or write_pool()
        self.job = Job(fn)
        self._done, self._total = 0, 0
        self._dialog: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PROGRESS_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.job.signals.progress.connect(self._on_job_progress)
        self.job.signals.finished.connect(self._on_job_finished)
        self.job.signals.failed.connect(self._on_job_failed)

    @property
    def dialog(self) -> QProgressDialog | None:
        return self._dialog

    def start(self) -> None:
        self._timer.start()
        self._pool.start(self.job)

    def cancel(self) -> None:
        self.job.cancel()
        if self._dialog is not None:
            self._dialog.setLabelText(strings.JOB_CANCELLING)

    def _on_timer_timeout(self) -> None:
        self._dialog = progress_dialog(self._parent, self._label, self._total, self._done, self.cancel)

    def _on_job_progress(self, done: int, total: int) -> None:
        if total > 1_000_000:  # byte counts: QProgressDialog holds a C int, so show per mille
            done, total = done * 1000 // total, 1000
        self._done, self._total = done, total
        if self._dialog is not None:
            self._dialog.setMaximum(total)
            self._dialog.setValue(done)

    def _close(self) -> None:
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None

    def _on_job_finished(self, result: object) -> None:
        self._close()
        self.finished.emit(result)

    def _on_job_failed(self, exc: object) -> None:
        self._close()
        self.failed.emit(exc)
