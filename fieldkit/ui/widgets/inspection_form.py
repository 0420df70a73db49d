"""The left column of the inspection editor: 当事人, 类型, 时间, 地点, 检查人员, 检查领域."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QComboBox,
    QDateTimeEdit,
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
from fieldkit.ui.widgets.field_errors import FieldErrors

UNSET = QDateTime(QDate(2000, 1, 1), QTime(0, 0))  # shown as 未填写 (special value text)
DATETIME_FORMAT = "yyyy-MM-dd HH:mm"


def to_qdatetime(value: dt.datetime) -> QDateTime:
    local = value.astimezone(SHANGHAI)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def from_qdatetime(value: QDateTime) -> dt.datetime | None:
    if value <= UNSET:
        return None
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=SHANGHAI)


def make_datetime_edit(optional: bool) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setDisplayFormat(DATETIME_FORMAT)
    edit.setCalendarPopup(True)
    edit.calendarWidget().setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
    edit.setMinimumDateTime(UNSET)
    if optional:
        edit.setSpecialValueText(strings.NOT_FILLED)
    edit.setMinimumWidth(170)
    return edit


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

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = FieldErrors()
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
            self.type_combo.addItem(str(kind), kind)
        self.start_edit = make_datetime_edit(optional=True)
        self.end_edit = make_datetime_edit(optional=True)
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
        self.start_edit.dateTimeChanged.connect(self._on_any_changed)
        self.end_edit.dateTimeChanged.connect(self._on_any_changed)
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
        self.start_edit.setDateTime(to_qdatetime(start) if start else UNSET)
        self.end_edit.setDateTime(to_qdatetime(end) if end else UNSET)

    def times(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        return from_qdatetime(self.start_edit.dateTime()), from_qdatetime(self.end_edit.dateTime())

    def set_read_only(self, read_only: bool) -> None:
        for widget in (self.pick_button, self.type_combo, self.start_edit, self.end_edit, self.now_button):
            widget.setEnabled(not read_only)
        self.place_edit.setReadOnly(read_only)
        self.officer_model.set_read_only(read_only)
        self.domain_model.set_read_only(read_only)
        if read_only:
            self.officer_warning.hide()
