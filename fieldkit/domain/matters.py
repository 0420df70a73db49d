"""案卷 (matter): the parent that evidence, measures, documents and follow-ups attach to (pure).

A matter is one piece of enforcement work of some kind — today a 现场检查, later a 案件 (线索 → 立案 →
决定 → 结案). The children of the work (证据, 行政强制措施, 文书, 复查/回访) name their matter, never the
inspection directly, so a new kind of work is a new kind of matter, not a copy of the inspection code.

A matter's id IS the id of its parent record (an inspection's matter has the inspection's id). So the
ids already printed, exported in bundles and held by other laptops stay valid, a child found by its
old `inspection_id` is found by the same `matter_id`, and the matter row itself never needs to travel:
each store derives it from the parent record in the same transaction (store/schema.py MATTER_PARENTS).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass


class MatterKind(enum.StrEnum):
    """What the parent record of a matter is; the value is the parent's table name."""

    INSPECTION = "inspection"  # 现场检查
    # CASE = "case" comes with the cases issue (立案调查的案件).


KIND_LABELS: dict[MatterKind, str] = {MatterKind.INSPECTION: "检查"}


def kind_label(kind: MatterKind | str) -> str:
    """The Chinese name of a kind (检查); an unknown kind (a newer laptop's) is shown as its code."""
    try:
        return KIND_LABELS[MatterKind(kind)]
    except ValueError:
        return str(kind)


@dataclass(frozen=True)
class MatterRef:
    """A matter as its children see it: which one, of what kind, about whom, since when."""

    id: uuid.UUID
    kind: MatterKind
    subject_id: uuid.UUID | None
    created_at: dt.datetime

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)
