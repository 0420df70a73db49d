"""Holiday data (resources/holidays/*.toml plus the office's own files) read into a WorkCalendar."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from fieldkit import paths
from fieldkit.catalog.cache import SHARED, Cache, stamp, toml_files
from fieldkit.catalog.errors import HOLIDAY_FILE, CatalogError
from fieldkit.catalog.reader import display, read_toml
from fieldkit.domain.workdays import HolidayYear, WorkCalendar

log = logging.getLogger(__name__)

KEYS = ("year", "source", "holidays", "workdays", "names")
OFFICE_SUBDIR = "holidays"
_YEAR_STEM_RE = re.compile(r"^\d{4}$")
_WEEKDAY_ZH = "一二三四五六日"


def _error(problem: str, *, file: str = "", key: str = "") -> CatalogError:
    return CatalogError(file, key, problem, what=HOLIDAY_FILE)


def holidays_dir() -> Path:
    """The holiday files that ship with the program (resources/holidays)."""
    return paths.bundle_dir() / "resources" / "holidays"


def office_holidays_dir(data_dir: Path) -> Path:
    """Where the office's own holiday files go: `<data dir>/holidays`."""
    return data_dir / OFFICE_SUBDIR


def load_calendar(
    extra_dir: Path | None = None, *, shipped: Path | None = None, cache: Cache = SHARED
) -> WorkCalendar:
    """The calendar from the shipped files, with the files in `extra_dir` replacing shipped years.

    Cached per (shipped, office) folder pair until a file in either changes.

    Args:
        extra_dir: the office's folder, normally `office_holidays_dir(ctx.data_dir)`; None or a
            missing folder means shipped data only.
        shipped: override of the shipped folder (tests).
        cache: the cache to use (tests give their own).

    Raises:
        CatalogError: any file is invalid (the first problem found, naming file and key).
    """
    shipped = (shipped if shipped is not None else holidays_dir()).resolve()
    extra = extra_dir.resolve() if extra_dir is not None else None
    folders = (shipped,) if extra is None else (shipped, extra)
    # the folders themselves are stamped too: an office folder appearing or going changes the result
    files = [*folders, *(f for folder in folders for f in toml_files(folder))]
    return cache.get("holidays", folders, stamp(files), lambda: _read_calendar(shipped, extra))


def _read_calendar(shipped: Path, extra: Path | None) -> WorkCalendar:
    years = _load_folder(shipped)
    if extra is not None and extra.is_dir():
        for year, hy in _load_folder(extra).items():
            if year in years:
                log.info("office holiday file for %s replaces the shipped one", year)
            years[year] = hy
    return WorkCalendar(years)


def import_holiday_file(path: Path, data_dir: Path, *, cache: Cache = SHARED) -> int:
    """Validate `path` and copy it to `<data dir>/holidays/<year>.toml`; returns the year.

    The file may have any name; the `year` key decides where it goes. An earlier import of the same
    year is replaced. Nothing is written if the file is invalid.
    """
    hy = parse_holiday_file(path, check_name=False)
    target_dir = office_holidays_dir(data_dir)
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
    cache.invalidate(target_dir)  # a replaced file may keep its size and, on coarse clocks, its time
    log.info("imported holiday data for %s from %s", hy.year, path)
    return hy.year


def parse_holiday_file(path: Path, *, check_name: bool = True) -> HolidayYear:
    """Read and validate one file; with `check_name`, its name must be `<year>.toml`."""
    file = display(path)
    doc, _ = read_toml(path, what=HOLIDAY_FILE, file=file)
    hy = parse_holiday_doc(doc, file=file)
    if check_name and path.stem != str(hy.year):
        raise _error(f"文件名应为 {hy.year}.toml，与 year = {hy.year} 一致", file=file, key="year")
    return hy


def parse_holiday_doc(doc: dict[str, Any], *, file: str = "") -> HolidayYear:
    """Validate a parsed TOML document; `file` only names it in errors."""

    def fail(key: str, problem: str) -> CatalogError:
        return _error(problem, file=file, key=key)

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
        raise _error("节假日数据目录不存在", file=display(folder, folder=True))
    years: dict[int, HolidayYear] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name.startswith("."):
            continue
        if not _YEAR_STEM_RE.match(path.stem):
            raise _error("文件名应为“年份.toml”，如 2027.toml", file=display(path))
        hy = parse_holiday_file(path)
        years[hy.year] = hy
    return years
