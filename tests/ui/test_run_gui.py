"""run_gui, the real start-up path: one instance per data dir, a clean quit ends the session."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from fieldkit.services import access
from fieldkit.services.context import Context
from fieldkit.services.recovery import MARKER
from fieldkit.ui.app import acquire_instance_lock, run_gui
from fieldkit.ui.dialogs.password_dialog import PasswordDialog
from fieldkit.ui.login_dialog import LoginDialog
from tests.rawdb import TEST_PASSWORD


@pytest.fixture(autouse=True)
def keep_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """run_gui installs its crash hooks; put pytest's back afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)


def close_soon(kind: type, seen: list[str]) -> None:
    def close() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                seen.append(widget.windowTitle() if kind is QMainWindow else widget.text())  # type: ignore[attr-defined]
                widget.close()
                return
        QTimer.singleShot(50, close)

    QTimer.singleShot(300, close)


def log_in_soon(password: str = TEST_PASSWORD) -> None:
    """Answer the login dialog run_gui shows for a protected store, as an officer would."""

    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, LoginDialog) and widget.isVisible():
                widget.form.password_edit.setText(password)
                widget.form.submit()
                return
        QTimer.singleShot(50, answer)

    QTimer.singleShot(100, answer)


def test_clean_quit_ends_the_session(fk_app: QApplication, set_up_ctx: Context) -> None:
    admin = access.officer_id_by_cert(set_up_ctx, "37130219001")
    access.set_password(set_up_ctx, admin, TEST_PASSWORD)
    set_up_ctx.sessions.kw["bind"].dispose()
    seen: list[str] = []
    log_in_soon()
    close_soon(QMainWindow, seen)
    assert run_gui(set_up_ctx.data_dir) == 0
    assert seen == ["FieldKit 现场执法助手"]
    assert not (set_up_ctx.data_dir / MARKER).exists()  # nothing to recover next time
    lock = acquire_instance_lock(set_up_ctx.data_dir)  # released on exit
    assert lock is not None
    lock.unlock()


def test_second_instance_says_so_in_chinese_and_exits(fk_app: QApplication, set_up_ctx: Context) -> None:
    first = acquire_instance_lock(set_up_ctx.data_dir)
    assert first is not None
    seen: list[str] = []
    close_soon(QMessageBox, seen)
    assert run_gui(set_up_ctx.data_dir) == 1
    assert seen and seen[0].startswith("FieldKit 已在运行")
    first.unlock()


def test_a_store_without_passwords_asks_for_one_before_the_window(
    fk_app: QApplication, set_up_ctx: Context
) -> None:
    """A store from a previous release (set up, converted, no password yet): the 设置登录密码 dialog
    comes first and cannot be skipped; 退出 quits without showing any data."""
    seen: list[str] = []

    def quit_dialog() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, PasswordDialog) and widget.isVisible():
                seen.append(widget.windowTitle())
                widget.reject()
                return
            if isinstance(widget, QMainWindow) and widget.isVisible():
                seen.append("main window")
                widget.close()
                return
        QTimer.singleShot(50, quit_dialog)

    QTimer.singleShot(100, quit_dialog)
    assert run_gui(set_up_ctx.data_dir) == 0
    assert seen == ["设置登录密码"]
    assert not access.is_protected(set_up_ctx.data_dir)
