"""Add or edit one evidence item; a finalised item changes only with a reason (chain of custody)."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.evidence import FIELD_LABELS, EvidenceDraft, EvidenceKind
from fieldkit.services import evidence
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.evidence import EvidenceItem
from fieldkit.ui import strings
from fieldkit.ui.dialogs.buttons import Saving, ok_cancel
from fieldkit.ui.dialogs.subject_dialog import required_label
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.banner import Banner
from fieldkit.ui.widgets.date_input import DateInput
from fieldkit.ui.widgets.field_errors import FieldErrors

_NAME_SPLIT = re.compile(r"[、，,；;\s]+")


def _local(value: dt.datetime) -> dt.datetime:
    """An aware time as the naive Beijing time the input shows, to the minute."""
    return value.astimezone(SHANGHAI).replace(tzinfo=None, second=0, microsecond=0)


def split_names(text: str) -> tuple[str, ...]:
    """ "张建国、李晓梅" (or with commas or spaces) → ("张建国", "李晓梅")."""
    return tuple(n for n in _NAME_SPLIT.split(text.strip()) if n)


class EvidenceItemDialog(QDialog):
    """Saves through the evidence service itself; stays open, problems under their fields, until it works."""

    def __init__(
        self,
        ctx: Context,
        matter_id: uuid.UUID,
        item: EvidenceItem | None = None,
        parent: QWidget | None = None,
        *,
        name: str = "",
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._matter_id = matter_id
        self._item = item
        self.saved_id: uuid.UUID | None = None
        self.setWindowTitle(strings.EVIDENCE_ITEM_EDIT if item else strings.EVIDENCE_ITEM_ADD)
        self.setMinimumWidth(640)
        self.errors = FieldErrors()
        L = FIELD_LABELS

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(strings.EVIDENCE_NAME_PH)
        self.kind_combo = QComboBox()
        for kind in EvidenceKind:
            self.kind_combo.addItem(kind.label, kind)
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText(strings.EVIDENCE_SOURCE_PH)
        self.proves_edit = QLineEdit()
        self.proves_edit.setPlaceholderText(strings.EVIDENCE_PROVES_PH)
        self.quantity_edit = QLineEdit()
        self.quantity_edit.setPlaceholderText(strings.EVIDENCE_QUANTITY_PH)
        self.collected_at_edit = DateInput(
            with_time=True, label=L["collected_at"], now=lambda: _local(self._ctx.now())
        )
        self.collected_at_edit.setMaximumWidth(300)
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText(strings.EVIDENCE_PLACE_PH)
        self.by_edit = QLineEdit()
        self.by_edit.setPlaceholderText(strings.EVIDENCE_BY_PH)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setFixedHeight(64)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(strings.EVIDENCE_REASON_PH)

        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(14)
        form.addRow(QLabel(required_label(L["name"])), self.errors.wrap("name", self.name_edit))
        form.addRow(L["kind"], self.kind_combo)
        form.addRow(L["source"], self.source_edit)
        form.addRow(L["proves"], self.proves_edit)
        form.addRow(L["quantity"], self.errors.wrap("quantity", self.quantity_edit))
        form.addRow(L["collected_at"], self.collected_at_edit)
        form.addRow(L["collected_place"], self.place_edit)
        form.addRow(L["collected_by"], self.by_edit)
        form.addRow(L["note"], self.note_edit)
        self.final_banner = Banner("warning")
        self.reason_row = self.errors.wrap("reason", self.reason_edit)
        self.reason_label = QLabel(required_label(L["reason"]))
        form.addRow(self.reason_label, self.reason_row)
        self.problems_label = QLabel()
        set_role(self.problems_label, "error")
        self.problems_label.setWordWrap(True)
        self.problems_label.hide()

        self.buttons = ok_cancel(self, strings.SAVE, self._on_buttons_accepted)
        layout = QVBoxLayout(self)
        layout.addWidget(self.final_banner)
        layout.addLayout(form)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.buttons)
        self._fill(item, name)

    @property
    def needs_reason(self) -> bool:
        return self._item is not None and self._item.status == "final"

    def _fill(self, item: EvidenceItem | None, name: str) -> None:
        now = self._ctx.now().astimezone(SHANGHAI)
        if item is None:
            self.name_edit.setText(name)
            self.collected_at_edit.set_value(_local(now))
        else:
            d = item.draft
            self.name_edit.setText(d.name)
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(d.kind)))
            self.source_edit.setText(d.source)
            self.proves_edit.setText(d.proves)
            self.quantity_edit.setText(d.quantity)
            self.collected_at_edit.set_value(_local(d.collected_at) if d.collected_at else None)
            self.place_edit.setText(d.collected_place)
            self.by_edit.setText("、".join(d.collected_by))
            self.note_edit.setPlainText(d.note)
        self.reason_label.setVisible(self.needs_reason)
        self.reason_row.setVisible(self.needs_reason)
        if self.needs_reason:
            self.final_banner.show_text(strings.EVIDENCE_FINAL_BANNER)

    def build_draft(self) -> EvidenceDraft:
        at = self.collected_at_edit.value()
        return EvidenceDraft(
            name=self.name_edit.text(),
            kind=EvidenceKind(self.kind_combo.currentData()),
            source=self.source_edit.text(),
            proves=self.proves_edit.text(),
            quantity=self.quantity_edit.text(),
            collected_at=at.replace(tzinfo=SHANGHAI) if isinstance(at, dt.datetime) else None,
            collected_place=self.place_edit.text(),
            collected_by=split_names(self.by_edit.text()),
            note=self.note_edit.toPlainText(),
        )

    def save(self) -> bool:
        """Add or update through the service; problems are shown and False returned if it refuses."""
        if not self.collected_at_edit.commit():  # a refused typed time is fixed first, never saved over
            self.collected_at_edit.setFocus()
            return False
        draft = self.build_draft()
        with Saving(self, self.errors, self.problems_label) as attempt:
            if self._item is None:
                self.saved_id = evidence.add_evidence_item(self._ctx, self._matter_id, draft)
            else:
                evidence.update_evidence_item(
                    self._ctx,
                    self._item.id,
                    draft,
                    reason=self.reason_edit.text(),
                    base_version=self._item.version,  # no lost update (issue 11.5)
                )
                self.saved_id = self._item.id
        return attempt.ok

    def _on_buttons_accepted(self) -> None:
        if self.save():
            self.accept()
