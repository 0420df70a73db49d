"""检查: the list of inspections (filter by status and text) and the editor, on one page."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QPushButton, QWidget

from fieldkit.domain.inspections import STATUS_LABELS, InspectionStatus
from fieldkit.errors import FieldkitError
from fieldkit.services import exchange_views, inspections
from fieldkit.services.context import Context
from fieldkit.ui import strings
from fieldkit.ui.errors import confirm, show_error, show_message
from fieldkit.ui.models.inspection_table import SORT_KEYS, InspectionTableModel
from fieldkit.ui.widgets.inspection_editor import InspectionEditor
from fieldkit.ui.widgets.list_page import ListEditorPage
from fieldkit.ui.widgets.list_sorter import ListSorter

COLUMN_WIDTHS = (140, 260, 110, 200, 80, 90, 70, 180, 90)
ORIGIN_COLUMN = 8  # 来源设备: shown once bundles from other laptops were imported (office mode)
DEBOUNCE_MS = 250


class InspectionsPage(ListEditorPage[InspectionEditor]):
    document_created = Signal(object)  # forwarded from the editor: open it in 文书
    new_document_requested = Signal(object)  # forwarded from the editor: the inspection's id

    TITLE = strings.INSPECTIONS_TITLE
    FILTER_PLACEHOLDER = strings.INSPECTION_FILTER_PLACEHOLDER
    SELECT_FIRST = strings.SELECT_INSPECTION_FIRST

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.sorter = ListSorter(self._ctx, self.table, "inspections", SORT_KEYS, inspections.DEFAULT_SORT)
        self.sorter.changed.connect(self.refresh)

    # ---- ListEditorPage -----------------------------------------------------------------------
    def status_choices(self) -> Sequence[tuple[str, object]]:
        return [(STATUS_LABELS[status], status) for status in InspectionStatus]

    def list_model(self) -> QAbstractItemModel:
        self.model = InspectionTableModel(
            lambda ids: exchange_views.inspection_items_with_origin(self._ctx, ids), self, with_origin=True
        )
        return self.model

    def head_buttons(self) -> Sequence[QPushButton]:
        self.new_button = QPushButton(strings.INSPECTION_NEW)
        self.new_button.setProperty("primary", True)
        self.new_button.clicked.connect(self._on_new_clicked)
        return (self.new_button,)

    def bar_buttons(self) -> Sequence[QPushButton]:
        self.open_button = QPushButton(strings.INSPECTION_OPEN)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.delete_button = QPushButton(strings.INSPECTION_DELETE_DRAFT)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        return (self.open_button, self.delete_button)

    def make_editor(self) -> InspectionEditor:
        editor = InspectionEditor(self._ctx)
        editor.document_created.connect(self.document_created)
        editor.new_document_requested.connect(self.new_document_requested)
        return editor

    def text_filter_changed(self) -> None:
        self._debounce.start()  # a search per pause in typing, not per keystroke

    def open_record(self, record_id: uuid.UUID) -> None:
        self.open_inspection(record_id)

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

    def _on_new_clicked(self) -> None:
        self.new_inspection()

    def _on_delete_clicked(self) -> None:
        if (inspection_id := self.require_selection()) is None:
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
        self.forget_if_open(inspection_id)
        self.refresh()

    # ---- editor -------------------------------------------------------------------------------
    def new_inspection(self, subject_id: uuid.UUID | None = None) -> InspectionEditor:
        inspection_id = inspections.new_inspection(self._ctx, subject_id)
        return self.open_inspection(inspection_id)

    def open_inspection(self, inspection_id: uuid.UUID, *, recovered: bool = False) -> InspectionEditor:
        self.editor.open_inspection(inspection_id, recovered=recovered)
        return self.show_editor()
