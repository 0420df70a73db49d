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


def test_the_document_list_sorts_rare_party_names_like_sql() -> None:
    import datetime as dt
    import uuid

    from PySide6.QtCore import Qt

    from fieldkit.domain.documents import DocState
    from fieldkit.services.documents import DocumentListItem
    from fieldkit.ui.models.document_table import DocumentFilterProxy, DocumentTableModel

    parties = ["𫖯氏五金店", "（个体）李四", "张三小吃", "㘵山水产", "ＡＢ商店"]
    model = DocumentTableModel()
    model.set_items(
        [
            DocumentListItem(
                uuid.uuid4(),
                "f",
                "现场笔录",
                None,
                DocState.DRAFT,
                0,
                None,
                party,
                dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
            )
            for party in parties
        ]
    )
    proxy = DocumentFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(2, Qt.SortOrder.AscendingOrder)  # the party column
    assert [proxy.index(r, 2).data() for r in range(proxy.rowCount())] == sorted(parties)
