"""Register the shipped serif CJK fonts with reportlab once per process."""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from fieldkit import paths
from fieldkit.errors import FieldkitError

log = logging.getLogger(__name__)

REGULAR_FILE = "NotoSerifSC-Regular.ttf"
BOLD_FILE = "NotoSerifSC-Bold.ttf"


class FontError(FieldkitError):
    """The CJK font cannot be found or loaded; nothing can be printed without it."""


@dataclass(frozen=True)
class FontSet:
    regular: str  # reportlab font names
    bold: str


_lock = threading.Lock()
_registered: dict[tuple[Path, Path], FontSet] = {}


def _load(name: str, path: Path, subfont_index: int) -> None:
    try:
        font = TTFont(name, str(path), subfontIndex=subfont_index)
    except (TTFError, OSError) as exc:
        # A CFF-outline .otf fails here ("postscript outlines are not supported"): reportlab needs glyf.
        raise FontError(f"无法载入字体 {path.name}：{exc}") from exc
    pdfmetrics.registerFont(font)


def register_fonts(
    regular: Path | None = None, bold: Path | None = None, *, subfont_index: int = 0
) -> FontSet:
    """Register regular and bold (default: the Noto Serif SC files in resources/fonts) and return their names.

    Loading a 10 MB TrueType font costs ~100 ms, so it happens once per process per pair of files; later
    calls are a dictionary look-up. A configured system font (e.g. simsun.ttc) can be passed instead.
    """
    try:
        regular = (regular or paths.resource_path("fonts", REGULAR_FILE)).resolve()
        bold = (bold or paths.resource_path("fonts", BOLD_FILE)).resolve()
    except FileNotFoundError as exc:
        raise FontError(f"缺少中文字体文件：{exc}") from exc
    key = (regular, bold)
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
