"""The red strip an editor shows when its record was changed elsewhere: nothing saved, nothing lost."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from fieldkit.ui import strings
from fieldkit.ui.widgets.banner import Banner

# How long an autosave on the GUI thread waits for another process's write (a long import) before
# it says the database is busy and tries again later: never the 5 s that would freeze the window.
BUSY_WAIT_MS = 300


class ConflictBanner(Banner):
    """Shown instead of autosaving over someone else's change (issue 11.5). The officer's text
    stays in the editor until they choose to load the other version; then it goes to the clipboard."""

    take_theirs = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("error", parent=parent)
        self.take_button = QPushButton(strings.EDIT_CONFLICT_TAKE_THEIRS)
        self.take_button.setToolTip(strings.EDIT_CONFLICT_TAKE_THEIRS_TIP)
        self.take_button.clicked.connect(self.take_theirs)
        self.layout().addWidget(self.take_button, 0, Qt.AlignmentFlag.AlignTop)  # type: ignore[union-attr]

    def show_conflict(self, message: str) -> None:
        self.show_text(strings.edit_conflict_banner(message))


def keep_on_clipboard(text: str) -> None:
    """The officer's own words, before the editor shows the other version."""
    clipboard = QApplication.clipboard()
    if clipboard is not None and text:
        clipboard.setText(text)
