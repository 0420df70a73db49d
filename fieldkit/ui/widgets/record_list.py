"""Tables of records: how every list looks; showing a RecordTableModel in one (sorted through a proxy or
not): refill it keeping the selection, and read the selection."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QFrame, QLabel, QTableView

from fieldkit.ui.models.rows_table import RecordTableModel
from fieldkit.ui.widgets.list_sorter import source_row, view_row

T = TypeVar("T")


def record_table(
    model: QAbstractItemModel | None = None,
    *,
    single: bool = True,
    framed: bool = True,
    row_height: int | None = 30,
) -> QTableView:
    """A read-only table of records, one row per record, selected whole: the look of every list."""
    table = QTableView()
    if model is not None:
        table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    if not framed:
        table.setFrameShape(QFrame.Shape.NoFrame)
    table.verticalHeader().hide()
    if row_height is not None:
        table.verticalHeader().setDefaultSectionSize(row_height)
    table.horizontalHeader().setHighlightSections(False)
    return table


def show_records(
    table: QTableView, model: RecordTableModel[T], empty_label: QLabel, records: Sequence[T]
) -> None:
    """Refill; the row that was selected stays selected (else the first), the empty hint shows alone."""
    keep = selected_record(table, model)
    keep_id: uuid.UUID | None = None if keep is None else keep.id  # type: ignore[attr-defined]
    model.set_records(records)
    empty_label.setVisible(not records)
    table.setVisible(bool(records))
    row = model.row_of(keep_id) if keep_id is not None else -1
    table.selectRow(view_row(table, row) if row >= 0 else 0)


def selected_record(table: QTableView, model: RecordTableModel[T]) -> T | None:
    rows = table.selectionModel().selectedRows()
    return model.record_at(source_row(table, rows[0].row())) if rows else None


def select_record(table: QTableView, model: RecordTableModel[T], record_id: uuid.UUID) -> None:
    row = model.row_of(record_id)
    if row >= 0:
        table.selectRow(view_row(table, row))
