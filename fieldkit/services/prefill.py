"""Pre-fill providers: the values behind each form `source` key, for a matter of any kind (or none).

One provider per source prefix (domain/prefill.py GROUPS says which keys each has and which matter kinds
it serves). `sources()` asks every provider that serves the document's matter and keeps, of what each
returns, only the keys of its own prefix, so a provider cannot fill another's keys by mistake. A case
kind adds its group there and its provider here; the forms and the document services stay as they are.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.catalog import load_checklists
from fieldkit.domain import prefill as P
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.measures import MeasureKind
from fieldkit.domain.subjects import SubjectType, derived_type, party_class
from fieldkit.errors import NotFound
from fieldkit.services import matters
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.matters import MatterView
from fieldkit.services.setup import load_settings
from fieldkit.store.schema import InspectionRow, MeasureRow, SubjectRow

Provider = Callable[[Session, Context, MatterView | None], dict[str, Any]]


def _local(value: dt.datetime | None, fmt: str) -> str:
    return value.astimezone(SHANGHAI).strftime(fmt) if value else ""


def _agency(session: Session, ctx: Context, matter: MatterView | None) -> dict[str, Any]:
    agency = load_settings(ctx).agency
    return {
        "agency.name": agency.full_name,
        "agency.government": agency.review_body(),  # 本级人民政府, never typed per document
        "agency.address": agency.address,
        "agency.contact_phone": agency.phone,
    }


def _today(session: Session, ctx: Context, matter: MatterView | None) -> dict[str, Any]:
    return {"today": ctx.today().isoformat()}


def _subject(session: Session, ctx: Context, matter: MatterView | None) -> dict[str, Any]:
    subject_id = None if matter is None else matter.ref.subject_id
    subject = session.get(SubjectRow, subject_id) if subject_id is not None else None
    if subject is None:
        return {}
    # The identifiers decide the type; the stored type only where they say nothing (old records).
    kind = derived_type(subject.uscc or "", subject.id_number) or SubjectType(subject.subject_type)
    person = kind is SubjectType.NATURAL_PERSON
    return {
        "subject.name": subject.name,
        "subject.party_type": party_class(kind),
        "subject.license_name": "居民身份证" if person else "营业执照",
        "subject.uscc": subject.uscc or "",
        "subject.address": subject.address,
        "subject.legal_rep": subject.legal_rep,
        "subject.id_no": subject.id_number,
        "subject.phone": subject.phone,
    }


def _officers(session: Session, ctx: Context, matter: MatterView | None) -> dict[str, Any]:
    if matter is None:
        return {}
    officers = [dict(o) for o in matter.officers]
    return {
        "officers.all": officers,
        "officers.recorder": officers[-1]["name"] if officers else "",
        "officers.contact": officers[0]["name"] if officers else "",  # 联系人: the first officer
    }


def _inspection(session: Session, ctx: Context, matter: MatterView | None) -> dict[str, Any]:
    inspection = None if matter is None else session.get(InspectionRow, matter.id)
    if inspection is None:
        return {}
    names = {d.id: d.name for d in load_checklists()}
    domains = "、".join(names.get(i, i) for i in inspection.domains)
    failed = [
        P.FailedCheck(str(c.get("text") or ""), str(c.get("note") or ""), str(c.get("basis") or ""))
        for c in inspection.checks or []
        if c.get("result") == CheckResult.FAIL.value
    ]
    kinds = session.scalars(
        select(MeasureRow.kind)
        .where(MeasureRow.matter_id == inspection.id, MeasureRow.deleted_at.is_(None))
        .order_by(MeasureRow.created_at)
    ).all()
    labels = [MeasureKind(k).label for k in kinds]
    deadline = inspection.rectify_deadline.isoformat() if inspection.rectify_deadline else ""
    # What the inspection found and did (issue 10 item 3): 检查情况 with the items found 不符合, the
    # violations and their provisions, the measures already taken, the outcome's 改正 terms.
    return {
        "inspection.place": inspection.place,
        "inspection.start_at": _local(inspection.start_at, "%Y-%m-%dT%H:%M"),
        "inspection.end_at": _local(inspection.end_at, "%Y-%m-%dT%H:%M"),
        "inspection.matter": domains and f"{domains}检查",
        "inspection.findings": P.findings_text(inspection.findings or "", failed),
        "inspection.violations": P.violations_text(failed),
        "inspection.violated": P.violated_provisions(failed),
        "inspection.measures": P.measures_taken(labels, completed=inspection.status == "completed"),
        "inspection.correction_mode": P.correction_mode(inspection.outcome, deadline),
        "inspection.rectify_deadline": deadline,
        "inspection.outcome_note": inspection.outcome_note or "",
    }


# One provider per source prefix; the kinds each serves are its group's (domain/prefill.py GROUPS).
PROVIDERS: dict[str, Provider] = {
    "agency": _agency,
    "today": _today,
    "subject": _subject,
    "officers": _officers,
    "inspection": _inspection,
}


def sources(session: Session, ctx: Context, matter_id: uuid.UUID | None) -> dict[str, Any]:
    """The values each `source` key stands for, for a document of this matter (or of none)."""
    matter = None
    if matter_id is not None:
        matter = matters.view_in(session, matter_id)
        if matter is None:
            raise NotFound("找不到该检查记录或案卷")
    kind = None if matter is None else matter.kind
    values: dict[str, Any] = {}
    for prefix, provide in PROVIDERS.items():
        group = P.GROUPS[prefix]
        if group.serves(kind):
            values.update({k: v for k, v in provide(session, ctx, matter).items() if k in group.keys})
    return P.with_aliases(values)
