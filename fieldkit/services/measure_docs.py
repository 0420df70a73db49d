"""The documents that end or extend a measure: 延长/解除行政强制措施决定书, 解除先行登记保存证据通知书.

Drafted from the measure (its decision's 文号, its 清单's number, the day it began) and, once printed for
signature, applied to it: the extension moves the due day to day 60 (行政强制法第二十五条), a release ends
the measure (第二十八条; 程序规定第三十五条) — so the due board shows what is still open. These are the
fill and after-finalise hooks of the forms domain/formrules.py gives a MeasureEffect (services/formhooks.py
registers them); which measures each acts on and where it cites their decision is said there.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from sqlalchemy import select

from fieldkit.domain.deadlines import SEIZURE_DAYS, SEIZURE_EXTENSION_DAYS
from fieldkit.domain.documents import DocState, Finalised
from fieldkit.domain.formrules import MeasureEffect, deciding_form, goods_list_form, rules_for
from fieldkit.domain.measures import MeasureKind, MeasureStatus
from fieldkit.errors import FieldkitError
from fieldkit.services import measures
from fieldkit.services.context import Context
from fieldkit.store.schema import DocumentRow, MeasureRow

log = logging.getLogger(__name__)


def _decision_form(form_id: str) -> str:
    """The notice or decision imposing the measures this form acts on (their 文号 is cited)."""
    kinds = rules_for(form_id).measure_kinds
    return next((f for k in MeasureKind if k in kinds and (f := deciding_form(k))), "")


def _numbers(ctx: Context, matter_id: uuid.UUID, form_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Finalised (not voided) numbers of a form in the inspection, newest first, with their values."""
    with ctx.sessions() as session:
        rows = session.execute(
            select(DocumentRow.number, DocumentRow.values)
            .where(
                DocumentRow.matter_id == matter_id,
                DocumentRow.form_id == form_id,
                DocumentRow.number.is_not(None),
                DocumentRow.status != DocState.VOID,
                DocumentRow.deleted_at.is_(None),
            )
            .order_by(DocumentRow.updated_at.desc())
        ).all()
    return [(str(number), dict(values or {})) for number, values in rows]


def measure_values(ctx: Context, form_id: str, measure: MeasureRow) -> dict[str, Any]:
    """What the measure tells about the document that extends or releases it."""
    rules = rules_for(form_id)
    decisions = _numbers(ctx, measure.matter_id, _decision_form(form_id))
    decision, decision_values = decisions[0] if decisions else ("", {})
    # The 清单 is the one the decision itself cites; else one that cites the decision; else the latest.
    lists = _numbers(ctx, measure.matter_id, goods_list_form())
    cited = str(decision_values.get("list_number") or "")
    same = [n for n, v in lists if n == cited] or [
        n for n, v in lists if decision and v.get("related_number") == decision
    ]
    values: dict[str, Any] = {
        rules.cites_key: decision,
        "list_number": (same or [n for n, _ in lists] or [""])[0],
        "original_date": measure.decided_on.isoformat(),
    }
    kind = MeasureKind(measure.kind)
    if kind in (MeasureKind.SEAL, MeasureKind.SEIZE):
        values["measure"] = [kind.label]
    if rules.effect is MeasureEffect.EXTEND:
        values["new_end"] = (
            measure.decided_on + dt.timedelta(days=SEIZURE_DAYS + SEIZURE_EXTENSION_DAYS)
        ).isoformat()
    return {k: v for k, v in values.items() if v not in ("", None, [])}


def _active(ctx: Context, matter_id: uuid.UUID, kinds: frozenset[MeasureKind]) -> list[MeasureRow]:
    with ctx.sessions() as session:
        rows = session.scalars(
            select(MeasureRow)
            .where(
                MeasureRow.matter_id == matter_id,
                MeasureRow.deleted_at.is_(None),
                MeasureRow.status == MeasureStatus.ACTIVE,
                MeasureRow.kind.in_([str(k) for k in kinds]),
            )
            .order_by(MeasureRow.decided_on.desc())
        ).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def fill(
    ctx: Context, form_id: str, matter_id: uuid.UUID, measure_id: uuid.UUID | None = None
) -> dict[str, Any]:
    """What the measure tells the draft: the one picked, else the inspection's latest active measure of
    the form's kinds (nothing when there is none: the officer fills it in)."""
    active = _active(ctx, matter_id, rules_for(form_id).measure_kinds)
    if measure_id is not None:
        active = [m for m in active if m.id == measure_id]
        if not active:
            raise FieldkitError(
                "该措施不是本次检查中进行中的先行登记保存、查封或者扣押，不能起草延长或者解除文书"
            )
    return measure_values(ctx, form_id, active[0]) if active else {}


def apply_printed(ctx: Context, done: Finalised) -> uuid.UUID | None:
    """Once a 延长/解除 document is finalised, extend or end the measure whose decision it names.

    The measure is found by the decision's 文号 in the same inspection; returns its id (None when no
    active measure matches — the document still stands, the officer settles the measure by hand).
    """
    rules = rules_for(done.form_id)
    if rules.effect is MeasureEffect.NONE or done.matter_id is None:
        return None
    named = str(done.values.get(rules.cites_key) or "")
    numbers = {n for n, _ in _numbers(ctx, done.matter_id, _decision_form(done.form_id))}
    if named not in numbers:
        return None
    candidates = _active(ctx, done.matter_id, rules.measure_kinds)
    if not candidates:
        return None
    measure = candidates[0]
    note = f"{done.title}（{done.number}）"
    try:
        if rules.effect is MeasureEffect.EXTEND:
            if not measure.extended:
                measures.extend_seizure(ctx, measure.id, f"依{note}延长")
        else:
            measures.end_measure(ctx, measure.id, MeasureStatus.RELEASED, f"依{note}解除")
    except FieldkitError as exc:  # e.g. extended already: the document is printed all the same
        log.warning("measure %s not updated by %s: %s", measure.id, done.document_id, exc)
        return None
    return measure.id
