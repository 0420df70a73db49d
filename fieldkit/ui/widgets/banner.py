"""A coloured strip above a screen: recovery notices (yellow), problems (red), information (blue)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from fieldkit.ui import strings


class Banner(QFrame):
    def __init__(
        self, kind: str = "warning", dismissable: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setProperty("banner", kind)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.dismiss_button: QPushButton | None = None
        if dismissable:
            self.dismiss_button = QPushButton(strings.RECOVERY_DISMISS)
            self.dismiss_button.clicked.connect(self.hide)
            layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def set_kind(self, kind: str) -> None:
        self.setProperty("banner", kind)
        self.style().unpolish(self)
        self.style().polish(self)

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text()
