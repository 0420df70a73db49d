"""Pre-print check: every character of a document's values has a glyph in the body or a 生僻字 fallback font."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from fieldkit.domain import forms as F
from fieldkit.domain.problems import Problem, Severity
from fieldkit.printing.fonts import Fallback, FontSet, default_fonts


def _strings(value: object) -> Iterator[str]:
    """Every text inside a value (a table's rows, officers, question-and-answer pairs, picture captions)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _describe(ch: str) -> str:
    return f"“{ch}”（U+{ord(ch):04X}）"


def unprintable(
    formdef: F.FormDef, values: Mapping[str, object], fonts: FontSet | None = None
) -> list[Problem]:
    """One error per field holding characters no shipped font has: they would print as empty boxes.

    The fonts cover GBK and the CJK extension blocks A–F fully and G in part (resources/fonts/README.md);
    what is left are mostly private-use characters from a 造字程序 and very new ideographs.
    """
    fallback = Fallback((fonts or default_fonts()).regular)
    out = []
    for fd in formdef.fields:
        text = "".join(_strings(values.get(fd.key)))
        if not text or not fallback.foreign(text):  # almost always: the body font has every character
            continue
        missing = fallback.uncovered(set(text))
        if missing:
            shown = "、".join(_describe(ch) for ch in missing[:5]) + ("等" if len(missing) > 5 else "")
            out.append(
                Problem(
                    field=fd.key,
                    code="print.glyph_missing",
                    message=(
                        f"{fd.label}：字符{shown}无法打印——本机字体（含生僻字扩展区字体）没有这个字，"
                        "印出来会是空框。请核对输入：造字程序输入的私用区字符无法打印，请改用标准汉字"
                    ),
                    severity=Severity.ERROR,
                )
            )
    return out
