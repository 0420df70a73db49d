"""The goods list of a measure (场所/设施/财物清单), editable cell by cell; columns from GOODS_COLUMNS."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from fieldkit.domain.measures import GOODS_COLUMNS, GoodsLine
from fieldkit.ui.models.table_base import RowListModel

_ROOT = QModelIndex()
AnyIndex = QModelIndex | QPersistentModelIndex
KEYS = tuple(key for key, _label in GOODS_COLUMNS)
LABELS = tuple(label for _key, label in GOODS_COLUMNS)


class GoodsTableModel(RowListModel[dict[str, str]]):
    """Rows are plain dicts while editing; lines() gives GoodsLine values (untouched blank rows left out)."""

    NUMBERED = True

    def __init__(self, parent: Any = None, *, editable: bool = True) -> None:
        super().__init__(parent)
        self._editable = editable

    def set_lines(self, lines: Sequence[GoodsLine]) -> None:
        self.beginResetModel()
        self._rows = [{k: str(v) for k, v in asdict(line).items()} for line in lines]
        self.endResetModel()

    def lines(self) -> tuple[GoodsLine, ...]:
        return tuple(
            GoodsLine(**{k: row.get(k, "").strip() for k in KEYS})
            for row in self._rows
            if any(v.strip() for v in row.values())
        )

    def add_row(self) -> int:
        return self.append_row(dict.fromkeys(KEYS, ""))

    def headers(self) -> Sequence[str]:
        return LABELS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            value = self._rows[index.row()].get(KEYS[index.column()], "")
            return value if role != Qt.ItemDataRole.ToolTipRole or len(value) > 10 else None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if self._editable and index.isValid() else base

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not self._editable:
            return False
        key = KEYS[index.column()]
        text = "" if value is None else str(value)
        if self._rows[index.row()].get(key) == text:
            return True
        self._rows[index.row()][key] = text
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True
