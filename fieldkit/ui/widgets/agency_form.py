"""The agency's fields (全称, 文号简称 with a live example, 本级人民政府, 承办机构, 电话, 地址)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from fieldkit.domain.agency import (
    DEVICE_CODE,
    AgencyDraft,
    AgencyLevel,
    IndividualCap,
    default_government,
    guess_level,
)
from fieldkit.domain.numbering import DocNumber
from fieldkit.domain.problems import Problem
from fieldkit.ui import strings
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.field_errors import FieldErrors


class AgencyForm(QWidget):
    edited = Signal()

    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._year = year
        self._device_code = ""
        self.errors = FieldErrors()
        self.full_name = QLineEdit()
        self.full_name.setPlaceholderText(strings.AGENCY_FULL_NAME_PH)
        self.short_name = QLineEdit()
        self.short_name.setPlaceholderText(strings.AGENCY_SHORT_NAME_PH)
        self.short_name.setMaxLength(20)
        self.level = QComboBox()
        for level in AgencyLevel:
            self.level.addItem(level.label, level.value)  # shown by label, stored as the code
        self.level.setCurrentIndex(-1)
        self._level_chosen = False  # until the officer picks one, the level follows the full name
        self.level.activated.connect(self._on_level_activated)
        self.government = QLineEdit()
        self.government.setPlaceholderText(strings.AGENCY_GOVERNMENT_PH)
        self.individual_cap = QComboBox()
        for cap in IndividualCap:
            self.individual_cap.addItem(strings.individual_cap_choice(cap), cap.value)
        self.unit = QLineEdit()
        self.unit.setPlaceholderText(strings.AGENCY_UNIT_PH)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(strings.AGENCY_PHONE_PH)
        self.address = QLineEdit()
        self.example = QLabel()
        set_role(self.example, "example")
        self.remedy = QLabel()
        self.remedy.setWordWrap(True)
        set_role(self.remedy, "hint")

        form = self.form_layout = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(14)
        form.addRow(strings.AGENCY_FULL_NAME, self.errors.wrap("agency.full_name", self.full_name))
        form.addRow(strings.AGENCY_SHORT_NAME, self.errors.wrap("agency.short_name", self.short_name))
        form.addRow("", self.example)
        form.addRow(strings.AGENCY_LEVEL, self.errors.wrap("agency.level", self.level))
        form.addRow(strings.AGENCY_GOVERNMENT, self.errors.wrap("agency.government_name", self.government))
        form.addRow("", self.remedy)
        form.addRow(
            strings.AGENCY_INDIVIDUAL_CAP, self.errors.wrap("agency.individual_cap", self.individual_cap)
        )
        form.addRow(strings.AGENCY_UNIT, self.errors.wrap("agency.unit", self.unit))
        form.addRow(strings.AGENCY_PHONE, self.errors.wrap("agency.phone", self.phone))
        form.addRow(strings.AGENCY_ADDRESS, self.errors.wrap("agency.address", self.address))
        for edit in (self.full_name, self.short_name, self.government, self.unit, self.phone, self.address):
            edit.textChanged.connect(self._on_any_text_changed)
        self._update_examples()

    def draft(self) -> AgencyDraft:
        return AgencyDraft(
            full_name=self.full_name.text(),
            short_name=self.short_name.text(),
            government_name=self.government.text(),
            unit=self.unit.text(),
            phone=self.phone.text(),
            address=self.address.text(),
            level=self.level.currentData() or "",
            individual_cap=self.individual_cap.currentData() or IndividualCap.CITIZEN.value,
        )

    def set_draft(self, draft: AgencyDraft) -> None:
        self.full_name.setText(draft.full_name)
        self.short_name.setText(draft.short_name)
        self.government.setText(draft.government_name)
        self.unit.setText(draft.unit)
        self.phone.setText(draft.phone)
        self.address.setText(draft.address)
        self._level_chosen = bool(draft.level)
        self.level.setCurrentIndex(self.level.findData(draft.level or guess_level(draft.full_name)))
        self.individual_cap.setCurrentIndex(max(0, self.individual_cap.findData(draft.individual_cap)))

    def show_problems(self, problems: list[Problem]) -> list[Problem]:
        """Problems under their fields; returns those that belong elsewhere."""
        return self.errors.show(problems)[1]

    def _on_any_text_changed(self, _text: str) -> None:
        if not self._level_chosen:
            self.level.setCurrentIndex(self.level.findData(guess_level(self.full_name.text())))
        self._update_examples()
        self.edited.emit()

    def _on_level_activated(self, _index: int) -> None:
        self._level_chosen = True
        self.edited.emit()

    def set_device_code(self, code: str) -> None:
        self._device_code = code
        self._update_examples()

    def number_example(self) -> str:
        """A 文号 as the domain makes it, from what is typed so far (placeholders where it is not)."""
        code = self._device_code.strip().upper()
        number = DocNumber(
            self.short_name.text().strip() or strings.EXAMPLE_SHORT_NAME,
            strings.EXAMPLE_FORM_CODE,
            self._year,
            code if DEVICE_CODE.match(code) else strings.EXAMPLE_DEVICE_CODE,
            1,
        )
        return strings.number_example(number.text())

    def _update_examples(self) -> None:
        self.example.setText(self.number_example())
        derived = default_government(self.full_name.text())
        self.government.setPlaceholderText(derived or strings.AGENCY_GOVERNMENT_PH)
        self.remedy.setText(strings.remedy_example(self.government.text() or derived))
