"""检查情况 and 处理结果: the 不符合 items always listed, the outcome, 改正期限 or 说明 as it needs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.inspections import FIELD_LABELS, Outcome
from fieldkit.ui import strings
from fieldkit.ui.theme import set_read_only, set_role
from fieldkit.ui.widgets.date_input import DateInput
from fieldkit.ui.widgets.field_errors import FieldErrors

# 责令改正 too: its note is the 改正内容和要求 the 责令改正通知书 takes over (documents prefill). Hidden,
# a note left from another outcome ("建议立案调查") went unseen into the notice.
NOTE_OUTCOMES = (Outcome.RECTIFY, Outcome.MINOR_EXEMPT, Outcome.OPEN_CASE, Outcome.TRANSFER)
NOTE_PLACEHOLDERS = {
    Outcome.RECTIFY: strings.EDITOR_NOTE_RECTIFY_PLACEHOLDER,
    Outcome.MINOR_EXEMPT: strings.EDITOR_NOTE_EXEMPT_PLACEHOLDER,
    Outcome.OPEN_CASE: strings.EDITOR_NOTE_CASE_PLACEHOLDER,
    Outcome.TRANSFER: strings.EDITOR_NOTE_CASE_PLACEHOLDER,
}
OUTCOMES = tuple(Outcome)


class OutcomePanel(QWidget):
    edited = Signal()

    def __init__(self, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        L = FIELD_LABELS
        self._today = dt.date.today()
        findings_title = QLabel(L["findings"])
        set_role(findings_title, "sectionTitle")
        self.findings_edit = QPlainTextEdit()
        self.findings_edit.setPlaceholderText(strings.EDITOR_FINDINGS_PLACEHOLDER)
        self.findings_edit.setMinimumHeight(64)
        self.findings_edit.setTabChangesFocus(True)

        outcome_title = QLabel(L["outcome"])
        set_role(outcome_title, "sectionTitle")
        self.failed_label = QLabel(strings.EDITOR_NO_FAILED)
        self.failed_label.setWordWrap(True)
        set_role(self.failed_label, "okSummary")
        self.group = QButtonGroup(self)
        radios = QWidget()
        radio_row = QHBoxLayout(radios)
        radio_row.setContentsMargins(0, 0, 0, 0)
        self.radios: dict[Outcome, QRadioButton] = {}
        for i, outcome in enumerate(OUTCOMES):
            radio = QRadioButton(outcome.label)
            self.group.addButton(radio, i)
            self.radios[outcome] = radio
            radio_row.addWidget(radio)
        radio_row.addStretch(1)

        self.deadline_edit = DateInput(
            with_time=False,
            label=L["rectify_deadline"],
            now=lambda: dt.datetime.combine(self._today, dt.time()),
        )
        self.deadline_edit.setMaximumWidth(260)
        self.deadline_label = QLabel(L["rectify_deadline"])
        self.deadline_box = errors.wrap("rectify_deadline", self.deadline_edit)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(strings.EDITOR_NOTE_PLACEHOLDER)
        self.note_edit.setFixedHeight(64)
        self.note_edit.setTabChangesFocus(True)
        self.note_label = QLabel(L["outcome_note"])
        self.note_box = errors.wrap("outcome_note", self.note_edit)

        detail = QFormLayout()
        detail.setContentsMargins(0, 0, 0, 0)
        detail.addRow(self.deadline_label, self.deadline_box)
        detail.addRow(self.note_label, self.note_box)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(findings_title)
        layout.addWidget(errors.wrap("findings", self.findings_edit), 1)
        layout.addWidget(outcome_title)
        layout.addWidget(self.failed_label)
        layout.addWidget(errors.wrap("outcome", radios, self.radios[OUTCOMES[0]]))
        layout.addLayout(detail)

        self.findings_edit.textChanged.connect(self._on_any_changed)
        self.group.idToggled.connect(self._on_group_toggled)
        self.deadline_edit.value_changed.connect(self._on_any_changed)
        self.note_edit.textChanged.connect(self._on_any_changed)
        self._update_details()

    def set_today(self, today: dt.date) -> None:
        self._today = today

    def _on_any_changed(self, *_args: object) -> None:
        self.edited.emit()

    def _on_group_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._update_details()
            self.edited.emit()

    def _update_details(self) -> None:
        outcome = self.outcome()
        rectify = outcome is Outcome.RECTIFY
        for widget in (self.deadline_label, self.deadline_box):
            widget.setVisible(rectify)
        for widget in (self.note_label, self.note_box):
            widget.setVisible(outcome in NOTE_OUTCOMES)
        hint = NOTE_PLACEHOLDERS.get(outcome) if outcome is not None else None
        self.note_edit.setPlaceholderText(hint or strings.EDITOR_NOTE_PLACEHOLDER)

    # ---- values -------------------------------------------------------------------------------
    def outcome(self) -> Outcome | None:
        checked = self.group.checkedId()
        return OUTCOMES[checked] if checked >= 0 else None

    def set_outcome(self, outcome: Outcome | None) -> None:
        if outcome is None:
            self.group.setExclusive(False)
            for radio in self.radios.values():
                radio.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.radios[outcome].setChecked(True)
        self._update_details()

    def deadline(self) -> dt.date | None:
        value = self.deadline_edit.value()
        return value.date() if isinstance(value, dt.datetime) else value

    def set_deadline(self, value: dt.date | None) -> None:
        self.deadline_edit.set_value(value)

    def set_failed(self, texts: list[str]) -> None:
        self.failed_label.setText(strings.failed_summary(texts))
        set_role(self.failed_label, "failedSummary" if texts else "okSummary")
        self.failed_label.style().unpolish(self.failed_label)
        self.failed_label.style().polish(self.failed_label)

    def set_read_only(self, read_only: bool) -> None:
        set_read_only(self.findings_edit, read_only)
        set_read_only(self.note_edit, read_only)
        self.deadline_edit.set_read_only(read_only)
        for radio in self.radios.values():
            radio.setEnabled(not read_only)
