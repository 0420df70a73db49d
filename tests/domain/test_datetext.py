"""Typed dates and times: every usual spelling read, every impossible value refused with a Chinese reason."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldkit.domain.datetext import (
    DateTextError,
    format_date_text,
    format_datetime_text,
    parse_date_text,
    parse_datetime_text,
)

TODAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 9, 15)
DEC18 = dt.date(2026, 12, 18)


@pytest.mark.parametrize(
    "text",
    [
        "20261218",
        "2026-12-18",
        "2026/12/18",
        "2026.12.18",
        "2026-12-18 ",
        " 2026 / 12 / 18",
        "2026年12月18日",
        "2026年12月18号",
        "2026 年 12 月 18",
        "12-18",
        "12/18",
        "12.18",
        "12月18日",
        "２０２６－１２－１８",  # a Chinese IME's full-width digits
        "２０２６／１２／１８",
    ],
)
def test_usual_date_spellings_are_read(text: str) -> None:
    assert parse_date_text(text, TODAY) == DEC18


def test_single_digit_month_and_day_are_read() -> None:
    assert parse_date_text("2026-3-5", TODAY) == dt.date(2026, 3, 5)
    assert parse_date_text("3/5", TODAY) == dt.date(2026, 3, 5)
    assert parse_date_text("2026年3月5日", TODAY) == dt.date(2026, 3, 5)


def test_month_day_is_in_the_current_year() -> None:
    assert parse_date_text("1-8", dt.date(2027, 6, 1)) == dt.date(2027, 1, 8)


def test_relative_words_count_from_today() -> None:
    assert parse_date_text("今天", TODAY) == TODAY
    assert parse_date_text("明天", TODAY) == dt.date(2026, 3, 3)
    assert parse_date_text("昨天", TODAY) == dt.date(2026, 3, 1)


@pytest.mark.parametrize("text", ["", "   ", "\u3000"])
def test_blank_is_empty_not_an_error(text: str) -> None:
    assert parse_date_text(text, TODAY) is None
    assert parse_datetime_text(text, NOW) is None


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("2026-02-30", "datetext.day", "2026年2月没有30日（这个月只有 28 天）"),
        ("20260230", "datetext.day", "2026年2月没有30日（这个月只有 28 天）"),
        ("2-30", "datetext.day", "2026年2月没有30日（这个月只有 28 天）"),
        ("2026-04-31", "datetext.day", "2026年4月没有31日（这个月只有 30 天）"),
        ("2025-02-29", "datetext.day", "2025年不是闰年，2月没有29日"),
        ("2026-00-10", "datetext.month", "没有 0 月（月份为 1—12）"),
        ("2026-13-01", "datetext.month", "没有 13 月（月份为 1—12）"),
        ("20261318", "datetext.month", "没有 13 月（月份为 1—12）"),
        ("2026-12-00", "datetext.day", "2026年12月没有0日（这个月只有 31 天）"),
        ("1899-12-18", "datetext.year", "年份 1899 不在 1900—2099 之间"),
        ("2100-01-01", "datetext.year", "年份 2100 不在 1900—2099 之间"),
    ],
)
def test_impossible_dates_are_refused_with_the_reason(text: str, code: str, message: str) -> None:
    with pytest.raises(DateTextError) as info:
        parse_date_text(text, TODAY)
    assert (info.value.code, info.value.message, str(info.value)) == (code, message, message)


def test_leap_day_is_a_date() -> None:
    assert parse_date_text("2028-02-29", TODAY) == dt.date(2028, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "2026121",
        "202612",
        "2026",
        "1218",
        "abc",
        "2026-12",
        "12-18-2026",
        "2026--12-18",
        "下周一",
        "2026-12-18 10:30",
    ],
)
def test_unreadable_dates_are_refused_never_guessed(text: str) -> None:
    with pytest.raises(DateTextError) as info:
        parse_date_text(text, TODAY)
    assert info.value.code == "datetext.unreadable"
    assert info.value.message.startswith(f"看不懂「{text.strip()}」")
    assert "2026-12-18" in info.value.message


@pytest.mark.parametrize(
    "text",
    [
        "2026/12/18 10:30",
        "2026-12-18 10:30",
        "2026-12-18T10:30",
        "2026-12-18 10:30:45",  # seconds dropped: forms print minutes
        "20261218 1030",
        "202612181030",
        "2026-12-18  10：30",
        "12-18 10:30",
        "12月18日10时30分",
        "12月18日 10点30分",
        "2026年12月18日10点半",
        "2026 - 12 - 18 10:30",
    ],
)
def test_usual_datetime_spellings_are_read(text: str) -> None:
    assert parse_datetime_text(text, NOW) == dt.datetime(2026, 12, 18, 10, 30)


def test_hour_only_and_single_digits_are_read() -> None:
    assert parse_datetime_text("12-18 9:05", NOW) == dt.datetime(2026, 12, 18, 9, 5)
    assert parse_datetime_text("12月18日9点", NOW) == dt.datetime(2026, 12, 18, 9, 0)


def test_a_time_alone_is_today() -> None:
    assert parse_datetime_text("14:30", NOW) == dt.datetime(2026, 3, 2, 14, 30)
    assert parse_datetime_text("1430", NOW) == dt.datetime(2026, 3, 2, 14, 30)


def test_a_date_alone_takes_the_default_time_or_is_refused() -> None:
    assert parse_datetime_text("12-18", NOW, default_time=dt.time(8, 45)) == dt.datetime(2026, 12, 18, 8, 45)
    with pytest.raises(DateTextError) as info:
        parse_datetime_text("2026-12-18", NOW)
    assert info.value.code == "datetext.no_time"
    assert info.value.message == "缺少时间，请写成 2026-12-18 10:30 这样"


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("2026-12-18 24:00", "datetext.hour", "没有 24 点（小时为 0—23）"),
        ("2026-12-18 10:60", "datetext.minute", "没有 60 分（分钟为 0—59）"),
        ("20261218 2561", "datetext.hour", "没有 25 点（小时为 0—23）"),
        ("2026-12-18 10:30:61", "datetext.second", "没有 61 秒（秒为 0—59）"),
        ("2026-02-30 10:30", "datetext.day", "2026年2月没有30日（这个月只有 28 天）"),
        ("25:00", "datetext.hour", "没有 25 点（小时为 0—23）"),
    ],
)
def test_impossible_times_are_refused_with_the_reason(text: str, code: str, message: str) -> None:
    with pytest.raises(DateTextError) as info:
        parse_datetime_text(text, NOW)
    assert (info.value.code, info.value.message) == (code, message)


@pytest.mark.parametrize("text", ["2026-12-18 10", "x 10:30", "2026-12-18 abc", "明天下午"])
def test_unreadable_datetimes_name_the_datetime_form(text: str) -> None:
    with pytest.raises(DateTextError) as info:
        parse_datetime_text(text, NOW)
    assert info.value.code == "datetext.unreadable"
    assert "2026-12-18 10:30" in info.value.message


def test_formatting_round_trips() -> None:
    assert format_date_text(DEC18) == "2026-12-18"
    assert parse_date_text(format_date_text(DEC18), TODAY) == DEC18
    value = dt.datetime(2026, 1, 5, 7, 3)
    assert format_datetime_text(value) == "2026-01-05 07:03"
    assert parse_datetime_text(format_datetime_text(value), NOW) == value


def test_every_day_of_four_years_round_trips_in_every_spelling() -> None:
    day = dt.date(2025, 1, 1)
    while day < dt.date(2029, 1, 1):
        for text in (
            f"{day:%Y%m%d}",
            f"{day.year}/{day.month}/{day.day}",
            f"{day.year}年{day.month}月{day.day}日",
        ):
            assert parse_date_text(text, TODAY) == day, text
        day += dt.timedelta(days=1)
