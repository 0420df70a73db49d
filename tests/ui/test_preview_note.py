"""The preview dialog's note follows the document's state: a 笔误 correction (文号 kept) or a used numbered
blank is never called "未编号"; a finalised document shows its stored PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.services import documents
from fieldkit.services.context import Context
from fieldkit.ui import strings
from fieldkit.ui.widgets.document_editor import DocumentEditor
from tests.ui.test_documents_ui import finalised_zeling, shop_inspection


def test_the_preview_note_names_the_documents_state(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    editor = DocumentEditor(set_up_ctx)
    qtbot.addWidget(editor)
    document_id = finalised_zeling(set_up_ctx, shop_inspection(set_up_ctx))
    number = documents.load_document(set_up_ctx, document_id).number
    assert number
    editor.open_document(document_id)
    assert editor.printing.preview_note() == strings.DOC_PREVIEW_STORED_NOTE

    documents.start_correction(set_up_ctx, document_id)
    editor.open_document(document_id)
    note = editor.printing.preview_note()
    assert number in note and "文号不变" in note and "未编号" not in note

    (blank,) = documents.issue_numbered_blanks(set_up_ctx, "dangchang_chufa", 1)
    blank_number = documents.load_document(set_up_ctx, blank).number
    assert blank_number and blank_number in strings.doc_preview_note("blank", blank_number)
    documents.use_numbered_blank(set_up_ctx, blank, matter_id=None)
    editor.open_document(blank)
    assert blank_number in editor.printing.preview_note() and "未编号" not in editor.printing.preview_note()

    draft = documents.create_document(set_up_ctx, "xunwen_tongzhi")
    editor.open_document(draft)
    assert editor.printing.preview_note() == strings.DOC_PREVIEW_DRAFT_NOTE


def test_a_blank_decision_opens_the_numbered_blanks_not_a_plain_blank(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, tmp_path: Path
) -> None:
    """「打印空白文书…」 with 当场行政处罚决定书 chosen: no unnumbered blank (行政处罚法第五十二条), the numbered
    blanks dialog opens on that form instead; another form still prints its plain blank."""
    from fieldkit.ui.widgets.documents_page import DocumentsPage
    from tests.ui.test_documents_ui import pdf_printer

    page = DocumentsPage(set_up_ctx)
    qtbot.addWidget(page)
    page.print_blank_form("dangchang_chufa")
    assert (
        page.numbered_blanks_dialog is not None and page.numbered_blanks_dialog.form_id() == "dangchang_chufa"
    )
    assert page.blank_job is None
    page.numbered_blanks_dialog.reject()
    out = tmp_path / "blank.pdf"
    page.print_blank_form("zeling_gaizheng", pdf_printer(out))
    assert page.blank_job is not None
    with qtbot.waitSignal(page.blank_job.finished, timeout=20_000):
        pass
    assert out.stat().st_size > 0
