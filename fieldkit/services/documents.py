"""文书: draft from an inspection, preview, pre-print checks, finalise on print, reprint, correct, void."""

from __future__ import annotations

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

from fieldkit.domain import forms as F
from fieldkit.domain.numbering import next_number
from fieldkit.domain.preprint import preprint_checks, seal_date_fields
from fieldkit.domain.problems import Problem, Severity
from fieldkit.domain.roster import named_officers, roster_problems
from fieldkit.domain.subjects import SubjectType
from fieldkit.errors import FieldkitError, NotFound, ValidationFailed
from fieldkit.printing.coverage import unprintable
from fieldkit.printing.formdefs import load_formdef, load_formdefs
from fieldkit.printing.pdf import DocumentMeta, blank_values, render_pdf
from fieldkit.services import records
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.inspections import _domain_names
from fieldkit.services.setup import load_settings, roster_entries
from fieldkit.store import audit
from fieldkit.store.evidence_files import EvidenceStore
from fieldkit.store.schema import DocumentRevisionRow, DocumentRow, InspectionRow, SubjectRow


class DocumentStatus:
    DRAFT = "draft"  # never printed for signature: no number yet
    FINAL = "final"  # printed for signature: content and PDF frozen
    CORRECTING = "correcting"  # a correction is being drafted; the last revision stays valid
    VOID = "void"  # 作废: the number stays on record and is never reused


STATUS_LABELS = {
    DocumentStatus.DRAFT: "草稿",
    DocumentStatus.FINAL: "已定稿",
    DocumentStatus.CORRECTING: "更正中",
    DocumentStatus.VOID: "已作废",
}


class DocumentLocked(FieldkitError):
    """A finalised or voided document cannot be edited; corrections make a new revision."""


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
    inspection_id: uuid.UUID | None
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
    inspection_id: uuid.UUID | None
    void_reason: str
    revisions: tuple[RevisionInfo, ...]


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
    action: str  # preview / finalise / reprint / correct
    warnings: tuple[Problem, ...] = ()


def file_store(ctx: Context) -> EvidenceStore:
    """Finalised PDFs live in the same content-addressed store as evidence (DESIGN §3, §5)."""
    return EvidenceStore(ctx.data_dir / "evidence")


# ---- pre-filling from the inspection ------------------------------------------------------------


def _local(value: dt.datetime | None, fmt: str) -> str:
    return value.astimezone(SHANGHAI).strftime(fmt) if value else ""


def prefill_sources(session: Session, ctx: Context, inspection_id: uuid.UUID | None) -> dict[str, Any]:
    """The values each `source` path stands for (domain/forms.KNOWN_SOURCES)."""
    settings = load_settings(ctx)
    agency = settings.agency
    sources: dict[str, Any] = {
        "agency.name": agency.full_name,
        "agency.government": agency.government_name,
        "agency.address": agency.address,
        "agency.contact_phone": agency.phone,
        "today": ctx.today().isoformat(),
    }
    if inspection_id is None:
        return sources
    inspection = session.get(InspectionRow, inspection_id)
    if inspection is None:
        raise NotFound("找不到该检查记录")
    officers = [{"name": o["name"], "cert_no": o["cert_no"]} for o in inspection.officers]
    sources.update(
        {
            "inspection.place": inspection.place,
            "inspection.start_at": _local(inspection.start_at, "%Y-%m-%dT%H:%M"),
            "inspection.end_at": _local(inspection.end_at, "%Y-%m-%dT%H:%M"),
            "inspection.officers": officers,
            "inspection.recorder": officers[-1]["name"] if officers else "",
            "inspection.matter": _domain_names(inspection.domains)
            and f"{_domain_names(inspection.domains)}检查",
            "agency.contact_person": officers[0]["name"] if officers else "",
        }
    )
    subject = session.get(SubjectRow, inspection.subject_id) if inspection.subject_id else None
    if subject is not None:
        kind = SubjectType(subject.subject_type)
        person = kind is SubjectType.NATURAL_PERSON
        sources.update(
            {
                "subject.name": subject.name,
                "subject.party_type": "法人或者其他组织" if kind.is_organisation else "自然人",
                "subject.license_name": "居民身份证" if person else "营业执照",
                "subject.uscc": subject.uscc or "",
                "subject.address": subject.address,
                "subject.legal_rep": subject.legal_rep,
                "subject.id_no": subject.id_number,
                "subject.phone": subject.phone,
            }
        )
    return sources


