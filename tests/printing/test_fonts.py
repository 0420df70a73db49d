"""Font registration: the shipped serif, once per process, a clear error for unusable files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from fieldkit.printing.fonts import FontError, register_fonts


def test_shipped_fonts_register_once_and_cheaply():
    first = register_fonts()
    start = time.perf_counter()
    second = register_fonts()
    assert time.perf_counter() - start < 0.01
    assert first == second
    assert first.regular != first.bold
    for name in (first.regular, first.bold):
        face = pdfmetrics.getFont(name).face
        assert all(ord(ch) in face.charToGlyph for ch in "现场笔录喆堃昇犇¥〔〕□√℃")


def test_missing_font_file_is_a_clear_error(tmp_path, monkeypatch):
    with pytest.raises(FontError, match=r"无法载入字体 nosuch\.ttf"):
        register_fonts(tmp_path / "nosuch.ttf", tmp_path / "nosuch-bold.ttf")

    def no_font(name: str) -> Path:
        raise FileNotFoundError(f"缺少资源文件：{name}")

    monkeypatch.setattr("fieldkit.paths.font_file", no_font)
    with pytest.raises(FontError, match="缺少中文字体文件"):
        register_fonts()


def test_postscript_outlines_are_refused(tmp_path):
    otf = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
    if not otf.exists():
        bad = tmp_path / "bad.ttf"
        bad.write_bytes(b"OTTO" + b"\0" * 64)
        otf = bad
    with pytest.raises(FontError, match="无法载入字体"):
        register_fonts(otf, otf)
