"""The 文书 list: a table over list_documents, filtered by status and text through a proxy."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from fieldkit.domain.documents import DocState
from fieldkit.services.documents import DocumentListItem
from fieldkit.ui import strings
from fieldkit.ui.models.inspection_table import format_datetime
from fieldkit.ui.models.rows_table import RecordTableModel

_ROOT = QModelIndex()
AnyIndex = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2
SortRole = Qt.ItemDataRole.UserRole + 3

TITLE, NUMBER, PARTY, STATUS, REVISION, UPDATED = range(6)
COLUMNS = (
    strings.COL_DOC_TITLE,
    strings.COL_DOC_NUMBER,
    strings.COL_SUBJECT,
    strings.COL_STATUS,
    strings.COL_DOC_REVISION,
    strings.COL_DOC_UPDATED,
)
_STATUS_FG = {  # still to be printed: amber; void: grey
    DocState.DRAFT: QColor("#8a5a00"),
    DocState.CORRECTING: QColor("#8a5a00"),
    DocState.VOID: QColor("#8a8f96"),
}


class DocumentTableModel(RecordTableModel[DocumentListItem]):
    """A laptop holds some thousands of documents at most, so all rows are read at once."""

    COLUMNS = COLUMNS

    # The names the 文书 page and tests use.
    set_items = RecordTableModel.set_records
    item = RecordTableModel.record_at

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._records[index.row()]
        column = index.column()
        if role == IdRole:
            return item.id
        if role == StatusRole:
            return item.status
        if role == SortRole:
            return item.updated_at.timestamp() if column == UPDATED else self.display(item, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.display(item, column)
            return text if len(text) > 12 else None
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            return _STATUS_FG.get(item.status)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == REVISION:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def display(item: DocumentListItem, column: int) -> str:
        match column:
            case 0:
                return item.title
            case 1:
                return item.number or strings.DOC_NO_NUMBER
            case 2:
                return item.party or strings.NO_SUBJECT
            case 3:
                return strings.doc_state_label(item.status)
            case 4:
                return strings.doc_revision(item.revision)
            case 5:
                return format_datetime(item.updated_at)
        return ""


class DocumentFilterProxy(QSortFilterProxyModel):
    """Rows of one status (or all) whose title, number or party contains the typed text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._status: str | None = None
        self._text = ""
        self.setSortRole(SortRole)

    def set_status(self, status: str | None) -> None:
        self.beginFilterChange()
        self._status = status
        self.endFilterChange()

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange()

    def lessThan(self, source_left: AnyIndex, source_right: AnyIndex) -> bool:
        left, right = source_left.data(self.sortRole()), source_right.data(self.sortRole())
        if isinstance(left, str) and isinstance(right, str):
            # code point order, as SQLite sorts the other lists: Qt compares UTF-16 units, which put a
            # party named with an Ext B–H character (a surrogate pair) before "（个体）…" or "ＡＢ商店"
            return left < right
        return bool(super().lessThan(source_left, source_right))

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, DocumentTableModel):
            return True
        item = model.item(source_row)
        if item is None:
            return False
        if self._status is not None and item.status != self._status:
            return False
        if self._text:
            haystack = f"{item.title}\n{item.number or ''}\n{item.party}".casefold()
            return self._text in haystack
        return True
