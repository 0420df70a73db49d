"""The login dialog at start-up (issue 13.1): choose the officer, enter the password; Enter logs in, Esc quits.

Logging in opens the store (`open_context` with the password): the dialog holds the opened Context in
`ctx` when it is accepted. Nothing of the store is shown before: the names come from the keyring.
It is the first screen of a protected store, so it lives outside ui/dialogs/ (which start-up does not
load, issue 14) and imports nothing heavy.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fieldkit.services import access
from fieldkit.services.context import Context, open_context
from fieldkit.ui import strings
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.login_form import LoginForm


class LoginDialog(QDialog):
    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self.ctx: Context | None = None
        self.setWindowTitle(strings.LOGIN_TITLE)
        heading = QLabel(strings.LOGIN_HEADING)
        set_role(heading, "pageTitle")
        intro = QLabel(strings.LOGIN_INTRO)
        intro.setWordWrap(True)
        set_role(intro, "hint")
        self.form = LoginForm(data_dir, self._attempt)
        self.form.logged_in.connect(self._on_form_logged_in)
        self.quit_button = QPushButton(strings.LOGIN_QUIT)
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)
        quit_row = QHBoxLayout()
        quit_row.addWidget(self.quit_button)
        quit_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 18)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addLayout(quit_row)
        self.form.set_choices(access.login_choices(data_dir))
        self.setMinimumWidth(440)
        self.form.focus_password()

    def _attempt(self, officer_id: str, password: str) -> None:
        self.ctx = open_context(self._data_dir, credentials=access.PasswordLogin(officer_id, password))

    def _on_form_logged_in(self, _officer_id: str) -> None:
        self.accept()
