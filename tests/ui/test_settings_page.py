"""The settings page never rewrites this laptop's identity silently: it lists the changes and asks."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.services.context import Context
from fieldkit.services.setup import load_settings, number_series_history
from fieldkit.ui.widgets.settings_page import SettingsPage
from tests.services.test_setup import issue_number


def open_page(qtbot: QtBot, ctx: Context) -> SettingsPage:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 640)
    page.show()
    page.load()
    return page


def test_saving_shows_the_changes_and_waits_for_confirmation(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    page = open_page(qtbot, set_up_ctx)
    page.device_edit.setText("A2")
    page.agency_form.phone.setText("0539-8000000")
    page.save_button.click()
    dialog = page.confirm_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.changes_label.text().splitlines() == [
        "• 联系电话：「0539-8123456」→「0539-8000000」",
        "• 本机编号：「A1」→「A2」",
    ]
    assert not dialog.series_label.isVisible() and dialog.ok_button.text() == "保存修改"
    assert load_settings(set_up_ctx).device_code == "A1"  # nothing saved before 确认
    dialog.reject()
    assert load_settings(set_up_ctx).device_code == "A1"
    page.save_button.click()
    page.confirm_dialog.ok_button.click()
    assert load_settings(set_up_ctx).device_code == "A2" and page.message.text() == "设置已保存。"


def test_unchanged_settings_say_so_without_a_dialog(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    page = open_page(qtbot, set_up_ctx)
    page.save_button.click()
    assert page.confirm_dialog is None and page.message.text() == "设置没有变化。"


def test_after_a_number_the_identity_changes_only_as_an_explicit_new_series(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    number = issue_number(set_up_ctx)
    page = open_page(qtbot, set_up_ctx)
    page.agency_form.short_name.setText("临兰")
    page.save_button.click()
    dialog = page.confirm_dialog
    assert dialog is not None
    dialog.grab().save(str(tmp_path / "setup_confirm.png"))
    assert dialog.series_label.isVisible() and "本机已开具 1 个文号" in dialog.series_label.text()
    assert dialog.ok_button.text() == "开始新的文号序列并保存" and not dialog.ok_button.isDefault()
    dialog.ok_button.click()
    assert load_settings(set_up_ctx).agency.short_name == "临兰"
    assert number_series_history(set_up_ctx)[0]["short_name"] == "兰"
    assert number.startswith("兰市监")
