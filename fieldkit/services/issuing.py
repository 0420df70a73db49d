"""The GUI's entry points for creating and printing any 文书: evidence lists go through evidence_docs."""

from __future__ import annotations

import uuid

from fieldkit.services import documents, evidence_docs, measure_docs
from fieldkit.services.context import Context
from fieldkit.services.documents import PrintResult


def new_document(ctx: Context, form_id: str, inspection_id: uuid.UUID | None = None) -> uuid.UUID:
    """A draft of `form_id`. A 证据清单 for an inspection is filled from its evidence; the other
    evidence and measure forms need an item or a measure and are made from those screens."""
    if form_id == evidence_docs.EVIDENCE_LIST and inspection_id is not None:
        return evidence_docs.create_evidence_document(ctx, form_id, inspection_id)
    if form_id in measure_docs.MEASURE_FORMS and inspection_id is not None:
        return measure_docs.create_measure_document(ctx, form_id, inspection_id)
    return documents.create_document(ctx, form_id, inspection_id)


def print_for_signature(
    ctx: Context,
    document_id: uuid.UUID,
    *,
    copies: int = 1,
    actor: str = "",
    accept_warnings: bool = False,
    reason: str = "",
) -> PrintResult:
    """documents.print_document, except that a 证据清单 is brought up to date with the evidence first
    and freezes the evidence once printed (evidence_docs.print_evidence_list)."""
    doc = documents.load_document(ctx, document_id)
    if doc.form_id == evidence_docs.EVIDENCE_LIST and doc.inspection_id is not None:
        return evidence_docs.print_evidence_list(
            ctx, document_id, copies=copies, actor=actor, accept_warnings=accept_warnings, reason=reason
        )
    return documents.print_document(
        ctx, document_id, copies=copies, actor=actor, accept_warnings=accept_warnings, reason=reason
    )
