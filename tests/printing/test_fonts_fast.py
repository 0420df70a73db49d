"""fontface.load_ttfont gives the very font reportlab's TTFont gives: every face attribute, in the same order."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
import reportlab
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from fieldkit import paths
from fieldkit.printing import fontface
from fieldkit.printing.fontface import load_ttfont

RL_FONTS = Path(reportlab.__file__).parent / "fonts"
# what this machine has besides the bundled faces: cmap formats 4 and 12, units per em 256/1000/2048, a .ttc
OTHER = (
    sorted(str(p) for p in RL_FONTS.glob("*.ttf"))
    + sorted(glob.glob("/usr/share/fonts/truetype/*/*.ttf"))[:6]
)


def _same(a: TTFont, b: TTFont) -> None:
    assert type(b.face) is fontface.FastFace
    fa, fb = vars(a.face), vars(b.face)
    assert list(fa) == list(fb)
    for key, value in fa.items():
        if key == "_pdfScale":  # a lambda made afresh for each face
            assert [value(x) for x in (0, 1, 999, 2048)] == [fb[key](x) for x in (0, 1, 999, 2048)]
            continue
        assert fb[key] == value, key
        if isinstance(value, dict):
            assert list(fb[key].items()) == list(value.items()), key
        if isinstance(value, list):
            assert [type(x) for x in fb[key]] == [type(x) for x in value], key
    assert list(vars(a)) == list(vars(b))
    assert (b.fontName, b._asciiReadable, b.shapable) == (a.fontName, a._asciiReadable, a.shapable)


@pytest.mark.parametrize("name", ["NotoSerifSC-Regular.ttf", "NotoSerifSC-Bold.ttf"])
def test_bundled_fonts_load_exactly_as_reportlab_loads_them(name):
    path = str(paths.resource_path("fonts", name))
    _same(TTFont("a", path), load_ttfont("a", path))


@pytest.mark.parametrize("path", OTHER)
def test_other_fonts_load_exactly_as_reportlab_loads_them(path):
    _same(TTFont("a", path), load_ttfont("a", path))


@pytest.mark.parametrize("index", [0, 1])
def test_a_collection_loads_exactly_as_reportlab_loads_it(index):
    ttc = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
    if not Path(ttc).is_file():
        pytest.skip("no .ttc collection on this machine")
    _same(TTFont("a", ttc, subfontIndex=index), load_ttfont("a", ttc, index))


def test_tables_the_fast_reader_does_not_know_are_read_by_reportlab(monkeypatch):
    path = str(RL_FONTS / "Vera.ttf")

    def unsupported(self, data):
        raise fontface._Unsupported

    monkeypatch.setattr(fontface.FastFace, "_cmap", unsupported)
    font = load_ttfont("a", path)
    reference = TTFont("a", path)
    assert font.face.charWidths == reference.face.charWidths
    assert font.face.charToGlyph == reference.face.charToGlyph


def test_a_postscript_outline_font_is_refused_as_reportlab_refuses_it():
    otf = str(paths.resource_path("fonts", "NotoSansSC-Regular.otf"))
    with pytest.raises(TTFError, match="postscript outlines are not supported"):
        load_ttfont("a", otf)


SUBSET_TEXT = "AbcÀÁÂÃÄÇÈÉÊËÌÍÎÏÑÒÓ¼½¾€ 现场笔录喆堃昇犇，。□"


@pytest.mark.parametrize(
    "path",
    [
        str(RL_FONTS / "Vera.ttf"),  # composite glyphs (accented letters)
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "NotoSerifSC-Regular.ttf",
    ],
)
def test_subsets_are_byte_identical(path):
    if "/" not in path:
        path = str(paths.resource_path("fonts", path))
    elif not Path(path).is_file():
        pytest.skip(f"{path} is not on this machine")
    reference, fast = TTFont("a", path).face, load_ttfont("a", path).face
    codes = [ord(ch) for ch in SUBSET_TEXT]
    assert fast.makeSubset(codes) == reference.makeSubset(codes)
    assert bytes(fast.get_table("glyf")) == reference.get_table("glyf")
    assert fast.get_table("head") == reference.get_table("head")


def test_collection_is_paused_only_on_the_main_thread_and_left_as_it_was():
    import gc
    import threading

    path = str(RL_FONTS / "Vera.ttf")
    seen: list[bool] = []

    def spy(self, charInfo=1):
        seen.append(gc.isenabled())
        return extract(self, charInfo)

    extract = fontface.FastFace.extractInfo
    fontface.FastFace.extractInfo = spy
    try:
        assert gc.isenabled()
        load_ttfont("a", path)
        assert seen.pop() is False and gc.isenabled()
        gc.disable()  # as the GUI keeps it: collected on its own thread
        try:
            load_ttfont("a", path)
            assert seen.pop() is False and not gc.isenabled()
        finally:
            gc.enable()
        worker = threading.Thread(target=load_ttfont, args=("a", path))
        worker.start()
        worker.join()
        assert seen.pop() is True and gc.isenabled()  # a worker thread never touches the switch
    finally:
        fontface.FastFace.extractInfo = extract
