"""Write resources/holidays/<year>.toml from the chinese_calendar package (maintainers only)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import defaultdict
from pathlib import Path

import chinese_calendar
from chinese_calendar.constants import holidays as CC_HOLIDAYS
from chinese_calendar.constants import workdays as CC_WORKDAYS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "resources" / "holidays"
DEFAULT_YEARS = range(2020, 2027)

# chinese_calendar names holidays in English; the files carry the Chinese names officers see.
NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
# Years whose schedule was changed by a later notice as well as the usual one.
EXTRA_SOURCES = {2020: "国务院办公厅关于延长 2020 年春节假期的通知"}


def source_for(year: int) -> str:
    source = f"国务院办公厅关于 {year} 年部分节假日安排的通知"
    if extra := EXTRA_SOURCES.get(year):
        source += f"；{extra}"
    return source


def render_year(year: int) -> str:
    days_off = sorted(d for d in CC_HOLIDAYS if d.year == year)
    days_on = sorted(d for d in CC_WORKDAYS if d.year == year)
    if not days_off:
        raise SystemExit(f"chinese_calendar {chinese_calendar.__version__} has no data for {year}")
    by_name: dict[str, list[dt.date]] = defaultdict(list)
    names: dict[dt.date, str] = {}
    for d in days_off:
        name = NAMES_ZH.get(str(CC_HOLIDAYS[d]), str(CC_HOLIDAYS[d]))
        by_name[name].append(d)
        names[d] = name

    lines = [
        f"# {year} 年节假日与调休安排。由 tools/build_holidays.py 根据 chinese_calendar "
        f"{chinese_calendar.__version__} 生成；",
        "# 以国务院办公厅通知原文为准，格式与每年更新办法见 docs/holidays.md。",
        f"year = {year}",
        f'source = "{source_for(year)}"',
        "",
        "# 放假日期（含放假期间的周六、周日）",
        "holidays = [",
    ]
    for name, dates in by_name.items():
        lines.append("    " + ", ".join(d.isoformat() for d in dates) + f",  # {name}")
    lines += ["]", "", "# 调休上班的周六、周日", "workdays = ["]
    for d in days_on:
        lines.append(f"    {d.isoformat()},  # {'一二三四五六日'[d.weekday()]}")
    lines += ["]", "", "# 每个放假日所属的节日（可省略）", "[names]"]
    lines += [f'"{d.isoformat()}" = "{name}"' for d, name in names.items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("years", nargs="*", type=int, default=list(DEFAULT_YEARS))
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for year in args.years:
        path = args.out / f"{year}.toml"
        path.write_text(render_year(year), encoding="utf-8", newline="\n")
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
