"""Officer, password, message and button: the login dialog's and the lock screen's form (issue 13.1, 13.2).

The form does not know what a login opens: it is given `attempt(officer_id, password)`, which raises
WrongPassword or TooSoon (vault/errors.py) or another FieldkitError, and returns when the password is
right. Wrong tries slow down (vault/throttle.py): while the officer chosen must wait, the button is off
and the message counts the seconds down.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError
from fieldkit.services import access
from fieldkit.ui import strings
from fieldkit.ui.theme import set_role
from fieldkit.vault.errors import TooSoon, WrongPassword


class LoginForm(QWidget):
    logged_in = Signal(str)  # the officer id that logged in

    def __init__(
        self,
        data_dir: Path,
        attempt: Callable[[str, str], None],
        *,
        button_text: str = strings.LOGIN_BUTTON,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._attempt = attempt
        self._wait_until = 0.0  # time.monotonic() when the chosen officer may try again
        self._wrong_line = ""  # kept above the countdown: why the officer waits
        self.officer_combo = QComboBox()
        self.officer_combo.setMinimumWidth(220)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(strings.LOGIN_PASSWORD_PH)
        self.password_edit.setMinimumWidth(220)
        self.message = QLabel()
        self.message.setWordWrap(True)
        set_role(self.message, "error")
        self.message.hide()
        self.button = QPushButton(button_text)
        self.button.setProperty("primary", True)
        # Enter in the password field logs in (returnPressed); a dialog's default button would click a
        # second time on the same key and overwrite "密码不对" with "请输入密码".
        self.button.setAutoDefault(False)
        self.wait_timer = QTimer(self)
        self.wait_timer.setInterval(1000)
        self.wait_timer.timeout.connect(self._on_wait_timer_timeout)

        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        form.addRow(strings.LOGIN_OFFICER, self.officer_combo)
        form.addRow(strings.LOGIN_PASSWORD, self.password_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.password_edit.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)
        self.officer_combo.currentIndexChanged.connect(self._on_officer_combo_changed)

    # ---- choices ----------------------------------------------------------------------------------
    def set_choices(self, choices: list[access.LoginChoice], current: str | None = None) -> None:
        """The officers who can log in; `current` (an officer id) is chosen first."""
        self.officer_combo.blockSignals(True)
        self.officer_combo.clear()
        for choice in choices:
            self.officer_combo.addItem(choice.name, choice.officer_id)
        index = self.officer_combo.findData(current) if current else -1
        self.officer_combo.setCurrentIndex(max(index, 0) if choices else -1)
        self.officer_combo.blockSignals(False)
        if not choices:
            self._show(strings.LOGIN_NONE_HERE)
            self.button.setEnabled(False)
            return
        self._on_officer_combo_changed()

    def officer_id(self) -> str:
        return str(self.officer_combo.currentData() or "")

    def focus_password(self) -> None:
        self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- logging in -------------------------------------------------------------------------------
    def submit(self) -> bool:
        """Try the password (Enter or the button). True when it was right (logged_in was emitted)."""
        if self.waiting():
            return False
        officer_id, password = self.officer_id(), self.password_edit.text()
        if not officer_id:
            self._show(strings.LOGIN_NO_OFFICER)
            return False
        if not password:
            self._show(strings.LOGIN_EMPTY)
            self.focus_password()
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # argon2id takes a moment, by design
        try:
            self._attempt(officer_id, password)
        except TooSoon as exc:
            self._wrong_line = ""
            self._start_wait(exc.wait_seconds)
            return False
        except WrongPassword:
            self.password_edit.clear()
            self._wrong_line = strings.login_wrong(self.officer_combo.currentText())
            wait = access.wait_seconds(self._data_dir, officer_id)
            if wait > 0:
                self._start_wait(wait)
            else:
                self._show(self._wrong_line)
            self.focus_password()
            return False
        except FieldkitError as exc:
            self._show(str(exc))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.password_edit.clear()
        self._wrong_line = ""
        self.message.hide()
        self.logged_in.emit(officer_id)
        return True

    def waiting(self) -> bool:
        return self._wait_until > time.monotonic()

    def seconds_to_wait(self) -> float:
        return max(0.0, self._wait_until - time.monotonic())

    def _start_wait(self, seconds: float) -> None:
        self._wait_until = time.monotonic() + seconds
        self.button.setEnabled(False)
        self.wait_timer.start()
        self._show_wait()

    def _show_wait(self) -> None:
        lines = [self._wrong_line] if self._wrong_line else []
        self._show("\n".join([*lines, strings.login_wait(self.seconds_to_wait())]))

    def _on_wait_timer_timeout(self) -> None:
        if self.waiting():
            self._show_wait()
            return
        self.wait_timer.stop()
        self._wait_until = 0.0
        self.button.setEnabled(True)
        if self._wrong_line:
            self._show(self._wrong_line)
        else:
            self.message.hide()

    def _on_officer_combo_changed(self, *_args: object) -> None:
        # Each officer has their own count of wrong tries: the wait follows the name chosen.
        self._wrong_line = ""
        self.wait_timer.stop()
        self._wait_until = 0.0
        self.button.setEnabled(True)
        self.message.hide()
        wait = access.wait_seconds(self._data_dir, self.officer_id()) if self.officer_id() else 0.0
        if wait > 0:
            self._start_wait(wait)

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
