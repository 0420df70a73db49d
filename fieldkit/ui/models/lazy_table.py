"""Base of the big list models: every matching id once, row values fetched a page at a time (STYLE §4)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from fieldkit.ui.models.table_base import TableModel

IdRole = Qt.ItemDataRole.UserRole + 1
_ROOT = QModelIndex()  # module-level default, as napari's _NULL_INDEX (ruff B008)


class HasId(Protocol):
    @property
    def id(self) -> uuid.UUID: ...


T = TypeVar("T", bound=HasId)
AnyIndex = QModelIndex | QPersistentModelIndex


class LazyTableModel(TableModel, Generic[T]):
    """Subclasses set COLUMNS (header texts) and implement `display(item, column)`."""

    PAGE = 200
    NUMBERED = True
    COLUMNS: tuple[str, ...] = ()

    def __init__(self, fetch: Callable[[list[uuid.UUID]], Sequence[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._ids: Sequence[uuid.UUID] = []
        self._cache: dict[int, T | None] = {}  # row -> item (None: gone since the ids were read)
        self.fetch_count = 0  # pages fetched since the last reset (tests and benchmarks read it)

    # ---- feeding ------------------------------------------------------------------------------
    def set_ids(self, ids: Sequence[uuid.UUID]) -> None:
        """After every search or change: the rows are fetched again when next shown."""
        self.beginResetModel()
        # A list is copied (its caller may change it); another sequence stays as it is: the services'
        # IdList makes its ids uuid.UUID objects a page at a time (store/idlist.py).
        self._ids, self._cache, self.fetch_count = list(ids) if isinstance(ids, list) else ids, {}, 0
        self.endResetModel()

    def ids(self) -> list[uuid.UUID]:
        return list(self._ids)

    def id_at(self, row: int) -> uuid.UUID | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, item_id: uuid.UUID) -> int:
        try:
            return self._ids.index(item_id)
        except ValueError:
            return -1

    def item_at(self, row: int) -> T | None:
        if not 0 <= row < len(self._ids):
            return None
        if row not in self._cache:
            start = row - row % self.PAGE
            page = self._ids[start : start + self.PAGE]
            found = {item.id: item for item in self._fetch(page)}
            self.fetch_count += 1
            for offset, item_id in enumerate(page):
                self._cache[start + offset] = found.get(item_id)
        return self._cache[row]

    # ---- Qt overrides -------------------------------------------------------------------------
    def row_total(self) -> int:
        return len(self._ids)

    def headers(self) -> Sequence[str]:
        return self.COLUMNS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == IdRole:
            return self._ids[index.row()]
        item = self.item_at(index.row())
        if item is None:
            return "" if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(item, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(item, index.column())
        return self.style(item, index.column(), role)

    # ---- for subclasses -----------------------------------------------------------------------
    def display(self, item: T, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, item: T, column: int) -> str | None:
        text = self.display(item, column)
        return text if len(text) > 12 else None

    def style(self, item: T, column: int, role: int) -> Any:
        return None
