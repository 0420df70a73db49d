"""Pre-print problems as a table: 级别 (不可打印 / 提醒) and the message with the rule behind it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from fieldkit.domain.problems import Problem
from fieldkit.ui import strings
from fieldkit.ui.models.table_base import TableModel

_ROOT = QModelIndex()
AnyIndex = QModelIndex | QPersistentModelIndex
FieldRole = Qt.ItemDataRole.UserRole + 1
COLUMNS = (strings.COL_DOC_SEVERITY, strings.COL_DOC_PROBLEM)
_HARD_FG = QColor("#b3261e")
_WARN_FG = QColor("#8a5a00")


class ProblemTableModel(TableModel):
    def __init__(self, problems: Sequence[Problem], parent: Any = None) -> None:
        super().__init__(parent)
        # Hard problems first: they are what must be fixed; the order within each kind is the form's.
        self._problems = [p for p in problems if p.is_error] + [p for p in problems if not p.is_error]

    def problem(self, row: int) -> Problem:
        return self._problems[row]

    def row_total(self) -> int:
        return len(self._problems)

    def headers(self) -> Sequence[str]:
        return COLUMNS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        problem = self._problems[index.row()]
        if role == FieldRole:
            return problem.field
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return strings.DOC_PROBLEM_HARD if problem.is_error else strings.DOC_PROBLEM_WARNING
            return problem.message
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return _HARD_FG if problem.is_error else _WARN_FG
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            return problem.message
        return None
