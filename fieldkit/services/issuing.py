"""Drafting a 文书 from the screens: 新建文书 (and `fieldkit docs new`) and the evidence and measures panels.

What a form is made from is the form registry's (domain/formrules.py, services/formhooks.py); this module
only chooses between a draft filled from the records and one filled in by hand.
"""

from __future__ import annotations

import uuid

from fieldkit.catalog import load_formdef
from fieldkit.domain.formrules import MadeFrom, rules_for
from fieldkit.errors import FieldkitError
from fieldkit.services import documents
from fieldkit.services.context import Context
from fieldkit.services.documents import PrintResult
from fieldkit.services.formhooks import hooks_for


def _record(form_id: str, item_id: uuid.UUID | None, measure_id: uuid.UUID | None) -> uuid.UUID | None:
    made_from = rules_for(form_id).made_from
    if made_from is MadeFrom.ITEM:
        return item_id
    return measure_id if made_from in (MadeFrom.MEASURE, MadeFrom.ACTIVE_MEASURE) else None


def new_document(
    ctx: Context,
    form_id: str,
    matter_id: uuid.UUID | None = None,
    *,
    item_id: uuid.UUID | None = None,
    measure_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """A draft of `form_id`, pre-filled from the inspection. A form made from its evidence or from an
    active measure is filled from them too; one made from a single evidence item or measure is filled from
    the one given, and without it is left for the officer to fill in by hand (新建文书)."""
    fill = hooks_for(form_id).fill
    record = _record(form_id, item_id, measure_id)
    values = {}
    if (
        fill is not None
        and matter_id is not None
        and (record is not None or not rules_for(form_id).needs_record)
    ):
        values = fill(ctx, form_id, matter_id, record)
    return documents.create_document(ctx, form_id, matter_id, values=values)


def from_record(
    ctx: Context,
    form_id: str,
    matter_id: uuid.UUID,
    *,
    item_id: uuid.UUID | None = None,
    measure_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """A draft made on the evidence or measures panel from the record picked there: refused, saying what
    to pick, when the form needs one and none is given, or when the form is not made from records."""
    fill = hooks_for(form_id).fill
    if fill is None:
        raise FieldkitError(f"文书“{load_formdef(form_id).title}”不是证据或者措施文书")
    values = fill(ctx, form_id, matter_id, _record(form_id, item_id, measure_id))
    return documents.create_document(ctx, form_id, matter_id, values=values)


def print_for_signature(
    ctx: Context,
    document_id: uuid.UUID,
    *,
    copies: int = 1,
    actor: str = "",
    accept_warnings: bool = False,
    reason: str = "",
) -> PrintResult:
    """documents.print_document (which runs the form's before-print and after-finalise hooks)."""
    return documents.print_document(
        ctx, document_id, copies=copies, actor=actor, accept_warnings=accept_warnings, reason=reason
    )
