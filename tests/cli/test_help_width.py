"""`--help` lines up in terminal columns (a known defect): argparse measures with len(), so an option
with a Chinese value name (`--agency 机关全称`) pushed its help two columns right for every 汉字, and
Chinese help ran past the terminal width. Measured here with an oracle of its own (unicodedata)."""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldkit.cli import build_parser

COLUMNS = 100


def columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def parsers(
    parser: argparse.ArgumentParser, path: str = "fieldkit"
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from parsers(child, f"{path} {name}")


def helps(parser: argparse.ArgumentParser) -> Iterator[str]:
    """The help texts the parser lists: its arguments' and its sub-commands'."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from (a.help for a in action._choices_actions if a.help)
        elif action.help and action.help is not argparse.SUPPRESS:
            yield action.help


def help_columns(path: str, text: str, parser: argparse.ArgumentParser) -> dict[str, int]:
    """The column each help text starts at, in the argument sections of the help."""
    body = text[re.search(r"^(位置参数|选项)：$", text, re.M).start() :]  # type: ignore[union-attr]
    found: dict[str, int] = {}
    for help_text in helps(parser):
        start = " ".join(help_text.split())[:6]
        at = [
            columns(line[: m.start()])
            for line in body.splitlines()
            for m in re.finditer(re.escape(start), line)
            if line[: m.start()].endswith("  ")  # after the option, or on a line of its own
        ]
        if at:
            found[start] = at[0]
        else:
            raise AssertionError(f"{path}: help「{start}…」not found")
    return found


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(COLUMNS))


def test_every_help_starts_in_one_column(wide: None) -> None:
    misaligned = {}
    for path, parser in parsers(build_parser()):
        found = help_columns(path, parser.format_help(), parser)
        if len(set(found.values())) > 1:
            misaligned[path] = found
    assert misaligned == {}


def test_the_setup_help_that_showed_it(wide: None) -> None:
    text = dict(parsers(build_parser()))["fieldkit setup"].format_help()
    lines = {line.split()[0]: line for line in text.splitlines() if line.startswith("  -")}
    agency, short, yes = lines["--agency"], lines["--short"], lines["--yes"]
    assert columns(agency[: agency.index("执法机关全称")]) == columns(yes[: yes.index("再次设置")])
    assert columns(short[: short.index("文号中的")]) == columns(yes[: yes.index("再次设置")])


# A part of a usage line or an option with its choices cannot be broken; argparse gives it a line.
UNBREAKABLE = re.compile(r"\s*(\[[^\]]*\]|-\S+( \S+)?)")


def test_no_line_runs_past_the_terminal(wide: None) -> None:
    too_wide = [
        (path, line)
        for path, parser in parsers(build_parser())
        for text in (parser.format_help(), parser.format_usage())
        for line in text.splitlines()
        if columns(line) > COLUMNS - 2 and not UNBREAKABLE.fullmatch(line)
    ]
    assert too_wide == []


def test_usage_continues_under_the_first_argument(wide: None) -> None:
    usage = dict(parsers(build_parser()))["fieldkit setup"].format_usage().splitlines()
    assert len(usage) > 1
    first = usage[0].index("[-h]")
    assert all(columns(line) - columns(line.lstrip()) == columns(usage[0][:first]) for line in usage[1:])


def test_display_width_counts_wide_characters_twice() -> None:
    from fieldkit.cli.zh import display_width

    assert display_width("--json") == 6
    assert display_width("检查ID") == 6
    assert display_width("（默认：公民）") == 14
    assert display_width("2–6 位") == 6  # the en dash is narrow


def test_wrapping_keeps_words_and_punctuation_where_they_belong() -> None:
    from fieldkit.cli.zh import wrap_to_width

    text = "字段值 JSON 文件（字段键见 fieldkit forms show 表单），至少两名"
    for width in range(12, 40):
        lines = wrap_to_width(text, width)
        assert all(columns(line) <= width for line in lines)
        assert not any(line[0] in "，。、；：）」" for line in lines[1:]), lines
        assert not any(line[-1] in "（「" for line in lines), lines
        words = " ".join(lines).split()
        assert {"JSON", "fieldkit", "forms", "show"} <= {w.strip("（）") for w in words} | set(
            re.findall(r"[a-zA-Z]+", " ".join(lines))
        )
        assert "".join("".join(lines).split()) == "".join(text.split())


PIECES = st.sampled_from(
    ["执法", "检查", "证据", "，", "。", "（", "）", "「", "」", "JSON", "fieldkit", " ", "2–6", "ID"]
)


@given(st.lists(PIECES, max_size=60), st.integers(min_value=2, max_value=80))
def test_wrapped_lines_fit_and_lose_nothing(pieces: list[str], width: int) -> None:
    from fieldkit.cli.zh import wrap_to_width

    text = "".join(pieces)
    lines = wrap_to_width(text, width)
    assert all(columns(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())
