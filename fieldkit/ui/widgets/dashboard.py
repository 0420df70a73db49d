"""工作台: what is due, drafts in progress (continue with a click), recent completed inspections."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.inspections import InspectionStatus
from fieldkit.errors import FieldkitError
from fieldkit.services import inspections
from fieldkit.services.context import Context
from fieldkit.services.setup import load_settings
from fieldkit.services.subjects import search_subject_ids
from fieldkit.ui import strings
from fieldkit.ui.models.inspection_table import SORT_KEYS, InspectionTableModel
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.due_list import DueList
from fieldkit.ui.widgets.list_sorter import ListSorter
from fieldkit.ui.widgets.page import Page
from fieldkit.ui.widgets.record_list import record_table

RECENT_LIMIT = 20
# Columns shown on the dashboard: 检查时间, 当事人, 检查领域, 不符合项, 处理结果, 执法人员.
SHOWN = (0, 1, 3, 4, 5, 7)
WIDTHS = {0: 140, 1: 280, 3: 220, 4: 80, 5: 90}


class DashboardPage(Page):
    open_inspection_requested = Signal(object)  # uuid.UUID
    open_matter_requested = Signal(object)  # uuid.UUID: a due item's matter, whatever its kind
    new_inspection_requested = Signal()
    find_subject_requested = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title = QLabel(strings.DASH_TITLE)
        set_role(self.title, "pageTitle")
        self.counts = QLabel()
        set_role(self.counts, "hint")
        self.new_button = QPushButton(strings.ACTION_NEW_INSPECTION)
        self.new_button.setProperty("primary", True)
        self.new_button.clicked.connect(self.new_inspection_requested)
        self.find_button = QPushButton(strings.ACTION_FIND)
        self.find_button.clicked.connect(self.find_subject_requested)

        fetch = lambda ids: inspections.inspection_items(self._ctx, ids)  # noqa: E731
        self.drafts_model = InspectionTableModel(fetch, self)
        self.recent_model = InspectionTableModel(fetch, self)
        self.drafts_table = self._table(self.drafts_model)
        # A draft is work to pick up again: one click continues it.
        self.drafts_table.clicked.connect(
            lambda index: self._on_table_activated(self.drafts_model, index.row())
        )
        self.recent_table = self._table(self.recent_model)
        self.recent_table.doubleClicked.connect(
            lambda index: self._on_table_activated(self.recent_model, index.row())
        )
        # Keys of the columns shown; hidden ones never get a header click.
        keys = [k if i in SHOWN else None for i, k in enumerate(SORT_KEYS)]
        self.drafts_sorter = ListSorter(
            ctx, self.drafts_table, "dashboard.drafts", keys, inspections.DEFAULT_SORT
        )
        self.drafts_sorter.changed.connect(self.refresh)
        self.recent_sorter = ListSorter(
            ctx, self.recent_table, "dashboard.recent", keys, inspections.DEFAULT_SORT
        )
        self.recent_sorter.changed.connect(self.refresh)
        self.due = DueList(ctx)
        self.due.open_matter_requested.connect(self.open_matter_requested)
        self.drafts_empty = self._empty(strings.DASH_NO_DRAFTS)
        self.recent_empty = self._empty(strings.DASH_NO_RECENT)

        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.counts)
        head.addLayout(titles, 1)
        head.addWidget(self.find_button)
        head.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(12)
        layout.addLayout(head)
        layout.addWidget(self.due, 3)
        layout.addWidget(
            self._card(strings.DASH_DRAFTS, self.drafts_table, self.drafts_empty, strings.DASH_OPEN_HINT), 2
        )
        layout.addWidget(
            self._card(strings.DASH_RECENT, self.recent_table, self.recent_empty, strings.DASH_RECENT_HINT), 3
        )

    def _table(self, model: InspectionTableModel) -> QTableView:
        table = record_table(model, framed=False)
        for column in range(model.columnCount()):
            table.setColumnHidden(column, column not in SHOWN)
            if column in WIDTHS:
                table.setColumnWidth(column, WIDTHS[column])
        table.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        table.installEventFilter(self)
        return table

    @staticmethod
    def _empty(text: str) -> QLabel:
        label = QLabel(text)
        set_role(label, "hint")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    @staticmethod
    def _card(title: str, table: QTableView, empty: QLabel, hint: str = "") -> QFrame:
        card = QFrame()
        card.setProperty("card", True)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(14, 10, 14, 10)
        top = QHBoxLayout()
        label = QLabel(title)
        set_role(label, "sectionTitle")
        top.addWidget(label)
        top.addStretch(1)
        if hint:
            hint_label = QLabel(hint)
            set_role(hint_label, "hint")
            top.addWidget(hint_label)
        layout.addLayout(top)
        layout.addWidget(empty)
        layout.addWidget(table, 1)
        return card

    # ---- Page ---------------------------------------------------------------------------------
    def page_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.due.refresh()
        sort, descending = self.drafts_sorter.order()
        drafts = inspections.inspection_id_list(
            self._ctx, status=InspectionStatus.DRAFT, sort=sort, descending=descending
        )
        # 最近完成: the RECENT_LIMIT newest, shown in the order chosen for this list.
        completed = inspections.inspection_id_list(self._ctx, status=InspectionStatus.COMPLETED)
        sort, descending = self.recent_sorter.order()
        recent = inspections.inspection_ids(
            self._ctx, sort=sort, descending=descending, among=completed[:RECENT_LIMIT]
        )
        self.drafts_model.set_ids(drafts)
        self.recent_model.set_ids(recent)
        self.drafts_empty.setVisible(not drafts)
        self.drafts_table.setVisible(bool(drafts))
        self.recent_empty.setVisible(not completed)
        self.recent_table.setVisible(bool(completed))
        self.counts.setText(
            strings.dash_counts(len(drafts), len(completed), len(search_subject_ids(self._ctx)))
        )
        try:
            self.title.setText(strings.dash_greeting(load_settings(self._ctx).agency.full_name))
        except FieldkitError:
            self.title.setText(strings.DASH_TITLE)

    # ---- slots --------------------------------------------------------------------------------
    def _on_table_activated(self, model: InspectionTableModel, row: int) -> None:
        inspection_id: uuid.UUID | None = model.id_at(row)
        if inspection_id is not None:
            self.open_inspection_requested.emit(inspection_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(watched, QTableView)
        ):
            rows = watched.selectionModel().selectedRows()
            model = watched.model()
            if rows and isinstance(model, InspectionTableModel):
                self._on_table_activated(model, rows[0].row())
                return True
        return super().eventFilter(watched, event)
