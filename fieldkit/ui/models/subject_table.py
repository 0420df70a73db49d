"""The subject list: a lazy table over search_subject_ids / subject_items."""

from __future__ import annotations

from fieldkit.services.subjects import SubjectListItem
from fieldkit.ui import strings
from fieldkit.ui.models.lazy_table import IdRole, LazyTableModel

__all__ = ["COLUMNS", "IdRole", "SubjectTableModel"]

COLUMNS = (
    ("name", strings.COL_SUBJECT_NAME),
    ("subject_type", strings.COL_SUBJECT_TYPE),
    ("uscc", strings.COL_USCC),
    ("legal_rep", strings.COL_LEGAL_REP),
    ("address", strings.COL_ADDRESS),
    ("phone", strings.COL_PHONE),
)


class SubjectTableModel(LazyTableModel[SubjectListItem]):
    COLUMNS = tuple(header for _, header in COLUMNS)

    def display(self, item: SubjectListItem, column: int) -> str:
        if COLUMNS[column][0] == "subject_type":
            return item.subject_type.label
        return str(getattr(item, COLUMNS[column][0]) or "")
