"""Register the shipped serif CJK fonts (or the system 仿宋/宋体 the print options name) with reportlab once per process.

Rare characters (生僻字) the body font lacks are set, character by character, in the extension fonts
(`Fallback`): CJK Ext A–F from HanaMin, Ext G/H from BabelStone Han (resources/fonts/README.md).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError

from fieldkit import paths
from fieldkit.errors import FieldkitError
from fieldkit.printing.fontface import load_ttfont
from fieldkit.printing.options import FontChoice, PrintOptions

log = logging.getLogger(__name__)

REGULAR_FILE = "NotoSerifSC-Regular.ttf"
BOLD_FILE = "NotoSerifSC-Bold.ttf"
# Fallback fonts for the characters the body font lacks, tried in this order (tools/build_fonts.py): each holds
# only code points none before it has, so the order matters only for speed (the common blocks come first).
EXT_FILES = (
    ("FKHanExtA", "FieldKitHanExtA.ttf"),  # Ext A, compatibility ideographs, URO beyond GBK, radicals
    ("FKHanExtB", "FieldKitHanExtB.ttf"),  # Ext B–F
    ("FKHanExtG", "FieldKitHanExtG.ttf"),  # Ext G, H and what HanaMin lacks
)
# Invisible characters, left out of the printed text rather than printed as empty boxes: variation selectors
# (a glyph variant of the character before them; no shipped font has variants, the base character prints)
# and the format characters text pasted from web pages and chat apps carries (zero-width space, joiners,
# direction marks, word joiner, byte order mark, soft hyphen).
VARIATION_SELECTORS = re.compile(
    "[\ufe00-\ufe0f\U000e0100-\U000e01ef\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)


class FontError(FieldkitError):
    """The CJK font cannot be found or loaded; nothing can be printed without it."""


@dataclass(frozen=True)
class FontSet:
    regular: str  # reportlab font names
    bold: str


_lock = threading.Lock()
_registered: dict[tuple[Path, Path, int], FontSet] = {}


def _load(name: str, path: Path, subfont_index: int) -> None:
    try:
        font = load_ttfont(name, str(path), subfont_index)
    except (TTFError, OSError) as exc:
        # A CFF-outline .otf fails here ("postscript outlines are not supported"): reportlab needs glyf.
        raise FontError(f"无法载入字体 {path.name}：{exc}") from exc
    pdfmetrics.registerFont(font)


def register_fonts(
    regular: Path | None = None, bold: Path | None = None, *, subfont_index: int = 0
) -> FontSet:
    """Register regular and bold (default: the Noto Serif SC files in resources/fonts) and return their names.

    Loading a 10 MB TrueType font costs ~40 ms (fontface.py; reportlab's own reader ~100 ms), so it happens
    once per process per pair of files; later calls are a dictionary look-up. A configured system font
    (e.g. simsun.ttc) can be passed instead.
    """
    try:
        regular = (regular or paths.font_file(REGULAR_FILE)).resolve()
        bold = (bold or paths.font_file(BOLD_FILE)).resolve()
    except FileNotFoundError as exc:
        raise FontError(f"缺少中文字体文件：{exc}") from exc
    key = (regular, bold, subfont_index)
    with _lock:
        if key in _registered:
            return _registered[key]
        tag = hashlib.sha256(f"{regular}\0{bold}\0{subfont_index}".encode()).hexdigest()[:8]
        names = FontSet(regular=f"FKSerif-{tag}", bold=f"FKSerifBold-{tag}")
        _load(names.regular, regular, subfont_index)
        _load(names.bold, bold, subfont_index)
        # <b> in a Paragraph switches to the bold face; no italic face exists, so italic maps to the same
        addMapping(names.regular, 0, 0, names.regular)
        addMapping(names.regular, 1, 0, names.bold)
        addMapping(names.regular, 0, 1, names.regular)
        addMapping(names.regular, 1, 1, names.bold)
        _registered[key] = names
        log.info("registered fonts %s, %s", regular.name, bold.name)
        return names


_ext_loaded: list[tuple[str, dict[int, int]]] = []  # (reportlab name, cmap) of the fallbacks loaded so far


def _ext_font(index: int) -> tuple[str, dict[int, int]] | None:
    """The index-th fallback font, registered on first use (the three cost ~120 ms and 40 MB together, so
    a document without rare characters never loads them); None past the last or when its file is missing."""
    with _lock:
        while len(_ext_loaded) <= index < len(EXT_FILES):
            name, file = EXT_FILES[len(_ext_loaded)]
            try:
                path = paths.font_file(file)
                _load(name, path, 0)
            except (FileNotFoundError, FontError) as exc:
                # printing goes on; the characters it would have covered are refused before printing
                log.error("rare-character font %s cannot be loaded: %s", file, exc)
                _ext_loaded.append((name, {}))
                continue
            for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):
                addMapping(name, bold, italic, name)  # no bold face: <b> around a rare character keeps it
            _ext_loaded.append((name, pdfmetrics.getFont(name).face.charToGlyph))
        return _ext_loaded[index] if index < len(_ext_loaded) else None


def _needs_glyph(ch: str) -> bool:
    return bool(ch.strip()) and not VARIATION_SELECTORS.match(ch)


class Fallback:
    """Which font sets each character: the body font when it has the glyph, else the first extension font
    that has it, else none (the character would print as an empty box; pre-print checks refuse it)."""

    def __init__(self, body_font: str):
        self.body_font = body_font
        self._body = pdfmetrics.getFont(body_font).face.charToGlyph
        self._chosen: dict[str, str | None] = {}

    def font_for(self, ch: str) -> str | None:
        """The font for `ch`; `body_font` for what needs no glyph (spaces, line breaks)."""
        if ord(ch) in self._body or not _needs_glyph(ch):
            return self.body_font
        if ch not in self._chosen:
            found = None
            index = 0
            while (ext := _ext_font(index)) is not None:
                if ord(ch) in ext[1]:
                    found = ext[0]
                    break
                index += 1
            self._chosen[ch] = found
        return self._chosen[ch]

    def foreign(self, text: str) -> set[str]:
        """The characters of `text` the body font does not set (set() for almost every text, fast)."""
        body = self._body
        return {ch for ch in set(text) if ord(ch) not in body and _needs_glyph(ch)}

    def uncovered(self, chars: Iterable[str]) -> list[str]:
        """The characters no font has, in code point order."""
        return sorted({ch for ch in chars if _needs_glyph(ch) and self.font_for(ch) is None})

    def runs(self, text: str) -> list[tuple[str, str | None]]:
        """`text` cut into (piece, font) runs; variation selectors are dropped. Font None: nothing has it."""
        text = VARIATION_SELECTORS.sub("", text)
        foreign = self.foreign(text)
        if not foreign:
            return [(text, self.body_font)] if text else []
        out: list[tuple[str, str | None]] = []

        def add(piece: str, font: str | None) -> None:
            if out and out[-1][1] == font:
                out[-1] = (out[-1][0] + piece, font)
            elif piece:
                out.append((piece, font))

        pos = 0
        pattern = "[" + "".join(re.escape(ch) for ch in sorted(foreign)) + "]+"
        for match in re.finditer(pattern, text):
            add(text[pos : match.start()], self.body_font)
            for ch in match.group():
                add(ch, self.font_for(ch))
            pos = match.end()
        add(text[pos:], self.body_font)
        return out


def fonts_for(options: PrintOptions) -> FontSet:
    """The fonts documents print with under `options`: the first usable system 仿宋/宋体 when chosen, else
    the bundled serif.

    Headings keep the bundled bold face (SimFang and SimSun have no bold). The same options always give the
    same fonts, so a reprint stays byte-identical on the same laptop; registration is cached per font file
    (register_fonts), so different options never share a face by mistake.
    """
    if options.font == FontChoice.SYSTEM:
        for candidate in options.system_fonts:
            if not candidate.path.is_file():
                continue
            try:
                return register_fonts(candidate.path, None, subfont_index=candidate.subfont_index)
            except FontError as exc:  # e.g. an OpenType/CFF file: reportlab needs TrueType outlines
                log.warning("system font %s is not usable (%s); trying the next", candidate.path, exc)
        log.warning(
            'printing font is set to "system" but no usable %s was found; using the bundled font',
            "、".join(str(c.path) for c in options.system_fonts)
            or "system font (only Windows fonts are looked for)",
        )
    return register_fonts()
