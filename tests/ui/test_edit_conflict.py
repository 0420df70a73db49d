"""Issue 11.5: two editors on one record — the later save is a Chinese conflict, neither text is lost."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.errors import EditConflict
from fieldkit.services import documents, inspections
from fieldkit.services.context import Context
from fieldkit.ui.widgets.document_editor import DocumentEditor
from fieldkit.ui.widgets.inspection_editor import InspectionEditor
from tests.ui.keys import type_text
from tests.ui.test_documents_ui import inspection_id  # noqa: F401 — fixture

THEIRS = "甲窗口：冷藏柜温度 12℃，已当场调整"
MINE = "乙窗口：货架上发现过期酸奶 12 盒"


def test_a_stale_save_is_refused_and_keeps_the_stored_text(set_up_ctx: Context) -> None:
    ctx = set_up_ctx
    inspection = inspections.new_inspection(ctx)
    loaded = inspections.load_inspection(ctx, inspection)
    draft = loaded.draft
    assert inspections.save_draft(
        ctx,
        inspection,
        draft.__class__(**{**draft.__dict__, "findings": THEIRS}),
        base_version=loaded.version,
    )
    with pytest.raises(EditConflict, match="另一个窗口或另一台电脑上被修改") as caught:
        inspections.save_draft(
            ctx,
            inspection,
            draft.__class__(**{**draft.__dict__, "findings": MINE}),
            base_version=loaded.version,
        )
    assert caught.value.current_version == loaded.version + 1
    assert inspections.load_inspection(ctx, inspection).draft.findings == THEIRS


def _editor(qtbot: QtBot, ctx: Context) -> InspectionEditor:
    editor = InspectionEditor(ctx)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def test_two_inspection_editors_never_overwrite_each_other(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    ctx = set_up_ctx
    inspection = inspections.new_inspection(ctx)
    first, second = _editor(qtbot, ctx), _editor(qtbot, ctx)  # e.g. two FieldKit windows
    first.open_inspection(inspection)
    second.open_inspection(inspection)
    type_text(first.outcome.findings_edit, THEIRS)
    assert first.save_now()
    type_text(second.outcome.findings_edit, MINE)
    assert not second.save_now()
    assert inspections.load_inspection(ctx, inspection).draft.findings == THEIRS  # theirs kept
    assert second.outcome.findings_edit.toPlainText() == MINE  # mine still on screen
    assert second.conflict_banner.isVisible() and "没有保存" in second.conflict_banner.text()
    assert "冲突" in second.saved_label.text()
    type_text(second.outcome.findings_edit, "，再补一句")
    assert not second.save_now()  # paused: no retry loop over theirs
    assert inspections.load_inspection(ctx, inspection).draft.findings == THEIRS
    second.conflict_banner.take_button.click()
    assert second.outcome.findings_edit.toPlainText() == THEIRS
    assert MINE in QApplication.clipboard().text()
    assert not second.conflict_banner.isVisible()
    type_text(second.outcome.findings_edit, "（已核对）")
    assert second.save_now()  # from their version on, saving works again
    stored = inspections.load_inspection(ctx, inspection).draft.findings
    assert THEIRS in stored and "（已核对）" in stored
    type_text(first.outcome.findings_edit, "！")
    assert not first.save_now() and first.conflict_banner.isVisible()  # and the other way round


def test_two_document_editors_never_overwrite_each_other(
    qtbot: QtBot,
    fk_app: QApplication,
    set_up_ctx: Context,
    inspection_id: uuid.UUID,  # noqa: F811
) -> None:
    ctx = set_up_ctx
    document_id = documents.create_document(ctx, "zeling_gaizheng", inspection_id)
    editors = []
    for _ in range(2):
        editor = DocumentEditor(ctx)
        qtbot.addWidget(editor)
        editor.show()
        editor.open_document(document_id)
        editors.append(editor)
    first, second = editors
    assert first.form is not None and second.form is not None
    first.form.set_values({**first.form.values(), "requirements": THEIRS})
    assert first.save_now()
    second.form.set_values({**second.form.values(), "requirements": MINE})
    assert not second.save_now()
    assert documents.load_document(ctx, document_id).values["requirements"] == THEIRS
    assert second.form.values()["requirements"] == MINE and second.conflict_banner.isVisible()
    second.take_theirs()
    assert second.form.values()["requirements"] == THEIRS
    assert MINE in QApplication.clipboard().text()


def test_the_subject_dialog_does_not_overwrite_a_change_made_meanwhile(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    from dataclasses import replace

    from fieldkit.domain.subjects import SubjectDraft
    from fieldkit.services import subjects
    from fieldkit.ui.dialogs.subject_dialog import SubjectDialog

    ctx = set_up_ctx
    subject_id = subjects.add_subject(
        ctx, SubjectDraft(name="临沂市金源家超市有限公司", phone="0539-8123456")
    )
    dialog = SubjectDialog(ctx, subject_id)
    qtbot.addWidget(dialog)
    dialog.show()
    # Meanwhile another window changes the phone number.
    stored = subjects.get_subject(ctx, subject_id).draft
    subjects.update_subject(ctx, subject_id, replace(stored, phone="13905391234"))
    dialog.edits["address"].setText("兰山区人民路18号")
    assert not dialog._save()
    assert dialog.isVisible() and "另一个窗口或另一台电脑上被修改" in dialog.general_label.text()
    assert dialog.edits["address"].text() == "兰山区人民路18号"  # what was typed stays
    after = subjects.get_subject(ctx, subject_id).draft
    assert after.phone == "13905391234" and after.address == ""  # theirs kept, nothing overwritten


def test_the_evidence_dialog_does_not_overwrite_a_change_made_meanwhile(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    from dataclasses import replace

    from fieldkit.domain.evidence import EvidenceDraft
    from fieldkit.services import evidence
    from fieldkit.ui.dialogs.evidence_item_dialog import EvidenceItemDialog

    ctx = set_up_ctx
    inspection = inspections.new_inspection(ctx)
    item_id = evidence.add_evidence_item(ctx, inspection, EvidenceDraft(name="现场照片"))
    [item] = evidence.list_evidence(ctx, inspection)
    dialog = EvidenceItemDialog(ctx, inspection, item)
    qtbot.addWidget(dialog)
    dialog.show()
    evidence.update_evidence_item(ctx, item_id, replace(item.draft, note=THEIRS))  # another window
    dialog.note_edit.setPlainText(MINE)
    assert not dialog.save()
    assert "另一个窗口或另一台电脑上被修改" in dialog.problems_label.text()
    assert dialog.note_edit.toPlainText() == MINE
    [after] = evidence.list_evidence(ctx, inspection)
    assert after.draft.note == THEIRS
