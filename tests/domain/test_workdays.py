"""Working-day counting on the shipped holiday data, and loading/validating holiday files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.catalog import (
    CatalogError,
    holidays_dir,
    import_holiday_file,
    load_calendar,
    office_holidays_dir,
    parse_holiday_file,
)
from fieldkit.domain.workdays import HolidayYear, WorkCalendar, missing_year_warning

D = dt.date
CAL = load_calendar()


# --- the calendar on the shipped data ---------------------------------------------------------


def test_shipped_data_covers_2020_to_2026_and_not_2027():
    assert CAL.years == (2020, 2021, 2022, 2023, 2024, 2025, 2026)
    assert not CAL.covered(2027)


def test_national_day_2023_and_its_swapped_weekend():
    # 国庆+中秋 2023: 9/29–10/6 off; Saturday 10/7 and Sunday 10/8 are working days.
    for day in range(29, 31):
        assert not CAL.is_workday(D(2023, 9, day))
    for day in range(1, 7):
        assert not CAL.is_workday(D(2023, 10, day))
    assert CAL.is_workday(D(2023, 10, 7)) and CAL.is_workday(D(2023, 10, 8))
    assert CAL.holiday_name(D(2023, 9, 29)) == "中秋节"
    assert CAL.holiday_name(D(2023, 10, 1)) == "国庆节"


def test_seven_workdays_from_thursday_before_national_day_2023():
    # 9/28 is not counted; 10/7, 10/8, 10/9 … 10/13 are working days 1–7.
    result = CAL.add_workdays(D(2023, 9, 28), 7)
    assert result.due == D(2023, 10, 13)
    assert not result.estimated and result.warnings == ()


def test_seven_workdays_from_wednesday_before_national_day_2023():
    # 9/28 is day 1, then 10/7 … 10/12.
    assert CAL.add_workdays(D(2023, 9, 27), 7).due == D(2023, 10, 12)


def test_one_workday_from_the_last_day_before_the_break_is_the_working_saturday():
    assert CAL.add_workdays(D(2023, 9, 28), 1).due == D(2023, 10, 7)


def test_spring_festival_2024_counts_the_working_sundays():
    # 春节 2024: 2/10–2/17 off; Sunday 2/4 and Sunday 2/18 are working days.
    assert CAL.is_workday(D(2024, 2, 4)) and CAL.is_workday(D(2024, 2, 18))
    assert not CAL.is_workday(D(2024, 2, 12))
    # From Friday 2/2: 2/4 (Sun) is day 1, 2/5–2/9 are 2–6 (the eve 2/9 was a working day in 2024),
    # then the holiday, and Sunday 2/18 is day 7.
    assert CAL.add_workdays(D(2024, 2, 2), 7).due == D(2024, 2, 18)
    assert CAL.add_workdays(D(2024, 2, 2), 8).due == D(2024, 2, 19)
    # From Friday 2/9 (the eve, a working day that year): 2/18 is day 1.
    assert CAL.add_workdays(D(2024, 2, 9), 1).due == D(2024, 2, 18)


def test_start_on_a_holiday_counts_from_the_next_working_day():
    assert CAL.add_workdays(D(2023, 10, 1), 1).due == D(2023, 10, 7)


def test_calendar_days_ending_on_a_holiday_move_to_the_next_working_day():
    # 2023-09-01 + 30 = 10/1 (国庆) → 10/7, the working Saturday.
    result = CAL.add_calendar_days(D(2023, 9, 1), 30)
    assert result.due == D(2023, 10, 7)
    # Ending on a plain Saturday moves to Monday.
    assert CAL.add_calendar_days(D(2023, 8, 12), 30).due == D(2023, 9, 11)
    # Ending on a working day stays.
    assert CAL.add_calendar_days(D(2023, 8, 1), 30).due == D(2023, 8, 31)


def test_calendar_days_ending_on_a_working_sunday_stay_there():
    assert CAL.add_calendar_days(D(2024, 1, 5), 30).due == D(2024, 2, 4)


def test_a_year_without_data_gives_a_weekends_only_estimate_and_a_warning():
    result = CAL.add_workdays(D(2027, 9, 28), 7)
    assert result.due == D(2027, 10, 7)  # 9/29,9/30,10/1,10/4,10/5,10/6,10/7: weekends only
    assert result.estimated
    assert result.warnings == ("2027 年节假日安排未导入，期限按仅扣除周末估算，请核实",)


def test_a_period_running_into_a_year_without_data_is_estimated():
    result = CAL.add_calendar_days(D(2026, 12, 20), 30)
    assert result.due == D(2027, 1, 19)
    assert result.estimated and result.warnings == (missing_year_warning(2027),)


def test_a_period_that_only_starts_in_a_covered_year_is_not_estimated():
    result = CAL.add_workdays(D(2026, 12, 21), 7)
    assert result.due == D(2026, 12, 30)
    assert not result.estimated


def test_calendar_days_within_a_covered_year_do_not_depend_on_later_years():
    assert not CAL.add_calendar_days(D(2026, 11, 1), 30).estimated


def test_years_without_any_data_never_raise():
    empty = WorkCalendar({})
    assert empty.add_workdays(D(2031, 1, 1), 15).estimated
    assert empty.add_calendar_days(D(2031, 1, 1), 60).estimated


def test_zero_or_negative_periods_are_programming_errors():
    with pytest.raises(ValueError):
        CAL.add_workdays(D(2024, 1, 1), 0)
    with pytest.raises(ValueError):
        CAL.add_calendar_days(D(2024, 1, 1), -1)


def test_workdays_between_counts_the_half_open_range():
    assert CAL.workdays_between(D(2023, 9, 28), D(2023, 10, 9)) == 3
    assert CAL.workdays_between(D(2023, 10, 9), D(2023, 10, 9)) == 0
    assert CAL.workdays_between(D(2023, 10, 9), D(2023, 10, 1)) == 0


# --- properties --------------------------------------------------------------------------------

dates = st.dates(min_value=D(2019, 6, 1), max_value=D(2028, 6, 30))


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=40))
def test_add_workdays_always_lands_on_a_working_day_after_start(start, n):
    result = CAL.add_workdays(start, n)
    assert CAL.is_workday(result.due)
    assert result.due > start
    assert CAL.workdays_between(start, result.due) == n


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=120))
def test_add_calendar_days_always_lands_on_a_working_day_not_before_start_plus_n(start, n):
    result = CAL.add_calendar_days(start, n)
    assert CAL.is_workday(result.due)
    assert result.due >= start + dt.timedelta(days=n)
    # Every day between the nominal end and the due date is a day off.
    d = start + dt.timedelta(days=n)
    while d < result.due:
        assert not CAL.is_workday(d)
        d += dt.timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=40), extra=st.integers(min_value=1, max_value=10))
def test_add_workdays_is_strictly_monotonic_in_n(start, n, extra):
    assert CAL.add_workdays(start, n).due < CAL.add_workdays(start, n + extra).due


@settings(max_examples=200, deadline=None)
@given(a=dates, b=dates, n=st.integers(min_value=1, max_value=40))
def test_add_workdays_is_monotonic_in_start(a, b, n):
    a, b = min(a, b), max(a, b)
    assert CAL.add_workdays(a, n).due <= CAL.add_workdays(b, n).due


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=40))
def test_estimated_exactly_when_a_counted_day_lies_in_an_uncovered_year(start, n):
    result = CAL.add_workdays(start, n)
    first = start + dt.timedelta(days=1)  # the day of the event is never looked at
    uncovered = [y for y in range(first.year, result.due.year + 1) if not CAL.covered(y)]
    assert result.estimated == bool(uncovered)
    assert result.warnings == tuple(missing_year_warning(y) for y in uncovered)


# --- the shipped files and the loader ----------------------------------------------------------


def test_shipped_files_match_chinese_calendar():
    cc = pytest.importorskip("chinese_calendar")
    d = D(2020, 1, 1)
    while d <= D(2026, 12, 31):
        assert CAL.is_workday(d) == cc.is_workday(d), d
        d += dt.timedelta(days=1)


def test_shipped_files_name_their_source():
    hy = CAL.year(2024)
    assert hy is not None
    assert hy.source == "国务院办公厅关于 2024 年部分节假日安排的通知"
    assert D(2024, 2, 4) in hy.workdays


VALID_2027 = """\
year = 2027
source = "国务院办公厅关于 2027 年部分节假日安排的通知"
holidays = [2027-01-01, 2027-10-01, 2027-10-04, 2027-10-05, 2027-10-06, 2027-10-07]
workdays = [2027-09-26]

