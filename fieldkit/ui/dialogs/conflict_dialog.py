"""One import conflict: the stored values beside the incoming ones, differing fields highlighted."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError, ValidationFailed
from fieldkit.services import exchange
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.exchange_views import ConflictView
from fieldkit.ui import strings
from fieldkit.ui.errors import show_error
from fieldkit.ui.theme import FAIL_BG, set_role
from fieldkit.ui.widgets.banner import Banner

_ROOT = QModelIndex()
AnyIndex = QModelIndex | QPersistentModelIndex
CELL_CHARS = 120
# Bookkeeping columns differ on every edit and say nothing about the clash.
_QUIET = {"created_at", "updated_at"}

Row = tuple[str, str, str, bool]  # field label, stored, incoming, differs


_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if _ISO_TIME.match(value):  # records keep times in UTC; officers read Beijing time
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            if moment.tzinfo is not None:
                return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def comparison_rows(view: ConflictView) -> list[Row]:
    stored = view.stored or {}
    keys = [k for k in view.incoming if k not in _QUIET]
    keys += [k for k in stored if k not in view.incoming and k not in _QUIET]
    return [
        (
            strings.record_field(view.record_type, k),
            value_text(strings.record_value(view.record_type, k, stored.get(k))),
            value_text(strings.record_value(view.record_type, k, view.incoming.get(k))),
            stored.get(k) != view.incoming.get(k),
        )
        for k in keys
    ]


class ComparisonModel(QAbstractTableModel):
    HEADERS = (strings.COL_FIELD, strings.CONFLICT_STORED, strings.CONFLICT_INCOMING)

    def __init__(self, rows: Sequence[Row], parent: Any = None) -> None:
        super().__init__(parent)
        self._all = list(rows)
        self._rows = list(rows)

    def show_only_differences(self, only: bool) -> None:
        self.beginResetModel()
        self._rows = [r for r in self._all if r[3]] if only else list(self._all)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        text = row[index.column()]
        assert isinstance(text, str)
        if role == Qt.ItemDataRole.DisplayRole:
            return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if len(text) > 20 else None
        if role == Qt.ItemDataRole.BackgroundRole and row[3] and index.column() > 0:
            return QColor(FAIL_BG)
        return None


class ConflictDialog(QDialog):
    """Shows the clash and lets the office decide which content stands (with a reason)."""

    def __init__(self, view: ConflictView, parent: QWidget | None = None, ctx: Context | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._view = ctx, view
        self.setWindowTitle(strings.CONFLICT_TITLE)
        self.resize(980, 600)
        banner = Banner("warning")
        banner.show_text(strings.CONFLICT_REASON_EXPLAIN.get(view.reason) or strings.CONFLICT_EXPLAIN)
        when = view.detected_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        head = QLabel(
            strings.conflict_heading(
                strings.RECORD_TYPES.get(view.record_type, view.record_type),
                view.title,
                view.version,
                view.incoming_device_code or view.incoming_device_id[:8],
                when,
            )
        )
        head.setWordWrap(True)
        set_role(head, "sectionTitle")
        self.model = ComparisonModel(comparison_rows(view), self)
        self.only_diff = QCheckBox(strings.CONFLICT_ONLY_DIFF)
        self.only_diff.toggled.connect(self.model.show_only_differences)
        self.only_diff.setChecked(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        # The field names are the domain's full labels (法定代表人（负责人、经营者）): never clipped.
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(0, max(150, self.table.columnWidth(0)))
        self.table.setColumnWidth(1, 380)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        missing = QLabel(strings.CONFLICT_STORED_GONE)
        set_role(missing, "error")
        missing.setVisible(view.stored is None)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(strings.CONFLICT_REASON_LABEL)
        self.problems = QLabel()
        set_role(self.problems, "error")
        self.problems.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(strings.CLOSE)
        buttons.rejected.connect(self.reject)
        self.take_button = buttons.addButton(
            strings.CONFLICT_TAKE_INCOMING, QDialogButtonBox.ButtonRole.ActionRole
        )
        self.keep_button = buttons.addButton(
            strings.CONFLICT_KEEP_STORED, QDialogButtonBox.ButtonRole.ActionRole
        )
        self.take_button.clicked.connect(lambda: self._resolve(take_incoming=True))
        self.keep_button.clicked.connect(lambda: self._resolve(take_incoming=False))
        for button in (self.take_button, self.keep_button):
            button.setEnabled(ctx is not None and view.stored is not None)
        # A printed revision and an evidence record's file stand; resolve_conflict refuses them too.
        if view.reason in ("frozen", "bound"):
            self.take_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(banner)
        layout.addWidget(head)
        layout.addWidget(missing)
        layout.addWidget(self.only_diff)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(strings.CONFLICT_REASON_LABEL))
        layout.addWidget(self.reason)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)

    def _resolve(self, *, take_incoming: bool) -> None:
        assert self._ctx is not None
        try:
            exchange.resolve_conflict(
                self._ctx, self._view.id, take_incoming=take_incoming, reason=self.reason.text()
            )
        except ValidationFailed as exc:
            self.problems.setText("\n".join(p.message for p in exc.problems))
            self.problems.show()
            self.reason.setFocus()
            return
        except FieldkitError as exc:
            show_error(self, exc)
            return
        self.accept()
