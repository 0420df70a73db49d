"""Auto-lock (issue 13.2): after N idle minutes, on system suspend or screen lock, and by hand (Ctrl+L).

Locking first saves what is being typed (the main window's save_all: every editor's Autosaver), then
covers the main window and every other open window of the app with a LockScreen, hides the main
window's menus, pages and status bar underneath, and turns off keyboard shortcuts, so no data shows and
no command runs. Long work (an import, a print) goes on; a window it opens while locked is covered too.
The same officer unlocks, or another officer of this laptop logs in and becomes the session's actor
(services/access.check_password: throttled and audited like a login).

Idle means no keyboard or mouse input to the app: an event filter on the QApplication notes the time
of the last input and one single-shot QTimer checks it (no polling loop). System events come from
systemd-logind on the system D-Bus (PrepareForSleep, Session.Lock); where there is no system bus (a
container, Windows) only the idle timer and Ctrl+L lock — Windows' session events are not wired.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import SLOT, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
from shiboken6 import isValid

from fieldkit.services import access
from fieldkit.ui.widgets.lock_screen import LockScreen

if TYPE_CHECKING:
    from fieldkit.services.context import Context

log = logging.getLogger(__name__)

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.InputMethod,
    }
)
LOGIN1 = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
LOGIN1_MANAGER = "org.freedesktop.login1.Manager"
LOGIN1_SESSION = "org.freedesktop.login1.Session"
DBUS_TIMEOUT_MS = 1000  # a logind that does not answer must not hold up the start


class IdleWatcher(QObject):
    """Emits idle_reached once no input came for `interval_ms`; `start` arms it again."""

    idle_reached = Signal()

    def __init__(self, parent: QObject, interval_ms: int) -> None:
        super().__init__(parent)
        self._interval = interval_ms
        self._last_input = time.monotonic()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_timer_timeout)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def interval_ms(self) -> int:
        return self._interval

    def set_interval(self, interval_ms: int) -> None:
        self._interval = interval_ms
        if self.timer.isActive():
            self.start()

    def start(self) -> None:
        self._last_input = time.monotonic()
        self.timer.start(self._interval)

    def stop(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Called for every event of the app: only a time is noted here, the timer does the rest.
        if event.type() in INPUT_EVENTS:
            self._last_input = time.monotonic()
        return False

    def _on_timer_timeout(self) -> None:
        idle_ms = (time.monotonic() - self._last_input) * 1000
        if idle_ms + 5 >= self._interval:
            self.idle_reached.emit()
        else:  # input came meanwhile: wait for the rest of the interval after the last one
            self.timer.start(max(1, int(self._interval - idle_ms)))


class SystemLockWatcher(QObject):
    """systemd-logind's PrepareForSleep(true) and this session's Lock, on the system bus (Linux)."""

    lock_requested = Signal(str)  # "suspend" or "screen"

    def __init__(self, parent: QObject, bus: Any = None) -> None:
        super().__init__(parent)
        self.available = False
        if bus is None and not sys.platform.startswith("linux"):
            return
        try:
            self._connect(bus)
        except Exception as exc:
            log.info("no system lock events: %s", exc)

    def _connect(self, bus: Any) -> None:
        from PySide6.QtDBus import QDBusConnection

        if bus is None:
            bus = QDBusConnection.systemBus()
        if not bus.isConnected():
            log.info("no system D-Bus: the window locks only when idle or by hand")
            return
        sleep = bus.connect(
            LOGIN1, LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep", self, SLOT("_on_prepare_for_sleep(bool)")
        )
        session = bus.connect(
            LOGIN1, self._session_path(bus), LOGIN1_SESSION, "Lock", self, SLOT("_on_session_lock()")
        )
        self.available = bool(sleep or session)

    @staticmethod
    def _session_path(bus: Any) -> str:
        """This process's logind session; "" (any session's Lock) when logind does not say."""
        from PySide6.QtDBus import QDBusInterface, QDBusMessage

        manager = QDBusInterface(LOGIN1, LOGIN1_PATH, LOGIN1_MANAGER, bus)
        manager.setTimeout(DBUS_TIMEOUT_MS)
        reply = manager.call("GetSessionByPID", os.getpid())
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            return ""
        path = reply.arguments()[0]
        return str(path.path() if hasattr(path, "path") else path)

    @Slot(bool)
    def _on_prepare_for_sleep(self, starting: bool) -> None:
        if starting:
            self.lock_requested.emit("suspend")

    @Slot()
    def _on_session_lock(self) -> None:
        self.lock_requested.emit("screen")


class LockController(QObject):
    """Locks and unlocks a main window (see the module docstring)."""

    locked = Signal(str)  # the reason
    unlocked = Signal(bool)  # True when another officer switched in

    def __init__(
        self,
        window: QMainWindow,
        ctx: Context,
        minutes: int,
        *,
        save_all: Callable[[], None],
        system_bus: Any = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._ctx = ctx
        self._save_all = save_all
        self._covers: list[LockScreen] = []
        self._hidden: list[QWidget] = []
        self._disabled: list[QAction | QShortcut] = []
        self._focus: QWidget | None = None
        self._officer_before: str | None = None
        self.idle = IdleWatcher(self, minutes * 60_000)
        self.idle.idle_reached.connect(self._on_idle_reached)
        self.system = SystemLockWatcher(self, system_bus)
        self.system.lock_requested.connect(self.lock)
        self.refresh()

    # ---- state ----------------------------------------------------------------------------------
    def can_lock(self) -> bool:
        """Someone logged in with a password: there is someone to unlock it again."""
        return self._ctx.login.who is not None and access.is_protected(self._ctx.data_dir)

    def is_locked(self) -> bool:
        return bool(self._covers)

    def refresh(self) -> None:
        """After a login or a first password: the idle timer runs while the window can be locked."""
        if self.can_lock() and not self.is_locked():
            self.idle.start()
        else:
            self.idle.stop()

    def set_minutes(self, minutes: int) -> None:
        self.idle.set_interval(minutes * 60_000)

    def covers(self) -> list[LockScreen]:
        return list(self._covers)

    # ---- locking --------------------------------------------------------------------------------
    def _on_idle_reached(self) -> None:
        self.lock("idle")

    @Slot(str)
    def lock(self, reason: str = "manual") -> bool:
        if self.is_locked() or not self.can_lock():
            return False
        self._save_all()  # typed input is saved before anything is hidden
        self.idle.stop()
        self._officer_before = self._ctx.login.who.officer_id if self._ctx.login.who else None
        while (popup := QApplication.activePopupWidget()) is not None:
            popup.close()
        self._focus = QApplication.focusWidget()
        for part in (self._window.centralWidget(), self._window.menuBar(), self._window.statusBar()):
            if part is not None and part.isVisible():
                part.hide()
                self._hidden.append(part)
        self._cover(self._window, reason)
        for window in QApplication.topLevelWidgets():
            if self._needs_cover(window):
                self._cover(window, reason)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # a window opened while locked (a job's report) is covered too
        active = QApplication.activeWindow()
        cover = LockScreen.of(active) if active is not None else None
        (cover or self._covers[0]).form.focus_password()
        try:
            access.record_lock(self._ctx, reason)
        except Exception as exc:  # the lock holds even if the audit log cannot take it now
            log.warning("lock not audited: %s", exc)
        self.locked.emit(reason)
        return True

    def shutdown(self) -> None:
        """The main window closes: no more locking, and nothing left watching the application."""
        self.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            app.removeEventFilter(self.idle)

    def _needs_cover(self, window: QWidget) -> bool:
        return (
            self._window.isVisible()
            and window is not self._window
            and window.isVisible()
            and window.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog)
            and LockScreen.of(window) is None
        )

    def _cover(self, window: QWidget, reason: str) -> None:
        for kind in (QAction, QShortcut):
            for item in window.findChildren(kind):
                if item.isEnabled() and (kind is QShortcut or not item.shortcut().isEmpty()):  # type: ignore[attr-defined]
                    item.setEnabled(False)
                    self._disabled.append(item)
        current = self._ctx.login.who.officer_id if self._ctx.login.who else None
        cover = LockScreen(window, self._ctx.data_dir, self._attempt, reason=reason, current=current)
        cover.form.logged_in.connect(self._on_cover_logged_in)
        hint = cover.sizeHint()
        if window is not self._window and (window.width() < hint.width() or window.height() < hint.height()):
            # A small dialog (a question box) must still show the whole form: it is the one window
            # that takes input when it is modal.
            window.setProperty("fieldkit_size_before_lock", window.size())
            window.resize(max(window.width(), hint.width()), max(window.height(), hint.height()))
        self._covers.append(cover)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and self.is_locked()
            and self._needs_cover(watched)
        ):
            self._cover(watched, "manual")
        return False

    # ---- unlocking ------------------------------------------------------------------------------
    def _attempt(self, officer_id: str, password: str) -> None:
        access.check_password(self._ctx, officer_id, password)

    def _on_cover_logged_in(self, _officer_id: str) -> None:
        self._unlock()

    def _unlock(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for cover in self._covers:
            if not isValid(cover):
                continue
            window = cover.parentWidget()
            cover.remove()
            size = window.property("fieldkit_size_before_lock") if window is not None else None
            if window is not None and size is not None:
                window.resize(size)
                window.setProperty("fieldkit_size_before_lock", None)
        self._covers.clear()
        # Anything may have been deleted meanwhile (a dialog a finished job closed): only live objects.
        for part in self._hidden:
            if isValid(part):
                part.show()
        self._hidden.clear()
        for item in self._disabled:
            if isValid(item):
                item.setEnabled(True)
        self._disabled.clear()
        if self._focus is not None and isValid(self._focus) and self._focus.isVisible():
            self._focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus = None
        now = self._ctx.login.who.officer_id if self._ctx.login.who else None
        self.refresh()
        self.unlocked.emit(now != self._officer_before)
