"""Turn exceptions into Chinese messages: known errors name their fields, unknown ones are logged."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from fieldkit.domain.problems import Problem
from fieldkit.errors import FieldkitError, ValidationFailed, environment_problem
from fieldkit.ui import strings

log = logging.getLogger(__name__)


def problems_text(problems: Sequence[Problem]) -> str:
    """One line per problem; each message already starts with its field's Chinese name."""
    return "\n".join(f"• {p.message}" for p in problems)


def error_message(exc: BaseException, *, log_unknown: bool = True) -> str:
    """The Chinese text for an exception; unknown ones are logged with their traceback."""
    if isinstance(exc, ValidationFailed):
        return f"{strings.VALIDATION_INTRO}\n{problems_text(exc.problems)}"
    if isinstance(exc, FieldkitError):
        return str(exc)
    if (text := environment_problem(exc)) is not None:  # disk full, read-only, locked: say which
        log.warning("environment problem: %s", exc)
        return text
    if log_unknown:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    return strings.GENERIC_ERROR


def show_error(parent: QWidget | None, exc: BaseException, *, log_unknown: bool = True) -> None:
    """Like Anki's show_exception: a modal box with the message (never a Python traceback)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if isinstance(exc, FieldkitError) else QMessageBox.Icon.Critical)
    box.setWindowTitle(strings.WARNING_TITLE if isinstance(exc, FieldkitError) else strings.ERROR_TITLE)
    box.setText(error_message(exc, log_unknown=log_unknown))
    if not isinstance(exc, FieldkitError):
        box.setDetailedText(strings.error_detail(f"{type(exc).__name__}: {exc}"))
    box.exec()


def show_message(parent: QWidget | None, text: str) -> None:
    QMessageBox.information(parent, strings.WARNING_TITLE, text)


def confirm(parent: QWidget | None, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, strings.CONFIRM_TITLE, text, parent=parent)
    yes = box.addButton(strings.YES, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(strings.NO, QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes
