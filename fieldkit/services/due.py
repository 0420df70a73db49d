"""What is due: holds about to lapse, seizures about to expire, 复查/回访 due — soonest first.

Measures run on the same statutory clocks whatever matter they belong to; what else falls due depends on
the kind of matter (an inspection's 复查 follows its 责令改正 deadline; a case has its own procedural
clocks), so each kind has one function in DUE_BY_KIND.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.domain.deadlines import (
    Deadline,
    DeadlineKind,
    rectification_recheck,
    urgency,
)
from fieldkit.domain.formrules import settling_forms
from fieldkit.domain.inspections import InspectionType
from fieldkit.domain.matters import MatterKind
from fieldkit.domain.measures import MeasureKind, MeasureStatus, measure_deadline
from fieldkit.domain.workdays import WorkCalendar
from fieldkit.services import matters
from fieldkit.services.context import Context
from fieldkit.services.measures import calendar, recheck_note
from fieldkit.store.schema import FollowUpRow, InspectionRow, MatterRow, MeasureRow


@dataclass(frozen=True)
class DueItem:
    kind: str  # a MeasureKind or, for a task, an InspectionType code (recheck / follow_up)
    title: str
    subject_name: str
    matter_id: uuid.UUID
    record_id: uuid.UUID
    due: dt.date
    basis: str
    urgency: str  # overdue / due_soon / open
    label: str  # 剩 3 个工作日 / 今日到期 / 已逾期 2 天
    estimated: bool
    warnings: tuple[str, ...]
    forms: tuple[str, ...] = ()  # form ids of the documents that settle it (延长/解除), in that order
    matter_kind: str = ""  # MatterKind of matter_id: which page opens it


@dataclass(frozen=True)
class DueScan:
    """What every kind's due function gets: the session, the calendar, today, the matters' parties and kinds."""

    session: Session
    cal: WorkCalendar
    today: dt.date
    names: dict[uuid.UUID, str]
    kinds: dict[uuid.UUID, str]

    def item(self, deadline: Deadline, kind: str, record_id: uuid.UUID, matter_id: uuid.UUID) -> DueItem:
        status = urgency(self.cal, deadline, self.today)
        return DueItem(
            kind=kind,
            title=deadline.title,
            subject_name=self.names.get(matter_id, ""),
            matter_id=matter_id,
            record_id=record_id,
            due=deadline.due,
            basis=deadline.basis,
            urgency=str(status.urgency),
            label=status.label,
            estimated=deadline.estimated,
            warnings=deadline.warnings,
            matter_kind=self.kinds.get(matter_id, ""),
        )


def _measures(scan: DueScan) -> list[DueItem]:
    """Holds and seizures still in force, on their statutory clocks, for a matter of any kind."""
    out = []
    for m in scan.session.scalars(
        select(MeasureRow).where(MeasureRow.deleted_at.is_(None), MeasureRow.status == MeasureStatus.ACTIVE)
    ):
        kind = MeasureKind(m.kind)
        deadline = measure_deadline(scan.cal, kind, m.decided_on, m.extended)
        if deadline is not None:
            item = scan.item(deadline, kind.value, m.id, m.matter_id)
            out.append(replace(item, forms=settling_forms(kind, m.extended)))
    return out


def _inspection_due(scan: DueScan) -> list[DueItem]:
    """An inspection's open 复查/回访: a 复查 scheduled from its 责令改正 deadline follows the holiday
    data as they are now; a 回访 is due on its day (服务型执法：事后回访)."""
    rectify = dict(
        scan.session.execute(
            select(InspectionRow.id, InspectionRow.rectify_deadline).where(
                InspectionRow.rectify_deadline.is_not(None)
            )
        ).all()
    )
    out = []
    for f in scan.session.scalars(
        select(FollowUpRow)
        .join(MatterRow, MatterRow.id == FollowUpRow.matter_id)
        .where(
            MatterRow.kind == MatterKind.INSPECTION.value,
            FollowUpRow.deleted_at.is_(None),
            FollowUpRow.status == "open",
        )
    ):
        label = InspectionType(f.kind).label
        title = f"{label}：{f.note}" if f.note else label
        if f.kind == InspectionType.RECHECK:
            due = f.due
            deadline_day = rectify.get(f.matter_id)
            if deadline_day is not None and f.note == recheck_note(deadline_day):
                due = rectification_recheck(scan.cal, deadline_day).due  # as the holiday data say now
            deadline = replace(rectification_recheck(scan.cal, due), title=title, start=due, due=due)
        else:
            deadline = Deadline(DeadlineKind.RECHECK, title, f.due, f.due, "服务型执法：事后回访")
        out.append(scan.item(deadline, f.kind, f.id, f.matter_id))
    return out


# What falls due for the matters of each kind, besides their measures.
DUE_BY_KIND: dict[MatterKind, Callable[[DueScan], list[DueItem]]] = {MatterKind.INSPECTION: _inspection_due}


def open_deadlines(ctx: Context) -> list[DueItem]:
    with ctx.sessions() as session:
        kinds = dict(session.execute(select(MatterRow.id, MatterRow.kind)).all())
        scan = DueScan(session, calendar(ctx), ctx.today(), matters.subject_names_in(session), kinds)
        out = _measures(scan)
        for due_of in DUE_BY_KIND.values():
            out += due_of(scan)
    return sorted(out, key=lambda d: (d.due, d.kind))
