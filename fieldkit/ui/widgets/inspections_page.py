"""检查: the list of inspections (filter by status and text) and the editor, on one page."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.inspections import STATUS_LABELS, InspectionStatus
from fieldkit.errors import FieldkitError
from fieldkit.services import exchange_views, inspections
from fieldkit.services.context import Context
from fieldkit.ui import strings
from fieldkit.ui.errors import confirm, show_error, show_message
from fieldkit.ui.models.inspection_table import SORT_KEYS, InspectionTableModel
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.inspection_editor import InspectionEditor
from fieldkit.ui.widgets.list_sorter import ListSorter
from fieldkit.ui.widgets.page import Page

COLUMN_WIDTHS = (140, 260, 110, 200, 80, 90, 70, 180, 90)
ORIGIN_COLUMN = 8  # 来源设备: shown once bundles from other laptops were imported (office mode)
DEBOUNCE_MS = 250


class InspectionsPage(Page):
    autosaved = Signal(object)  # forwarded from the editor, for the status bar
    document_created = Signal(object)  # forwarded from the editor: open it in 文书
    new_document_requested = Signal(object)  # forwarded from the editor: the inspection's id

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.stack = QStackedWidget()
        self.list_widget = self._build_list()
        self._editor: InspectionEditor | None = None  # built when first needed (lean start-up)
        self.stack.addWidget(self.list_widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def _build_list(self) -> QWidget:
        box = QWidget()
        title = QLabel(strings.INSPECTIONS_TITLE)
        set_role(title, "pageTitle")
        self.status_combo = QComboBox()
        self.status_combo.addItem(strings.STATUS_ALL, None)
        for status in InspectionStatus:
            self.status_combo.addItem(STATUS_LABELS[status], status)
        self.status_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(strings.INSPECTION_FILTER_PLACEHOLDER)
        self.filter_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        set_role(self.count_label, "hint")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.filter_edit.textChanged.connect(lambda _t: self._debounce.start())

        self.new_button = QPushButton(strings.INSPECTION_NEW)
        self.new_button.setProperty("primary", True)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.open_button = QPushButton(strings.INSPECTION_OPEN)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.delete_button = QPushButton(strings.INSPECTION_DELETE_DRAFT)
        self.delete_button.clicked.connect(self._on_delete_clicked)

        self.model = InspectionTableModel(
            lambda ids: exchange_views.inspection_items_with_origin(self._ctx, ids), self, with_origin=True
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.horizontalHeader().setHighlightSections(False)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.sorter = ListSorter(self._ctx, self.table, "inspections", SORT_KEYS, inspections.DEFAULT_SORT)
        self.sorter.changed.connect(self.refresh)

        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.new_button)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(strings.COL_STATUS))
        bar.addWidget(self.status_combo)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.count_label)
        bar.addSpacing(12)
        bar.addWidget(self.open_button)
        bar.addWidget(self.delete_button)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addLayout(head)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        return box

    # ---- Page ---------------------------------------------------------------------------------
    def page_shown(self) -> None:
        if self.stack.currentWidget() is self.list_widget:
            self.refresh()

    @property
    def editor(self) -> InspectionEditor:
        if self._editor is None:
            self._editor = InspectionEditor(self._ctx)
            self._editor.close_requested.connect(self._on_editor_close_requested)
            self._editor.record_changed.connect(self.refresh)
            self._editor.autosaved.connect(self.autosaved)
            self._editor.document_created.connect(self.document_created)
            self._editor.new_document_requested.connect(self.new_document_requested)
            self.stack.addWidget(self._editor)
        return self._editor

    def page_leaving(self) -> None:
        if self._editor is not None:
            self._editor.save_now()

    def focus_search(self) -> bool:
        if self.stack.currentWidget() is not self.list_widget:
            return False
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()
        return True

    def close_editor(self) -> None:
        """The window is closing: save and forget the open draft."""
        if self._editor is not None:
            self._editor.close_inspection()

    # ---- list ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._debounce.stop()
        keep = self.selected_id()
        status = self.status_combo.currentData()
        sort, descending = self.sorter.order()
        ids = inspections.inspection_id_list(
            self._ctx, status=status, query=self.filter_edit.text(), sort=sort, descending=descending
        )
        self.model.set_ids(ids)
        self.table.setColumnHidden(ORIGIN_COLUMN, not exchange_views.has_imported_bundles(self._ctx))
        self.count_label.setText(strings.inspection_count(len(ids)))
        if keep is not None and (row := self.model.row_of(keep)) >= 0:
            self.table.selectRow(row)

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def _on_filter_changed(self, *_args: object) -> None:
        self.refresh()

    def _on_table_double_clicked(self, *_args: object) -> None:
        self._on_open_clicked()

    def _on_open_clicked(self) -> None:
        if (inspection_id := self.selected_id()) is None:
            show_message(self, strings.SELECT_INSPECTION_FIRST)
            return
        self.open_inspection(inspection_id)

    def _on_new_clicked(self) -> None:
        self.new_inspection()

    def _on_delete_clicked(self) -> None:
        inspection_id = self.selected_id()
        if inspection_id is None:
            show_message(self, strings.SELECT_INSPECTION_FIRST)
            return
        item = self.model.item_at(self.model.row_of(inspection_id))
        if item is None or item.status is not InspectionStatus.DRAFT:
            show_message(self, strings.ONLY_DRAFTS_DELETABLE)
            return
        if not confirm(self, strings.CONFIRM_DELETE_DRAFT):
            return
        try:
            inspections.delete_draft(self._ctx, inspection_id)
        except FieldkitError as exc:
            show_error(self, exc)
        if self._editor is not None and self._editor.inspection_id == inspection_id:
            self._editor.discard()
        self.refresh()

    # ---- editor -------------------------------------------------------------------------------
    def new_inspection(self, subject_id: uuid.UUID | None = None) -> InspectionEditor:
        inspection_id = inspections.new_inspection(self._ctx, subject_id)
        return self.open_inspection(inspection_id)

    def open_inspection(self, inspection_id: uuid.UUID, *, recovered: bool = False) -> InspectionEditor:
        self.editor.open_inspection(inspection_id, recovered=recovered)
        self.stack.setCurrentWidget(self.editor)
        return self.editor

    def _on_editor_close_requested(self) -> None:
        self.stack.setCurrentWidget(self.list_widget)
        self.refresh()
