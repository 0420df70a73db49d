"""Header clicks sort a list; each list's order is remembered across restarts (services.list_orders).

The big lists re-query their ids in SQL in the chosen order (`changed` → the page's refresh); small
in-memory lists go through a QSortFilterProxyModel (`proxy`), sorted by Qt.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QHeaderView, QTableView

from fieldkit.services import list_orders
from fieldkit.services.context import Context

log = logging.getLogger(__name__)


def _qt_order(descending: bool) -> Qt.SortOrder:
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder


class ListSorter(QObject):
    """`keys[i]` names column i's sort key (None: that column does not sort). `order()` is the chosen
    (key, descending); `changed` says it changed (already remembered)."""

    changed = Signal()

    def __init__(
        self,
        ctx: Context,
        view: QTableView,
        list_key: str,
        keys: Sequence[str | None],
        default: tuple[str, bool],
        *,
        proxy: QSortFilterProxyModel | None = None,
    ) -> None:
        super().__init__(view)
        self._ctx = ctx
        self._list_key = list_key
        self._keys = list(keys)
        self._proxy = proxy
        self.header = view.horizontalHeader()
        saved = list_orders.list_order(ctx, list_key)
        key, descending = saved if saved is not None and saved[0] in self._keys else default
        self._order = (key, descending)
        self.header.setSectionsClickable(True)
        self.header.setSortIndicatorShown(True)
        self.header.blockSignals(True)  # the page queries once, in this order, when first shown
        self.header.setSortIndicator(self._keys.index(key), _qt_order(descending))
        self.header.blockSignals(False)
        if proxy is not None:
            proxy.sort(self._keys.index(key), _qt_order(descending))
        self.header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        # Once the page has set its column widths (before or after making this sorter).
        QTimer.singleShot(0, self, self.fit_headers)  # not after the list is gone

    def fit_headers(self) -> None:
        """Widen a sortable column whose title and sort arrow do not fit (「不符合项」 at 80 px had the
        arrow over its last character, seen under Xvfb); a stretching column fits by itself."""
        for section, key in enumerate(self._keys):
            if key is None or self.header.isSectionHidden(section):
                continue
            if self.header.sectionResizeMode(section) != QHeaderView.ResizeMode.Interactive:
                continue
            needed = self.header.sectionSizeFromContents(section).width()
            if self.header.sectionSize(section) < needed:
                self.header.resizeSection(section, needed)

    def order(self) -> tuple[str, bool]:
        return self._order

    def column(self) -> int:
        return self._keys.index(self._order[0])

    def _on_header_sort_indicator_changed(self, section: int, qt_order: Qt.SortOrder) -> None:
        key = self._keys[section] if 0 <= section < len(self._keys) else None
        if key is None:  # not sortable: put the indicator back where the list really is
            self.header.blockSignals(True)
            self.header.setSortIndicator(self.column(), _qt_order(self._order[1]))
            self.header.blockSignals(False)
            return
        self._order = (key, qt_order == Qt.SortOrder.DescendingOrder)
        try:
            list_orders.remember_list_order(self._ctx, self._list_key, *self._order)
        except Exception:  # a full or read-only disk must not stop the list from sorting
            log.exception("cannot remember the order of %s", self._list_key)
        if self._proxy is not None:
            self._proxy.sort(section, qt_order)
        self.changed.emit()


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: object) -> list[tuple[int, Any]]:
    """ "剩 6 个工作日" before "剩 12 个工作日", "2 张" before "10 张": digit runs compare as numbers."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(str(text or ""))]


class NaturalSortProxy(QSortFilterProxyModel):
    """Sorts a short in-memory list by the text shown, numbers by value."""

    def lessThan(
        self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex
    ) -> bool:
        return natural_key(left.data()) < natural_key(right.data())


def sortable_table(
    ctx: Context,
    table: QTableView,
    model: QAbstractItemModel,
    list_key: str,
    default: tuple[int, bool] = (0, False),
) -> ListSorter:
    """Put a sorting proxy between a short list's table and its model (before anything connects to
    the table's selection model, which this replaces); the order is remembered under `list_key`.
    Rows of the view are then proxy rows: widgets.record_list maps them."""
    proxy = NaturalSortProxy(table)
    proxy.setSourceModel(model)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    keys = [str(column) for column in range(model.columnCount())]
    return ListSorter(ctx, table, list_key, keys, (str(default[0]), default[1]), proxy=proxy)


def source_row(table: QTableView, view_row: int) -> int:
    """The model row shown at `view_row` (the same row when the table has no sorting proxy)."""
    proxy = table.model()
    if isinstance(proxy, QSortFilterProxyModel) and view_row >= 0:
        return proxy.mapToSource(proxy.index(view_row, 0)).row()
    return view_row


def view_row(table: QTableView, model_row: int) -> int:
    proxy = table.model()
    if isinstance(proxy, QSortFilterProxyModel) and model_row >= 0:
        return proxy.mapFromSource(proxy.sourceModel().index(model_row, 0)).row()
    return model_row