[names]
"2027-10-01" = "国庆节"
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_office_file_adds_a_year_and_removes_the_warning(tmp_path):
    extra = tmp_path / "holidays"
    write(extra, "2027.toml", VALID_2027)
    cal = load_calendar(extra)
    assert cal.covered(2027)
    assert not cal.is_workday(D(2027, 10, 4))
    assert cal.is_workday(D(2027, 9, 26))
    assert cal.holiday_name(D(2027, 10, 1)) == "国庆节"
    result = cal.add_workdays(D(2027, 9, 28), 7)
    assert not result.estimated
    assert result.due == D(2027, 10, 14)  # 9/29, 9/30, 10/8, 10/11, 10/12, 10/13, 10/14


def test_an_office_file_overrides_a_shipped_year(tmp_path):
    extra = tmp_path / "holidays"
    write(extra, "2026.toml", 'year = 2026\nsource = "更正通知"\nholidays = [2026-01-01]\nworkdays = []\n')
    cal = load_calendar(extra)
    assert cal.year(2026).source == "更正通知"
    assert cal.is_workday(D(2026, 10, 8))  # a weekday off in the shipped data, not in the override
    assert cal.year(2025) == CAL.year(2025)


def test_a_missing_office_folder_means_shipped_data_only(tmp_path):
    assert load_calendar(tmp_path / "nope").years == CAL.years


