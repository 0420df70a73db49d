"""更正 of a printed document: the two lawful paths side by side, each saying what it may change."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from fieldkit.ui import strings
from fieldkit.ui.theme import set_role

CLERICAL = "clerical"  # 更正笔误: same number, non-substantive fields, 更正说明 printed
REISSUE = "reissue"  # 重新作出: new document, new number, the old one voided when it is printed


class CorrectionChoiceDialog(QDialog):
    """Accepted with `choice` set to CLERICAL or REISSUE; rejected when the officer cancels."""

    def __init__(self, locked: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(strings.CORRECT_CHOICE_TITLE)
        self.setMinimumWidth(560)
        self.choice: str | None = None
        intro = QLabel(strings.CORRECT_CHOICE_INTRO)
        intro.setWordWrap(True)
        set_role(intro, "sectionTitle")
        self.clerical_button = QCommandLinkButton(strings.CORRECT_CLERICAL, strings.CORRECT_CLERICAL_DETAIL)
        self.reissue_button = QCommandLinkButton(strings.CORRECT_REISSUE, strings.CORRECT_REISSUE_DETAIL)
        self.clerical_button.clicked.connect(self._on_clerical_clicked)
        self.reissue_button.clicked.connect(self._on_reissue_clicked)
        self.locked_label = QLabel(strings.correct_locked_fields(locked))
        self.locked_label.setWordWrap(True)
        set_role(self.locked_label, "hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(strings.CANCEL)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.clerical_button)
        layout.addWidget(self.reissue_button)
        layout.addWidget(self.locked_label)
        layout.addWidget(buttons)

    def _on_clerical_clicked(self) -> None:
        self.choice = CLERICAL
        self.accept()

    def _on_reissue_clicked(self) -> None:
        self.choice = REISSUE
        self.accept()
