"""Chinese line breaking for reportlab paragraphs: 避头尾 by moving characters down, never into the margin."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from reportlab.lib.rl_accel import sameFrag
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus.paragraph import Paragraph, ParaLines, makeCJKParaLine
from reportlab.rl_config import _FUZZ

# Marks that may not begin a line (GB/T 15834 punctuation usage; reportlab's own list knows only the Japanese
# subset, so lines began with "，"), and marks that may not end one.
CANNOT_START = set("，。、；：！？）》〉」』】〕］｝”’…—％‰℃!),.:;?]}%")
CANNOT_END = set("（《〈「『【〔［｛“‘([{¥￥$")
_MAX_PUSH = 3  # characters moved to the next line at most to satisfy the rule
# `<onDraw name="fk_glue"/>` between two characters forbids a line break there (used for choice options,
# so that "□查封" is never printed as "□查" + "封"); the canvas callback of that name does nothing.
GLUE_CB = "fk_glue"
_MAX_GLUED = 48  # units: a glued character and its glue marker are two (an 执法证号 of 24 characters)


def _is_cjk(ch: str) -> bool:
    return bool(ch) and ord(ch[0]) >= 0x2E80


def _is_space(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch[0]) == "Zs"


def _zero_width_callback(frag: Any) -> bool:
    cb = getattr(frag, "cbDefn", None)
    return cb is not None and not getattr(cb, "width", 0)


def _is_glue(frag: Any) -> bool:
    cb = getattr(frag, "cbDefn", None)
    return cb is not None and getattr(cb, "name", None) == GLUE_CB


def _normalized(w: Any, max_width: float) -> float:
    if hasattr(w, "normalizedValue"):  # percentages of an inline image, as reportlab does
        w._normalizer = max_width
        w = w.normalizedValue(max_width)
    return float(w)


class _Widths(dict):  # type: ignore[type-arg]
    """Advance widths of single characters in one font at one size, as pdfmetrics.stringWidth gives them."""

    def __init__(self, font: Any, font_name: str, size: float):
        super().__init__()
        self.font, self.font_name, self.size = font, font_name, size

    def __missing__(self, ch: str) -> float:
        w = self[ch] = stringWidth(ch, self.font_name, self.size)
        return w


_widths: dict[tuple[str, float], _Widths] = {}


def _width_table(font_name: str, size: float) -> _Widths:
    font = getFont(font_name)
    table = _widths.get((font_name, size))
    if table is None or table.font is not font:  # a name registered again gets a fresh table
        table = _widths[(font_name, size)] = _Widths(font, font_name, size)
    return table


class _Run(str):
    """Consecutive characters of one fragment: what makeCJKParaLine would join into one word anyway."""

    frag: Any


class _Units:
    """The characters of a paragraph with the fragment and width of each (reportlab makes a cjkU apiece)."""

    def __init__(self, frags: Sequence[Any]):
        self.chars: list[str] = []
        self.frags: list[Any] = []
        self.widths: list[Any] = []
        self.breaks: list[bool] = []
        # runs of units that makeCJKParaLine would put into one word: (first unit, frag, one word per unit)
        self.run_starts: list[int] = []
        self.run_frags: list[Any] = []
        self.run_single: list[bool] = []
        for f in frags:
            text = f.text if isinstance(f.text, str) else f.text.decode("utf8")
            chars = list(text) if text else [text]
            n = len(chars)
            self.run_starts.append(len(self.chars))
            self.run_frags.append(f)
            self.run_single.append(not sameFrag(f, f))  # callbacks and line breaks: a word each
            self.chars += chars
            self.frags += [f] * n
            self.breaks += [hasattr(f, "lineBreak")] * n
            if hasattr(f, "cbDefn"):
                self.widths += [getattr(f.cbDefn, "width", 0)] * n
            else:
                table = _width_table(f.fontName, f.fontSize)
                self.widths += map(table.__getitem__, chars)

    def __len__(self) -> int:
        return len(self.chars)

    def runs(self, start: int, stop: int) -> list[_Run]:
        """units[start:stop] as runs of one fragment each, for makeCJKParaLine."""
        out: list[_Run] = []
        starts = self.run_starts
        k = bisect_right(starts, start) - 1
        pos = start
        while pos < stop:
            end = min(starts[k + 1] if k + 1 < len(starts) else len(self.chars), stop)
            frag = self.run_frags[k]
            if self.run_single[k]:
                for j in range(pos, end):
                    r = _Run(self.chars[j])
                    r.frag = frag
                    out.append(r)
            elif end > pos:
                r = _Run("".join(self.chars[pos:end]))
                r.frag = frag
                out.append(r)
            pos = end
            k += 1
        return out


def _break_point(units: _Units, start: int, brk: int) -> int:
    """Move a break at `brk` (before units[brk]) so that no rule is broken; start < brk always holds."""
    chars = units.chars
    # a Latin word or a number is not cut when there is a space or a Chinese character to break at
    if not _is_cjk(chars[brk]) and not _is_space(chars[brk]) and not _is_cjk(chars[brk - 1]):
        for j in range(brk - 1, max(start, (start + brk) // 2), -1):
            if _is_space(chars[j - 1]) or _is_cjk(chars[j - 1]) or _is_cjk(chars[j]):
                brk = j
                break
    # glued runs (a choice option with its box and tick) move to the next line whole
    unglued = _before_glued_run(units, start, brk)
    if unglued is not None:
        return _past_trailing(units, unglued)
    # 避头尾: pull the break back over closing marks at the start and opening marks at the end
    moved = brk
    for _ in range(_MAX_PUSH):
        if moved - 1 <= start:
            break
        if chars[moved] in CANNOT_START or chars[moved - 1] in CANNOT_END:
            moved -= 1
        else:
            brk = moved
            break
    # that may have pulled it into a glued run: "（执法证号：14110201001）" must not leave "1）" behind
    unglued = _before_glued_run(units, start, brk)
    return _past_trailing(units, brk if unglued is None else unglued)


def _before_glued_run(units: _Units, start: int, brk: int) -> int | None:
    """The start of the glued run a break at `brk` would cut; None when it cuts none, or when the run
    began the line (then it is cut where it must be)."""
    frags = units.frags

    def glued(i: int) -> bool:
        return _is_glue(frags[i]) or _is_glue(frags[i - 1])

    if not glued(brk):
        return None
    moved = brk
    while (
        moved - 1 > start
        and brk - moved < _MAX_GLUED
        and (glued(moved) or _zero_width_callback(frags[moved]))
    ):
        moved -= 1
    if glued(moved) or _zero_width_callback(frags[moved]):
        return None
    return moved


def _plain_space(ch: str, frag: Any) -> bool:
    """A space that only separates (not part of an underlined blank to write on)."""
    return _is_space(ch) and not getattr(frag, "us_lines", None) and not getattr(frag, "underline", False)


def _past_trailing(units: _Units, brk: int) -> int:
    """Move the break over what belongs at the end of the line: separating spaces, which would otherwise
    indent the next line, and a zero-width callback (the tick drawn into the box just before it)."""
    chars, frags = units.chars, units.frags
    while brk < len(chars) and (
        _plain_space(chars[brk], frags[brk])
        or (_zero_width_callback(frags[brk]) and not _is_glue(frags[brk]))
    ):
        brk += 1
    return brk


def cjk_frag_split(frags: Sequence[Any], max_widths: Sequence[float], calc_bounds: bool) -> ParaLines:
    """Like reportlab's cjkFragSplit, but with Chinese 避头尾 rules and no hanging past the right edge."""
    units = _Units(frags)
    chars, ufrags, widths, breaks = units.chars, units.frags, units.widths, units.breaks
    n = len(chars)
    lines: list[Any] = []
    start = i = 0
    used = 0.0
    max_width = max_widths[0]

    def emit(stop: int, line_break: bool) -> None:
        nonlocal start, used, max_width
        end = stop
        while end > start and _plain_space(chars[end - 1], ufrags[end - 1]):
            end -= 1  # trailing spaces take no room, as in Latin text
        width = sum(w if w.__class__ is float else _normalized(w, max_width) for w in widths[start:end])
        lines.append(
            makeCJKParaLine(
                units.runs(start, stop), max_width, width, max_width - width, line_break, calc_bounds
            )
        )
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        start = stop
        used = 0.0

    limit = max_width + _FUZZ
    while i < n:
        if breaks[i]:
            i += 1
            emit(i, True)
            limit = max_width + _FUZZ
            continue
        w = widths[i]
        if w.__class__ is not float:
            w = _normalized(w, max_width)
        if used + w > limit and i > start and w > 0:
            i = _break_point(units, start, i)
            emit(i, False)
            limit = max_width + _FUZZ
            continue
        used += w
        i += 1
    if i > start:
        emit(n, False)
    return ParaLines(kind=1, lines=lines)


