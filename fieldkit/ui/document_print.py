"""打印 for signature, step by step: checks → 仍然打印? → 更正理由 → printer → finalise (worker) → pages."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QInputDialog, QWidget

from fieldkit.domain import documents as D
from fieldkit.domain.problems import Problem
from fieldkit.errors import FieldkitError
from fieldkit.services import documents, issuing
from fieldkit.services.context import Context
from fieldkit.services.documents import PrintBlocked, PrintResult
from fieldkit.ui import strings
from fieldkit.ui.dialogs.print_problems import PrintProblemsDialog
from fieldkit.ui.errors import show_error
from fieldkit.ui.jobs import JobRunner
from fieldkit.ui.pdf_printer import PdfPrinter, choose_printer

log = logging.getLogger(__name__)


class PrintFlow(QObject):
    """One run of 打印 / 重印 for one document. Dialogs are opened, not exec'd, where a test (or the
    officer) needs to act on them; a test passes its own QPrinter to skip the system print dialog.

    Nothing is finalised before the printer is chosen: cancelling the print dialog leaves a draft.
    """

    problems_found = Signal(object)  # list[Problem], shown under the fields by the editor
    field_requested = Signal(str)  # the officer double-clicked a problem
    finalised = Signal(object)  # PrintResult: the document is now final (or reprinted), pages follow
    printed = Signal(object)  # PrintResult: every page went to the printer
    ended = Signal()  # done, in whatever way

    def __init__(
        self,
        ctx: Context,
        parent: QWidget,
        document_id: uuid.UUID,
        *,
        printer: QPrinter | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._parent = parent
        self._id = document_id
        self._printer = printer
        self._reason = reason
        self._accept_warnings = False
        self._finalising = True  # 打印 (a draft or a correction) rather than 重印 (domain/documents.py)
        self._correcting = False
        self._reissue = False  # a 重新作出 draft: its reason is printed on it and voids the old one
        self._doc_name = ""
        self.problems_dialog: PrintProblemsDialog | None = None
        self.runner: JobRunner | None = None
        self.pdf_printer: PdfPrinter | None = None
        self.result: PrintResult | None = None

    # ---- steps --------------------------------------------------------------------------------
    def start(self) -> None:
        try:
            doc = documents.load_document(self._ctx, self._id)
            self._finalising = doc.allows(D.Action.PRINT)
            self._correcting = doc.allows(D.Action.CANCEL_CORRECTION)
            self._reissue = doc.replaces_id is not None and not doc.revisions
            self._doc_name = f"{doc.title}{doc.number or ''}"
            problems = documents.check_document(self._ctx, self._id) if self._finalising else []
        except Exception as exc:
            show_error(self._parent, exc)
            self._end()
            return
        if problems:
            self._show_problems(problems)
            return
        self._ask_reason()

    def _show_problems(self, problems: Sequence[Problem]) -> None:
        self.problems_found.emit(list(problems))
        dialog = PrintProblemsDialog(problems, self._parent)
        dialog.field_requested.connect(self.field_requested)
        dialog.finished.connect(self._on_problems_dialog_finished)
        self.problems_dialog = dialog
        dialog.open()

    def _on_problems_dialog_finished(self, result: int) -> None:
        if self.problems_dialog is not None:
            self.problems_dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            self._end()
            return
        self._accept_warnings = True
        self._ask_reason()

    def _ask_reason(self) -> None:
        asks = self._correcting or (self._reissue and self._finalising)  # the reason is printed
        if asks and not (self._reason or "").strip():
            title, prompt = (
                (strings.DOC_REISSUE_REASON_TITLE, strings.DOC_REISSUE_REASON_PROMPT)
                if self._reissue
                else (strings.DOC_CORRECTION_REASON_TITLE, strings.DOC_CORRECTION_REASON_PROMPT)
            )
            text, ok = QInputDialog.getMultiLineText(self._parent, title, prompt)
            if not ok:
                self._end()
                return
            self._reason = text
        self._choose_printer()

    def _choose_printer(self) -> None:
        printer = choose_printer(self._parent, self._doc_name, self._printer)
        if printer is None:
            self._end()
            return
        self._printer = printer
        self._finalise(max(1, printer.copyCount()))

    def _finalise(self, copies: int) -> None:
        ctx, document_id = self._ctx, self._id
        accept, reason = self._accept_warnings, self._reason or ""
        label = strings.DOC_FINALISING if self._finalising else strings.DOC_REPRINTING

        def work(progress: object, cancelled: object) -> PrintResult:
            return issuing.print_for_signature(
                ctx, document_id, copies=copies, accept_warnings=accept, reason=reason
            )

        self.runner = JobRunner(self._parent, work, label)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self.runner.start()

    def _on_runner_finished(self, result: object) -> None:
        self.runner = None
        if not isinstance(result, PrintResult) or self._printer is None:
            self._end()
            return
        self.result = result
        self.finalised.emit(result)
        self.pdf_printer = PdfPrinter(self._parent, result.pdf, self._printer)
        self.pdf_printer.finished.connect(self._on_pdf_printer_finished)
        self.pdf_printer.failed.connect(self._on_pdf_printer_failed)
        self.pdf_printer.cancelled.connect(self._on_pdf_printer_cancelled)
        self.pdf_printer.start()

    def _on_runner_failed(self, exc: object) -> None:
        self.runner = None
        if isinstance(exc, PrintBlocked):  # changed meanwhile (e.g. a deadline passed at midnight)
            self._accept_warnings = False
            self._show_problems(exc.problems)
            return
        if isinstance(exc, BaseException):
            show_error(self._parent, exc)
        self._end()

    def _on_pdf_printer_finished(self) -> None:
        if self.result is not None:
            self.printed.emit(self.result)
        self._end()

    def _on_pdf_printer_failed(self, exc: object) -> None:
        log.error("sending to the printer failed: %s", exc)
        show_error(self._parent, PrinterError(strings.DOC_PRINTER_FAILED))
        self._end()

    def _on_pdf_printer_cancelled(self) -> None:
        self._end()

    def _end(self) -> None:
        self.ended.emit()


class PrinterError(FieldkitError):
    """The PDF was finalised but the printer did not take it; 重印 gives the same PDF."""
