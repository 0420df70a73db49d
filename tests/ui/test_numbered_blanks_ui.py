"""编号空白文书 and 拒签 in the GUI (issue 9 item 7; 行政处罚法第五十二条)."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.domain.documents import DocState
from fieldkit.services import documents, signatures
from fieldkit.services.context import Context
from fieldkit.ui.dialogs.signatures_dialog import SignaturesDialog
from fieldkit.ui.widgets.documents_page import DocumentsPage
from tests.ui.test_documents_ui import finalised_zeling, inspection_id, pdf_printer  # noqa: F401


def test_numbered_blanks_are_issued_printed_and_accounted_for_in_the_gui(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, tmp_path: Path
) -> None:
    page = DocumentsPage(set_up_ctx)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.page_shown()
    assert page.numbered_blanks_button.isVisible()
    dialog = page.open_numbered_blanks()
    assert dialog.form_id() == "dangchang_chufa"  # the form the law requires pre-numbered
    out = tmp_path / "blanks.pdf"
    with qtbot.waitSignal(dialog.printing_done, timeout=30_000):
        ids = dialog.issue(3, printer=pdf_printer(out))
    assert len(ids) == 3 and out.stat().st_size > 0
    numbers = [dialog.blanks[i].number for i in range(3)]
    assert sorted(numbers) == [f"兰市监当罚〔2026〕A1-{n}号" for n in (1, 2, 3)]
    assert "共 3 份：已发放未使用 3 份" in dialog.summary.text()

    assert dialog.select_number("兰市监当罚〔2026〕A1-2号")
    assert dialog.void(reason="填写错误，已撕毁")
    assert "已作废 1 份" in dialog.summary.text()
    assert dialog.select_number("兰市监当罚〔2026〕A1-2号") and not dialog.use_button.isEnabled()
    dialog.grab().save(str(tmp_path / "numbered_blanks.png"))

    assert dialog.select_number("兰市监当罚〔2026〕A1-1号")
    used = dialog.use()
    assert isinstance(used, uuid.UUID)
    # the page opens the used blank in the editor, a draft under its number
    editor = page.editor
    assert editor.document_id == used and not editor.is_read_only()
    assert "A1-1号" in editor.info_banner.text() and not editor.delete_button.isVisible()
    assert documents.load_document(set_up_ctx, used).status == DocState.DRAFT
    ledger = {b.number: b.state for b in documents.list_numbered_blanks(set_up_ctx)}
    assert sorted(ledger.values()) == ["issued", "used", "voided"]


def test_a_refusal_noted_in_the_signatures_dialog_is_printed(
    qtbot: QtBot,
    fk_app: QApplication,
    set_up_ctx: Context,
    inspection_id: uuid.UUID,  # noqa: F811
) -> None:
    document_id = finalised_zeling(set_up_ctx, inspection_id)
    dialog = SignaturesDialog(set_up_ctx, document_id)
    qtbot.addWidget(dialog)
    dialog.show()
    (party,) = dialog.rows
    assert not party.note_edit.isEnabled()
    party.state_buttons["refused"].click()
    assert party.note_edit.isEnabled()
    party.witness_edit.setText("赵堃（隔壁商户）")
    party.note_edit.setText("当事人拒绝签收，已将通知书留置于收银台并录像")
    assert dialog.save()
    (record,) = documents.load_document(set_up_ctx, document_id).revisions[-1].signatures
    assert (
        record["note"] == "当事人拒绝签收，已将通知书留置于收银台并录像"
        and record["at"] == "2026-03-02T10:00"
    )
    pdf = signatures.signed_copy_pdf(set_up_ctx, document_id)
    assert pdf is not None and dialog.signed_copy_sha is not None
    from tests.services.test_document_corrections import pdf_text

    text = pdf_text(pdf)
    assert "拒签记录" in text and "已将通知书留置于收银台并录像" in text and "赵堃" in text


def test_a_receipt_is_made_from_the_printed_document_in_the_editor(
    qtbot: QtBot,
    fk_app: QApplication,
    set_up_ctx: Context,
    inspection_id: uuid.UUID,  # noqa: F811
) -> None:
    from fieldkit.ui.widgets.document_editor import DocumentEditor

    document_id = finalised_zeling(set_up_ctx, inspection_id)
    editor = DocumentEditor(set_up_ctx)
    qtbot.addWidget(editor)
    editor.resize(1300, 860)
    editor.show()
    editor.open_document(document_id)
    assert editor.receipt_button.isVisible()
    number = documents.load_document(set_up_ctx, document_id).number
    editor.receipt_button.click()
    assert editor.document is not None and editor.document.form_id == "songda_huizheng"
    assert editor.form is not None and editor.form.values()["doc_number"] == number
    assert editor.form.values()["doc_name"] == "责令改正通知书"
    assert not editor.receipt_button.isVisible()  # a draft receipt: nothing to serve yet


def test_a_slip_corrected_in_the_editor_saves_for_every_kind_of_field(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, tmp_path: Path
) -> None:
    """The editor hands back what it was given: money, dates, ticked boxes and officers do not read as a
    substantive change when only a non-substantive field is corrected."""
    from fieldkit.ui.dialogs.correction_choice import CLERICAL
    from fieldkit.ui.widgets.document_editor import DocumentEditor
    from fieldkit.ui.widgets.form_fields import MoneyField, TextField
    from tests.services.test_document_corrections import on_the_spot_decision

    document_id = on_the_spot_decision(set_up_ctx)
    documents.print_document(set_up_ctx, document_id, accept_warnings=True)
    editor = DocumentEditor(set_up_ctx)
    qtbot.addWidget(editor)
    editor.resize(1300, 860)
    editor.show()
    editor.open_document(document_id)
    assert editor.start_correction(CLERICAL)
    assert editor.form is not None
    phone = editor.form.field("phone")
    assert isinstance(phone, TextField) and not phone.edit.isReadOnly()
    fine = editor.form.field("fine")
    assert isinstance(fine, MoneyField) and fine.edit.isReadOnly()  # 罚款金额: substantive, locked
    phone.edit.setText("13905391235")
    assert editor.save_now()  # accepted: nothing substantive differs
    assert documents.load_document(set_up_ctx, document_id).values["phone"] == "13905391235"
