"""Windows open no larger than the screen they open on.

Officers' laptops are often 1366×768. The main window (1360×860), the evidence dialog (1240×800), the
print preview (1060×860) and the signatures dialog (1380×460) opened taller or wider than such a screen,
with the status bar or the dialog's buttons off screen (seen under Xvfb at 1366×768). The wanted size
is kept where the screen has room; otherwise the window takes the screen's free area, less the frame a
window manager adds, but never less than the window's own minimum.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room for a window manager's title bar and borders around the client area.
FRAME_WIDTH = 16
FRAME_HEIGHT = 40


def fitted_size(wanted: QSize, available: QRect, minimum: QSize) -> QSize:
    """`wanted`, shrunk to fit `available` with its frame, but not below `minimum`."""
    width = min(wanted.width(), available.width() - FRAME_WIDTH)
    height = min(wanted.height(), available.height() - FRAME_HEIGHT)
    return QSize(max(width, minimum.width()), max(height, minimum.height()))


def resize_to_screen(widget: QWidget, width: int, height: int) -> None:
    """`widget.resize(width, height)`, fitted to the free area of the screen it opens on."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        widget.resize(width, height)
        return
    minimum = widget.minimumSize().expandedTo(widget.minimumSizeHint())
    widget.resize(fitted_size(QSize(width, height), screen.availableGeometry(), minimum))
