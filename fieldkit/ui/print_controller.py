"""Preview, print and keep one 文书: what every screen that shows a document offers around it.

打印 (for signature: finalises a draft, or prints a corrected revision) and 重印 go through PrintFlow;
预览 renders the pages off the GUI thread; 另存 PDF writes the stored PDF (a draft: its watermarked
preview); the signed copy (签名版) is previewed, printed or saved; 签名 and 扫描件 record what happened on
paper. The document editor delegates all of it here, and so can a case page or a list that reprints.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from fieldkit.domain import documents as D
from fieldkit.errors import Cancelled, FieldkitError
from fieldkit.services import documents, signatures
from fieldkit.services.context import Context
from fieldkit.services.documents import Document, PrintResult
from fieldkit.ui import strings
from fieldkit.ui.dialogs.preview_dialog import PreviewDialog
from fieldkit.ui.dialogs.print_problems import PrintProblemsDialog
from fieldkit.ui.dialogs.signatures_dialog import SignaturesDialog
from fieldkit.ui.document_print import PrintFlow
from fieldkit.ui.errors import show_error
from fieldkit.ui.jobs import JobRunner
from fieldkit.ui.pdf_pages import render_pages
from fieldkit.ui.pdf_printer import PdfPrinter, choose_printer

log = logging.getLogger(__name__)

SCAN_FILTER_EXTS = "*.jpg *.jpeg *.png *.pdf *.tif *.tiff *.heic"


def write_file(path: Path, data: bytes) -> None:
    """Whole or not at all: a temp file next to the target, then renamed over it."""
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class PrintController(QObject):
    """The print-and-preview actions of the document set with `set_document`. `before` runs first (an
    editor saves what is typed); `prepare_print` runs before 打印 (an editor shows the form read-only
    while printing: what is printed is what was saved)."""

    problems_found = Signal(object)  # list[Problem] found before printing: shown under the fields
    field_requested = Signal(str)  # the officer double-clicked a problem: go to that field
    finalised = Signal(object)  # PrintResult: final now (or reprinted); the pages follow
    printed = Signal(object)  # PrintResult: every page went to the printer
    print_ended = Signal()  # a print flow ended, in whatever way
    changed = Signal()  # signatures recorded or a scan attached: re-read the document
    message = Signal(str)  # one line to show beside the document (a PDF saved, a scan attached)

    def __init__(
        self,
        ctx: Context,
        parent: QWidget,
        *,
        before: Callable[[], object] = lambda: None,
        prepare_print: Callable[[], object] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._parent = parent
        self._before = before
        self._prepare_print = prepare_print
        self._doc: Document | None = None
        self.flow: PrintFlow | None = None
        self.runner: JobRunner | None = None
        self.preview_dialog: PreviewDialog | None = None
        self.signatures_dialog: SignaturesDialog | None = None
        self.signed_copy_printer: PdfPrinter | None = None
        self.open_signatures_after_print = True

    def set_document(self, doc: Document | None) -> None:
        self._doc = doc

    @property
    def document_id(self) -> uuid.UUID | None:
        return None if self._doc is None else self._doc.id

    def preview_note(self) -> str:
        """By the document's state, not by whether it can be edited here (a draft in a read-only data
        dir is still a draft; a correction has its number)."""
        doc = self._doc
        return "" if doc is None else strings.doc_preview_note(D.DocState(doc.status), doc.number)

    def _run(self, work: Callable[[Any, Any], object], label: str, done: Callable[[object], None]) -> None:
        self.runner = JobRunner(self._parent, work, label, QThreadPool.globalInstance())
        self.runner.finished.connect(done)
        self.runner.failed.connect(self._on_job_failed)
        self.runner.start()

    def _on_job_failed(self, exc: object) -> None:
        self.runner = None
        if isinstance(exc, BaseException) and not isinstance(exc, Cancelled):
            show_error(self._parent, exc)

    def _save_path(self, suggested: str) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self._parent, strings.DOC_SAVE_PDF_TITLE, str(Path.home() / suggested), strings.PDF_FILTER
        )
        return Path(chosen) if chosen else None

    # ---- preview ------------------------------------------------------------------------------
    def preview(self) -> None:
        """Render off the GUI thread, then show every page. A final document shows its stored PDF."""
        if (document_id := self.document_id) is None:
            return
        self._before()
        ctx = self._ctx

        def work(progress: Any, cancelled: Any) -> tuple[int, list[Any]]:
            pdf = documents.current_pdf(ctx, document_id)
            return len(pdf), render_pages(pdf, progress=progress, cancelled=cancelled)

        self._run(work, strings.DOC_RENDERING, self._on_preview_finished)

    def _on_preview_finished(self, result: object) -> None:
        self.runner = None
        if not isinstance(result, tuple) or self._doc is None:
            return
        _size, images = result
        dialog = PreviewDialog(images, self._doc.title, self.preview_note(), parent=self._parent)
        dialog.print_requested.connect(self._on_preview_print_requested)
        self.preview_dialog = dialog
        dialog.open()

    def _on_preview_print_requested(self) -> None:
        self.print_document()

    # ---- printing -----------------------------------------------------------------------------
    def print_document(
        self,
        printer: QPrinter | None = None,
        *,
        reason: str | None = None,
        document_id: uuid.UUID | None = None,
    ) -> PrintFlow | None:
        """打印 (finalises a draft) or 重印 of the document set, or of `document_id` (a list's row).
        A test passes its QPrinter to skip the print dialog."""
        if (document_id := document_id or self.document_id) is None or self.flow is not None:
            return None
        self._before()
        self._prepare_print()
        flow = PrintFlow(self._ctx, self._parent, document_id, printer=printer, reason=reason)
        flow.problems_found.connect(self.problems_found)
        flow.field_requested.connect(self.field_requested)
        flow.finalised.connect(self.finalised)
        flow.printed.connect(self._on_flow_printed)
        flow.ended.connect(self._on_flow_ended)
        self.flow = flow
        flow.start()
        return flow

    @property
    def problems_dialog(self) -> PrintProblemsDialog | None:
        return self.flow.problems_dialog if self.flow is not None else None

    def _on_flow_printed(self, result: object) -> None:
        self.printed.emit(result)
        finalised = isinstance(result, PrintResult) and result.action in ("finalise", "correct")
        if finalised and self.open_signatures_after_print and self.document_id is not None:
            self.open_signatures()

    def _on_flow_ended(self) -> None:
        if self.flow is not None:
            self.flow.deleteLater()
        self.flow = None
        self.print_ended.emit()

    # ---- save as PDF --------------------------------------------------------------------------
    def save_pdf(self, path: Path | None = None) -> None:
        """The stored PDF of a final document; a draft gets its preview (watermarked 草稿)."""
        if self._doc is None:
            return
        self._before()
        if (
            path is None
            and (path := self._save_path(strings.doc_pdf_name(self._doc.title, self._doc.number))) is None
        ):
            return
        ctx, document_id, target = self._ctx, self._doc.id, path

        def work(progress: Any, cancelled: Any) -> Path:
            write_file(target, documents.current_pdf(ctx, document_id))
            return target

        self._run(work, strings.DOC_RENDERING, self._on_save_pdf_finished)

    def _on_save_pdf_finished(self, result: object) -> None:
        self.runner = None
        self.message.emit(strings.doc_pdf_saved(str(result)))

    # ---- signatures and scans -----------------------------------------------------------------
    def open_signatures(self) -> SignaturesDialog | None:
        if (document_id := self.document_id) is None:
            return None
        try:
            dialog = SignaturesDialog(self._ctx, document_id, self._parent)
        except FieldkitError as exc:
            show_error(self._parent, exc)
            return None
        dialog.accepted.connect(self._on_signatures_accepted)
        self.signatures_dialog = dialog
        dialog.open()
        return dialog

    def _on_signatures_accepted(self) -> None:
        self.signatures_dialog = None
        self.changed.emit()

    def attach_scan(self, path: Path | None = None) -> None:
        if (document_id := self.document_id) is None:
            return
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self._parent,
                strings.DOC_ATTACH_SCAN_TITLE,
                str(Path.home()),
                strings.scan_filter(SCAN_FILTER_EXTS),
            )
            if not chosen:
                return
            path = Path(chosen)
        ctx, source = self._ctx, path

        def work(progress: Any, cancelled: Any) -> str:
            return documents.attach_scan(ctx, document_id, source)

        self.runner = JobRunner(self._parent, work, strings.DOC_ATTACHING)  # a write: the write pool
        self.runner.finished.connect(self._on_scan_finished)
        self.runner.failed.connect(self._on_job_failed)
        self.runner.start()

    def _on_scan_finished(self, _sha: object) -> None:
        self.runner = None
        self.changed.emit()
        self.message.emit(strings.DOC_SCAN_ATTACHED)

    # ---- the signed copy (签名版) -----------------------------------------------------------------
    def preview_signed_copy(self) -> None:
        """The pages of the signed copy in the preview dialog; 打印 there sends it to a printer."""
        if (document_id := self.document_id) is None:
            return
        ctx = self._ctx

        def work(progress: Any, cancelled: Any) -> tuple[bytes, list[Any]]:
            pdf = signatures.signed_copy_pdf(ctx, document_id)
            if pdf is None:
                raise FieldkitError(strings.DOC_SIGNED_COPY_TIP)
            return pdf, render_pages(pdf, progress=progress, cancelled=cancelled)

        self._run(work, strings.DOC_SIGNED_COPY_RENDERING, self._on_signed_copy_rendered)

    def _on_signed_copy_rendered(self, result: object) -> None:
        self.runner = None
        if not isinstance(result, tuple) or self._doc is None:
            return
        pdf, images = result
        title = strings.doc_signed_copy_title(self._doc.title)
        dialog = PreviewDialog(images, title, strings.DOC_SIGNED_COPY_NOTE, parent=self._parent)
        dialog.print_requested.connect(lambda: self.print_signed_copy(pdf))
        self.preview_dialog = dialog
        dialog.open()

    def print_signed_copy(self, pdf: bytes, printer: QPrinter | None = None) -> PdfPrinter | None:
        """Send the signed copy to a printer (the system print dialog unless a test passes one)."""
        if self._doc is None:
            return None
        printer = choose_printer(self._parent, strings.doc_signed_copy_title(self._doc.title), printer)
        if printer is None:
            return None
        job = PdfPrinter(self._parent, pdf, printer)
        job.failed.connect(self._on_job_failed)
        self.signed_copy_printer = job
        job.start()
        return job

    def save_signed_copy(self, path: Path | None = None) -> None:
        if self._doc is None:
            return
        suggested = strings.doc_signed_copy_pdf_name(self._doc.title, self._doc.number)
        if path is None and (path := self._save_path(suggested)) is None:
            return
        try:
            pdf = signatures.signed_copy_pdf(self._ctx, self._doc.id)
            if pdf is None:
                raise FieldkitError(strings.DOC_SIGNED_COPY_TIP)
            write_file(path, pdf)
        except (FieldkitError, OSError) as exc:
            show_error(self._parent, exc)
            return
        self.message.emit(strings.doc_pdf_saved(str(path)))
