"""案卷 (matters) for any kind: what one is (kind, subject, a one-line title), found by its id.

Callers (evidence, measures, documents, due items, the panels' headers) ask `describe` and never look
at the parent record themselves; each kind of matter has one describer in DESCRIBERS. A case kind adds
its describer there (one entry) instead of editing the callers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.domain.inspections import InspectionType
from fieldkit.domain.matters import MatterKind, MatterRef, kind_label
from fieldkit.errors import NotFound
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.store.schema import MATTER_PARENTS, InspectionRow, MatterRow, SubjectRow


@dataclass(frozen=True)
class MatterView:
    """A matter as lists, headers and the services acting on its children see it."""

    ref: MatterRef
    title: str  # one line for headers and lists: 检查 某某超市 2026-03-02
    subject_name: str
    place: str  # where its work is done: the default 采集地点 of evidence
    officers: tuple[dict[str, str], ...]  # {"name", "cert_no"} as recorded on the parent, in order
    device_id: str  # the laptop that owns the parent (and so may add children)
    live: bool  # False: the parent is tombstoned

    @property
    def id(self) -> uuid.UUID:
        return self.ref.id

    @property
    def kind(self) -> MatterKind:
        return self.ref.kind

    @property
    def kind_label(self) -> str:
        return self.ref.kind_label

    @property
    def officer_names(self) -> tuple[str, ...]:
        return tuple(o["name"] for o in self.officers)


Describer = Callable[[Session, MatterRow, MatterRef], MatterView | None]


def _subject_name(session: Session, subject_id: uuid.UUID | None) -> str:
    subject = session.get(SubjectRow, subject_id) if subject_id is not None else None
    return "" if subject is None else subject.name


def _describe_inspection(session: Session, row: MatterRow, ref: MatterRef) -> MatterView | None:
    inspection = session.get(InspectionRow, row.id)
    if inspection is None:
        return None
    name = _subject_name(session, inspection.subject_id)
    when = inspection.start_at or inspection.created_at
    day = when.astimezone(SHANGHAI).strftime("%Y-%m-%d") if when else ""
    title = " ".join(
        p
        for p in (
            kind_label(ref.kind),
            name or "（未选当事人）",
            InspectionType.label_of(inspection.inspection_type),
            day,
        )
        if p
    )
    return MatterView(
        ref=ref,
        title=title,
        subject_name=name,
        place=inspection.place,
        officers=tuple({"name": o["name"], "cert_no": o.get("cert_no", "")} for o in inspection.officers),
        device_id=inspection.device_id,
        live=inspection.deleted_at is None,
    )


# One describer per kind of matter (domain/matters.py MatterKind).
DESCRIBERS: dict[MatterKind, Describer] = {MatterKind.INSPECTION: _describe_inspection}


def _ref(row: MatterRow) -> MatterRef:
    return MatterRef(row.id, MatterKind(row.kind), row.subject_id, row.created_at)


def view_in(session: Session, matter_id: uuid.UUID) -> MatterView | None:
    """The matter with this id inside the caller's transaction, or None if there is none."""
    row = session.get(MatterRow, matter_id)
    if row is None:
        return None
    ref = _ref(row)
    return DESCRIBERS[ref.kind](session, row, ref)


def live_in(session: Session, matter_id: uuid.UUID) -> MatterView:
    """The matter inside the caller's transaction; NotFound (naming its kind) if it is gone."""
    view = view_in(session, matter_id)
    if view is None or not view.live:
        what = kind_label(view.kind) if view is not None else "案卷"
        raise NotFound(f"找不到该{what}记录")
    return view


def describe(ctx: Context, matter_id: uuid.UUID) -> MatterView:
    """The matter with this id (NotFound if it does not exist; a tombstoned one says live=False)."""
    with ctx.sessions() as session:
        view = view_in(session, matter_id)
    if view is None:
        raise NotFound("找不到该案卷")
    return view


def kind_of(session: Session, matter_id: uuid.UUID | None) -> MatterKind | None:
    if matter_id is None:
        return None
    kind = session.scalar(select(MatterRow.kind).where(MatterRow.id == matter_id))
    return None if kind is None else MatterKind(kind)


def owners_in(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The device owning each matter's parent record: only that laptop adds children to it."""
    wanted = list(set(ids))
    found: dict[uuid.UUID, str] = {}
    for parent in MATTER_PARENTS.values():
        for start in range(0, len(wanted), 500):
            found.update(
                session.execute(
                    select(parent.id, parent.device_id).where(parent.id.in_(wanted[start : start + 500]))
                ).all()
            )
    return found


def subject_names_in(session: Session) -> dict[uuid.UUID, str]:
    """The party's name of every matter that has one (due lists, exports)."""
    return dict(
        session.execute(
            select(MatterRow.id, SubjectRow.name).join(SubjectRow, SubjectRow.id == MatterRow.subject_id)
        ).all()
    )
