"""What the measure form shows before it is saved: the deadline a measure will get and its 封条 text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fieldkit.domain.deadlines import preservation_deadline, seizure_deadline
from fieldkit.domain.measures import MeasureKind, seal_strip_text
from fieldkit.errors import FieldkitError
from fieldkit.services.context import Context
from fieldkit.services.measures import calendar
from fieldkit.services.setup import load_settings

# The kinds add_measure gives a 封条 (services.measures.add_measure); 先行登记保存 is held without one.
SEALED_KINDS = (MeasureKind.SEAL, MeasureKind.SEIZE, MeasureKind.SAMPLING)


@dataclass(frozen=True)
class DuePreview:
    due: dt.date
    title: str
    basis: str
    estimated: bool
    warnings: tuple[str, ...]


def due_preview(ctx: Context, kind: MeasureKind, decided_on: dt.date) -> DuePreview | None:
    """The deadline add_measure will record for this kind and date (None for 抽样, which has none)."""
    cal = calendar(ctx)
    if kind is MeasureKind.PRESERVATION:
        deadline = preservation_deadline(cal, decided_on)
    elif kind in (MeasureKind.SEAL, MeasureKind.SEIZE):
        deadline = seizure_deadline(cal, decided_on)
    else:
        return None
    return DuePreview(deadline.due, deadline.title, deadline.basis, deadline.estimated, deadline.warnings)


def storage_required(kind: MeasureKind) -> bool:
    """Whether validate_measure asks for a 存放地点 (a sample goes to the lab, not into storage)."""
    return kind is not MeasureKind.SAMPLING


def seal_preview(ctx: Context, kind: MeasureKind, decided_on: dt.date) -> str:
    """The 封条 text add_measure will write when none is given ("" for a kind without one)."""
    if kind not in SEALED_KINDS:
        return ""
    try:
        agency = load_settings(ctx).agency.full_name
    except FieldkitError:
        agency = ""
    return seal_strip_text(agency, kind, decided_on)
