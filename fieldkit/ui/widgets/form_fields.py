"""One input widget per form field type (text, dates, money, choices, officers…), all with one interface."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fieldkit.catalog import PhraseGroup
from fieldkit.domain import forms as F
from fieldkit.domain.datetext import format_date_text
from fieldkit.ui import strings
from fieldkit.ui.models.checkable_list import CheckableListModel, Choice
from fieldkit.ui.money import YUAN_PATTERN, fen_to_yuan_text, yuan_text_to_fen
from fieldkit.ui.theme import set_read_only, set_role
from fieldkit.ui.widgets.date_input import DateInput
from fieldkit.ui.widgets.growing_text import GrowingTextEdit
from fieldkit.ui.widgets.phrases import insert_phrase, phrase_button


@dataclass(frozen=True)
class FormEnv:
    """What field widgets need from outside: the active officers, the phrases and the local clock."""

    officers: Sequence[tuple[str, str]] = ()  # (name, cert_no) of active officers
    phrases: Sequence[PhraseGroup] = ()
    now: Callable[[], dt.datetime] = field(default=dt.datetime.now)  # naive Beijing time
    # The numbers a cross-reference field may cite: (文号, label shown, cited document's title), newest and
    # the same inspection's first (services/references.reference_choices for the open document).
    references: Callable[[F.FieldDef], Sequence[tuple[str, str, str]]] = field(default=lambda fd: ())


class FieldWidget(QWidget):
    """Base: `value()` is what the document stores (None when empty); `set_value()` never emits
    `edited`. A stored value the widget cannot show (e.g. "3月5日" in a date field) is kept as it
    is until the officer changes the field, so opening a document never alters it."""

    edited = Signal()
    wide = False  # the label goes on its own line above the widget

    def __init__(self, fd: F.FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fd = fd
        self._setting = False
        self._raw: object = None
        self._keep_raw = False
        self._read_only = False
        self.setToolTip(fd.help)

    # ---- interface ----------------------------------------------------------------------------
    def value(self) -> object | None:
        if self._keep_raw:
            return self._raw
        return self.widget_value()

    def set_value(self, value: object) -> None:
        self._setting = True
        try:
            self._keep_raw = False
            self.setToolTip(self.fd.help)
            if F.is_empty(value):
                self.clear_widget()
            elif not self.show_value(value):
                self.clear_widget()
                self._keep_raw, self._raw = True, value
                self.setToolTip(strings.doc_unreadable_value(str(value)))
        finally:
            self._setting = False

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only

    def focus_target(self) -> QWidget:
        return self

    def header_widget(self) -> QWidget | None:
        """A wide field's tool shown at the right of its label (e.g. 插入常用语)."""
        return None

    # ---- for subclasses -----------------------------------------------------------------------
    def widget_value(self) -> object | None:
        raise NotImplementedError

    def show_value(self, value: object) -> bool:
        """Show a non-empty stored value; False when it cannot be shown."""
        raise NotImplementedError

    def clear_widget(self) -> None:
        raise NotImplementedError

    def _on_widget_changed(self, *_args: object) -> None:
        if self._setting:
            return
        self._keep_raw = False
        self.edited.emit()


