"""Login, lock screen, switch of officer and role gating in the GUI (issue 13.1, 13.2), on real stores."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from fieldkit.domain.access import Role
from fieldkit.services import access, inspections
from fieldkit.services.context import Context, open_context
from fieldkit.services.setup import run_setup
from fieldkit.store.schema import AuditRow
from fieldkit.ui.app import start_main_window
from fieldkit.ui.dialogs.password_dialog import PasswordDialog, PasswordMode
from fieldkit.ui.login_dialog import LoginDialog
from fieldkit.ui.main_window import MainWindow
from fieldkit.ui.widgets.lock_screen import LockScreen
from fieldkit.ui.widgets.settings_page import SettingsPage
from tests.conftest import TEST_AGENCY, TEST_OFFICERS, Clock
from tests.rawdb import TEST_PASSWORD
from tests.ui.keys import type_text

HALF_TYPED = "冷藏柜温度显示 12℃，当事人赵喆堃称　已报"
LI_PASSWORD = "li-xiaomei-2026"


def protect(ctx: Context) -> dict[str, str]:
    """张建国 管理员 (the first password), 李晓梅 执法人员 with her own password; name → officer id."""
    ids = {o.name: access.officer_id_by_cert(ctx, o.cert_no) for o in TEST_OFFICERS}
    access.set_password(ctx, ids["张建国"], TEST_PASSWORD)
    access.set_password(ctx, ids["李晓梅"], LI_PASSWORD)
    return ids


@pytest.fixture
def data_dir(tmp_path: Path, clock: Clock) -> Path:
    ctx = open_context(tmp_path / "data", clock=clock)
    run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "A1")
    protect(ctx)
    ctx.sessions.kw["bind"].dispose()
    return ctx.data_dir


def login(data_dir: Path, clock: Clock, name: str = "张建国", password: str = TEST_PASSWORD) -> Context:
    return open_context(data_dir, clock=clock, credentials=access.PasswordLogin(name, password))


def window_for(qtbot: QtBot, ctx: Context) -> MainWindow:
    window = start_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def audit_actions(ctx: Context) -> list[tuple[str, str]]:
    with ctx.sessions() as session:
        return [(r.action, r.actor) for r in session.scalars(select(AuditRow).order_by(AuditRow.seq))]


# ---- the login dialog ------------------------------------------------------------------------------
def test_the_login_dialog_refuses_a_wrong_password_and_opens_with_the_right_one(
    qtbot: QtBot, fk_app: QApplication, data_dir: Path
) -> None:
    dialog = LoginDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.form
    names = [form.officer_combo.itemText(i) for i in range(form.officer_combo.count())]
    assert sorted(names) == ["张建国", "李晓梅"]  # only officers with a password here; 王喆 has none
    form.officer_combo.setCurrentIndex(names.index("张建国"))
    assert form.password_edit.echoMode() == form.password_edit.EchoMode.Password
    type_text(form.password_edit, "not-the-password")
    qtbot.keyClick(form.password_edit, Qt.Key.Key_Return)
    assert dialog.ctx is None and dialog.isVisible()
    assert form.message.text() == "张建国的密码不对：请注意大小写和输入法后重新输入"
    assert form.password_edit.text() == ""  # typed again from scratch
    type_text(form.password_edit, TEST_PASSWORD)
    qtbot.keyClick(form.password_edit, Qt.Key.Key_Return)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.ctx is not None and dialog.ctx.actor == "张建国" and dialog.ctx.login.role is Role.ADMIN
    assert audit_actions(dialog.ctx)[-2:] == [("login_failed", "（未登录）"), ("login", "张建国")]


def test_too_many_wrong_passwords_make_the_button_wait_and_say_how_long(
    qtbot: QtBot, fk_app: QApplication, data_dir: Path
) -> None:
    dialog = LoginDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.form
    form.officer_combo.setCurrentIndex(form.officer_combo.findText("李晓梅"))
    for _ in range(3):  # throttle.FREE_TRIES
        form.password_edit.setText("wrong-wrong")
        assert not form.submit()
    assert not form.button.isEnabled() and form.waiting()
    assert "密码错误次数过多：请 5 秒后再试" in form.message.text()
    assert "李晓梅的密码不对" in form.message.text()
    form.password_edit.setText(LI_PASSWORD)
    assert not form.submit() and dialog.ctx is None  # not even tried while waiting
    # Another officer has their own count: choosing them lifts the wait.
    form.officer_combo.setCurrentIndex(form.officer_combo.findText("张建国"))
    assert form.button.isEnabled() and not form.message.isVisible()
    # The wait survives closing the dialog: a new one shows it at once, counting down.
    again = LoginDialog(data_dir)
    qtbot.addWidget(again)
    again.form.officer_combo.setCurrentIndex(again.form.officer_combo.findText("李晓梅"))
    assert not again.form.button.isEnabled() and "秒后再试" in again.form.message.text()


def test_esc_quits_the_login(qtbot: QtBot, fk_app: QApplication, data_dir: Path) -> None:
    dialog = LoginDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.form.password_edit, Qt.Key.Key_Escape)
    assert dialog.result() == LoginDialog.DialogCode.Rejected and dialog.ctx is None


# ---- the lock screen --------------------------------------------------------------------------------
def test_lock_and_unlock_keep_a_half_typed_record(
    qtbot: QtBot, fk_app: QApplication, data_dir: Path, clock: Clock
) -> None:
    ctx = login(data_dir, clock)
    window = window_for(qtbot, ctx)
    assert window.officer_label.text() == "登录人员：张建国（管理员）"
    assert window.operator_combo.isHidden() and window.lock_button.isVisibleTo(window)
    editor = window.new_inspection()
    assert editor is not None and editor.inspection_id is not None
    editor.outcome.findings_edit.setFocus()
    type_text(editor.outcome.findings_edit, HALF_TYPED)

    assert window.lock("manual")
    # Saved before anything was hidden, and nothing of the window shows: only the lock screen.
    assert inspections.load_inspection(ctx, editor.inspection_id).draft.findings == HALF_TYPED
    cover = LockScreen.of(window)
    assert cover is not None and cover.isVisible() and cover.geometry() == window.rect()
    assert not window.centralWidget().isVisible() and not window.menuBar().isVisible()
    assert not window.statusBar().isVisible()
    assert not window.new_action.isEnabled()  # Ctrl+N does nothing behind the lock
    assert cover.form.officer_combo.currentText() == "张建国"
    type_text(cover.form.password_edit, "wrong-password")
    qtbot.keyClick(cover.form.password_edit, Qt.Key.Key_Return)
    assert window.lock_controller.is_locked() and "密码不对" in cover.form.message.text()
    type_text(cover.form.password_edit, TEST_PASSWORD)
    qtbot.keyClick(cover.form.password_edit, Qt.Key.Key_Return)

    assert not window.lock_controller.is_locked() and not cover.isVisible()
    assert window.centralWidget().isVisible() and window.new_action.isEnabled()
    assert editor.outcome.findings_edit.toPlainText() == HALF_TYPED
    type_text(editor.outcome.findings_edit, "修")  # typing goes on where it stopped
    editor.autosaver.save_now()
    assert inspections.load_inspection(ctx, editor.inspection_id).draft.findings == HALF_TYPED + "修"
    actions = audit_actions(ctx)
    assert ("lock", "张建国") in actions and ("unlock", "张建国") in actions


def test_another_officer_switches_in_at_the_lock_screen(
    qtbot: QtBot, fk_app: QApplication, data_dir: Path, clock: Clock
) -> None:
    ctx = login(data_dir, clock)
    window = window_for(qtbot, ctx)
    qtbot.mouseClick(window.switch_button, Qt.MouseButton.LeftButton)
    cover = LockScreen.of(window)
    assert cover is not None and cover.reason_label.text() == "请选择要切换到的执法人员并输入其密码"
    cover.form.officer_combo.setCurrentIndex(cover.form.officer_combo.findText("李晓梅"))
    type_text(cover.form.password_edit, LI_PASSWORD)
    qtbot.keyClick(cover.form.password_edit, Qt.Key.Key_Return)
    assert not window.lock_controller.is_locked()
    assert ctx.actor == "李晓梅" and ctx.login.role is Role.OFFICER
    assert window.officer_label.text() == "登录人员：李晓梅（执法人员）"
    assert audit_actions(ctx)[-1] == ("unlock", "李晓梅")
    # The switch reaches the pages already built: 设置 is read-only for her now.
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage) and not page.save_button.isEnabled()


def test_idle_time_locks_the_window(qtbot: QtBot, fk_app: QApplication, data_dir: Path, clock: Clock) -> None:
    ctx = login(data_dir, clock)
    window = window_for(qtbot, ctx)
    controller = window.lock_controller
    assert controller.idle.interval_ms == 5 * 60_000  # the default, AUTO_LOCK_DEFAULT_MINUTES
    controller.idle.set_interval(150)
    controller.idle.start()
    with qtbot.waitSignal(controller.locked, timeout=3000) as blocker:
        pass
    assert blocker.args == ["idle"] and controller.is_locked()
    cover = LockScreen.of(window)
    assert cover is not None and cover.reason_label.text() == "无操作时间已到，已自动锁定"
    assert ("lock", "张建国") in audit_actions(ctx)


def test_input_keeps_the_idle_timer_from_locking(
    qtbot: QtBot, fk_app: QApplication, data_dir: Path, clock: Clock
) -> None:
    ctx = login(data_dir, clock)
    window = window_for(qtbot, ctx)
    controller = window.lock_controller
    controller.idle.set_interval(400)
    controller.idle.start()
    for _ in range(6):  # a key every 100 ms for 600 ms: longer than the interval, never idle for it
        qtbot.keyClick(window, Qt.Key.Key_Shift)
        qtbot.wait(100)
    assert not controller.is_locked()
    qtbot.waitUntil(controller.is_locked, timeout=3000)


def test_a_dialog_open_when_locking_is_covered_too(
    qtbot: QtBot, fk_app: QApplication, data_dir: Path, clock: Clock
) -> None:
    ctx = login(data_dir, clock)
    window = window_for(qtbot, ctx)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    dialog = page.open_my_password_dialog()
    assert dialog is not None and dialog.isVisible()
    assert window.lock("manual")
    dialog_cover = LockScreen.of(dialog)
    assert dialog_cover is not None and dialog_cover.isVisible()
    assert dialog.isVisible()  # not closed: what was typed in it stays
    # The dialog is window-modal, so its own cover takes the password.
    type_text(dialog_cover.form.password_edit, TEST_PASSWORD)
    qtbot.keyClick(dialog_cover.form.password_edit, Qt.Key.Key_Return)
    assert not window.lock_controller.is_locked() and not dialog_cover.isVisible()
    assert dialog.isVisible()


def test_a_store_without_passwords_cannot_be_locked(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    window = window_for(qtbot, set_up_ctx)
    assert not window.operator_combo.isHidden() and window.lock_button.isHidden()
    assert not window.lock("manual")
    assert window.statusBar().currentMessage().startswith("本机还没有设置登录密码")


# ---- roles ----------------------------------------------------------------------------------------------
def test_a_non_admin_cannot_edit_settings_but_can_change_their_password(
    qtbot: QtBot, fk_app: QApplication, data_dir: Path, clock: Clock
) -> None:
    ctx = login(data_dir, clock, "李晓梅", LI_PASSWORD)
    window = window_for(qtbot, ctx)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    for control in (page.save_button, page.add_officer_button, page.auto_lock_button, page.auto_lock_spin):
        assert not control.isEnabled()
    assert page.save_button.toolTip() == "仅管理员可以修改设置：请由管理员登录后操作"
    assert page.add_officer_button.toolTip() == "仅管理员可以管理执法人员和密码：请由管理员登录后操作"
    assert not page.agency_form.isEnabled() and not page.device_edit.isEnabled()
    page.officer_table.selectRow(0)
    assert not page.password_button.isEnabled() and not page.edit_officer_button.isEnabled()
    exchange = window.show_page("exchange")
    assert not exchange.import_button.isEnabled()  # type: ignore[attr-defined]
    assert "仅办公室可以导入数据包" in exchange.import_button.toolTip()  # type: ignore[attr-defined]

    assert page.my_password_button.isEnabled()
    window.show_page("settings")
    dialog = page.open_my_password_dialog()
    assert dialog is not None
    dialog.old_edit.setText("not-mine")  # type: ignore[union-attr]
    dialog.fields.new_edit.setText("li-new-2026")
    dialog.fields.again_edit.setText("li-new-2026")
    assert not dialog.save() and "李晓梅的密码不对" in dialog.message.text()
    dialog.old_edit.setText(LI_PASSWORD)  # type: ignore[union-attr]
    dialog.fields.again_edit.setText("li-new-2027")
    assert not dialog.save() and dialog.message.text() == "两次输入的新密码不一致：请重新输入“再输一次”"
    dialog.fields.again_edit.setText("li-new-2026")
    assert dialog.save()
    ctx.sessions.kw["bind"].dispose()
    assert login(data_dir, clock, "李晓梅", "li-new-2026").actor == "李晓梅"


def test_an_admin_sets_a_password_and_role(
    qtbot: QtBot, fk_app: QApplication, data_dir: Path, clock: Clock
) -> None:
    ctx = login(data_dir, clock)
    window = window_for(qtbot, ctx)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage) and page.save_button.isEnabled()
    names = [page.officer_model.row_value(r).name for r in range(page.officer_model.rowCount())]  # type: ignore[union-attr]
    row = names.index("王喆")
    page.officer_table.selectRow(row)
    assert page.officer_model.index(row, 5).data() == "未设置"
    dialog = page.open_password_dialog()
    assert dialog is not None and dialog.role_combo is not None
    assert not dialog.save() and dialog.message.text() == "该执法人员在本机还没有密码：请设置新密码"
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findText("办公室"))
    dialog.fields.new_edit.setText("12345")
    dialog.fields.again_edit.setText("12345")
    assert not dialog.save() and dialog.message.text() == "新密码太短：数字 PIN 至少 6 位"
    dialog.fields.new_edit.setText("530627")
    dialog.fields.again_edit.setText("530627")
    assert dialog.save()
    assert page.officer_model.index(row, 4).data() == "办公室"
    assert page.officer_model.index(row, 5).data() == "已设置"
    ctx.sessions.kw["bind"].dispose()
    assert login(data_dir, clock, "王喆", "530627").login.role is Role.OFFICE


def test_the_auto_lock_minutes_are_saved_and_take_effect(
    qtbot: QtBot, fk_app: QApplication, data_dir: Path, clock: Clock
) -> None:
    from fieldkit.services.settings import load_local_settings

    ctx = login(data_dir, clock)
    window = window_for(qtbot, ctx)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage) and page.auto_lock_spin.value() == 5
    page.auto_lock_spin.setValue(12)
    assert page.save_auto_lock()
    assert load_local_settings(data_dir).auto_lock_minutes == 12
    assert window.lock_controller.idle.interval_ms == 12 * 60_000


# ---- a store converted from a previous release -------------------------------------------------------
def test_a_store_without_a_password_gets_one_before_anything_else(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    assert not access.is_protected(set_up_ctx.data_dir)
    dialog = PasswordDialog(set_up_ctx, PasswordMode.FIRST)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "数据已加密" in dialog.findChildren(type(dialog.message))[0].text()
    assert dialog.admin_combo is not None and dialog.admin_combo.currentText() == "张建国"
    dialog.admin_combo.setCurrentIndex(dialog.admin_combo.findText("李晓梅"))
    dialog.fields.new_edit.setText(TEST_PASSWORD)
    assert not dialog.save() and "不一致" in dialog.message.text()
    dialog.fields.again_edit.setText(TEST_PASSWORD)
    assert dialog.save() and dialog.result() == PasswordDialog.DialogCode.Accepted
    assert access.is_protected(set_up_ctx.data_dir)
    assert set_up_ctx.actor == "李晓梅" and set_up_ctx.login.role is Role.ADMIN


@pytest.fixture
def private_bus(fk_app: QApplication) -> Iterator[str]:
    """A D-Bus daemon of this test alone: logind's signals are sent on it as systemd would."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed")
    proc = subprocess.Popen(
        ["dbus-daemon", "--session", "--print-address=1", "--nofork"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait(10)


def test_system_suspend_and_screen_lock_lock_the_window(
    qtbot: QtBot, fk_app: QApplication, data_dir: Path, clock: Clock, private_bus: str
) -> None:
    from PySide6.QtDBus import QDBusConnection, QDBusMessage

    from fieldkit.ui.lock import LockController

    ctx = login(data_dir, clock)
    window = window_for(qtbot, ctx)
    bus = QDBusConnection.connectToBus(private_bus, "fieldkit-test-listener")
    controller = LockController(window, ctx, 5, save_all=window.save_all, system_bus=bus)
    assert controller.system.available
    logind = QDBusConnection.connectToBus(private_bus, "fieldkit-test-logind")
    assert logind.registerService("org.freedesktop.login1")
    qtbot.wait(100)
    sleep = QDBusMessage.createSignal(
        "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep"
    )
    sleep.setArguments([True])
    with qtbot.waitSignal(controller.locked, timeout=5000) as blocker:
        assert logind.send(sleep)
    assert blocker.args == ["suspend"]
    cover = LockScreen.of(window)
    assert cover is not None and cover.reason_label.text() == "系统休眠前已自动锁定"
    type_text(cover.form.password_edit, TEST_PASSWORD)
    qtbot.keyClick(cover.form.password_edit, Qt.Key.Key_Return)
    assert not controller.is_locked()
    # This session's Lock (the path logind gives is unknown here: any session's Lock is taken).
    screen = QDBusMessage.createSignal(
        "/org/freedesktop/login1/session/_31", "org.freedesktop.login1.Session", "Lock"
    )
    with qtbot.waitSignal(controller.locked, timeout=5000) as blocker:
        assert logind.send(screen)
    assert blocker.args == ["screen"]
    QDBusConnection.disconnectFromBus("fieldkit-test-listener")
    QDBusConnection.disconnectFromBus("fieldkit-test-logind")


def test_no_system_bus_leaves_the_idle_lock(qtbot: QtBot, fk_app: QApplication) -> None:
    from PySide6.QtCore import QObject
    from PySide6.QtDBus import QDBusConnection

    from fieldkit.ui.lock import SystemLockWatcher

    owner = QObject()
    nowhere = QDBusConnection.connectToBus("unix:path=/nonexistent/bus", "fieldkit-test-nowhere")
    assert not SystemLockWatcher(owner, nowhere).available
    QDBusConnection.disconnectFromBus("fieldkit-test-nowhere")


def test_a_read_only_store_locks_and_unlocks(qtbot: QtBot, fk_app: QApplication, tmp_path: Path) -> None:
    """A protected store on a medium that refuses writes (issue 11.6): nothing can be audited there,
    but the window still locks and the officer's password still opens it."""
    from tests.services.test_read_only_store import _mount

    where = tmp_path / "medium"
    if os.geteuid() != 0 or not _mount(where, "64m"):
        pytest.skip("a read-only tmpfs needs root")
    try:
        ctx = open_context(where / "data")
        run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "A1")
        protect(ctx)
        ctx.sessions.kw["bind"].dispose()
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        ctx = open_context(where / "data", credentials=access.PasswordLogin("张建国", TEST_PASSWORD))
        assert ctx.read_only and ctx.actor == "张建国"
        window = window_for(qtbot, ctx)
        assert window.lock("manual")
        cover = LockScreen.of(window)
        assert cover is not None
        type_text(cover.form.password_edit, "wrong-password")
        qtbot.keyClick(cover.form.password_edit, Qt.Key.Key_Return)
        assert window.lock_controller.is_locked() and "密码不对" in cover.form.message.text()
        type_text(cover.form.password_edit, TEST_PASSWORD)
        qtbot.keyClick(cover.form.password_edit, Qt.Key.Key_Return)
        assert not window.lock_controller.is_locked()
        window.close()
        ctx.sessions.kw["bind"].dispose()
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_an_admin_registers_the_office_recovery_key_and_it_opens_the_store(
    qtbot: QtBot, fk_app: QApplication, data_dir: Path, clock: Clock, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from fieldkit.bundle.keys import fingerprint, public_key_pem

    office = X25519PrivateKey.generate()
    pem = tmp_path / "单位恢复公钥.pem"
    pem.write_text(public_key_pem(office), encoding="ascii")
    li = login(data_dir, clock, "李晓梅", LI_PASSWORD)
    page = window_for(qtbot, li).show_page("settings")
    assert isinstance(page, SettingsPage)
    assert not page.recovery_button.isEnabled() and "管理员" in page.recovery_button.toolTip()
    assert page.recovery_state.text().startswith("未登记")

    ctx = login(data_dir, clock)
    page = window_for(qtbot, ctx).show_page("settings")
    assert isinstance(page, SettingsPage) and page.recovery_button.isEnabled()
    assert page.register_recovery_key(pem)
    assert page.recovery_state.text() == f"已登记（指纹 {fingerprint(office.public_key())[:16]}…）"
    assert audit_actions(ctx)[-1] == ("recovery_key", "张建国")
    recovered = open_context(data_dir, clock=clock, credentials=access.OfficeKeyLogin(office))
    assert recovered.login.how == "office_key"
