"""Dates and times as officers type them: 20261218, 2026-12-18, 12-18, 2026/12/18 10:30, 2026年12月18日.

Pure functions (no Qt): the date input widget, the table cell editors and tests share them. A typed
value is either read completely or refused with a Chinese message that says what is wrong
("2026年2月没有30日"); nothing is guessed (a 7-digit "2026121" is refused, not read as 2026-12-01).
The caller puts the field's name in front of the message.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MIN_YEAR = 1900
MAX_YEAR = 2099

DATE_EXAMPLE = "2026-12-18"
DATETIME_EXAMPLE = "2026-12-18 10:30"

# Full-width digits and punctuation (a Chinese IME types them) become their ASCII forms.
_WIDE = str.maketrans(
    "０１２３４５６７８９－／．：　",
    "0123456789-/.: ",
)
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "昨天": -1, "昨日": -1, "后天": 2, "前天": -2}

_SEP = r"\s*[-/.]\s*"
# Year, month, day in one of the usual spellings; the day may end with 日 or 号.
_YMD = re.compile(
    rf"(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<d>\d{{1,2}})"
    r"|(?P<y2>\d{4})\s*年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号]?"
    r"|(?P<y3>\d{4})(?P<m3>\d{2})(?P<d3>\d{2})"
)
# Month and day only: the year is the current one.
_MD = re.compile(
    rf"(?P<m>\d{{1,2}}){_SEP}(?P<d>\d{{1,2}})"
    r"|(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号]?"
)
# 10:30, 10:30:15, 1030, 10时30分, 10点30分, 10点半, 10点, 10时.
_TIME = re.compile(
    r"(?P<h>\d{1,2})\s*:\s*(?P<mi>\d{1,2})(?:\s*:\s*(?P<s>\d{1,2}))?"
    r"|(?P<h2>\d{2})(?P<mi2>\d{2})"
    r"|(?P<h3>\d{1,2})\s*[时点]\s*(?:(?P<mi3>\d{1,2})\s*分?|(?P<half>半))?"
)
_DATE_TIME_SPLIT = re.compile(r"\s*T\s*|\s+")


@dataclass(frozen=True)
class DateTextError(ValueError):
    """Typed text that is not a possible date or time; `message` is Chinese, without the field name."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def _normalise(text: str) -> str:
    return text.translate(_WIDE).strip()


def _unreadable(text: str, with_time: bool) -> DateTextError:
    if with_time:
        hint = f"请按 {DATETIME_EXAMPLE} 填写（也可输入 20261218 1030、12-18 10:30）"
    else:
        hint = f"请按 {DATE_EXAMPLE} 填写（也可输入 20261218、12-18）"
    return DateTextError("datetext.unreadable", f"看不懂「{text}」，{hint}")


def _make_date(year: int, month: int, day: int) -> dt.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateTextError("datetext.year", f"年份 {year} 不在 {MIN_YEAR}—{MAX_YEAR} 之间")
    if not 1 <= month <= 12:
        raise DateTextError("datetext.month", f"没有 {month} 月（月份为 1—12）")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        if day == 29 and month == 2:
            message = f"{year}年不是闰年，2月没有29日"
        else:
            message = f"{year}年{month}月没有{day}日（这个月只有 {last} 天）"
        raise DateTextError("datetext.day", message)
    return dt.date(year, month, day)


def _date_part(text: str, today: dt.date) -> dt.date | None:
    """The date in `text`, None when `text` is no date spelling at all."""
    if text in _RELATIVE_DAYS:
        return today + dt.timedelta(days=_RELATIVE_DAYS[text])
    if m := _YMD.fullmatch(text):
        g = m.groupdict()
        y, mo, d = next((g[f"y{s}"], g[f"m{s}"], g[f"d{s}"]) for s in ("", "2", "3") if g[f"y{s}"])
        return _make_date(int(y), int(mo), int(d))
    if m := _MD.fullmatch(text):
        g = m.groupdict()
        mo, d = (g["m"], g["d"]) if g["m"] else (g["m2"], g["d2"])
        return _make_date(today.year, int(mo), int(d))
    return None


def _time_part(text: str) -> dt.time | None:
    """The time in `text` (seconds dropped: forms print minutes), None when it is no time spelling."""
    m = _TIME.fullmatch(text)
    if m is None:
        return None
    g = m.groupdict()
    if g["h"] is not None:
        hour, minute = int(g["h"]), int(g["mi"])
        second = int(g["s"]) if g["s"] else 0
        if second > 59:
            raise DateTextError("datetext.second", f"没有 {second} 秒（秒为 0—59）")
    elif g["h2"] is not None:
        hour, minute = int(g["h2"]), int(g["mi2"])
    else:
        hour = int(g["h3"])
        minute = 30 if g["half"] else int(g["mi3"] or 0)
    if hour > 23:
        raise DateTextError("datetext.hour", f"没有 {hour} 点（小时为 0—23）")
    if minute > 59:
        raise DateTextError("datetext.minute", f"没有 {minute} 分（分钟为 0—59）")
    return dt.time(hour, minute)


def parse_date_text(text: str, today: dt.date) -> dt.date | None:
    """A typed date; None for blank text. Raises DateTextError for anything else that is not a date.

    Month-day forms (12-18, 12月18日) are in the year of `today`; 今天/明天/昨天 count from `today`.
    """
    text = _normalise(text)
    if not text:
        return None
    day = _date_part(text, today)
    if day is None:
        raise _unreadable(text, with_time=False)
    return day


def parse_datetime_text(
    text: str, now: dt.datetime, *, default_time: dt.time | None = None
) -> dt.datetime | None:
    """A typed date and time (naive, local); None for blank text. Raises DateTextError otherwise.

    "2026-12-18 10:30", "20261218 1030", "2026-12-18T10:30", "12-18 9:05", "12月18日10时30分".
    A time alone ("14:30") is on the date of `now`; a date alone takes `default_time`, and is refused
    without one: a 检查开始时间 without its hour is not a time the officer chose.
    """
    text = _normalise(text)
    if not text:
        return None
    day = _date_part(text, now.date())
    if day is not None:
        if default_time is None:
            raise DateTextError("datetext.no_time", f"缺少时间，请写成 {day.isoformat()} 10:30 这样")
        return dt.datetime.combine(day, default_time)
    if (time := _time_part(text)) is not None:
        return dt.datetime.combine(now.date(), time)
    for left, right in _splits(text):
        day = _date_part(left, now.date())
        if day is not None and (time := _time_part(right)) is not None:
            return dt.datetime.combine(day, time)
    raise _unreadable(text, with_time=True)


def _splits(text: str) -> list[tuple[str, str]]:
    """Where the date may end and the time begin: at a space or T ("2026-12-18 10:30"), after 日/号
    ("12月18日10时"), or after 8 digits ("202612181030")."""
    cuts = [(m.start(), m.end()) for m in _DATE_TIME_SPLIT.finditer(text)]
    cuts += [(m.end(), m.end()) for m in re.finditer(r"[日号]", text)]
    if re.fullmatch(r"\d{12}", text):
        cuts.append((8, 8))
    return [(text[:a].strip(), text[b:].strip()) for a, b in reversed(cuts) if a > 0 and b < len(text)]


def format_date_text(value: dt.date) -> str:
    """How a date field shows its value (and the stored ISO form): 2026-12-18."""
    return value.isoformat()


def format_datetime_text(value: dt.datetime) -> str:
    """How a date-time field shows its value: 2026-12-18 10:30."""
    return f"{value:%Y-%m-%d %H:%M}"
