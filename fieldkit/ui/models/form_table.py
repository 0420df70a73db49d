"""Rows of a `table` field (清单 items): typed columns, edited in place, added, removed and moved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from fieldkit.domain import forms as F
from fieldkit.ui import strings
from fieldkit.ui.models.table_base import TableModel
from fieldkit.ui.money import fen_to_yuan_text, yuan_text_to_fen

_ROOT = QModelIndex()
AnyIndex = QModelIndex | QPersistentModelIndex
NUMERIC = (F.FieldType.INTEGER, F.FieldType.MONEY)


def cell_from_text(column: F.Column, text: str) -> object | None:
    """What an edited cell stores: int for integer, int fen for money, the text otherwise; None when
    empty or not a number (the cell editors only let numbers through)."""
    text = text.strip()
    if not text:
        return None
    if column.type == F.FieldType.INTEGER:
        try:
            return int(text)
        except ValueError:
            return None
    if column.type == F.FieldType.MONEY:
        return yuan_text_to_fen(text)
    return text


def cell_to_text(column: F.Column, value: object) -> str:
    """The text an editor starts from: money in yuan ("12.50"), everything else as stored."""
    if value is None:
        return ""
    if column.type == F.FieldType.MONEY and isinstance(value, int) and not isinstance(value, bool):
        return fen_to_yuan_text(value)
    return str(value)


class FormTableModel(TableModel):
    rows_changed = Signal()  # any edit, insert, removal or move

    def __init__(self, columns: Sequence[F.Column], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[dict[str, object]] = []
        self._read_only = False

    @property
    def columns(self) -> list[F.Column]:
        return list(self._columns)

    def column(self, index: int) -> F.Column:
        return self._columns[index]

    def set_rows(self, rows: Sequence[Mapping[str, object]]) -> None:
        self.beginResetModel()
        self._rows = [dict(r) for r in rows if isinstance(r, Mapping)]
        self.endResetModel()

    def rows(self) -> list[dict[str, object]]:
        """Non-empty rows, each with its non-empty cells only (an empty cell is not stored)."""
        out = []
        for row in self._rows:
            kept = {k: v for k, v in row.items() if not F.is_empty(v)}
            if kept:
                out.append(kept)
        return out

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only

    def insert_row(self, at: int | None = None) -> int:
        at = len(self._rows) if at is None else max(0, min(at, len(self._rows)))
        self.beginInsertRows(_ROOT, at, at)
        self._rows.insert(at, {})
        self.endInsertRows()
        self.rows_changed.emit()
        return at

    def remove_row(self, row: int) -> None:
        if not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(_ROOT, row, row)
        del self._rows[row]
        self.endRemoveRows()
        self.rows_changed.emit()

    def move_row(self, row: int, delta: int) -> int:
        target = row + delta
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)) or delta == 0:
            return row
        # beginMoveRows wants the destination *before* which the row lands, in pre-move numbering.
        destination = target + 1 if delta > 0 else target
        self.beginMoveRows(_ROOT, row, row, _ROOT, destination)
        self._rows.insert(target, self._rows.pop(row))
        self.endMoveRows()
        self.rows_changed.emit()
        return target

    # ---- Qt overrides -------------------------------------------------------------------------
    NUMBERED = True

    def row_total(self) -> int:
        return len(self._rows)

    def headers(self) -> Sequence[str]:
        return [strings.required_label(c.label) if c.required else c.label for c in self._columns]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and not self._read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        value = self._rows[index.row()].get(column.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if F.is_empty(value) else F.format_scalar(column, value)
        if role == Qt.ItemDataRole.EditRole:
            return cell_to_text(column, value)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = "" if F.is_empty(value) else F.format_scalar(column, value)
            return text if len(text) > 10 else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.type in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self._read_only:
            return False
        column = self._columns[index.column()]
        stored = value if not isinstance(value, str) else cell_from_text(column, value)
        row = self._rows[index.row()]
        if row.get(column.key) == stored:
            return True
        if stored is None:
            row.pop(column.key, None)
        else:
            row[column.key] = stored
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self.rows_changed.emit()
        return True
