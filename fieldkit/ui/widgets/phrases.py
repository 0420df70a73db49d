"""常用语: a menu of the form's phrase groups (forms/phrases.toml) and insertion at the text cursor."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QPushButton, QWidget

from fieldkit.catalog import PhraseGroup
from fieldkit.ui import strings

BLANK = "____"  # where the officer rewrites a phrase (docs/forms.md §10)
MENU_TEXT_LIMIT = 46  # longer phrases are shortened in the menu; the tooltip shows them whole


def phrase_menu(parent: QWidget, groups: Sequence[PhraseGroup], on_pick: Callable[[str], None]) -> QMenu:
    menu = QMenu(parent)
    menu.setToolTipsVisible(True)
    for group in groups:
        sub = menu.addMenu(group.name)
        sub.setToolTipsVisible(True)
        for phrase in group.phrases:
            shown = phrase if len(phrase) <= MENU_TEXT_LIMIT else phrase[: MENU_TEXT_LIMIT - 1] + "…"
            action = sub.addAction(shown.replace("&", "&&"))
            action.setToolTip(phrase)
            action.triggered.connect(lambda _checked=False, text=phrase: on_pick(text))
    return menu


def phrase_button(
    parent: QWidget, groups: Sequence[PhraseGroup], on_pick: Callable[[str], None]
) -> QPushButton:
    button = QPushButton(strings.DOC_INSERT_PHRASE, parent)
    button.setToolTip(strings.DOC_INSERT_PHRASE_TIP)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the cursor stays where the phrase goes
    button.setMenu(phrase_menu(button, groups, on_pick))
    return button


def insert_phrase(edit: QPlainTextEdit, phrase: str) -> None:
    """Insert at the cursor (replacing a selection) and select the first "____", so that typing
    replaces it."""
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    if cursor.hasSelection():
        cursor.removeSelectedText()
    start = cursor.position()
    cursor.insertText(phrase)
    cursor.endEditBlock()
    offset = phrase.find(BLANK)
    if offset >= 0:
        cursor.setPosition(start + offset)
        cursor.setPosition(start + offset + len(BLANK), QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    edit.setFocus()
