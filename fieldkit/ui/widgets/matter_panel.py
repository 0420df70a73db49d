"""A panel of one matter's child records (its evidence items, its measures; a case's next): the list
above, the selected record's details below, actions that add, edit and draft documents from them.

A matter is the parent the work attaches to (an inspection is the first kind, DESIGN §8): the panel is
given the matter's id, so a case page shows the same panels for its own records.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QHeaderView, QLabel, QSplitter, QVBoxLayout, QWidget

from fieldkit.services.context import Context
from fieldkit.ui.models.rows_table import RecordTableModel
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.banner import Banner
from fieldkit.ui.widgets.drafting import draft_document
from fieldkit.ui.widgets.list_sorter import sortable_table
from fieldkit.ui.widgets.record_list import record_table, select_record, selected_record, show_records

R = TypeVar("R")


class MatterPanel(QWidget, Generic[R]):
    """Subclasses give the texts, the model, `list_records`, the buttons and the details below."""

    document_created = Signal(object)  # uuid.UUID of a draft document made from these records

    TITLE = ""
    HINT = ""
    EMPTY = ""  # shown instead of the table while there is no record
    SORT_NAME = ""  # the list's name for the remembered sort order (list_sorter.py)
    WIDTHS: tuple[int, ...] = ()
    STRETCH_COLUMN = -1  # takes the rest of the width
    SPLIT_SIZES = (300, 300)

    def __init__(self, ctx: Context, matter_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._matter_id = matter_id
        self.dialog: QDialog | None = None
        self._build()
        self.reload()

    # ---- what a panel gives -------------------------------------------------------------------
    def make_model(self) -> RecordTableModel[R]:
        raise NotImplementedError

    def list_records(self) -> Sequence[R]:
        raise NotImplementedError

    def top_buttons(self) -> Sequence[QWidget]:
        """Right of the title."""
        return ()

    def action_buttons(self) -> Sequence[QWidget]:
        """In a row under the list, right-aligned (none: no row)."""
        return ()

    def build_details(self) -> QWidget:
        """Below the list: the selected record's parts."""
        return QWidget()

    def show_selected(self) -> None:
        """The selection changed or the list was re-read: the details and the buttons follow."""

    def dialog_accepted(self, saved_id: uuid.UUID | None) -> None:
        """A record was saved in the dialog (it is selected already)."""

    def dialog_rejected(self) -> None:
        """The dialog was cancelled."""

    # ---- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.banner = Banner("info", dismissable=True)
        title = QLabel(self.TITLE)
        set_role(title, "sectionTitle")
        hint = QLabel(self.HINT)
        set_role(hint, "hint")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(8)
        top.addWidget(hint, 1)
        for button in self.top_buttons():
            top.addWidget(button)

        self.model = self.make_model()
        self.table = record_table(self.model, framed=False)
        self.sorter = sortable_table(self._ctx, self.table, self.model, self.SORT_NAME)
        for column, width in enumerate(self.WIDTHS):
            self.table.setColumnWidth(column, width)
        if self.STRETCH_COLUMN >= 0:
            self.table.horizontalHeader().setSectionResizeMode(
                self.STRETCH_COLUMN, QHeaderView.ResizeMode.Stretch
            )
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.empty_label = QLabel(self.EMPTY)
        set_role(self.empty_label, "hint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.empty_label)
        upper_layout.addWidget(self.table, 1)
        if actions := self.action_buttons():
            row = QHBoxLayout()
            row.addStretch(1)
            for button in actions:
                row.addWidget(button)
            upper_layout.addLayout(row)
        lower = self.build_details()
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(upper)
        self.split.addWidget(lower)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes(list(self.SPLIT_SIZES))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.split, 1)

    # ---- reading ------------------------------------------------------------------------------
    @property
    def matter_id(self) -> uuid.UUID:
        return self._matter_id

    def reload(self) -> None:
        show_records(self.table, self.model, self.empty_label, self.list_records())
        self.show_selected()

    def selected(self) -> R | None:
        return selected_record(self.table, self.model)

    def selected_id(self) -> uuid.UUID | None:
        record = self.selected()
        return None if record is None else record.id  # type: ignore[attr-defined]

    def select(self, record_id: uuid.UUID) -> None:
        select_record(self.table, self.model, record_id)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.show_selected()

    # ---- actions ------------------------------------------------------------------------------
    def open_dialog(self, dialog: QDialog) -> None:
        """Not modal to the app; the list re-reads and selects the record when it is saved."""
        dialog.accepted.connect(self._on_dialog_accepted)
        dialog.rejected.connect(self._on_dialog_rejected)
        self.dialog = dialog
        dialog.open()

    def _on_dialog_accepted(self) -> None:
        dialog, self.dialog = self.dialog, None
        self.reload()
        saved_id: uuid.UUID | None = getattr(dialog, "saved_id", None)
        if saved_id is not None:
            self.select(saved_id)
        self.dialog_accepted(saved_id)

    def _on_dialog_rejected(self) -> None:
        self.dialog = None
        self.dialog_rejected()

    def draft(self, create: Callable[[], uuid.UUID]) -> uuid.UUID | None:
        """A draft document made by `create`, handed on by document_created; a refusal in the banner."""
        document_id = draft_document(self, self._ctx, self.banner, create)
        if document_id is not None:
            self.document_created.emit(document_id)
        return document_id
