"""Windows open no larger than the screen: on a 1366×768 laptop the status bar and every dialog's
buttons are on screen (found under Xvfb at 1366×768: the main window opened 860 high, the signatures
dialog 1380 wide)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from fieldkit.services.context import Context
from fieldkit.ui.dialogs.evidence_dialog import EvidenceDialog
from fieldkit.ui.dialogs.measure_dialog import MeasureDialog
from fieldkit.ui.dialogs.preview_dialog import PreviewDialog
from fieldkit.ui.dialogs.signatures_dialog import SignaturesDialog
from fieldkit.ui.main_window import DASHBOARD, EXCHANGE, INSPECTIONS, SETTINGS, SUBJECTS, MainWindow
from fieldkit.ui.screen_fit import FRAME_HEIGHT, FRAME_WIDTH, fitted_size
from tests.ui.test_documents_ui import finalised_zeling, shop_inspection

LAPTOP = QRect(0, 0, 1366, 768)


def test_a_window_keeps_its_size_where_the_screen_has_room_and_shrinks_where_not() -> None:
    minimum = QSize(1024, 680)
    assert fitted_size(QSize(1360, 860), QRect(0, 0, 1920, 1040), minimum) == QSize(1360, 860)
    assert fitted_size(QSize(1360, 860), LAPTOP, minimum) == QSize(1366 - FRAME_WIDTH, 768 - FRAME_HEIGHT)
    assert fitted_size(QSize(1380, 460), LAPTOP, QSize(0, 0)) == QSize(1366 - FRAME_WIDTH, 460)
    # never below the window's own minimum, even on a smaller screen
    assert fitted_size(QSize(1360, 860), QRect(0, 0, 800, 600), minimum) == minimum


def _fits(widget: QWidget) -> None:
    free = widget.screen().availableGeometry()
    minimum = widget.minimumSize().expandedTo(widget.minimumSizeHint())
    assert widget.width() <= max(free.width() - FRAME_WIDTH, minimum.width()), type(widget).__name__
    assert widget.height() <= max(free.height() - FRAME_HEIGHT, minimum.height()), type(widget).__name__


def test_the_main_window_and_the_large_dialogs_open_within_the_screen(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    inspection_id = shop_inspection(set_up_ctx)
    page = QImage(595, 842, QImage.Format.Format_RGB32)
    page.fill(0xFFFFFF)
    widgets: list[QWidget] = [
        MainWindow(set_up_ctx),
        SignaturesDialog(set_up_ctx, finalised_zeling(set_up_ctx, inspection_id)),
        EvidenceDialog(set_up_ctx, inspection_id),
        PreviewDialog([page], "责令改正通知书"),
        MeasureDialog(set_up_ctx, inspection_id),
    ]
    for widget in widgets:
        qtbot.addWidget(widget)
        _fits(widget)  # the offscreen screen is 800×800: each opened larger before


def test_every_page_fits_the_main_window_on_a_laptop(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    # Found under Xvfb at 1366×768: the 数据交换 page needed 746 px and squeezed its line edits until
    # their text was cut; its export tab now scrolls.
    window = MainWindow(set_up_ctx)
    qtbot.addWidget(window)
    window.resize(fitted_size(QSize(1360, 860), LAPTOP, window.minimumSize()))
    window.show()
    for key in (DASHBOARD, INSPECTIONS, "documents", SUBJECTS, EXCHANGE, SETTINGS):
        page = window.show_page(key)
        hint = page.minimumSizeHint()
        assert hint.height() <= page.height() and hint.width() <= page.width(), (key, hint, page.size())
