"""Dates and times are typed: in the usual forms, into an empty field, refused in place when impossible,
and every date field of the app is the same typed input whose calendar opens on the value or today."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QSpinBox
from pytestqt.qtbot import QtBot

from fieldkit.domain import forms as F
from fieldkit.domain.inspections import Outcome
from fieldkit.domain.measures import MeasureKind
from fieldkit.services import evidence, inspections, measures
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.ui.dialogs.evidence_item_dialog import EvidenceItemDialog
from fieldkit.ui.dialogs.measure_dialog import MeasureDialog
from fieldkit.ui.widgets.date_input import DateInput
from fieldkit.ui.widgets.form_fields import DateField, DateTimeField, FormEnv
from fieldkit.ui.widgets.inspection_editor import InspectionEditor
from fieldkit.ui.widgets.table_field import TableField
from tests.ui.conftest import add_subjects
from tests.ui.keys import type_text

NOW = dt.datetime(2026, 3, 2, 10, 0)  # naive Beijing, the conftest clock's moment
UI = Path(__file__).resolve().parents[2] / "fieldkit" / "ui"


def type_into(qtbot: QtBot, edit: DateInput, text: str, *, enter: bool = True) -> None:
    edit.line.setFocus()
    edit.line.selectAll()
    type_text(edit.line, text)  # QTest.keyClicks aborts on non-Latin-1 characters such as 年
    if enter:
        qtbot.keyClick(edit.line, Qt.Key.Key_Return)


@pytest.fixture
def date_input(qtbot: QtBot, fk_app: QApplication) -> DateInput:
    edit = DateInput(with_time=False, label="改正期限", now=lambda: NOW)
    qtbot.addWidget(edit)
    edit.show()
    return edit


@pytest.fixture
def datetime_input(qtbot: QtBot, fk_app: QApplication) -> DateInput:
    edit = DateInput(with_time=True, label="检查开始时间", now=lambda: NOW)
    qtbot.addWidget(edit)
    edit.show()
    return edit


def test_an_empty_field_shows_its_state_as_a_placeholder_and_typing_replaces_it(
    qtbot: QtBot, date_input: DateInput
) -> None:
    assert date_input.value() is None
    assert date_input.line.text() == "" and date_input.line.placeholderText() == "未填写"
    with qtbot.waitSignal(date_input.value_changed):
        type_into(qtbot, date_input, "20261218")
    assert date_input.value() == dt.date(2026, 12, 18)
    assert date_input.line.text() == "2026-12-18"  # shown in the standard form after Enter
    assert date_input.error() is None and not date_input.error_label.isVisible()


@pytest.mark.parametrize(
    "text", ["20261218", "2026-12-18", "12-18", "2026/12/18", "2026年12月18日", "12月18日"]
)
def test_every_usual_date_form_is_read(qtbot: QtBot, date_input: DateInput, text: str) -> None:
    type_into(qtbot, date_input, text)
    assert date_input.value() == dt.date(2026, 12, 18)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026/12/18 10:30", dt.datetime(2026, 12, 18, 10, 30)),
        ("20261218 1030", dt.datetime(2026, 12, 18, 10, 30)),
        ("12-18 9:05", dt.datetime(2026, 12, 18, 9, 5)),
        ("14:30", dt.datetime(2026, 3, 2, 14, 30)),
    ],
)
def test_every_usual_datetime_form_is_read(
    qtbot: QtBot, datetime_input: DateInput, text: str, expected: dt.datetime
) -> None:
    type_into(qtbot, datetime_input, text)
    assert datetime_input.value() == expected
    assert datetime_input.line.text() == f"{expected:%Y-%m-%d %H:%M}"


def test_typed_text_is_taken_when_leaving_the_field_not_half_typed(
    qtbot: QtBot, datetime_input: DateInput
) -> None:
    with qtbot.assertNotEmitted(datetime_input.value_changed):
        type_into(qtbot, datetime_input, "2026", enter=False)  # would read as 20:26
    assert datetime_input.value() is None
    type_into(qtbot, datetime_input, "2026-12-18 10:30", enter=False)
    with qtbot.waitSignal(datetime_input.value_changed):
        datetime_input.line.clearFocus()  # focus out = editing finished
    assert datetime_input.value() == dt.datetime(2026, 12, 18, 10, 30)


def test_an_impossible_date_is_refused_in_place_and_the_old_value_kept(
    qtbot: QtBot, date_input: DateInput
) -> None:
    date_input.set_value(dt.date(2026, 3, 20))
    with qtbot.assertNotEmitted(date_input.value_changed):
        type_into(qtbot, date_input, "2026-02-30")
    assert date_input.value() == dt.date(2026, 3, 20)
    assert date_input.line.text() == "2026-02-30"  # the typed text is not eaten: the officer fixes it
    assert date_input.error_label.isVisible()
    assert (
        date_input.error_label.text()
        == "改正期限：2026年2月没有30日（这个月只有 28 天）（未采用，仍为 2026-03-20）"
    )
    assert date_input.line.property("invalid") is True

    type_into(qtbot, date_input, "2026-03-30")  # fixed: the message goes at once
    assert date_input.value() == dt.date(2026, 3, 30)
    assert not date_input.error_label.isVisible() and date_input.line.property("invalid") is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13-01", "没有 13 月"),
        ("2025-02-29", "2025年不是闰年"),
        ("2026121", "看不懂「2026121」"),
    ],
)
def test_impossible_values_get_a_chinese_reason(
    qtbot: QtBot, date_input: DateInput, text: str, message: str
) -> None:
    type_into(qtbot, date_input, text)
    assert date_input.value() is None
    assert date_input.error() is not None and date_input.error().startswith(f"改正期限：{message}")


def test_an_impossible_time_is_refused(qtbot: QtBot, datetime_input: DateInput) -> None:
    type_into(qtbot, datetime_input, "2026-12-18 25:00")
    assert datetime_input.value() is None
    assert datetime_input.error() == "检查开始时间：没有 25 点（小时为 0—23）（未采用）"


def test_clearing_the_text_empties_the_field(qtbot: QtBot, date_input: DateInput) -> None:
    date_input.set_value(dt.date(2026, 3, 20))
    date_input.line.setFocus()
    date_input.line.selectAll()
    qtbot.keyClick(date_input.line, Qt.Key.Key_Delete)
    with qtbot.waitSignal(date_input.value_changed):
        qtbot.keyClick(date_input.line, Qt.Key.Key_Return)
    assert date_input.value() is None and date_input.error() is None


def test_the_calendar_opens_on_today_when_empty_and_on_the_value_otherwise(
    qtbot: QtBot, date_input: DateInput
) -> None:
    qtbot.mouseClick(date_input.calendar_button, Qt.MouseButton.LeftButton)
    calendar = date_input.popup.calendar
    assert date_input.popup.isVisible()
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 3)  # not 一月 2000
    date_input.popup.hide()

    date_input.set_value(dt.date(2027, 8, 9))
    qtbot.keyClick(date_input.line, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert date_input.popup.isVisible()
    assert (calendar.yearShown(), calendar.monthShown()) == (2027, 8)
    assert calendar.selectedDate().toPython() == dt.date(2027, 8, 9)


def test_the_calendar_opens_on_the_day_just_typed_without_leaving_the_field(
    qtbot: QtBot, date_input: DateInput
) -> None:
    # Found under Xvfb: typing "11-23" and clicking the calendar button (which takes no focus) opened
    # the calendar on today, the typed text not yet read.
    type_into(qtbot, date_input, "11-23", enter=False)
    qtbot.mouseClick(date_input.calendar_button, Qt.MouseButton.LeftButton)
    calendar = date_input.popup.calendar
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 11)
    assert calendar.selectedDate().toPython() == dt.date(2026, 11, 23)
    assert date_input.value() == dt.date(2026, 11, 23)
    date_input.popup.hide()


def test_arrow_keys_step_from_the_day_just_typed(qtbot: QtBot, date_input: DateInput) -> None:
    date_input.set_value(dt.date(2026, 3, 20))
    type_into(qtbot, date_input, "2026-12-18", enter=False)
    qtbot.keyClick(date_input.line, Qt.Key.Key_Down)
    assert date_input.value() == dt.date(2026, 12, 17)  # not 2026-03-19: the typed day is not thrown away


def test_the_calendar_heading_reads_as_a_chinese_date(qtbot: QtBot, date_input: DateInput) -> None:
    # Qt lays it out 十二月 2026; a Chinese date reads 2026年 12月, after paging and typing a year too.
    date_input.set_value(dt.date(2026, 12, 18))
    date_input.open_calendar()
    popup = date_input.popup
    year, month = popup.year_button, popup.month_button
    assert year is not None and month is not None
    assert (year.text(), month.text()) == ("2026年", "12月") and year.x() < month.x()
    popup.calendar.showNextMonth()
    assert (year.text(), month.text()) == ("2027年", "1月")
    qtbot.mouseClick(year, Qt.MouseButton.LeftButton)
    year_edit = popup.calendar.findChild(QSpinBox, "qt_calendar_yearedit")
    assert isinstance(year_edit, QSpinBox)
    year_edit.setValue(2025)
    qtbot.keyClick(year_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: year.text() == "2025年", timeout=1000)
    assert month.text() == "1月"


def test_a_day_picked_in_the_calendar_keeps_the_typed_time(qtbot: QtBot, datetime_input: DateInput) -> None:
    type_into(qtbot, datetime_input, "2026-03-02 08:45")
    datetime_input.open_calendar()
    with qtbot.waitSignal(datetime_input.value_changed):
        datetime_input.popup.calendar.clicked.emit(datetime_input.popup.calendar.selectedDate().addDays(3))
    assert datetime_input.value() == dt.datetime(2026, 3, 5, 8, 45)
    assert not datetime_input.popup.isVisible()


def test_arrow_keys_step_a_day(qtbot: QtBot, date_input: DateInput) -> None:
    date_input.set_value(dt.date(2026, 2, 28))
    qtbot.keyClick(date_input.line, Qt.Key.Key_Up)
    assert date_input.value() == dt.date(2026, 3, 1)
    qtbot.keyClick(date_input.line, Qt.Key.Key_Down)
    qtbot.keyClick(date_input.line, Qt.Key.Key_Down)
    assert date_input.value() == dt.date(2026, 2, 27)


def test_read_only_input_takes_no_typing_and_has_no_calendar(qtbot: QtBot, date_input: DateInput) -> None:
    date_input.set_value(dt.date(2026, 3, 20))
    date_input.set_read_only(True)
    qtbot.keyClicks(date_input.line, "20261218")
    qtbot.keyClick(date_input.line, Qt.Key.Key_Up)
    assert date_input.value() == dt.date(2026, 3, 20)
    assert not date_input.calendar_button.isVisible()


# ---- the input where the app takes dates --------------------------------------------------------
def test_no_section_editor_is_left_for_dates_anywhere_in_the_ui() -> None:
    """QDateEdit appended typed digits to 未填写 and opened on 2000: every date goes through DateInput."""
    offenders = [
        f"{path.relative_to(UI)}: {name}"
        for path in UI.rglob("*.py")
        for name in re.findall(r"\b(QDateEdit|QDateTimeEdit|QTimeEdit)\b", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.fixture
def editor(qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context) -> InspectionEditor:
    add_subjects(set_up_ctx, ["临沂市金源家超市有限公司"])
    widget = InspectionEditor(set_up_ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    widget.open_inspection(inspections.new_inspection(set_up_ctx))
    return widget


def test_the_rectify_deadline_is_typed_and_saved(
    qtbot: QtBot, editor: InspectionEditor, set_up_ctx: Context
) -> None:
    editor.outcome.radios[Outcome.RECTIFY].click()
    deadline = editor.outcome.deadline_edit
    assert deadline.isVisible() and deadline.line.text() == ""
    deadline.open_calendar()
    assert (deadline.popup.calendar.yearShown(), deadline.popup.calendar.monthShown()) == (2026, 3)
    deadline.popup.hide()
    type_into(qtbot, deadline, "20260316")
    assert deadline.line.text() == "2026-03-16"
    type_into(qtbot, editor.form.start_edit, "2026-03-02 09:30")
    assert editor.save_now()
    draft = inspections.load_inspection(set_up_ctx, editor.inspection_id).draft
    assert draft.rectify_deadline == dt.date(2026, 3, 16)
    assert draft.start_at == dt.datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)


def test_completing_over_a_refused_date_is_refused(qtbot: QtBot, editor: InspectionEditor) -> None:
    editor.outcome.radios[Outcome.RECTIFY].click()
    type_into(qtbot, editor.outcome.deadline_edit, "2026-02-30", enter=False)
    assert editor.complete() is False
    assert "改正期限：2026年2月没有30日" in editor.problems_banner.text()
    assert editor.outcome.deadline_edit.error_label.isVisible()


def test_document_date_fields_are_typed(qtbot: QtBot, fk_app: QApplication) -> None:
    env = FormEnv(now=lambda: NOW)
    date_field = DateField(F.FieldDef("correction_deadline", "改正期限", F.FieldType.DATE), env)
    time_field = DateTimeField(F.FieldDef("start_at", "询问时间", F.FieldType.DATETIME), env)
    for widget in (date_field, time_field):
        qtbot.addWidget(widget)
        widget.show()
    date_field.set_value(None)
    with qtbot.waitSignal(date_field.edited):
        type_into(qtbot, date_field.edit, "12-18")
    assert date_field.value() == "2026-12-18"
    type_into(qtbot, time_field.edit, "2026/12/18 10:30")
    assert time_field.value() == "2026-12-18T10:30"
    qtbot.mouseClick(date_field.now_button, Qt.MouseButton.LeftButton)
    assert date_field.value() == "2026-03-02"
    qtbot.mouseClick(date_field.clear_button, Qt.MouseButton.LeftButton)
    assert date_field.value() is None


def test_a_date_cell_is_typed_and_an_impossible_one_stays_open_with_the_reason(
    qtbot: QtBot, fk_app: QApplication
) -> None:
    fd = F.FieldDef(
        "items",
        "物品",
        F.FieldType.TABLE,
        columns=(F.Column("name", "名称"), F.Column("made_on", "生产日期", F.FieldType.DATE)),
    )
    table = TableField(fd)
    qtbot.addWidget(table)
    table.resize(900, 300)
    table.show()
    table.set_value([{"name": "酱油"}])
    index = table.model.index(0, 1)
    table.view.setCurrentIndex(index)
    table.view.edit(index)
    editor = table.view.indexWidget(index) or table.view.focusWidget().parent()
    assert isinstance(editor, DateInput) and editor.line.text() == ""  # not pre-filled with today
    qtbot.keyClicks(editor.line, "20260230")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    assert editor.isVisible() and editor.error() is not None and "2月没有30日" in editor.error()
    assert table.value() == [{"name": "酱油"}]  # nothing written
    editor.line.selectAll()
    qtbot.keyClicks(editor.line, "20260215")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    assert table.value() == [{"name": "酱油", "made_on": "2026-02-15"}]


@pytest.fixture
def inspection(set_up_ctx: Context) -> uuid.UUID:
    (subject,) = add_subjects(set_up_ctx, ["临沂市金源家超市有限公司"])
    return inspections.new_inspection(set_up_ctx, subject)  # type: ignore[arg-type]


def test_the_measure_date_is_typed_and_a_refused_one_is_not_saved(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, inspection: uuid.UUID
) -> None:
    dialog = MeasureDialog(set_up_ctx, inspection, place="兰山区人民路18号")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_kind(MeasureKind.PRESERVATION)
    assert dialog.date_edit.value() == dt.date(2026, 3, 2)
    type_into(qtbot, dialog.date_edit, "20260227")
    assert dialog.build_draft().decided_on == dt.date(2026, 2, 27)
    type_into(qtbot, dialog.date_edit, "2026-02-30")
    dialog.goods_model.setData(dialog.goods_model.index(0, 0), "酱油")
    dialog.goods_model.setData(dialog.goods_model.index(0, 1), "1")
    assert dialog.save() is False
    assert measures.list_measures(set_up_ctx, inspection) == []
    assert "决定日期：2026年2月没有30日" in dialog.date_edit.error_label.text()


def test_the_evidence_time_is_typed(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, inspection: uuid.UUID
) -> None:
    dialog = EvidenceItemDialog(set_up_ctx, inspection, name="进货单据")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.collected_at_edit.value() == NOW
    type_into(qtbot, dialog.collected_at_edit, "3-1 16:20")
    assert dialog.save()
    assert dialog.saved_id is not None
    (item,) = [i for i in evidence.list_evidence(set_up_ctx, inspection) if i.id == dialog.saved_id]
    assert item.draft.collected_at == dt.datetime(2026, 3, 1, 16, 20, tzinfo=SHANGHAI)
