"""Load holiday data (resources/holidays/*.toml plus the office's own files) into a WorkCalendar."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from fieldkit import paths
from fieldkit.domain.workdays import HolidayYear, WorkCalendar
from fieldkit.errors import FieldkitError

log = logging.getLogger(__name__)

KEYS = ("year", "source", "holidays", "workdays", "names")
OFFICE_SUBDIR = "holidays"
_YEAR_STEM_RE = re.compile(r"^\d{4}$")
_TOML_POS_RE = re.compile(r"\(at line (\d+), column (\d+)\)")
_WEEKDAY_ZH = "一二三四五六日"


class HolidayDataError(FieldkitError):
    """A holiday file is unusable; the message names the file, the key and the reason."""

    def __init__(self, problem: str, *, file: str = "", key: str = "") -> None:
        self.file = file
        self.key = key
        self.problem = problem
        where = f"节假日文件 {file}：" if file else ""
        what = f"{key}：" if key else ""
        super().__init__(f"{where}{what}{problem}")


def shipped_dir() -> Path:
    """The holiday files that ship with the program (resources/holidays)."""
    return paths.bundle_dir() / "resources" / "holidays"


def office_dir(data_dir: Path) -> Path:
    """Where the office's own holiday files go: `<data dir>/holidays`."""
    return data_dir / OFFICE_SUBDIR


def load_calendar(extra_dir: Path | None = None, *, shipped: Path | None = None) -> WorkCalendar:
    """The calendar from the shipped files, with the files in `extra_dir` replacing shipped years.

    Args:
        extra_dir: the office's folder, normally `office_dir(paths.data_dir())`; None or a missing
            folder means shipped data only.
        shipped: override of the shipped folder (tests).

    Raises:
        HolidayDataError: any file is invalid (the first problem found, naming file and key).
    """
    years = _load_folder(shipped if shipped is not None else shipped_dir())
    if extra_dir is not None and extra_dir.is_dir():
        for year, hy in _load_folder(extra_dir).items():
            if year in years:
                log.info("office holiday file for %s replaces the shipped one", year)
            years[year] = hy
    return WorkCalendar(years)


def import_holiday_file(path: Path, data_dir: Path) -> int:
    """Validate `path` and copy it to `<data dir>/holidays/<year>.toml`; returns the year.

    The file may have any name; the `year` key decides where it goes. An earlier import of the same
    year is replaced. Nothing is written if the file is invalid.
    """
    hy = parse_holiday_file(path, check_name=False)
    target_dir = office_dir(data_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    data = path.read_bytes()
    fd, tmp = tempfile.mkstemp(dir=target_dir, prefix=".import-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target_dir / f"{hy.year}.toml")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    log.info("imported holiday data for %s from %s", hy.year, path)
    return hy.year


def parse_holiday_file(path: Path, *, check_name: bool = True) -> HolidayYear:
    """Read and validate one file; with `check_name`, its name must be `<year>.toml`."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise HolidayDataError(f"无法读取（{exc.strerror or exc}）", file=name) from exc
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise HolidayDataError("不是 UTF-8 编码的文本文件", file=name) from exc
    except tomllib.TOMLDecodeError as exc:
        raise HolidayDataError(f"不是有效的 TOML 格式（{_toml_position(exc)}）", file=name) from exc
    hy = parse_holiday_doc(doc, file=name)
    if check_name and path.stem != str(hy.year):
        raise HolidayDataError(f"文件名应为 {hy.year}.toml，与 year = {hy.year} 一致", file=name, key="year")
    return hy


def parse_holiday_doc(doc: dict[str, Any], *, file: str = "") -> HolidayYear:
    """Validate a parsed TOML document; `file` only names it in errors."""

    def fail(key: str, problem: str) -> HolidayDataError:
        return HolidayDataError(problem, file=file, key=key)

    for key in doc:
        if key not in KEYS:
            raise fail(key, f"未知的键（可用的键：{'、'.join(KEYS)}）")
    for key in ("year", "source", "holidays", "workdays"):
        if key not in doc:
            raise fail(key, "缺少此项")

    year = doc["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise fail("year", "应为四位年份数字，如 year = 2027")
    source = doc["source"]
    if not isinstance(source, str) or not source.strip():
        raise fail("source", "应写明依据的通知名称，如“国务院办公厅关于 2027 年部分节假日安排的通知”")

    holidays = _date_list(doc["holidays"], year, "holidays", fail)
    if not holidays:
        raise fail("holidays", "为空：每年至少有元旦等法定节假日，请按通知填写放假日期")
    workdays = _date_list(doc["workdays"], year, "workdays", fail)
    for d in sorted(workdays):
        if d.weekday() < 5:
            raise fail(
                "workdays",
                f"{d.isoformat()} 是星期{_WEEKDAY_ZH[d.weekday()]}，本来就是工作日，只应列出调休上班的周六、周日",
            )
    if both := sorted(holidays & workdays):
        raise fail("workdays", f"{both[0].isoformat()} 同时列在 holidays 和 workdays 中")

    names: dict[dt.date, str] = {}
    raw_names = doc.get("names", {})
    if not isinstance(raw_names, dict):
        raise fail("names", '应为“日期 = 节日名称”的表，如 [names] 下写 "2027-10-01" = "国庆节"')
    for key, value in raw_names.items():
        where = f"names.{key}"
        try:
            d = dt.date.fromisoformat(key)
        except ValueError:
            raise fail(where, "键应为 YYYY-MM-DD 格式的日期") from None
        if d not in holidays:
            raise fail(where, "该日期不在 holidays 中")
        if not isinstance(value, str) or not value.strip():
            raise fail(where, "应为节日名称文字，如“国庆节”")
        names[d] = value.strip()

    return HolidayYear(
        year=year,
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        source=source.strip(),
        names=names,
    )


def _date_list(value: object, year: int, key: str, fail: Any) -> set[dt.date]:
    if not isinstance(value, list):
        raise fail(key, "应为日期列表，如 [2027-01-01, 2027-01-02]（日期不加引号）")
    seen: set[dt.date] = set()
    for i, item in enumerate(value, start=1):
        if isinstance(item, str):
            try:
                item = dt.date.fromisoformat(item)
            except ValueError:
                raise fail(key, f"第 {i} 项“{item}”不是 YYYY-MM-DD 格式的日期") from None
        if isinstance(item, dt.datetime) or not isinstance(item, dt.date):
            raise fail(key, f"第 {i} 项应为日期（YYYY-MM-DD），实为“{item}”")
        if item.year != year:
            raise fail(key, f"第 {i} 项 {item.isoformat()} 不属于 {year} 年")
        if item in seen:
            raise fail(key, f"第 {i} 项 {item.isoformat()} 重复")
        seen.add(item)
    return seen


def _load_folder(folder: Path) -> dict[int, HolidayYear]:
    if not folder.is_dir():
        raise HolidayDataError("节假日数据目录不存在", file=str(folder))
    years: dict[int, HolidayYear] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name.startswith("."):
            continue
        if not _YEAR_STEM_RE.match(path.stem):
            raise HolidayDataError("文件名应为“年份.toml”，如 2027.toml", file=path.name)
        hy = parse_holiday_file(path)
        years[hy.year] = hy
    return years


def _toml_position(exc: tomllib.TOMLDecodeError) -> str:
    if "(at end of document)" in str(exc):
        return f"文件末尾：{str(exc).replace('(at end of document)', '').strip()}"
    if m := _TOML_POS_RE.search(str(exc)):
        return f"第 {m.group(1)} 行第 {m.group(2)} 列：{_TOML_POS_RE.sub('', str(exc)).strip()}"
    return str(exc)
