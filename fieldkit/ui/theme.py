"""Look and feel: the bundled CJK font, Qt's own Chinese translation and one style sheet."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from fieldkit import paths
from fieldkit.ui import strings

log = logging.getLogger(__name__)

UI_FONT_FILE = "NotoSansSC-Regular.otf"
# The 生僻字 fonts of printing.fonts.EXT_FILES (named here: importing printing would load reportlab at start).
RARE_FONT_FILES = ("FieldKitHanExtA.ttf", "FieldKitHanExtB.ttf", "FieldKitHanExtG.ttf")
FALLBACK_FAMILIES = ["Noto Sans SC", "Noto Sans CJK SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "SimHei"]
FONT_POINT_SIZE = 10

PRIMARY = "#1f5fa8"
PRIMARY_DARK = "#174a85"
SIDEBAR = "#1d3557"
FAIL_BG = "#fde2e1"
FAIL_FG = "#b3261e"
WARN_BG = "#fff4c2"
WARN_BORDER = "#e0b400"
READ_ONLY_BG = "#eef1f5"  # a locked field (completed inspection, finalised document): grey, not white

STYLE_SHEET = f"""
* {{ dialogbuttonbox-buttons-have-icons: 0; }}
QMainWindow, QDialog, QWizard {{ background: #f5f7fa; }}
QListWidget#nav {{
    background: {SIDEBAR}; color: #e8eef6; border: none; outline: 0;
    font-size: 11pt; padding-top: 12px;
}}
QListWidget#nav::item {{ padding: 12px 22px; border-left: 4px solid transparent; }}
QListWidget#nav::item:selected {{ background: #284b78; color: white; border-left: 4px solid #7fb3ff; }}
QListWidget#nav::item:hover:!selected {{ background: #24436b; }}
QLabel#appName {{ background: {SIDEBAR}; color: white; font-size: 12pt; font-weight: bold; padding: 16px 18px 6px 18px; }}
QLabel[role="pageTitle"] {{ font-size: 15pt; font-weight: bold; color: #1b2a3a; }}
QLabel[role="sectionTitle"] {{ font-size: 11pt; font-weight: bold; color: #1b2a3a; padding-top: 4px; }}
QLabel[role="hint"] {{ color: #5f6b7a; }}
QLabel[role="error"] {{ color: {FAIL_FG}; }}
QLineEdit:read-only, QPlainTextEdit[readOnly="true"] {{
    background: {READ_ONLY_BG}; color: #2b3440; border: 1px solid #d5dbe3; border-radius: 3px;
}}
QLineEdit:read-only {{ padding: 2px 3px; }}
QLineEdit[invalid="true"] {{ border: 1px solid {FAIL_FG}; background: {FAIL_BG}; border-radius: 3px; padding: 2px 3px; }}
QLabel[role="saved"] {{ color: #2e7d32; }}
QLabel[role="failedSummary"] {{ color: {FAIL_FG}; background: {FAIL_BG}; border-radius: 4px; padding: 6px 8px; }}
QLabel[role="okSummary"] {{ color: #2e7d32; padding: 6px 8px; }}
QLabel[role="example"] {{ color: {PRIMARY_DARK}; background: #e8f0fb; border-radius: 4px; padding: 4px 8px; }}
QFrame[banner="warning"] {{ background: {WARN_BG}; border: 1px solid {WARN_BORDER}; border-radius: 4px; }}
QFrame[banner="error"] {{ background: {FAIL_BG}; border: 1px solid #e4a5a1; border-radius: 4px; }}
QFrame[banner="info"] {{ background: #e8f0fb; border: 1px solid #b6cdee; border-radius: 4px; }}
QFrame[card="true"] {{ background: white; border: 1px solid #dde3ea; border-radius: 6px; }}
QPushButton {{ padding: 5px 14px; min-height: 22px; }}
QPushButton[primary="true"] {{
    background: {PRIMARY}; color: white; border: 1px solid {PRIMARY_DARK}; border-radius: 4px; padding: 6px 18px;
}}
QPushButton[primary="true"]:hover {{ background: {PRIMARY_DARK}; }}
QPushButton[primary="true"]:disabled {{ background: #9bb3d1; border-color: #9bb3d1; }}
QTableView {{ background: white; gridline-color: #e3e8ee; selection-background-color: #cfe2fb; selection-color: #111; }}
QHeaderView::section {{ background: #eef2f7; padding: 5px 6px; border: none; border-right: 1px solid #dde3ea; border-bottom: 1px solid #d0d7e0; }}
QStatusBar QLabel {{ padding: 0 8px; color: #384656; }}
QWidget#lockScreen {{ background: {SIDEBAR}; }}
QLabel#lockApp {{ color: white; font-size: 13pt; font-weight: bold; }}
"""


def install_font(app: QApplication) -> str | None:
    """Register the bundled Chinese font and make it the application font; None if it is missing."""
    family: str | None = None
    try:
        font_file = paths.font_file(UI_FONT_FILE)
    except FileNotFoundError:
        log.warning("%s: %s", strings.FONT_MISSING_LOG, UI_FONT_FILE)
    else:
        font_id = QFontDatabase.addApplicationFont(str(font_file))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            family = families[0]
        else:
            log.warning("%s: cannot load %s", strings.FONT_MISSING_LOG, font_file)
    font = QFont(app.font())
    # the UI font has GBK only: a party name with 生僻字 (CJK Ext A–G) would show empty boxes while typed
    # on a machine without such fonts; the printing fonts for them come next (~5 ms, no file read yet)
    rare = _rare_character_families()
    font.setFamilies([family, *rare, *FALLBACK_FAMILIES] if family else [*FALLBACK_FAMILIES, *rare])
    font.setPointSize(FONT_POINT_SIZE)
    app.setFont(font)
    return family


def _rare_character_families() -> list[str]:
    out: list[str] = []
    for file in RARE_FONT_FILES:
        try:
            font_id = QFontDatabase.addApplicationFont(str(paths.font_file(file)))
        except FileNotFoundError:
            log.warning("%s: %s", strings.FONT_MISSING_LOG, file)
            continue
        out += QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return out


# Texts Qt 6 changed after its zh_CN catalogue was last updated: the catalogue has "Look in:", the
# file dialog asks for "&Look in:", so it stayed English. Found by listing every text of Qt's file and
# print dialogs under the catalogue (tests/ui/test_theme.py walks them).
QT_MISSING_ZH = {
    "&Look in:": "查找范围(&L)：",
    "Files of &type:": "文件类型(&T)：",
    "Folder": "文件夹",  # the 类型 column; the catalogue has it under Qt 5's QFileIconProvider
    "Drive": "驱动器",
    "Page &Set:": "打印范围(&S)：",
    "Page &order:": "页面顺序(&O)：",
    "Pages &per sheet:": "每张页数(&P)：",
}


class _MissingQtTexts(QTranslator):
    """Asked before qtbase_zh_CN (installed last); None lets Qt ask the next translator."""

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return QT_MISSING_ZH.get(source)

    def isEmpty(self) -> bool:
        return False


def install_translator(app: QApplication) -> bool:
    """Qt's own buttons and dialogs (下一步/取消/确定) in Chinese, from PySide6's qtbase_zh_CN.qm plus
    the few texts it lacks; calendars and number formats in Chinese whatever the system locale is."""
    QLocale.setDefault(QLocale("zh_CN"))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = translator.load(QLocale("zh_CN"), "qtbase", "_", folder)
    if loaded:
        app.installTranslator(translator)
    else:
        log.warning("qtbase_zh_CN translation not found in %s", folder)
    app.installTranslator(_MissingQtTexts(app))
    return loaded


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)


def set_read_only(widget: object, read_only: bool) -> None:
    """setReadOnly, then restyle: a style sheet matches [readOnly="true"] only when the widget is
    polished again, and a locked field must look locked (grey), not merely refuse typing."""
    widget.setReadOnly(read_only)  # type: ignore[attr-defined]
    widget.style().unpolish(widget)  # type: ignore[attr-defined]
    widget.style().polish(widget)  # type: ignore[attr-defined]


def set_role(widget: object, role: str) -> None:
    """Tag a label for the style sheet (error, hint, pageTitle…)."""
    widget.setProperty("role", role)  # type: ignore[attr-defined]