def prefill(formdef: F.FormDef, sources: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for fd in formdef.fields:
        if fd.source and fd.source in sources and sources[fd.source] not in ("", None, []):
            value = sources[fd.source]
            if fd.type is F.FieldType.CHOICE and fd.options and value not in fd.option_values():
                continue  # e.g. a party type spelled differently by a province's form
            values[fd.key] = value
    return values


# ---- drafting -------------------------------------------------------------------------------------


def create_document(ctx: Context, form_id: str, inspection_id: uuid.UUID | None = None) -> uuid.UUID:
    formdef = load_formdef(form_id)
    with ctx.sessions.begin() as session:
        values = prefill(formdef, prefill_sources(session, ctx, inspection_id))
        row = DocumentRow(
            inspection_id=inspection_id,
            form_id=formdef.id,
            form_version=str(formdef.version),
            title=formdef.title,
            status=DocumentStatus.DRAFT,
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


def save_values(ctx: Context, document_id: uuid.UUID, values: Mapping[str, Any]) -> bool:
    """Autosave of the editor: any state is kept while drafting; checks come at printing."""
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        if row.status not in (DocumentStatus.DRAFT, DocumentStatus.CORRECTING):
            raise DocumentLocked("该文书已定稿，不能再修改；如需更正请使用「更正」，原文书仍保留")
        return records.update(session, ctx, row, {"values": dict(values)}, action="autosave")


def delete_draft(ctx: Context, document_id: uuid.UUID) -> None:
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        if row.status != DocumentStatus.DRAFT:
            raise DocumentLocked("已定稿的文书不能删除，只能作废")
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
        return Document(
            row.id,
            row.form_id,
            row.form_version,
            row.title,
            row.status,
            row.number,
            row.revision,
            dict(row.values),
            row.inspection_id,
            row.void_reason,
            tuple(_revision_info(r) for r in revisions),
        )


def _party(form_id: str, values: Mapping[str, Any]) -> str:
    """The party as the form names it (当事人, 被询问人, 受送达人…): the field filled from the subject."""
    try:
        field = load_formdef(form_id).field_by_source("subject.name")
    except FieldkitError:
        return ""
    return str(values.get(field.key) or "") if field is not None else ""


def list_documents(ctx: Context, inspection_id: uuid.UUID | None = None) -> list[DocumentListItem]:
    stmt = select(DocumentRow).where(DocumentRow.deleted_at.is_(None))
    if inspection_id is not None:
        stmt = stmt.where(DocumentRow.inspection_id == inspection_id)
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
                r.inspection_id,
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
    values = sealed_on(formdef, doc.values, ctx.today())
    return _problems(ctx, formdef, values) + _roster_problems(ctx, formdef, values)


def sealed_on(formdef: F.FormDef, values: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """The values with the date under the seal set to `day`: a document is dated the day it is
    finalised (printed for signature), whatever day its draft was begun (issue 9 item 8)."""
    return {**values, **{key: day.isoformat() for key in seal_date_fields(formdef)}}


def _problems(ctx: Context, formdef: F.FormDef, values: Mapping[str, Any]) -> list[Problem]:
    today = ctx.today()
    now = ctx.now().astimezone(SHANGHAI).replace(tzinfo=None)  # forms hold local wall-clock times
    problems = F.validate_values(formdef, values, today)
    seen = {(p.field, p.message) for p in problems}
    problems += [p for p in preprint_checks(formdef, values, today, now) if (p.field, p.message) not in seen]
    return problems + unprintable(formdef, values)  # characters no font has would print as empty boxes


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


def preview(ctx: Context, document_id: uuid.UUID) -> PrintResult:
    """A "草稿"-watermarked PDF of the current values; finalises and records nothing."""
    doc = load_document(ctx, document_id)
    formdef = load_formdef(doc.form_id)
    agency = load_settings(ctx).agency
    buffer = io.BytesIO()
    meta = DocumentMeta(agency_name=agency.full_name, number=doc.number, doc_id=str(doc.id))
    values = sealed_on(formdef, doc.values, ctx.today())  # as it would print today
    result = render_pdf(formdef, values, buffer, meta=meta, draft=True, images=_images(ctx, formdef, values))
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
    reprint returns the very same PDF; printing a correction makes the next revision."""
    if copies < 1:
        raise ValidationFailed([Problem("copies", "min", "打印份数：至少 1 份")])
    doc = load_document(ctx, document_id)
    if doc.status == DocumentStatus.VOID:
        raise DocumentLocked(f"该文书已作废（{doc.void_reason}），不能打印")
    store = file_store(ctx)
    if doc.status == DocumentStatus.FINAL:
        last = doc.revisions[-1]
        with store.open(last.pdf_sha256) as f:
            pdf = f.read()
        with ctx.sessions.begin() as session:
            row = _live(session, document_id)
            _log(session, ctx, row, "reprint", actor, {"copies": copies, "revision": last.revision})
        return PrintResult(doc.id, doc.number, pdf, last.pdf_sha256, last.pages, last.revision, "reprint")

    formdef = load_formdef(doc.form_id)
    sealed = sealed_on(formdef, doc.values, ctx.today())
    problems = _problems(ctx, formdef, sealed) + _roster_problems(ctx, formdef, sealed)
    hard = [p for p in problems if p.severity is Severity.ERROR]
    if hard or (problems and not accept_warnings):
        raise PrintBlocked(problems)
    correcting = doc.status == DocumentStatus.CORRECTING
    if correcting and not reason.strip():
        raise ValidationFailed([Problem("reason", "required", "更正理由：必填")])
    settings = load_settings(ctx)
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        number = row.number
        if number is None and formdef.numbered:
            year = ctx.today().year
            used = session.scalars(
                select(DocumentRow.number_seq).where(
                    DocumentRow.number_code == formdef.code,
                    DocumentRow.number_year == year,
                    DocumentRow.number_device == settings.device_code,
                )
            ).all()
            allocated = next_number(
                settings.agency.short_name, formdef.code, year, settings.device_code, [s for s in used if s]
            )
            number = allocated.text()
            row.number, row.number_code, row.number_year = number, allocated.code, allocated.year
            row.number_device, row.number_seq = allocated.device_code, allocated.seq
        values = sealed_on(formdef, row.values, ctx.today())  # dated the day it is finalised
        digest = content_hash(row.form_id, row.form_version, number, values)
        buffer = io.BytesIO()
        meta = DocumentMeta(
            agency_name=settings.agency.full_name, number=number, doc_id=str(row.id), content_hash=digest
        )
        rendered = render_pdf(formdef, values, buffer, meta=meta, images=_images(ctx, formdef, values))
        stored = _store_pdf(store, buffer.getvalue())
        revision = row.revision + 1
        records.update(
            session,
            ctx,
            row,
            {"status": DocumentStatus.FINAL, "revision": revision, "values": values},
            action="correct" if correcting else "finalise",
            actor=actor,
            detail={"number": number, "content_hash": digest, "pdf_sha256": stored, "reason": reason.strip()},
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
        _log(session, ctx, row, "print", actor, {"copies": copies, "revision": revision})
    return PrintResult(
        doc.id,
        number,
        buffer.getvalue(),
        stored,
        rendered.pages,
        revision,
        "correct" if correcting else "finalise",
        tuple(problems),
    )


def _images(ctx: Context, formdef: F.FormDef, values: Mapping[str, Any]) -> dict[str, bytes]:
    """Thumbnails for the form's `images` fields: render_pdf never reads the store itself."""
    from fieldkit.services.evidence_docs import document_images  # that module builds on this one

    return document_images(ctx, formdef, values)


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
    """Edit a copy of the finalised content; the finalised revision stays valid until the
    corrected one is printed (with its reason)."""
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        if row.status != DocumentStatus.FINAL:
            raise DocumentLocked("只有已定稿的文书可以更正")
        records.update(
            session, ctx, row, {"status": DocumentStatus.CORRECTING}, action="start_correction", actor=actor
        )


def void_document(ctx: Context, document_id: uuid.UUID, reason: str, actor: str = "") -> None:
    if not reason.strip():
        raise ValidationFailed([Problem("reason", "required", "作废理由：必填")])
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        if row.status == DocumentStatus.VOID:
            raise DocumentLocked("该文书已经作废")
        if row.status == DocumentStatus.DRAFT:
            raise DocumentLocked("草稿尚未编号，直接删除即可")
        records.update(
            session,
            ctx,
            row,
            {"status": DocumentStatus.VOID, "void_reason": reason.strip(), "voided_at": ctx.now()},
            action="void",
            actor=actor,
            detail={"number": row.number, "reason": reason.strip()},
        )


def blank_pdf(ctx: Context | None, form_id: str, agency_name: str | None = None) -> tuple[bytes, int]:
    """A blank copy to fill in by hand when the laptop fails: agency and 复议机关 printed when known."""
    formdef = load_formdef(form_id)
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
    result = render_pdf(formdef, blank_values(formdef, sources), buffer, meta=meta, blank=True)
    return buffer.getvalue(), result.pages


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


def record_signatures(
    ctx: Context, document_id: uuid.UUID, signatures: list[SignatureRecord], *, actor: str = ""
) -> None:
    """What happened at each signature line of the last printed revision."""
    problems: list[Problem] = []
    for s in signatures:
        if s.state not in SIGNATURE_STATES:
            problems.append(Problem("signatures", "state", f"签名情况：「{s.role}」的状态无效"))
        elif s.state in ("refused", "absent") and not s.witness.strip():
            problems.append(
                Problem(
                    "signatures",
                    "witness",
                    f"见证人：「{s.role}」{SIGNATURE_STATES[s.state]}，须记录见证人姓名（程序规定第四十三条、行政强制法第十八条）",
                )
            )
    if problems:
        raise ValidationFailed(problems)
    with ctx.sessions.begin() as session:
        row = _live(session, document_id)
        revision = _last_revision(session, row)
        records.update(
            session,
            ctx,
            revision,
            {"signatures": [s.__dict__ | {"witness": s.witness.strip()} for s in signatures]},
            action="sign",
            actor=actor,
        )


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
