"""The inspection list: a lazy table over inspection_ids / inspection_items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from fieldkit.domain.inspections import STATUS_LABELS, InspectionStatus
from fieldkit.services.context import SHANGHAI
from fieldkit.services.inspections import InspectionListItem
from fieldkit.ui import strings
from fieldkit.ui.models.lazy_table import IdRole, LazyTableModel

__all__ = ["SORT_KEYS", "IdRole", "InspectionTableModel", "format_datetime"]

FAILED_COLUMN = 4
STATUS_COLUMN = 6
# The services.inspections sort key of each column (the same order as COLUMNS, then 来源设备).
SORT_KEYS = ("start", "subject", "type", "domains", "failed", "outcome", "status", "officers", "origin")
_NEWEST_FIRST = {"start", "failed"}  # a first click on these sorts newest / most first
_FAIL_FG = QColor("#b3261e")
_DRAFT_FG = QColor("#8a5a00")


def format_datetime(value: dt.datetime | None) -> str:
    """Beijing time, to the minute."""
    return "" if value is None else value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


class InspectionTableModel(LazyTableModel[InspectionListItem]):
    # A page is a pause on the GUI thread: each row's list columns sit behind ~27 KB of check-list JSON
    # (read through its overflow pages, decrypted), so 200 rows took 0.1-0.2 s at 100k rows; 64 still
    # cover two screens of rows (issue 14: first paint ≤ 300 ms, scroll to the end ≤ 50 ms).
    PAGE = 64
    COLUMNS = (
        strings.COL_START,
        strings.COL_SUBJECT,
        strings.COL_TYPE,
        strings.COL_DOMAINS,
        strings.COL_FAILED,
        strings.COL_OUTCOME,
        strings.COL_STATUS,
        strings.COL_OFFICERS,
    )

    def __init__(self, fetch: Any, parent: Any = None, *, with_origin: bool = False) -> None:
        super().__init__(fetch, parent)
        if with_origin:  # 来源设备: fetch must give OriginListItem (services.exchange_views)
            self.COLUMNS = (*InspectionTableModel.COLUMNS, strings.COL_ORIGIN)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.InitialSortOrderRole and orientation == Qt.Orientation.Horizontal:
            descending = 0 <= section < len(SORT_KEYS) and SORT_KEYS[section] in _NEWEST_FIRST
            return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        return super().headerData(section, orientation, role)

    def display(self, item: InspectionListItem, column: int) -> str:
        match column:
            case 0:
                return format_datetime(item.start_at)
            case 1:
                return item.subject_name or strings.NO_SUBJECT
            case 2:
                return item.inspection_type.label
            case 3:
                return item.domain_names
            case 4:
                return strings.failed_count(item.failed_count)
            case 5:
                return "" if item.outcome is None else item.outcome.label
            case 6:
                return STATUS_LABELS[item.status]
            case 7:
                return item.officer_names
            case 8:  # OriginListItem (office mode); the plain list item has no origin
                return str(getattr(item, "origin", ""))
        return ""

    def style(self, item: InspectionListItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == FAILED_COLUMN and item.failed_count:
                return _FAIL_FG
            if column == STATUS_COLUMN and item.status is InspectionStatus.DRAFT:
                return _DRAFT_FG
        if role == Qt.ItemDataRole.TextAlignmentRole and column == FAILED_COLUMN:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
