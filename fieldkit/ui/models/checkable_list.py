"""A list of choices with check boxes (officers present, domains checked), keyed by an id."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

_ROOT = QModelIndex()
AnyIndex = QModelIndex | QPersistentModelIndex
KeyRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Choice:
    key: str
    text: str
    tooltip: str = ""


class CheckableListModel(QAbstractListModel):
    checked_changed = Signal()  # the user (or code) checked or unchecked an entry

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._choices: list[Choice] = []
        self._checked: list[str] = []  # in the order they were checked
        self._read_only = False

    def set_choices(self, choices: Sequence[Choice], checked: Iterable[str] = ()) -> None:
        self.beginResetModel()
        self._choices = list(choices)
        keys = {c.key for c in self._choices}
        self._checked = [k for k in dict.fromkeys(checked) if k in keys]
        self.endResetModel()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only

    def checked_keys(self) -> list[str]:
        """Checked keys in list order (officers print in the order they are listed)."""
        return [c.key for c in self._choices if c.key in self._checked]

    def set_checked(self, key: str, checked: bool) -> None:
        row = next((i for i, c in enumerate(self._choices) if c.key == key), -1)
        if row >= 0:
            self.setData(
                self.index(row),
                Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked,
                Qt.ItemDataRole.CheckStateRole,
            )

    def choice(self, row: int) -> Choice:
        return self._choices[row]

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._choices)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and not self._read_only:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        choice = self._choices[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return choice.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return choice.tooltip or None
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if choice.key in self._checked else Qt.CheckState.Unchecked
        if role == KeyRole:
            return choice.key
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or self._read_only:
            return False
        key = self._choices[index.row()].key
        want = Qt.CheckState(value) == Qt.CheckState.Checked
        if want == (key in self._checked):
            return True
        if want:
            self._checked.append(key)
        else:
            self._checked.remove(key)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit()
        return True
