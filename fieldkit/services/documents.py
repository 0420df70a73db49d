"""文书: draft from an inspection, preview, pre-print checks, finalise on print, reprint, correct, void."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.catalog import load_formdef, load_formdefs
from fieldkit.domain import documents as D
from fieldkit.domain import forms as F
from fieldkit.domain.formrules import preprint_checks
from fieldkit.domain.numbering import next_number, parse_number
from fieldkit.domain.preprint import seal_date_fields
from fieldkit.domain.problems import Problem, Severity
from fieldkit.domain.roster import named_officers, roster_problems
from fieldkit.errors import EditConflict, FieldkitError, NotFound, ValidationFailed
from fieldkit.printing.coverage import uncovered, unprintable, unprintable_text
from fieldkit.printing.options import PrintOptions
from fieldkit.printing.pdf import DocumentMeta, blank_values, render_pdf
from fieldkit.services import at_rest, matters, number_floors, records
from fieldkit.services import prefill as prefill_registry
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.formhooks import hooks_for
from fieldkit.services.references import reference_problems
from fieldkit.services.setup import load_settings, roster_entries
from fieldkit.store import audit
from fieldkit.store.db import brief_wait
from fieldkit.store.evidence_files import EvidenceStore
from fieldkit.store.schema import DocumentRevisionRow, DocumentRow


class DocumentLocked(FieldkitError):
    """A finalised or voided document cannot be edited; corrections make a new revision."""


def _after(row: DocumentRow, action: D.Action, message: str = "") -> D.DocState:
    """The document's state after `action` (domain/documents.transition); DocumentLocked, with `message`
    or the domain's refusal naming the state and the action, when the action is not allowed."""
    try:
        return D.transition(row.status, action, numbered_draft=row.number is not None)
    except D.TransitionRefused as exc:
        raise DocumentLocked(message or str(exc)) from exc


class PrintBlocked(FieldkitError):
    """Pre-print checks found problems. `hard` ones the law does not allow to print past."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        self.hard = [p for p in problems if p.severity is Severity.ERROR]
        super().__init__("；".join(p.message for p in problems))


@dataclass(frozen=True)
class DocumentListItem:
    id: uuid.UUID
    form_id: str
    title: str
    number: str | None
    status: str
    revision: int
    matter_id: uuid.UUID | None
    party: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class Document:
    id: uuid.UUID
    form_id: str
    form_version: str
    title: str
    status: str
    number: str | None
    revision: int
    values: dict[str, Any]
    matter_id: uuid.UUID | None
    void_reason: str
    revisions: tuple[RevisionInfo, ...]
    replaces_id: uuid.UUID | None = None  # 重新作出: the document this one voids when printed
    replaces: str = ""  # how the paper names it, e.g. "兰市监当罚〔2026〕A1-1号《当场行政处罚决定书》"
    replaced_by_id: uuid.UUID | None = None  # the document made anew in place of this one, if any
    replaced_by: str = ""
    version: int = 0  # of the row: an editor saves against it (no lost update)

    def allows(self, action: D.Action) -> bool:
        return D.is_allowed(self.status, action, numbered_draft=self.number is not None)


@dataclass(frozen=True)
class RevisionInfo:
    revision: int
    number: str
    content_hash: str
    pdf_sha256: str
    pages: int
    reason: str
    finalised_at: dt.datetime
    finalised_by: str
    signatures: tuple[dict[str, Any], ...]
    attachments: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class PrintResult:
    document_id: uuid.UUID
    number: str | None
    pdf: bytes
    pdf_sha256: str
    pages: int
    revision: int
    action: str  # preview / finalise / reprint / correct / reissue / reprint_void / blank; view: stored*
    warnings: tuple[Problem, ...] = ()


def file_store(ctx: Context) -> EvidenceStore:
    """Finalised PDFs live in the same content-addressed, encrypted store as evidence (DESIGN §3, §5)."""
    return at_rest.files_of(ctx)


# ---- pre-filling from the matter -----------------------------------------------------------------


def prefill_sources(session: Session, ctx: Context, matter_id: uuid.UUID | None) -> dict[str, Any]:
    """The values each `source` path stands for (domain/forms.KNOWN_SOURCES), from services/prefill.py."""
    return prefill_registry.sources(session, ctx, matter_id)


def prefill(formdef: F.FormDef, sources: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for fd in formdef.fields:
        if fd.source and fd.source in sources and sources[fd.source] not in ("", None, []):
            value = sources[fd.source]
            if fd.type is F.FieldType.CHOICE and fd.options:
                allowed = fd.option_values()
                if isinstance(value, list):  # ticked boxes: those this form offers
                    value = [v for v in value if v in allowed] if fd.multiple else None
                    if not value:
                        continue
                elif value not in allowed:
                    continue  # e.g. a party type spelled differently by a province's form
            values[fd.key] = value
    return values


def derive(formdef: F.FormDef, values: Mapping[str, Any], sources: Mapping[str, Any]) -> dict[str, Any]:
    """Derived fields (复议机关, party type) take their source's value over whatever was typed or kept:
    they cannot be edited per document. Without a source value (no party chosen) the value stays,
    and the pre-print checks hold it against the party's identifiers."""
    out = dict(values)
    for fd in formdef.fields:
        if not fd.derived or fd.source not in sources:
            continue
        value = sources[fd.source]
        if value in ("", None, []):
            continue
        if fd.type is F.FieldType.CHOICE and fd.options and value not in fd.option_values():
            continue
        out[fd.key] = value
    return out


def _with_derived(
    session: Session, ctx: Context, row: DocumentRow, values: Mapping[str, Any]
) -> dict[str, Any]:
    formdef = load_formdef(row.form_id)
    return derive(formdef, values, prefill_sources(session, ctx, row.matter_id))


# ---- drafting -------------------------------------------------------------------------------------


def create_document(
    ctx: Context,
    form_id: str,
    matter_id: uuid.UUID | None = None,
    *,
    values: Mapping[str, Any] | None = None,
) -> uuid.UUID:
    """A draft pre-filled from the inspection; `values` (what the form's fill hook took from the records,
    services/issuing.py) go over the pre-fill, those of fields the form lacks dropped (a province may drop
    a field)."""
    formdef = load_formdef(form_id)
    with ctx.sessions.begin() as session:
        sources = prefill_sources(session, ctx, matter_id)
        given = {k: v for k, v in (values or {}).items() if formdef.has_field(k)}
        merged = derive(formdef, {**prefill(formdef, sources), **given}, sources)
        return _new_draft(session, ctx, formdef, matter_id, merged)


