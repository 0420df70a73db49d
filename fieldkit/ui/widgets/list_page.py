"""A page that pairs a list of records with an editor for one of them (检查, 文书, and a case's pages next).

The list shows first: a title with the page's main buttons, a bar with a status filter, a search box, a
count and the actions on the selected row, and the table. Opening a record shows its editor in its place
(built when first needed, for a lean start-up); 返回列表 shows the list again, re-read. Leaving the page
or closing the window saves what is typed in the editor (widgets/autosave.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractItemModel, Signal, SignalInstance
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit.services.context import Context
from fieldkit.ui import strings
from fieldkit.ui.errors import show_message
from fieldkit.ui.models.lazy_table import IdRole
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.page import Page
from fieldkit.ui.widgets.record_list import record_table


class RecordEditor(Protocol):
    """What the page needs of its editor."""

    close_requested: SignalInstance  # 返回列表, or the record was deleted
    record_changed: SignalInstance  # the list should re-read
    autosaved: SignalInstance  # dt.datetime of a save

    @property
    def record_id(self) -> uuid.UUID | None: ...

    def save_now(self) -> bool: ...

    def close_record(self) -> None: ...

    def discard(self) -> None: ...


E = TypeVar("E", bound=QWidget)


class ListEditorPage(Page, Generic[E]):
    """Subclasses give the texts, the status choices, the table model, the buttons and `make_editor`;
    they open records with `show_editor()` after the editor has loaded one."""

    autosaved = Signal(object)  # forwarded from the editor, for the status bar

    TITLE = ""
    FILTER_PLACEHOLDER = ""
    SELECT_FIRST = ""  # said when an action needs a selected row and there is none

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.stack = QStackedWidget()
        self._editor: E | None = None
        self.list_widget = self._build_list()
        self.stack.addWidget(self.list_widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # ---- what a page gives --------------------------------------------------------------------
    def status_choices(self) -> Sequence[tuple[str, object]]:
        """(label, value) of the status filter, after 全部."""
        return ()

    def list_model(self) -> QAbstractItemModel:
        raise NotImplementedError

    def head_buttons(self) -> Sequence[QPushButton]:
        """Beside the title: making new records."""
        return ()

    def bar_buttons(self) -> Sequence[QPushButton]:
        """After the search box: what can be done to the selected row."""
        return ()

    def make_editor(self) -> E:
        raise NotImplementedError

    def refresh(self) -> None:
        """Re-read the list, keeping the selected row."""

    def status_filter_changed(self) -> None:
        self.refresh()

    def text_filter_changed(self) -> None:
        self.refresh()

    def open_record(self, record_id: uuid.UUID) -> None:
        raise NotImplementedError

    # ---- the list -----------------------------------------------------------------------------
    def _build_list(self) -> QWidget:
        box = QWidget()
        title = QLabel(self.TITLE)
        set_role(title, "pageTitle")
        self.status_combo = QComboBox()
        self.status_combo.addItem(strings.STATUS_ALL, None)
        for label, value in self.status_choices():
            self.status_combo.addItem(label, value)
        self.status_combo.currentIndexChanged.connect(self._on_status_combo_changed)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.FILTER_PLACEHOLDER)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_text_changed)
        self.count_label = QLabel()
        set_role(self.count_label, "hint")
        self.table = record_table(self.list_model())
        self.table.doubleClicked.connect(self._on_table_double_clicked)

        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        for button in self.head_buttons():
            head.addWidget(button)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(strings.COL_STATUS))
        bar.addWidget(self.status_combo)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.count_label)
        bar.addSpacing(12)
        for button in self.bar_buttons():
            bar.addWidget(button)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addLayout(head)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        return box

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        value = rows[0].data(IdRole) if rows else None
        return value if isinstance(value, uuid.UUID) else None

    def require_selection(self) -> uuid.UUID | None:
        """The selected record's id; with none selected the officer is told to choose one."""
        record_id = self.selected_id()
        if record_id is None:
            show_message(self, self.SELECT_FIRST)
        return record_id

    def _on_status_combo_changed(self, *_args: object) -> None:
        self.status_filter_changed()

    def _on_filter_text_changed(self, _text: str) -> None:
        self.text_filter_changed()

    def _on_table_double_clicked(self, *_args: object) -> None:
        self._on_open_clicked()

    def _on_open_clicked(self) -> None:
        if (record_id := self.require_selection()) is not None:
            self.open_record(record_id)

    # ---- Page ---------------------------------------------------------------------------------
    def page_shown(self) -> None:
        if self.stack.currentWidget() is self.list_widget:
            self.refresh()

    def page_leaving(self) -> None:
        if self._editor is not None:
            self._as_record_editor(self._editor).save_now()

    def focus_search(self) -> bool:
        if self.stack.currentWidget() is not self.list_widget:
            return False
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()
        return True

    def close_editor(self) -> None:
        """The window is closing: save and forget the open record."""
        if self._editor is not None:
            self._as_record_editor(self._editor).close_record()

    # ---- the editor ---------------------------------------------------------------------------
    @property
    def editor(self) -> E:
        if self._editor is None:
            editor = self.make_editor()
            record_editor = self._as_record_editor(editor)
            record_editor.close_requested.connect(self._on_editor_close_requested)
            record_editor.record_changed.connect(self.refresh)
            record_editor.autosaved.connect(self.autosaved)
            self.stack.addWidget(editor)
            self._editor = editor
        return self._editor

    def show_editor(self) -> E:
        self.stack.setCurrentWidget(self.editor)
        return self.editor

    def forget_if_open(self, record_id: uuid.UUID) -> None:
        """The record was deleted from the list: the editor must not save it again."""
        if self._editor is not None and self._as_record_editor(self._editor).record_id == record_id:
            self._as_record_editor(self._editor).discard()

    @staticmethod
    def _as_record_editor(editor: E) -> RecordEditor:
        return editor  # type: ignore[return-value]

    def _on_editor_close_requested(self) -> None:
        self.stack.setCurrentWidget(self.list_widget)
        self.refresh()
