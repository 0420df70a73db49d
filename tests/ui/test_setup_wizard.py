"""The first-run wizard, filled in through its widgets, stores the agency, officers and device code."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot

from fieldkit.services.context import Context
from fieldkit.services.setup import is_set_up, load_settings
from fieldkit.ui.dialogs.setup_wizard import SetupWizard
from tests.ui.conftest import fill_admin
from tests.ui.keys import type_text


def fill_agency(qtbot: QtBot, wizard: SetupWizard) -> None:
    form = wizard.agency_page.form
    type_text(form.full_name, "临沂市兰山区市场监督管理局")
    type_text(form.short_name, "兰")
    type_text(form.government, "临沂市兰山区人民政府")
    type_text(form.unit, "综合行政执法大队")
    type_text(form.phone, "0539-8123456")


def fill_officers(wizard: SetupWizard) -> None:
    model = wizard.officers_page.model
    for row, (name, cert) in enumerate([("张建国", "37130219001"), ("王喆", "37130219003")]):
        model.setData(model.index(row, 0), name)
        model.setData(model.index(row, 1), cert)
        model.setData(model.index(row, 2), "综合行政执法大队")


def test_wizard_stores_settings(qtbot: QtBot, fk_app: QApplication, ctx: Context) -> None:
    wizard = SetupWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.agency_page.form.example.text() == "文号示例：某市监现笔〔2026〕A1-1号"
    fill_agency(qtbot, wizard)
    assert wizard.agency_page.form.example.text() == "文号示例：兰市监现笔〔2026〕A1-1号"
    wizard.next()
    assert wizard.currentPage() is wizard.officers_page
    fill_officers(wizard)
    wizard.next()
    fill_admin(wizard)
    assert wizard.currentPage() is wizard.device_page
    qtbot.keyClicks(wizard.device_page.code_edit, "b7")
    assert wizard.device_page.example.text() == "文号示例：兰市监现笔〔2026〕B7-1号"
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert wizard.result() == QWizard.DialogCode.Accepted

    settings = load_settings(ctx)
    assert settings.agency.full_name == "临沂市兰山区市场监督管理局"
    assert settings.agency.government_name == "临沂市兰山区人民政府"
    assert [(o.name, o.cert_no) for o in settings.officers] == [
        ("张建国", "37130219001"),
        ("王喆", "37130219003"),
    ]
    assert settings.device_code == "B7"


def test_bad_input_is_refused_inline_in_chinese(qtbot: QtBot, fk_app: QApplication, ctx: Context) -> None:
    wizard = SetupWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()  # nothing typed: stays, with the problems under the fields
    assert wizard.currentPage() is wizard.agency_page
    assert "执法机关全称：必填" in wizard.agency_page.form.errors.label("agency.full_name").text()
    assert wizard.agency_page.form.errors.label("agency.full_name").isVisible()
    fill_agency(qtbot, wizard)
    wizard.next()

    only_one = wizard.officers_page.model
    only_one.setData(only_one.index(0, 0), "张建国")
    only_one.setData(only_one.index(0, 1), "37130219001")
    wizard.next()
    assert wizard.currentPage() is wizard.officers_page
    assert "至少登记两名" in wizard.officers_page.errors.text()
    fill_officers(wizard)
    wizard.next()
    fill_admin(wizard)

    type_text(wizard.device_page.code_edit, "一号机")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    label = wizard.device_page.field_errors.label("device_code")
    assert label.isVisible()
    assert label.text().startswith("本机编号：须为 2–6 位大写字母或数字")
    assert not is_set_up(ctx)


def test_wizard_buttons_are_chinese(qtbot: QtBot, fk_app: QApplication, ctx: Context) -> None:
    wizard = SetupWizard(ctx)
    qtbot.addWidget(wizard)
    texts = [
        wizard.buttonText(b) for b in (QWizard.WizardButton.NextButton, QWizard.WizardButton.CancelButton)
    ]
    assert texts == ["下一步(&N) >", "取消"]
    assert QApplication.translate("QWizard", "&Next") != "&Next"  # qtbase_zh_CN is installed


def test_the_wizard_on_a_half_set_up_data_dir_lists_the_changes_and_asks(
    qtbot: QtBot, fk_app: QApplication, ctx: Context
) -> None:
    """A data dir whose agency was saved but whose device code is missing shows the wizard again:
    finishing it says what it would change and saves nothing unless confirmed (issue 10 item 7)."""
    from fieldkit.services.context import set_meta
    from fieldkit.services.setup import run_setup
    from fieldkit.ui.dialogs.setup_confirm_dialog import SetupConfirmDialog
    from tests.conftest import TEST_AGENCY, TEST_OFFICERS

    run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "A1")
    with ctx.sessions.begin() as session:
        set_meta(session, "device_code", None)
    assert not is_set_up(ctx)
    wizard = SetupWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    fill_agency(qtbot, wizard)
    wizard.agency_page.form.short_name.setText("临兰")
    wizard.next()
    fill_officers(wizard)
    wizard.next()
    fill_admin(wizard)
    type_text(wizard.device_page.code_edit, "B7")
    seen: list[str] = []

    def answer(accept: bool) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SetupConfirmDialog)
        seen.append(dialog.changes_label.text())
        dialog.accept() if accept else dialog.reject()

    QTimer.singleShot(0, lambda: answer(False))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert "文号机关简称：「兰」→「临兰」" in seen[0]
    assert not is_set_up(ctx) and wizard.currentPage() is wizard.device_page
    QTimer.singleShot(0, lambda: answer(True))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    settings = load_settings(ctx)
    assert (settings.agency.short_name, settings.device_code) == ("临兰", "B7")
