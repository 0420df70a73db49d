"""打印空白文书: a blank copy of any form, to fill in by hand when the laptop cannot be used on site."""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QInputDialog, QWidget

from fieldkit.services import documents
from fieldkit.services.context import Context
from fieldkit.ui import strings
from fieldkit.ui.errors import show_error
from fieldkit.ui.pdf_printer import PdfPrinter, choose_printer


def choose_form(parent: QWidget) -> str | None:
    forms = documents.available_forms()
    titles = [f.title for f in forms]
    title, ok = QInputDialog.getItem(parent, strings.BLANK_TITLE, strings.BLANK_PROMPT, titles, 0, False)
    if not ok:
        return None
    return forms[titles.index(title)].id


def print_blank(
    parent: QWidget, ctx: Context, form_id: str, printer: QPrinter | None = None
) -> PdfPrinter | None:
    """Render the blank copy and send it to a printer (the system print dialog unless one is given)."""
    try:
        pdf, _pages = documents.blank_pdf(ctx, form_id)  # one form, ~0.1 s: no worker needed
    except Exception as exc:
        show_error(parent, exc)
        return None
    title = next(f.title for f in documents.available_forms() if f.id == form_id)
    printer = choose_printer(parent, strings.blank_doc_name(title), printer)
    if printer is None:
        return None
    job = PdfPrinter(parent, pdf, printer)
    job.start()
    return job
