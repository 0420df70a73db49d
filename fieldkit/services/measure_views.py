"""What the measure form shows before it is saved: the deadline a measure will get and its 封条 text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fieldkit.domain.measures import MeasureKind, measure_deadline, seal_strip_text
from fieldkit.errors import FieldkitError
from fieldkit.services.context import Context
from fieldkit.services.measures import calendar
from fieldkit.services.setup import load_settings


@dataclass(frozen=True)
class DuePreview:
    due: dt.date
    title: str
    basis: str
    estimated: bool
    warnings: tuple[str, ...]


def due_preview(ctx: Context, kind: MeasureKind, decided_on: dt.date) -> DuePreview | None:
    """The deadline add_measure will record for this kind and date (None for 抽样, which has none)."""
    deadline = measure_deadline(calendar(ctx), kind, decided_on)
    if deadline is None:
        return None
    return DuePreview(deadline.due, deadline.title, deadline.basis, deadline.estimated, deadline.warnings)


def storage_required(kind: MeasureKind) -> bool:
    """Whether validate_measure asks for a 存放地点."""
    return kind.needs_storage


def seal_preview(ctx: Context, kind: MeasureKind, decided_on: dt.date) -> str:
    """The 封条 text add_measure will write when none is given ("" for a kind without one)."""
    if not kind.sealed:
        return ""
    try:
        agency = load_settings(ctx).agency.full_name
    except FieldkitError:
        agency = ""
    return seal_strip_text(agency, kind, decided_on)
