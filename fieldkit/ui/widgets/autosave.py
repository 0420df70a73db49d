"""One autosaver for every editor: a typed word is never lost.

It saves 1.5 s after the last edit, whenever the focus moves anywhere in the application, when the editor
is left (page switch, 返回列表, window close) and on demand. A save is one small version-checked service
call; a change saved elsewhere pauses autosaving behind the conflict banner with the officer's text still
in the editor, and any other failure is shown and retried (SaveGuard). Closing with the conflict
unresolved, or taking the other version, puts the officer's words on the clipboard first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from fieldkit.errors import EditConflict
from fieldkit.ui import strings
from fieldkit.ui.widgets.conflict_banner import ConflictBanner, SaveGuard, keep_on_clipboard
from fieldkit.ui.widgets.saved_label import SavedLabel

AUTOSAVE_MS = 1500

T = TypeVar("T")


class Autosaver(QObject, Generic[T]):
    """The saving half of an editor. The editor says what its record looks like now (`snapshot`), how to
    store one (`store`, answering whether the record changed), whether it may be saved at all
    (`writable`), the officer's own words (`typed_text`, for the clipboard) and how to show the other
    version (`reopen`). The editor calls `loaded` after filling its widgets, `edited` on every edit,
    `save_now` where it must be saved before going on, `close` when the record is left."""

    saved = Signal(object)  # dt.datetime of the save (aware)

    def __init__(
        self,
        owner: QWidget,
        *,
        banner: ConflictBanner,
        saved_label: SavedLabel,
        now: Callable[[], dt.datetime],
        snapshot: Callable[[], T],
        store: Callable[[T], bool],
        writable: Callable[[], bool],
        typed_text: Callable[[], str],
        reopen: Callable[[], None],
        log: logging.Logger,
        interval_ms: int = AUTOSAVE_MS,
    ) -> None:
        super().__init__(owner)
        self._saved_label = saved_label
        self._now = now
        self._snapshot = snapshot
        self._store = store
        self._writable = writable
        self._typed_text = typed_text
        self._reopen = reopen
        self._last: T | None = None
        self._loading = False
        self.last_saved_at: dt.datetime | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.guard = SaveGuard(banner, saved_label, self.timer, log)
        banner.take_theirs.connect(self.take_theirs)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)

    # ---- what the editor tells it -------------------------------------------------------------
    @contextlib.contextmanager
    def loading(self) -> Iterator[None]:
        """`with autosaver.loading():` around filling the widgets: those changes are not edits."""
        self._loading = True
        try:
            yield
        finally:
            self._loading = False

    def loaded(self) -> None:
        """A record (re)opened: what the widgets show now is what is stored; no conflict any more."""
        self.timer.stop()
        self.guard.clear()
        self._last = self._snapshot()
        self.last_saved_at = None
        self._saved_label.clear()

    def edited(self) -> bool:
        """An edit: saved 1.5 s after the last one (the timer restarts). False while loading."""
        if self._loading:
            return False
        self.timer.start()
        return True

    def stop(self) -> None:
        """The record is gone (deleted) or about to change state: nothing more to save."""
        self.timer.stop()

    @property
    def conflict(self) -> EditConflict | None:
        return self.guard.conflict

    @property
    def pending(self) -> bool:
        """An edit (or a failed save) is waiting for the timer."""
        return self.timer.isActive()

    # ---- saving ---------------------------------------------------------------------------------
    def save_now(self) -> bool:
        """One small transaction, only when something changed and may be saved. Never raises."""
        self.timer.stop()
        if not self._writable():
            return False
        snapshot = self._snapshot()  # every widget read now: a save never misses the last keystroke
        if snapshot == self._last or self.guard.conflict is not None:
            return False
        if self.guard.save(lambda: self._store(snapshot)) is None:
            return False
        self._last = snapshot
        self.last_saved_at = self._now()
        self._saved_label.show_saved(self.last_saved_at)
        self.saved.emit(self.last_saved_at)
        return True

    def close(self) -> None:
        """The editor leaves its record: save; with a conflict unresolved the typed words go to the
        clipboard."""
        self.save_now()
        if self.guard.conflict is not None:
            keep_on_clipboard(self._typed_text())
        self.timer.stop()

    def take_theirs(self) -> None:
        """Show the version saved elsewhere; what was typed here goes to the clipboard first."""
        text = self._typed_text()
        keep_on_clipboard(text)
        self._reopen()
        self._saved_label.setText(strings.edit_conflict_copied(len(text)))

    def _on_timer_timeout(self) -> None:
        self.save_now()

    def _on_app_focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self.save_now()  # a no-op unless something changed since the last save
