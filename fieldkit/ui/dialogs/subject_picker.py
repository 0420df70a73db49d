"""Choose the subject of an inspection with the same search as the 当事人 page."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from fieldkit.services.context import Context
from fieldkit.ui import strings
from fieldkit.ui.dialogs.buttons import ok_cancel
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.subject_search import SubjectSearch


class SubjectPickerDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(strings.PICKER_TITLE)
        self.resize(980, 560)
        self.chosen_id: uuid.UUID | None = None
        self.search = SubjectSearch(ctx, list_key="subject_picker")
        self.search.set_compact()
        self.search.activated.connect(self._on_search_activated)
        self.search.selection_changed.connect(self._on_search_selection_changed)
        hint = QLabel(strings.PICKER_HINT)
        set_role(hint, "hint")
        self.buttons = ok_cancel(self, strings.OK, self._on_ok_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search, 1)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.search.refresh()
        self.search.search_edit.setFocus()
        self._on_search_selection_changed()

    def _on_search_selection_changed(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.search.selected_id() is not None
        )

    def _on_search_activated(self, subject_id: uuid.UUID) -> None:
        self.chosen_id = subject_id
        self.accept()

    def _on_ok_clicked(self) -> None:
        if (subject_id := self.search.selected_id()) is not None:
            self._on_search_activated(subject_id)
