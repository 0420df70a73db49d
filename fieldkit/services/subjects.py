"""当事人: add, edit, delete, look up and search subjects."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.domain.problems import Problem
from fieldkit.domain.subjects import SubjectDraft, SubjectType, validate_subject
from fieldkit.errors import EditConflict, NotFound, ValidationFailed
from fieldkit.services import records
from fieldkit.services.context import Context
from fieldkit.store import search
from fieldkit.store.schema import SubjectRow


@dataclass(frozen=True)
class SubjectListItem:
    id: uuid.UUID
    name: str
    subject_type: SubjectType
    uscc: str
    legal_rep: str
    address: str
    phone: str


@dataclass(frozen=True)
class Subject:
    id: uuid.UUID
    draft: SubjectDraft
    version: int


def _row_values(draft: SubjectDraft) -> dict[str, object]:
    values = asdict(draft)
    values["subject_type"] = str(draft.subject_type)
    values["uscc"] = draft.uscc or None
    return values


def check_subject(draft: SubjectDraft) -> SubjectDraft:
    """Normalize and validate; warnings (a failed check character without a reason) refuse too,
    so the UI can ask the officer for the reason and try again."""
    draft = draft.normalized()
    if problems := validate_subject(draft):
        raise ValidationFailed(problems)
    return draft


def _uscc_clash(session: Session, uscc: str | None, own_id: uuid.UUID | None) -> SubjectRow | None:
    if not uscc:
        return None
    stmt = select(SubjectRow).where(SubjectRow.uscc == uscc, SubjectRow.deleted_at.is_(None))
    return next((r for r in session.scalars(stmt) if r.id != own_id), None)


def _refuse_duplicate(clash: SubjectRow) -> ValidationFailed:
    return ValidationFailed(
        [Problem("uscc", "uscc.duplicate", f"统一社会信用代码：已登记为「{clash.name}」，请勿重复添加")]
    )


def add_subject(ctx: Context, draft: SubjectDraft) -> uuid.UUID:
    draft = check_subject(draft)
    with ctx.sessions.begin() as session:
        if clash := _uscc_clash(session, draft.uscc, None):
            raise _refuse_duplicate(clash)
        row = SubjectRow(search_rowid=search.next_search_rowid(session), **_row_values(draft))
        records.create(session, ctx, row)
        search.index_subjects(session, [row])
        return row.id


def update_subject(
    ctx: Context, subject_id: uuid.UUID, draft: SubjectDraft, *, base_version: int | None = None
) -> None:
    """`base_version`: the version the dialog loaded; changed since elsewhere → EditConflict, nothing
    saved (no lost update, issue 11.5)."""
    draft = check_subject(draft)
    with ctx.sessions.begin() as session:
        row = _live_row(session, subject_id)
        if base_version is not None and row.version != base_version:
            raise EditConflict(
                records.conflict_message("这个当事人", row.version, row.updated_at),
                current_version=row.version,
            )
        if clash := _uscc_clash(session, draft.uscc, subject_id):
            raise _refuse_duplicate(clash)
        if records.update(session, ctx, row, _row_values(draft)):
            search.index_subjects(session, [row])


def delete_subject(ctx: Context, subject_id: uuid.UUID) -> None:
    """A tombstone: the row stays (inspections refer to it) and the deletion travels in bundles."""
    with ctx.sessions.begin() as session:
        row = _live_row(session, subject_id)
        records.tombstone(session, ctx, row)
        search.index_subjects(session, [row])


def _live_row(session: Session, subject_id: uuid.UUID) -> SubjectRow:
    row = session.get(SubjectRow, subject_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("找不到该当事人（可能已被删除）")
    return row


def to_draft(row: SubjectRow) -> SubjectDraft:
    return SubjectDraft(
        name=row.name,
        subject_type=SubjectType(row.subject_type),
        uscc=row.uscc or "",
        legal_rep=row.legal_rep,
        id_number=row.id_number,
        address=row.address,
        phone=row.phone,
        license_no=row.license_no,
        uscc_note=row.uscc_note,
    )


def get_subject(ctx: Context, subject_id: uuid.UUID) -> Subject:
    with ctx.sessions() as session:
        row = session.get(SubjectRow, subject_id)
        if row is None:
            raise NotFound("找不到该当事人")
        return Subject(row.id, to_draft(row), row.version)


def search_subject_ids(
    ctx: Context, query: str = "", limit: int | None = None, *, sort: str = "name", descending: bool = False
) -> list[uuid.UUID]:
    """Matching subjects in list order: by `sort` (store.search.SUBJECT_SORT_COLUMNS), by name unless
    the officer chose another column."""
    with ctx.sessions() as session:
        return search.search_subject_ids(session, query, limit, sort=sort, descending=descending)


def subject_items(ctx: Context, ids: Sequence[uuid.UUID]) -> list[SubjectListItem]:
    """List views of these ids, in the same order (a model fetches a page at a time)."""
    with ctx.sessions() as session:
        rows = {r.id: r for r in session.scalars(select(SubjectRow).where(SubjectRow.id.in_(list(ids))))}
    return [
        SubjectListItem(
            r.id, r.name, SubjectType(r.subject_type), r.uscc or "", r.legal_rep, r.address, r.phone
        )
        for r in (rows[i] for i in ids if i in rows)
    ]
