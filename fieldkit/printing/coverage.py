"""Pre-print check: every character of a document's values has a glyph in the body or a 生僻字 fallback font."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from fieldkit.domain import forms as F
from fieldkit.domain.problems import Problem, Severity
from fieldkit.printing.fonts import Fallback, fonts_for
from fieldkit.printing.options import PrintOptions


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


def unprintable(formdef: F.FormDef, values: Mapping[str, object], *, options: PrintOptions) -> list[Problem]:
    """One error per field holding characters no shipped font has: they would print as empty boxes.

    The fonts cover GBK and the CJK extension blocks A–F fully and G in part (resources/fonts/README.md);
    what is left are mostly private-use characters from a 造字程序 and very new ideographs. The body font is
    the one `options` print with (a system 仿宋 may lack what the bundled face has).
    """
    fallback = Fallback(fonts_for(options).regular)
    out = []
    for fd in formdef.fields:
        text = "".join(_strings(values.get(fd.key)))
        if not text or not fallback.foreign(text):  # almost always: the body font has every character
            continue
        missing = fallback.uncovered(set(text))
        if missing:
            out.append(unprintable_text(fd.key, fd.label, missing))
    return out


def uncovered(text: str, *, options: PrintOptions) -> list[str]:
    """The characters of `text` no font printing with `options` has (free text printed outside a form's fields)."""
    fallback = Fallback(fonts_for(options).regular)
    return fallback.uncovered(set(text)) if text and fallback.foreign(text) else []


def unprintable_text(key: str, label: str, missing: Sequence[str]) -> Problem:
    """The error for characters of one field (or other printed text) that no font has."""
    shown = "、".join(_describe(ch) for ch in missing[:5]) + ("等" if len(missing) > 5 else "")
    return Problem(
        field=key,
        code="print.glyph_missing",
        message=(
            f"{label}：字符{shown}无法打印——本机字体（含生僻字扩展区字体）没有这个字，"
            "印出来会是空框。请改用其他写法；用造字程序造的字（私用区字符）请改用标准汉字"
        ),
        severity=Severity.ERROR,
    )
