"""The left column of the inspection editor: 当事人, 类型, 时间, 地点, 检查人员, 检查领域."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.inspections import FIELD_LABELS, InspectionType
from fieldkit.services.context import SHANGHAI
from fieldkit.ui import strings
from fieldkit.ui.models.checkable_list import CheckableListModel
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.date_input import DateInput
from fieldkit.ui.widgets.field_errors import FieldErrors


def _local(value: dt.datetime) -> dt.datetime:
    """An aware time as the naive Beijing time the inputs show."""
    return value.astimezone(SHANGHAI).replace(tzinfo=None, second=0, microsecond=0)


def checklist_view(model: CheckableListModel, max_rows: int) -> QListView:
    """A list as tall as its entries (up to max_rows, then it scrolls)."""
    view = QListView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setUniformItemSizes(True)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

    def fit() -> None:
        row = view.sizeHintForRow(0) if model.rowCount() else 22
        rows = min(max(model.rowCount(), 2), max_rows)
        view.setFixedHeight(rows * row + 2 * view.frameWidth() + 6)

    model.modelReset.connect(fit)
    fit()
    return view


class InspectionForm(QWidget):
    edited = Signal()
    pick_subject_requested = Signal()
    now_requested = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, now: Callable[[], dt.datetime] | None = None
    ) -> None:
        super().__init__(parent)
        self.errors = FieldErrors()
        self._now = now or (lambda: dt.datetime.now(SHANGHAI))
        local_now = lambda: _local(self._now())  # noqa: E731
        L = FIELD_LABELS
        self.subject_label = QLabel(strings.EDITOR_NO_SUBJECT)
        self.subject_label.setWordWrap(True)
        set_role(self.subject_label, "sectionTitle")
        self.pick_button = QPushButton(strings.EDITOR_PICK_SUBJECT)
        self.pick_button.clicked.connect(self.pick_subject_requested)
        subject_row = QWidget()
        row = QHBoxLayout(subject_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.subject_label, 1)
        row.addWidget(self.pick_button)

        self.type_combo = QComboBox()
        for kind in InspectionType:
            self.type_combo.addItem(kind.label, kind)
        self.start_edit = DateInput(with_time=True, label=L["start_at"], now=local_now)
        self.end_edit = DateInput(with_time=True, label=L["end_at"], now=local_now)
        self.now_button = QPushButton(strings.NOW)
        self.now_button.clicked.connect(self.now_requested)
        end_row = QWidget()
        row = QHBoxLayout(end_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.end_edit, 1)
        row.addWidget(self.now_button)
        self.place_edit = QLineEdit()

        self.officer_model = CheckableListModel(self)
        self.officer_view = checklist_view(self.officer_model, 6)
        self.officer_hint = QLabel(strings.EDITOR_OFFICERS_HINT)
        set_role(self.officer_hint, "hint")
        self.officer_warning = QLabel()
        set_role(self.officer_warning, "error")
        self.officer_warning.setWordWrap(True)
        self.officer_warning.hide()
        self.domain_model = CheckableListModel(self)
        self.domain_view = checklist_view(self.domain_model, 12)
        self.domain_hint = QLabel(strings.EDITOR_DOMAINS_HINT)
        set_role(self.domain_hint, "hint")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 6, 0)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(form)
        outer.addStretch(1)  # extra height goes below the form, not between its rows
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(10)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(L["subject_id"], self.errors.wrap("subject_id", subject_row, self.pick_button))
        form.addRow(L["inspection_type"], self.errors.wrap("inspection_type", self.type_combo))
        form.addRow(L["start_at"], self.errors.wrap("start_at", self.start_edit))
        form.addRow(L["end_at"], self.errors.wrap("end_at", end_row, self.end_edit))
        form.addRow(L["place"], self.errors.wrap("place", self.place_edit))
        form.addRow(L["officers"], self.officer_hint)
        form.addRow(self.errors.wrap("officers", self.officer_view))
        form.addRow(self.officer_warning)
        form.addRow(L["domains"], self.domain_hint)
        form.addRow(self.errors.wrap("domains", self.domain_view))

        self.type_combo.currentIndexChanged.connect(self._on_any_changed)
        self.start_edit.value_changed.connect(self._on_any_changed)
        self.end_edit.value_changed.connect(self._on_any_changed)
        self.place_edit.textChanged.connect(self._on_any_changed)
        self.officer_model.checked_changed.connect(self._on_officers_checked_changed)

    def _on_any_changed(self, *_args: object) -> None:
        self.edited.emit()

    def _on_officers_checked_changed(self) -> None:
        self.update_officer_warning()
        self.edited.emit()

    def update_officer_warning(self) -> None:
        n = len(self.officer_model.checked_keys())
        self.officer_warning.setText(strings.editor_too_few_officers(n))
        self.officer_warning.setVisible(n < 2)

    def set_subject_name(self, name: str) -> None:
        self.subject_label.setText(name or strings.EDITOR_NO_SUBJECT)
        self.pick_button.setText(strings.EDITOR_CHANGE_SUBJECT if name else strings.EDITOR_PICK_SUBJECT)

    def inspection_type(self) -> InspectionType:
        return InspectionType(self.type_combo.currentData())

    def set_inspection_type(self, kind: InspectionType) -> None:
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(kind)))

    def set_times(self, start: dt.datetime | None, end: dt.datetime | None) -> None:
        self.start_edit.set_value(_local(start) if start else None)
        self.end_edit.set_value(_local(end) if end else None)

    def times(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The typed times as aware Beijing times (the inputs hold naive local ones)."""
        out = []
        for edit in (self.start_edit, self.end_edit):
            value = edit.value()
            out.append(value.replace(tzinfo=SHANGHAI) if isinstance(value, dt.datetime) else None)
        return out[0], out[1]

    def set_read_only(self, read_only: bool) -> None:
        for widget in (self.pick_button, self.type_combo, self.now_button):
            widget.setEnabled(not read_only)
        self.start_edit.set_read_only(read_only)
        self.end_edit.set_read_only(read_only)
        self.place_edit.setReadOnly(read_only)
        self.officer_model.set_read_only(read_only)
        self.domain_model.set_read_only(read_only)
        if read_only:
            self.officer_warning.hide()
