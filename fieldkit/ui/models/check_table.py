"""The check items of one inspection: result (符合/不符合/不涉及) and note editable in place."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.inspections import CheckEntry
from fieldkit.ui import strings
from fieldkit.ui.models.table_base import TableModel

_ROOT = QModelIndex()
AnyIndex = QModelIndex | QPersistentModelIndex

COL_NO, COL_DOMAIN, COL_GROUP, COL_ITEM, COL_RESULT, COL_NOTE = range(6)
HEADERS = (
    strings.COL_NO,
    strings.COL_DOMAIN,
    strings.COL_GROUP,
    strings.COL_ITEM,
    strings.COL_RESULT,
    strings.COL_NOTE,
)
RESULTS = tuple(CheckResult)  # keyboard 1/2/3 in this order
_FAIL_BG = QColor("#fde2e1")
_FAIL_FG = QColor("#b3261e")
_PASS_FG = QColor("#2e7d32")
_NA_FG = QColor("#6b7785")


class CheckTableModel(TableModel):
    entries_changed = Signal()  # any result or note was edited

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[CheckEntry] = []
        self._domain_names: dict[str, str] = {}
        self._read_only = False

    # ---- feeding ------------------------------------------------------------------------------
    def set_entries(
        self, entries: Iterable[CheckEntry], domain_names: Mapping[str, str] | None = None
    ) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        if domain_names is not None:
            self._domain_names = dict(domain_names)
        self.endResetModel()

    def entries(self) -> tuple[CheckEntry, ...]:
        return tuple(self._entries)

    def entry(self, row: int) -> CheckEntry:
        return self._entries[row]

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only

    # ---- editing ------------------------------------------------------------------------------
    def set_result(self, rows: Sequence[int], result: CheckResult | None) -> int:
        if self._read_only:
            return 0
        changed = 0
        for row in rows:
            if 0 <= row < len(self._entries) and self._entries[row].result is not result:
                self._entries[row] = replace(self._entries[row], result=result)
                self._row_changed(row)
                changed += 1
        if changed:
            self.entries_changed.emit()
        return changed

    def pass_unanswered(self, domain_id: str) -> int:
        """全部符合: only the items of this domain that have no result yet."""
        rows = [i for i, e in enumerate(self._entries) if e.domain_id == domain_id and e.result is None]
        return self.set_result(rows, CheckResult.PASS)

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    # ---- Qt overrides -------------------------------------------------------------------------
    def row_total(self) -> int:
        return len(self._entries)

    def headers(self) -> Sequence[str]:
        return HEADERS

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and not self._read_only and index.column() in (COL_RESULT, COL_NOTE):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == COL_RESULT and role == Qt.ItemDataRole.EditRole:
                return "" if entry.result is None else str(entry.result)
            return self._display(index.row(), entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_ITEM:
                return strings.check_item_tooltip(entry.text, entry.basis)
            if column == COL_NOTE and entry.note:
                return entry.note
            return None
        if role == Qt.ItemDataRole.BackgroundRole and entry.result is CheckResult.FAIL:
            return _FAIL_BG
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_RESULT:
            return {CheckResult.FAIL: _FAIL_FG, CheckResult.PASS: _PASS_FG}.get(entry.result, _NA_FG)  # type: ignore[arg-type]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_NO, COL_RESULT):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, row: int, entry: CheckEntry, column: int) -> str:
        match column:
            case 0:
                return str(row + 1)
            case 1:
                return self._domain_names.get(entry.domain_id, entry.domain_id)
            case 2:
                return entry.group
            case 3:
                return entry.text
            case 4:
                return "" if entry.result is None else entry.result.label
            case 5:
                return entry.note
        return ""

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self._read_only:
            return False
        row, column = index.row(), index.column()
        if column == COL_RESULT:
            result = CheckResult(value) if value else None
            self.set_result([row], result)
            return True
        if column == COL_NOTE:
            text = str(value or "")
            if self._entries[row].note != text:
                self._entries[row] = replace(self._entries[row], note=text)
                self._row_changed(row)
                self.entries_changed.emit()
            return True
        return False
