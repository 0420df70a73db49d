"""The result of importing a bundle at the office: counts, where it came from, and every conflict."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.services.context import SHANGHAI
from fieldkit.services.exchange import ImportReport
from fieldkit.services.exchange_views import ImportedBundle
from fieldkit.ui import strings
from fieldkit.ui.models.rows_table import RowsTableModel
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.banner import Banner

ConflictLine = tuple[str, str, int, str, str]  # type, record id, version, device, reason


def import_summary(result: ImportReport) -> str:
    """What an import did, or what a verified bundle would do (the same counts)."""
    if result.already_imported:
        return strings.BUNDLE_ALREADY_IMPORTED
    return strings.bundle_import_summary(
        result.inserted,
        result.updated,
        result.unchanged,
        result.older_ignored,
        len(result.conflicts),
        result.files_added,
    ) + strings.bundle_audit_entries(result.audit_entries)


class BundleReportDialog(QDialog):
    def __init__(
        self,
        report: ImportReport,
        bundle: ImportedBundle | None,
        file_name: str,
        parent: QWidget | None = None,
        *,
        titles: dict[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(strings.BUNDLE_REPORT_TITLE)
        self.resize(820, 460 if report.conflicts else 230)
        titles = titles or {}
        file_label = QLabel(strings.import_file_label(file_name))
        set_role(file_label, "hint")
        self.banner = Banner("warning" if report.conflicts else "info")
        self.banner.show_text(import_summary(report))
        self.origin = QLabel()
        set_role(self.origin, "sectionTitle")
        if bundle is not None:
            self.origin.setText(
                strings.bundle_origin(
                    bundle.device_code, bundle.officer, bundle.imported_at.astimezone(SHANGHAI)
                )
            )
        else:
            self.origin.hide()
        self.model: RowsTableModel[ConflictLine] = RowsTableModel(
            [
                (strings.COL_RECORD_TYPE, lambda c: c[0]),
                (strings.COL_RECORD, lambda c: c[1]),
                (strings.COL_VERSION, lambda c: c[2]),
                (strings.COL_DEVICE, lambda c: c[3]),
                (strings.COL_CONFLICT_REASON, lambda c: c[4]),
            ],
            self,
        )
        device = bundle.device_code if bundle is not None else ""
        self.model.set_rows(
            [
                (
                    strings.RECORD_TYPES.get(str(c["type"]), str(c["type"])),
                    titles.get(str(c["id"])) or str(c["id"]),
                    int(c["version"]),
                    device or str(c["device"])[:8],
                    strings.CONFLICT_REASONS.get(str(c.get("reason", "version")), ""),
                )
                for c in report.conflicts
            ]
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(strings.CLOSE)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(file_label)
        layout.addWidget(self.origin)
        layout.addWidget(self.banner)
        if report.conflicts:
            hint = QLabel(strings.BUNDLE_CONFLICTS_HINT)
            hint.setWordWrap(True)
            set_role(hint, "hint")
            table = QTableView()
            table.setModel(self.model)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().hide()
            table.setColumnWidth(0, 110)
            table.setColumnWidth(1, 300)
            table.setColumnWidth(2, 60)
            table.setColumnWidth(3, 90)
            table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
            layout.addWidget(hint)
            layout.addWidget(table, 1)
        else:
            layout.addStretch(1)
        layout.addWidget(buttons)

    def summary(self) -> str:
        return self.banner.text()