def receipt_form() -> str:
    """The 送达回证: the first form of kind "receipt" in the forms' order."""
    receipts = [f for f in load_formdefs().values() if f.kind is F.FormKind.RECEIPT]
    if not receipts:
        raise NotFound('没有送达回证的表单定义（kind = "receipt"）')
    return min(receipts, key=F.form_order).id


def create_receipt(ctx: Context, served_id: uuid.UUID, form_id: str | None = None) -> uuid.UUID:
    """A 送达回证 (`form_id`, default receipt_form()) for a printed document, taking over what it knows
    (issue 10 item 3): the document's title and number, the party and the address of its inspection
    (程序规定第八十二条)."""
    formdef = load_formdef(form_id or receipt_form())
    with ctx.sessions.begin() as session:
        served = _live(session, served_id)
        if served.status != D.DocState.FINAL:
            raise DocumentLocked(
                f"只能为已打印定稿的文书制作送达回证（该文书{D.STATE_LABELS[D.DocState(served.status)]}）"
            )
        sources = prefill_sources(session, ctx, served.matter_id)
        sources.update({"document.number": served.number or "", "document.title": served.title})
        party = _party(served.form_id, served.values)  # as the served document names the party
        if party:
            sources["subject.name"] = party
        values = prefill(formdef, sources)
        return _new_draft(session, ctx, formdef, served.matter_id, values)


def _new_draft(
    session: Session,
    ctx: Context,
    formdef: F.FormDef,
    matter_id: uuid.UUID | None,
    values: dict[str, Any],
) -> uuid.UUID:
    row = DocumentRow(
        matter_id=matter_id,
        form_id=formdef.id,
        form_version=str(formdef.version),
        title=formdef.title,
        status=D.DocState.DRAFT,
        values=values,
        revision=0,
    )
    records.create(session, ctx, row, detail={"form": formdef.id})
    return row.id


