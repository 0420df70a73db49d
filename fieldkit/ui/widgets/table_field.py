"""A `table` field (清单 items): a QTableView over FormTableModel with typed cell editors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRegularExpression,
    Qt,
)
from PySide6.QtGui import QIntValidator, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain import forms as F
from fieldkit.domain.datetext import format_date_text
from fieldkit.ui import strings
from fieldkit.ui.models.form_table import FormTableModel
from fieldkit.ui.money import YUAN_PATTERN
from fieldkit.ui.widgets.date_input import DateInput
from fieldkit.ui.widgets.form_fields import FieldWidget

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_HEIGHT = 30
MIN_ROWS_SHOWN = 4
MAX_ROWS_SHOWN = 14


class CellDelegate(QStyledItemDelegate):
    """Per column type: a line edit (numbers only for integer and money, in yuan) committing every
    keystroke, or the typed date / date-time input, which stays open on text it refuses."""

    def __init__(self, model: FormTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        column = self._model.column(index.column())
        if column.type in (F.FieldType.DATE, F.FieldType.DATETIME):
            date_input = DateInput(
                with_time=column.type == F.FieldType.DATETIME,
                label=column.label,
                inline_errors=False,
                parent=parent,
            )
            date_input.setAutoFillBackground(True)
            date_input.value_changed.connect(lambda: self.commitData.emit(date_input))
            # Keys and focus go to the inner line edit; route them through the delegate's filter.
            date_input.line.installEventFilter(self)
            return date_input
        line = QLineEdit(parent)
        line.setFrame(False)
        if column.type == F.FieldType.INTEGER:
            line.setValidator(QIntValidator(0, 999_999_999, line))
        elif column.type == F.FieldType.MONEY:
            line.setValidator(QRegularExpressionValidator(QRegularExpression(YUAN_PATTERN), line))
            line.setPlaceholderText(strings.DOC_YUAN)
        line.textEdited.connect(lambda _text: self.commitData.emit(line))
        return line

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        date_input = watched.parent() if isinstance(watched, QLineEdit) else None
        if not isinstance(date_input, DateInput):
            return super().eventFilter(watched, event)
        leaving = event.type() == QEvent.Type.FocusOut or (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        )
        if leaving and not date_input.commit():
            # Refused in place: the cell keeps its old value and the editor stays open with the reason.
            QToolTip.showText(
                date_input.mapToGlobal(QPoint(0, date_input.height())), date_input.error(), date_input
            )
            return event.type() == QEvent.Type.KeyPress
        return super().eventFilter(date_input, event)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if isinstance(editor, QLineEdit):
            if editor.text() != text:
                editor.setText(text)
        elif isinstance(editor, DateInput):
            if editor.error() is not None:
                return  # the officer is fixing refused text: leave it as typed
            value = F.parse_datetime(text) if editor.with_time else F.parse_date(text)
            if editor.value() != value:
                editor.set_value(value)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, DateInput):
            if editor.error() is not None:
                return
            value = editor.value()
            if value is None:
                text = ""
            elif isinstance(value, dt.datetime):
                text = f"{value:%Y-%m-%dT%H:%M}"
            else:
                text = format_date_text(value)
            model.setData(index, text, Qt.ItemDataRole.EditRole)


class TableField(FieldWidget):
    wide = True

    def __init__(self, fd: F.FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self.model = FormTableModel(fd.columns, self)
        self.model.rows_changed.connect(self._on_rows_changed)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(CellDelegate(self.model, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        total = sum(c.width for c in fd.columns) or 1
        for i, column in enumerate(fd.columns):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(i, max(70, int(860 * column.width / total)))
        header.setStretchLastSection(True)
        self.add_button = QPushButton(strings.DOC_ROW_ADD)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button = QPushButton(strings.DOC_ROW_REMOVE)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.up_button = QPushButton(strings.DOC_QA_UP)
        self.up_button.clicked.connect(self._on_up_clicked)
        self.down_button = QPushButton(strings.DOC_QA_DOWN)
        self.down_button.clicked.connect(self._on_down_clicked)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.view)
        layout.addLayout(bar)
        self._fit()

    def _fit(self) -> None:
        rows = max(MIN_ROWS_SHOWN, min(self.model.rowCount(), MAX_ROWS_SHOWN))
        header = self.view.horizontalHeader().sizeHint().height()
        scroll = self.view.horizontalScrollBar().sizeHint().height()
        self.view.setFixedHeight(header + rows * ROW_HEIGHT + scroll + 2 * self.view.frameWidth())

    def _current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def _on_rows_changed(self) -> None:
        self._fit()
        self._on_widget_changed()

    def _on_add_clicked(self) -> None:
        if self._read_only:
            return
        current = self._current_row()
        row = self.model.insert_row(current + 1 if current >= 0 else None)
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.setFocus()
        self.view.edit(index)

    def _on_remove_clicked(self) -> None:
        if not self._read_only and (row := self._current_row()) >= 0:
            self.model.remove_row(row)

    def _on_up_clicked(self) -> None:
        self._move(-1)

    def _on_down_clicked(self) -> None:
        self._move(+1)

    def _move(self, delta: int) -> None:
        if self._read_only or (row := self._current_row()) < 0:
            return
        column = self.view.currentIndex().column()
        target = self.model.move_row(row, delta)
        self.view.setCurrentIndex(self.model.index(target, column))

    # ---- FieldWidget --------------------------------------------------------------------------
    def widget_value(self) -> object | None:
        return self.model.rows() or None

    def show_value(self, value: object) -> bool:
        if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
            self.model.set_rows([])
            return False
        self.model.set_rows(value)
        self._fit()
        return True

    def clear_widget(self) -> None:
        self.model.set_rows([])
        self._fit()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.model.set_read_only(read_only)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setVisible(not read_only)

    def focus_target(self) -> QWidget:
        return self.view
