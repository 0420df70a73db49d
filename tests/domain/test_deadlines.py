"""Statutory deadlines (先行登记保存, 查封/扣押, 复查, 立案) and their urgency, on the shipped holiday data."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.catalog import load_calendar
from fieldkit.domain.deadlines import (
    DayUnit,
    DeadlineKind,
    Urgency,
    case_filing_deadline,
    preservation_deadline,
    rectification_recheck,
    seizure_deadline,
    urgency,
)

D = dt.date
CAL = load_calendar()


def test_preservation_seven_workdays_across_national_day_2023():
    deadline = preservation_deadline(CAL, D(2023, 9, 28))
    assert deadline.kind is DeadlineKind.PRESERVATION
    assert deadline.due == D(2023, 10, 13)
    assert deadline.unit is DayUnit.WORKDAYS
    assert deadline.title == "先行登记保存：7 个工作日内作出处理决定，逾期自动解除"
    assert "第五十六条" in deadline.basis and "第三十五条" in deadline.basis
    assert not deadline.estimated
    assert preservation_deadline(CAL, D(2023, 9, 27)).due == D(2023, 10, 12)


def test_preservation_on_a_friday_before_national_day_2023():
    # Friday 9/22: 9/25–9/28 are days 1–4; the break; Saturday 10/7, Sunday 10/8, Monday 10/9 are 5–7.
    assert preservation_deadline(CAL, D(2023, 9, 22)).due == D(2023, 10, 9)


def test_preservation_across_spring_festival_2024():
    # Thursday 2/8: 2/9 is day 1, then 2/18 (working Sunday) … 2/23 are days 2–7.
    assert preservation_deadline(CAL, D(2024, 2, 8)).due == D(2024, 2, 23)


def test_seizure_ends_on_day_thirty_exactly_even_on_national_day():
    # 2023-09-01 + 30 days = 10/1, a holiday: 第二十五条 "不得超过三十日" is a ceiling, no rollover to 10/7.
    deadline = seizure_deadline(CAL, D(2023, 9, 1))
    assert deadline.due == D(2023, 10, 1)
    assert deadline.unit is DayUnit.CALENDAR
    assert deadline.basis.startswith("《行政强制法》第二十五条")
    assert not deadline.estimated


def test_seizure_ending_in_spring_festival_2024_is_not_moved():
    # 2024-01-12 + 30 = 2/11 (春节): still day 30, not the working Sunday 2/18.
    assert seizure_deadline(CAL, D(2024, 1, 12)).due == D(2024, 2, 11)


def test_seizure_extended_once_by_thirty_days():
    plain = seizure_deadline(CAL, D(2024, 3, 1))
    longer = seizure_deadline(CAL, D(2024, 3, 1), extended=True)
    assert plain.due == D(2024, 3, 31)  # a Sunday: day 30 all the same
    assert longer.due == D(2024, 4, 30)  # day 60
    assert "延长" in longer.title


def test_rectification_recheck_is_the_next_working_day_after_the_deadline():
    assert rectification_recheck(CAL, D(2024, 3, 15)).due == D(2024, 3, 18)  # Friday → Monday
    assert rectification_recheck(CAL, D(2023, 9, 28)).due == D(2023, 10, 7)  # → the working Saturday
    deadline = rectification_recheck(CAL, D(2024, 3, 13))
    assert deadline.due == D(2024, 3, 14) and deadline.kind is DeadlineKind.RECHECK
    assert "第二十八条" in deadline.basis


def test_case_filing_fifteen_workdays_and_fifteen_more():
    deadline = case_filing_deadline(CAL, D(2023, 9, 20))
    # 9/21, 9/22, 9/25–9/28 (6), 10/7, 10/8, 10/9–10/13 (13), 10/16, 10/17 (15).
    assert deadline.due == D(2023, 10, 17)
    assert deadline.basis == "《市场监督管理行政处罚程序规定》第十八条"
    assert case_filing_deadline(CAL, D(2023, 9, 20), extended=True).due == D(2023, 11, 7)


def test_a_deadline_in_2027_is_an_estimate_with_a_warning():
    deadline = preservation_deadline(CAL, D(2027, 2, 3))
    assert deadline.estimated
    assert deadline.warnings == ("2027 年节假日安排未导入，期限按仅扣除周末估算，请核实",)
    assert deadline.due == D(2027, 2, 12)  # weekends only


def test_a_seizure_running_into_2027_needs_no_holiday_data():
    deadline = seizure_deadline(CAL, D(2026, 12, 15))
    assert not deadline.estimated and deadline.due == D(2027, 1, 14)


def test_urgency_open_due_soon_overdue():
    deadline = preservation_deadline(CAL, D(2023, 9, 28))  # due Friday 10/13
    status = urgency(CAL, deadline, D(2023, 10, 9))
    assert (status.urgency, status.days_left, status.label) == (Urgency.OPEN, 4, "剩 4 个工作日")
    assert urgency(CAL, deadline, D(2023, 10, 11)).urgency is Urgency.DUE_SOON
    today = urgency(CAL, deadline, D(2023, 10, 13))
    assert (today.urgency, today.days_left, today.label) == (Urgency.DUE_SOON, 0, "今日到期")
    late = urgency(CAL, deadline, D(2023, 10, 16))
    assert (late.urgency, late.days_left, late.label) == (Urgency.OVERDUE, -1, "已逾期 1 个工作日")


def test_urgency_counts_working_days_even_for_calendar_periods():
    deadline = seizure_deadline(CAL, D(2023, 9, 1))  # due Sunday 10/1, inside the National Day break
    # On 9/27 there are 4 calendar days left but only 1 working day (9/28): due soon.
    status = urgency(CAL, deadline, D(2023, 9, 27))
    assert status.urgency is Urgency.DUE_SOON
    assert (status.days_left, status.unit, status.workdays_left) == (4, DayUnit.CALENDAR, 1)
    assert status.label == "剩 4 天"
    assert urgency(CAL, deadline, D(2023, 9, 20)).urgency is Urgency.OPEN
    late = urgency(CAL, deadline, D(2023, 10, 4))
    assert (late.urgency, late.days_left, late.label) == (Urgency.OVERDUE, -3, "已逾期 3 天")


dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2027, 12, 31))


@settings(max_examples=200, deadline=None)
@given(start=dates, extended=st.booleans())
def test_every_deadline_falls_on_a_working_day_after_its_start(start, extended):
    for deadline in (
        preservation_deadline(CAL, start),
        rectification_recheck(CAL, start),
        case_filing_deadline(CAL, start, extended),
    ):
        assert CAL.is_workday(deadline.due)
        assert deadline.due > start
        assert deadline.start == start
    seizure = seizure_deadline(CAL, start, extended)
    assert seizure.due - start == dt.timedelta(days=60 if extended else 30)  # 行政强制法第二十五条


@settings(max_examples=200, deadline=None)
@given(start=dates, today=dates)
def test_urgency_is_overdue_exactly_after_the_due_day(start, today):
    deadline = preservation_deadline(CAL, start)
    status = urgency(CAL, deadline, today)
    assert (status.urgency is Urgency.OVERDUE) == (today > deadline.due)
    if status.urgency is Urgency.OPEN:
        assert status.days_left > 2


@pytest.mark.parametrize("kind", list(DeadlineKind))
def test_kinds_have_stable_string_values(kind):
    assert kind.value in {"preservation", "seizure", "rectification_recheck", "case_filing"}
