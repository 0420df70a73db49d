"""What is due: holds about to lapse, seizures about to expire, 复查/回访 due — soonest first."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace

from sqlalchemy import select

from fieldkit.domain.deadlines import (
    Deadline,
    DeadlineKind,
    rectification_recheck,
    urgency,
)
from fieldkit.domain.formrules import settling_forms
from fieldkit.domain.inspections import InspectionType
from fieldkit.domain.measures import MeasureKind, MeasureStatus, measure_deadline
from fieldkit.services import matters
from fieldkit.services.context import Context
from fieldkit.services.measures import calendar, recheck_note
from fieldkit.store.schema import FollowUpRow, InspectionRow, MeasureRow


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


def open_deadlines(ctx: Context) -> list[DueItem]:
    cal = calendar(ctx)
    today = ctx.today()
    out: list[DueItem] = []
    with ctx.sessions() as session:
        names = matters.subject_names_in(session)
        for m in session.scalars(
            select(MeasureRow).where(
                MeasureRow.deleted_at.is_(None), MeasureRow.status == MeasureStatus.ACTIVE
            )
        ):
            kind = MeasureKind(m.kind)
            deadline = measure_deadline(cal, kind, m.decided_on, m.extended)
            if deadline is None:
                continue
            item = _item(cal, deadline, today, kind.value, m.id, m.matter_id, names)
            out.append(replace(item, forms=settling_forms(kind, m.extended)))
        rectify = dict(
            session.execute(
                select(InspectionRow.id, InspectionRow.rectify_deadline).where(
                    InspectionRow.rectify_deadline.is_not(None)
                )
            ).all()
        )
        for f in session.scalars(
            select(FollowUpRow).where(FollowUpRow.deleted_at.is_(None), FollowUpRow.status == "open")
        ):
            label = InspectionType(f.kind).label
            title = f"{label}：{f.note}" if f.note else label
            if f.kind == InspectionType.RECHECK:
                due = f.due
                deadline_day = rectify.get(f.matter_id)
                if deadline_day is not None and f.note == recheck_note(deadline_day):
                    due = rectification_recheck(cal, deadline_day).due  # as the holiday data say now
                deadline = replace(rectification_recheck(cal, due), title=title, start=due, due=due)
            else:
                deadline = Deadline(DeadlineKind.RECHECK, title, f.due, f.due, "服务型执法：事后回访")
            out.append(_item(cal, deadline, today, f.kind, f.id, f.matter_id, names))
    return sorted(out, key=lambda d: (d.due, d.kind))


def _item(cal, deadline: Deadline, today: dt.date, kind: str, record_id, matter_id, names) -> DueItem:  # type: ignore[no-untyped-def]
    status = urgency(cal, deadline, today)
    return DueItem(
        kind=kind,
        title=deadline.title,
        subject_name=names.get(matter_id, ""),
        matter_id=matter_id,
        record_id=record_id,
        due=deadline.due,
        basis=deadline.basis,
        urgency=str(status.urgency),
        label=status.label,
        estimated=deadline.estimated,
        warnings=deadline.warnings,
    )
