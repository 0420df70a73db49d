"""Chinese line breaking for reportlab paragraphs: 避头尾 by moving characters down, never into the margin."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from reportlab.platypus.paragraph import Paragraph, ParaLines, cjkU, makeCJKParaLine
from reportlab.rl_config import _FUZZ

# Marks that may not begin a line (GB/T 15834 punctuation usage; reportlab's own list knows only the Japanese
# subset, so lines began with "，"), and marks that may not end one.
CANNOT_START = set("，。、；：！？）》〉」』】〕］｝”’…—％‰℃!),.:;?]}%")
CANNOT_END = set("（《〈「『【〔［｛“‘([{¥￥$")
_MAX_PUSH = 3  # characters moved to the next line at most to satisfy the rule
# `<onDraw name="fk_glue"/>` between two characters forbids a line break there (used for choice options,
# so that "□查封" is never printed as "□查" + "封"); the canvas callback of that name does nothing.
GLUE_CB = "fk_glue"
_MAX_GLUED = 24


def _is_cjk(ch: str) -> bool:
    return bool(ch) and ord(ch[0]) >= 0x2E80


def _is_space(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch[0]) == "Zs"


def _zero_width_callback(u: Any) -> bool:
    cb = getattr(u.frag, "cbDefn", None)
    return cb is not None and not getattr(cb, "width", 0)


def _is_glue(u: Any) -> bool:
    cb = getattr(u.frag, "cbDefn", None)
    return cb is not None and getattr(cb, "name", None) == GLUE_CB


def _width(u: Any, max_width: float) -> float:
    w = u.width
    if hasattr(w, "normalizedValue"):  # percentages of an inline image, as reportlab does
        w._normalizer = max_width
        w = w.normalizedValue(max_width)
    return float(w)


def _break_point(units: Sequence[Any], start: int, brk: int) -> int:
    """Move a break at `brk` (before units[brk]) so that no rule is broken; start < brk always holds."""
    # a Latin word or a number is not cut when there is a space or a Chinese character to break at
    if not _is_cjk(units[brk]) and not _is_space(units[brk]) and not _is_cjk(units[brk - 1]):
        for j in range(brk - 1, max(start, (start + brk) // 2), -1):
            if _is_space(units[j - 1]) or _is_cjk(units[j - 1]) or _is_cjk(units[j]):
                brk = j
                break
    # glued runs (a choice option with its box and tick) move to the next line whole
    if _is_glue(units[brk]) or _is_glue(units[brk - 1]):
        moved = brk
        while (
            moved - 1 > start
            and brk - moved < _MAX_GLUED
            and (_is_glue(units[moved]) or _is_glue(units[moved - 1]) or _zero_width_callback(units[moved]))
        ):
            moved -= 1
        if not (_is_glue(units[moved]) or _is_glue(units[moved - 1]) or _zero_width_callback(units[moved])):
            return _past_trailing(units, moved)
    # 避头尾: pull the break back over closing marks at the start and opening marks at the end
    moved = brk
    for _ in range(_MAX_PUSH):
        if moved - 1 <= start:
            break
        if str(units[moved]) in CANNOT_START or str(units[moved - 1]) in CANNOT_END:
            moved -= 1
        else:
            brk = moved
            break
    return _past_trailing(units, brk)


def _plain_space(u: Any) -> bool:
    """A space that only separates (not part of an underlined blank to write on)."""
    return _is_space(u) and not getattr(u.frag, "us_lines", None) and not getattr(u.frag, "underline", False)


def _past_trailing(units: Sequence[Any], brk: int) -> int:
    """Move the break over what belongs at the end of the line: separating spaces, which would otherwise
    indent the next line, and a zero-width callback (the tick drawn into the box just before it)."""
    while brk < len(units) and (
        _plain_space(units[brk]) or (_zero_width_callback(units[brk]) and not _is_glue(units[brk]))
    ):
        brk += 1
    return brk


def cjk_frag_split(frags: Sequence[Any], max_widths: Sequence[float], calc_bounds: bool) -> ParaLines:
    """Like reportlab's cjkFragSplit, but with Chinese 避头尾 rules and no hanging past the right edge."""
    units: list[Any] = []
    for f in frags:
        text = f.text if isinstance(f.text, str) else f.text.decode("utf8")
        if text:
            units.extend(cjkU(t, f, "utf8") for t in text)
        else:
            units.append(cjkU(text, f, "utf8"))
    lines: list[Any] = []
    start = i = 0
    used = 0.0
    max_width = max_widths[0]

    def emit(stop: int, line_break: bool) -> None:
        nonlocal start, used, max_width
        end = stop
        while end > start and _plain_space(units[end - 1]):
            end -= 1  # trailing spaces take no room, as in Latin text
        width = sum(_width(u, max_width) for u in units[start:end])
        lines.append(
            makeCJKParaLine(units[start:stop], max_width, width, max_width - width, line_break, calc_bounds)
        )
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        start = stop
        used = 0.0

    while i < len(units):
        u = units[i]
        if hasattr(u.frag, "lineBreak"):
            i += 1
            emit(i, True)
            continue
        w = _width(u, max_width)
        if used + w > max_width + _FUZZ and i > start and w > 0:
            i = _break_point(units, start, i)
            emit(i, False)
            continue
        used += w
        i += 1
    if i > start:
        emit(len(units), False)
    return ParaLines(kind=1, lines=lines)


def _split_lines(bl_para: Any, start: int, stop: int) -> list[Any]:
    return [w for line in bl_para.lines[start:stop] for w in line.words]


class CJKParagraph(Paragraph):
    """A Paragraph that breaks Chinese lines with `cjk_frag_split` (style.wordWrap must be "CJK").

    It also keeps every line within the frame, so reportlab never squeezes a line with negative word
    spacing, which would move glyphs away from the positions `<onDraw>` callbacks are given.
    """

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        self.height = 0
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        style = self.style
        if not self.frags:
            return ParaLines(
                kind=0,
                fontSize=style.fontSize,
                fontName=style.fontName,
                textColor=style.textColor,
                lines=[],
                ascent=style.fontSize,
                descent=-0.2 * style.fontSize,
            )
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        return cjk_frag_split(self.frags, maxWidths, auto_leading not in ("", "off"))

    def _get_split_blParaFunc(self) -> Any:
        # reportlab joins the lines of a split paragraph with a space, right for Latin text but wrong here:
        # the piece on the next page would start with a blank and extraction would show spaces in words
        if getattr(self.blPara, "kind", 0) == 1:
            return _split_lines
        return super()._get_split_blParaFunc()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        size = super().wrap(availWidth, availHeight)
        bl = getattr(self, "blPara", None)
        if bl is not None and getattr(bl, "kind", 0) == 1:
            for line in bl.lines:
                line.extraSpace = max(line.extraSpace, 0)
        return size
