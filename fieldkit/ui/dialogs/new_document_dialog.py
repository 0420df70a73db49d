"""新建文书: choose the form (from available_forms) and, optionally, the inspection it belongs to."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.formrules import rules_for
from fieldkit.domain.forms import FormDef, form_order
from fieldkit.errors import FieldkitError
from fieldkit.services import documents, matters
from fieldkit.services.context import Context
from fieldkit.ui import strings
from fieldkit.ui.dialogs.inspection_picker import InspectionPickerDialog
from fieldkit.ui.errors import show_error
from fieldkit.ui.models.rows_table import RowsTableModel
from fieldkit.ui.theme import set_role


class NewDocumentDialog(QDialog):
    def __init__(
        self, ctx: Context, matter_id: uuid.UUID | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.matter_id: uuid.UUID | None = None
        self.setWindowTitle(strings.DOC_NEW_TITLE)
        self.resize(980, 600)
        self.forms: list[FormDef] = sorted(documents.available_forms(), key=form_order)
        self.model: RowsTableModel[FormDef] = RowsTableModel(
            [(strings.COL_DOC_TITLE, lambda f: f.title), (strings.COL_DOC_CODE, lambda f: f.code)], self
        )
        self.model.set_rows(self.forms)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumWidth(400)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)

        self.form_title = QLabel()
        set_role(self.form_title, "sectionTitle")
        self.form_description = QLabel()
        self.form_description.setWordWrap(True)
        self.form_note = QLabel()
        self.form_note.setWordWrap(True)
        set_role(self.form_note, "hint")
        inspection_title = QLabel(strings.DOC_NEW_INSPECTION)
        set_role(inspection_title, "sectionTitle")
        self.inspection_label = QLabel()
        self.inspection_label.setWordWrap(True)
        self.pick_button = QPushButton(strings.DOC_PICK_INSPECTION)
        self.pick_button.clicked.connect(self._on_pick_clicked)
        self.unlink_button = QPushButton(strings.DOC_UNLINK_INSPECTION)
        self.unlink_button.clicked.connect(self._on_unlink_clicked)
        inspection_hint = QLabel(strings.DOC_NEW_INSPECTION_HINT)
        inspection_hint.setWordWrap(True)
        set_role(inspection_hint, "hint")
        pick_row = QHBoxLayout()
        pick_row.addWidget(self.pick_button)
        pick_row.addWidget(self.unlink_button)
        pick_row.addStretch(1)
        side = QFrame()
        side.setProperty("card", True)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(16, 14, 16, 14)
        side_layout.addWidget(self.form_title)
        side_layout.addWidget(self.form_description)
        side_layout.addWidget(self.form_note)
        side_layout.addSpacing(16)
        side_layout.addWidget(inspection_title)
        side_layout.addWidget(self.inspection_label)
        side_layout.addLayout(pick_row)
        side_layout.addWidget(inspection_hint)
        side_layout.addStretch(1)

        self.buttons = QDialogButtonBox()
        self.create_button = QPushButton(strings.DOC_CREATE)
        self.create_button.setProperty("primary", True)
        self.cancel_button = QPushButton(strings.CANCEL)
        self.buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_create_clicked)
        self.buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.table, 5)
        body.addWidget(side, 6)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self.picker: InspectionPickerDialog | None = None
        self.set_inspection(matter_id)
        if self.forms:
            self.table.selectRow(0)
        self.table.setFocus()

    # ---- choices ------------------------------------------------------------------------------
    def chosen_form(self) -> FormDef | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_value(rows[0].row()) if rows else None

    def select_form(self, form_id: str) -> None:
        row = next((i for i, f in enumerate(self.forms) if f.id == form_id), -1)
        if row >= 0:
            self.table.selectRow(row)

    def set_inspection(self, matter_id: uuid.UUID | None) -> None:
        self.matter_id = matter_id
        self.unlink_button.setEnabled(matter_id is not None)
        if matter_id is None:
            self.inspection_label.setText(strings.DOC_NO_INSPECTION)
            return
        try:
            view = matters.describe(self._ctx, matter_id)  # any kind of matter says its own title
        except FieldkitError as exc:
            show_error(self, exc)
            self.set_inspection(None)
            return
        self.inspection_label.setText(strings.doc_matter_summary(view.title, view.place))

    # ---- slots --------------------------------------------------------------------------------
    def _on_table_selection_changed(self, *_args: object) -> None:
        form = self.chosen_form()
        self.create_button.setEnabled(form is not None)
        if form is None:
            return
        self.form_title.setText(strings.doc_form_heading(form.title, form.code))
        self.form_description.setText(form.description)
        self.form_description.setVisible(bool(form.description))
        from_record = rules_for(form.id).needs_record  # made on the 证据/措施 panels from a record
        self.form_note.setText(strings.DOC_FROM_EVIDENCE_NOTE if from_record else "")
        self.form_note.setVisible(from_record)

    def _on_table_double_clicked(self, *_args: object) -> None:
        self._on_create_clicked()

    def _on_pick_clicked(self) -> None:
        self.picker = InspectionPickerDialog(self._ctx, self)
        self.picker.accepted.connect(self._on_picker_accepted)
        self.picker.open()

    def _on_picker_accepted(self) -> None:
        if self.picker is not None and self.picker.chosen_id is not None:
            self.set_inspection(self.picker.chosen_id)
        self.picker = None

    def _on_unlink_clicked(self) -> None:
        self.set_inspection(None)

    def _on_create_clicked(self) -> None:
        if self.chosen_form() is not None:
            self.accept()
