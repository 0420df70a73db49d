"""Statutory deadlines of on-site measures and cases, counted on a WorkCalendar."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from fieldkit.domain.workdays import DeadlineResult, WorkCalendar

# "即将到期": this many working days or fewer left (the due day itself counts as 0 left).
DUE_SOON_WORKDAYS = 2

PRESERVATION_WORKDAYS = 7
SEIZURE_DAYS = 30
SEIZURE_EXTENSION_DAYS = 30
CASE_FILING_WORKDAYS = 15
CASE_FILING_EXTENSION_WORKDAYS = 15


class DeadlineKind(enum.StrEnum):
    PRESERVATION = "preservation"  # 先行登记保存
    SEIZURE = "seizure"  # 查封、扣押
    RECHECK = "rectification_recheck"  # 责令改正期满复查
    CASE_FILING = "case_filing"  # 立案与否


class DayUnit(enum.StrEnum):
    WORKDAYS = "workdays"  # 工作日
    CALENDAR = "calendar"  # 自然日


class Urgency(enum.StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    OPEN = "open"


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    title: str  # Chinese, shown as is
    start: dt.date  # the day of the event; not counted
    due: dt.date  # last day still in time ("内" includes it: 程序规定第八十四条)
    basis: str  # the articles the period comes from
    estimated: bool = False  # some day it depends on lies in a year without holiday data
    warnings: tuple[str, ...] = ()
    unit: DayUnit = DayUnit.WORKDAYS  # how the period is counted, and how days left are shown


@dataclass(frozen=True)
class DeadlineStatus:
    urgency: Urgency
    days_left: int  # in `unit`; 0 on the due day; negative once overdue
    unit: DayUnit
    workdays_left: int  # working days in (today, due]; 0 on or after the due day

    @property
    def label(self) -> str:
        """Chinese text such as 剩 3 个工作日, 今日到期 or 已逾期 2 天."""
        if self.days_left < 0:
            return f"已逾期 {-self.days_left} {'个工作日' if self.unit is DayUnit.WORKDAYS else '天'}"
        if self.days_left == 0:
            return "今日到期"
        return f"剩 {self.days_left} {'个工作日' if self.unit is DayUnit.WORKDAYS else '天'}"


def _deadline(
    kind: DeadlineKind, title: str, start: dt.date, result: DeadlineResult, basis: str, unit: DayUnit
) -> Deadline:
    return Deadline(
        kind=kind,
        title=title,
        start=start,
        due=result.due,
        basis=basis,
        estimated=result.estimated,
        warnings=result.warnings,
        unit=unit,
    )


def preservation_deadline(cal: WorkCalendar, decided_on: dt.date) -> Deadline:
    """先行登记保存: a decision on the held evidence within 7 working days, else the hold lapses.

    《行政处罚法》第五十六条 ("七日内", working days by 第八十五条) and 《市场监督管理行政处罚程序规定》
    第三十五条 ("七个工作日内"; "逾期未采取相关措施的，先行登记保存措施自动解除").
    """
    return _deadline(
        DeadlineKind.PRESERVATION,
        "先行登记保存：7 个工作日内作出处理决定，逾期自动解除",
        decided_on,
        cal.add_workdays(decided_on, PRESERVATION_WORKDAYS),
        "《行政处罚法》第五十六条、第八十五条，《市场监督管理行政处罚程序规定》第三十五条",
        DayUnit.WORKDAYS,
    )


def seizure_deadline(cal: WorkCalendar, start: dt.date, extended: bool = False) -> Deadline:
    """查封/扣押: at most 30 days, extendable once by at most 30 (《行政强制法》第二十五条).

    The period ends on day 30 exactly (day 60 once extended), counted from the day after the decision
    (程序规定第八十条: the first day is not counted). 第二十五条 says "不得超过三十日": it is a ceiling on the
    agency's own measure, not a time limit for the party to act, so the holiday rollover of 第八十条 does
    not stretch it — a seizure that ends on a holiday must be released or extended before the break.
    (Working-day counting applies only where the law says 工作日 or to periods of ten days or less,
    第六十九条.) The day does not depend on holiday data, so it is never an estimate.
    Testing/inspection periods, which 第二十五条 excludes, are not modelled: record an extension instead.
    """
    del cal  # the last day is fixed by the count alone; kept for the common signature of deadlines
    days = SEIZURE_DAYS + (SEIZURE_EXTENSION_DAYS if extended else 0)
    title = (
        "查封、扣押：第 30 日届满，届满前作出延长或者解除决定"
        if not extended
        else "查封、扣押（已延长）：第 60 日届满，届满前作出解除决定"
    )
    return Deadline(
        kind=DeadlineKind.SEIZURE,
        title=title,
        start=start,
        due=start + dt.timedelta(days=days),
        basis="《行政强制法》第二十五条（不得超过三十日，届满不因节假日顺延）",
        unit=DayUnit.CALENDAR,
    )


def rectification_recheck(cal: WorkCalendar, deadline_date: dt.date) -> Deadline:
    """复查 after a 责令改正 period: due on the first working day after the correction deadline.

    责令改正 itself is required by 《行政处罚法》第二十八条; the re-inspection date is office practice,
    not a statutory period.
    """
    return _deadline(
        DeadlineKind.RECHECK,
        "责令改正期限届满：复查整改情况",
        deadline_date,
        cal.next_workday(deadline_date),
        "《行政处罚法》第二十八条（责令改正）；复查时间为工作安排，非法定期限",
        DayUnit.WORKDAYS,
    )


def case_filing_deadline(cal: WorkCalendar, found_on: dt.date, extended: bool = False) -> Deadline:
    """Decide whether to open a case within 15 working days of finding the clue, +15 with approval.

    《市场监督管理行政处罚程序规定》第十八条. Time for testing, inspection, identification by the
    rights holder and the like is not counted; it is not modelled here.
    """
    n = CASE_FILING_WORKDAYS + (CASE_FILING_EXTENSION_WORKDAYS if extended else 0)
    title = "核查线索：15 个工作日内决定是否立案"
    if extended:
        title = "核查线索（已延长）：30 个工作日内决定是否立案"
    return _deadline(
        DeadlineKind.CASE_FILING,
        title,
        found_on,
        cal.add_workdays(found_on, n),
        "《市场监督管理行政处罚程序规定》第十八条",
        DayUnit.WORKDAYS,
    )


def urgency(cal: WorkCalendar, deadline: Deadline, today: dt.date) -> DeadlineStatus:
    """Overdue after the due day; due soon when ≤ 2 working days are left (the due day included)."""
    if today > deadline.due:
        if deadline.unit is DayUnit.WORKDAYS:
            late = max(1, cal.workdays_between(deadline.due, today))
        else:
            late = (today - deadline.due).days
        return DeadlineStatus(Urgency.OVERDUE, -late, deadline.unit, 0)
    workdays_left = cal.workdays_between(today, deadline.due)
    days_left = workdays_left if deadline.unit is DayUnit.WORKDAYS else (deadline.due - today).days
    level = Urgency.DUE_SOON if workdays_left <= DUE_SOON_WORKDAYS else Urgency.OPEN
    return DeadlineStatus(level, days_left, deadline.unit, workdays_left)
