"""The lock screen (issue 13.2): an opaque widget over the whole of a window, with the login form.

It is a child of the window it covers, not a dialog on top: nothing of the window shows around or
through it, and the window itself (with its half-typed input) stays as it was underneath.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from fieldkit.services import access
from fieldkit.ui import strings
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.login_form import LoginForm

CARD_WIDTH = 460
CARD_MARGIN = 24


class LockScreen(QWidget):
    def __init__(
        self,
        window: QWidget,
        data_dir: Path,
        attempt: object,
        *,
        reason: str,
        current: str | None,
    ) -> None:
        super().__init__(window)
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)  # opaque (QWidget#lockScreen in theme.STYLE_SHEET gives the colour)
        app = QLabel(strings.APP_TITLE)
        app.setObjectName("lockApp")
        card = QFrame()
        card.setProperty("card", True)
        card.setFixedWidth(CARD_WIDTH)
        title = QLabel(strings.LOCK_TITLE)
        set_role(title, "pageTitle")
        self.reason_label = QLabel(strings.LOCK_REASONS.get(reason, ""))
        self.reason_label.setWordWrap(True)
        intro = QLabel(strings.LOCK_INTRO)
        intro.setWordWrap(True)
        set_role(intro, "hint")
        # Wrapped texts of a known width: a wrapped label's height is otherwise guessed at another width,
        # and the card's layout took the difference from the fields (squeezed to 12 px).
        for label in (self.reason_label, intro):
            label.setFixedWidth(CARD_WIDTH - 2 * CARD_MARGIN - 2)  # less the card's 1 px border
        self.form = LoginForm(data_dir, attempt, button_text=strings.LOCK_UNLOCK)  # type: ignore[arg-type]
        self.form.set_choices(access.login_choices(data_dir), current)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(CARD_MARGIN, 18, CARD_MARGIN, 18)
        card_layout.setSpacing(10)
        card_layout.addWidget(title)
        card_layout.addWidget(self.reason_label)
        card_layout.addWidget(intro)
        card_layout.addWidget(self.form)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(app, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        # In a row between stretches, not by alignment: the column then asks the row for its height at
        # the card's own width; with AlignHCenter it asked the card at the whole window's width, and the
        # login fields were squeezed.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self._window = window
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # parentWidget(), not an attribute: a window torn down while still locked (a test's teardown)
        # can send its last events after the Python side of this widget is gone.
        window = self.parentWidget()
        if window is not None and watched is window and event.type() == QEvent.Type.Resize:
            self.setGeometry(window.rect())
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc empties the password; it never closes the window underneath (a dialog would take it as 取消).
        if event.key() == Qt.Key.Key_Escape:
            self.form.password_edit.clear()
            event.accept()
            return
        super().keyPressEvent(event)

    def remove(self) -> None:
        self._window.removeEventFilter(self)
        self.hide()
        self.deleteLater()

    @staticmethod
    def of(window: QWidget) -> LockScreen | None:
        return cast(
            "LockScreen | None",
            window.findChild(LockScreen, options=Qt.FindChildOption.FindDirectChildrenOnly),
        )
