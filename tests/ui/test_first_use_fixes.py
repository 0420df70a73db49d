"""Smaller stumbles of a first visit: stale error messages go once fixed, the status bar is not clipped,
Ctrl+N then back keeps no empty draft, 已签名 needs a name, a completed inspection looks locked, and
the demo data is plausible."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionComboBox, QWizard
from pytestqt.qtbot import QtBot

from fieldkit.catalog import load_formdef
from fieldkit.domain import forms as F
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.documents import DocState
from fieldkit.domain.inspections import InspectionStatus, Outcome
from fieldkit.domain.measures import MeasureKind
from fieldkit.services import documents, evidence, inspections, measures
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.demo import load_demo
from fieldkit.ui.dialogs.setup_wizard import SetupWizard
from fieldkit.ui.main_window import MainWindow
from fieldkit.ui.theme import READ_ONLY_BG
from fieldkit.ui.widgets.inspection_editor import InspectionEditor
from tests.ui.conftest import add_subjects, fill_admin
from tests.ui.keys import type_text
from tests.ui.test_setup_wizard import fill_agency


# ---- stale error messages -------------------------------------------------------------------------
def test_wizard_messages_go_as_soon_as_the_input_is_fixed(
    qtbot: QtBot, fk_app: QApplication, ctx: Context
) -> None:
    wizard = SetupWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    full_name_error = wizard.agency_page.form.errors.label("agency.full_name")
    assert full_name_error.isVisible()
    fill_agency(qtbot, wizard)
    assert not full_name_error.isVisible()  # gone while typing, not on the next 下一步
    wizard.next()

    page = wizard.officers_page
    model = page.model
    model.setData(model.index(0, 0), "张建国")
    model.setData(model.index(0, 1), "37130219001")
    wizard.next()
    assert page.errors.isVisible() and "至少登记两名" in page.errors.text()
    model.setData(model.index(1, 0), "王喆")
    model.setData(model.index(1, 1), "37130219003")
    assert not page.errors.isVisible()  # the officers are right now: the message is not left behind
    wizard.next()
    fill_admin(wizard)

    type_text(wizard.device_page.code_edit, "一号")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    code_error = wizard.device_page.field_errors.label("device_code")
    assert code_error.isVisible()
    wizard.device_page.code_edit.clear()
    qtbot.keyClicks(wizard.device_page.code_edit, "B7")
    assert not code_error.isVisible()


@pytest.fixture
def editor(qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context) -> InspectionEditor:
    (subject,) = add_subjects(set_up_ctx, ["临沂市金源家超市有限公司"])
    widget = InspectionEditor(set_up_ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    widget.open_inspection(inspections.new_inspection(set_up_ctx, subject))  # type: ignore[arg-type]
    return widget


def test_the_cannot_complete_banner_follows_the_fixes(qtbot: QtBot, editor: InspectionEditor) -> None:
    assert editor.complete() is False
    assert editor.problems_banner.isVisible()
    assert "还不能完成检查" in editor.problems_banner.text()
    assert "检查情况" in editor.problems_banner.text()
    editor.outcome.findings_edit.setFocus()
    type_text(editor.outcome.findings_edit, "经检查，未发现问题。")
    assert "检查情况" not in editor.problems_banner.text()  # that line went; the others stay
    assert QApplication.focusWidget() is editor.outcome.findings_edit  # re-checking keeps the cursor
    assert not editor.form.errors.label("findings").isVisible()


# ---- status bar -------------------------------------------------------------------------------------
def test_the_status_bar_shows_its_texts_whole(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    window = MainWindow(set_up_ctx)
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    combo = window.operator_combo
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    for i in range(combo.count()):  # （请选择使用人） lost its closing bracket before
        assert combo.fontMetrics().horizontalAdvance(combo.itemText(i)) <= field.width(), combo.itemText(i)
    for label in (window.agency_label, window.device_label):
        assert label.width() >= label.fontMetrics().horizontalAdvance(label.text()), label.text()


# ---- Ctrl+N, then back -------------------------------------------------------------------------------
def test_an_empty_new_draft_is_not_kept(qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context) -> None:
    window = MainWindow(set_up_ctx)
    qtbot.addWidget(window)
    window.show()
    before = inspections.inspection_ids(set_up_ctx)
    editor = window.new_inspection()
    assert editor is not None and editor.inspection_id is not None
    qtbot.mouseClick(editor.back_button, Qt.MouseButton.LeftButton)
    assert inspections.inspection_ids(set_up_ctx) == before

    editor = window.new_inspection()  # with something written it is kept
    assert editor is not None
    type_text(editor.outcome.findings_edit, "当事人不在场")
    kept = editor.inspection_id
    qtbot.mouseClick(editor.back_button, Qt.MouseButton.LeftButton)
    assert inspections.inspection_ids(set_up_ctx) == [kept, *before]


def test_a_draft_with_evidence_or_a_measure_is_kept_even_without_text(set_up_ctx: Context) -> None:
    from fieldkit.domain.measures import GoodsLine, MeasureDraft

    inspection_id = inspections.new_inspection(set_up_ctx)
    measures.add_measure(
        set_up_ctx,
        inspection_id,
        MeasureDraft(
            MeasureKind.PRESERVATION,
            decided_on=set_up_ctx.today(),
            reason="涉嫌销售过期食品",
            storage_place="仓库",
            items=(GoodsLine("酸奶", "200g", "", "", "盒", "1", ""),),
        ),
    )
    assert inspections.discard_if_blank(set_up_ctx, inspection_id) is False
    assert inspection_id in inspections.inspection_ids(set_up_ctx)
    blank = inspections.new_inspection(set_up_ctx)
    assert inspections.discard_if_blank(set_up_ctx, blank) is True
    assert blank not in inspections.inspection_ids(set_up_ctx)


# ---- signatures -----------------------------------------------------------------------------------
def test_signed_needs_the_signers_name(set_up_ctx: Context) -> None:
    inspection_id = inspections.new_inspection(set_up_ctx)
    document_id = documents.create_document(set_up_ctx, "zeling_gaizheng", inspection_id)
    nameless = documents.SignatureRecord("当事人（签名或者盖章）", "  ", "signed")
    with pytest.raises(documents.ValidationFailed) as info:
        documents.record_signatures(set_up_ctx, document_id, [nameless])
    assert [p.message for p in info.value.problems] == [
        "签名人：「当事人（签名或者盖章）」已签名，须填写签名人姓名"
    ]


def test_the_signature_dialog_refuses_signed_without_a_name(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    from fieldkit.ui.dialogs.signatures_dialog import SignaturesDialog
    from tests.ui.test_documents_ui import finalised_zeling, shop_inspection

    document_id = finalised_zeling(set_up_ctx, shop_inspection(set_up_ctx))
    dialog = SignaturesDialog(set_up_ctx, document_id)
    qtbot.addWidget(dialog)
    dialog.show()
    row = dialog.rows[0]
    row.state_buttons["signed"].setChecked(True)
    row.name_edit.clear()
    assert dialog.save() is False
    assert dialog.error_banner.isVisible() and "须填写签名人姓名" in dialog.error_banner.text()
    row.name_edit.setText("王喆")
    assert dialog.save() is True


# ---- a completed inspection looks locked ---------------------------------------------------------
def _background(widget: object) -> str:
    image = widget.grab().toImage()  # type: ignore[attr-defined]
    return image.pixelColor(image.width() - 6, image.height() // 2).name()


def test_read_only_fields_look_read_only_on_a_completed_inspection(
    qtbot: QtBot, editor: InspectionEditor, set_up_ctx: Context
) -> None:
    fields = [editor.form.place_edit, editor.form.start_edit.line, editor.outcome.findings_edit]
    editable = [_background(w) for w in fields]
    assert all(c == "#ffffff" for c in editable), editable
    record = inspections.load_inspection(set_up_ctx, editor.inspection_id)
    assert record.status is InspectionStatus.DRAFT
    editor._status = InspectionStatus.COMPLETED  # what open_inspection sets for a completed one
    editor._apply_status()
    qtbot.wait(10)
    locked = [_background(w) for w in fields]
    assert locked == [READ_ONLY_BG] * len(fields), locked
    editor._status = InspectionStatus.DRAFT
    editor._apply_status()
    assert [_background(w) for w in fields] == editable


# ---- demo data ---------------------------------------------------------------------------------------
def test_demo_data_is_plausible(set_up_ctx: Context) -> None:
    load_demo(set_up_ctx, subject_count=20, inspection_count=12)
    today = set_up_ctx.today()
    for measure in measures.list_measures(set_up_ctx):
        if measure.kind is MeasureKind.SAMPLING:
            continue  # a sample may be taken from a shop that complies
        visit = inspections.load_inspection(set_up_ctx, measure.matter_id).draft
        failed = [c for c in visit.checks if c.result is CheckResult.FAIL]
        assert visit.outcome is not Outcome.NO_PROBLEM and failed, (
            f"{measure.kind} on a visit without a violation"
        )
    for doc in documents.list_documents(set_up_ctx):
        if doc.status != DocState.DRAFT:
            continue
        values = documents.load_document(set_up_ctx, doc.id).values
        for fd in load_formdef(doc.form_id).fields:
            day = F.parse_date(values.get(fd.key)) if fd.not_past else None
            assert day is None or day >= today, f"draft {doc.form_id}: {fd.label} {day} has passed"
    for inspection_id in inspections.inspection_ids(set_up_ctx, status=InspectionStatus.DRAFT):
        deadline = inspections.load_inspection(set_up_ctx, inspection_id).draft.rectify_deadline
        assert deadline is None or deadline >= today
    # 检查情况 is what officers write, not the checklist's questions strung together ("检查发现以下问题：
    # 1. 是否…"): it is taken over into the 现场笔录, which lists the 不符合 items itself.
    for inspection_id in inspections.inspection_ids(set_up_ctx):
        findings = inspections.load_inspection(set_up_ctx, inspection_id).draft.findings
        assert "是否" not in findings, findings
        # a camera names a photo by the moment it was taken: on the day of the visit, not months before
        for item in evidence.list_evidence(set_up_ctx, inspection_id):
            day = (
                item.draft.collected_at.astimezone(SHANGHAI).strftime("%Y%m%d")
                if item.draft.collected_at
                else ""
            )
            for file in item.files:
                if file.original_name.startswith("IMG_"):
                    assert file.original_name.startswith(f"IMG_{day}"), (file.original_name, day)
