"""Add or edit a subject (当事人); problems appear under their fields; a failing USCC can be kept."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.problems import Problem, Severity
from fieldkit.domain.subjects import FIELD_LABELS, SubjectDraft, SubjectType, derived_type, identifier_basis
from fieldkit.errors import EditConflict, FieldkitError, ValidationFailed
from fieldkit.services.context import Context
from fieldkit.services.subjects import add_subject, get_subject, update_subject
from fieldkit.ui import strings
from fieldkit.ui.errors import problems_text, show_error
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.field_errors import FieldErrors

TEXT_FIELDS = ("name", "uscc", "legal_rep", "id_number", "address", "phone", "license_no")


def required_label(text: str) -> str:
    return f'{text}<span style="color:#b3261e"> *</span>'


class SubjectDialog(QDialog):
    def __init__(
        self, ctx: Context, subject_id: uuid.UUID | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._subject_id = subject_id
        self._version: int | None = None
        self.saved_id: uuid.UUID | None = None
        self.setWindowTitle(strings.SUBJECT_DIALOG_EDIT if subject_id else strings.SUBJECT_DIALOG_ADD)
        self.setMinimumWidth(720)
        self.errors = FieldErrors()
        self.edits: dict[str, QLineEdit] = {key: QLineEdit() for key in TEXT_FIELDS}
        self.edits["uscc"].setMaxLength(24)
        self.edits["id_number"].setMaxLength(24)
        self.type_combo = QComboBox()
        for kind in SubjectType:
            self.type_combo.addItem(kind.label, kind)

        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(14)
        for key in (
            "name",
            "subject_type",
            "uscc",
            "legal_rep",
            "id_number",
            "address",
            "phone",
            "license_no",
        ):
            widget = self.type_combo if key == "subject_type" else self.edits[key]
            label = QLabel(required_label(FIELD_LABELS[key]) if key == "name" else FIELD_LABELS[key])
            form.addRow(label, self.errors.wrap(key, widget))
            if key == "uscc":
                form.addRow("", self._build_keep_row())

        self.general_label = QLabel()
        set_role(self.general_label, "error")
        self.general_label.setWordWrap(True)
        self.general_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(strings.SAVE)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(strings.CANCEL)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)

        self.type_hint = QLabel()
        set_role(self.type_hint, "hint")
        self.type_hint.setWordWrap(True)
        form.insertRow(2, "", self.type_hint)
        self.edits["uscc"].textChanged.connect(self._on_identifier_changed)
        self.edits["id_number"].textChanged.connect(self._on_identifier_changed)
        self._on_identifier_changed()

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_label)
        layout.addWidget(self.buttons)
        if subject_id is not None:
            self._load(subject_id)

    def _on_identifier_changed(self, _text: str = "") -> None:
        """The type follows the USCC / 身份证号: once they decide it, it is shown and cannot be changed."""
        uscc, id_number = self.edits["uscc"].text(), self.edits["id_number"].text()
        kind = derived_type(uscc, id_number)
        if kind is not None:
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(kind)))
            self.type_hint.setText(strings.subject_type_derived(identifier_basis(uscc, id_number)))
        self.type_combo.setEnabled(kind is None)
        self.type_hint.setVisible(kind is not None)

    def _build_keep_row(self) -> QWidget:
        self.keep_box = QWidget()
        box = QVBoxLayout(self.keep_box)
        box.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(strings.SUBJECT_KEEP_USCC_HINT)
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(FIELD_LABELS["uscc_note"])
        self.keep_button = QPushButton(strings.SUBJECT_KEEP_USCC)
        self.keep_button.clicked.connect(self._on_keep_clicked)
        row = QHBoxLayout()
        row.addWidget(self.note_edit, 1)
        row.addWidget(self.keep_button)
        box.addWidget(hint)
        box.addLayout(row)
        self.note_error = QLabel()
        set_role(self.note_error, "error")
        self.note_error.hide()
        box.addWidget(self.note_error)
        self.keep_box.hide()
        return self.keep_box

    def _load(self, subject_id: uuid.UUID) -> None:
        subject = get_subject(self._ctx, subject_id)
        self._version = subject.version  # the save carries it: no lost update (issue 11.5)
        draft = subject.draft
        for key, edit in self.edits.items():
            edit.setText(getattr(draft, key))
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(draft.subject_type)))
        if draft.uscc_note:
            self.note_edit.setText(draft.uscc_note)
            self.keep_box.show()
            self.adjustSize()

    def draft(self) -> SubjectDraft:
        values = {key: edit.text() for key, edit in self.edits.items()}
        note = "" if self.keep_box.isHidden() else self.note_edit.text()
        return SubjectDraft(subject_type=self.type_combo.currentData(), uscc_note=note, **values)

    def _on_save_clicked(self) -> None:
        self._save()

    def _on_keep_clicked(self) -> None:
        if not self.note_edit.text().strip():
            self.note_error.setText(strings.SUBJECT_NOTE_REQUIRED)
            self.note_error.show()
            self.note_edit.setFocus()
            return
        self._save()

    def _save(self) -> bool:
        self.note_error.hide()
        self.general_label.hide()
        try:
            if self._subject_id is None:
                self.saved_id = add_subject(self._ctx, self.draft())
            else:
                update_subject(self._ctx, self._subject_id, self.draft(), base_version=self._version)
                self.saved_id = self._subject_id
        except ValidationFailed as exc:
            self._show_problems(exc.problems)
            return False
        except EditConflict as exc:  # the dialog stays open with what was typed; theirs is kept
            self.general_label.setText(str(exc))
            self.general_label.show()
            return False
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        self.accept()
        return True

    def _show_problems(self, problems: list[Problem]) -> None:
        _first, unplaced = self.errors.show(problems)
        uscc_warnings = [p for p in problems if p.field == "uscc" and p.severity is Severity.WARNING]
        if uscc_warnings:
            self.keep_box.show()
            if not any(p.is_error for p in problems):
                self.note_edit.setFocus()
        if unplaced:
            self.general_label.setText(problems_text(unplaced))
            self.general_label.show()
        self.adjustSize()  # make room for the messages under the fields
