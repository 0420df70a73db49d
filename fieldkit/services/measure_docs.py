"""The documents that end or extend a measure: 延长/解除行政强制措施决定书, 解除先行登记保存证据通知书.

Drafted from the measure (its decision's 文号, its 清单's number, the day it began) and, once printed for
signature, applied to it: the extension moves the due day to day 60 (行政强制法第二十五条), a release ends
the measure (第二十八条; 程序规定第三十五条) — so the due board shows what is still open.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from sqlalchemy import select

from fieldkit.catalog import load_formdef
from fieldkit.domain.deadlines import SEIZURE_DAYS, SEIZURE_EXTENSION_DAYS
from fieldkit.domain.measures import MeasureKind, MeasureStatus
from fieldkit.errors import FieldkitError
from fieldkit.services import documents, measures
from fieldkit.services.context import Context
from fieldkit.services.documents import DocumentStatus
from fieldkit.store.schema import DocumentRow, MeasureRow

log = logging.getLogger(__name__)

EXTEND_SEIZURE = "yanchang_qiangzhi"
RELEASE_SEIZURE = "jiechu_qiangzhi"
RELEASE_PRESERVATION = "jiechu_baocun"
GOODS_LIST = "caiwu_qingdan"

# Which measures each form acts on, and the field holding the 文号 of the measure's own decision.
_ACTS_ON: dict[str, tuple[frozenset[MeasureKind], str, str]] = {
    EXTEND_SEIZURE: (frozenset({MeasureKind.SEAL, MeasureKind.SEIZE}), "qiangzhi_cuoshi", "decision_number"),
    RELEASE_SEIZURE: (frozenset({MeasureKind.SEAL, MeasureKind.SEIZE}), "qiangzhi_cuoshi", "decision_number"),
    RELEASE_PRESERVATION: (frozenset({MeasureKind.PRESERVATION}), "xianxing_baocun", "preservation_number"),
}
MEASURE_FORMS = frozenset(_ACTS_ON)


def release_form(kind: MeasureKind) -> str | None:
    """The document that releases a measure of this kind."""
    if kind is MeasureKind.PRESERVATION:
        return RELEASE_PRESERVATION
    return RELEASE_SEIZURE if kind in (MeasureKind.SEAL, MeasureKind.SEIZE) else None


def _numbers(ctx: Context, inspection_id: uuid.UUID, form_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Finalised (not voided) numbers of a form in the inspection, newest first, with their values."""
    with ctx.sessions() as session:
        rows = session.execute(
            select(DocumentRow.number, DocumentRow.values)
            .where(
                DocumentRow.inspection_id == inspection_id,
                DocumentRow.form_id == form_id,
                DocumentRow.number.is_not(None),
                DocumentRow.status != DocumentStatus.VOID,
                DocumentRow.deleted_at.is_(None),
            )
            .order_by(DocumentRow.updated_at.desc())
        ).all()
    return [(str(number), dict(values or {})) for number, values in rows]


def measure_values(ctx: Context, form_id: str, measure: MeasureRow) -> dict[str, Any]:
    """What the measure tells about the document that extends or releases it."""
    _, decision_form, number_key = _ACTS_ON[form_id]
    decisions = _numbers(ctx, measure.inspection_id, decision_form)
    decision, decision_values = decisions[0] if decisions else ("", {})
    # The 清单 is the one the decision itself cites; else one that cites the decision; else the latest.
    lists = _numbers(ctx, measure.inspection_id, GOODS_LIST)
    cited = str(decision_values.get("list_number") or "")
    same = [n for n, v in lists if n == cited] or [
        n for n, v in lists if decision and v.get("related_number") == decision
    ]
    values: dict[str, Any] = {
        number_key: decision,
        "list_number": (same or [n for n, _ in lists] or [""])[0],
        "original_date": measure.decided_on.isoformat(),
    }
    kind = MeasureKind(measure.kind)
    if kind in (MeasureKind.SEAL, MeasureKind.SEIZE):
        values["measure"] = [kind.label]
    if form_id == EXTEND_SEIZURE:
        values["new_end"] = (
            measure.decided_on + dt.timedelta(days=SEIZURE_DAYS + SEIZURE_EXTENSION_DAYS)
        ).isoformat()
    return {k: v for k, v in values.items() if v not in ("", None, [])}


def _active(ctx: Context, inspection_id: uuid.UUID, kinds: frozenset[MeasureKind]) -> list[MeasureRow]:
    with ctx.sessions() as session:
        rows = session.scalars(
            select(MeasureRow)
            .where(
                MeasureRow.inspection_id == inspection_id,
                MeasureRow.deleted_at.is_(None),
                MeasureRow.status == MeasureStatus.ACTIVE,
                MeasureRow.kind.in_([str(k) for k in kinds]),
            )
            .order_by(MeasureRow.decided_on.desc())
        ).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def create_measure_document(
    ctx: Context, form_id: str, inspection_id: uuid.UUID, measure_id: uuid.UUID | None = None
) -> uuid.UUID:
    """A draft pre-filled from the inspection and from the measure (default: its latest active measure
    of the right kind)."""
    kinds, _, _ = _ACTS_ON[form_id]
    active = _active(ctx, inspection_id, kinds)
    if measure_id is not None:
        active = [m for m in active if m.id == measure_id]
        if not active:
            raise FieldkitError(
                "该措施不是本次检查中进行中的先行登记保存、查封或者扣押，不能起草延长或者解除文书"
            )
    document_id = documents.create_document(ctx, form_id, inspection_id)
    if active:
        formdef = load_formdef(form_id)
        specific = {k: v for k, v in measure_values(ctx, form_id, active[0]).items() if formdef.has_field(k)}
        values = documents.load_document(ctx, document_id).values
        documents.save_values(ctx, document_id, {**values, **specific})
    return document_id


def apply_printed(ctx: Context, document_id: uuid.UUID) -> uuid.UUID | None:
    """Once a 延长/解除 document is finalised, extend or end the measure whose decision it names.

    The measure is found by the decision's 文号 in the same inspection; returns its id (None when no
    active measure matches — the document still stands, the officer settles the measure by hand).
    """
    doc = documents.load_document(ctx, document_id)
    if doc.form_id not in _ACTS_ON or doc.inspection_id is None or doc.status != DocumentStatus.FINAL:
        return None
    kinds, decision_form, number_key = _ACTS_ON[doc.form_id]
    named = str(doc.values.get(number_key) or "")
    numbers = {n for n, _ in _numbers(ctx, doc.inspection_id, decision_form)}
    if named not in numbers:
        return None
    candidates = _active(ctx, doc.inspection_id, kinds)
    if not candidates:
        return None
    measure = candidates[0]
    note = f"{doc.title}（{doc.number}）"
    try:
        if doc.form_id == EXTEND_SEIZURE:
            if not measure.extended:
                measures.extend_seizure(ctx, measure.id, f"依{note}延长")
        else:
            measures.end_measure(ctx, measure.id, MeasureStatus.RELEASED, f"依{note}解除")
    except FieldkitError as exc:  # e.g. extended already: the document is printed all the same
        log.warning("measure %s not updated by %s: %s", measure.id, document_id, exc)
        return None
    return measure.id