def test_import_copies_a_valid_file_under_its_year(tmp_path):
    src = write(tmp_path / "download", "2027年节假日.toml", VALID_2027)
    data = tmp_path / "data"
    assert import_holiday_file(src, data) == 2027
    assert (office_holidays_dir(data) / "2027.toml").read_text(encoding="utf-8") == VALID_2027
    assert load_calendar(office_holidays_dir(data)).covered(2027)
    assert [p.name for p in office_holidays_dir(data).iterdir()] == ["2027.toml"]  # no temp file left


def test_import_of_an_invalid_file_writes_nothing(tmp_path):
    src = write(tmp_path, "bad.toml", VALID_2027.replace("2027-10-05", "2026-10-05"))
    data = tmp_path / "data"
    with pytest.raises(CatalogError) as exc:
        import_holiday_file(src, data)
    assert str(exc.value) == "节假日文件 bad.toml：holidays：第 4 项 2026-10-05 不属于 2027 年"
    assert not office_holidays_dir(data).exists() or not any(office_holidays_dir(data).iterdir())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # the catalog's one TOML reader (issue 12 §5): the line is the key, as for forms and checklists
        ("year = 2027\nholidays = [2027-01-01,,]\n", "节假日文件 2027.toml：第 2 行：TOML 格式错误（第 "),
        ("year = 2027\nholidays = [", "节假日文件 2027.toml：文件末尾：TOML 格式错误"),
        (VALID_2027.replace("year = 2027\n", ""), "节假日文件 2027.toml：year：缺少此项"),
        (VALID_2027.replace("year = 2027", 'year = "2027"'), "节假日文件 2027.toml：year：应为四位年份数字"),
        (
            VALID_2027.replace('source = "国务院办公厅关于 2027 年部分节假日安排的通知"', 'source = ""'),
            "节假日文件 2027.toml：source：应写明依据的通知名称",
        ),
        ("holiday = []\n" + VALID_2027, "节假日文件 2027.toml：holiday：未知的键"),
        (VALID_2027.replace("2027-10-05,", "2027-10-32,"), "节假日文件 2027.toml：第 3 行：TOML 格式错误"),
        (
            VALID_2027.replace("2027-10-05,", '"10月5日",'),
            "节假日文件 2027.toml：holidays：第 4 项“10月5日”不是 YYYY-MM-DD 格式的日期",
        ),
        (
            VALID_2027.replace("2027-10-05,", "2027-10-04,"),
            "节假日文件 2027.toml：holidays：第 4 项 2027-10-04 重复",
        ),
        (
            VALID_2027.replace("workdays = [2027-09-26]", "workdays = [2027-09-27]"),
            "节假日文件 2027.toml：workdays：2027-09-27 是星期一，本来就是工作日",
        ),
        (
            VALID_2027.replace("workdays = [2027-09-26]", "workdays = [2027-01-02]").replace(
                "2027-01-01,", "2027-01-01, 2027-01-02,"
            ),
            "节假日文件 2027.toml：workdays：2027-01-02 同时列在 holidays 和 workdays 中",
        ),
        (
            VALID_2027.replace(
                "holidays = [2027-01-01, 2027-10-01, 2027-10-04, 2027-10-05, 2027-10-06, 2027-10-07]",
                "holidays = []",
            ).replace('"2027-10-01" = "国庆节"', ""),
            "节假日文件 2027.toml：holidays：为空",
        ),
        (
            VALID_2027.replace('"2027-10-01"', '"2027-10-02"'),
            "节假日文件 2027.toml：names.2027-10-02：该日期不在 holidays 中",
        ),
        (
            VALID_2027.replace("holidays = [2027-01-01", "holidays = [2027-01-01T08:00:00"),
            "节假日文件 2027.toml：holidays：第 1 项应为日期",
        ),
        (
            VALID_2027.replace("year = 2027", "year = 2028"),
            "节假日文件 2027.toml：holidays：第 1 项 2027-01-01 不属于 2028 年",
        ),
    ],
)
def test_invalid_files_are_refused_naming_file_and_key(tmp_path, text, message):
    write(tmp_path / "holidays", "2027.toml", text)
    with pytest.raises(CatalogError) as exc:
        load_calendar(tmp_path / "holidays")
    assert str(exc.value).startswith(message), str(exc.value)