def _split_lines(bl_para: Any, start: int, stop: int) -> list[Any]:
    """The words of lines[start:stop]. A long paragraph is split once per page, each time giving its rest
    all remaining words: the words of all lines are flattened once (shared with the rest's lines, see
    CJKParagraph.split) and every split takes a slice of that list."""
    flat = getattr(bl_para, "_fk_flat", None)
    if flat is None:
        words: list[Any] = []
        offsets = [0]
        for line in bl_para.lines:
            words += line.words
            offsets.append(len(words))
        flat = bl_para._fk_flat = (words, offsets, 0)
    words, offsets, base = flat
    return words[offsets[base + start] : offsets[base + stop]]


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
        calc_bounds = auto_leading not in ("", "off")
        # tables, KeepTogether and splitting wrap the same paragraph at the same width several times; the
        # lines only depend on the fragments and the widths, and nothing changes them once made
        key = (tuple(maxWidths), calc_bounds)
        memo = self.__dict__.get("_fk_lines")
        if memo is not None and memo[0] == key and memo[1] is self.frags:
            return memo[2]
        lines = cjk_frag_split(self.frags, maxWidths, calc_bounds)
        for line in lines.lines:  # no negative word spacing (see the class docstring), once per line
            line.extraSpace = max(line.extraSpace, 0)
        self._fk_lines = (key, self.frags, lines)
        return lines

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)
        # The rest of a split paragraph would break all its lines again on the next page, and the rest of
        # that again on the page after: a 600-page record cost time quadratic in its length. Its lines are
        # the lines this paragraph already made after the split point: a line starts where the one before
        # ended and its breaks depend only on that start and the width, and every line but the first was
        # made at the full width, which is what the rest (no first-line indent) is wrapped at. So the rest
        # gets those lines, keyed like breakLinesCJK's memo: wrapped at another width, it breaks anew.
        bl = getattr(self, "blPara", None)
        widths = getattr(self, "_wrapWidths", None)
        if len(parts) == 2 and widths and getattr(bl, "kind", 0) == 1:
            first, rest = parts
            if isinstance(rest, CJKParagraph) and rest.style.leftIndent == self.style.leftIndent:
                done = len(first.blPara.lines)
                later = widths[1]
                style = rest.style
                # the widths rest.wrap(availWidth) will ask for (Paragraph.wrap)
                rest_later = availWidth - style.leftIndent - style.rightIndent
                rest_first = rest_later - style.firstLineIndent
                if abs(rest_first - later) < 1e-9 and abs(rest_later - later) < 1e-9:
                    auto_leading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
                    key = ((rest_first, rest_later), auto_leading not in ("", "off"))
                    rest_lines = ParaLines(kind=1, lines=bl.lines[done:])
                    flat = getattr(bl, "_fk_flat", None)  # made by _split_lines just now
                    if flat is not None:
                        words, offsets, base = flat
                        rest_lines._fk_flat = (words, offsets, base + done)
                    rest._fk_lines = (key, rest.frags, rest_lines)
        return parts

    def _get_split_blParaFunc(self) -> Any:
        # reportlab joins the lines of a split paragraph with a space, right for Latin text but wrong here:
        # the piece on the next page would start with a blank and extraction would show spaces in words
        if getattr(self.blPara, "kind", 0) == 1:
            return _split_lines
        return super()._get_split_blParaFunc()
