"""Autosave: typed text reaches the store without any button, by timer, focus change, page switch, close."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.services import inspections
from fieldkit.services.context import Context, get_meta
from fieldkit.ui.app import start_main_window
from fieldkit.ui.widgets.autosave import AUTOSAVE_MS
from fieldkit.ui.widgets.inspection_editor import InspectionEditor
from tests.ui.keys import type_text

TEXT = "冷藏柜温度显示 12℃，当事人赵喆堃称　已报修"  # with an ideographic space


def stored_findings(ctx: Context, editor: InspectionEditor) -> str:
    assert editor.inspection_id is not None
    return inspections.load_inspection(ctx, editor.inspection_id).draft.findings


def test_typing_is_saved_by_the_timer(qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context) -> None:
    editor = InspectionEditor(set_up_ctx)
    qtbot.addWidget(editor)
    editor.show()
    editor.open_inspection(inspections.new_inspection(set_up_ctx))
    type_text(editor.outcome.findings_edit, TEXT)
    assert stored_findings(set_up_ctx, editor) == ""  # not yet: saving waits for a pause
    with qtbot.waitSignal(editor.autosaved, timeout=AUTOSAVE_MS + 1000):
        pass
    assert stored_findings(set_up_ctx, editor) == TEXT
    assert editor.saved_label.text().startswith("已自动保存 ")


def test_focus_change_saves_at_once(qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context) -> None:
    editor = InspectionEditor(set_up_ctx)
    qtbot.addWidget(editor)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.open_inspection(inspections.new_inspection(set_up_ctx))
    editor.form.place_edit.setFocus()
    qtbot.waitUntil(editor.form.place_edit.hasFocus)
    type_text(editor.form.place_edit, "兰山区人民路18号（后门）")
    assert inspections.load_inspection(set_up_ctx, editor.inspection_id).draft.place == ""  # type: ignore[arg-type]
    editor.outcome.findings_edit.setFocus()  # Tab or a click elsewhere
    assert (
        inspections.load_inspection(set_up_ctx, editor.inspection_id).draft.place
        == "兰山区人民路18号（后门）"
    )  # type: ignore[arg-type]


def test_switching_pages_and_closing_save(qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context) -> None:
    window = start_main_window(set_up_ctx)
    qtbot.addWidget(window)
    window.show()
    editor = window.new_inspection()
    assert editor is not None and editor.inspection_id is not None
    inspection_id = editor.inspection_id
    with set_up_ctx.sessions() as session:
        assert get_meta(session, "open_inspection") == str(inspection_id)

    type_text(editor.outcome.findings_edit, "第一段")
    window.show_page("dashboard")
    assert stored_findings(set_up_ctx, editor) == "第一段"
    assert window.statusBar().currentMessage().startswith("已自动保存 ")

    window.show_page("inspections")
    type_text(editor.outcome.findings_edit, "，第二段")
    window.close()
    assert inspections.load_inspection(set_up_ctx, inspection_id).draft.findings == "第一段，第二段"
    with set_up_ctx.sessions() as session:
        assert get_meta(session, "open_inspection") is None  # a clean close is nothing to recover


def test_reopening_the_open_draft_keeps_an_unsaved_edit(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    editor = InspectionEditor(set_up_ctx)
    qtbot.addWidget(editor)
    inspection_id = inspections.new_inspection(set_up_ctx)
    editor.open_inspection(inspection_id)
    type_text(editor.outcome.findings_edit, TEXT)
    editor.open_inspection(inspection_id)  # e.g. a click on it in the dashboard before the timer fired
    assert editor.outcome.findings_edit.toPlainText() == TEXT
    assert stored_findings(set_up_ctx, editor) == TEXT
