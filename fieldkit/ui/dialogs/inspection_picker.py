"""Choose the inspection a new 文书 belongs to: the inspection list with its text filter."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldkit.services import inspections
from fieldkit.services.context import Context
from fieldkit.ui import strings
from fieldkit.ui.dialogs.buttons import ok_cancel
from fieldkit.ui.models.inspection_table import SORT_KEYS, InspectionTableModel
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.list_sorter import ListSorter
from fieldkit.ui.widgets.record_list import record_table

DEBOUNCE_MS = 250
COLUMN_WIDTHS = (140, 240, 90, 180, 70, 90, 70)


class InspectionPickerDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.chosen_id: uuid.UUID | None = None
        self.setWindowTitle(strings.DOC_PICK_INSPECTION_TITLE)
        self.resize(1040, 520)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(strings.INSPECTION_FILTER_PLACEHOLDER)
        self.filter_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        set_role(self.count_label, "hint")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.filter_edit.textChanged.connect(self._on_filter_text_changed)
        self.model = InspectionTableModel(lambda ids: inspections.inspection_items(self._ctx, ids), self)
        self.table = record_table(self.model)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        keys = [k if k != "origin" else None for k in SORT_KEYS]  # no 来源设备 column here
        self.sorter = ListSorter(ctx, self.table, "inspection_picker", keys, inspections.DEFAULT_SORT)
        self.sorter.changed.connect(self.refresh)
        self.buttons = ok_cancel(self, strings.OK, self._on_ok_clicked)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.refresh()
        if self.model.rowCount():
            self.table.selectRow(0)
        self.filter_edit.setFocus()

    def refresh(self) -> None:
        self._debounce.stop()
        sort, descending = self.sorter.order()
        ids = inspections.inspection_ids(
            self._ctx, query=self.filter_edit.text(), sort=sort, descending=descending
        )
        self.model.set_ids(ids)
        self.count_label.setText(strings.inspection_count(len(ids)))
        if ids:
            self.table.selectRow(0)

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def _on_filter_text_changed(self, _text: str) -> None:
        self._debounce.start()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.chosen_id = self.model.id_at(index.row())
        if self.chosen_id is not None:
            self.accept()

    def _on_ok_clicked(self) -> None:
        self.chosen_id = self.selected_id()
        if self.chosen_id is not None:
            self.accept()
