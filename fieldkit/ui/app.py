"""Start the GUI: Qt app, Chinese translation and font, crash hooks, one instance, setup, recovery."""

from __future__ import annotations

import gc
import logging
import sys
import threading
import types
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QLockFile,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from fieldkit.errors import FieldkitError
from fieldkit.logs import setup_logging
from fieldkit.ui import platform_guard, strings, theme

if TYPE_CHECKING:
    from fieldkit.services.context import Context
    from fieldkit.ui.main_window import MainWindow

log = logging.getLogger(__name__)
LOCK_FILE = "fieldkit.lock"


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with Chinese Qt buttons, the bundled font and the style (idempotent)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        platform_guard.install()  # a platform plugin that cannot load: Chinese cause and fix, exit 1
        app = QApplication(argv if argv is not None else sys.argv)
        platform_guard.uninstall()
    if not app.property("fieldkit_ready"):
        app.setApplicationName("FieldKit")
        app.setOrganizationName("FieldKit")
        theme.install_translator(app)
        theme.install_font(app)
        theme.apply_style(app)
        install_gui_thread_gc(app)
        app.setProperty("fieldkit_ready", True)
    return app


class _GuiThreadGc(QObject):
    """Python's cyclic GC, run only on the GUI thread (pyqtgraph's GarbageCollector).

    With automatic collection on, a worker thread (a print, an import) may collect a cycle that holds a
    Qt wrapper — e.g. a finished PrintFlow, already deleteLater()'d — and shiboken's deferred deletion
    then crashes the GUI thread. So automatic collection is off and this timer collects instead, by
    the same generation thresholds.
    """

    INTERVAL_MS = 500

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start(self.INTERVAL_MS)

    def _on_timer_timeout(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.threshold[generation]:
                gc.collect(generation)
                return


def install_gui_thread_gc(app: QApplication) -> None:
    if app.findChild(_GuiThreadGc) is None:
        _GuiThreadGc(app)


class _CrashReporter(QObject):
    """Carries an exception from any thread to the GUI thread, where the dialog is shown."""

    raised = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.raised.connect(self._on_raised)

    def _on_raised(self, exc: object) -> None:
        from fieldkit.ui.errors import show_error

        if isinstance(exc, BaseException):
            show_error(QApplication.activeWindow(), exc, log_unknown=False)  # logged by the hook


_reporter: _CrashReporter | None = None


def _on_uncaught(kind: type[BaseException], exc: BaseException, tb: types.TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    log.error("uncaught exception", exc_info=(kind, exc, tb))
    if _reporter is not None:
        _reporter.raised.emit(exc)


def _on_thread_uncaught(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        _on_uncaught(args.exc_type, args.exc_value, args.exc_traceback)


def install_excepthooks() -> None:
    """Picard's crash_handler / napari's install_hooks: log with traceback, show a Chinese message."""
    global _reporter
    if _reporter is None:
        _reporter = _CrashReporter()
    sys.excepthook = _on_uncaught
    threading.excepthook = _on_thread_uncaught


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _on_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def route_qt_messages_to_log() -> None:
    """Qt's own warnings go to the log file, not to the officer's console."""
    qInstallMessageHandler(_on_qt_message)


def acquire_instance_lock(data_dir: Path) -> QLockFile | None:
    """One FieldKit per data dir. A lock left by a killed process is stale and is taken over."""
    lock = QLockFile(str(data_dir / LOCK_FILE))
    lock.setStaleLockTime(0)  # never stale by age, only when its process is gone
    return lock if lock.tryLock(200) else None


class _NoLock:
    def unlock(self) -> None:
        pass


def start_main_window(ctx: Context) -> MainWindow:
    """Begin the session (noticing a crash), build the window and reopen a recovered draft."""
    from fieldkit.services import recovery
    from fieldkit.ui.main_window import MainWindow

    state = recovery.begin_session(ctx)
    window = MainWindow(ctx)
    window.apply_recovery(state)
    # The day's first start copies the database (issue 13.6) — once the first screen is drawn, in a
    # thread: the backup module brings the document services (reportlab, PIL) with it (issue 14).
    window.after_first_paint(lambda: start_daily_backup(ctx))
    window.after_first_paint(window.preload_pages)  # the other pages' modules, in a thread
    window.after_first_paint(window.encrypt_old_files)  # a store from before encryption (issue 13.4)
    return window


def start_daily_backup(ctx: Context) -> threading.Thread:
    thread = threading.Thread(target=_daily_backup, args=(ctx,), name="daily-backup", daemon=True)
    thread.start()
    return thread


def _daily_backup(ctx: Context) -> None:
    from fieldkit.ui import background

    with background.IMPORTS:  # one background importer at a time (see fieldkit.ui.background)
        from fieldkit.services import backup

    backup.make_daily_if_due(ctx)  # the date check (a directory listing) first; failures are logged


def run_setup_wizard(ctx: Context) -> bool:
    from fieldkit.ui.dialogs.setup_wizard import SetupWizard

    wizard = SetupWizard(ctx)
    return wizard.exec() == SetupWizard.DialogCode.Accepted


def run_login(data_dir: Path) -> Context | None:
    """The login dialog of a protected store (issue 13.1): the opened Context, or None (退出/Esc)."""
    from fieldkit.ui.login_dialog import LoginDialog

    dialog = LoginDialog(data_dir)
    if dialog.exec() != LoginDialog.DialogCode.Accepted:
        return None
    return dialog.ctx


def run_first_password(ctx: Context) -> bool:
    """A store set up before passwords existed (converted from a previous release): its administrator's
    password, before anything is shown — its data key is in the clear until then."""
    from fieldkit.ui.dialogs.password_dialog import PasswordDialog, PasswordMode

    dialog = PasswordDialog(ctx, PasswordMode.FIRST)
    return dialog.exec() == PasswordDialog.DialogCode.Accepted


def run_gui(data_dir: Path) -> int:
    setup_logging(data_dir / "logs")
    app = create_application()
    install_excepthooks()
    route_qt_messages_to_log()
    from fieldkit.services import access, recovery
    from fieldkit.services.context import open_context, unwritable_reason
    from fieldkit.services.setup import is_set_up
    from fieldkit.ui.errors import show_error

    # A data dir that cannot be written cannot hold a lock file either: it is opened read-only
    # (nothing it does can clash with another instance), never refused as "already running".
    lock = acquire_instance_lock(data_dir) if not unwritable_reason(data_dir) else _NoLock()
    if lock is None:
        QMessageBox.information(None, strings.APP_SHORT, strings.ALREADY_RUNNING)
        return 1
    try:
        opened = run_login(data_dir) if access.is_protected(data_dir) else open_context(data_dir)
    except FieldkitError as exc:
        show_error(None, exc)
        lock.unlock()
        return 1
    if opened is None:  # 退出 at the login
        lock.unlock()
        return 0
    ctx = opened
    if ctx.read_only:
        QMessageBox.warning(None, strings.APP_SHORT, strings.read_only_notice(ctx.read_only_reason))
        if not is_set_up(ctx):
            return 1
    if not is_set_up(ctx):
        if not run_setup_wizard(ctx):  # the wizard sets the administrator's password too
            lock.unlock()
            return 0
    elif not ctx.read_only and not access.is_protected(data_dir) and not run_first_password(ctx):
        lock.unlock()
        return 0
    window = start_main_window(ctx)
    app.aboutToQuit.connect(window.save_all)
    window.show()
    code = app.exec()
    recovery.end_session(ctx)  # reached only on a clean quit
    lock.unlock()
    return int(code)
