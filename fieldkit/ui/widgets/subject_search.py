"""Search box plus lazy subject table, shared by the 当事人 page and the picker dialog."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldkit.services.context import Context
from fieldkit.services.subjects import search_subject_ids, subject_items
from fieldkit.ui import strings
from fieldkit.ui.models.subject_table import COLUMNS, SubjectTableModel
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.list_sorter import ListSorter
from fieldkit.ui.widgets.record_list import record_table

DEBOUNCE_MS = 250
COLUMN_WIDTHS = (300, 100, 175, 170, 320, 130)


class SubjectSearch(QWidget):
    activated = Signal(object)  # uuid.UUID of the row double-clicked or entered
    selection_changed = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None, *, list_key: str = "subjects") -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(strings.SUBJECT_SEARCH_PLACEHOLDER)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        self.count_label = QLabel()
        set_role(self.count_label, "hint")
        self.model = SubjectTableModel(lambda ids: subject_items(self._ctx, ids), self)
        self.table = record_table(self.model)
        header = self.table.horizontalHeader()
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(len(COLUMN_WIDTHS) - 2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.installEventFilter(self)
        self.sorter = ListSorter(ctx, self.table, list_key, [key for key, _ in COLUMNS], ("name", False))
        self.sorter.changed.connect(self.refresh)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(self._on_search_text_changed)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def set_compact(self) -> None:
        """For a dialog: drop the phone column and narrow the name, so the address still shows."""
        self.table.setColumnHidden(len(COLUMN_WIDTHS) - 1, True)
        self.table.setColumnWidth(0, 250)
        self.table.setColumnWidth(3, 168)

    def refresh(self) -> None:
        """Search again now (the debounce calls this ~250 ms after the last keystroke)."""
        self._debounce.stop()
        keep = self.selected_id()
        sort, descending = self.sorter.order()
        ids = search_subject_ids(self._ctx, self.search_edit.text(), sort=sort, descending=descending)
        self.model.set_ids(ids)
        self.count_label.setText(strings.subject_count(len(ids)))
        if keep is not None:
            self.select_id(keep)
        self.selection_changed.emit()

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def select_id(self, subject_id: uuid.UUID) -> bool:
        row = self.model.row_of(subject_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)

    def _on_search_text_changed(self, _text: str) -> None:
        self._debounce.start()

    def _on_table_double_clicked(self, index: object) -> None:
        if (subject_id := self.selected_id()) is not None:
            self.activated.emit(subject_id)

    def _on_table_selection_changed(self, *_args: object) -> None:
        self.selection_changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_edit and key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
                if self._debounce.isActive():
                    self.refresh()
                if self.selected_id() is None:
                    self.select_row(0)
                self.table.setFocus()
                return True
            if watched is self.search_edit and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._debounce.isActive():
                    self.refresh()
                if self.selected_id() is None:
                    self.select_row(0)
                if (subject_id := self.selected_id()) is not None:
                    self.activated.emit(subject_id)
                return True
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if (subject_id := self.selected_id()) is not None:
                    self.activated.emit(subject_id)
                return True
        return super().eventFilter(watched, event)
