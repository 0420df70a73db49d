"""The 确定/保存 + 取消 row of a dialog, its texts in Chinese whatever Qt's own translation says."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox

from fieldkit.ui import strings


def ok_cancel(dialog: QDialog, ok_text: str, accepted: Callable[[], object]) -> QDialogButtonBox:
    """OK runs `accepted` (which checks, saves and accepts the dialog); 取消 rejects it."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(strings.CANCEL)
    buttons.accepted.connect(accepted)
    buttons.rejected.connect(dialog.reject)
    return buttons
