"""One typed date or date-time input for every date field: a line edit, a calendar button, an in-place error.

Qt's date edit was the wrong tool here: it edits one section at a time, so typing 20261218 into an empty
field (shown as 未填写 through a 2000-01-01 sentinel) appended digits to the sentinel text, and its
calendar opened on January 2000. This input reads whatever the officer types in the usual forms
(domain/datetext.py), shows the empty state as a placeholder that typing replaces, opens its calendar
on the value or today, and refuses an impossible value where it was typed, keeping the old value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.datetext import (
    DateTextError,
    format_date_text,
    format_datetime_text,
    parse_date_text,
    parse_datetime_text,
)
from fieldkit.ui import strings
from fieldkit.ui.theme import set_role

DateValue = dt.date | dt.datetime  # naive local (Beijing) time for date-times


class CalendarPopup(QFrame):
    """The calendar under the input (a Qt.Popup: a click elsewhere or Esc closes it)."""

    picked = Signal(object)  # dt.date

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget()
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setGridVisible(False)
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.calendar.activated.connect(self._on_calendar_clicked)  # Enter on a day
        self._chinese_navigation_bar()
        self.today_button = QPushButton(strings.DATE_INPUT_TODAY)
        self.today_button.setAutoDefault(False)
        self.today_button.clicked.connect(self._on_today_clicked)
        self._today = dt.date.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 4)
        layout.setSpacing(4)
        layout.addWidget(self.calendar)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.today_button)
        layout.addLayout(row)

    def _chinese_navigation_bar(self) -> None:
        """The month shown as a Chinese date reads 2026年 12月, year first (Qt lays out 十二月 2026)."""
        bar = self.calendar.findChild(QWidget, "qt_calendar_navigationbar")
        self.year_button = self.calendar.findChild(QToolButton, "qt_calendar_yearbutton")
        self.month_button = self.calendar.findChild(QToolButton, "qt_calendar_monthbutton")
        if bar is None or self.year_button is None or self.month_button is None:
            return  # another Qt's private layout: keep Qt's own
        layout = bar.layout()
        if isinstance(layout, QHBoxLayout):
            layout.removeWidget(self.year_button)
            layout.insertWidget(layout.indexOf(self.month_button), self.year_button)
        # Qt writes the bare numbers when the page changes, then emits currentPageChanged; after the year
        # was typed into its spin box it writes them once more, after our slot: redo it from the loop.
        self.calendar.currentPageChanged.connect(self._on_calendar_current_page_changed)
        year_edit = self.calendar.findChild(QSpinBox, "qt_calendar_yearedit")
        if year_edit is not None:
            year_edit.editingFinished.connect(self._on_year_edit_editing_finished)
        self._on_calendar_current_page_changed(self.calendar.yearShown(), self.calendar.monthShown())

    def _on_year_edit_editing_finished(self) -> None:
        QTimer.singleShot(
            0,
            self,
            lambda: self._on_calendar_current_page_changed(
                self.calendar.yearShown(), self.calendar.monthShown()
            ),
        )

    def _on_calendar_current_page_changed(self, year: int, month: int) -> None:
        if self.year_button is not None and self.month_button is not None:
            self.year_button.setText(f"{year}年")
            self.month_button.setText(f"{month}月")

    def open_at(self, anchor: QWidget, selected: dt.date | None, today: dt.date) -> None:
        """Show under `anchor` on the month of `selected`, or of today when the field is empty."""
        self._today = today
        shown = selected or today
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        self.calendar.setCurrentPage(shown.year, shown.month)
        self._on_calendar_current_page_changed(shown.year, shown.month)  # also when the page stayed
        self.adjustSize()
        pos = anchor.mapToGlobal(QPoint(0, anchor.height()))
        screen = anchor.screen().availableGeometry()
        x = min(max(pos.x(), screen.left()), screen.right() - self.width())
        y = (
            pos.y()
            if pos.y() + self.height() <= screen.bottom()
            else pos.y() - anchor.height() - self.height()
        )
        self.move(x, max(y, screen.top()))
        self.show()
        self.calendar.setFocus()

    def _on_calendar_clicked(self, day: QDate) -> None:
        self.hide()
        self.picked.emit(dt.date(day.year(), day.month(), day.day()))

    def _on_today_clicked(self) -> None:
        self.hide()
        self.picked.emit(self._today)


class DateInput(QWidget):
    """A date (`with_time=False`) or a date and time, typed or picked.

    `value()` is the last accepted value (None when empty). Typed text is read when the officer leaves
    the field or presses Enter (the editors autosave on that focus change; `commit()` reads it on
    demand); text that is not a possible value stays as typed, refused in place with the reason, and
    the old value is kept. `set_value()` never emits `value_changed`.
    """

    value_changed = Signal()

    def __init__(
        self,
        *,
        with_time: bool,
        label: str = "",
        now: Callable[[], dt.datetime] = dt.datetime.now,
        inline_errors: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.with_time = with_time
        self.label = label
        self._now = now
        self._value: DateValue | None = None
        self._error: str | None = None
        self._inline_errors = inline_errors

        self.line = QLineEdit()
        self.line.setPlaceholderText(strings.NOT_FILLED)
        self.line.setToolTip(strings.DATETIME_INPUT_TIP if with_time else strings.DATE_INPUT_TIP)
        sample = format_datetime_text(dt.datetime(2026, 12, 28, 20, 58)) if with_time else "2026-12-28"
        self.line.setMinimumWidth(self.line.fontMetrics().horizontalAdvance(sample + "MMM") + 12)
        self.line.textEdited.connect(self._on_line_text_edited)
        self.line.editingFinished.connect(self._on_line_editing_finished)
        self.line.installEventFilter(self)
        self.calendar_button = QToolButton()
        self.calendar_button.setArrowType(Qt.ArrowType.DownArrow)
        self.calendar_button.setToolTip(strings.DATE_INPUT_CALENDAR_TIP)
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.clicked.connect(self.open_calendar)
        self.popup = CalendarPopup(self)
        self.popup.picked.connect(self._on_popup_picked)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        set_role(self.error_label, "error")
        self.error_label.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.line, 1)
        row.addWidget(self.calendar_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        self.setFocusProxy(self.line)

    # ---- values -------------------------------------------------------------------------------
    def value(self) -> DateValue | None:
        return self._value

    def set_value(self, value: DateValue | None) -> None:
        """Show a value (None = empty); clears any refused text. Does not emit `value_changed`."""
        if value is not None and self.with_time and not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time(0, 0))
        if value is not None and not self.with_time and isinstance(value, dt.datetime):
            value = value.date()
        self._value = value
        self.line.setText(self._format(value))
        self._set_error(None)

    def clear(self) -> None:
        self.choose(None)

    def error(self) -> str | None:
        """The message for refused text still in the field, None when the text is the value."""
        return self._error

    def commit(self) -> bool:
        """Read the text now (as leaving the field does); False, with the error shown, if refused."""
        self._on_line_editing_finished()
        return self._error is None

    def show_problem(self, message: str) -> None:
        """A problem found outside the input (a required date left empty), shown where a refusal would
        be; the next edit clears it."""
        self.error_label.setText(message)
        self.error_label.setVisible(self._inline_errors)
        self._mark_invalid(True)

    def set_read_only(self, read_only: bool) -> None:
        if read_only and self._error is not None:
            self.set_value(self._value)  # refused text is not kept on a read-only record
        self.line.setReadOnly(read_only)
        self.calendar_button.setVisible(not read_only)

    def is_read_only(self) -> bool:
        return self.line.isReadOnly()

    # ---- calendar -----------------------------------------------------------------------------
    def open_calendar(self) -> None:
        if self.line.isReadOnly():
            return
        # The calendar button takes no focus, so text typed just before the click has not been read
        # yet: read it now, or the calendar opens on the old value (or today) instead of the typed day.
        self._take_typed()
        value = self._value
        selected = value.date() if isinstance(value, dt.datetime) else value
        self.popup.open_at(self.line, selected, self._now().date())

    def _on_popup_picked(self, day: dt.date) -> None:
        if self.with_time:
            old = self._value
            time = (
                old.time()
                if isinstance(old, dt.datetime)
                else self._now().time().replace(second=0, microsecond=0)
            )
            self.choose(dt.datetime.combine(day, time))
        else:
            self.choose(day)
        self.line.setFocus()

    # ---- typing -------------------------------------------------------------------------------
    def _parse(self, text: str) -> DateValue | None:
        now = self._now()
        if self.with_time:
            old = self._value
            default_time = old.time() if isinstance(old, dt.datetime) else None
            return parse_datetime_text(text, now, default_time=default_time)
        return parse_date_text(text, now.date())

    def _on_line_text_edited(self, text: str) -> None:
        # Nothing is taken while typing: "2026" on the way to "2026-12-18 10:30" reads as 20:26, and
        # "2025-02-2" on the way to a refused "2025-02-29" as a date. Only a refusal already shown is
        # kept current, so it goes as soon as the text is right.
        if self._error is None:
            return
        try:
            self._parse(text)
        except DateTextError as exc:
            self._set_error(exc.message)
        else:
            self._set_error(None)

    def _take_typed(self) -> None:
        """Read text typed but not yet taken (no Enter, focus still in the field)."""
        if self.line.text() != self._format(self._value):
            self._on_line_editing_finished()

    def _on_line_editing_finished(self) -> None:
        if self.line.isReadOnly():
            return
        try:
            value = self._parse(self.line.text())
        except DateTextError as exc:
            self._set_error(exc.message)
            return
        self.choose(value)

    def choose(self, value: DateValue | None) -> None:
        """A value the officer chose (typed, picked, 今天/现在): shown in the standard form, stored, and
        announced through `value_changed` if it differs."""
        self.line.setText(self._format(value))
        self._set_error(None)
        self._store(value)

    def _store(self, value: DateValue | None) -> None:
        if value != self._value:
            self._value = value
            self.value_changed.emit()

    def _format(self, value: DateValue | None) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return format_datetime_text(value)
        return format_date_text(value)

    def _set_error(self, message: str | None) -> None:
        if message is None:
            self._error = None
            self.error_label.clear()
            self.error_label.hide()
            self._mark_invalid(False)
        else:
            kept = self._format(self._value) if self._value is not None else None
            self._error = strings.date_input_error(self.label, message, kept)
            self.error_label.setText(self._error)
            self.error_label.setVisible(self._inline_errors)
            self._mark_invalid(True)
        self.line.setToolTip(
            self._error or (strings.DATETIME_INPUT_TIP if self.with_time else strings.DATE_INPUT_TIP)
        )

    def _mark_invalid(self, invalid: bool) -> None:
        if bool(self.line.property("invalid")) != invalid:
            self.line.setProperty("invalid", invalid)  # the style sheet draws a red frame
            self.line.style().unpolish(self.line)
            self.line.style().polish(self.line)

    # ---- keys ---------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.line and event.type() == QEvent.Type.KeyPress and not self.line.isReadOnly():
            assert isinstance(event, QKeyEvent)
            key, mods = event.key(), event.modifiers()
            if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier):
                self.open_calendar()
                return True
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not mods & Qt.KeyboardModifier.AltModifier:
                self._step_day(1 if key == Qt.Key.Key_Up else -1)
                return True
        return super().eventFilter(watched, event)

    def _step_day(self, days: int) -> None:
        """↑/↓ as in Qt's date edit: one day later or earlier (from today when the field is empty)."""
        self._take_typed()  # from the day just typed, not from the value before it
        if self._error is not None:
            return
        if self._value is None:
            now = self._now().replace(second=0, microsecond=0)
            self.choose(now if self.with_time else now.date())
        else:
            self.choose(self._value + dt.timedelta(days=days))
