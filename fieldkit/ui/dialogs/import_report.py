"""The result of a subject-list import: counts, then every rejected or warned row with its reason."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.services.subject_import import ImportReport
from fieldkit.ui import strings
from fieldkit.ui.models.rows_table import RowsTableModel
from fieldkit.ui.theme import set_role

ReportLine = tuple[int, str, str, str]  # row, kind, field, reason


def report_lines(report: ImportReport) -> list[ReportLine]:
    lines = [
        (int(str(r["row"])), strings.IMPORT_REJECTED, str(r["field"]), str(r["reason"]))
        for r in report.rejected
    ]
    lines += [
        (int(str(h["row"])), strings.IMPORT_HELD, str(h["field"]), str(h["reason"])) for h in report.held
    ]
    lines += [
        (int(str(w["row"])), strings.IMPORT_WARNING, str(w["field"]), str(w["reason"]))
        for w in report.warnings
    ]
    return sorted(lines, key=lambda line: (line[0], line[1] != strings.IMPORT_REJECTED))


class ImportReportDialog(QDialog):
    """Counts and every problem row. Rows held back for a warning are kept only when the officer
    presses 「仍然导入待确认的行」 — the same decision the CLI makes with --accept-warnings."""

    keep_held_requested = Signal()

    def __init__(self, report: ImportReport, file_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(strings.IMPORT_REPORT_TITLE)
        self.resize(900, 520)
        rejected_rows = len({r["row"] for r in report.rejected})
        held_rows = len({r["row"] for r in report.held})
        self.summary = QLabel(
            strings.import_summary(
                report.accepted,
                report.updated,
                report.unchanged,
                rejected_rows,
                len(report.warnings),
                held_rows,
            )
        )
        set_role(self.summary, "sectionTitle")
        self.summary.setWordWrap(True)
        self.model: RowsTableModel[ReportLine] = RowsTableModel(
            [
                (strings.COL_ROW, lambda line: line[0]),
                (strings.COL_KIND, lambda line: line[1]),
                (strings.COL_FIELD, lambda line: line[2]),
                (strings.COL_REASON, lambda line: line[3]),
            ],
            self,
        )
        self.model.set_rows(report_lines(report))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        for column, width in enumerate((64, 64, 170)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(strings.CLOSE)
        buttons.rejected.connect(self.accept)
        self.keep_held_button: QPushButton | None = None
        if held_rows:
            self.keep_held_button = buttons.addButton(
                strings.import_keep_held(held_rows), QDialogButtonBox.ButtonRole.ActionRole
            )
            self.keep_held_button.clicked.connect(self._on_keep_held_clicked)
        layout = QVBoxLayout(self)
        if file_name:
            name_label = QLabel(strings.import_file_label(file_name))
            set_role(name_label, "hint")
            layout.addWidget(name_label)
        layout.addWidget(self.summary)
        if held_rows:
            hint = QLabel(strings.IMPORT_HELD_HINT)
            hint.setWordWrap(True)
            set_role(hint, "hint")
            layout.addWidget(hint)
        if self.model.rowCount():
            layout.addWidget(self.table, 1)
        else:
            self.table.hide()
            layout.addWidget(QLabel(strings.IMPORT_ALL_GOOD))
            layout.addStretch(1)
        layout.addWidget(buttons)

    def _on_keep_held_clicked(self) -> None:
        self.keep_held_requested.emit()
        self.accept()