def _live(session: Session, document_id: uuid.UUID) -> DocumentRow:
    row = session.get(DocumentRow, document_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("找不到该文书")
    return row


def save_values(
    ctx: Context,
    document_id: uuid.UUID,
    values: Mapping[str, Any],
    *,
    base_version: int | None = None,
    wait_ms: int | None = None,
) -> bool:
    """Autosave of the editor: any state is kept while drafting; checks come at printing.

    With `base_version` (the version the editor loaded), a document changed since by someone else
    is not overwritten: EditConflict, nothing saved (see inspections.save_draft).
    """
    with ctx.sessions.begin() as session, _waiting(session, wait_ms):
        row = _live(session, document_id)
        if base_version is not None and row.version != base_version:
            raise EditConflict(
                records.conflict_message("这份文书", row.version, row.updated_at), current_version=row.version
            )
        _after(
            row,
            D.Action.EDIT,
            "该文书已定稿，不能再修改；笔误可「更正」（文号不变），实质内容有误须「重新作出」（新文号，原文书作废）",
        )
        values = _with_derived(session, ctx, row, values)  # 复议机关, party type: never typed per document
        if row.status == D.DocState.CORRECTING:
            # 笔误更正 keeps the number: substantive content is refused here, before anything is saved
            formdef = load_formdef(row.form_id)
            refused = D.clerical_problems(formdef, _last_revision(session, row).values, values)
            if refused:
                raise ValidationFailed(refused)
        return records.update(session, ctx, row, {"values": values}, action="autosave")


def delete_draft(ctx: Context, document_id: uuid.UUID) -> None:
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        if row.number is not None:
            _after(
                row, D.Action.DELETE, f"该文书已编有文号 {row.number}，不能删除，只能作废（文号须有记录可查）"
            )
        _after(row, D.Action.DELETE, "已定稿的文书不能删除，只能作废")
        records.tombstone(session, ctx, row)


def _revision_info(r: DocumentRevisionRow) -> RevisionInfo:
    return RevisionInfo(
        r.revision,
        r.number,
        r.content_hash,
        r.pdf_sha256,
        r.pages,
        r.reason,
        r.created_at,
        r.finalised_by,
        tuple(r.signatures),
        tuple(r.attachments),
    )


def load_document(ctx: Context, document_id: uuid.UUID) -> Document:
    with ctx.sessions() as session:
        row = _live(session, document_id)
        revisions = session.scalars(
            select(DocumentRevisionRow)
            .where(DocumentRevisionRow.document_id == document_id)
            .order_by(DocumentRevisionRow.revision)
        ).all()
        replaced_by = session.scalars(
            select(DocumentRow)
            .where(DocumentRow.replaces_id == document_id, DocumentRow.deleted_at.is_(None))
            .order_by(DocumentRow.created_at.desc())
        ).first()
        return Document(
            row.id,
            row.form_id,
            row.form_version,
            row.title,
            row.status,
            row.number,
            row.revision,
            dict(row.values),
            row.matter_id,
            row.void_reason,
            tuple(_revision_info(r) for r in revisions),
            row.replaces_id,
            _name_of(session, row.replaces_id),
            replaced_by.id if replaced_by is not None else None,
            _name_of(session, replaced_by.id) if replaced_by is not None else "",
            row.version,
        )


def _name_of(session: Session, document_id: uuid.UUID | None) -> str:
    """How paper names a document: its number and title, or (unnumbered) the date it was printed."""
    row = session.get(DocumentRow, document_id) if document_id is not None else None
    if row is None:
        return ""
    first = session.scalars(
        select(DocumentRevisionRow.created_at).where(
            DocumentRevisionRow.document_id == row.id, DocumentRevisionRow.revision == 1
        )
    ).first()
    return D.replaced_name(row.title, row.number, first.astimezone(SHANGHAI).date() if first else None)


def _party(form_id: str, values: Mapping[str, Any]) -> str:
    """The party as the form names it (当事人, 被询问人, 受送达人…): the field filled from the subject."""
    try:
        field = load_formdef(form_id).field_by_source("subject.name")
    except FieldkitError:
        return ""
    return str(values.get(field.key) or "") if field is not None else ""


def list_documents(ctx: Context, matter_id: uuid.UUID | None = None) -> list[DocumentListItem]:
    stmt = select(DocumentRow).where(DocumentRow.deleted_at.is_(None))
    if matter_id is not None:
        stmt = stmt.where(DocumentRow.matter_id == matter_id)
    with ctx.sessions() as session:
        rows = session.scalars(stmt.order_by(DocumentRow.updated_at.desc())).all()
        return [
            DocumentListItem(
                r.id,
                r.form_id,
                r.title,
                r.number,
                r.status,
                r.revision,
                r.matter_id,
                _party(r.form_id, r.values),
                r.updated_at,
            )
            for r in rows
        ]


# ---- checks, preview and printing ----------------------------------------------------------------


def check_document(ctx: Context, document_id: uuid.UUID) -> list[Problem]:
    """Every problem at once: field validation plus the procedure rules with their articles."""
    doc = load_document(ctx, document_id)
    formdef = load_formdef(doc.form_id)
    values = doc.values
    if doc.status in (D.DocState.DRAFT, D.DocState.CORRECTING):
        with ctx.sessions() as session:  # as it would print: derived fields from settings and party
            values = _with_derived(session, ctx, _live(session, document_id), values)
    if doc.status == D.DocState.CORRECTING:  # a 笔误 correction keeps the date it corrects
        corrected = dataclasses.replace(doc, values=values)
        return (
            _correction_problems(ctx, corrected, formdef)
            + _problems(ctx, formdef, values)
            + _roster_problems(ctx, formdef, values)
            + _reference_problems(ctx, formdef, values, doc.id, doc.matter_id)
        )
    values = sealed_on(formdef, values, ctx.today())
    return (
        _problems(ctx, formdef, values)
        + _roster_problems(ctx, formdef, values)
        + _reference_problems(ctx, formdef, values, doc.id, doc.matter_id)
        + _reissue_problems(ctx, doc, formdef, values)
        + _served_date_problems(ctx, formdef, values)
    )


def _reissue_problems(
    ctx: Context, doc: Document, formdef: F.FormDef, values: Mapping[str, Any]
) -> list[Problem]:
    """A document made anew, not yet printed, against the last printed revision of the one it replaces."""
    if doc.replaces_id is None or doc.revisions:
        return []
    with ctx.sessions() as session:
        old = session.get(DocumentRow, doc.replaces_id)
        if old is None or not old.revision:
            return []
        printed = _last_revision(session, old).values
    return D.heavier_penalty(formdef, printed, values)


def _reference_problems(
    ctx: Context,
    formdef: F.FormDef,
    values: Mapping[str, Any],
    document_id: uuid.UUID,
    matter_id: uuid.UUID | None,
) -> list[Problem]:
    """Cited numbers are this agency's real documents (services/references; issue 9 item 9)."""
    return reference_problems(ctx, formdef, values, document_id=document_id, matter_id=matter_id)


def _served_date_problems(ctx: Context, formdef: F.FormDef, values: Mapping[str, Any]) -> list[Problem]:
    """A 送达回证 cannot say a document was served before it was made: the 送达时间 is on or after the day
    the served document was finalised (printed for signature; 程序规定第八十二条: the signing date is the
    service date)."""
    if formdef.kind is not F.FormKind.RECEIPT or not formdef.has_field("served_at"):
        return []
    served = F.parse_datetime(values.get("served_at"))
    cited = next((f for f in formdef.fields if f.refs), None)
    number = values.get(cited.key) if cited is not None else None
    parsed = parse_number(number) if isinstance(number, str) else None
    if served is None or parsed is None:
        return []
    with ctx.sessions() as session:
        row = session.scalars(
            select(DocumentRow).where(
                DocumentRow.number_code == parsed.code,
                DocumentRow.number_year == parsed.year,
                DocumentRow.number_device == parsed.device_code,
                DocumentRow.number_seq == parsed.seq,
            )
        ).first()
        made = (
            session.scalars(
                select(DocumentRevisionRow.created_at).where(
                    DocumentRevisionRow.document_id == row.id, DocumentRevisionRow.revision == 1
                )
            ).first()
            if row is not None
            else None
        )
    if made is None or row is None:
        return []  # not one of ours, or never printed: reference_problems says so
    made_on = made.astimezone(SHANGHAI).date()
    if served.date() >= made_on:
        return []
    return [
        Problem(
            "served_at",
            "receipt.before_document",
            f"{formdef.field('served_at').label}：{F.format_datetime(served)}早于所送达的{row.number}《{row.title}》"
            f"的定稿日期{F.format_date(made_on)}——文书打印定稿之后才能送达（市场监督管理行政处罚程序规定第八十二条）",
        )
    ]


def _correction_problems(ctx: Context, doc: Document, formdef: F.FormDef) -> list[Problem]:
    """What a 笔误 correction may not do: touch substantive content (行政处罚法第四十四、四十五条), or
    change nothing at all."""
    printed = _revision_values(ctx, doc.id, doc.revisions[-1].revision)
    refused = D.clerical_problems(formdef, printed, doc.values)
    if not refused and not D.changes(formdef, printed, doc.values):
        refused = [Problem("values", "document.no_change", "更正内容：与原文书相同，没有需要更正的笔误")]
    return refused


def sealed_on(formdef: F.FormDef, values: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """The values with the date under the seal set to `day`: a document is dated the day it is
    finalised (printed for signature), whatever day its draft was begun (issue 9 item 8)."""
    return {**values, **{key: day.isoformat() for key in seal_date_fields(formdef)}}


def _problems(ctx: Context, formdef: F.FormDef, values: Mapping[str, Any]) -> list[Problem]:
    """Field checks, the form's procedure rules with the agency's settings (the 个体工商户 cap), and
    characters no font has (they would print as empty boxes)."""
    today = ctx.today()
    now = ctx.now().astimezone(SHANGHAI).replace(tzinfo=None)  # forms hold local wall-clock times
    cap = load_settings(ctx).agency.individual_cap
    problems = F.validate_values(formdef, values, today)
    seen = {(p.field, p.message) for p in problems}
    checks = preprint_checks(formdef, values, today, now, individual_cap=cap)
    problems += [p for p in checks if (p.field, p.message) not in seen]
    return problems + unprintable(formdef, values, options=ctx.settings.printing)


def _roster_problems(ctx: Context, formdef: F.FormDef, values: Mapping[str, Any]) -> list[Problem]:
    """Every officers field names registered, active officers, each once (行政处罚法第四十二条)."""
    fields = [f for f in formdef.fields if f.type is F.FieldType.OFFICERS and values.get(f.key)]
    if not fields:
        return []
    with ctx.sessions() as session:
        roster = roster_entries(session)
    out: list[Problem] = []
    for field in fields:
        out += roster_problems(named_officers(values.get(field.key)), roster, field.key, field.label)
    return out


def content_hash(form_id: str, form_version: str, number: str | None, values: Mapping[str, Any]) -> str:
    canonical = json.dumps(
        {"form": form_id, "form_version": form_version, "number": number, "values": values},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


PREVIEW_REASON = "（打印时填写）"


def preview(ctx: Context, document_id: uuid.UUID) -> PrintResult:
    """A "草稿"-watermarked PDF of the current values; finalises and records nothing."""
    doc = load_document(ctx, document_id)
    formdef = load_formdef(doc.form_id)
    agency = load_settings(ctx).agency
    values = doc.values
    correcting = doc.status == D.DocState.CORRECTING
    lead: tuple[str, ...] = ()
    end: tuple[str, ...] = ()
    if doc.status in (D.DocState.DRAFT, D.DocState.CORRECTING):
        with ctx.sessions() as session:
            row = _live(session, document_id)
            values = _with_derived(session, ctx, row, values)
            # as it would print today: a 笔误 correction keeps its date and shows its 更正说明, a document
            # made anew names the one it replaces; the reason is asked when printing
            if not correcting:
                values = sealed_on(formdef, values, ctx.today())
            lead, end = _notes(
                session, ctx, row, formdef, (row.revision + 1, ctx.today(), PREVIEW_REASON, values)
            )
    else:
        values = sealed_on(formdef, values, ctx.today())
    buffer = io.BytesIO()
    meta = DocumentMeta(
        agency_name=agency.full_name, number=doc.number, doc_id=str(doc.id), lead_notes=lead, end_notes=end
    )
    result = render_pdf(
        formdef,
        values,
        buffer,
        meta=meta,
        options=ctx.settings.printing,
        draft=True,
        images=_images(ctx, formdef, values),
    )
    return PrintResult(
        doc.id, doc.number, buffer.getvalue(), result.sha256, result.pages, doc.revision, "preview"
    )


def print_document(
    ctx: Context,
    document_id: uuid.UUID,
    *,
    copies: int = 1,
    actor: str = "",
    accept_warnings: bool = False,
    reason: str = "",
) -> PrintResult:
    """Print for signature. The first print finalises (number, content hash and PDF freeze); a
    reprint returns the very same PDF; printing a 笔误 correction makes the next revision with its
    更正说明; printing a document made anew (重新作出) voids the one it replaces. A voided document
    reprints watermarked 作废 (domain/documents.py)."""
    if copies < 1:
        raise ValidationFailed([Problem("copies", "min", "打印份数：至少 1 份")])
    doc = load_document(ctx, document_id)
    hooks = hooks_for(doc.form_id)
    if hooks.before_print is not None and doc.matter_id is not None and doc.allows(D.Action.EDIT):
        # e.g. a 证据清单's rows brought up to date with the evidence (services/formhooks.py)
        fresh = hooks.before_print(ctx, doc.form_id, doc.matter_id, None)
        formdef = load_formdef(doc.form_id)
        save_values(
            ctx, document_id, {**doc.values, **{k: v for k, v in fresh.items() if formdef.has_field(k)}}
        )
        doc = load_document(ctx, document_id)
    if doc.status == D.DocState.VOID:
        return _void_copy(ctx, doc, copies, actor)
    if doc.status == D.DocState.BLANK:
        return _numbered_blank_copy(ctx, doc, copies, actor)
    store = file_store(ctx)
    if doc.status == D.DocState.FINAL:
        last = doc.revisions[-1]
        with store.open(last.pdf_sha256) as f:
            pdf = f.read()
        with ctx.sessions.begin() as session:
            row = _live(session, document_id)
            _log(session, ctx, row, "reprint", actor, {"copies": copies, "revision": last.revision})
        return PrintResult(doc.id, doc.number, pdf, last.pdf_sha256, last.pages, last.revision, "reprint")

    if doc.status == D.DocState.DRAFT and (doc.revision or doc.revisions):
        # Only a direct edit of the database turns a finalised document back into a draft: printing
        # it would issue a "finalised" next revision with no correction and no reason (issue 11.2).
        raise DocumentLocked(
            f"该文书已有定稿的第 {len(doc.revisions) or doc.revision} 版，状态却是草稿：数据库可能被改动，拒绝打印。"
            "请运行“fieldkit audit verify”检查"
        )
    formdef = load_formdef(doc.form_id)
    with ctx.sessions() as session:  # 复议机关 and party type as the settings and the party say today
        current = _with_derived(session, ctx, _live(session, document_id), doc.values)
    correcting = doc.status == D.DocState.CORRECTING
    reissue = doc.replaces_id is not None and not doc.revisions
    if correcting:
        refused = _correction_problems(ctx, dataclasses.replace(doc, values=current), formdef)
        if refused:
            raise PrintBlocked(refused)
    # dated the day it is finalised; a 笔误 correction keeps the date of the decision it corrects
    sealed = dict(current) if correcting else sealed_on(formdef, current, ctx.today())
    problems = (
        _problems(ctx, formdef, sealed)
        + _roster_problems(ctx, formdef, sealed)
        + _reference_problems(ctx, formdef, sealed, doc.id, doc.matter_id)
        + _reissue_problems(ctx, doc, formdef, sealed)
        + _served_date_problems(ctx, formdef, sealed)
    )
    hard = [p for p in problems if p.severity is Severity.ERROR]
    if hard or (problems and not accept_warnings):
        raise PrintBlocked(problems)
    if correcting and not reason.strip():
        raise ValidationFailed([Problem("reason", "required", "更正理由：必填（将印在更正说明中）")])
    if reissue and not reason.strip():
        raise ValidationFailed(
            [Problem("reason", "required", "重新作出的理由：必填（将印在新文书上，并记入原文书的作废理由）")]
        )
    settings = load_settings(ctx)
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        base = _with_derived(session, ctx, row, row.values)  # what was checked above
        number = row.number
        if number is None and formdef.numbered:
            number = _allocate_number(session, ctx, row, formdef)
        values = dict(base) if correcting else sealed_on(formdef, base, ctx.today())
        digest = content_hash(row.form_id, row.form_version, number, values)
        revision = row.revision + 1
        lead, end = _notes(session, ctx, row, formdef, (revision, ctx.today(), reason.strip(), values))
        buffer = io.BytesIO()
        meta = DocumentMeta(
            agency_name=settings.agency.full_name,
            number=number,
            doc_id=str(row.id),
            content_hash=digest,
            lead_notes=lead,
            end_notes=end,
        )
        rendered = render_pdf(
            formdef,
            values,
            buffer,
            meta=meta,
            options=ctx.settings.printing,
            images=_images(ctx, formdef, values),
        )
        if rendered.missing_chars:  # the values were checked; this is the agency name or a note's reason
            raise PrintBlocked(
                [unprintable_text("document", "文书（本局全称、更正或作废说明）", rendered.missing_chars)]
            )
        stored = _store_pdf(store, buffer.getvalue())
        action = "correct" if correcting else "reissue" if reissue else "finalise"
        detail: dict[str, Any] = {
            "number": number,
            "content_hash": digest,
            "pdf_sha256": stored,
            "reason": reason.strip(),
        }
        if correcting:
            detail["changes"] = [
                {"field": c.key, "before": c.before, "after": c.after}
                for c in D.changes(formdef, _last_revision(session, row).values, values)
            ]
        if reissue:
            detail["replaces"] = str(row.replaces_id)
        records.update(
            session,
            ctx,
            row,
            {"status": _after(row, D.Action.PRINT), "revision": revision, "values": values},
            action=action,
            actor=actor,
            detail=detail,
        )
        records.create(
            session,
            ctx,
            DocumentRevisionRow(
                document_id=row.id,
                revision=revision,
                form_version=row.form_version,
                number=number or "",
                values=values,
                content_hash=digest,
                pdf_sha256=stored,
                pdf_size=rendered.size,
                pages=rendered.pages,
                reason=reason.strip(),
                finalised_by=actor,
            ),
            actor=actor,
        )
        if reissue:
            _void_replaced(session, ctx, row, reason.strip(), actor)
        _log(session, ctx, row, "print", actor, {"copies": copies, "revision": revision})
    if hooks.after_finalise is not None:  # e.g. a printed 延长/解除 decision extends or ends its measure
        hooks.after_finalise(
            ctx, D.Finalised(doc.id, doc.form_id, doc.matter_id, number, doc.title, values, action, actor)
        )
    return PrintResult(
        doc.id, number, buffer.getvalue(), stored, rendered.pages, revision, action, tuple(problems)
    )


def _allocate_number(session: Session, ctx: Context, row: DocumentRow, formdef: F.FormDef) -> str:
    """The next number of this device's series for the form's 代字 (numbering.py), set on the row."""
    settings = load_settings(ctx)
    year = ctx.today().year
    used = session.scalars(
        select(DocumentRow.number_seq).where(
            DocumentRow.number_code == formdef.code,
            DocumentRow.number_year == year,
            DocumentRow.number_device == settings.device_code,
        )
    ).all()
    # Numbers given out before a backup was restored are no longer rows, but were printed and handed
    # over: the restore left their highest serial as a floor (services/backup.py), never reissued.
    floor = number_floors.floors(session).get(number_floors.key(formdef.code, year, settings.device_code), 0)
    allocated = next_number(
        settings.agency.short_name, formdef.code, year, settings.device_code, [s for s in used if s] + [floor]
    )
    number = allocated.text()
    row.number, row.number_code, row.number_year = number, allocated.code, allocated.year
    row.number_device, row.number_seq = allocated.device_code, allocated.seq
    return number


def _revision_values(ctx: Context, document_id: uuid.UUID, revision: int) -> dict[str, Any]:
    with ctx.sessions() as session:
        row = session.scalars(
            select(DocumentRevisionRow).where(
                DocumentRevisionRow.document_id == document_id, DocumentRevisionRow.revision == revision
            )
        ).one()
        return dict(row.values)


def _notes(
    session: Session,
    ctx: Context,
    row: DocumentRow,
    formdef: F.FormDef,
    pending: tuple[int, dt.date, str, Mapping[str, Any]] | None = None,
    upto: int | None = None,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the paper says besides the fields: which document this one replaces (on top) and every
    更正说明 so far (at the end), for the revision being printed (`pending`) or stored revision `upto`."""
    lead: tuple[str, ...] = ()
    if row.replaces_id is not None:
        first = session.scalars(
            select(DocumentRevisionRow.reason).where(
                DocumentRevisionRow.document_id == row.id, DocumentRevisionRow.revision == 1
            )
        ).first()
        why = first if first is not None else (pending[2] if pending else "")
        lead = (D.reissue_note(_name_of(session, row.replaces_id), why),)
    stored = session.scalars(
        select(DocumentRevisionRow)
        .where(DocumentRevisionRow.document_id == row.id)
        .order_by(DocumentRevisionRow.revision)
    ).all()
    chain = [
        (r.revision, r.created_at.astimezone(SHANGHAI).date(), r.reason, r.values)
        for r in stored
        if upto is None or r.revision <= upto
    ]
    if pending is not None:
        chain.append(pending)
    end = tuple(D.correction_note(c) for c in D.corrections_of(formdef, chain))
    return lead, end


def _void_replaced(session: Session, ctx: Context, row: DocumentRow, reason: str, actor: str) -> None:
    """The new document is printed: the one it replaces is void from now on (its number stays)."""
    old = session.get(DocumentRow, row.replaces_id)
    if old is None or old.status == D.DocState.VOID:
        return
    if old.status == D.DocState.CORRECTING:  # an unprinted 笔误 draft of it goes with it
        old.values = dict(_last_revision(session, old).values)
    why = f"已由{row.number or ''}《{row.title}》重新作出：{reason}"
    records.update(
        session,
        ctx,
        old,
        {"status": _after(old, D.Action.VOID), "void_reason": why, "voided_at": ctx.now()},
        action="void",
        actor=actor,
        detail={"number": old.number, "reason": why, "replaced_by": str(row.id)},
    )


def _void_copy(ctx: Context, doc: Document, copies: int, actor: str, *, record: bool = True) -> PrintResult:
    """Any reprint of a voided document: its last revision again, watermarked 作废 with the reason."""
    if not doc.revisions:  # a numbered blank that was voided: the blank with its number, stamped
        return _numbered_blank_copy(ctx, doc, copies, actor, stamp="作废", record=record)
    last = doc.revisions[-1]
    formdef = load_formdef(doc.form_id)
    with ctx.sessions.begin() as session:
        row = _live(session, doc.id)
        lead, end = _notes(session, ctx, row, formdef, upto=last.revision)
        voided_on = (row.voided_at or ctx.now()).astimezone(SHANGHAI).date()
        end = (*end, D.void_note(voided_on, row.void_reason))
        values = dict(_last_revision(session, row).values)
        if record:
            _log(
                session,
                ctx,
                row,
                "reprint",
                actor,
                {"copies": copies, "revision": last.revision, "void": True},
            )
    meta = DocumentMeta(
        agency_name=load_settings(ctx).agency.full_name,
        number=doc.number,
        doc_id=str(doc.id),
        content_hash=last.content_hash,
        lead_notes=lead,
        end_notes=end,
        stamp="作废",
    )
    buffer = io.BytesIO()
    rendered = render_pdf(
        formdef,
        values,
        buffer,
        meta=meta,
        options=ctx.settings.printing,
        images=_images(ctx, formdef, values),
    )
    return PrintResult(
        doc.id, doc.number, buffer.getvalue(), rendered.sha256, rendered.pages, last.revision, "reprint_void"
    )


def void_note_of(ctx: Context, document_id: uuid.UUID) -> str:
    """The 作废 note every reprint of a voided document carries (when and why)."""
    with ctx.sessions() as session:
        row = _live(session, document_id)
        voided_on = (row.voided_at or ctx.now()).astimezone(SHANGHAI).date()
        return D.void_note(voided_on, row.void_reason)


def printed_notes(ctx: Context, document_id: uuid.UUID) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The notes printed on the last revision (for copies of it, e.g. the 签名版)."""
    with ctx.sessions() as session:
        row = _live(session, document_id)
        return _notes(session, ctx, row, load_formdef(row.form_id), upto=row.revision)


def _images(ctx: Context, formdef: F.FormDef, values: Mapping[str, Any]) -> dict[str, bytes]:
    """Thumbnails for the form's `images` fields (its images hook): render_pdf never reads the store."""
    return hooks_for(formdef.id).images(ctx, formdef, values)


def _log(
    session: Session, ctx: Context, row: DocumentRow, action: str, actor: str, detail: dict[str, Any]
) -> bool:

    audit.append(
        session,
        action=action,
        record_type="document",
        record_id=row.id,
        record_version=row.version,
        device_id=ctx.device_id,
        now=ctx.now(),
        actor=actor,
        detail=detail,
    )


def _store_pdf(store: EvidenceStore, pdf: bytes) -> str:
    return store.add_bytes(pdf, name="document.pdf").sha256


def current_pdf(ctx: Context, document_id: uuid.UUID) -> bytes:
    """What the document looks like now, for the screen or a saved file (see view)."""
    return view(ctx, document_id).pdf


def view(ctx: Context, document_id: uuid.UUID) -> PrintResult:
    """What the document looks like now, recording nothing: a draft's (or a correction's) preview
    watermarked 草稿 (action "preview"); the stored PDF of a final one, the very file a reprint gives
    ("stored"); a voided one watermarked 作废 ("stored_void"); a numbered blank with its number
    ("stored_blank"). A finalised document is never re-rendered as a 草稿 of itself."""
    doc = load_document(ctx, document_id)
    if doc.allows(D.Action.EDIT):
        return preview(ctx, document_id)
    if doc.status == D.DocState.VOID:
        return dataclasses.replace(_void_copy(ctx, doc, 1, "", record=False), action="stored_void")
    if doc.status == D.DocState.BLANK:
        return dataclasses.replace(_numbered_blank_copy(ctx, doc, 1, "", record=False), action="stored_blank")
    if not doc.revisions:
        raise NotFound("该文书尚未定稿，没有存档的 PDF")
    last = doc.revisions[-1]
    with file_store(ctx).open(last.pdf_sha256) as f:
        pdf = f.read()
    return PrintResult(doc.id, doc.number, pdf, last.pdf_sha256, last.pages, last.revision, "stored")


def stored_pdf(ctx: Context, document_id: uuid.UUID, revision: int | None = None) -> bytes:
    doc = load_document(ctx, document_id)
    if not doc.revisions:
        raise NotFound("该文书尚未定稿，没有存档的 PDF")
    chosen = (
        doc.revisions[-1] if revision is None else next(r for r in doc.revisions if r.revision == revision)
    )
    with file_store(ctx).open(chosen.pdf_sha256) as f:
        return f.read()


def start_correction(ctx: Context, document_id: uuid.UUID, actor: str = "") -> None:
    """更正笔误: edit a copy of the finalised content under the same number; substantive fields stay as
    printed (save_values refuses them). The finalised revision stays valid until the corrected one is
    printed with its reason and 更正说明."""
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        state = _after(row, D.Action.CORRECT, "只有已定稿的文书可以更正笔误")
        records.update(session, ctx, row, {"status": state}, action="start_correction", actor=actor)


def cancel_correction(ctx: Context, document_id: uuid.UUID, actor: str = "") -> None:
    """放弃更正: back to the printed revision, dropping the unprinted edits."""
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        _after(row, D.Action.CANCEL_CORRECTION, "该文书不在更正中")
        _back_to_printed(session, ctx, row, actor)


def _back_to_printed(session: Session, ctx: Context, row: DocumentRow, actor: str) -> None:
    """End a correction: the printed revision's values again, the unprinted 笔误 edits dropped."""
    records.update(
        session,
        ctx,
        row,
        {"status": D.DocState.FINAL, "values": dict(_last_revision(session, row).values)},
        action="cancel_correction",
        actor=actor,
    )


def reissue_document(ctx: Context, document_id: uuid.UUID, actor: str = "") -> uuid.UUID:
    """重新作出: a new draft of the same form with the printed content, to change substantive content.
    Printing it gives it a new number, names this document on the paper and voids this one; until then
    this one stays valid. Asking again returns the draft already begun."""
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        _after(row, D.Action.REISSUE)
        begun = session.scalars(
            select(DocumentRow).where(
                DocumentRow.replaces_id == row.id,
                DocumentRow.deleted_at.is_(None),
                DocumentRow.status == D.DocState.DRAFT,
            )
        ).first()
        if begun is not None:
            return begun.id
        values = dict(_last_revision(session, row).values)
        if row.status == D.DocState.CORRECTING:  # 笔误 edits not yet printed go into the new one
            values.update(row.values)
        formdef = load_formdef(row.form_id)
        for fd in formdef.fields:  # the new document's own dates (决定日期、通知日期)
            if fd.source == "today":
                values[fd.key] = ctx.today().isoformat()
        new = DocumentRow(
            matter_id=row.matter_id,
            form_id=row.form_id,
            form_version=str(formdef.version),
            title=row.title,
            status=D.DocState.DRAFT,
            values=values,
            revision=0,
            replaces_id=row.id,
        )
        records.create(session, ctx, new, actor=actor, detail={"form": row.form_id, "replaces": str(row.id)})
        if row.status == D.DocState.CORRECTING:
            _back_to_printed(session, ctx, row, actor)
        _log(session, ctx, row, "reissue", actor, {"number": row.number, "new_document": str(new.id)})
        return new.id


def void_document(ctx: Context, document_id: uuid.UUID, reason: str, actor: str = "") -> None:
    if not reason.strip():
        raise ValidationFailed([Problem("reason", "required", "作废理由：必填")])
    missing = uncovered(
        reason, options=ctx.settings.printing
    )  # printed on every reprint of the voided document: no empty boxes
    if missing:
        raise ValidationFailed([unprintable_text("reason", "作废理由", missing)])
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        if row.status == D.DocState.VOID:
            raise DocumentLocked("该文书已经作废")
        state = _after(row, D.Action.VOID, "草稿尚未编号，直接删除即可")
        records.update(
            session,
            ctx,
            row,
            {"status": state, "void_reason": reason.strip(), "voided_at": ctx.now()},
            action="void",
            actor=actor,
            detail={"number": row.number, "reason": reason.strip()},
        )


def blank_pdf(
    ctx: Context | None, form_id: str, agency_name: str | None = None, *, options: PrintOptions | None = None
) -> tuple[bytes, int]:
    """A blank copy to fill in by hand when the laptop fails: agency and 复议机关 printed when known.

    Printed with the context's print options; without a context (no store yet) the caller passes the data
    dir's (services.settings.load_local_settings).
    """
    if options is None:
        if ctx is None:
            raise TypeError("blank_pdf needs a context or print options")
        options = ctx.settings.printing
    formdef = load_formdef(form_id)
    if formdef.prenumbered:  # a number written in by hand is on no ledger and can collide with the series
        raise ValidationFailed(
            [
                Problem(
                    "form",
                    "prenumbered",
                    f"文书：{formdef.title}须预定格式、编有号码（行政处罚法第五十二条），不打印不编号的空白件；"
                    f"请发放编号空白文书（「编号空白文书…」或 fieldkit blank {formdef.id} --numbered 份数），"
                    "文号取自本机序列并登记在案",
                )
            ]
        )
    sources: dict[str, Any] = {}
    if ctx is not None:
        try:
            with ctx.sessions() as session:
                sources = prefill_sources(session, ctx, None)
        except FieldkitError:  # not set up yet: a plain blank
            sources = {}
    agency = agency_name if agency_name is not None else str(sources.get("agency.name") or "")
    buffer = io.BytesIO()
    meta = DocumentMeta(agency_name=agency, number=None, doc_id="blank")
    result = render_pdf(
        formdef, blank_values(formdef, sources), buffer, meta=meta, options=options, blank=True
    )
    return buffer.getvalue(), result.pages


# ---- numbered blanks (编有号码的空白文书) ----------------------------------------------------------
# 行政处罚法第五十二条: the 当场行政处罚决定书 is a pre-printed form carrying a number. Blanks printed for
# writing by hand draw their numbers from this device's series, like any document, and are accounted for:
# issued (空白已发放), used (its handwritten content recorded under its number), or voided (作废).

MAX_BLANKS = 50  # one batch; a day's work for an officer is a handful


@dataclass(frozen=True)
class NumberedBlank:
    id: uuid.UUID
    form_id: str
    title: str
    number: str
    state: str  # issued / used / voided
    issued_at: dt.datetime
    status: str  # the document's status (blank / draft / final / correcting / void)
    note: str  # the void reason, or the party once used


BLANK_STATE_LABELS = {"issued": "已发放未使用", "used": "已使用", "voided": "已作废"}


def issue_numbered_blanks(ctx: Context, form_id: str, count: int, *, actor: str = "") -> list[uuid.UUID]:
    """Draw `count` numbers from this device's series for blank copies of a numbered form."""
    formdef = load_formdef(form_id)
    if not formdef.numbered:
        raise ValidationFailed(
            [Problem("form", "not_numbered", f"文书：{formdef.title}没有文号，无需编号空白文书")]
        )
    if not 1 <= count <= MAX_BLANKS:
        raise ValidationFailed([Problem("count", "range", f"份数：应为 1 至 {MAX_BLANKS} 份，实为 {count}")])
    ids: list[uuid.UUID] = []
    with ctx.sessions.begin() as session:
        sources = prefill_sources(session, ctx, None)
        for _ in range(count):
            row = DocumentRow(
                matter_id=None,
                form_id=formdef.id,
                form_version=str(formdef.version),
                title=formdef.title,
                status=D.DocState.BLANK,
                values=blank_values(formdef, sources),
                revision=0,
                blank_issued_at=ctx.now(),
            )
            number = _allocate_number(session, ctx, row, formdef)
            records.create(session, ctx, row, actor=actor, detail={"form": formdef.id, "number": number})
            _log(session, ctx, row, "blank_issue", actor, {"number": number})
            ids.append(row.id)
    return ids


def numbered_blanks_pdf(ctx: Context, document_ids: list[uuid.UUID], *, actor: str = "") -> tuple[bytes, int]:
    """One PDF with each numbered blank in turn (each starts on a new page)."""
    from pypdfium2 import PdfDocument  # only here: joining the blanks' PDFs

    joined = PdfDocument.new()
    try:
        for document_id in document_ids:
            part = PdfDocument(print_document(ctx, document_id, actor=actor).pdf)
            try:
                joined.import_pages(part)
            finally:
                part.close()
        out = io.BytesIO()
        joined.save(out)
        return out.getvalue(), len(joined)
    finally:
        joined.close()


def _numbered_blank_copy(
    ctx: Context, doc: Document, copies: int, actor: str, stamp: str = "", *, record: bool = True
) -> PrintResult:
    """A numbered blank (again): the blank form with its number, agency details printed."""
    formdef = load_formdef(doc.form_id)
    buffer = io.BytesIO()
    meta = DocumentMeta(
        agency_name=load_settings(ctx).agency.full_name, number=doc.number, doc_id=str(doc.id), stamp=stamp
    )
    rendered = render_pdf(formdef, doc.values, buffer, meta=meta, options=ctx.settings.printing, blank=True)
    if record:
        with ctx.sessions.begin() as session:
            row = _live(session, doc.id)
            _log(session, ctx, row, "reprint", actor, {"copies": copies, "blank": True, "void": bool(stamp)})
    action = "reprint_void" if stamp else "blank"
    return PrintResult(doc.id, doc.number, buffer.getvalue(), rendered.sha256, rendered.pages, 0, action)


def use_numbered_blank(
    ctx: Context, document_id: uuid.UUID, *, matter_id: uuid.UUID | None = None, actor: str = ""
) -> None:
    """A numbered blank was filled in by hand and handed over: from now on it is a draft under its number,
    to record the handwritten content (and print the archive copy). It can no longer be deleted."""
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        state = _after(row, D.Action.USE_BLANK)
        values = dict(row.values)
        if matter_id is not None:
            matters.live_in(session, matter_id)
            values = {
                **prefill(load_formdef(row.form_id), prefill_sources(session, ctx, matter_id)),
                **values,
            }
        records.update(
            session,
            ctx,
            row,
            {"status": state, "matter_id": matter_id, "values": values},
            action="blank_use",
            actor=actor,
            detail={"number": row.number},
        )


def list_numbered_blanks(ctx: Context, form_id: str | None = None) -> list[NumberedBlank]:
    """Every numbered blank this store knows, newest first, with what became of it."""
    stmt = select(DocumentRow).where(
        DocumentRow.blank_issued_at.is_not(None), DocumentRow.deleted_at.is_(None)
    )
    if form_id is not None:
        stmt = stmt.where(DocumentRow.form_id == form_id)
    with ctx.sessions() as session:
        rows = session.scalars(
            stmt.order_by(DocumentRow.blank_issued_at.desc(), DocumentRow.number_seq.desc())
        )
        out: list[NumberedBlank] = []
        for r in rows:
            if r.status == D.DocState.BLANK:
                state, note = "issued", ""
            elif r.status == D.DocState.VOID:
                state, note = "voided", r.void_reason
            else:
                state, note = "used", _party(r.form_id, r.values)
            assert r.blank_issued_at is not None and r.number is not None
            out.append(
                NumberedBlank(r.id, r.form_id, r.title, r.number, state, r.blank_issued_at, r.status, note)
            )
        return out


def available_forms() -> list[F.FormDef]:
    return sorted(load_formdefs().values(), key=lambda f: f.id)


SIGNATURE_STATES = {"signed": "已签名", "refused": "拒绝签名", "absent": "未到场"}


@dataclass(frozen=True)
class SignatureRecord:
    role: str  # the signature line's label, e.g. "当事人（签名）"
    name: str
    state: str  # signed / refused / absent
    witness: str = ""  # required when the party refused or was absent (程序规定第四十三条)
    image_sha256: str = ""  # a handwritten signature captured on the laptop
    at: str = ""  # when the party refused or was found absent ("YYYY-MM-DDTHH:MM"); now when not given
    note: str = ""  # the officers' note on the refusal (拒收事由, 留置, 录音录像…), printed on the 签名版


def record_signatures(
    ctx: Context, document_id: uuid.UUID, signatures: list[SignatureRecord], *, actor: str = ""
) -> None:
    """What happened at each signature line of the last printed revision."""
    problems: list[Problem] = []
    for s in signatures:
        if s.state not in SIGNATURE_STATES:
            problems.append(Problem("signatures", "state", f"签名情况：「{s.role}」的状态无效"))
        elif s.state == "signed" and not s.name.strip():
            # 已签名 records who signed: a line signed by nobody named proves nothing.
            problems.append(Problem("signatures", "name", f"签名人：「{s.role}」已签名，须填写签名人姓名"))
        elif s.state in ("refused", "absent") and not s.witness.strip():
            problems.append(
                Problem(
                    "signatures",
                    "witness",
                    f"见证人：「{s.role}」{SIGNATURE_STATES[s.state]}，须记录见证人姓名（程序规定第四十三条、行政强制法第十八条）",
                )
            )
        elif s.at.strip() and F.parse_datetime(s.at) is None:
            problems.append(
                Problem(
                    "signatures", "at", f"拒签时间：「{s.role}」的时间“{s.at}”无法识别（如 2026-03-02T10:20）"
                )
            )
        # the 拒签记录 prints the name, the witness and the note on the 签名版: no empty boxes on paper
        for text, label in ((s.name, "签名人"), (s.witness, "见证人"), (s.note, "执法人员注明")):
            missing = uncovered(text, options=ctx.settings.printing)
            if missing:
                problems.append(unprintable_text("signatures", f"{label}（「{s.role}」）", missing))
    if problems:
        raise ValidationFailed(problems)
    now = ctx.now().astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")
    stored = []
    for s in signatures:
        record = s.__dict__ | {"witness": s.witness.strip(), "note": s.note.strip(), "at": s.at.strip()}
        if s.state in ("refused", "absent"):
            # the paper says when: 拒绝签收的，应当在行政处罚决定书上注明 (行政处罚法第五十二条)
            record["at"] = record["at"] or now
        else:
            record["at"], record["note"] = "", ""
        stored.append(record)
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        revision = _last_revision(session, row)
        records.update(session, ctx, revision, {"signatures": stored}, action="sign", actor=actor)


def attach_scan(ctx: Context, document_id: uuid.UUID, path: Path, *, actor: str = "") -> str:
    """Attach a scan or photo of the signed paper to the last printed revision."""
    stored = file_store(ctx).add_file(path)
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        revision = _last_revision(session, row)
        attachments = [
            *revision.attachments,
            {"sha256": stored.sha256, "name": path.name, "size": stored.size},
        ]
        records.update(session, ctx, revision, {"attachments": attachments}, action="attach", actor=actor)
    return stored.sha256


def _last_revision(session: Session, row: DocumentRow) -> DocumentRevisionRow:
    revision = session.scalars(
        select(DocumentRevisionRow).where(
            DocumentRevisionRow.document_id == row.id, DocumentRevisionRow.revision == row.revision
        )
    ).first()
    if revision is None:
        raise DocumentLocked("该文书尚未打印定稿，不能登记签名或附加签收件")
    return revision


def _waiting(session: Session, wait_ms: int | None) -> contextlib.AbstractContextManager[None]:
    """`wait_ms` (the GUI's autosave): wait that long at most for another writer, not 5 s."""
    return brief_wait(session, wait_ms) if wait_ms is not None else contextlib.nullcontext()
