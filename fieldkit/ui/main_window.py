"""The main window: left navigation over registered pages, menus, shortcuts and the status bar."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit import __version__
from fieldkit.domain.matters import MatterKind
from fieldkit.errors import FieldkitError
from fieldkit.services import matters
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.recovery import Recovery
from fieldkit.services.setup import current_operator, load_settings, set_operator
from fieldkit.ui import background, strings
from fieldkit.ui.errors import show_error
from fieldkit.ui.lock import LockController
from fieldkit.ui.screen_fit import resize_to_screen
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.page import Page

if TYPE_CHECKING:
    from fieldkit.ui.widgets.inspection_editor import InspectionEditor
    from fieldkit.ui.widgets.inspections_page import InspectionsPage

log = logging.getLogger(__name__)

DASHBOARD, INSPECTIONS, SUBJECTS, SETTINGS = "dashboard", "inspections", "subjects", "settings"
# Where the window was, and nothing else: a setting that changes a document lives in settings.toml
# (services/settings.py, read once into the Context) or in the database (services/setup.py), never here.
WINDOW_STATE_FILE = "window.ini"
WINDOW_STATE_KEYS = frozenset({"geometry"})
EXCHANGE = "exchange"
# Start-up work that can wait runs after the first paint; should no paint come (a window covered by its
# children on some platform), this long after the window was shown.
AFTER_PAINT_FALLBACK_MS = 1000


@dataclass(frozen=True)
class PageSpec:
    """A screen in the navigation. Pages are built the first time they are shown (lean start-up)."""

    key: str
    title: str
    factory: Callable[[], Page]
    # Imported in the background once the first screen is drawn, so the first visit builds the page
    # without waiting for its modules (fieldkit.ui.background).
    modules: tuple[str, ...] = ()


class MainWindow(QMainWindow):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._specs: list[PageSpec] = []
        self._pages: dict[str, Page] = {}
        self._current: str | None = None
        self._after_paint: list[Callable[[], object]] | None = []  # None once the first screen is up
        self.setWindowTitle(strings.APP_TITLE)
        self.setMinimumSize(1024, 680)
        resize_to_screen(self, 1360, 860)  # a 1366×768 laptop shows the status bar too

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(168)
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        app_name = QLabel(strings.APP_SHORT)
        app_name.setObjectName("appName")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_layout.addWidget(app_name)
        side_layout.addWidget(self.nav, 1)
        self.stack = QStackedWidget()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.agency_label = QLabel()
        self.device_label = QLabel()
        self.operator_combo = QComboBox()
        self.operator_combo.setToolTip(strings.OPERATOR_TIP)
        # Wide enough for its longest entry: a minimum in characters counts Latin widths and clipped
        # （请选择使用人） to "（请选择使用人".
        self.operator_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.operator_combo.activated.connect(self._on_operator_combo_activated)
        self.operator_prefix = QLabel(strings.status_operator(""))
        self.statusBar().addPermanentWidget(self.operator_prefix)
        self.statusBar().addPermanentWidget(self.operator_combo)
        # A store with login (issue 13.1): who is logged in, instead of a chosen name, and the lock.
        self.officer_label = QLabel()
        self.lock_button = QPushButton(strings.LOCK_ACTION)
        self.lock_button.setToolTip(strings.LOCK_ACTION_TIP)
        self.lock_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lock_button.clicked.connect(self._on_lock_button_clicked)
        self.switch_button = QPushButton(strings.SWITCH_ACTION)
        self.switch_button.setToolTip(strings.SWITCH_ACTION_TIP)
        self.switch_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.switch_button.clicked.connect(self._on_switch_button_clicked)
        for widget in (self.officer_label, self.lock_button, self.switch_button):
            self.statusBar().addPermanentWidget(widget)
        self.statusBar().addPermanentWidget(self.agency_label)
        self.statusBar().addPermanentWidget(self.device_label)
        self.read_only_label: QLabel | None = None
        if ctx.read_only:  # issue 11.6: one clear state instead of a failing save after each edit
            self.setWindowTitle(f"{strings.APP_TITLE}{strings.READ_ONLY_TITLE_SUFFIX}")
            self.read_only_label = QLabel(strings.READ_ONLY_STATUS)
            self.read_only_label.setToolTip(ctx.read_only_reason)
            set_role(self.read_only_label, "error")
            self.statusBar().insertPermanentWidget(0, self.read_only_label)
        self._view_menu = None
        # Where a matter of each kind opens (a due item, the draft reopened after a crash): a case page
        # registers its own opener here instead of the callers learning about cases.
        self._matter_openers: dict[MatterKind, Callable[[uuid.UUID, bool], object]] = {
            MatterKind.INSPECTION: lambda matter_id, recovered: self.open_inspection(
                matter_id, recovered=recovered
            )
        }
        self._build_menus()
        self._register_default_pages()
        self.lock_controller = LockController(
            self, ctx, ctx.settings.auto_lock_minutes, save_all=self.save_all
        )
        self.lock_controller.unlocked.connect(self._on_lock_controller_unlocked)
        self.update_status()
        self._window_state = QSettings(str(ctx.data_dir / WINDOW_STATE_FILE), QSettings.Format.IniFormat)
        geometry = self._window_state.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]
        self.show_page(DASHBOARD)

    # ---- pages ----------------------------------------------------------------------------------
    def _register_default_pages(self) -> None:
        # Imported inside the factories: a page's modules load the first time it is shown.
        def dashboard() -> Page:
            from fieldkit.ui.widgets.dashboard import DashboardPage

            page = DashboardPage(self._ctx)
            page.open_inspection_requested.connect(self.open_inspection)
            page.open_matter_requested.connect(self._on_open_matter_requested)
            page.new_inspection_requested.connect(self.new_inspection)
            page.find_subject_requested.connect(self._on_find_triggered)
            return page

        def inspections() -> Page:
            from fieldkit.ui.widgets.inspections_page import InspectionsPage

            page = InspectionsPage(self._ctx)
            page.autosaved.connect(self._on_editor_autosaved)
            page.document_created.connect(self.open_document)
            page.new_document_requested.connect(self.new_document_for)
            return page

        def documents() -> Page:
            from fieldkit.ui.widgets.documents_page import DocumentsPage

            page = DocumentsPage(self._ctx)
            page.autosaved.connect(self._on_editor_autosaved)
            return page

        def subjects() -> Page:
            from fieldkit.ui.widgets.subjects_page import SubjectsPage

            page = SubjectsPage(self._ctx)
            page.new_inspection_requested.connect(self.new_inspection)
            return page

        def exchange() -> Page:
            from fieldkit.ui.widgets.exchange_page import ExchangePage

            return ExchangePage(self._ctx)

        def settings() -> Page:
            from fieldkit.ui.widgets.settings_page import SettingsPage

            page = SettingsPage(self._ctx)
            page.settings_saved.connect(self._on_settings_saved)
            page.auto_lock_changed.connect(self.lock_controller.set_minutes)
            return page

        widgets = "fieldkit.ui.widgets."
        self.register_page(PageSpec(DASHBOARD, strings.NAV_DASHBOARD, dashboard))
        self.register_page(
            PageSpec(INSPECTIONS, strings.NAV_INSPECTIONS, inspections, (widgets + "inspections_page",))
        )
        self.register_page(
            PageSpec("documents", strings.NAV_DOCUMENTS, documents, (widgets + "documents_page",))
        )
        self.register_page(PageSpec(SUBJECTS, strings.NAV_SUBJECTS, subjects, (widgets + "subjects_page",)))
        self.register_page(PageSpec(EXCHANGE, strings.NAV_EXCHANGE, exchange, (widgets + "exchange_page",)))
        self.register_page(PageSpec(SETTINGS, strings.NAV_SETTINGS, settings, (widgets + "settings_page",)))

    def register_page(self, spec: PageSpec) -> None:
        """Add a screen to the navigation; Ctrl+<n> goes to the n-th one (n ≤ 9)."""
        self._specs.append(spec)
        item = QListWidgetItem(spec.title)
        item.setData(Qt.ItemDataRole.UserRole, spec.key)
        self.nav.addItem(item)
        n = len(self._specs)
        action = QAction(spec.title, self)
        if n <= 9:
            action.setShortcut(QKeySequence(f"Ctrl+{n}"))
        action.triggered.connect(lambda _checked=False, key=spec.key: self.show_page(key))
        self.addAction(action)
        if self._view_menu is not None:
            self._view_menu.addAction(action)

    def page(self, key: str) -> Page:
        if key not in self._pages:
            spec = next(s for s in self._specs if s.key == key)
            with background.IMPORTS:  # not while a background import is half done
                page = spec.factory()
            self._pages[key] = page
            self.stack.addWidget(page)
        return self._pages[key]

    def current_key(self) -> str | None:
        return self._current

    def show_page(self, key: str) -> Page:
        if self._current is not None and self._current != key:
            self._pages[self._current].page_leaving()
        page = self.page(key)
        self._current = key
        self.stack.setCurrentWidget(page)
        row = next(i for i, s in enumerate(self._specs) if s.key == key)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        page.page_shown()
        return page

    def _on_nav_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._specs):
            self.show_page(self._specs[row].key)

    # ---- start-up work that can wait ----------------------------------------------------------
    def after_first_paint(self, work: Callable[[], object]) -> None:
        """Run `work` on the GUI thread once the window has been drawn the first time (issue 14: nothing
        that can wait delays the first screen); right away (next event loop turn) if it has been."""
        if self._after_paint is None:
            QTimer.singleShot(0, self, work)
        else:
            self._after_paint.append(work)

    def preload_pages(self) -> None:
        """Import the modules of the pages not built yet, in a background thread (for an interactive start:
        a self-test opening every page at once gains nothing and would wait on the thread)."""
        background.start_preload(
            m for spec in self._specs if spec.key not in self._pages for m in spec.modules
        )

    def _run_after_paint(self) -> None:
        work, self._after_paint = self._after_paint or [], None
        for item in work:
            QTimer.singleShot(0, self, item)  # the paint reaches the screen first

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._after_paint is not None:
            self._run_after_paint()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._after_paint is not None:
            QTimer.singleShot(AFTER_PAINT_FALLBACK_MS, self, self._fallback_after_paint)

    def _fallback_after_paint(self) -> None:
        if self._after_paint is not None:
            self._run_after_paint()

    # ---- menus and shortcuts --------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(strings.MENU_FILE)
        self.new_action = QAction(strings.ACTION_NEW_INSPECTION, self)
        self.new_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_action.triggered.connect(self._on_new_triggered)
        self.find_action = QAction(strings.ACTION_FIND, self)
        self.find_action.setShortcut(QKeySequence("Ctrl+F"))
        self.find_action.triggered.connect(self._on_find_triggered)
        import_action = QAction(strings.ACTION_IMPORT, self)
        import_action.triggered.connect(self._on_import_triggered)
        self.lock_action = QAction(strings.LOCK_ACTION, self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self._on_lock_action_triggered)
        quit_action = QAction(strings.ACTION_QUIT, self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        for action in (self.new_action, self.find_action, import_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.lock_action)
        file_menu.addAction(quit_action)
        self._view_menu = bar.addMenu(strings.MENU_VIEW)
        help_menu = bar.addMenu(strings.MENU_HELP)
        about_action = QAction(strings.ACTION_ABOUT, self)
        about_action.triggered.connect(self._on_about_triggered)
        help_menu.addAction(about_action)

    def _on_new_triggered(self) -> None:
        self.new_inspection()

    def _on_find_triggered(self) -> None:
        current = self._pages.get(self._current or "")
        if current is not None and current.focus_search():
            return
        self.show_page(SUBJECTS).focus_search()

    def _on_import_triggered(self) -> None:
        from fieldkit.ui.widgets.subjects_page import SubjectsPage

        page = self.show_page(SUBJECTS)
        if isinstance(page, SubjectsPage):
            page.choose_import_file()

    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, strings.ABOUT_TITLE, strings.about_text(__version__))

    # ---- inspections ----------------------------------------------------------------------------
    def inspections_page(self) -> InspectionsPage:
        return self.page(INSPECTIONS)  # type: ignore[return-value]

    def new_inspection(self, subject_id: uuid.UUID | None = None) -> InspectionEditor | None:
        """A new draft, opened in the editor (returns the editor)."""
        page = self.inspections_page()
        self.show_page(INSPECTIONS)
        try:
            return page.new_inspection(subject_id)
        except FieldkitError as exc:
            show_error(self, exc)
            return None

    def open_inspection(self, inspection_id: uuid.UUID, *, recovered: bool = False) -> InspectionEditor:
        page = self.inspections_page()
        self.show_page(INSPECTIONS)
        return page.open_inspection(inspection_id, recovered=recovered)

    def open_matter(self, matter_id: uuid.UUID, *, recovered: bool = False) -> object:
        """The editor of a matter of any kind, through the opener its kind registered (returns it)."""
        kind = matters.describe(self._ctx, matter_id).kind
        return self._matter_openers[kind](matter_id, recovered)

    def _on_open_matter_requested(self, matter_id: uuid.UUID) -> None:
        try:
            self.open_matter(matter_id)
        except FieldkitError as exc:  # e.g. deleted on another page since the list was read
            show_error(self, exc)

    def open_document(self, document_id: uuid.UUID) -> None:
        """A draft made elsewhere (证据清单 from 证据与措施): shown in 文书 to check and print."""
        from fieldkit.ui.widgets.documents_page import DocumentsPage

        page = self.show_page("documents")
        if isinstance(page, DocumentsPage):
            page.open_document(document_id)
            self.activateWindow()

    def new_document_for(self, matter_id: uuid.UUID) -> None:
        """文书… in the inspection editor: the 新建文书 dialog on the 文书 page, for that inspection."""
        from fieldkit.ui.widgets.documents_page import DocumentsPage

        page = self.show_page("documents")
        if isinstance(page, DocumentsPage):
            page.ask_new_document(matter_id)

    def encrypt_old_files(self) -> None:
        """Evidence files of a store from before encryption are encrypted on a worker once the window
        is up (issue 13.4): a progress dialog with 取消 if it takes a while; the next start goes on."""
        with background.IMPORTS:  # not while the page preloader is half way through the same modules
            from fieldkit.services import evidence

        if self._ctx.read_only or not evidence.plain_files_left(self._ctx):
            return
        from fieldkit.ui.jobs import JobRunner

        def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> object:
            return evidence.encrypt_plain_files(self._ctx, progress=progress, cancelled=cancelled)

        self._encrypt_runner = JobRunner(self, work, strings.OLD_FILES_ENCRYPTING)
        self._encrypt_runner.finished.connect(
            lambda done: self.statusBar().showMessage(strings.old_files_encrypted(done.files), 30_000)
        )
        self._encrypt_runner.failed.connect(
            lambda _exc: self.statusBar().showMessage(strings.OLD_FILES_NOT_ENCRYPTED, 30_000)
        )
        self._encrypt_runner.start()

    def apply_recovery(self, recovery: Recovery) -> None:
        """After a crash, reopen the draft that was on screen, with the yellow banner."""
        if recovery.cleaned:  # half-copied files etc. of the killed run, removed at this start
            self.statusBar().showMessage(recovery.cleaned, 30_000)
        if not recovery.crashed:
            return
        if recovery.open_matter_id is not None:
            try:
                self.open_matter(recovery.open_matter_id, recovered=True)
                return
            except FieldkitError as exc:  # deleted or completed meanwhile: nothing to reopen
                log.warning("cannot reopen %s after crash: %s", recovery.open_matter_id, exc)
        self.statusBar().showMessage(
            "；".join(t for t in (strings.RECOVERY_NO_DRAFT, recovery.cleaned) if t), 30_000
        )

    # ---- status bar ---------------------------------------------------------------------------
    def update_status(self) -> None:
        try:
            settings = load_settings(self._ctx)
        except FieldkitError:
            return
        self.agency_label.setText(strings.status_agency(settings.agency.full_name))
        self.device_label.setText(strings.status_device(settings.device_code))
        if self._update_login_status():
            return
        current = current_operator(self._ctx)
        names = [o.name for o in settings.active_officers]
        self.operator_combo.blockSignals(True)
        self.operator_combo.clear()
        self.operator_combo.addItem(strings.OPERATOR_NONE, "")
        for name in names:
            self.operator_combo.addItem(name, name)
        self.operator_combo.setCurrentIndex(names.index(current) + 1 if current in names else 0)
        self.operator_combo.blockSignals(False)
        # AdjustToContents alone still cut （请选择使用人） by its last glyph (Fusion's edit field is
        # narrower than the size hint allows for): room for the longest entry plus the arrow.
        widest = max(
            self.operator_combo.fontMetrics().horizontalAdvance(t) for t in [strings.OPERATOR_NONE, *names]
        )
        self.operator_combo.setMinimumWidth(widest + 48)

    def _update_login_status(self) -> bool:
        """Logged in: name and role, 锁定 and 切换人员 instead of the 使用人 combo. False when not."""
        who = self._ctx.login.who
        logged_in = who is not None
        for widget in (self.officer_label, self.lock_button, self.switch_button):
            widget.setVisible(logged_in)
        for widget in (self.operator_prefix, self.operator_combo):
            widget.setVisible(not logged_in)
        if who is not None:
            self.officer_label.setText(strings.logged_in_as(who.name, who.role.label))
        return logged_in

    # ---- lock -----------------------------------------------------------------------------------
    def lock(self, reason: str = "manual") -> bool:
        """Cover the window with the lock screen (unsaved input saved first); False when it cannot."""
        if not self.lock_controller.can_lock():
            self.statusBar().showMessage(strings.LOCK_NEEDS_PASSWORD, 10_000)
            return False
        return self.lock_controller.lock(reason)

    def _on_lock_action_triggered(self) -> None:
        self.lock("manual")

    def _on_lock_button_clicked(self) -> None:
        self.lock("manual")

    def _on_switch_button_clicked(self) -> None:
        if self.lock("switch"):
            covers = self.lock_controller.covers()
            if covers:
                covers[0].form.officer_combo.setFocus()

    def _on_lock_controller_unlocked(self, switched: bool) -> None:
        if switched:
            self.login_changed()
        else:
            self.update_status()

    def login_changed(self) -> None:
        """Another officer logged in (or the first password was set): status, gating of every page."""
        self.update_status()
        self.lock_controller.refresh()
        for page in self._pages.values():
            page.login_changed()

    def _on_settings_saved(self) -> None:
        self.update_status()
        self.lock_controller.refresh()  # a first password set on the settings page makes a lock possible

    def _on_operator_combo_activated(self, index: int) -> None:
        set_operator(self._ctx, self.operator_combo.itemData(index) or None)

    def _on_editor_autosaved(self, at: dt.datetime) -> None:
        self.statusBar().showMessage(strings.autosaved(at.astimezone(SHANGHAI)), 10_000)

    # ---- closing --------------------------------------------------------------------------------
    def save_all(self) -> None:
        for page in self._pages.values():
            page.page_leaving()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_all()
        self.lock_controller.shutdown()
        if INSPECTIONS in self._pages:
            self.inspections_page().close_editor()
        self._window_state.setValue("geometry", self.saveGeometry())
        self._window_state.sync()  # written now, not whenever Qt destroys the object
        super().closeEvent(event)
