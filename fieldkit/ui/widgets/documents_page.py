"""文书: the list of documents (filter by status and text) and the document editor, on one page."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QHeaderView, QInputDialog, QPushButton, QWidget

from fieldkit.domain import documents as D
from fieldkit.errors import FieldkitError
from fieldkit.services import documents, issuing
from fieldkit.services.context import Context
from fieldkit.services.documents import DocumentListItem
from fieldkit.ui import strings
from fieldkit.ui.blank_print import choose_form, print_blank
from fieldkit.ui.dialogs.inspection_picker import InspectionPickerDialog
from fieldkit.ui.dialogs.new_document_dialog import NewDocumentDialog
from fieldkit.ui.dialogs.numbered_blanks import NumberedBlanksDialog
from fieldkit.ui.document_print import PrintFlow
from fieldkit.ui.errors import confirm, show_error
from fieldkit.ui.models.document_table import (
    COLUMNS,
    UPDATED,
    DocumentFilterProxy,
    DocumentTableModel,
)
from fieldkit.ui.pdf_printer import PdfPrinter
from fieldkit.ui.print_controller import PrintController
from fieldkit.ui.widgets.document_editor import DocumentEditor
from fieldkit.ui.widgets.list_page import ListEditorPage
from fieldkit.ui.widgets.list_sorter import ListSorter

COLUMN_WIDTHS = (260, 240, 300, 90, 80)


class DocumentsPage(ListEditorPage[DocumentEditor]):
    TITLE = strings.DOCS_TITLE
    FILTER_PLACEHOLDER = strings.DOCS_FILTER_PLACEHOLDER
    SELECT_FIRST = strings.DOCS_SELECT_FIRST

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        self.new_dialog: NewDocumentDialog | None = None
        self.picker: InspectionPickerDialog | None = None
        self.blank_job: PdfPrinter | None = None
        self.numbered_blanks_dialog: NumberedBlanksDialog | None = None
        super().__init__(ctx, parent)
        self.printing = PrintController(ctx, self)  # 重印 straight from the list
        self.printing.finalised.connect(self._on_flow_finalised)
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
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.proxy.modelReset.connect(self._update_buttons)
        self._update_buttons()

    # ---- ListEditorPage -----------------------------------------------------------------------
    def status_choices(self) -> Sequence[tuple[str, object]]:
        return [(label, state.value) for state, label in D.STATE_LABELS.items()]

    def list_model(self) -> QAbstractItemModel:
        self.model = DocumentTableModel(self)
        self.proxy = DocumentFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        return self.proxy

    def head_buttons(self) -> Sequence[QPushButton]:
        self.blank_button = QPushButton(strings.BLANK_BUTTON)
        self.blank_button.setToolTip(strings.BLANK_BUTTON_TIP)
        self.blank_button.clicked.connect(self._on_blank_clicked)
        self.numbered_blanks_button = QPushButton(strings.NUMBERED_BLANKS_BUTTON)
        self.numbered_blanks_button.setToolTip(strings.NUMBERED_BLANKS_BUTTON_TIP)
        self.numbered_blanks_button.clicked.connect(self._on_numbered_blanks_clicked)
        self.new_for_button = QPushButton(strings.DOC_NEW_FOR_INSPECTION)
        self.new_for_button.clicked.connect(self._on_new_for_clicked)
        self.new_button = QPushButton(strings.DOC_NEW)
        self.new_button.setProperty("primary", True)
        self.new_button.clicked.connect(self._on_new_clicked)
        return (self.blank_button, self.numbered_blanks_button, self.new_for_button, self.new_button)

    def bar_buttons(self) -> Sequence[QPushButton]:
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
        return (
            self.open_button,
            self.reprint_button,
            self.correct_button,
            self.void_button,
            self.delete_button,
        )

    def make_editor(self) -> DocumentEditor:
        return DocumentEditor(self._ctx)

    def status_filter_changed(self) -> None:
        self.proxy.set_status(self.status_combo.currentData())
        self._update_count()
        self._update_buttons()

    def text_filter_changed(self) -> None:
        self.proxy.set_text(self.filter_edit.text())
        self._update_count()
        self._update_buttons()

    def open_record(self, record_id: uuid.UUID) -> None:
        self.open_document(record_id)

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

    def _on_reprint_clicked(self) -> None:
        if (document_id := self.require_selection()) is not None:
            self.reprint(document_id)

    def _on_correct_clicked(self) -> None:
        if (document_id := self.require_selection()) is not None:
            self.open_document(document_id).start_correction()

    def _on_void_clicked(self) -> None:
        if (document_id := self.require_selection()) is not None:
            self.void(document_id)

    def _on_delete_clicked(self) -> None:
        document_id = self.require_selection()
        if document_id is None or not confirm(self, strings.DOC_CONFIRM_DELETE):
            return
        try:
            documents.delete_draft(self._ctx, document_id)
        except FieldkitError as exc:
            show_error(self, exc)
        self.forget_if_open(document_id)
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
        return self.printing.print_document(printer, document_id=document_id)

    def _on_flow_finalised(self, _result: object) -> None:
        self.refresh()

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

    def ask_new_document(self, matter_id: uuid.UUID | None = None) -> NewDocumentDialog:
        """The 新建文书 dialog (form, and the inspection when not given); creates on 新建."""
        dialog = NewDocumentDialog(self._ctx, matter_id, self)
        dialog.accepted.connect(self._on_new_dialog_accepted)
        self.new_dialog = dialog
        dialog.open()
        return dialog

    def _on_new_dialog_accepted(self) -> None:
        dialog, self.new_dialog = self.new_dialog, None
        if dialog is None or (form := dialog.chosen_form()) is None:
            return
        self.new_document(form.id, dialog.matter_id)

    def new_document(self, form_id: str, matter_id: uuid.UUID | None = None) -> DocumentEditor | None:
        try:
            document_id = issuing.new_document(self._ctx, form_id, matter_id)
        except FieldkitError as exc:
            show_error(self, exc)
            return None
        return self.open_document(document_id)

    # ---- editor -------------------------------------------------------------------------------
    def open_document(self, document_id: uuid.UUID) -> DocumentEditor:
        self.editor.open_document(document_id)
        return self.show_editor()
