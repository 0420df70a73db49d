"""到期事项: open deadlines, soonest first; overdue rows red, due-soon rows orange, the basis as tooltip."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from fieldkit.catalog import load_formdefs
from fieldkit.services.due import DueItem
from fieldkit.ui import strings
from fieldkit.ui.models.lazy_table import IdRole
from fieldkit.ui.models.rows_table import RecordTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
OVERDUE_FG = QColor("#b3261e")
DUE_SOON_FG = QColor("#b35c00")
LABEL_COLUMN = 3


class DueTableModel(RecordTableModel[DueItem]):
    COLUMNS = (strings.COL_DUE_DATE, strings.COL_DUE_WHAT, strings.COL_SUBJECT, strings.COL_DUE_LEFT)

    # The names the 到期事项 list and tests use.
    set_items = RecordTableModel.set_records
    item_at = RecordTableModel.record_at

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
        item = self._records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(item, index.column())
        if role == IdRole:
            return item.matter_id
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
