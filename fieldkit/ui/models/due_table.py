"""到期事项: open deadlines, soonest first; overdue rows red, due-soon rows orange, the basis as tooltip."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from fieldkit.catalog import load_formdefs
from fieldkit.services.due import DueItem
from fieldkit.ui import strings
from fieldkit.ui.models.lazy_table import IdRole

_ROOT = QModelIndex()
AnyIndex = QModelIndex | QPersistentModelIndex
OVERDUE_FG = QColor("#b3261e")
DUE_SOON_FG = QColor("#b35c00")
LABEL_COLUMN = 3


class DueTableModel(QAbstractTableModel):
    COLUMNS = (strings.COL_DUE_DATE, strings.COL_DUE_WHAT, strings.COL_SUBJECT, strings.COL_DUE_LEFT)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[DueItem] = []

    def set_items(self, items: Sequence[DueItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item_at(self, row: int) -> DueItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    @staticmethod
    def display(item: DueItem, column: int) -> str:
        match column:
            case 0:
                return item.due.isoformat()
            case 1:
                return strings.due_title(item.title)
            case 2:
                return item.subject_name or strings.NO_SUBJECT
            case 3:
                return strings.due_label(item.label, item.estimated)
        return ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(item, index.column())
        if role == IdRole:
            return item.inspection_id
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{strings.due_title(item.title)}\n\n{strings.basis_tooltip(item.basis, item.warnings)}"
            forms = load_formdefs()
            settle = strings.due_forms_tip([forms[f].title for f in item.forms if f in forms])
            return f"{tip}\n{settle}" if settle else tip
        if role == Qt.ItemDataRole.ForegroundRole:
            if item.urgency == "overdue":
                return OVERDUE_FG
            if item.urgency == "due_soon":
                return DUE_SOON_FG
        if role == Qt.ItemDataRole.FontRole and index.column() == LABEL_COLUMN and item.urgency != "open":
            font = QFont()
            font.setBold(True)
            return font
        return None
