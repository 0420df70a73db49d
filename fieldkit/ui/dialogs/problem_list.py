"""A summary line over a table of every problem (refused bundle, failed files, changed evidence)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.ui import strings
from fieldkit.ui.models.rows_table import RowsTableModel
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.banner import Banner

Line = tuple[str, ...]
AUTO_HEIGHT_ROWS = 300


class ProblemListDialog(QDialog):
    """Every line is shown (never "and 3 more"); 复制全部 puts them on the clipboard for a report."""

    def __init__(
        self,
        title: str,
        summary: str,
        headers: Sequence[str],
        lines: Sequence[Line],
        parent: QWidget | None = None,
        *,
        kind: str = "error",
        note: str = "",
        widths: Sequence[int] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(860, 480 if len(lines) > 3 else 320 if lines else 200)
        self.banner = Banner(kind)
        self.banner.show_text(summary)
        self.model: RowsTableModel[Line] = RowsTableModel(
            [(h, (lambda line, i=i: line[i])) for i, h in enumerate(headers)], self
        )
        self.model.set_rows(lines)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        if len(lines) <= AUTO_HEIGHT_ROWS:  # wrapped reasons; a long list keeps fixed rows (fast)
            self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        else:
            self.table.verticalHeader().setDefaultSectionSize(28)
        self.copy_button = QPushButton(strings.COPY_ALL)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(strings.CLOSE)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        if note:
            note_label = QLabel(note)
            note_label.setWordWrap(True)
            set_role(note_label, "hint")
            layout.addWidget(note_label)
        if lines:
            layout.addWidget(self.table, 1)
        else:
            self.table.hide()
            layout.addStretch(1)
        layout.addWidget(buttons)

    def lines(self) -> list[Line]:
        return self.model.rows()

    def _on_copy_clicked(self) -> None:
        QApplication.clipboard().setText("\n".join("\t".join(line) for line in self.model.rows()))
