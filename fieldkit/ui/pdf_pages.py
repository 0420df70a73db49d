"""PDF pages to QImages with pypdfium2 (worker-thread safe: PDFium itself is used one call at a time)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pypdfium2 as pdfium
from PySide6.QtGui import QImage

from fieldkit.errors import Cancelled
from fieldkit.ui import strings

PREVIEW_DPI = 110
POINTS_PER_INCH = 72

# PDFium is not thread-safe: a preview rendering while a print job renders would corrupt its state.
_PDFIUM = threading.Lock()


def page_count(pdf: bytes) -> int:
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


def _to_qimage(bitmap: pdfium.PdfBitmap) -> QImage:
    fmt = QImage.Format.Format_Grayscale8 if bitmap.n_channels == 1 else QImage.Format.Format_RGB888
    image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt)
    return image.copy()  # own the pixels: the bytes above die with this frame


def render_page(pdf: bytes, index: int, dpi: float, *, grayscale: bool = False) -> QImage:
    """One page at `dpi`, white background; 1 pixel = 1/dpi inch of the page."""
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[index]
            try:
                options = {"grayscale": True} if grayscale else {"rev_byteorder": True}
                bitmap = page.render(scale=dpi / POINTS_PER_INCH, **options)
                try:
                    return _to_qimage(bitmap)
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            document.close()


def render_pages(
    pdf: bytes,
    dpi: float = PREVIEW_DPI,
    *,
    progress: Callable[[int, int], object] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[QImage]:
    """Every page (for the preview). Raises Cancelled when asked to stop between pages."""
    total = page_count(pdf)
    images: list[QImage] = []
    for i in range(total):
        if cancelled is not None and cancelled():
            raise Cancelled(strings.JOB_CANCELLED)
        images.append(render_page(pdf, i, dpi))
        if progress is not None:
            progress(i + 1, total)
    return images
