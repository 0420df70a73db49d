"""现场检查: start, autosave, complete, reopen and list inspections."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, String, TextClause, bindparam, func, select, text, type_coerce
from sqlalchemy.orm import Session

from fieldkit.catalog import load_checklists
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.inspections import (
    FIELD_LABELS,
    CheckEntry,
    InspectionDraft,
    InspectionStatus,
    InspectionType,
    OfficerRef,
    Outcome,
    failed_checks,
    is_blank,
    validate_for_completion,
)
from fieldkit.domain.problems import Problem
from fieldkit.domain.roster import NamedOfficer, roster_problems
from fieldkit.errors import EditConflict, FieldkitError, NotFound, ValidationFailed
from fieldkit.services import records
from fieldkit.services.context import Context, get_meta, set_meta
from fieldkit.services.measures import schedule_recheck
from fieldkit.services.setup import roster_entries
from fieldkit.store.db import brief_wait
from fieldkit.store.idlist import IdList
from fieldkit.store.schema import (
    INSPECTION_PAGE_INDEX,
    INSPECTION_SORT_KEYS,
    INSPECTION_WHEN,
    DocumentRow,
    EvidenceItemRow,
    FollowUpRow,
    InspectionRow,
    MeasureRow,
    SubjectRow,
)


class InspectionLocked(FieldkitError):
    """A completed inspection is read-only until it is reopened (the reopening is audited)."""


@dataclass(frozen=True)
class InspectionRecord:
    id: uuid.UUID
    status: InspectionStatus
    version: int
    updated_at: dt.datetime
    draft: InspectionDraft
    subject_name: str
    # Made by another laptop and imported here (the office): only its own device may change it
    # (issue 11.1), so here it is shown, never edited, completed, reopened or deleted.
    foreign: bool = False


@dataclass(frozen=True)
class InspectionListItem:
    id: uuid.UUID
    subject_name: str
    inspection_type: InspectionType
    start_at: dt.datetime | None
    place: str
    status: InspectionStatus
    outcome: Outcome | None
    domain_names: str
    failed_count: int
    officer_names: str
    updated_at: dt.datetime


def domain_names(ids: Sequence[str], names: dict[str, str] | None = None) -> str:
    if names is None:
        names = {d.id: d.name for d in load_checklists()}
    return "、".join(names.get(i, i) for i in ids)


def _to_row_values(draft: InspectionDraft) -> dict[str, Any]:
    return {
        "subject_id": uuid.UUID(draft.subject_id) if draft.subject_id else None,
        "inspection_type": str(draft.inspection_type),
        "start_at": draft.start_at,
        "end_at": draft.end_at,
        "place": draft.place,
        "officers": [
            {"officer_id": o.officer_id, "name": o.name, "cert_no": o.cert_no} for o in draft.officers
        ],
        "domains": list(draft.domains),
        "checks": [
            {
                "domain_id": c.domain_id,
                "code": c.code,
                "group": c.group,
                "text": c.text,
                "basis": c.basis,
                "result": None if c.result is None else str(c.result),
                "note": c.note,
            }
            for c in draft.checks
        ],
        "findings": draft.findings,
        "outcome": None if draft.outcome is None else str(draft.outcome),
        "outcome_note": draft.outcome_note,
        "rectify_deadline": draft.rectify_deadline,
    }


def _to_draft(row: InspectionRow) -> InspectionDraft:
    return InspectionDraft(
        subject_id=str(row.subject_id) if row.subject_id else None,
        inspection_type=InspectionType(row.inspection_type),
        start_at=row.start_at,
        end_at=row.end_at,
        place=row.place,
        officers=tuple(OfficerRef(o["officer_id"], o["name"], o["cert_no"]) for o in row.officers),
        domains=tuple(row.domains),
        checks=tuple(
            CheckEntry(
                c["domain_id"],
                c["code"],
                c.get("group", ""),
                c["text"],
                c.get("basis", ""),
                None if c.get("result") is None else CheckResult(c["result"]),
                c.get("note", ""),
            )
            for c in row.checks
        ),
        findings=row.findings,
        outcome=None if row.outcome is None else Outcome(row.outcome),
        outcome_note=row.outcome_note,
        rectify_deadline=row.rectify_deadline,
    )


def _live(session: Session, inspection_id: uuid.UUID) -> InspectionRow:
    row = session.get(InspectionRow, inspection_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("找不到该检查记录（可能已被删除）")
    return row


def _own(ctx: Context, row: InspectionRow) -> InspectionRow:
    """A device writes only its own records (issue 11.1): at the office an imported inspection is a copy."""
    if records.is_foreign(ctx, row):  # refused before the status checks, as the one reason that holds
        raise InspectionLocked(records.FOREIGN_WORK)
    return row


def _subject_name(session: Session, subject_id: uuid.UUID | None) -> str:
    if subject_id is None:
        return ""
    subject = session.get(SubjectRow, subject_id)
    return "" if subject is None else subject.name


def new_inspection(
    ctx: Context,
    subject_id: uuid.UUID | None = None,
    inspection_type: InspectionType = InspectionType.ROUTINE,
) -> uuid.UUID:
    """A draft that exists from the first moment, so the first keystroke already has a home."""
    start = ctx.now().replace(second=0, microsecond=0)
    with ctx.sessions.begin() as session:
        place = ""
        if subject_id is not None:
            subject = session.get(SubjectRow, subject_id)
            if subject is None or subject.deleted_at is not None:
                raise NotFound("找不到该当事人")
            place = subject.address
        last = get_meta(session, "last_officers")
        row = InspectionRow(
            subject_id=subject_id,
            status=str(InspectionStatus.DRAFT),
            inspection_type=str(inspection_type),
            start_at=start,
            place=place,
            officers=json.loads(last) if last else [],
        )
        records.create(session, ctx, row)
        return row.id


def load_inspection(ctx: Context, inspection_id: uuid.UUID) -> InspectionRecord:
    with ctx.sessions() as session:
        row = _live(session, inspection_id)
        return InspectionRecord(
            row.id,
            InspectionStatus(row.status),
            row.version,
            row.updated_at,
            _to_draft(row),
            _subject_name(session, row.subject_id),
            foreign=records.is_foreign(ctx, row),
        )


def save_draft(
    ctx: Context,
    inspection_id: uuid.UUID,
    draft: InspectionDraft,
    *,
    base_version: int | None = None,
    wait_ms: int | None = None,
) -> bool:
    """Autosave: any state is accepted in a draft. Returns whether anything changed (the version
    then went up by one).

    `base_version` is the version the editor loaded: if the record has changed since (another
    window, another FieldKit on this data dir, an import), nothing is saved and EditConflict says
    so — the other change is kept, and the editor keeps what the officer typed.
    """
    with ctx.sessions.begin() as session, _waiting(session, wait_ms):
        row = _own(ctx, _live(session, inspection_id))
        if row.status != InspectionStatus.DRAFT:
            raise InspectionLocked("该检查已完成，不能再修改；如需更正请先「撤回完成」")
        if base_version is not None and row.version != base_version:
            raise EditConflict(
                records.conflict_message("这份检查记录", row.version, row.updated_at),
                current_version=row.version,
            )
        return records.update(session, ctx, row, _to_row_values(draft), action="autosave")


def completion_problems(ctx: Context, draft: InspectionDraft) -> list[Problem]:
    """The completion rules plus the roster: two different registered officers (行政处罚法第四十二条)."""
    problems = validate_for_completion(draft, today=ctx.today(), now=ctx.now())
    named = [NamedOfficer(o.name, o.cert_no, o.officer_id) for o in draft.officers]
    with ctx.sessions() as session:
        roster = roster_entries(session)
    return problems + roster_problems(named, roster, "officers", FIELD_LABELS["officers"])


def complete_inspection(ctx: Context, inspection_id: uuid.UUID, draft: InspectionDraft) -> None:
    if problems := completion_problems(ctx, draft):
        raise ValidationFailed(problems)
    with ctx.sessions.begin() as session:
        row = _own(ctx, _live(session, inspection_id))
        if row.status != InspectionStatus.DRAFT:
            raise InspectionLocked("该检查已经完成")
        values = _to_row_values(draft)
        values.update(status=str(InspectionStatus.COMPLETED), completed_at=ctx.now())
        records.update(
            session, ctx, row, values, action="complete", detail={"failed_items": len(failed_checks(draft))}
        )
        set_meta(session, "last_officers", json.dumps(values["officers"], ensure_ascii=False))
        if draft.outcome is Outcome.RECTIFY and draft.rectify_deadline is not None:
            schedule_recheck(session, ctx, row.id, draft.rectify_deadline)


def reopen_inspection(ctx: Context, inspection_id: uuid.UUID, reason: str) -> None:
    if not reason.strip():
        raise ValidationFailed([Problem("reason", "required", "撤回理由：必填")])
    with ctx.sessions.begin() as session:
        row = _own(ctx, _live(session, inspection_id))
        records.update(
            session,
            ctx,
            row,
            {"status": str(InspectionStatus.DRAFT), "completed_at": None},
            action="reopen",
            detail={"reason": reason.strip()},
        )


def delete_draft(ctx: Context, inspection_id: uuid.UUID) -> None:
    with ctx.sessions.begin() as session:
        row = _own(ctx, _live(session, inspection_id))
        if row.status != InspectionStatus.DRAFT:
            raise InspectionLocked("已完成的检查不能删除")
        records.tombstone(session, ctx, row)


def discard_if_blank(ctx: Context, inspection_id: uuid.UUID, *, wait_ms: int | None = None) -> bool:
    """Delete a draft left with nothing written (domain.inspections.is_blank) and nothing attached
    (evidence, measures, documents, follow-ups): Ctrl+N, then back, keeps no empty draft in the
    list. Returns whether it was deleted. `wait_ms`: as in save_draft (the GUI thread)."""
    with ctx.sessions.begin() as session, _waiting(session, wait_ms):
        row = session.get(InspectionRow, inspection_id)
        if row is None or row.deleted_at is not None or row.status != InspectionStatus.DRAFT:
            return False
        if records.is_foreign(ctx, row):  # another laptop's draft, imported: not ours to drop
            return False
        if not is_blank(_to_draft(row)):
            return False
        for child in (DocumentRow, EvidenceItemRow, MeasureRow, FollowUpRow):
            attached = select(child.id).where(child.matter_id == inspection_id, child.deleted_at.is_(None))
            if session.scalar(attached.limit(1)) is not None:
                return False
        records.tombstone(session, ctx, row)
        return True


SORT_KEYS = tuple(INSPECTION_SORT_KEYS)  # start, subject, type, domains, failed, outcome, status, …
DEFAULT_SORT = ("start", True)  # 检查时间, newest first


def inspection_ids(
    ctx: Context,
    *,
    status: InspectionStatus | None = None,
    query: str = "",
    sort: str = "start",
    descending: bool = True,
    among: Sequence[uuid.UUID] | None = None,
) -> list[uuid.UUID]:
    """inspection_id_list as a plain list of uuid.UUID (see there)."""
    return list(
        inspection_id_list(ctx, status=status, query=query, sort=sort, descending=descending, among=among)
    )


def inspection_id_list(
    ctx: Context,
    *,
    status: InspectionStatus | None = None,
    query: str = "",
    sort: str = "start",
    descending: bool = True,
    among: Sequence[uuid.UUID] | None = None,
) -> IdList:
    """Ids in list order: by `sort` (one of SORT_KEYS), ties by 检查时间 and id in the same direction;
    the default is newest first. `query` matches the subject's name or the place (substring); `among`
    keeps only these ids (the dashboard's 20 most recent, in the order chosen for that list).

    Each key has a covering index (store/schema.py), so at 100,000 rows the order costs an index scan,
    not a read of every row's check lists. 当事人 sorts by the subject's name through a join."""
    stmt = inspection_id_query(status=status, query=query, sort=sort, descending=descending, among=among)
    # In one string (issue 14): SQLite concatenates the ids in the subquery's order, as it reads them
    # from the index, so 100,000 rows cost no tuple and no str each in Python (the order is held equal
    # to a row-by-row read of inspection_id_query for every key in tests/services/test_inspection_order.py).
    packed = select(func.group_concat(stmt.subquery().c.id, ""))
    with ctx.sessions() as session:
        return IdList(session.connection().execute(packed).scalar_one() or "")


def inspection_id_query(
    *,
    status: InspectionStatus | None = None,
    query: str = "",
    sort: str = "start",
    descending: bool = True,
    among: Sequence[uuid.UUID] | None = None,
) -> Select[tuple[str]]:
    """The ids (hex text as stored) in list order, as inspection_id_list reads them."""
    if sort not in INSPECTION_SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}")
    # The ids as stored (hex text), not as 100,000 uuid.UUID objects: see store/idlist.py.
    stmt = select(type_coerce(InspectionRow.id, String)).where(InspectionRow.deleted_at.is_(None))
    if status is not None:
        stmt = stmt.where(InspectionRow.status == str(status))
    # Named, not left to the planner: without ANALYZE statistics it may take the status index and
    # sort 50,000 rows it must read. By 检查时间 within one status, the status index is in order.
    index = "status" if sort == "start" and status is not None else sort
    stmt = stmt.with_hint(InspectionRow, f"INDEXED BY ix_inspection_sort_{index}", "sqlite")
    if among is not None:
        stmt = stmt.where(InspectionRow.id.in_(list(among)))
    joined = bool(query.strip()) or sort == "subject"
    if joined:
        stmt = stmt.outerjoin(SubjectRow, SubjectRow.id == InspectionRow.subject_id)
    if query.strip():
        like = f"%{query.strip()}%"
        stmt = stmt.where(SubjectRow.name.like(like) | InspectionRow.place.like(like))
    key = SubjectRow.name if sort == "subject" else INSPECTION_SORT_KEYS[sort]
    keys = [key] if sort == "start" else [key, INSPECTION_WHEN]
    stmt = stmt.order_by(*(k.desc() if descending else k.asc() for k in keys))
    return stmt.order_by(InspectionRow.id.desc() if descending else InspectionRow.id.asc())


def inspection_items(ctx: Context, ids: Sequence[uuid.UUID]) -> list[InspectionListItem]:
    """The list columns only (a page of the lazy list model): no ORM objects, no findings or checks."""
    names = {d.id: d.name for d in load_checklists()}
    with ctx.sessions() as session:
        found = {row.id: row for row in session.execute(_page_query(), {"ids": list(ids)})}
    items = []
    for i in ids:
        if (row := found.get(i)) is None:
            continue
        items.append(
            InspectionListItem(
                id=row.id,
                subject_name=row.name or "",
                inspection_type=InspectionType(row.inspection_type),
                start_at=row.start_at,
                place=row.place,
                status=InspectionStatus(row.status),
                outcome=None if row.outcome is None else Outcome(row.outcome),
                domain_names=domain_names(row.domains, names),
                failed_count=row.failed_count,
                officer_names="、".join(o["name"] for o in row.officers),
                updated_at=row.updated_at,
            )
        )
    return items


def _page_query() -> TextClause:
    """The list columns of rows by id, from the covering index INSPECTION_PAGE_INDEX alone.

    In SQL text because SQLAlchemy's SQLite dialect drops table hints (`with_hint` renders nothing), and
    without INDEXED BY the planner takes the unique id index and reads each row past its check lists
    (store/schema.py, migration 0015); tests/services/test_inspection_order.py checks the plan."""
    return (
        text(
            "SELECT i.id, s.name, i.inspection_type, i.start_at, i.place, i.status, i.outcome,"
            " i.domains, i.officers, i.updated_at, i.failed_count"
            f" FROM inspection AS i INDEXED BY {INSPECTION_PAGE_INDEX}"
            " LEFT OUTER JOIN subject AS s ON s.id = i.subject_id WHERE i.id IN :ids"
        )
        .bindparams(bindparam("ids", expanding=True, type_=InspectionRow.__table__.c.id.type))
        .columns(
            InspectionRow.id,
            SubjectRow.name,
            InspectionRow.inspection_type,
            InspectionRow.start_at,
            InspectionRow.place,
            InspectionRow.status,
            InspectionRow.outcome,
            InspectionRow.domains,
            InspectionRow.officers,
            InspectionRow.updated_at,
            InspectionRow.failed_count,
        )
    )


def drafts_in_progress(ctx: Context) -> list[InspectionListItem]:
    return inspection_items(ctx, inspection_ids(ctx, status=InspectionStatus.DRAFT))


def recent_inspections(ctx: Context, limit: int = 20) -> list[InspectionListItem]:
    return inspection_items(ctx, inspection_ids(ctx, status=InspectionStatus.COMPLETED)[:limit])


def _waiting(session: Session, wait_ms: int | None) -> contextlib.AbstractContextManager[None]:
    """`wait_ms` (the GUI's autosave): wait that long at most for another writer, not 5 s."""
    return brief_wait(session, wait_ms) if wait_ms is not None else contextlib.nullcontext()
