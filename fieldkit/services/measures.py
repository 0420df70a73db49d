"""措施 and follow-ups: holds, seizures and samples with their deadlines; 复查/回访 tasks."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.catalog import load_calendar, office_holidays_dir
from fieldkit.domain.deadlines import rectification_recheck
from fieldkit.domain.inspections import FOLLOW_UP_KINDS, InspectionType
from fieldkit.domain.measures import (
    GoodsLine,
    MeasureDraft,
    MeasureKind,
    MeasureStatus,
    measure_deadline,
    seal_strip_text,
    validate_measure,
)
from fieldkit.domain.problems import Problem
from fieldkit.domain.workdays import WorkCalendar
from fieldkit.errors import FieldkitError, NotFound, ValidationFailed
from fieldkit.services import matters, records
from fieldkit.services.context import Context
from fieldkit.services.setup import load_settings
from fieldkit.store.schema import FollowUpRow, MeasureRow


@dataclass(frozen=True)
class Measure:
    id: uuid.UUID
    matter_id: uuid.UUID
    kind: MeasureKind
    status: str  # MeasureStatus or "lapsed" (先行登记保存 past its 7 working days)
    decided_on: dt.date
    due: dt.date | None
    extended: bool
    storage_place: str
    seal_text: str
    reason: str
    items: tuple[GoodsLine, ...]
    ended_on: dt.date | None
    end_note: str


def calendar(ctx: Context) -> WorkCalendar:
    """Shipped holiday data plus what the office imported into the data dir."""
    return load_calendar(office_holidays_dir(ctx.data_dir))


def current_due(cal: WorkCalendar, row: MeasureRow) -> dt.date | None:
    """The due day as the law counts it today, from the calendar as it is now.

    Computed on every read, never taken from the stored `due`: an office that imports next year's
    holiday notice moves a 先行登记保存 deadline, and the measure list, its status and the due board
    (services/due.py) must all show the same day. The stored column stays what was recorded then.
    """
    deadline = measure_deadline(cal, MeasureKind(row.kind), row.decided_on, row.extended)
    return None if deadline is None else deadline.due


def effective_status(row: MeasureRow, today: dt.date, due: dt.date | None) -> str:
    # 程序规定第三十五条：逾期未作出处理决定的，先行登记保存措施自动解除.
    if (
        row.kind == MeasureKind.PRESERVATION
        and row.status == MeasureStatus.ACTIVE
        and due is not None
        and today > due
    ):
        return "lapsed"
    return row.status


def _to_measure(row: MeasureRow, today: dt.date, cal: WorkCalendar) -> Measure:
    due = current_due(cal, row)
    return Measure(
        row.id,
        row.matter_id,
        MeasureKind(row.kind),
        effective_status(row, today, due),
        row.decided_on,
        due,
        row.extended,
        row.storage_place,
        row.seal_text,
        row.reason,
        tuple(GoodsLine(**line) for line in row.items),
        row.ended_on,
        row.end_note,
    )


def add_measure(ctx: Context, matter_id: uuid.UUID, draft: MeasureDraft) -> uuid.UUID:
    problems = validate_measure(draft)
    if draft.decided_on > ctx.today():  # nothing is recorded as done on a day still to come (issue 9 item 8)
        problems.append(
            Problem(
                "decided_on",
                "future",
                f"决定日期：{draft.decided_on.isoformat()} 晚于今天，不能登记尚未实施的措施",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    deadline = measure_deadline(calendar(ctx), draft.kind, draft.decided_on)
    seal = draft.seal_text
    if not seal and draft.kind.sealed:
        seal = seal_strip_text(load_settings(ctx).agency.full_name, draft.kind, draft.decided_on)
    with ctx.sessions.begin() as session:
        matters.live_in(session, matter_id)
        row = MeasureRow(
            matter_id=matter_id,
            kind=str(draft.kind),
            status=str(MeasureStatus.CLOSED if draft.kind is MeasureKind.SAMPLING else MeasureStatus.ACTIVE),
            decided_on=draft.decided_on,
            due=None if deadline is None else deadline.due,
            storage_place=draft.storage_place.strip(),
            seal_text=seal,
            reason=draft.reason.strip(),
            items=[asdict(line) for line in draft.items],
        )
        records.create(session, ctx, row, detail={"kind": row.kind})
        return row.id


def _measure(session: Session, measure_id: uuid.UUID) -> MeasureRow:
    row = session.get(MeasureRow, measure_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("找不到该措施")
    return row


def extend_seizure(ctx: Context, measure_id: uuid.UUID, reason: str) -> dt.date:
    """行政强制法第二十五条：情况复杂的，经批准可以延长，但延长期限不得超过三十日 — once."""
    if not reason.strip():
        raise ValidationFailed(
            [Problem("reason", "required", "延长理由：必填（须书面告知当事人并说明理由）")]
        )
    with ctx.sessions.begin() as session:
        row = _measure(session, measure_id)
        if row.kind not in (MeasureKind.SEAL, MeasureKind.SEIZE) or row.status != MeasureStatus.ACTIVE:
            raise FieldkitError("只有进行中的查封、扣押可以延长")
        if row.extended:
            raise FieldkitError("查封、扣押期限只能延长一次（行政强制法第二十五条）")
        extended = measure_deadline(calendar(ctx), MeasureKind(row.kind), row.decided_on, extended=True)
        assert extended is not None
        due = extended.due
        records.update(
            session, ctx, row, {"extended": True, "due": due}, action="extend", detail={"reason": reason}
        )
        return due


def end_measure(ctx: Context, measure_id: uuid.UUID, status: MeasureStatus, note: str) -> None:
    """解除 (release) or 转处理 (converted): the date and the reason are recorded."""
    if status not in (MeasureStatus.RELEASED, MeasureStatus.CONVERTED):
        raise ValueError(status)
    if not note.strip():
        raise ValidationFailed([Problem("end_note", "required", "处理说明：必填")])
    with ctx.sessions.begin() as session:
        row = _measure(session, measure_id)
        if row.status != MeasureStatus.ACTIVE:
            raise FieldkitError("该措施已经结束")
        records.update(
            session,
            ctx,
            row,
            {"status": str(status), "ended_on": ctx.today(), "end_note": note.strip()},
            action="release" if status is MeasureStatus.RELEASED else "convert",
        )


def list_measures(ctx: Context, matter_id: uuid.UUID | None = None) -> list[Measure]:
    stmt = select(MeasureRow).where(MeasureRow.deleted_at.is_(None))
    if matter_id is not None:
        stmt = stmt.where(MeasureRow.matter_id == matter_id)
    today = ctx.today()
    cal = calendar(ctx)
    with ctx.sessions() as session:
        return [_to_measure(r, today, cal) for r in session.scalars(stmt.order_by(MeasureRow.decided_on))]


def schedule_recheck(session: Session, ctx: Context, matter_id: uuid.UUID, deadline: dt.date) -> FollowUpRow:
    """责令改正 → a 复查 after the deadline (called in the transaction that completes the inspection)."""
    due = rectification_recheck(calendar(ctx), deadline).due
    row = FollowUpRow(
        matter_id=matter_id,
        kind=InspectionType.RECHECK,
        due=due,
        status="open",
        note=recheck_note(deadline),
    )
    return records.create(session, ctx, row)


def recheck_note(deadline: dt.date) -> str:
    """The note of a 复查 scheduled from a 责令改正 deadline: the due board recomputes such a 复查's day
    from the deadline and the holiday data as they are now (a hand-set 复查 keeps its day)."""
    return f"改正期限 {deadline.isoformat()} 届满后复查"


def add_follow_up(
    ctx: Context, matter_id: uuid.UUID, kind: InspectionType, due: dt.date, note: str = ""
) -> uuid.UUID:
    if kind not in FOLLOW_UP_KINDS:
        allowed = "或".join(f"「{k.label}」" for k in FOLLOW_UP_KINDS)
        raise ValidationFailed([Problem("kind", "choice", f"任务类型：只能是{allowed}")])
    with ctx.sessions.begin() as session:
        matters.live_in(session, matter_id)
        row = records.create(
            session,
            ctx,
            FollowUpRow(matter_id=matter_id, kind=kind, due=due, status="open", note=note),
        )
        return row.id


def close_follow_up(
    ctx: Context, follow_up_id: uuid.UUID, *, done_inspection_id: uuid.UUID | None = None, note: str = ""
) -> None:
    with ctx.sessions.begin() as session:
        row = session.get(FollowUpRow, follow_up_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("找不到该任务")
        records.update(
            session,
            ctx,
            row,
            {"status": "done", "done_inspection_id": done_inspection_id, "note": note or row.note},
        )
