"""The red strip an editor shows when its record was changed elsewhere: nothing saved, nothing lost."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from fieldkit.errors import EditConflict
from fieldkit.ui import strings
from fieldkit.ui.widgets.banner import Banner
from fieldkit.ui.widgets.saved_label import SavedLabel

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


class SaveGuard:
    """What an editor's autosave does when its version-checked save fails (issue 11.5). A change
    saved elsewhere pauses autosaving and shows the banner, the officer's text staying in the editor;
    any other failure (a busy or failing database) is shown, logged once per kind of failure, not per
    try, and retried by the editor's timer."""

    def __init__(
        self, banner: ConflictBanner, saved_label: SavedLabel, retry: QTimer, log: logging.Logger
    ) -> None:
        self.conflict: EditConflict | None = None  # set: autosave paused, the officer's text kept
        self._banner = banner
        self._saved_label = saved_label
        self._retry = retry
        self._log = log
        self._last_failure = ""

    def clear(self) -> None:
        """A record (re)loaded: no conflict any more."""
        self.conflict = None
        self._banner.hide()

    def save(self, call: Callable[[], bool]) -> bool | None:
        """Run the save `call`: its answer (whether the record changed), or None if nothing was saved."""
        try:
            changed = call()
        except EditConflict as exc:  # someone else's change is kept; so is what is typed here
            self.conflict = exc
            self._saved_label.setText(strings.EDIT_CONFLICT_STATUS)
            self._banner.show_conflict(str(exc))
            return None
        except Exception as exc:  # the text stays here; retried on the next edit and by the timer
            if str(exc) != self._last_failure:
                self._log.warning("autosave failed: %s", exc)
                self._last_failure = str(exc)
            self._saved_label.show_failed(exc)
            self._retry.start()
            return None
        self._last_failure = ""
        return changed