def test_file_name_must_match_the_year(tmp_path):
    write(tmp_path / "holidays", "2028.toml", VALID_2027)
    with pytest.raises(CatalogError, match=r"2028\.toml：year：文件名应为 2027\.toml"):
        load_calendar(tmp_path / "holidays")
    write(tmp_path / "other", "节假日.toml", VALID_2027)
    with pytest.raises(CatalogError, match=r"文件名应为“年份\.toml”"):
        load_calendar(tmp_path / "other")


def test_non_toml_and_hidden_files_in_the_office_folder_are_ignored(tmp_path):
    folder = tmp_path / "holidays"
    write(folder, "说明.txt", "随便写")
    write(folder, ".2027.toml", "garbage")
    assert load_calendar(folder).years == CAL.years


def test_parse_returns_a_holiday_year(tmp_path):
    hy = parse_holiday_file(write(tmp_path, "2027.toml", VALID_2027))
    assert isinstance(hy, HolidayYear)
    assert hy.year == 2027 and len(hy.holidays) == 6 and hy.workdays == frozenset({D(2027, 9, 26)})


def test_shipped_dir_holds_one_file_per_year():
    assert sorted(p.name for p in holidays_dir().glob("*.toml")) == [f"{y}.toml" for y in range(2020, 2027)]


def test_calendar_refuses_a_year_filed_under_another_key():
    hy = HolidayYear(2027, frozenset(), frozenset(), "x")
    with pytest.raises(ValueError):
        WorkCalendar({2026: hy})
