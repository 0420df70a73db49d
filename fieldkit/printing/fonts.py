"""Register the shipped serif CJK fonts (or the configured system 仿宋/宋体) with reportlab once per process."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError

from fieldkit import paths
from fieldkit.errors import FieldkitError
from fieldkit.printing.fontface import load_ttfont

log = logging.getLogger(__name__)

REGULAR_FILE = "NotoSerifSC-Regular.ttf"
BOLD_FILE = "NotoSerifSC-Bold.ttf"
SETTINGS_FILE = "settings.toml"  # in the data dir: [printing] font = "bundled" | "system"
# Windows system faces in order of preference (file name, index inside a .ttc collection): 仿宋, then 宋体.
SYSTEM_FONTS = (("simfang.ttf", 0), ("simsun.ttc", 0))


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
        regular = (regular or paths.resource_path("fonts", REGULAR_FILE)).resolve()
        bold = (bold or paths.resource_path("fonts", BOLD_FILE)).resolve()
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


def font_setting(data_dir: Path | None = None) -> str:
    """`[printing] font` of `<data dir>/settings.toml`: "bundled" (default) or "system"."""
    path = Path(SETTINGS_FILE)
    try:
        path = (data_dir or paths.data_dir()) / SETTINGS_FILE  # data_dir() may fail on a read-only disk
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "bundled"
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        log.warning("cannot read %s (%s); printing with the bundled font", path, exc)
        return "bundled"
    printing = doc.get("printing")
    value = printing.get("font", "bundled") if isinstance(printing, dict) else "bundled"
    if value not in ("bundled", "system"):
        log.warning('%s: [printing] font = %r is neither "bundled" nor "system"; using bundled', path, value)
        return "bundled"
    return value


def system_font_candidates() -> list[tuple[Path, int]]:
    """The system 仿宋/宋体 files to try; only Windows ships them (nothing is looked for elsewhere)."""
    if sys.platform != "win32":
        return []
    fonts = Path(os.environ.get("WINDIR") or r"C:\Windows") / "Fonts"
    return [(fonts / name, index) for name, index in SYSTEM_FONTS]


def default_fonts(data_dir: Path | None = None) -> FontSet:
    """The fonts documents print with: the system 仿宋/宋体 when configured and usable, else the bundled serif.

    Headings keep the bundled bold face (SimFang and SimSun have no bold). Whatever is chosen, the same
    settings always give the same fonts, so a reprint stays byte-identical on the same laptop.
    """
    if font_setting(data_dir) == "system":
        candidates = system_font_candidates()
        for path, index in candidates:
            if not path.is_file():
                continue
            try:
                return register_fonts(path, None, subfont_index=index)
            except FontError as exc:  # e.g. an OpenType/CFF file: reportlab needs TrueType outlines
                log.warning("system font %s is not usable (%s); trying the next", path, exc)
        log.warning(
            'printing font is set to "system" but no usable %s was found; using the bundled font',
            "、".join(str(path) for path, _ in candidates)
            or "system font (only Windows fonts are looked for)",
        )
    return register_fonts()
