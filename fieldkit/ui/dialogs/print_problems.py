"""Every pre-print problem at once, hard ones marked 不可打印; 仍然打印 only when all are warnings."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Signal
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

from fieldkit.domain.problems import Problem
from fieldkit.ui import strings
from fieldkit.ui.models.problem_table import FieldRole, ProblemTableModel
from fieldkit.ui.theme import set_role


class PrintProblemsDialog(QDialog):
    """Accepted means 仍然打印 (warnings only); rejected means 返回修改."""

    field_requested = Signal(str)  # double-click on a problem: go to its field

    def __init__(self, problems: Sequence[Problem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(strings.DOC_PROBLEMS_TITLE)
        self.resize(820, 440)
        hard = sum(1 for p in problems if p.is_error)
        self.intro = QLabel(strings.doc_problems_intro(len(problems), hard))
        self.intro.setWordWrap(True)
        set_role(self.intro, "sectionTitle")
        self.model = ProblemTableModel(problems, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(0, 86)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.hint = QLabel(strings.DOC_PROBLEMS_HINT if hard else strings.DOC_PROBLEMS_WARN_HINT)
        self.hint.setWordWrap(True)
        set_role(self.hint, "hint")

        self.buttons = QDialogButtonBox()
        self.back_button = QPushButton(strings.DOC_PROBLEMS_BACK)
        self.buttons.addButton(self.back_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.print_anyway_button: QPushButton | None = None
        if not hard:
            self.print_anyway_button = QPushButton(strings.DOC_PRINT_ANYWAY)
            self.buttons.addButton(self.print_anyway_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)

    def messages(self) -> list[str]:
        return [self.model.problem(r).message for r in range(self.model.rowCount())]

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        key = index.data(FieldRole)
        if key:
            self.field_requested.emit(str(key))
            self.reject()
