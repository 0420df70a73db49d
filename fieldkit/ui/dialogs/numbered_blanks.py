"""编号空白文书: issue numbered blanks from this laptop's series, print them, and account for each one
(已发放未使用 / 已使用 / 已作废) — 行政处罚法第五十二条: the 当场行政处罚决定书 is 预定格式、编有号码."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError
from fieldkit.services import documents
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.documents import BLANK_STATE_LABELS, NumberedBlank
from fieldkit.ui import strings
from fieldkit.ui.errors import show_error
from fieldkit.ui.pdf_printer import PdfPrinter, choose_printer
from fieldkit.ui.theme import set_role

COLUMNS = (
    strings.NB_COL_NUMBER,
    strings.NB_COL_FORM,
    strings.NB_COL_STATE,
    strings.NB_COL_ISSUED,
    strings.NB_COL_NOTE,
)


class NumberedBlanksDialog(QDialog):
    """The ledger of numbered blanks with 发放并打印 / 登记已使用 / 作废 / 重印."""

    document_opened = Signal(object)  # uuid.UUID: a used blank, now a draft under its number
    printing_done = Signal()  # the last print job ended (printed, failed or cancelled)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(strings.NB_TITLE)
        self.resize(900, 520)
        self.blanks: list[NumberedBlank] = []
        self.print_job: PdfPrinter | None = None

        intro = QLabel(strings.NB_INTRO)
        intro.setWordWrap(True)
        set_role(intro, "hint")
        self.form_combo = QComboBox()
        for formdef in documents.available_forms():
            if formdef.numbered:
                self.form_combo.addItem(formdef.title, formdef.id)
        # first the form the law requires pre-numbered (行政处罚法第五十二条: TOML `prenumbered = true`)
        prenumbered = [f.id for f in documents.available_forms() if f.prenumbered]
        self.form_combo.setCurrentIndex(
            max(0, self.form_combo.findData(prenumbered[0] if prenumbered else ""))
        )
        self.form_combo.currentIndexChanged.connect(self._on_form_changed)
        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, documents.MAX_BLANKS)
        self.count_spin.setValue(5)
        self.count_spin.setSuffix(strings.NB_COUNT_SUFFIX)
        self.issue_button = QPushButton(strings.NB_ISSUE)
        self.issue_button.setProperty("primary", True)
        self.issue_button.setToolTip(strings.NB_ISSUE_TIP)
        self.issue_button.clicked.connect(self._on_issue_clicked)
        top = QHBoxLayout()
        top.addWidget(QLabel(strings.NB_FORM))
        top.addWidget(self.form_combo, 1)
        top.addWidget(self.count_spin)
        top.addWidget(self.issue_button)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((230, 170, 110, 140)):
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.summary = QLabel()
        set_role(self.summary, "hint")

        self.use_button = QPushButton(strings.NB_USE)
        self.use_button.setToolTip(strings.NB_USE_TIP)
        self.use_button.clicked.connect(self._on_use_clicked)
        self.void_button = QPushButton(strings.NB_VOID)
        self.void_button.clicked.connect(self._on_void_clicked)
        self.reprint_button = QPushButton(strings.NB_REPRINT)
        self.reprint_button.clicked.connect(self._on_reprint_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(strings.CLOSE)
        buttons.rejected.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        for button in (self.reprint_button, self.void_button, self.use_button):
            bar.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        layout.addWidget(buttons)
        self.refresh()

    # ---- the ledger -----------------------------------------------------------------------------
    def form_id(self) -> str:
        return str(self.form_combo.currentData() or "")

    def refresh(self) -> None:
        self.blanks = documents.list_numbered_blanks(self._ctx, self.form_id())
        self.table.setRowCount(len(self.blanks))  # a day's blanks, not 100k rows: a plain table
        for row, blank in enumerate(self.blanks):
            issued = blank.issued_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
            cells = (blank.number, blank.title, BLANK_STATE_LABELS[blank.state], issued, blank.note)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        counts = {state: sum(1 for b in self.blanks if b.state == state) for state in BLANK_STATE_LABELS}
        self.summary.setText(
            strings.nb_summary(len(self.blanks), [(BLANK_STATE_LABELS[k], n) for k, n in counts.items()])
        )
        self._update_buttons()

    def selected(self) -> NumberedBlank | None:
        rows = self.table.selectionModel().selectedRows()
        return self.blanks[rows[0].row()] if rows else None

    def select_number(self, number: str) -> bool:
        for row, blank in enumerate(self.blanks):
            if blank.number == number:
                self.table.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        blank = self.selected()
        issued = blank is not None and blank.state == "issued"
        self.use_button.setEnabled(issued)
        self.void_button.setEnabled(issued)
        self.reprint_button.setEnabled(blank is not None)

    # ---- actions --------------------------------------------------------------------------------
    def issue(self, count: int | None = None, printer: QPrinter | None = None) -> list[uuid.UUID]:
        """Draw the numbers, then print them (the system print dialog unless a test passes a printer).
        The numbers are on record from here on, printed or not: a spoiled one is voided, never reused."""
        try:
            ids = documents.issue_numbered_blanks(self._ctx, self.form_id(), count or self.count_spin.value())
            pdf, _pages = documents.numbered_blanks_pdf(self._ctx, ids)
        except FieldkitError as exc:
            show_error(self, exc)
            return []
        self.refresh()
        self._print(pdf, printer)
        return ids

    def _print(self, pdf: bytes, printer: QPrinter | None) -> None:
        printer = choose_printer(self, strings.blank_doc_name(self.form_combo.currentText()), printer)
        if printer is None:
            return
        # owned by the page, not the dialog: closing the dialog must not pull the job from under the printer
        owner = self.parentWidget() or self
        self.print_job = PdfPrinter(owner, pdf, printer)
        self.print_job.failed.connect(self._on_print_failed)
        self.print_job.finished.connect(self.printing_done)
        self.print_job.cancelled.connect(self.printing_done)
        self.print_job.start()

    def use(self) -> uuid.UUID | None:
        """登记已使用: the blank was filled by hand; it becomes a draft under its number to record it."""
        blank = self.selected()
        if blank is None:
            return None
        try:
            documents.use_numbered_blank(self._ctx, blank.id)
        except FieldkitError as exc:
            show_error(self, exc)
            return None
        self.refresh()
        self.document_opened.emit(blank.id)
        return blank.id

    def void(self, reason: str | None = None) -> bool:
        blank = self.selected()
        if blank is None:
            return False
        if reason is None:
            text, ok = QInputDialog.getMultiLineText(
                self, strings.NB_VOID, strings.nb_void_prompt(blank.number)
            )
            if not ok:
                return False
            reason = text
        try:
            documents.void_document(self._ctx, blank.id, reason)
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        self.refresh()
        return True

    def reprint(self, printer: QPrinter | None = None) -> None:
        blank = self.selected()
        if blank is None:
            return
        try:
            pdf = documents.print_document(self._ctx, blank.id).pdf
        except FieldkitError as exc:
            show_error(self, exc)
            return
        self._print(pdf, printer)

    def _on_form_changed(self, *_args: object) -> None:
        self.refresh()

    def _on_issue_clicked(self) -> None:
        self.issue()

    def _on_use_clicked(self) -> None:
        self.use()

    def _on_void_clicked(self) -> None:
        self.void()

    def _on_reprint_clicked(self) -> None:
        self.reprint()

    def _on_print_failed(self, exc: object) -> None:
        self.printing_done.emit()
        if isinstance(exc, BaseException):
            show_error(self, exc)
