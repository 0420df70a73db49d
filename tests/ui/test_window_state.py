"""window.ini (QSettings) keeps where the window was; nothing that changes a document lives there (issue 12 §8)."""

from __future__ import annotations

import configparser
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import fieldkit.ui
from fieldkit.services.context import Context
from fieldkit.ui.main_window import WINDOW_STATE_FILE, WINDOW_STATE_KEYS, MainWindow


def test_window_ini_holds_only_window_state(qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context) -> None:
    window = MainWindow(set_up_ctx)
    qtbot.addWidget(window)
    window.show()
    window.close()
    ini = configparser.ConfigParser()
    ini.read(set_up_ctx.data_dir / WINDOW_STATE_FILE, encoding="utf-8")
    keys = {key for section in ini.sections() for key in ini[section]}
    assert keys and keys <= WINDOW_STATE_KEYS


def test_only_the_main_window_keeps_qsettings() -> None:
    """One QSettings file, for window state: settings that change a document go through services/settings.py."""
    ui = Path(fieldkit.ui.__file__).parent
    users = sorted(
        str(p.relative_to(ui)) for p in ui.rglob("*.py") if "QSettings(" in p.read_text(encoding="utf-8")
    )
    assert users == ["main_window.py"]
