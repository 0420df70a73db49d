"""Add or edit one officer (姓名, 执法证号, 所在单位) in the settings."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from fieldkit.domain.agency import OfficerDraft
from fieldkit.services.context import Context
from fieldkit.services.setup import Officer, save_officer
from fieldkit.ui import strings
from fieldkit.ui.dialogs.buttons import Saving
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.field_errors import FieldErrors


class OfficerDialog(QDialog):
    def __init__(self, ctx: Context, officer: Officer | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._officer = officer
        self.setWindowTitle(strings.OFFICER_DIALOG_EDIT if officer else strings.OFFICER_DIALOG_ADD)
        self.setMinimumWidth(460)
        self.errors = FieldErrors()
        self.name_edit = QLineEdit(officer.name if officer else "")
        self.cert_edit = QLineEdit(officer.cert_no if officer else "")
        self.unit_edit = QLineEdit(officer.unit if officer else "")
        form = QFormLayout()
        form.addRow(strings.COL_OFFICER_NAME, self.errors.wrap("officer.name", self.name_edit))
        form.addRow(strings.COL_CERT_NO, self.errors.wrap("officer.cert_no", self.cert_edit))
        form.addRow(strings.COL_UNIT, self.unit_edit)
        self.general_label = QLabel()
        set_role(self.general_label, "error")
        self.general_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(strings.SAVE)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(strings.CANCEL)
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_label)
        layout.addWidget(buttons)
        self.saved_id: uuid.UUID | None = None

    def _on_save_clicked(self) -> None:
        draft = OfficerDraft(self.name_edit.text(), self.cert_edit.text(), self.unit_edit.text())
        with Saving(self, self.errors, self.general_label) as attempt:
            self.saved_id = save_officer(self._ctx, draft, self._officer.id if self._officer else None)
        if attempt.ok:
            self.accept()
