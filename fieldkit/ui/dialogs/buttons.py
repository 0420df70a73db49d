"""A dialog's 确定/保存 + 取消 row (its texts in Chinese whatever Qt's own translation says), and what the
dialog shows when the service refuses what it saves."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from fieldkit.errors import EditConflict, FieldkitError, ValidationFailed
from fieldkit.ui import strings
from fieldkit.ui.errors import problems_text, show_error
from fieldkit.ui.widgets.field_errors import FieldErrors


def ok_cancel(dialog: QDialog, ok_text: str, accepted: Callable[[], object]) -> QDialogButtonBox:
    """OK runs `accepted` (which checks, saves and accepts the dialog); 取消 rejects it."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(strings.CANCEL)
    buttons.accepted.connect(accepted)
    buttons.rejected.connect(dialog.reject)
    return buttons


class Saving:
    """`with Saving(dialog, errors, label) as attempt:` around a dialog's save call. A refusal is shown
    and swallowed: problems under their fields (the rest in `label`), a change saved elsewhere in
    `label` (the dialog keeps what was typed), any other refusal in a message box; `attempt.ok` says
    whether it was saved."""

    def __init__(self, parent: QWidget, errors: FieldErrors, label: QLabel) -> None:
        self._parent = parent
        self._errors = errors
        self._label = label
        self.ok = False

    def __enter__(self) -> Saving:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, _tb: TracebackType | None
    ) -> bool:
        if exc is None:
            self.ok = True
            return False
        if isinstance(exc, ValidationFailed):
            _first, unplaced = self._errors.show(exc.problems)
            self._label.setText(problems_text(unplaced))
            self._label.setVisible(bool(unplaced))
            return True
        if isinstance(exc, EditConflict):  # theirs is kept; so is what was typed here
            self._label.setText(str(exc))
            self._label.setVisible(True)
            return True
        if isinstance(exc, FieldkitError):
            show_error(self._parent, exc)
            return True
        return False  # a bug: not hidden
