"""Send a PDF to a QPrinter: each page rendered on a worker at the printer's resolution, painted here."""

from __future__ import annotations

import logging

from PySide6.QtCore import QMarginsF, QObject, QRectF, QThreadPool, QTimer, Signal
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QProgressDialog, QWidget

from fieldkit.ui import strings
from fieldkit.ui.jobs import PROGRESS_DELAY_MS, Job, progress_dialog
from fieldkit.ui.pdf_pages import page_count, render_page

log = logging.getLogger(__name__)

# 600 dpi is what office lasers print; a driver announcing more (Qt's PDF printer says 1200) would cost
# 4× the memory for no visible gain. An A4 page at 600 dpi is 35 MB grey, 104 MB in colour.
MAX_PRINT_DPI = 600


def prepare_printer(printer: QPrinter, doc_name: str) -> None:
    """A4 portrait, no margins: the PDF already has its GB/T 9704 margins, so the page is painted whole."""
    printer.setDocName(doc_name)
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )


def choose_printer(parent: QWidget, doc_name: str, printer: QPrinter | None = None) -> QPrinter | None:
    """The printer for `doc_name`, prepared for whole A4 pages: the one the officer picks in the
    system print dialog (None if they cancel it), or `printer` as given (how a test skips the dialog)."""
    chosen = printer if printer is not None else QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare_printer(chosen, doc_name)
    if printer is None:
        dialog = QPrintDialog(chosen, parent)
        dialog.setWindowTitle(strings.DOC_PRINT_DIALOG_TITLE)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
    return chosen


def print_dpi(printer: QPrinter) -> int:
    return max(72, min(printer.resolution(), MAX_PRINT_DPI))


class PdfPrinter(QObject):
    """Paints the pages of `pdf` onto `printer`, one page in memory at a time.

    Rendering runs on the global pool; painting (QPainter on a QPrinter) must stay on the GUI thread
    and takes a moment per page, which keeps the window responsive between pages. A progress dialog
    with 取消 appears if the whole run lasts over ~0.5 s.
    """

    finished = Signal()  # every page was sent
    failed = Signal(object)  # the exception
    cancelled = Signal()

    def __init__(self, parent: QWidget, pdf: bytes, printer: QPrinter) -> None:
        super().__init__(parent)
        self._parent = parent
        self._pdf = pdf
        self._printer = printer
        self._painter: QPainter | None = None
        self._pages = 0
        self._sheets: list[int] = []  # page indexes in print order (repeated for copies if needed)
        self._done = 0
        self._job: Job | None = None
        self._cancel = False
        self._dialog: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PROGRESS_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def dialog(self) -> QProgressDialog | None:
        return self._dialog

    def start(self) -> None:
        try:
            self._pages = page_count(self._pdf)
        except Exception as exc:
            self.failed.emit(exc)
            return
        # Drivers that cannot make copies themselves get every page again (QPrinter docs).
        copies = 1 if self._printer.supportsMultipleCopies() else max(1, self._printer.copyCount())
        self._sheets = [i for _ in range(copies) for i in range(self._pages)]
        painter = QPainter()
        if not painter.begin(self._printer):
            self.failed.emit(RuntimeError("QPainter.begin failed on the printer"))
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self._painter = painter
        self._timer.start()
        self._render_next()

    def cancel(self) -> None:
        self._cancel = True
        if self._dialog is not None:
            self._dialog.setLabelText(strings.JOB_CANCELLING)

    def _render_next(self) -> None:
        index = self._sheets[self._done]
        dpi = print_dpi(self._printer)
        grayscale = self._printer.colorMode() == QPrinter.ColorMode.GrayScale
        pdf = self._pdf
        job = Job(lambda progress, cancelled: render_page(pdf, index, dpi, grayscale=grayscale))
        job.signals.finished.connect(self._on_job_finished)
        job.signals.failed.connect(self._on_job_failed)
        self._job = job
        QThreadPool.globalInstance().start(job)

    def _on_job_finished(self, image: object) -> None:
        self._job = None
        painter = self._painter
        if painter is None or not isinstance(image, QImage):
            return
        if self._cancel:
            self._printer.abort()
            self._end()
            self.cancelled.emit()
            return
        if self._done > 0:
            self._printer.newPage()
        paper = self._printer.paperRect(QPrinter.Unit.DevicePixel)
        painter.drawImage(QRectF(0, 0, paper.width(), paper.height()), image)
        self._done += 1
        if self._dialog is not None:
            self._dialog.setValue(self._done)
        if self._done < len(self._sheets):
            self._render_next()
            return
        self._end()
        self.finished.emit()

    def _on_job_failed(self, exc: object) -> None:
        self._job = None
        self._printer.abort()
        self._end()
        self.failed.emit(exc)

    def _end(self) -> None:
        self._timer.stop()
        if self._painter is not None:
            if self._painter.isActive():
                self._painter.end()
            self._painter = None
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None

    def _on_timer_timeout(self) -> None:
        self._dialog = progress_dialog(
            self._parent, strings.DOC_PRINTING, len(self._sheets), self._done, self.cancel
        )
