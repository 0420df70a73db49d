"""The "已自动保存 HH:MM:SS" label of an editor, which turns red when a save failed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel, QWidget

from fieldkit.services.context import SHANGHAI
from fieldkit.ui import strings
from fieldkit.ui.errors import error_message
from fieldkit.ui.theme import set_role


class SavedLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_role(self, "saved")

    def show_saved(self, at: dt.datetime) -> None:
        self._show(strings.autosaved(at.astimezone(SHANGHAI)), "saved")

    def show_failed(self, exc: BaseException) -> None:
        # The officer keeps typing; the next edit retries.
        self._show(strings.autosave_failed(error_message(exc)), "error")

    def _show(self, text: str, role: str) -> None:
        self.setText(text)
        set_role(self, role)
        self.style().unpolish(self)  # the role is a style property: re-apply the style sheet
        self.style().polish(self)
