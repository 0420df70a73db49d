"""Problems shown next to their fields: red text under the field, focus on the first bad one."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from fieldkit.domain.problems import Problem
from fieldkit.ui.theme import set_role


class FieldErrors:
    """Maps a field key (as in Problem.field) to its input widget and the error label under it."""

    def __init__(self) -> None:
        self._widgets: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}

    def wrap(self, key: str, widget: QWidget, focus: QWidget | None = None) -> QWidget:
        """A container holding the widget with its (hidden) error label underneath."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        label = QLabel()
        label.setWordWrap(True)
        set_role(label, "error")
        label.hide()
        layout.addWidget(label)
        self.register(key, focus or widget, label)
        return box

    def register(self, key: str, widget: QWidget, label: QLabel) -> None:
        self._widgets[key] = widget
        self._labels[key] = label

    def label(self, key: str) -> QLabel:
        return self._labels[key]

    def any_shown(self) -> bool:
        return any(not label.isHidden() for label in self._labels.values())

    def clear(self) -> None:
        for label in self._labels.values():
            label.clear()
            label.hide()

    def show(
        self, problems: Sequence[Problem], *, focus: bool = True
    ) -> tuple[QWidget | None, list[Problem]]:
        """Show each problem under its field. Returns the first bad field's widget (focused unless
        `focus` is False: a re-check while typing must not take the cursor away) and the problems
        that belong to no known field, for the caller to show elsewhere."""
        self.clear()
        texts: dict[str, list[str]] = {}
        unplaced: list[Problem] = []
        first: QWidget | None = None
        for problem in problems:
            if problem.field in self._labels:
                texts.setdefault(problem.field, []).append(problem.message)
                if first is None:
                    first = self._widgets[problem.field]
            else:
                unplaced.append(problem)
        for key, messages in texts.items():
            self._labels[key].setText("\n".join(messages))
            self._labels[key].show()
        if focus and first is not None and first.isEnabled():
            first.setFocus()
        return first, unplaced
