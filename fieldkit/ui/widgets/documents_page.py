"""文书: the list of documents (filter by status and text) and the document editor, on one page."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain import documents as D
from fieldkit.errors import FieldkitError
from fieldkit.services import documents, issuing
from fieldkit.services.context import Context
from fieldkit.services.documents import STATUS_LABELS, DocumentListItem
from fieldkit.ui import strings
from fieldkit.ui.blank_print import choose_form, print_blank
from fieldkit.ui.dialogs.inspection_picker import InspectionPickerDialog
from fieldkit.ui.dialogs.new_document_dialog import NewDocumentDialog
from fieldkit.ui.dialogs.numbered_blanks import NumberedBlanksDialog
from fieldkit.ui.document_print import PrintFlow
from fieldkit.ui.errors import confirm, show_error, show_message
from fieldkit.ui.models.document_table import (
    COLUMNS,
    UPDATED,
    DocumentFilterProxy,
    DocumentTableModel,
    IdRole,
)
from fieldkit.ui.pdf_printer import PdfPrinter
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.document_editor import DocumentEditor
from fieldkit.ui.widgets.list_sorter import ListSorter
from fieldkit.ui.widgets.page import Page

COLUMN_WIDTHS = (260, 240, 300, 90, 80)


class DocumentsPage(Page):
    autosaved = Signal(object)  # forwarded from the editor, for the status bar

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.stack = QStackedWidget()
        self.list_widget = self._build_list()
        self._editor: DocumentEditor | None = None  # built when first needed (lean start-up)
        self.new_dialog: NewDocumentDialog | None = None
        self.picker: InspectionPickerDialog | None = None
        self.flow: PrintFlow | None = None
        self.stack.addWidget(self.list_widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def _build_list(self) -> QWidget:
        box = QWidget()
        title = QLabel(strings.DOCS_TITLE)
        set_role(title, "pageTitle")
        self.status_combo = QComboBox()
        self.status_combo.addItem(strings.STATUS_ALL, None)
        for status, label in STATUS_LABELS.items():
            self.status_combo.addItem(label, status)
        self.status_combo.currentIndexChanged.connect(self._on_status_combo_changed)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(strings.DOCS_FILTER_PLACEHOLDER)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_text_changed)
        self.count_label = QLabel()
        set_role(self.count_label, "hint")

        self.new_button = QPushButton(strings.DOC_NEW)
        self.new_button.setProperty("primary", True)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.new_for_button = QPushButton(strings.DOC_NEW_FOR_INSPECTION)
        self.new_for_button.clicked.connect(self._on_new_for_clicked)
        self.open_button = QPushButton(strings.DOC_OPEN)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.reprint_button = QPushButton(strings.DOC_REPRINT)
        self.reprint_button.clicked.connect(self._on_reprint_clicked)
        self.correct_button = QPushButton(strings.DOC_CORRECT)
        self.correct_button.clicked.connect(self._on_correct_clicked)
        self.void_button = QPushButton(strings.DOC_VOID)
        self.void_button.clicked.connect(self._on_void_clicked)
        self.delete_button = QPushButton(strings.INSPECTION_DELETE_DRAFT)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.blank_button = QPushButton(strings.BLANK_BUTTON)
        self.blank_button.setToolTip(strings.BLANK_BUTTON_TIP)
        self.blank_button.clicked.connect(self._on_blank_clicked)
        self.blank_job: PdfPrinter | None = None
        self.numbered_blanks_button = QPushButton(strings.NUMBERED_BLANKS_BUTTON)
        self.numbered_blanks_button.setToolTip(strings.NUMBERED_BLANKS_BUTTON_TIP)
        self.numbered_blanks_button.clicked.connect(self._on_numbered_blanks_clicked)
        self.numbered_blanks_dialog: NumberedBlanksDialog | None = None

        self.model = DocumentTableModel(self)
        self.proxy = DocumentFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(UPDATED, Qt.SortOrder.DescendingOrder)
        # A few thousand rows at most, all in memory: the proxy sorts; the order chosen is remembered.
        self.sorter = ListSorter(
            self._ctx,
            self.table,
            "documents",
            ("title", "number", "party", "status", "revision", "updated"),
            ("updated", True),
            proxy=self.proxy,
        )
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
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.proxy.modelReset.connect(self._update_buttons)

        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.blank_button)
        head.addWidget(self.numbered_blanks_button)
        head.addWidget(self.new_for_button)
        head.addWidget(self.new_button)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(strings.COL_STATUS))
        bar.addWidget(self.status_combo)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.count_label)
        bar.addSpacing(12)
        for button in (
            self.open_button,
            self.reprint_button,
            self.correct_button,
            self.void_button,
            self.delete_button,
        ):
            bar.addWidget(button)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addLayout(head)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self._update_buttons()
        return box

    # ---- Page ---------------------------------------------------------------------------------
    def page_shown(self) -> None:
        if self.stack.currentWidget() is self.list_widget:
            self.refresh()

    def page_leaving(self) -> None:
        if self._editor is not None:
            self._editor.save_now()

    def focus_search(self) -> bool:
        if self.stack.currentWidget() is not self.list_widget:
            return False
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()
        return True

    @property
    def editor(self) -> DocumentEditor:
        if self._editor is None:
            self._editor = DocumentEditor(self._ctx)
            self._editor.close_requested.connect(self._on_editor_close_requested)
            self._editor.record_changed.connect(self.refresh)
            self._editor.autosaved.connect(self.autosaved)
            self.stack.addWidget(self._editor)
        return self._editor

    def close_editor(self) -> None:
        """The window is closing: save and forget the open document."""
        if self._editor is not None:
            self._editor.close_document()

    # ---- list ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        keep = self.selected_id()
        self.model.set_items(documents.list_documents(self._ctx))
        self._update_count()
        if keep is not None:
            self.select(keep)
        self._update_buttons()

    def _update_count(self) -> None:
        self.count_label.setText(strings.doc_count(self.proxy.rowCount()))

    def select(self, document_id: uuid.UUID) -> bool:
        row = self.model.row_of(document_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        return True

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(IdRole) if rows else None

    def selected_item(self) -> DocumentListItem | None:
        document_id = self.selected_id()
        return None if document_id is None else self.model.item(self.model.row_of(document_id))

    def _update_buttons(self, *_args: object) -> None:
        item = self.selected_item()
        self.open_button.setEnabled(item is not None)

        def allows(action: D.Action) -> bool:  # the lifecycle decides (domain/documents.py)
            return item is not None and D.is_allowed(
                item.status, action, numbered_draft=item.number is not None
            )

        self.reprint_button.setEnabled(allows(D.Action.REPRINT))
        self.correct_button.setEnabled(allows(D.Action.CORRECT))
        self.void_button.setEnabled(allows(D.Action.VOID))
        self.delete_button.setEnabled(allows(D.Action.DELETE))

    def _on_table_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_status_combo_changed(self, *_args: object) -> None:
        self.proxy.set_status(self.status_combo.currentData())
        self._update_count()
        self._update_buttons()

    def _on_filter_text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()
        self._update_buttons()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        document_id = index.data(IdRole)
        if isinstance(document_id, uuid.UUID):
            self.open_document(document_id)

    def _require_selection(self) -> uuid.UUID | None:
        document_id = self.selected_id()
        if document_id is None:
            show_message(self, strings.DOCS_SELECT_FIRST)
        return document_id

    def _on_open_clicked(self) -> None:
        if (document_id := self._require_selection()) is not None:
            self.open_document(document_id)

    def _on_reprint_clicked(self) -> None:
        if (document_id := self._require_selection()) is not None:
            self.reprint(document_id)

    def _on_correct_clicked(self) -> None:
        if (document_id := self._require_selection()) is not None:
            self.open_document(document_id).start_correction()

    def _on_void_clicked(self) -> None:
        if (document_id := self._require_selection()) is not None:
            self.void(document_id)

    def _on_delete_clicked(self) -> None:
        document_id = self._require_selection()
        if document_id is None or not confirm(self, strings.DOC_CONFIRM_DELETE):
            return
        try:
            documents.delete_draft(self._ctx, document_id)
        except FieldkitError as exc:
            show_error(self, exc)
        if self._editor is not None and self._editor.document_id == document_id:
            self._editor.discard()
        self.refresh()

    def void(self, document_id: uuid.UUID, reason: str | None = None) -> bool:
        """作废 with a reason (asked for when not given); the number stays on record."""
        item = self.model.item(self.model.row_of(document_id))
        if reason is None:
            text, ok = QInputDialog.getMultiLineText(
                self, strings.DOC_VOID_TITLE, strings.doc_void_prompt(item.number if item else None)
            )
            if not ok:
                return False
            reason = text
        try:
            documents.void_document(self._ctx, document_id, reason)
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        if self._editor is not None and self._editor.document_id == document_id:
            self._editor.reload()
        self.refresh()
        return True

    def reprint(self, document_id: uuid.UUID, printer: QPrinter | None = None) -> PrintFlow | None:
        """重印 straight from the list: the very PDF that was finalised."""
        if self.flow is not None:
            return None
        flow = PrintFlow(self._ctx, self, document_id, printer=printer)
        flow.finalised.connect(self._on_flow_finalised)
        flow.ended.connect(self._on_flow_ended)
        self.flow = flow
        flow.start()
        return flow

    def _on_flow_finalised(self, _result: object) -> None:
        self.refresh()

    def _on_flow_ended(self) -> None:
        if self.flow is not None:
            self.flow.deleteLater()
        self.flow = None

    # ---- new documents ------------------------------------------------------------------------
    def _on_blank_clicked(self) -> None:
        if (form_id := choose_form(self)) is not None:
            self.print_blank_form(form_id)

    def print_blank_form(self, form_id: str, printer: QPrinter | None = None) -> None:
        """A blank copy to write by hand. A form the law wants pre-numbered (当场行政处罚决定书, 行政处罚法
        第五十二条) has no unnumbered blank: its numbered blanks open instead, numbers from the series."""
        if any(f.id == form_id and f.prenumbered for f in documents.available_forms()):
            self.open_numbered_blanks()
            return
        self.blank_job = print_blank(self, self._ctx, form_id, printer)

    def open_numbered_blanks(self) -> NumberedBlanksDialog:
        dialog = NumberedBlanksDialog(self._ctx, self)
        dialog.document_opened.connect(self._on_numbered_blank_used)
        dialog.finished.connect(self._on_numbered_blanks_finished)
        self.numbered_blanks_dialog = dialog
        dialog.open()
        return dialog

    def _on_numbered_blanks_clicked(self) -> None:
        self.open_numbered_blanks()

    def _on_numbered_blank_used(self, document_id: object) -> None:
        self.refresh()
        if isinstance(document_id, uuid.UUID):
            if self.numbered_blanks_dialog is not None:
                self.numbered_blanks_dialog.accept()
            self.open_document(document_id)

    def _on_numbered_blanks_finished(self, *_args: object) -> None:
        self.numbered_blanks_dialog = None
        self.refresh()

    def _on_new_clicked(self) -> None:
        self.ask_new_document()

    def _on_new_for_clicked(self) -> None:
        self.picker = InspectionPickerDialog(self._ctx, self)
        self.picker.accepted.connect(self._on_picker_accepted)
        self.picker.open()

    def _on_picker_accepted(self) -> None:
        if self.picker is not None and self.picker.chosen_id is not None:
            self.ask_new_document(self.picker.chosen_id)
        self.picker = None

    def ask_new_document(self, inspection_id: uuid.UUID | None = None) -> NewDocumentDialog:
        """The 新建文书 dialog (form, and the inspection when not given); creates on 新建."""
        dialog = NewDocumentDialog(self._ctx, inspection_id, self)
        dialog.accepted.connect(self._on_new_dialog_accepted)
        self.new_dialog = dialog
        dialog.open()
        return dialog

    def _on_new_dialog_accepted(self) -> None:
        dialog, self.new_dialog = self.new_dialog, None
        if dialog is None or (form := dialog.chosen_form()) is None:
            return
        self.new_document(form.id, dialog.inspection_id)

    def new_document(self, form_id: str, inspection_id: uuid.UUID | None = None) -> DocumentEditor | None:
        try:
            document_id = issuing.new_document(self._ctx, form_id, inspection_id)
        except FieldkitError as exc:
            show_error(self, exc)
            return None
        return self.open_document(document_id)

    # ---- editor -------------------------------------------------------------------------------
    def open_document(self, document_id: uuid.UUID) -> DocumentEditor:
        self.editor.open_document(document_id)
        self.stack.setCurrentWidget(self.editor)
        return self.editor

    def _on_editor_close_requested(self) -> None:
        self.stack.setCurrentWidget(self.list_widget)
        self.refresh()
