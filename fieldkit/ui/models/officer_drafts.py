"""Editable rows of officers (姓名, 执法证号, 所在单位) for the first-run setup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from fieldkit.domain.agency import OfficerDraft
from fieldkit.ui import strings
from fieldkit.ui.models.table_base import RowListModel

_ROOT = QModelIndex()
AnyIndex = QModelIndex | QPersistentModelIndex
FIELDS = ("name", "cert_no", "unit")
HEADERS = (strings.COL_OFFICER_NAME, strings.COL_CERT_NO, strings.COL_UNIT)


class OfficerDraftsModel(RowListModel[OfficerDraft]):
    NUMBERED = True

    def set_drafts(self, drafts: Sequence[OfficerDraft]) -> None:
        self.beginResetModel()
        self._rows = list(drafts)
        self.endResetModel()

    def drafts(self) -> list[OfficerDraft]:
        """Rows the officer filled in; rows left completely blank are ignored."""
        return [d for d in self._rows if d.name.strip() or d.cert_no.strip() or d.unit.strip()]

    def add_row(self, unit: str = "") -> int:
        return self.append_row(OfficerDraft("", "", unit))

    def headers(self) -> Sequence[str]:
        return HEADERS

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        return getattr(self._rows[index.row()], FIELDS[index.column()])

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row = index.row()
        self._rows[row] = replace(self._rows[row], **{FIELDS[index.column()]: str(value or "")})
        self.dataChanged.emit(index, index)
        return True
