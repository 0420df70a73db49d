"""措施 of an inspection: kind, dates, status (a lapsed hold in red), goods and storage place."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from fieldkit.domain.measures import STATUS_LABELS
from fieldkit.services.measures import Measure
from fieldkit.ui import strings
from fieldkit.ui.models.lazy_table import IdRole
from fieldkit.ui.models.rows_table import RecordTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
LAPSED_FG = QColor("#b3261e")
ACTIVE_FG = QColor("#1f5fa8")
ENDED_FG = QColor("#5f6b7a")


class MeasureTableModel(RecordTableModel[Measure]):
    COLUMNS = (
        strings.COL_MEASURE,
        strings.COL_DECIDED_ON,
        strings.COL_DUE,
        strings.COL_STATUS,
        strings.COL_GOODS,
        strings.COL_STORAGE,
        strings.COL_END_NOTE,
    )
    STATUS_COLUMN = 3

    # The names the panels and tests use.
    set_measures = RecordTableModel.set_records
    measure_at = RecordTableModel.record_at

    @staticmethod
    def display(m: Measure, column: int) -> str:
        match column:
            case 0:
                return m.kind.label
            case 1:
                return m.decided_on.isoformat()
            case 2:
                return "" if m.due is None else strings.due_text(m.due, m.extended)
            case 3:
                label = STATUS_LABELS.get(m.status, m.status)
                return f"{label}（{m.ended_on.isoformat()}）" if m.ended_on else label
            case 4:
                return strings.goods_summary([line.name for line in m.items])
            case 5:
                return m.storage_place
            case 6:
                return m.end_note
        return ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m = self._records[index.row()]
        if role == IdRole:
            return m.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.display(m, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            if m.status == "lapsed":  # the whole row: the hold is gone, the goods must be handed back
                return LAPSED_FG
            if index.column() == self.STATUS_COLUMN:
                return ACTIVE_FG if m.status == "active" else ENDED_FG
        return None
