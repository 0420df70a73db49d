"""设置: the agency, this laptop's device code, officers (add, edit, deactivate, passwords and roles),
and the auto-lock time. Only a 管理员 may change them (issue 13.1); anyone may change their own password."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.access import Duty, Role
from fieldkit.domain.agency import AgencyDraft, validate_device_code
from fieldkit.errors import FieldkitError, ValidationFailed
from fieldkit.services import access
from fieldkit.services.context import Context
from fieldkit.services.settings import AUTO_LOCK_MAX_MINUTES, AUTO_LOCK_MIN_MINUTES, set_auto_lock
from fieldkit.services.setup import (
    Officer,
    SetupPlan,
    load_settings,
    plan_setup,
    set_officer_active,
    update_agency,
)
from fieldkit.ui import strings
from fieldkit.ui.dialogs.officer_dialog import OfficerDialog
from fieldkit.ui.dialogs.password_dialog import PasswordDialog, PasswordMode
from fieldkit.ui.dialogs.setup_confirm_dialog import SetupConfirmDialog
from fieldkit.ui.errors import problems_text, show_error, show_message
from fieldkit.ui.models.rows_table import RowsTableModel
from fieldkit.ui.roles import allowed, gate
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.agency_form import AgencyForm
from fieldkit.ui.widgets.field_errors import FieldErrors
from fieldkit.ui.widgets.page import Page


class SettingsPage(Page):
    settings_saved = Signal()
    auto_lock_changed = Signal(int)  # minutes

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._dialog: OfficerDialog | None = None
        self.password_dialog: PasswordDialog | None = None
        self._roles: dict[str, Role] = {}
        self._with_password: set[str] = set()
        self.confirm_dialog: SetupConfirmDialog | None = None
        title = QLabel(strings.SETTINGS_TITLE)
        set_role(title, "pageTitle")

        self.agency_form = AgencyForm(ctx.today().year)
        self.device_errors = FieldErrors()
        self.device_edit = QLineEdit()
        self.device_edit.setPlaceholderText(strings.DEVICE_CODE_PH)
        self.device_edit.setMaxLength(6)
        self.device_edit.setMaximumWidth(200)
        self.device_edit.textChanged.connect(self.agency_form.set_device_code)
        device_form = self.agency_form.form_layout
        device_form.addRow(strings.DEVICE_CODE, self.device_errors.wrap("device_code", self.device_edit))
        data_label = QLabel(str(ctx.data_dir))
        data_label.setWordWrap(True)
        set_role(data_label, "hint")
        device_form.addRow(strings.DATA_DIR_LABEL, data_label)
        self.save_button = QPushButton(strings.SETTINGS_SAVE)
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.message = QLabel()
        self.message.setWordWrap(True)
        agency_card = self._card(strings.SETTINGS_AGENCY)
        agency_card.layout().addWidget(self.agency_form)
        agency_card.layout().addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        agency_card.layout().addLayout(buttons)

        self.officer_model: RowsTableModel[Officer] = RowsTableModel(
            [
                (strings.COL_OFFICER_NAME, lambda o: o.name),
                (strings.COL_CERT_NO, lambda o: o.cert_no),
                (strings.COL_UNIT, lambda o: o.unit),
                (
                    strings.COL_ACTIVE,
                    lambda o: strings.OFFICER_ACTIVE if o.active else strings.OFFICER_INACTIVE,
                ),
                (strings.COL_ROLE, lambda o: self._roles.get(str(o.id), Role.OFFICER).label),
                (
                    strings.COL_LOGIN,
                    lambda o: (
                        strings.OFFICER_HAS_PASSWORD
                        if str(o.id) in self._with_password
                        else strings.OFFICER_NO_PASSWORD
                    ),
                ),
            ],
            self,
        )
        self.officer_table = QTableView()
        self.officer_table.setModel(self.officer_model)
        self.officer_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.officer_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.officer_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.officer_table.verticalHeader().hide()
        self.officer_table.verticalHeader().setDefaultSectionSize(30)
        # Six columns in half the page: the unit takes what the others leave (角色 and 登录密码, issue 13.1).
        for column, width in ((0, 80), (1, 120), (3, 56), (4, 72), (5, 76)):
            self.officer_table.setColumnWidth(column, width)
        self.officer_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.officer_table.doubleClicked.connect(self._on_officer_edit_clicked)
        self.officer_table.selectionModel().selectionChanged.connect(self._on_officer_selection_changed)
        self.add_officer_button = QPushButton(strings.OFFICER_ADD)
        self.add_officer_button.clicked.connect(self._on_officer_add_clicked)
        self.edit_officer_button = QPushButton(strings.OFFICER_EDIT)
        self.edit_officer_button.clicked.connect(self._on_officer_edit_clicked)
        self.toggle_officer_button = QPushButton(strings.OFFICER_DEACTIVATE)
        self.toggle_officer_button.clicked.connect(self._on_officer_toggle_clicked)
        self.password_button = QPushButton(strings.OFFICER_PASSWORD_BUTTON)
        self.password_button.setToolTip(strings.OFFICER_PASSWORD_TIP)
        self.password_button.clicked.connect(self._on_password_clicked)
        self.my_password_button = QPushButton(strings.MY_PASSWORD_BUTTON)
        self.my_password_button.setToolTip(strings.MY_PASSWORD_TIP)
        self.my_password_button.clicked.connect(self._on_my_password_clicked)
        officer_card = self._card(strings.SETTINGS_OFFICERS)
        officer_card.layout().addWidget(self.officer_table, 1)
        officer_buttons = QHBoxLayout()
        officer_buttons.addWidget(self.add_officer_button)
        officer_buttons.addWidget(self.edit_officer_button)
        officer_buttons.addWidget(self.toggle_officer_button)
        officer_buttons.addStretch(1)
        officer_card.layout().addLayout(officer_buttons)
        password_buttons = QHBoxLayout()
        password_buttons.addWidget(self.password_button)
        password_buttons.addWidget(self.my_password_button)
        password_buttons.addStretch(1)
        officer_card.layout().addLayout(password_buttons)
        self.officer_message = QLabel()
        self.officer_message.setWordWrap(True)
        set_role(self.officer_message, "saved")
        officer_card.layout().addWidget(self.officer_message)

        security_card = self._card(strings.SETTINGS_SECURITY)
        self.auto_lock_spin = QSpinBox()
        self.auto_lock_spin.setRange(AUTO_LOCK_MIN_MINUTES, AUTO_LOCK_MAX_MINUTES)
        self.auto_lock_spin.setSuffix(strings.AUTO_LOCK_SUFFIX)
        self.auto_lock_spin.setMinimumWidth(110)
        self.auto_lock_spin.setValue(ctx.settings.auto_lock_minutes)
        self.auto_lock_button = QPushButton(strings.AUTO_LOCK_SAVE)
        self.auto_lock_button.clicked.connect(self._on_auto_lock_clicked)
        self.auto_lock_message = QLabel()
        self.auto_lock_hint = QLabel(strings.AUTO_LOCK_HINT)
        self.auto_lock_hint.setWordWrap(True)
        set_role(self.auto_lock_hint, "hint")
        lock_row = QHBoxLayout()
        lock_row.addWidget(self.auto_lock_spin)
        lock_row.addWidget(self.auto_lock_button)
        lock_row.addWidget(self.auto_lock_message, 1)
        lock_form = QFormLayout()
        lock_form.addRow(strings.AUTO_LOCK_LABEL, lock_row)
        security_card.layout().addLayout(lock_form)
        security_card.layout().addWidget(self.auto_lock_hint)
        self.recovery_state = QLabel()
        self.recovery_state.setWordWrap(True)
        self.recovery_button = QPushButton(strings.RECOVERY_SET)
        self.recovery_button.clicked.connect(self._on_recovery_clicked)
        recovery_row = QHBoxLayout()
        recovery_row.addWidget(self.recovery_state, 1)
        recovery_row.addWidget(self.recovery_button)
        recovery_form = QFormLayout()
        recovery_form.addRow(strings.RECOVERY_LABEL, recovery_row)
        security_card.layout().addLayout(recovery_form)
        recovery_hint = QLabel(strings.RECOVERY_HINT)
        recovery_hint.setWordWrap(True)
        set_role(recovery_hint, "hint")
        security_card.layout().addWidget(recovery_hint)

        right = QVBoxLayout()
        right.setSpacing(16)
        right.addWidget(officer_card, 1)
        right.addWidget(security_card)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(agency_card, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(title)
        layout.addLayout(columns, 1)

    @staticmethod
    def _card(title: str) -> QFrame:
        card = QFrame()
        card.setProperty("card", True)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(16, 12, 16, 12)
        label = QLabel(title)
        set_role(label, "sectionTitle")
        layout.addWidget(label)
        return card

    # ---- Page ---------------------------------------------------------------------------------
    def page_shown(self) -> None:
        self.load()

    def load(self) -> None:
        settings = load_settings(self._ctx)
        self.agency_form.set_draft(settings.agency)
        self.device_edit.setText(settings.device_code)
        self.agency_form.errors.clear()
        self.device_errors.clear()
        self.message.clear()
        self.officer_message.clear()
        self.auto_lock_message.clear()
        self._load_officers()
        self._load_recovery()
        self.login_changed()

    def _load_recovery(self) -> None:
        fingerprint = access.recovery_fingerprint(self._ctx.data_dir)
        if fingerprint is None:
            self.recovery_state.setText(strings.RECOVERY_NONE)
            set_role(self.recovery_state, "error")
        else:
            self.recovery_state.setText(strings.recovery_registered(fingerprint[:16] + "…"))
            set_role(self.recovery_state, "saved")

    def login_changed(self) -> None:
        """What the logged-in officer's role may change here (issue 13.1)."""
        admin = gate(self.save_button, self._ctx, Duty.SETTINGS)
        self.agency_form.setEnabled(admin)
        self.device_edit.setEnabled(admin)
        gate(self.auto_lock_spin, self._ctx, Duty.SETTINGS)
        gate(self.auto_lock_button, self._ctx, Duty.SETTINGS)
        gate(self.add_officer_button, self._ctx, Duty.OFFICERS)
        gate(self.recovery_button, self._ctx, Duty.KEYS, also=not self._ctx.read_only)
        self.my_password_button.setEnabled(self._ctx.login.who is not None)
        self.my_password_button.setToolTip(
            strings.MY_PASSWORD_TIP if self._ctx.login.who is not None else strings.MY_PASSWORD_NOT_LOGGED_IN
        )
        self._on_officer_selection_changed()

    def _load_officers(self) -> None:
        try:
            logins = access.officers_with_login(self._ctx)
            self._roles = access.roles_of_officers(self._ctx)
        except FieldkitError as exc:
            show_error(self, exc)
            logins = []
        self._with_password = {o.officer_id for o, has in logins if has}
        self.officer_model.set_rows(load_settings(self._ctx).officers)
        self._on_officer_selection_changed()

    def selected_officer(self) -> Officer | None:
        rows = self.officer_table.selectionModel().selectedRows()
        return self.officer_model.row_value(rows[0].row()) if rows else None

    # ---- agency -------------------------------------------------------------------------------
    def _on_save_clicked(self) -> None:
        self.save()

    def save(self) -> bool:
        """Check, then show what will change and ask (issue 10 item 7); saving happens on 确认.
        Returns False when the input is refused or nothing changed."""
        set_role(self.message, "error")
        self.device_errors.show(validate_device_code(self.device_edit.text()))
        draft, code = self.agency_form.draft(), self.device_edit.text()
        try:
            plan = plan_setup(self._ctx, draft, None, code)
        except ValidationFailed as exc:
            self._show_problems(exc)
            return False
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        self.agency_form.errors.clear()
        self.device_errors.clear()
        if not plan.changes:
            set_role(self.message, "hint")
            self.message.setText(strings.SETTINGS_UNCHANGED)
            return False
        self.message.clear()
        self.confirm_dialog = SetupConfirmDialog(plan, self)
        self.confirm_dialog.accepted.connect(lambda: self._commit(plan, draft, code))
        self.confirm_dialog.open()
        return True

    def _show_problems(self, exc: ValidationFailed) -> None:
        unplaced = self.agency_form.show_problems(exc.problems)
        _first, unplaced = self.device_errors.show(unplaced)
        self.message.setText(problems_text(unplaced))

    def _commit(self, plan: SetupPlan, draft: AgencyDraft, code: str) -> None:
        set_role(self.message, "error")
        try:
            update_agency(self._ctx, draft, code, new_series=plan.needs_new_series)
        except ValidationFailed as exc:
            self._show_problems(exc)
            return
        except FieldkitError as exc:
            show_error(self, exc)
            return
        set_role(self.message, "saved")
        self.message.setText(strings.SETTINGS_SAVED)
        self.message.style().polish(self.message)
        self.settings_saved.emit()

    # ---- officers -----------------------------------------------------------------------------
    def _on_officer_selection_changed(self, *_args: object) -> None:
        officer = self.selected_officer()
        chosen = officer is not None
        gate(self.edit_officer_button, self._ctx, Duty.OFFICERS, also=chosen)
        gate(self.toggle_officer_button, self._ctx, Duty.OFFICERS, also=chosen)
        gate(self.password_button, self._ctx, Duty.OFFICERS, also=chosen and bool(officer and officer.active))
        self.toggle_officer_button.setText(
            strings.OFFICER_ACTIVATE
            if officer is not None and not officer.active
            else strings.OFFICER_DEACTIVATE
        )

    def _open_officer_dialog(self, officer: Officer | None) -> None:
        self._dialog = OfficerDialog(self._ctx, officer, self)
        self._dialog.accepted.connect(self._load_officers)
        self._dialog.open()

    def _on_officer_add_clicked(self) -> None:
        self._open_officer_dialog(None)

    def _on_officer_edit_clicked(self, *_args: object) -> None:
        if not allowed(self._ctx, Duty.OFFICERS):  # a double click on the table of a non-admin
            return
        if (officer := self.selected_officer()) is None:
            show_message(self, strings.SELECT_OFFICER_FIRST)
            return
        self._open_officer_dialog(officer)

    def _on_officer_toggle_clicked(self) -> None:
        if (officer := self.selected_officer()) is None:
            return
        try:
            set_officer_active(self._ctx, officer.id, not officer.active)
        except FieldkitError as exc:
            show_error(self, exc)
        row = self.officer_table.currentIndex().row()
        self._load_officers()
        self.officer_table.selectRow(row)

    # ---- passwords and roles (issue 13.1) --------------------------------------------------------
    def _on_password_clicked(self) -> None:
        self.open_password_dialog()

    def open_password_dialog(self) -> PasswordDialog | None:
        """设置密码和角色 of the selected officer (an administrator's work)."""
        if (officer := self.selected_officer()) is None:
            show_message(self, strings.SELECT_OFFICER_FIRST)
            return None
        oid = str(officer.id)
        who = access.Officer(oid, officer.name, self._roles.get(oid, Role.OFFICER))
        dialog = PasswordDialog(
            self._ctx, PasswordMode.OFFICER, who, has_password=oid in self._with_password, parent=self
        )
        dialog.accepted.connect(self._on_password_dialog_accepted)
        self.password_dialog = dialog
        dialog.open()
        return dialog

    def _on_my_password_clicked(self) -> None:
        self.open_my_password_dialog()

    def open_my_password_dialog(self) -> PasswordDialog | None:
        if self._ctx.login.who is None:
            show_message(self, strings.MY_PASSWORD_NOT_LOGGED_IN)
            return None
        dialog = PasswordDialog(self._ctx, PasswordMode.OWN, parent=self)
        dialog.accepted.connect(self._on_password_dialog_accepted)
        self.password_dialog = dialog
        dialog.open()
        return dialog

    def _on_password_dialog_accepted(self) -> None:
        row = self.officer_table.currentIndex().row()
        self._load_officers()
        if row >= 0:
            self.officer_table.selectRow(row)
        set_role(self.officer_message, "saved")
        self.officer_message.setText(strings.PASSWORD_SAVED)
        self.login_changed()
        self.settings_saved.emit()  # the status bar names the role

    # ---- auto-lock (issue 13.2) -----------------------------------------------------------------
    def _on_recovery_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, strings.RECOVERY_CHOOSE, "", strings.KEY_FILE_FILTER
        )
        if name:
            self.register_recovery_key(Path(name))

    def register_recovery_key(self, path: Path) -> bool:
        """Seal the data key to the office's recovery public key in `path` (an administrator's work)."""
        try:
            pem = path.read_bytes()
            access.wrap_for_office(self._ctx, pem)
        except OSError as exc:
            show_message(self, strings.file_unreadable(str(path), exc.strerror or str(exc)))
            return False
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        self._load_recovery()
        return True

    def _on_auto_lock_clicked(self) -> None:
        self.save_auto_lock()

    def save_auto_lock(self) -> bool:
        minutes = self.auto_lock_spin.value()
        try:
            self._ctx = set_auto_lock(self._ctx, minutes)
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        set_role(self.auto_lock_message, "saved")
        self.auto_lock_message.setText(strings.AUTO_LOCK_SAVED)
        self.auto_lock_changed.emit(minutes)
        return True
