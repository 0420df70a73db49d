"""The shipped font files (built by tools/build_fonts.py): present, loadable by reportlab, full character set."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFontFile

FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
SERIF_FILES = ("NotoSerifSC-Regular.ttf", "NotoSerifSC-Bold.ttf")
UI_FILE = "NotoSansSC-Regular.otf"

# Rare GBK name characters (missing from GB2312 subsets), form symbols, and one sample from each extra.
REQUIRED = "喆堃昇犇☑□■〔〕现场笔录¥￥〇㎡℃№√×—…、。，；：？！「」『』（）【】《》·－～\u3000Aa0"


@pytest.fixture(scope="module", params=SERIF_FILES)
def serif(request: pytest.FixtureRequest) -> TTFontFile:
    # TTFontFile is reportlab's own parser: it refuses CFF outlines, so loading proves the glyf conversion.
    return TTFontFile(str(FONTS / request.param))


def test_files_exist_with_licence():
    for name in (*SERIF_FILES, UI_FILE, "OFL.txt", "README.md"):
        path = FONTS / name
        assert path.is_file(), f"missing {path}: run tools/build_fonts.py"
    assert (FONTS / UI_FILE).read_bytes()[:4] == b"OTTO"  # the UI font keeps its CFF outlines
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "OFL.txt").read_text(encoding="utf-8")


def test_serif_files_are_truetype_and_renamed(serif: TTFontFile):
    assert serif.familyName == b"FieldKit Serif SC"
    assert serif.name.startswith(b"FieldKitSerifSC-")


def test_serif_character_set(serif: TTFontFile):
    missing = [f"U+{ord(ch):04X} {ch}" for ch in REQUIRED if ord(ch) not in serif.charToGlyph]
    assert not missing


def test_serif_covers_gbk(serif: TTFontFile):
    # Only U+2252 ≒ is absent from upstream Noto Serif CJK SC itself.
    gbk = {cp for cp in range(0x80, 0x10000) if not 0xD800 <= cp < 0xE000 and _in_gbk(cp)}
    assert gbk - serif.charToGlyph.keys() == {0x2252}


def test_checked_box_is_drawn(serif: TTFontFile):
    # ☑ is synthesized from □ and ✓: same advance as □, and a real outline (not an empty glyph).
    box, checked = serif.charToGlyph[0x25A1], serif.charToGlyph[0x2611]
    assert serif.hmetrics[checked][0] == serif.hmetrics[box][0]
    start, end = serif.glyphPos[checked], serif.glyphPos[checked + 1]
    assert end - start > serif.glyphPos[box + 1] - serif.glyphPos[box]


def _in_gbk(cp: int) -> bool:
    try:
        chr(cp).encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


# 生僻字 fallback fonts (issue 9.3): CJK Ext A–F complete, Ext G as far as BabelStone Han draws it.
EXT_FILES = ("FieldKitHanExtA.ttf", "FieldKitHanExtB.ttf", "FieldKitHanExtG.ttf")
EXT_BLOCKS = {  # first, last, characters in Unicode 14 (Python 3.11), characters the fonts must have
    "A": (0x3400, 0x4DBF, 6592, 6592),
    "B": (0x20000, 0x2A6DF, 42720, 42720),
    "C": (0x2A700, 0x2B73F, 4153, 4153),
    "D": (0x2B740, 0x2B81F, 222, 222),
    "E": (0x2B820, 0x2CEAF, 5762, 5762),
    "F": (0x2CEB0, 0x2EBEF, 7473, 7473),
    "G": (0x30000, 0x3134F, 4939, 3045),
}


def test_rare_character_fonts_cover_the_extensions_with_licences():
    faces = [TTFontFile(str(FONTS / name)) for name in EXT_FILES]  # reportlab's parser: glyf outlines
    assert [f.familyName for f in faces] == [
        b"FieldKit Han Ext A",
        b"FieldKit Han Ext B",
        b"FieldKit Han Ext G",
    ]
    covered = set().union(*(f.charToGlyph for f in faces))
    for block, (first, last, assigned, wanted) in EXT_BLOCKS.items():
        have = sum(1 for cp in range(first, last + 1) if cp in covered)
        assert have >= wanted, f"Ext {block}: {have} of {assigned}"
    assert {0x4DAE, 0x2B5AF, 0x2C317, 0x2C35B, 0x3635} <= covered  # 䶮 𫖯 𬌗 𬍛 㘵
    assert "Hanazono Font License" in (FONTS / "HanazonoFontLicense.txt").read_text(encoding="utf-8")
    assert (FONTS / "ARPHICPL.txt").read_text(encoding="utf-8").startswith("ARPHIC PUBLIC LICENSE")