def _row(*widgets: QWidget, stretch_first: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for i, w in enumerate(widgets):
        row.addWidget(w, 1 if (i == 0 and stretch_first) else 0)
    return row


class TextField(FieldWidget):
    def __init__(self, fd: F.FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self.edit = QLineEdit()
        self.edit.textChanged.connect(self._on_widget_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    def widget_value(self) -> object | None:
        return self.edit.text() or None

    def show_value(self, value: object) -> bool:
        self.edit.setText(str(value))
        return isinstance(value, str)

    def clear_widget(self) -> None:
        self.edit.clear()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.edit.setReadOnly(read_only)

    def focus_target(self) -> QWidget:
        return self.edit


class ReferenceField(FieldWidget):
    """A 文号 of another of this agency's documents, picked from a list (never typed; issue 9 item 9).

    The list is read again each time a value is shown, so documents printed meanwhile appear. A stored
    number that is not in the list stays as it is, marked, until the officer picks another.
    """

    title_chosen = Signal(str, str)  # (ref_title field key, the cited document's title)

    def __init__(self, fd: F.FieldDef, env: FormEnv, parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self._env = env
        self._titles: dict[str, str] = {}
        self.combo = QComboBox()
        self.combo.setEditable(False)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(24)
        self.combo.currentIndexChanged.connect(self._on_index_changed)
        self.hint = QLabel(strings.DOC_REFERENCE_HINT)
        set_role(self.hint, "hint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.combo)
        layout.addWidget(self.hint)
        self._fill(None)

    def _fill(self, current: str | None) -> None:
        choices = list(self._env.references(self.fd))
        self._titles = {number: title for number, _label, title in choices}
        self.combo.blockSignals(True)
        try:
            self.combo.clear()
            self.combo.addItem(strings.DOC_REFERENCE_NONE, None)
            for number, label, _title in choices:
                self.combo.addItem(label, number)
            if current and current not in self._titles:
                self.combo.addItem(strings.doc_reference_unknown(current), current)
            index = self.combo.findData(current) if current else 0
            self.combo.setCurrentIndex(max(index, 0))
        finally:
            self.combo.blockSignals(False)
        self.hint.setText(strings.DOC_REFERENCE_HINT if choices else strings.DOC_REFERENCE_EMPTY)

    def _on_index_changed(self, _index: int) -> None:
        number = self.combo.currentData()
        if not self._setting and self.fd.ref_title and isinstance(number, str) and number in self._titles:
            self.title_chosen.emit(self.fd.ref_title, self._titles[number])
        self._on_widget_changed()

    def widget_value(self) -> object | None:
        data = self.combo.currentData()
        return data if isinstance(data, str) and data else None

    def show_value(self, value: object) -> bool:
        if not isinstance(value, str):
            self._fill(None)
            return False
        self._fill(value)
        return True

    def clear_widget(self) -> None:
        self._fill(None)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.combo.setEnabled(not read_only)

    def focus_target(self) -> QWidget:
        return self.combo


class SignatureField(TextField):
    """Signed on paper; text here (e.g. 拒绝签名) is printed in the blank."""

    def __init__(self, fd: F.FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self.edit.setPlaceholderText(strings.DOC_SIGNATURE_PLACEHOLDER)


class TextAreaField(FieldWidget):
    wide = True

    def __init__(
        self, fd: F.FieldDef, phrases: Sequence[PhraseGroup] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(fd, parent)
        self.edit = GrowingTextEdit(min_lines=3, max_lines=18)
        self.edit.textChanged.connect(self._on_widget_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.phrase_button = phrase_button(self, phrases, self.insert_phrase) if phrases else None
        layout.addWidget(self.edit)

    def header_widget(self) -> QWidget | None:
        return self.phrase_button

    def insert_phrase(self, phrase: str) -> None:
        if not self._read_only:
            insert_phrase(self.edit, phrase)

    def widget_value(self) -> object | None:
        return self.edit.toPlainText() or None

    def show_value(self, value: object) -> bool:
        self.edit.setPlainText(str(value))
        return isinstance(value, str)

    def clear_widget(self) -> None:
        self.edit.clear()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        set_read_only(self.edit, read_only)
        if self.phrase_button is not None:
            self.phrase_button.setVisible(not read_only)

    def focus_target(self) -> QWidget:
        return self.edit


class _DateLikeField(FieldWidget):
    """Shared by date and datetime: the typed input (widgets/date_input.py), 今天/现在 and 清空."""

    def __init__(self, fd: F.FieldDef, with_time: bool, now_text: str, env: FormEnv) -> None:
        super().__init__(fd)
        self._env = env
        self.edit = DateInput(with_time=with_time, label=fd.label, now=env.now)
        self.edit.value_changed.connect(self._on_widget_changed)
        self.now_button = QPushButton(now_text)
        self.now_button.clicked.connect(self._on_now_clicked)
        self.clear_button = QPushButton(strings.DOC_CLEAR)
        self.clear_button.clicked.connect(self._on_clear_clicked)
        layout = _row(self.edit, self.now_button, self.clear_button, stretch_first=False)
        layout.setAlignment(self.now_button, Qt.AlignmentFlag.AlignTop)
        layout.setAlignment(self.clear_button, Qt.AlignmentFlag.AlignTop)
        layout.addStretch(1)
        self.setLayout(layout)

    def _on_now_clicked(self) -> None:
        self.set_now()

    def _on_clear_clicked(self) -> None:
        self.edit.clear()

    def set_now(self) -> None:
        now = self._env.now().replace(second=0, microsecond=0)
        self.edit.choose(now if self.edit.with_time else now.date())

    def clear_widget(self) -> None:
        self.edit.set_value(None)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.edit.set_read_only(read_only)
        self.now_button.setVisible(not read_only)
        self.clear_button.setVisible(not read_only)

    def focus_target(self) -> QWidget:
        return self.edit.line


class DateField(_DateLikeField):
    def __init__(self, fd: F.FieldDef, env: FormEnv, parent: QWidget | None = None) -> None:
        super().__init__(fd, False, strings.DOC_TODAY, env)

    def widget_value(self) -> object | None:
        d = self.edit.value()
        return None if d is None else format_date_text(d)

    def show_value(self, value: object) -> bool:
        d = F.parse_date(value)
        if d is None:
            return False
        self.edit.set_value(d)
        return True


class DateTimeField(_DateLikeField):
    def __init__(self, fd: F.FieldDef, env: FormEnv, parent: QWidget | None = None) -> None:
        super().__init__(fd, True, strings.NOW, env)

    def widget_value(self) -> object | None:
        value = self.edit.value()
        return None if not isinstance(value, dt.datetime) else f"{value:%Y-%m-%dT%H:%M}"

    def show_value(self, value: object) -> bool:
        ts = F.parse_datetime(value)
        if ts is None:
            return False
        self.edit.set_value(ts.replace(tzinfo=None, second=0, microsecond=0))
        return True


class MoneyField(FieldWidget):
    """Typed in yuan ("150.5"), stored as int fen (15050); the amount as printed is shown beside."""

    def __init__(self, fd: F.FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self.edit = QLineEdit()
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(YUAN_PATTERN), self.edit))
        self.edit.setMaximumWidth(180)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.edit.setPlaceholderText(strings.DOC_MONEY_PLACEHOLDER)
        self.edit.textChanged.connect(self._on_text_changed)
        unit = QLabel(strings.DOC_YUAN)
        self.printed = QLabel()
        set_role(self.printed, "hint")
        layout = _row(self.edit, unit, self.printed, stretch_first=False)
        layout.addStretch(1)
        self.setLayout(layout)

    def _on_text_changed(self, _text: str) -> None:
        fen = yuan_text_to_fen(self.edit.text())
        self.printed.setText("" if fen is None else strings.doc_money_printed(F.format_scalar(self.fd, fen)))
        self._on_widget_changed()

    def widget_value(self) -> object | None:
        return yuan_text_to_fen(self.edit.text())

    def show_value(self, value: object) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        self.edit.setText(fen_to_yuan_text(value))
        return True

    def clear_widget(self) -> None:
        self.edit.clear()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.edit.setReadOnly(read_only)

    def focus_target(self) -> QWidget:
        return self.edit


class IntegerField(FieldWidget):
    def __init__(self, fd: F.FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        low = fd.min if fd.min is not None else 0
        self._unset = low - 1  # one below the lowest allowed value reads 未填写
        self.spin = QSpinBox()
        self.spin.setRange(self._unset, fd.max if fd.max is not None else 999_999)
        self.spin.setSpecialValueText(strings.NOT_FILLED)
        self.spin.setMinimumWidth(120)
        self.spin.valueChanged.connect(self._on_widget_changed)
        layout = _row(self.spin, stretch_first=False)
        layout.addStretch(1)
        self.setLayout(layout)

    def widget_value(self) -> object | None:
        n = self.spin.value()
        return None if n == self._unset else n

    def show_value(self, value: object) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        if not self.spin.minimum() < value <= self.spin.maximum():
            return False
        self.spin.setValue(value)
        return True

    def clear_widget(self) -> None:
        self.spin.setValue(self._unset)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.spin.setReadOnly(read_only)
        self.spin.setButtonSymbols(
            QSpinBox.ButtonSymbols.NoButtons if read_only else QSpinBox.ButtonSymbols.UpDownArrows
        )

    def focus_target(self) -> QWidget:
        return self.spin


def _columns_for(labels: Sequence[str]) -> int:
    longest = max((len(s) for s in labels), default=0)
    return 6 if longest <= 4 else 4 if longest <= 8 else 2 if longest <= 18 else 1


class _ButtonsField(FieldWidget):
    """Radio buttons or check boxes in a grid, with 清除 for an optional single choice."""

    def __init__(self, fd: F.FieldDef, labels: Sequence[tuple[str, str, str]], multiple: bool) -> None:
        super().__init__(fd)
        self.multiple = multiple
        self.group = QButtonGroup(self)
        self.group.setExclusive(not multiple)
        self.buttons: dict[str, QAbstractButton] = {}
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        columns = _columns_for([label for _v, label, _t in labels])
        for i, (value, label, tip) in enumerate(labels):
            button: QAbstractButton = QCheckBox(label) if multiple else QRadioButton(label)
            if tip:
                button.setToolTip(tip)
            self.group.addButton(button, i)
            self.buttons[value] = button
            grid.addWidget(button, i // columns, i % columns)
        self.group.buttonToggled.connect(self._on_widget_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        self.clear_button: QPushButton | None = None
        if not multiple and not fd.required:
            self.clear_button = QPushButton(strings.DOC_CLEAR)
            self.clear_button.clicked.connect(self._on_clear_clicked)
            layout.addSpacing(12)
            layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addStretch(1)

    def _on_clear_clicked(self) -> None:
        self._uncheck_all()
        self._on_widget_changed()

    def _uncheck_all(self) -> None:
        # An exclusive group never lets its last checked button go: lift exclusivity meanwhile.
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(not self.multiple)

    def checked_values(self) -> list[str]:
        return [v for v, b in self.buttons.items() if b.isChecked()]

    def clear_widget(self) -> None:
        self._uncheck_all()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for button in self.buttons.values():
            # Disabled buttons would grey the answer out; ignoring clicks keeps it readable.
            button.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, read_only)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)
        if self.clear_button is not None:
            self.clear_button.setVisible(not read_only)

    def focus_target(self) -> QWidget:
        return next(iter(self.buttons.values()), self)


class ChoiceField(_ButtonsField):
    def __init__(self, fd: F.FieldDef, parent: QWidget | None = None) -> None:
        labels = [(o.value, o.value, o.text if o.text and o.text != o.value else "") for o in fd.options]
        super().__init__(fd, labels, fd.multiple)

    def widget_value(self) -> object | None:
        chosen = self.checked_values()
        if self.multiple:
            return chosen or None
        return chosen[0] if chosen else None

    def show_value(self, value: object) -> bool:
        wanted = F.chosen_values(self.fd, value)
        if not wanted or not wanted <= set(self.buttons) or (not self.multiple and len(wanted) > 1):
            return False
        for v, button in self.buttons.items():
            button.setChecked(v in wanted)
        return True


class BoolField(_ButtonsField):
    """是 / 否 as two radio buttons, so that "not answered yet" stays visible (a check box cannot)."""

    def __init__(self, fd: F.FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(fd, [("true", strings.YES, ""), ("false", strings.NO, "")], multiple=False)

    def widget_value(self) -> object | None:
        chosen = self.checked_values()
        return None if not chosen else chosen[0] == "true"

    def show_value(self, value: object) -> bool:
        if not isinstance(value, bool):
            return False
        self.buttons["true" if value else "false"].setChecked(True)
        return True


def _officer_key(name: str, cert_no: str) -> str:
    return f"{name}\t{cert_no}"


class OfficersField(FieldWidget):
    """Tick the officers present, from the active officers with their 执法证号."""

    def __init__(self, fd: F.FieldDef, env: FormEnv, parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self._active = list(env.officers)
        self._order: list[str] = []  # checked keys in the order they were ticked (= print order)
        self.model = CheckableListModel(self)
        self.model.checked_changed.connect(self._on_model_checked_changed)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformItemSizes(True)
        self.hint = QLabel(strings.DOC_OFFICERS_HINT)
        set_role(self.hint, "hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view)
        layout.addWidget(self.hint)
        self._set_choices([])

    def _set_choices(self, chosen: Sequence[Mapping[str, Any]]) -> None:
        choices = [Choice(_officer_key(n, c), strings.officer_entry(n, c)) for n, c in self._active]
        known = {c.key for c in choices}
        checked = []
        for o in chosen:
            name, cert = str(o.get("name") or ""), str(o.get("cert_no") or "")
            key = _officer_key(name, cert)
            if key not in known:  # an officer of that day, since deactivated or from another laptop
                choices.append(Choice(key, strings.inactive_officer_entry(name, cert)))
                known.add(key)
            checked.append(key)
        self._order = list(dict.fromkeys(checked))
        self.model.set_choices(choices, checked)
        rows = min(max(self.model.rowCount(), 2), 6)
        row_height = self.view.sizeHintForRow(0) if self.model.rowCount() else 24
        self.view.setFixedHeight(rows * row_height + 2 * self.view.frameWidth() + 6)

    def _on_model_checked_changed(self) -> None:
        checked = set(self.model.checked_keys())
        self._order = [k for k in self._order if k in checked]
        self._order += [k for k in self.model.checked_keys() if k not in self._order]
        self._on_widget_changed()

    def widget_value(self) -> object | None:
        out = []
        for key in self._order:
            name, _tab, cert = key.partition("\t")
            out.append({"name": name, "cert_no": cert})
        return out or None

    def show_value(self, value: object) -> bool:
        if not isinstance(value, list) or not all(isinstance(o, Mapping) for o in value):
            self._set_choices([])
            return False
        self._set_choices(value)
        return True

    def clear_widget(self) -> None:
        self._set_choices([])

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.model.set_read_only(read_only)
        self.hint.setVisible(not read_only)

    def focus_target(self) -> QWidget:
        return self.view


class ImagesField(FieldWidget):
    """Photos come from the evidence (证据提取单): listed here, changed on the evidence screen."""

    wide = True

    def __init__(self, fd: F.FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self.label = QLabel(strings.DOC_NO_IMAGES)
        self.label.setWordWrap(True)
        set_role(self.label, "hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        self._images: list[object] = []

    def widget_value(self) -> object | None:
        return list(self._images) or None

    def show_value(self, value: object) -> bool:
        if not isinstance(value, list):
            return False
        self._images = list(value)
        labels = [str(i.get("label") or "") for i in value if isinstance(i, Mapping)]
        self.label.setText(strings.doc_images(labels))
        return True

    def clear_widget(self) -> None:
        self._images = []
        self.label.setText(strings.DOC_NO_IMAGES)


class UnknownField(ImagesField):
    """A field type this version does not edit: its value is shown and kept as it is."""

    def show_value(self, value: object) -> bool:
        self._images = [value]
        self.label.setText(F.format_scalar(self.fd, value))
        return True

    def widget_value(self) -> object | None:
        return self._images[0] if self._images else None
