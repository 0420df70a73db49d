"""Passwords and roles (issue 13.1): the first password of a store, an administrator setting an officer's
password and role, and anyone's 修改我的密码.

The first password (a store converted from a previous release, or set up before passwords existed) makes
its officer the administrator and logs them in; the dialog cannot be skipped, because an encrypted store
whose key is still in the clear protects nothing.
"""

from __future__ import annotations

import enum
import uuid

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.access import Role, password_problem
from fieldkit.errors import FieldkitError
from fieldkit.services import access
from fieldkit.services.context import Context
from fieldkit.services.setup import load_settings
from fieldkit.ui import strings
from fieldkit.ui.errors import show_error
from fieldkit.ui.theme import set_role
from fieldkit.vault.errors import TooSoon, WrongPassword


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMinimumWidth(240)
    return edit


class NewPasswordFields:
    """新密码 and 再输一次 in a form, checked by the domain's password rule (password_problem)."""

    def __init__(self, form: QFormLayout) -> None:
        self.new_edit = password_edit()
        self.new_edit.setPlaceholderText(strings.LOGIN_PASSWORD_PH)
        self.again_edit = password_edit()
        form.addRow(strings.PASSWORD_NEW, self.new_edit)
        form.addRow(strings.PASSWORD_AGAIN, self.again_edit)

    def password(self) -> str:
        return self.new_edit.text()

    def empty(self) -> bool:
        return not self.new_edit.text() and not self.again_edit.text()

    def problem(self) -> str | None:
        if (problem := password_problem(self.new_edit.text(), field=strings.PASSWORD_NEW)) is not None:
            return problem
        if self.new_edit.text() != self.again_edit.text():
            return strings.PASSWORD_MISMATCH
        return None


class PasswordMode(enum.Enum):
    FIRST = "first"  # no password yet on this laptop: choose the administrator
    OFFICER = "officer"  # an administrator sets an officer's password and role
    OWN = "own"  # the logged-in officer changes their own password


class PasswordDialog(QDialog):
    def __init__(
        self,
        ctx: Context,
        mode: PasswordMode,
        officer: access.Officer | None = None,
        *,
        has_password: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._mode = mode
        self._officer = officer if mode is not PasswordMode.OWN else ctx.login.who
        self._has_password = has_password
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 14)
        layout.setSpacing(10)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        self.admin_combo: QComboBox | None = None
        self.role_combo: QComboBox | None = None
        self.old_edit: QLineEdit | None = None
        if mode is PasswordMode.FIRST:
            self.setWindowTitle(strings.FIRST_PASSWORD_TITLE)
            why = QLabel(strings.FIRST_PASSWORD_WHY)
            why.setWordWrap(True)
            layout.addWidget(why)
            self.admin_combo = QComboBox()
            for o in load_settings(ctx).active_officers:
                self.admin_combo.addItem(o.name, str(o.id))
            form.addRow(strings.FIRST_PASSWORD_ADMIN, self.admin_combo)
        elif mode is PasswordMode.OFFICER:
            assert officer is not None
            self.setWindowTitle(strings.officer_password_title(officer.name))
            self.role_combo = QComboBox()
            for role in Role:
                self.role_combo.addItem(role.label, role.value)
            self.role_combo.setCurrentIndex(self.role_combo.findData(officer.role.value))
            form.addRow(strings.OFFICER_ROLE, self.role_combo)
        else:
            self.setWindowTitle(strings.MY_PASSWORD_TITLE)
            self.old_edit = password_edit()
            form.addRow(strings.PASSWORD_OLD, self.old_edit)
        self.fields = NewPasswordFields(form)
        layout.addLayout(form)
        hint = QLabel(
            strings.OFFICER_PASSWORD_KEEP
            if mode is PasswordMode.OFFICER and has_password
            else strings.PASSWORD_RULE_HINT
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        layout.addWidget(hint)
        self.message = QLabel()
        self.message.setWordWrap(True)
        set_role(self.message, "error")
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(strings.FIRST_PASSWORD_OK if mode is PasswordMode.FIRST else strings.OK)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            strings.LOGIN_QUIT if mode is PasswordMode.FIRST else strings.CANCEL
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _on_buttons_accepted(self) -> None:
        self.save()

    def save(self) -> bool:
        """Check and save; the dialog closes when it worked. False (and a message) when refused."""
        try:
            done = self._save()
        except (WrongPassword, TooSoon) as exc:
            self._show(str(exc))
            return False
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        if done:
            self.accept()
        return done

    def _save(self) -> bool:
        if self._mode is PasswordMode.OFFICER and self._has_password and self.fields.empty():
            assert self._officer is not None and self.role_combo is not None
            role = Role(self.role_combo.currentData())
            if role is not self._officer.role:
                access.set_role(self._ctx, self._officer.officer_id, role)
            return True
        if self._mode is PasswordMode.OFFICER and not self._has_password and self.fields.empty():
            self._show(strings.OFFICER_PASSWORD_NEEDED)
            return False
        if self._mode is PasswordMode.OWN:
            assert self.old_edit is not None
            if self._officer is None:
                self._show(strings.MY_PASSWORD_NOT_LOGGED_IN)
                return False
            if not self.old_edit.text():
                self._show(f"{strings.PASSWORD_OLD}：{strings.LOGIN_EMPTY}")
                return False
        if (problem := self.fields.problem()) is not None:
            self._show(problem)
            return False
        password = self.fields.password()
        if self._mode is PasswordMode.FIRST:
            assert self.admin_combo is not None
            officer_id = str(self.admin_combo.currentData() or "")
            if not officer_id:
                self._show(strings.LOGIN_NO_OFFICER)
                return False
            set_first_password(self._ctx, officer_id, password)
        elif self._mode is PasswordMode.OFFICER:
            assert self._officer is not None and self.role_combo is not None
            role = Role(self.role_combo.currentData())
            if not access.is_protected(self._ctx.data_dir):
                # The store's first password: its officer becomes the administrator and logs in.
                set_first_password(self._ctx, self._officer.officer_id, password)
            else:
                access.set_password(self._ctx, self._officer.officer_id, password, role=role)
        else:
            assert self._officer is not None and self.old_edit is not None
            # The old password is checked as at the lock screen (throttled, audited): a colleague at
            # an unlocked laptop cannot change its officer's password.
            access.check_password(self._ctx, self._officer.officer_id, self.old_edit.text())
            access.set_password(self._ctx, self._officer.officer_id, password)
        return True


def set_first_password(ctx: Context, officer_id: str, password: str) -> None:
    """The store's first password: its officer becomes the administrator and is logged in (the session
    from here on names them, and can be locked)."""
    uuid.UUID(officer_id)  # an id from the officer list, never a typed name
    access.set_password(ctx, officer_id, password)
    access.check_password(ctx, officer_id, password)
