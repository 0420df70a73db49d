"""The check-item table: results by combo or by keys 1/2/3, notes typed in place, 不符合 rows in red."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.checklists import ChecklistDomain
from fieldkit.ui import strings
from fieldkit.ui.models.check_table import (
    COL_GROUP,
    COL_ITEM,
    COL_NO,
    COL_NOTE,
    COL_RESULT,
    RESULTS,
    CheckTableModel,
)
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.delegates import LiveTextDelegate, ResultDelegate

RESULT_KEYS = {Qt.Key.Key_1: 0, Qt.Key.Key_2: 1, Qt.Key.Key_3: 2}
CLEAR_KEYS = (Qt.Key.Key_0, Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


class CheckTableView(QTableView):
    """Keys 1/2/3 set 符合/不符合/不涉及 on the selected rows and move on; 0 or Delete clears."""

    def __init__(self, model: CheckTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._model = model
        self.setItemDelegateForColumn(COL_RESULT, ResultDelegate(self))
        self.setItemDelegateForColumn(COL_NOTE, LiveTextDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(40)
        self.setColumnWidth(COL_NO, 44)
        self.setColumnWidth(1, 76)
        self.setColumnWidth(COL_GROUP, 100)
        self.setColumnWidth(COL_RESULT, 70)
        self.setColumnWidth(COL_NOTE, 180)
        header.setSectionResizeMode(COL_ITEM, QHeaderView.ResizeMode.Stretch)

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.selectionModel().selectedRows()})

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        rows = self.selected_rows()
        if plain and rows and (key in RESULT_KEYS or key in CLEAR_KEYS):
            result = RESULTS[RESULT_KEYS[key]] if key in RESULT_KEYS else None  # type: ignore[index]
            self._model.set_result(rows, result)
            if len(rows) == 1:
                self._select_row(rows[0] + 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def _select_row(self, row: int) -> None:
        if 0 <= row < self._model.rowCount():
            index = self._model.index(row, COL_RESULT)
            self.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.scrollTo(index)


class ChecksPanel(QWidget):
    """Title, keyboard hint, the 全部符合 menu and the table."""

    all_pass_requested = Signal(str)  # domain id

    def __init__(self, model: CheckTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(strings.EDITOR_SECTION_CHECKS)
        set_role(title, "sectionTitle")
        self.hint = QLabel(strings.EDITOR_KEY_HINT)
        set_role(self.hint, "hint")
        self.hint.setWordWrap(True)
        self.all_pass_button = QPushButton(strings.EDITOR_ALL_PASS)
        self.all_pass_menu = QMenu(self)
        self.all_pass_button.setMenu(self.all_pass_menu)
        self.table = CheckTableView(model)
        self.empty_label = QLabel(strings.EDITOR_NO_DOMAINS)
        set_role(self.empty_label, "hint")
        self.error_label = QLabel()
        set_role(self.error_label, "error")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.hint, 1)
        top.addWidget(self.all_pass_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)

    def set_domains(self, domains: Sequence[ChecklistDomain]) -> None:
        self.all_pass_menu.clear()
        for domain in domains:
            action = self.all_pass_menu.addAction(strings.all_pass_action(domain.name))
            action.triggered.connect(lambda _checked=False, d=domain.id: self.all_pass_requested.emit(d))
        self.all_pass_button.setEnabled(bool(domains))
        self.empty_label.setVisible(not domains)

    def set_read_only(self, read_only: bool) -> None:
        self.all_pass_button.setVisible(not read_only)
        self.hint.setVisible(not read_only)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if read_only
            else QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
