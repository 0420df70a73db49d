"""数据交换: export new data to a USB stick (laptop), verify and import bundles, conflicts, devices (office)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit.bundle.errors import BundleRefused
from fieldkit.domain.access import Duty
from fieldkit.errors import Cancelled, FieldkitError
from fieldkit.services import exchange, exchange_views
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.exchange import ImportReport, NothingNew, TrustOffer, UntrustedDevice
from fieldkit.services.exchange_views import BundleCheck, ConflictView, ImportedBundle, TrustedDevice
from fieldkit.services.setup import load_settings
from fieldkit.ui import strings
from fieldkit.ui.dialogs.bundle_report import BundleReportDialog, import_summary
from fieldkit.ui.dialogs.conflict_dialog import ConflictDialog
from fieldkit.ui.dialogs.problem_list import ProblemListDialog
from fieldkit.ui.dialogs.trust_device_dialog import TrustDeviceDialog
from fieldkit.ui.dialogs.trust_offer_dialog import TrustOfferDialog
from fieldkit.ui.errors import confirm, show_error
from fieldkit.ui.models.rows_table import RowsTableModel
from fieldkit.ui.roles import allowed, gate
from fieldkit.ui.theme import set_role
from fieldkit.ui.transfer import Report, Transfer, TransferRunner
from fieldkit.ui.widgets.banner import Banner
from fieldkit.ui.widgets.key_view import KeyView, form_label
from fieldkit.ui.widgets.page import Page
from fieldkit.ui.widgets.record_list import record_table

log = logging.getLogger(__name__)

EXPORT_TAB, IMPORT_TAB = 0, 1


def _time(value: object) -> str:
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")  # type: ignore[attr-defined]


def _iso_time(text: str) -> str:
    """A manifest's UTC time, shown in Beijing time as every time in the app."""
    try:
        return _time(dt.datetime.fromisoformat(text))
    except ValueError:
        return text


def _table(model: RowsTableModel, widths: tuple[int, ...]) -> QTableView:  # type: ignore[type-arg]
    table = record_table(model, framed=False)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    table.horizontalHeader().setSectionResizeMode(len(widths), QHeaderView.ResizeMode.Stretch)
    return table


def _card(title: str, hint: str = "") -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setProperty("card", True)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(16, 12, 16, 14)
    layout.setSpacing(10)
    label = QLabel(title)
    set_role(label, "sectionTitle")
    layout.addWidget(label)
    if hint:
        hint_label = QLabel(hint)
        hint_label.setWordWrap(True)
        set_role(hint_label, "hint")
        layout.addWidget(hint_label)
    return card, layout


