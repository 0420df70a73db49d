"""生僻字 typed in the app show as glyphs, not boxes, without any system font for them (issue 9.3)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontInfo, QFontMetrics
from PySide6.QtWidgets import QApplication

from fieldkit.printing.fonts import EXT_FILES
from fieldkit.ui import theme

RARE = "䶮𫖯𬌗𬍛㘵\U00030000"  # Ext A, C, E, E, A, G
EXT_FAMILIES = ["FieldKit Han Ext A", "FieldKit Han Ext B", "FieldKit Han Ext G"]


def test_the_rare_character_fonts_follow_the_ui_font(fk_app: QApplication) -> None:
    assert theme.install_font(fk_app) == "FieldKit Sans SC"
    assert fk_app.font().families()[:4] == ["FieldKit Sans SC", *EXT_FAMILIES]
    for family in EXT_FAMILIES:
        assert QFontInfo(QFont(family)).family() == family  # the bundled file itself, not a system font
    for ch in RARE:
        assert any(QFontMetrics(QFont(family)).inFontUcs4(ord(ch)) for family in EXT_FAMILIES), ch
    assert tuple(file for _, file in EXT_FILES) == theme.RARE_FONT_FILES  # the printer's fonts
