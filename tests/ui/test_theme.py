"""The bundled Chinese font becomes the application font; without it the app still starts, and says so."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication

from fieldkit.ui import theme


def test_bundled_font_is_the_application_font(fk_app: QApplication) -> None:
    family = theme.install_font(fk_app)
    assert family == "FieldKit Sans SC"
    assert QFontInfo(fk_app.font()).family() == family


def test_missing_font_falls_back_with_a_log_line(
    fk_app: QApplication, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def missing(*parts: str) -> Path:
        raise FileNotFoundError("/".join(parts))

    monkeypatch.setattr(theme.paths, "resource_path", missing)
    with caplog.at_level(logging.WARNING, logger="fieldkit.ui.theme"):
        assert theme.install_font(fk_app) is None
    assert "未找到界面字体文件" in caplog.text
    assert fk_app.font().families()[0] == theme.FALLBACK_FAMILIES[0]
    monkeypatch.undo()
    theme.install_font(fk_app)