def _scrolled(box: QWidget) -> QScrollArea:
    """The export tab (two cards) is taller than a 1366×768 laptop leaves the page: it scrolls there
    instead of squeezing its line edits until their text is cut (seen under Xvfb at 1366×768)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(box)
    return area


class ExchangePage(Page):
    export_finished = Signal(object)  # BundleResult, or the exception (NothingNew, Cancelled…)
    import_finished = Signal(object)  # ImportReport, or the exception (BundleRefused…)
    verify_finished = Signal(object)  # VerifyReport, or the exception

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._runner: TransferRunner | None = None
        self._import_name = ""
        self.last_export: Path | None = None
        self.report_dialog: BundleReportDialog | None = None
        self.problems_dialog: ProblemListDialog | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self.trust_dialog: TrustDeviceDialog | TrustOfferDialog | None = None
        self._last_bundle: tuple[Path, Path | None] | None = None
        self._has_office_key = False
        title = QLabel(strings.EXCHANGE_TITLE)
        set_role(title, "pageTitle")
        intro = QLabel(strings.EXCHANGE_INTRO)
        set_role(intro, "hint")
        self.tabs = QTabWidget()
        self.tabs.addTab(_scrolled(self._build_export()), strings.EXCHANGE_TAB_EXPORT)
        self.tabs.addTab(self._build_import(), strings.EXCHANGE_TAB_IMPORT)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)

    # ---- layout: laptop side --------------------------------------------------------------------
    def _build_export(self) -> QWidget:
        box = QWidget()
        card, card_layout = _card(strings.EXPORT_CARD, strings.EXPORT_HINT)
        self.folder_edit = QLineEdit()
        self.folder_edit.setPlaceholderText(strings.EXPORT_FOLDER_PH)
        folder_button = QPushButton(strings.BROWSE)
        folder_button.clicked.connect(self._on_choose_folder_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(folder_button)
        self.officer_combo = QComboBox()
        self.officer_combo.setMinimumWidth(200)
        self.all_check = QCheckBox(strings.EXPORT_ALL)
        self.encrypt_check = QCheckBox(strings.EXPORT_ENCRYPT)
        self.office_key_edit = QLineEdit()
        self.office_key_edit.setPlaceholderText(strings.EXPORT_OFFICE_KEY_PH)
        self.office_key_button = QPushButton(strings.BROWSE)
        self.office_key_button.clicked.connect(self._on_choose_office_key_clicked)
        self.encrypt_check.toggled.connect(self._on_encrypt_toggled)
        key_row = QHBoxLayout()
        key_row.addWidget(self.office_key_edit, 1)
        key_row.addWidget(self.office_key_button)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        officer_row = QHBoxLayout()
        officer_row.addWidget(self.officer_combo)
        officer_row.addStretch(1)
        form.addRow(form_label(strings.EXPORT_FOLDER), folder_row)
        form.addRow(form_label(strings.EXPORT_OFFICER), officer_row)
        form.addRow(form_label(""), self.all_check)
        form.addRow(form_label(""), self.encrypt_check)
        form.addRow(form_label(strings.EXPORT_OFFICE_KEY), key_row)
        self.export_button = QPushButton(strings.EXPORT_BUTTON)
        self.export_button.setProperty("primary", True)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.open_folder_button = QPushButton(strings.EXPORT_OPEN_FOLDER)
        self.open_folder_button.clicked.connect(self._on_open_folder_clicked)
        self.open_folder_button.hide()
        run_row = QHBoxLayout()
        run_row.addStretch(1)
        run_row.addWidget(self.open_folder_button)
        run_row.addWidget(self.export_button)
        self.export_banner = Banner("info")
        card_layout.addLayout(form)
        card_layout.addLayout(run_row)
        card_layout.addWidget(self.export_banner)

        key_card, key_layout = _card(strings.DEVICE_KEY_CARD, strings.DEVICE_KEY_HINT)
        self.device_key = KeyView("fieldkit-device.pub.pem")
        self.device_code_label = QLabel()
        self.device_key.form.insertRow(0, form_label(strings.DEVICE_CODE), self.device_code_label)
        key_layout.addWidget(self.device_key)

        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(card)
        layout.addWidget(key_card)
        layout.addStretch(1)
        self._on_encrypt_toggled(False)
        return box

    # ---- layout: office side --------------------------------------------------------------------
    def _build_import(self) -> QWidget:
        box = QWidget()
        self.import_button = QPushButton(strings.IMPORT_BUNDLE)
        self.import_button.setProperty("primary", True)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.verify_button = QPushButton(strings.VERIFY_BUNDLE)
        self.verify_button.clicked.connect(self._on_verify_clicked)
        self.trust_button = QPushButton(strings.TRUST_ADD)
        self.trust_button.clicked.connect(self._on_trust_clicked)
        self.keygen_button = QPushButton(strings.OFFICE_KEYGEN)
        self.keygen_button.clicked.connect(self._on_keygen_clicked)
        hint = QLabel(strings.IMPORT_HINT)
        hint.setWordWrap(True)
        set_role(hint, "hint")
        bar = QHBoxLayout()
        bar.addWidget(hint, 1)
        bar.addWidget(self.verify_button)
        bar.addWidget(self.import_button)
        self.import_banner = Banner("info", dismissable=True)

        self.bundle_model: RowsTableModel[ImportedBundle] = RowsTableModel(
            [
                (strings.COL_DEVICE, lambda b: b.device_code),
                (strings.COL_EXPORTER, lambda b: b.officer),
                (strings.COL_IMPORTED_AT, lambda b: _time(b.imported_at)),
                (strings.COL_INSERTED, lambda b: b.inserted),
                (strings.COL_UPDATED, lambda b: b.updated),
                (strings.COL_CONFLICTS, lambda b: b.conflicts),
                (strings.COL_BUNDLE_ID, lambda b: b.bundle_id),
            ],
            self,
        )
        self.bundle_table = _table(self.bundle_model, (90, 220, 150, 70, 70, 70))
        self.conflict_model: RowsTableModel[ConflictView] = RowsTableModel(
            [
                (strings.COL_RECORD_TYPE, lambda c: strings.RECORD_TYPES.get(c.record_type, c.record_type)),
                (strings.COL_RECORD, lambda c: c.title or c.record_id),
                (strings.COL_VERSION, lambda c: c.version),
                (strings.COL_DEVICE, lambda c: c.incoming_device_code or c.incoming_device_id[:8]),
                (strings.COL_CONFLICT_REASON, lambda c: strings.CONFLICT_REASONS.get(c.reason, "")),
                (strings.COL_DETECTED_AT, lambda c: _time(c.detected_at)),
            ],
            self,
        )
        self.conflict_table = _table(self.conflict_model, (110, 320, 60, 90, 150))
        self.conflict_table.doubleClicked.connect(self._on_conflict_double_clicked)
        conflict_hint = QLabel(strings.CONFLICTS_HINT)
        set_role(conflict_hint, "hint")
        conflicts = QWidget()
        conflicts_layout = QVBoxLayout(conflicts)
        conflicts_layout.setContentsMargins(0, 6, 0, 0)
        conflicts_layout.addWidget(conflict_hint)
        conflicts_layout.addWidget(self.conflict_table, 1)
        self.device_model: RowsTableModel[TrustedDevice] = RowsTableModel(
            [
                (strings.COL_DEVICE_NAME, lambda d: d.name),
                (strings.DEVICE_CODE, lambda d: d.device_code or strings.DEVICE_CODE_PENDING),
                (strings.COL_ADDED_AT, lambda d: _time(d.added_at)),
                (strings.KEY_FINGERPRINT, lambda d: d.grouped_fingerprint),
            ],
            self,
        )
        self.device_table = _table(self.device_model, (260, 110, 150))
        devices = QWidget()
        devices_layout = QVBoxLayout(devices)
        devices_layout.setContentsMargins(0, 6, 0, 0)
        device_bar = QHBoxLayout()
        device_hint = QLabel(strings.DEVICES_HINT)
        device_hint.setWordWrap(True)
        set_role(device_hint, "hint")
        device_bar.addWidget(device_hint, 1)
        device_bar.addWidget(self.keygen_button)
        device_bar.addWidget(self.trust_button)
        devices_layout.addLayout(device_bar)
        devices_layout.addWidget(self.device_table, 1)
        self.office_key = KeyView("fieldkit-office.pub.pem")
        self.office_key_card, office_layout = _card(strings.OFFICE_KEY_CARD, strings.OFFICE_KEY_HINT)
        office_layout.addWidget(self.office_key)
        devices_layout.addWidget(self.office_key_card)

        self.office_tabs = QTabWidget()
        self.office_tabs.addTab(self.bundle_table, strings.TAB_BUNDLES)
        self.office_tabs.addTab(conflicts, strings.TAB_CONFLICTS)
        self.office_tabs.addTab(devices, strings.TAB_DEVICES)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(10, 12, 10, 8)
        layout.addLayout(bar)
        layout.addWidget(self.import_banner)
        layout.addWidget(self.office_tabs, 1)
        return box

    # ---- Page -----------------------------------------------------------------------------------
    def page_shown(self) -> None:
        self.refresh()
        self.login_changed()

    def login_changed(self) -> None:
        """Import, trust and conflicts are the office's work, the office key an administrator's (13.1)."""
        gate(self.import_button, self._ctx, Duty.IMPORT, also=self._runner is None)
        gate(self.trust_button, self._ctx, Duty.TRUST)
        gate(self.conflict_table, self._ctx, Duty.CONFLICTS)
        self._gate_keygen()

    def _gate_keygen(self) -> None:
        gate(self.keygen_button, self._ctx, Duty.KEYS, also=not self._has_office_key)

    def refresh(self) -> None:
        self._refresh_export()
        self._refresh_office()

    def _refresh_export(self) -> None:
        current = self.officer_combo.currentText()
        self.officer_combo.clear()
        try:
            names = [o.name for o in load_settings(self._ctx).active_officers]
        except FieldkitError:
            names = []
        self.officer_combo.addItems(names)
        if current in names:
            self.officer_combo.setCurrentText(current)
        try:
            key = exchange_views.device_public_key(self._ctx)
        except FieldkitError as exc:
            self.device_key.set_key("", str(exc))
            return
        self.device_key.set_key(key.pem, key.fingerprint)
        self.device_code_label.setText(key.device_code)

    def _refresh_office(self) -> None:
        self.bundle_model.set_rows(exchange_views.imported_bundles(self._ctx))
        conflicts = exchange_views.conflict_views(self._ctx)
        self.conflict_model.set_rows(conflicts)
        devices = exchange_views.trusted_device_list(self._ctx)
        self.device_model.set_rows(devices)
        self.office_tabs.setTabText(0, strings.tab_count(strings.TAB_BUNDLES, self.bundle_model.rowCount()))
        self.office_tabs.setTabText(1, strings.tab_count(strings.TAB_CONFLICTS, len(conflicts)))
        self.office_tabs.setTabText(2, strings.tab_count(strings.TAB_DEVICES, len(devices)))
        try:
            office = exchange_views.office_public_key(self._ctx)
        except FieldkitError as exc:
            log.warning("office key unreadable: %s", exc)
            office = None
        self.office_key_card.setVisible(office is not None)
        self._has_office_key = office is not None
        if office is not None:
            self.office_key.set_key(office.pem, office.fingerprint)
        self._gate_keygen()

    def _busy(self, busy: bool) -> None:
        for button in (self.export_button, self.verify_button):
            button.setEnabled(not busy)
        gate(self.import_button, self._ctx, Duty.IMPORT, also=not busy)

    @property
    def runner(self) -> TransferRunner | None:
        return self._runner

    # ---- export ---------------------------------------------------------------------------------
    def _on_choose_folder_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, strings.EXPORT_FOLDER_TITLE, self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def _on_choose_office_key_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, strings.EXPORT_OFFICE_KEY_TITLE, "", strings.KEY_FILE_FILTER
        )
        if name:
            self.office_key_edit.setText(name)
            self.encrypt_check.setChecked(True)

    def _on_encrypt_toggled(self, on: bool) -> None:
        self.office_key_edit.setEnabled(on)
        self.office_key_button.setEnabled(on)

    def _on_export_clicked(self) -> None:
        if not self.folder_edit.text().strip():
            self._on_choose_folder_clicked()
            if not self.folder_edit.text().strip():
                return
        encrypt_to = None
        if self.encrypt_check.isChecked():
            if not self.office_key_edit.text().strip():
                self._on_choose_office_key_clicked()
            if not self.office_key_edit.text().strip():
                return
            encrypt_to = Path(self.office_key_edit.text().strip())
        self.start_export(
            Path(self.folder_edit.text().strip()),
            everything=self.all_check.isChecked(),
            encrypt_to=encrypt_to,
        )

    def start_export(
        self,
        folder: Path,
        *,
        everything: bool = False,
        encrypt_to: Path | None = None,
        pool: QThreadPool | None = None,
    ) -> TransferRunner:
        """Writes the bundle on the write pool (it records the export); 取消 leaves no bundle behind."""
        ctx, officer = self._ctx, self.officer_combo.currentText()

        def work(report: Report, cancelled: object) -> object:
            return exchange.export_bundle(
                ctx,
                folder,
                everything=everything,
                encrypt_to=encrypt_to,
                officer=officer,
                progress=lambda done, total: report(Transfer(done, total)),
                cancelled=cancelled,  # type: ignore[arg-type]
            )

        self.export_banner.hide()
        self.open_folder_button.hide()
        runner = TransferRunner(self, work, strings.EXPORTING, pool)
        runner.finished.connect(self._on_export_finished)
        runner.failed.connect(self._on_export_failed)
        self._runner = runner
        self._busy(True)
        runner.start()
        return runner

    def _on_export_finished(self, result: object) -> None:
        self._runner = None
        self._busy(False)
        path = getattr(result, "path", None)
        self.last_export = path
        self.export_banner.set_kind("info")
        self.export_banner.show_text(
            strings.exported(
                str(path),
                getattr(result, "record_count", 0),
                getattr(result, "file_count", 0),
                getattr(result, "bytes", 0),
            )
        )
        self.open_folder_button.setVisible(path is not None)
        self.export_finished.emit(result)

    def _on_export_failed(self, exc: object) -> None:
        self._runner = None
        self._busy(False)
        if isinstance(exc, NothingNew):
            self.export_banner.set_kind("info")
            self.export_banner.show_text(strings.EXPORT_NOTHING_NEW)
        elif isinstance(exc, Cancelled):
            self.export_banner.set_kind("warning")
            self.export_banner.show_text(strings.EXPORT_CANCELLED)
        elif isinstance(exc, BaseException):
            self.export_banner.set_kind("error")
            self.export_banner.show_text(
                strings.export_failed(str(exc) if isinstance(exc, FieldkitError) else "")
            )
            if not isinstance(exc, FieldkitError):
                show_error(self, exc)
        self.export_finished.emit(exc)

    def _on_open_folder_clicked(self) -> None:
        if self.last_export is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_export.parent)))

    # ---- import ---------------------------------------------------------------------------------
    def _choose_bundle(self, title: str) -> tuple[Path, Path | None] | None:
        name, _filter = QFileDialog.getOpenFileName(self, title, "", strings.BUNDLE_FILE_FILTER)
        if not name:
            return None
        path = Path(name)
        key: Path | None = None
        default = exchange_views.office_key_path(self._ctx)
        if exchange_views.is_encrypted(path) and not default.exists():
            # Encrypted for the office: its own key decrypts it without asking; only a store
            # without the office key (a second office PC) asks where the key is.
            key_name, _filter = QFileDialog.getOpenFileName(
                self,
                strings.OFFICE_KEY_CHOOSE,
                str(default if default.exists() else default.parent),
                strings.KEY_FILE_FILTER,
            )
            if not key_name:
                return None
            key = Path(key_name)
        return path, key

    def _on_import_clicked(self) -> None:
        if (chosen := self._choose_bundle(strings.IMPORT_BUNDLE_TITLE)) is not None:
            self.start_import(*chosen)

    def _on_verify_clicked(self) -> None:
        if (chosen := self._choose_bundle(strings.VERIFY_BUNDLE_TITLE)) is not None:
            self.start_verify(*chosen)

    def start_import(
        self, path: Path, key_path: Path | None = None, pool: QThreadPool | None = None
    ) -> TransferRunner:
        """Decrypt if needed, verify, then merge in one transaction (write pool); refusals list every problem."""
        return self._start_bundle_job(
            exchange_views.import_file,
            path,
            key_path,
            strings.IMPORTING,
            pool,  # None: the write pool
            self._on_import_finished,
            self._on_import_failed,
        )

    def _start_bundle_job(
        self,
        call: Callable[..., object],
        path: Path,
        key_path: Path | None,
        label: str,
        pool: QThreadPool | None,
        finished: Callable[[object], None],
        failed: Callable[[object], None],
    ) -> TransferRunner:
        """Run `call` on one bundle file as a job with progress and 取消 (importing or verifying)."""
        ctx = self._ctx

        def work(report: Report, cancelled: object) -> object:
            return call(
                ctx,
                path,
                key_path=key_path,
                progress=lambda done, total: report(Transfer(done, total)),
                cancelled=cancelled,
            )

        self._import_name = path.name
        self._last_bundle = (path, key_path)
        self.import_banner.hide()
        runner = TransferRunner(self, work, label, pool)
        runner.finished.connect(finished)
        runner.failed.connect(failed)
        self._runner = runner
        self._busy(True)
        runner.start()
        return runner

    def _on_import_finished(self, report: object) -> None:
        self._runner = None
        self._busy(False)
        assert isinstance(report, ImportReport)
        self._refresh_office()
        bundle = exchange_views.imported_bundle(self._ctx, report.bundle_id)
        self.import_banner.set_kind("warning" if report.conflicts else "info")
        self.import_banner.show_text(import_summary(report))
        if report.conflicts:
            self.office_tabs.setCurrentIndex(1)
        titles = {c.record_id: c.title for c in self.conflict_model.rows() if c.bundle_id == report.bundle_id}
        dialog = BundleReportDialog(report, bundle, self._import_name, self, titles=titles)
        self.report_dialog = dialog
        dialog.open()
        self.import_finished.emit(report)

    def _show_refusal(self, exc: BundleRefused, title: str) -> None:
        lines = [(str(i), p) for i, p in enumerate(exc.problems, 1)]
        dialog = ProblemListDialog(
            title,
            strings.bundle_refused(len(exc.problems)),
            (strings.COL_NO, strings.COL_PROBLEM),
            lines,
            self,
            note=strings.BUNDLE_REFUSED_NOTE,
            widths=(50,),
        )
        self.problems_dialog = dialog
        dialog.open()
        self.import_banner.set_kind("error")
        self.import_banner.show_text(strings.bundle_refused(len(exc.problems)))

    def _on_import_failed(self, exc: object) -> None:
        self._runner = None
        self._busy(False)
        if isinstance(exc, UntrustedDevice):
            self.offer_trust(exc.offer)
        elif isinstance(exc, BundleRefused):
            self._show_refusal(exc, strings.BUNDLE_REFUSED_TITLE)
        elif isinstance(exc, Cancelled):
            self.import_banner.set_kind("warning")
            self.import_banner.show_text(strings.IMPORT_BUNDLE_CANCELLED)
        elif isinstance(exc, BaseException):
            self.import_banner.set_kind("error")
            self.import_banner.show_text(
                strings.import_failed(str(exc) if isinstance(exc, FieldkitError) else "")
            )
            if not isinstance(exc, FieldkitError):
                show_error(self, exc)
        self.import_finished.emit(exc)

    def start_verify(
        self, path: Path, key_path: Path | None = None, pool: QThreadPool | None = None
    ) -> TransferRunner:
        """Checks a bundle without importing it (a read: the global pool)."""
        return self._start_bundle_job(
            exchange_views.check_file,
            path,
            key_path,
            strings.VERIFYING_BUNDLE,
            pool or QThreadPool.globalInstance(),
            self._on_verify_finished,
            self._on_verify_failed,
        )

    def _on_verify_finished(self, check: object) -> None:
        self._runner = None
        self._busy(False)
        assert isinstance(check, BundleCheck)
        if check.offer is not None:
            self.offer_trust(check.offer)
        elif not check.ok:
            self._show_refusal(BundleRefused(check.problems), strings.VERIFY_REFUSED_TITLE)
        else:
            manifest = check.report.manifest
            preview = check.preview
            assert manifest is not None and preview is not None
            summary = import_summary(preview)
            self.import_banner.set_kind("info")
            self.import_banner.show_text(
                strings.verified(
                    self._import_name,
                    manifest.device.device_code,
                    manifest.officer,
                    _iso_time(manifest.created_at),
                    summary,
                )
            )
        self.verify_finished.emit(check)

    def offer_trust(self, offer: TrustOffer) -> TrustOfferDialog:
        """A sound bundle from an unregistered laptop: compare the fingerprint, trust it, import."""
        dialog = TrustOfferDialog(self._ctx, offer, self)
        dialog.accepted.connect(self._on_offer_accepted)
        self.trust_dialog = dialog  # type: ignore[assignment]
        dialog.open()
        return dialog

    def _on_offer_accepted(self) -> None:
        dialog = self.trust_dialog
        self._refresh_office()
        if isinstance(dialog, TrustOfferDialog) and self._last_bundle is not None:
            self.import_banner.set_kind("info")
            self.import_banner.show_text(
                strings.trusted_on_the_spot(dialog.name_edit.text(), dialog.offer.device_code)
            )
            self.start_import(*self._last_bundle)

    def _on_verify_failed(self, exc: object) -> None:
        self._runner = None
        self._busy(False)
        if isinstance(exc, BundleRefused):
            self._show_refusal(exc, strings.VERIFY_REFUSED_TITLE)
        elif isinstance(exc, Cancelled):
            self.import_banner.hide()
        elif isinstance(exc, BaseException):
            show_error(self, exc)
        self.verify_finished.emit(exc)

    # ---- conflicts, devices, keys -----------------------------------------------------------------
    def _on_conflict_double_clicked(self, *_args: object) -> None:
        rows = self.conflict_table.selectionModel().selectedRows()
        if rows:
            self.show_conflict(rows[0].row())

    def show_conflict(self, row: int) -> ConflictDialog | None:
        if not allowed(self._ctx, Duty.CONFLICTS):
            return None
        view = self.conflict_model.row_value(row)
        if view is None:
            return None
        dialog = ConflictDialog(view, self, ctx=self._ctx)
        dialog.accepted.connect(self._refresh_office)
        self.conflict_dialog = dialog
        dialog.open()
        return dialog

    def _on_trust_clicked(self) -> None:
        self.open_trust_dialog()

    def open_trust_dialog(self) -> TrustDeviceDialog:
        dialog = TrustDeviceDialog(self._ctx, self)
        dialog.accepted.connect(self._refresh_office)
        self.trust_dialog = dialog
        dialog.open()
        return dialog

    def _on_keygen_clicked(self) -> None:
        if confirm(self, strings.OFFICE_KEYGEN_CONFIRM):
            self.generate_office_key()

    def generate_office_key(self) -> bool:
        try:
            exchange.office_keygen(self._ctx)
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        self._refresh_office()
        self.office_tabs.setCurrentIndex(2)
        self.import_banner.set_kind("info")
        self.import_banner.show_text(strings.OFFICE_KEY_MADE)
        return True

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
