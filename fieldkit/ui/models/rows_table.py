"""A small read-only table over a list of values, columns given as (header, getter) pairs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from fieldkit.ui.models.table_base import TableModel

_ROOT = QModelIndex()
AnyIndex = QModelIndex | QPersistentModelIndex
T = TypeVar("T")


class RowsTableModel(TableModel, Generic[T]):
    """For short lists (officers, an import report); big lists use LazyTableModel."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[T], object]]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_value(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_total(self) -> int:
        return len(self._rows)

    def headers(self) -> Sequence[str]:
        return [header for header, _get in self._columns]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self._columns[index.column()][1](self._rows[index.row()])
            return "" if value is None else str(value)
        return None


class RecordTableModel(TableModel, Generic[T]):
    """A short list of records that have an `id`, with fixed COLUMNS headers; subclasses give `data`."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[T] = []

    def set_records(self, records: Sequence[T]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record_at(self, row: int) -> T | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def row_of(self, record_id: object) -> int:
        return next((i for i, r in enumerate(self._records) if r.id == record_id), -1)  # type: ignore[attr-defined]

    def row_total(self) -> int:
        return len(self._records)

    def headers(self) -> Sequence[str]:
        return self.COLUMNS
