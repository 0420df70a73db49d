"""The fill-in form generated from a FormDef: one widget per field, in the definition's order."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from fieldkit.domain import forms as F
from fieldkit.ui import strings
from fieldkit.ui.theme import FAIL_FG, set_role
from fieldkit.ui.widgets.field_errors import FieldErrors
from fieldkit.ui.widgets.form_fields import (
    BoolField,
    ChoiceField,
    DateField,
    DateTimeField,
    FieldWidget,
    FormEnv,
    ImagesField,
    IntegerField,
    MoneyField,
    OfficersField,
    ReferenceField,
    SignatureField,
    TextAreaField,
    TextField,
    UnknownField,
)
from fieldkit.ui.widgets.qa_editor import QAEditor
from fieldkit.ui.widgets.table_field import TableField

FORM_MAX_WIDTH = 980


def required_label_html(label: str) -> str:
    """The label with a red mark for required fields (rich text, so the label is escaped)."""
    return f'{html.escape(label)}<span style="color:{FAIL_FG}">{strings.REQUIRED_MARK}</span>'


def make_field(fd: F.FieldDef, env: FormEnv) -> FieldWidget:
    t = fd.type
    if t == F.FieldType.TEXT:
        return ReferenceField(fd, env) if fd.refs else TextField(fd)
    if t == F.FieldType.TEXTAREA:
        return TextAreaField(fd, env.phrases)
    if t == F.FieldType.DATE:
        return DateField(fd, env)
    if t == F.FieldType.DATETIME:
        return DateTimeField(fd, env)
    if t == F.FieldType.MONEY:
        return MoneyField(fd)
    if t == F.FieldType.INTEGER:
        return IntegerField(fd)
    if t == F.FieldType.CHOICE:
        return ChoiceField(fd)
    if t == F.FieldType.BOOL:
        return BoolField(fd)
    if t == F.FieldType.OFFICERS:
        return OfficersField(fd, env)
    if t == F.FieldType.QA:
        return QAEditor(fd, env.phrases)
    if t == F.FieldType.TABLE:
        return TableField(fd)
    if t == F.FieldType.SIGNATURE:
        return SignatureField(fd)
    if t == F.FieldType.IMAGES:
        return ImagesField(fd)
    return UnknownField(fd)


def section_titles(formdef: F.FormDef) -> dict[str, str]:
    """field key → the title of the first titled block it appears in (grid, exchange, text, qa, table)."""
    titles: dict[str, str] = {}
    for block in formdef.blocks:
        keys: list[str] = []
        title = getattr(block, "title", "")
        if isinstance(block, F.GridBlock):
            keys = [k for row in block.rows for k in row]
        elif isinstance(block, F.ExchangeBlock):
            keys = [i.answer for i in block.items if i.answer]
        elif isinstance(block, F.TextBlock | F.QABlock | F.TableBlock | F.ImagesBlock):
            keys = [block.field]
        for key in keys:
            titles.setdefault(key, title)
    return titles


def exchange_questions(formdef: F.FormDef) -> dict[str, str]:
    """answer field key → the fixed question it answers (shown as the field's tooltip)."""
    return {
        item.answer: item.q
        for block in formdef.blocks
        if isinstance(block, F.ExchangeBlock)
        for item in block.items
        if item.answer
    }


class DocumentForm(QWidget):
    edited = Signal()

    def __init__(self, formdef: F.FormDef, env: FormEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.formdef = formdef
        self.errors = FieldErrors()
        self.fields: dict[str, FieldWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self._extra: dict[str, Any] = {}  # stored values of keys the definition no longer has
        self.setMaximumWidth(FORM_MAX_WIDTH)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(14)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        titles = section_titles(formdef)
        questions = exchange_questions(formdef)
        shown_sections: set[str] = set()
        for fd in formdef.fields:
            section = titles.get(fd.key, "")
            widget = make_field(fd, env)
            help_text = fd.help or questions.get(fd.key, "")
            widget.setToolTip(help_text)
            if section and section not in shown_sections:
                shown_sections.add(section)
                heading = QLabel(section)
                set_role(heading, "sectionTitle")
                heading.setContentsMargins(0, 10, 0, 0)
                form.addRow(heading)
            label = QLabel(required_label_html(fd.label) if fd.required else fd.label)
            label.setToolTip(help_text)
            label.setObjectName(f"label_{fd.key}")
            wrapped = self.errors.wrap(fd.key, widget, widget.focus_target())
            if widget.wide:
                header = widget.header_widget()
                if header is not None:
                    row = QWidget()
                    row_layout = QHBoxLayout(row)
                    row_layout.setContentsMargins(0, 0, 0, 0)
                    row_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignBottom)
                    row_layout.addStretch(1)
                    row_layout.addWidget(header)
                    form.addRow(row)
                elif fd.label != section:
                    form.addRow(label)
                form.addRow(wrapped)
            else:
                form.addRow(label, wrapped)
            widget.edited.connect(self.edited)
            if isinstance(widget, ReferenceField):
                widget.title_chosen.connect(self._on_reference_title)
            self.fields[fd.key] = widget
            self.labels[fd.key] = label
            if fd.derived:  # 复议机关, party type: from the settings and the party, never typed here
                widget.set_read_only(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 24)
        layout.addLayout(form)
        layout.addStretch(1)

    def field(self, key: str) -> FieldWidget:
        return self.fields[key]

    def _on_reference_title(self, key: str, title: str) -> None:
        """A 送达回证's 送达文书名称 follows the document picked for its 文号."""
        target = self.fields.get(key)
        if target is not None and target.value() != title:
            target.set_value(title)
            self.edited.emit()

    def set_values(self, values: Mapping[str, Any]) -> None:
        self._extra = {k: v for k, v in values.items() if k not in self.fields}
        for key, widget in self.fields.items():
            widget.set_value(values.get(key))

    def values(self) -> dict[str, Any]:
        """What save_values stores: every filled field, plus keys the form no longer knows (kept)."""
        out = dict(self._extra)
        for key, widget in self.fields.items():
            value = widget.value()
            if not F.is_empty(value):
                out[key] = value
        return out

    def set_read_only(self, read_only: bool) -> None:
        for key, widget in self.fields.items():
            widget.set_read_only(read_only or self.formdef.field(key).derived)

    def focus_field(self, key: str) -> QWidget | None:
        widget = self.fields.get(key)
        if widget is None:
            return None
        target = widget.focus_target()
        target.setFocus()
        return target
