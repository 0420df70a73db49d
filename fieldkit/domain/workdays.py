"""Working-day calendar (holidays and 调休) and day counting the way the enforcement rules count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

_ONE_DAY = dt.timedelta(days=1)
# Far more than any statutory period (the longest, 90+30 days, is counted in calendar days); a loop
# that runs past this is a bug, not a long period.
_MAX_SCAN_DAYS = 5 * 366


@dataclass(frozen=True)
class HolidayYear:
    """One year of the State Council's holiday notice (国务院办公厅关于部分节假日安排的通知)."""

    year: int
    holidays: frozenset[dt.date]  # every day off of a holiday break, weekends inside the break included
    workdays: frozenset[dt.date]  # 调休: Saturdays and Sundays that are working days
    source: str  # the notice the dates come from
    names: Mapping[dt.date, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class DeadlineResult:
    """A due date; `estimated` when some day it depends on lies in a year without holiday data."""

    due: dt.date
    estimated: bool = False
    warnings: tuple[str, ...] = ()


def missing_year_warning(year: int) -> str:
    return f"{year} 年节假日安排未导入，期限按仅扣除周末估算，请核实"


class WorkCalendar:
    """Which days are working days, from per-year holiday data; weekends only for years without data."""

    def __init__(self, years: Mapping[int, HolidayYear]) -> None:
        for key, hy in years.items():
            if key != hy.year:
                raise ValueError(f"HolidayYear {hy.year} filed under {key}")
        self._years = dict(years)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self._years))

    def year(self, year: int) -> HolidayYear | None:
        return self._years.get(year)

    def covered(self, year: int) -> bool:
        return year in self._years

    def is_workday(self, d: dt.date) -> bool:
        hy = self._years.get(d.year)
        if hy is not None:
            if d in hy.holidays:
                return False
            if d in hy.workdays:
                return True
        return d.weekday() < 5

    def holiday_name(self, d: dt.date) -> str | None:
        """The holiday a day belongs to (国庆节…) when the data names it, else None."""
        hy = self._years.get(d.year)
        return hy.names.get(d) if hy is not None else None

    def next_workday(self, d: dt.date) -> DeadlineResult:
        """The first working day strictly after `d`."""
        return self.add_workdays(d, 1)

    def add_workdays(self, start: dt.date, n: int) -> DeadlineResult:
        """The n-th working day after `start`.

        The day of the event is not counted (《市场监督管理行政处罚程序规定》第八十条): counting starts
        on the next working day, so the period ends on a working day by construction. Periods written as
        "N 日内" include day N (第八十四条), hence the due date itself is still in time.
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        tracker = _Tracker(self)
        d = start
        counted = 0
        for _ in range(_MAX_SCAN_DAYS):
            d += _ONE_DAY
            if tracker.is_workday(d):
                counted += 1
                if counted == n:
                    return tracker.result(d)
        raise ValueError(f"no {n} working days within {_MAX_SCAN_DAYS} days of {start}")

    def add_calendar_days(self, start: dt.date, n: int) -> DeadlineResult:
        """`start` + n calendar days, moved to the next working day if that day is not one.

        First day not counted, and a period whose last day is a holiday ends on the next working day
        (《市场监督管理行政处罚程序规定》第八十条). A plain Saturday or Sunday counts as a day off here
        too, and a 调休 working weekend day as a working day: the office is open that day.
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        tracker = _Tracker(self)
        d = start + dt.timedelta(days=n)
        for _ in range(_MAX_SCAN_DAYS):
            if tracker.is_workday(d):
                return tracker.result(d)
            d += _ONE_DAY
        raise ValueError(f"no working day within {_MAX_SCAN_DAYS} days of {start + dt.timedelta(days=n)}")

    def workdays_between(self, after: dt.date, until: dt.date) -> int:
        """How many working days lie in (after, until]; 0 when `until` is not later than `after`."""
        return sum(1 for d in _days(after + _ONE_DAY, until) if self.is_workday(d))


class _Tracker:
    """Asks the calendar and remembers which uncovered years an answer depended on."""

    def __init__(self, cal: WorkCalendar) -> None:
        self._cal = cal
        self._missing: list[int] = []

    def is_workday(self, d: dt.date) -> bool:
        if not self._cal.covered(d.year) and d.year not in self._missing:
            self._missing.append(d.year)
        return self._cal.is_workday(d)

    def result(self, due: dt.date) -> DeadlineResult:
        return DeadlineResult(
            due=due,
            estimated=bool(self._missing),
            warnings=tuple(missing_year_warning(y) for y in self._missing),
        )


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    d = first
    while d <= last:
        yield d
        d += _ONE_DAY
