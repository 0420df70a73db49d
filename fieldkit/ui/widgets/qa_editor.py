"""询问笔录's 问/答 pairs: add (Ctrl+Enter), delete, move up/down, each answer a growing editor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.catalog import PhraseGroup
from fieldkit.domain import forms as F
from fieldkit.ui import strings
from fieldkit.ui.errors import confirm
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.form_fields import FieldWidget
from fieldkit.ui.widgets.growing_text import GrowingTextEdit
from fieldkit.ui.widgets.phrases import insert_phrase, phrase_button

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class QAPair(QFrame):
    """One 问 and its 答. Widgets rather than a view with delegates: an answer is often several
    paragraphs typed while the question stays in sight, and a record holds tens of pairs, not thousands."""

    changed = Signal()
    next_requested = Signal(object)  # Ctrl+Enter in either editor
    move_requested = Signal(object, int)  # self, -1 up / +1 down
    delete_requested = Signal(object)
    editor_focused = Signal(object)  # the GrowingTextEdit that got the focus

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        self.number_label = QLabel()
        set_role(self.number_label, "hint")
        self.up_button = self._tool(strings.DOC_QA_UP, strings.DOC_QA_UP_TIP, -1)
        self.down_button = self._tool(strings.DOC_QA_DOWN, strings.DOC_QA_DOWN_TIP, +1)
        self.delete_button = QToolButton()
        self.delete_button.setText(strings.DELETE)
        self.delete_button.setToolTip(strings.DOC_QA_DELETE_TIP)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.number_label)
        head.addStretch(1)
        for button in (self.up_button, self.down_button, self.delete_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes 问 → 答 → next 问
            head.addWidget(button)

        self.q_edit = GrowingTextEdit(min_lines=1, max_lines=6)
        self.a_edit = GrowingTextEdit(min_lines=2, max_lines=24)
        for edit in (self.q_edit, self.a_edit):
            edit.textChanged.connect(self.changed)
            edit.installEventFilter(self)
        q_label = QLabel(strings.DOC_QA_Q)
        a_label = QLabel(strings.DOC_QA_A)
        for label in (q_label, a_label):
            set_role(label, "sectionTitle")
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        grid.addWidget(q_label, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.q_edit, 0, 1)
        grid.addWidget(a_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.a_edit, 1, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addLayout(grid)

    def _tool(self, text: str, tip: str, delta: int) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: self.move_requested.emit(self, delta))
        return button

    def _on_delete_clicked(self) -> None:
        self.delete_requested.emit(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in _ENTER_KEYS and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.next_requested.emit(self)
                return True
        elif event.type() == QEvent.Type.FocusIn and isinstance(watched, GrowingTextEdit):
            self.editor_focused.emit(watched)
        return False

    def set_number(self, n: int, total: int) -> None:
        self.number_label.setText(strings.doc_qa_number(n))
        self.up_button.setEnabled(n > 1)
        self.down_button.setEnabled(n < total)

    def pair(self) -> dict[str, str]:
        return {"q": self.q_edit.toPlainText(), "a": self.a_edit.toPlainText()}

    def is_empty(self) -> bool:
        return not self.q_edit.toPlainText().strip() and not self.a_edit.toPlainText().strip()

    def set_read_only(self, read_only: bool) -> None:
        self.q_edit.setReadOnly(read_only)
        self.a_edit.setReadOnly(read_only)
        for button in (self.up_button, self.down_button, self.delete_button):
            button.setVisible(not read_only)


class QAEditor(FieldWidget):
    """The `qa` field. Fully empty pairs are not stored (a fresh pair is there to type into)."""

    wide = True

    def __init__(
        self, fd: F.FieldDef, phrases: Sequence[PhraseGroup] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(fd, parent)
        self.pairs: list[QAPair] = []
        self._last_editor: GrowingTextEdit | None = None
        self.add_button = QPushButton(strings.DOC_QA_ADD)
        self.add_button.setToolTip(strings.DOC_QA_ADD_TIP)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.phrase_button = phrase_button(self, phrases, self.insert_phrase) if phrases else None
        self.hint = QLabel(strings.DOC_QA_HINT)
        set_role(self.hint, "hint")
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.hint, 1)
        if self.phrase_button is not None:
            bar.addWidget(self.phrase_button)
        self._list = QVBoxLayout()
        self._list.setContentsMargins(0, 0, 0, 0)
        self._list.setSpacing(8)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.add_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addLayout(self._list)
        layout.addLayout(bottom)
        self._ensure_one()

    # ---- pairs --------------------------------------------------------------------------------
    def add_pair(self, after: QAPair | None = None, *, focus: bool = True) -> QAPair:
        pair = QAPair()
        pair.set_read_only(self._read_only)
        pair.changed.connect(self._on_widget_changed)
        pair.next_requested.connect(self._on_pair_next_requested)
        pair.move_requested.connect(self._on_pair_move_requested)
        pair.delete_requested.connect(self._on_pair_delete_requested)
        pair.editor_focused.connect(self._on_pair_editor_focused)
        at = self.pairs.index(after) + 1 if after in self.pairs else len(self.pairs)
        self.pairs.insert(at, pair)
        self._list.insertWidget(at, pair)
        self._renumber()
        if focus:
            pair.q_edit.setFocus()
        return pair

    def remove_pair(self, pair: QAPair) -> None:
        if pair not in self.pairs:
            return
        at = self.pairs.index(pair)
        self.pairs.remove(pair)
        self._list.removeWidget(pair)
        if self._last_editor in (pair.q_edit, pair.a_edit):
            self._last_editor = None
        pair.deleteLater()
        self._ensure_one()
        self._renumber()
        self.pairs[min(at, len(self.pairs) - 1)].q_edit.setFocus()
        self._on_widget_changed()

    def move_pair(self, pair: QAPair, delta: int) -> None:
        at = self.pairs.index(pair)
        target = at + delta
        if not 0 <= target < len(self.pairs):
            return
        self.pairs.insert(target, self.pairs.pop(at))
        self._list.removeWidget(pair)
        self._list.insertWidget(target, pair)
        self._renumber()
        pair.q_edit.setFocus()
        self._on_widget_changed()

    def _ensure_one(self) -> None:
        if not self.pairs:
            self.add_pair(focus=False)

    def _renumber(self) -> None:
        for i, pair in enumerate(self.pairs, 1):
            pair.set_number(i, len(self.pairs))

    def _clear_pairs(self) -> None:
        for pair in self.pairs:
            self._list.removeWidget(pair)
            pair.deleteLater()
        self.pairs = []
        self._last_editor = None

    def insert_phrase(self, phrase: str) -> None:
        """Into the 问 or 答 last typed in; into the last pair's 问 when none was."""
        if self._read_only:
            return
        target = self._last_editor or self.pairs[-1].q_edit
        insert_phrase(target, phrase)

    # ---- FieldWidget --------------------------------------------------------------------------
    def widget_value(self) -> object | None:
        return [p.pair() for p in self.pairs if not p.is_empty()] or None

    def show_value(self, value: object) -> bool:
        if not isinstance(value, list) or not all(
            isinstance(p, Mapping) and isinstance(p.get("q", ""), str) and isinstance(p.get("a", ""), str)
            for p in value
        ):
            self._clear_pairs()
            self._ensure_one()
            return False
        self._clear_pairs()
        for item in value:
            pair = self.add_pair(focus=False)
            pair.q_edit.setPlainText(str(item.get("q", "")))
            pair.a_edit.setPlainText(str(item.get("a", "")))
        self._ensure_one()
        return True

    def clear_widget(self) -> None:
        self._clear_pairs()
        self._ensure_one()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for pair in self.pairs:
            pair.set_read_only(read_only)
        self.add_button.setVisible(not read_only)
        self.hint.setVisible(not read_only)
        if self.phrase_button is not None:
            self.phrase_button.setVisible(not read_only)

    def focus_target(self) -> QWidget:
        return self.pairs[0].q_edit

    # ---- slots --------------------------------------------------------------------------------
    def _on_add_clicked(self) -> None:
        if not self._read_only:
            self.add_pair(self.pairs[-1] if self.pairs else None)

    def _on_pair_next_requested(self, pair: object) -> None:
        if not self._read_only and isinstance(pair, QAPair):
            self.add_pair(pair)

    def _on_pair_move_requested(self, pair: object, delta: int) -> None:
        if not self._read_only and isinstance(pair, QAPair):
            self.move_pair(pair, delta)

    def _on_pair_delete_requested(self, pair: object) -> None:
        if self._read_only or not isinstance(pair, QAPair):
            return
        if not pair.is_empty() and not confirm(self, strings.DOC_QA_CONFIRM_DELETE):
            return
        self.remove_pair(pair)

    def _on_pair_editor_focused(self, editor: object) -> None:
        if isinstance(editor, GrowingTextEdit):
            self._last_editor = editor
