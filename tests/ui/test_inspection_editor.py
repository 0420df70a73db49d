"""An inspection completed through the editor, with the refusals an officer would meet on the way."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.inspections import InspectionStatus, Outcome
from fieldkit.services import documents, inspections
from fieldkit.services.context import Context
from fieldkit.services.setup import load_settings
from fieldkit.ui.models.checkable_list import CheckableListModel
from fieldkit.ui.widgets.inspection_editor import InspectionEditor
from fieldkit.ui.widgets.subject_search import DEBOUNCE_MS
from tests.conftest import Clock
from tests.ui.conftest import add_subjects
from tests.ui.keys import type_text


def check(model: CheckableListModel, key: str) -> None:
    """What a click on the check box does."""
    row = next(r for r in range(model.rowCount()) if model.choice(r).key == key)
    model.setData(model.index(row), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)


@pytest.fixture
def editor(qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context) -> InspectionEditor:
    add_subjects(set_up_ctx, ["临沂市金源家超市有限公司", "兰山区张记小吃店"])
    widget = InspectionEditor(set_up_ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    widget.open_inspection(inspections.new_inspection(set_up_ctx))
    return widget


def test_complete_an_inspection_through_the_editor(
    qtbot: QtBot, editor: InspectionEditor, set_up_ctx: Context, clock: Clock
) -> None:
    ctx = set_up_ctx
    # 当事人 through the picker: type two characters, Enter.
    qtbot.mouseClick(editor.form.pick_button, Qt.MouseButton.LeftButton)
    picker = editor.picker
    assert picker is not None
    type_text(picker.search.search_edit, "金源")
    qtbot.wait(DEBOUNCE_MS + 100)
    assert picker.search.model.rowCount() == 1
    qtbot.keyClick(picker.search.search_edit, Qt.Key.Key_Return)
    assert editor.form.subject_label.text() == "临沂市金源家超市有限公司"
    assert editor.form.place_edit.text() == "山东省临沂市兰山区人民路1号"  # prefilled from the subject

    officers = load_settings(ctx).active_officers
    check(editor.form.officer_model, str(officers[0].id))
    assert editor.form.officer_warning.isVisibleTo(editor)  # one is not enough: said inline
    check(editor.form.officer_model, str(officers[1].id))
    assert not editor.form.officer_warning.isVisibleTo(editor)

    check(editor.form.domain_model, "food_business")
    check(editor.form.domain_model, "price_display")
    table = editor.checks.table
    assert editor.check_model.rowCount() > 10
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_2)  # 不符合
    first = editor.check_model.entry(0)
    assert first.result is CheckResult.FAIL
    assert table.selected_rows() == [1]  # moved on to the next item
    qtbot.keyClick(table, Qt.Key.Key_3)
    assert editor.check_model.entry(1).result is CheckResult.NOT_APPLICABLE
    for action in editor.checks.all_pass_menu.actions():
        action.trigger()  # 未填项全部符合, per domain
    results = [e.result for e in editor.check_model.entries()]
    assert results.count(CheckResult.FAIL) == 1 and None not in results
    assert editor.outcome.failed_label.text().startswith("不符合项 1 项：1. " + first.text[:10])

    clock.advance(minutes=40)  # the visit took a while: an inspection of no duration is refused
    qtbot.mouseClick(editor.form.now_button, Qt.MouseButton.LeftButton)
    type_text(editor.outcome.findings_edit, "现场发现未公示许可证，已责令当场悬挂。")

    editor.outcome.radios[Outcome.NO_PROBLEM].click()
    assert editor.complete() is False  # 无问题 with a 不符合 item is refused, visibly
    assert editor.problems_banner.isVisible()
    assert "处理结果：有 1 项检查结果为「不符合」" in editor.problems_banner.text()
    outcome_error = editor.form.errors.label("outcome")
    assert outcome_error.isVisible() and outcome_error.text().startswith("处理结果")
    assert editor.focusWidget() is editor.outcome.radios[Outcome.NO_PROBLEM]

    editor.outcome.radios[Outcome.RECTIFY].click()
    assert editor.outcome.deadline_edit.isVisible()
    assert editor.outcome.note_edit.isVisible()  # the 改正要求 the 责令改正通知书 takes over
    assert "改正要求" in editor.outcome.note_edit.placeholderText()
    deadline = ctx.today() + dt.timedelta(days=15)
    editor.outcome.set_deadline(deadline)
    requirements = "立即在经营场所显著位置悬挂食品经营许可证。"
    type_text(editor.outcome.note_edit, requirements)
    assert editor.complete() is True

    record = inspections.load_inspection(ctx, editor.inspection_id)
    assert record.status is InspectionStatus.COMPLETED
    notice = documents.create_document(ctx, "zeling_gaizheng", editor.inspection_id)
    assert documents.load_document(ctx, notice).values["requirements"] == requirements
    assert record.draft.outcome is Outcome.RECTIFY and record.draft.rectify_deadline == deadline
    assert [o.name for o in record.draft.officers] == [officers[0].name, officers[1].name]
    assert record.draft.domains == ("food_business", "price_display")
    assert not editor.problems_banner.isVisible()
    assert not editor.complete_button.isVisible() and editor.reopen_button.isVisible()


def test_unchecking_a_domain_and_back_keeps_its_results(editor: InspectionEditor) -> None:
    check(editor.form.domain_model, "food_business")
    editor.check_model.set_result([0, 1], CheckResult.PASS)
    editor.form.domain_model.set_checked("food_business", False)
    assert editor.check_model.rowCount() == 0
    editor.form.domain_model.set_checked("food_business", True)
    assert [e.result for e in editor.check_model.entries()[:3]] == [CheckResult.PASS, CheckResult.PASS, None]


def test_missing_everything_lists_every_problem(editor: InspectionEditor) -> None:
    assert editor.complete() is False
    text = editor.problems_banner.text()
    for label in ("当事人", "检查结束时间", "检查地点", "执法人员", "检查领域", "处理结果"):
        assert label in text
    assert editor.focusWidget() is editor.form.pick_button  # the first bad field


def test_result_combo_and_note_typed_in_the_cell_are_saved(
    qtbot: QtBot, editor: InspectionEditor, set_up_ctx: Context
) -> None:
    check(editor.form.domain_model, "food_business")
    table = editor.checks.table
    result_index = editor.check_model.index(0, 4)
    table.setCurrentIndex(result_index)
    table.edit(result_index)
    combo = table.viewport().findChild(QComboBox)
    assert combo is not None and [combo.itemText(i) for i in range(combo.count())] == [
        "",
        "符合",
        "不符合",
        "不涉及",
    ]
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    assert editor.check_model.entry(0).result is CheckResult.FAIL

    note_index = editor.check_model.index(0, 5)
    table.setCurrentIndex(note_index)
    table.edit(note_index)
    line = table.viewport().findChild(QLineEdit)
    assert line is not None
    type_text(line, "许可证过期 3 天，喆堃")
    # Still editing the cell: an autosave now must already have every character.
    editor.save_now()
    record = inspections.load_inspection(set_up_ctx, editor.inspection_id)  # type: ignore[arg-type]
    assert record.draft.checks[0].note == "许可证过期 3 天，喆堃"
    assert record.draft.checks[0].result is CheckResult.FAIL


def test_another_laptops_draft_is_shown_read_only_at_the_office(
    editor: InspectionEditor, set_up_ctx: Context
) -> None:
    """Issue 11.1: at the office an imported draft offered 删除草稿 and took edits; it is a copy here."""
    from tests.services.test_inspections import _made_by_another_laptop

    inspection_id = editor.inspection_id
    assert inspection_id is not None
    _made_by_another_laptop(set_up_ctx, inspection_id)
    editor.open_inspection(inspection_id)
    assert not editor.delete_button.isVisible() and not editor.complete_button.isVisible()
    assert not editor.reopen_button.isVisible()
    assert "其他执法终端" in editor.info_banner.text()
    assert editor.outcome.findings_edit.isReadOnly()
    version = inspections.load_inspection(set_up_ctx, inspection_id).version
    assert editor.save_now() is False
    editor.close_inspection()  # a blank imported draft is not dropped either
    record = inspections.load_inspection(set_up_ctx, inspection_id)
    assert record.version == version
