"""The 工作台 card 到期事项: holds about to lapse, seizures about to expire, 复查 due; double-click opens."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.inspections import FOLLOW_UP_KINDS, InspectionType
from fieldkit.errors import FieldkitError
from fieldkit.services import due, measures
from fieldkit.services.context import Context
from fieldkit.services.due import DueItem
from fieldkit.ui import strings
from fieldkit.ui.errors import show_error
from fieldkit.ui.models.due_table import DueTableModel
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.list_sorter import sortable_table, source_row

WIDTHS = (110, 420, 280)
FOLLOW_UPS = FOLLOW_UP_KINDS  # DueItem.kind of a task (the others are measures, ended on their own screen)


class DueList(QFrame):
    open_matter_requested = Signal(object)  # uuid.UUID of the item's matter (any kind)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setProperty("card", True)
        title = QLabel(strings.DUE_TITLE)
        set_role(title, "sectionTitle")
        self.counts = QLabel()
        set_role(self.counts, "hint")
        hint = QLabel(strings.DASH_RECENT_HINT)
        set_role(hint, "hint")
        self.model = DueTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.sorter = sortable_table(ctx, self.table, self.model, "due")  # default: by 到期日
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setFrameShape(QFrame.Shape.NoFrame)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.horizontalHeader().setHighlightSections(False)
        for column, width in enumerate(WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(len(WIDTHS), QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.activated.connect(self._on_table_double_clicked)  # Enter on a row
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.done_button = QPushButton(strings.DUE_DONE)
        self.done_button.setToolTip(strings.DUE_DONE_TIP)
        self.done_button.setEnabled(False)
        self.done_button.clicked.connect(self._on_done_clicked)
        self.empty = QLabel(strings.DUE_EMPTY)
        set_role(self.empty, "hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(8)
        top.addWidget(self.counts)
        top.addStretch(1)
        top.addWidget(hint)
        top.addSpacing(8)
        top.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        items = due.open_deadlines(self._ctx)
        self.model.set_items(items)
        self.empty.setVisible(not items)
        self.table.setVisible(bool(items))
        overdue = sum(1 for i in items if i.urgency == "overdue")
        soon = sum(1 for i in items if i.urgency == "due_soon")
        self.counts.setText(strings.due_counts(len(items), overdue, soon) if items else "")
        set_role(self.counts, "error" if overdue else "hint")
        self.counts.style().unpolish(self.counts)
        self.counts.style().polish(self.counts)

    def selected(self) -> DueItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item_at(source_row(self.table, rows[0].row())) if rows else None

    def _on_selection_changed(self, *_args: object) -> None:
        item = self.selected()
        self.done_button.setEnabled(item is not None and item.kind in FOLLOW_UPS)

    def _on_done_clicked(self) -> None:
        item = self.selected()
        if item is None:
            return
        note, ok = QInputDialog.getText(
            self, strings.DUE_DONE, strings.due_done_prompt(InspectionType(item.kind).label)
        )
        if ok:
            self.close_task(item, note)

    def close_task(self, item: DueItem, note: str = "") -> bool:
        """A 复查/回访 done: it leaves the list (the note is kept with the task)."""
        try:
            measures.close_follow_up(self._ctx, item.record_id, note=note.strip())
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        self.refresh()
        return True

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        item = self.model.item_at(source_row(self.table, index.row()))
        if item is not None:
            self.open_matter_requested.emit(item.matter_id)
