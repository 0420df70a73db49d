"""Load a TrueType font for reportlab faster: the character tables are read in bulk, not a number at a time.

(And subset it without copying the whole glyph table for every subset: see FastFace.get_table.)

reportlab's TTFontFile.extractInfo reads the cmap, hmtx and loca tables with one struct.unpack per value,
about 100 ms for each ~10 MB CJK font, on every start. `FastFace` lets reportlab read everything else
and then builds the same `charToGlyph`, `glyphToChar`, `charWidths`, `hmetrics`, `defaultWidth` and
`glyphPos` (same values, same order) from arrays. Only the cmap formats 4 and 12 are read this way; any
other format, or anything unexpected, is left to reportlab's own code. tests/printing/test_fonts_fast.py
compares every attribute with reportlab's result.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import types
from collections.abc import Iterator
from struct import unpack_from
from typing import Any

from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont, TTFontFace, TTFontFile


class _Unsupported(Exception):
    """A table this reader leaves to reportlab."""


class _GlyphTable:
    """The glyf table as makeSubset uses it (slices of bytes) without copying all of it for every subset."""

    __slots__ = ("_view",)

    def __init__(self, view: memoryview):
        self._view = view

    def __getitem__(self, key: Any) -> Any:
        item = self._view[key]
        return item.tobytes() if isinstance(key, slice) else item

    def __len__(self) -> int:
        return len(self._view)

    def __bytes__(self) -> bytes:
        return self._view.tobytes()


class FastFace(TTFontFace):  # type: ignore[misc]
    def get_table(self, tag: str) -> Any:
        # reportlab's makeSubset takes the whole glyf table (9 MB in a CJK font) to slice a few glyphs out
        if tag == "glyf":
            pos, length = self.get_table_pos(tag)
            return _GlyphTable(memoryview(self._ttf_data)[pos : pos + length])
        return super().get_table(tag)

    def extractInfo(self, charInfo: Any = 1) -> None:  # reportlab's names
        TTFontFile.extractInfo(self, 0)  # names, head, OS/2, post, hhea, maxp: all small
        if not charInfo:
            return
        try:
            self._char_info()
        except Exception:  # an unusual table (or a broken one): reportlab's code reads it, or says why not
            TTFontFile.extractInfo(self, charInfo)

    def _char_info(self) -> None:
        data: bytes = self._ttf_data
        head = self.table["head"]["offset"]
        index_to_loc_format, glyph_data_format = unpack_from(">HH", data, head + 50)
        if glyph_data_format != 0:
            raise TTFError(f"Unknown glyph data format ({glyph_data_format})")
        number_of_hmetrics = unpack_from(">H", data, self.table["hhea"]["offset"] + 34)[0]
        num_glyphs = self.numGlyphs
        char_to_glyph, glyph_to_char = self._cmap(data)
        # reportlab sets these three to None when asked for no character information; the attributes are
        # made again in reportlab's order
        del self.charToGlyph, self.defaultWidth, self.charWidths
        self.charToGlyph = char_to_glyph
        self.glyphToChar = glyph_to_char

        # hmtx
        scale = self._pdfScale
        pos = self.table["hmtx"]["offset"]
        full = unpack_from(f">{2 * number_of_hmetrics}H", data, pos)
        advances = full[0::2]
        hmetrics: list[tuple[Any, int]] = list(zip(advances, full[1::2], strict=True))
        aw = scale(advances[-1])
        if num_glyphs > number_of_hmetrics:
            rest = unpack_from(f">{num_glyphs - number_of_hmetrics}H", data, pos + 4 * number_of_hmetrics)
            hmetrics += [(aw, lsb) for lsb in rest]
        self.charWidths = char_widths = {}
        last = max(num_glyphs, number_of_hmetrics)  # reportlab's two loops cover glyphs below both
        for glyph in sorted(g for g in glyph_to_char if 0 <= g < last):
            w = scale(advances[glyph]) if glyph < number_of_hmetrics else aw
            for char in glyph_to_char[glyph]:
                char_widths[char] = w
        self.hmetrics = hmetrics
        self.defaultWidth = scale(advances[0])

        # loca
        if "loca" not in self.table:
            raise TTFError("missing location table")
        pos = self.table["loca"]["offset"]
        if index_to_loc_format == 0:
            self.glyphPos = [p << 1 for p in unpack_from(f">{num_glyphs + 1}H", data, pos)]
            self._pos = pos + 2 * (num_glyphs + 1)  # where reportlab's reading stops
        elif index_to_loc_format == 1:
            self.glyphPos = list(unpack_from(f">{num_glyphs + 1}L", data, pos))
            self._pos = pos + 4 * (num_glyphs + 1)
        else:
            raise TTFError(f"Unknown location table format ({index_to_loc_format})")
        if 0x20 in char_to_glyph:
            char_to_glyph[0xA0] = char_to_glyph[0x20]
            char_widths[0xA0] = char_widths[0x20]
        elif 0xA0 in char_to_glyph:
            char_to_glyph[0x20] = char_to_glyph[0xA0]
            char_widths[0x20] = char_widths[0xA0]

    def _cmap(self, data: bytes) -> tuple[dict[int, int], dict[int, list[int]]]:
        """The subtable reportlab would choose, mapped the way reportlab maps it."""
        cmap_offset = self.table["cmap"]["offset"]
        version, count = unpack_from(">HH", data, cmap_offset)
        if count == 0 and version != 0:
            count = version
        encoffs = None
        enc = 0
        for n in range(count):
            platform, encoding, offset = unpack_from(">HHL", data, cmap_offset + 4 + 8 * n)
            if platform == 3:
                enc, encoffs = 1, offset
            elif platform == 1 and encoding == 0 and enc != 1:
                enc, encoffs = 2, offset
            elif (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
                enc, encoffs = 1, offset
        if encoffs is None:
            raise _Unsupported
        encoffs += cmap_offset
        fmt = unpack_from(">H", data, encoffs)[0]
        chars: list[int] = []  # (chars[i], glyphs[i]) in reportlab's order
        glyphs: list[int] = []
        if fmt == 4:
            length = unpack_from(">H", data, encoffs + 2)[0]
            limit = encoffs + length
            seg_count = int(unpack_from(">H", data, encoffs + 6)[0] / 2.0)
            pos = encoffs + 14
            end_count = unpack_from(f">{seg_count}H", data, pos)
            pos += 2 * seg_count + 2
            start_count = unpack_from(f">{seg_count}H", data, pos)
            pos += 2 * seg_count
            id_delta = unpack_from(f">{seg_count}h", data, pos)
            pos += 2 * seg_count
            range_start = pos
            id_range_offset = unpack_from(f">{seg_count}H", data, pos)
            for n in range(seg_count):
                start, stop, delta, ro = start_count[n], end_count[n] + 1, id_delta[n], id_range_offset[n]
                if stop <= start:
                    continue
                chars += range(start, stop)
                if ro == 0:
                    glyphs += [(u + delta) & 0xFFFF for u in range(start, stop)]
                    continue
                base = range_start + 2 * n + ro
                inside = min(stop - start, max(0, (limit - base + 1) // 2))  # offsets below the limit
                glyphs += [(g + delta) & 0xFFFF if g else 0 for g in unpack_from(f">{inside}H", data, base)]
                glyphs += [0] * (stop - start - inside)  # reportlab's guard for broken fonts
        elif fmt == 12:
            seg_count = unpack_from(">L", data, encoffs + 12)[0]
            groups = unpack_from(f">{3 * seg_count}L", data, encoffs + 16)
            for n in range(seg_count):
                start, end, first = groups[3 * n : 3 * n + 3]
                chars += range(start, end + 1)
                glyphs += range(first, first + end + 1 - start)
        else:
            raise _Unsupported
        char_to_glyph = dict(zip(chars, glyphs, strict=True))  # later entries win, as in reportlab's loop
        glyph_to_char: dict[int, list[int]] = {}
        for unichar, glyph in zip(chars, glyphs, strict=True):
            chars_of = glyph_to_char.get(glyph)
            if chars_of is None:
                glyph_to_char[glyph] = [unichar]
            else:
                chars_of.append(unichar)
        return char_to_glyph, glyph_to_char


def _ttfont_init() -> Any:
    """TTFont.__init__ of the installed reportlab, making a FastFace where it makes a TTFontFace."""
    init = TTFont.__init__
    namespace = dict(ttfonts.__dict__, TTFontFace=FastFace)
    fn = types.FunctionType(init.__code__, namespace, init.__name__, init.__defaults__, init.__closure__)
    fn.__kwdefaults__ = init.__kwdefaults__
    return fn


@contextlib.contextmanager
def _without_collection() -> Iterator[None]:
    """Pause the cyclic GC while the tables are made: ~100,000 new objects set off a full collection of
    everything imported so far (~30 ms at start) that frees nothing. Only on the main thread and only
    when collection is on: the GUI turns automatic collection off and collects on its own thread."""
    pause = gc.isenabled() and threading.current_thread() is threading.main_thread()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause:
            gc.enable()


def make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's makeToUnicodeCMap, but with code points past U+FFFF as UTF-16 surrogate pairs, as the
    PDF reference asks: reportlab writes them as five hex digits, so copying or searching 𫖯 (Ext C) in a
    PDF viewer gave "⭚" and a stray character."""
    cmap = ttfonts.makeToUnicodeCMap(fontname, subset)
    if all(v <= 0xFFFF for v in subset):
        return cmap  # the same bytes as before: reprints of existing documents stay identical
    head, _, rest = cmap.partition(f"{len(subset)} beginbfchar\n")
    _, _, tail = rest.partition("endbfchar")
    pairs = [
        f"<{i:02X}> <{chr(v).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
        for i, v in enumerate(subset)
    ]
    return f"{head}{len(subset)} beginbfchar\n" + "\n".join(pairs) + "\nendbfchar" + tail


def _add_objects() -> Any:
    """TTFont.addObjects of the installed reportlab, writing its ToUnicode maps with make_to_unicode_cmap."""
    fn = TTFont.addObjects
    namespace = dict(ttfonts.__dict__, makeToUnicodeCMap=make_to_unicode_cmap)
    return types.FunctionType(fn.__code__, namespace, fn.__name__, fn.__defaults__, fn.__closure__)


class FKTTFont(TTFont):  # type: ignore[misc]
    addObjects = _add_objects()


def load_ttfont(name: str, filename: str, subfont_index: int = 0) -> TTFont:
    """`TTFont(name, filename, subfontIndex=subfont_index)`, loaded with FastFace."""
    font = FKTTFont.__new__(FKTTFont)
    with _without_collection():
        _ttfont_init()(font, name, filename, subfontIndex=subfont_index)
    return font
