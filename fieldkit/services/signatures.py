"""Signature lines of a printed document, handwritten signature images kept in the file store, and the
signed copy (签名版) of a printed revision with those images on its signature lines."""

from __future__ import annotations

import io
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.catalog import load_formdef
from fieldkit.domain import forms as F
from fieldkit.domain.documents import DocState
from fieldkit.errors import FieldkitError, NotFound
from fieldkit.printing.pdf import DocumentMeta, render_pdf
from fieldkit.services.context import Context
from fieldkit.services.documents import (
    DocumentLocked,
    RevisionInfo,
    file_store,
    load_document,
    printed_notes,
    void_note_of,
)
from fieldkit.services.formhooks import hooks_for
from fieldkit.services.records import update as records_update
from fieldkit.services.setup import load_settings
from fieldkit.store.evidence_files import EvidenceFileError
from fieldkit.store.schema import DocumentRevisionRow, DocumentRow

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 2 * 1024 * 1024  # a captured signature is ~10–40 KB

# Words in a signer's label that mark the line of the officers (their names come from the officers field)
# and of a witness (a line that is only used when the party refused or was absent).
_OFFICER_WORDS = ("执法人员", "检查人员", "询问人", "提取人", "抽样人员", "记录人", "送达人")
_WITNESS_WORDS = ("见证人",)


@dataclass(frozen=True)
class SignatureLine:
    """One blank on the paper someone signs: its label (the SignatureRecord role) and a suggested name."""

    role: str
    name: str = ""
    optional: bool = False  # e.g. the witness line: recorded only when a witness signed


def signature_lines(formdef: F.FormDef, values: Mapping[str, Any]) -> list[SignatureLine]:
    """The signature lines of the form, in print order (SignatureBlock, PageFooterBlock, StripBlock),
    each signer repeated `count` times; officers' lines suggest the officers' names in order."""
    signers: list[F.Signer] = []
    seen: set[str] = set()
    for block in formdef.blocks:
        if not isinstance(block, F.SignatureBlock | F.PageFooterBlock | F.StripBlock):
            continue
        if not F.when_holds(formdef, block.when, values):
            continue
        for signer in block.signers:
            if signer.label not in seen:  # a 笔录's footer repeats the lines of its last page
                seen.add(signer.label)
                signers.append(signer)
    raw = values.get("officers") if formdef.has_field("officers") else None
    officers = [str(o.get("name") or "") for o in raw or [] if isinstance(o, Mapping)]
    recorder = str(values.get("recorder") or "")
    # 已签名 needs a name (documents.record_signatures): the party's line suggests the party named on
    # the document (a company's stamp or its representative's signature); the officer can change it.
    party_field = formdef.field_by_source("subject.name")
    party = str(values.get(party_field.key) or "") if party_field else ""
    lines: list[SignatureLine] = []
    for signer in signers:
        for i in range(max(1, signer.count)):
            name = ""
            if signer.label.startswith("记录人"):
                name = recorder
            elif signer.label.startswith("被询问人"):
                name = str(values.get("name") or "") if formdef.has_field("name") else ""
            elif any(w in signer.label for w in _OFFICER_WORDS) and i < len(officers):
                name = officers[i]
            elif signer.label.startswith("当事人"):
                name = party
            optional = any(w in signer.label for w in _WITNESS_WORDS)
            lines.append(SignatureLine(signer.label, name, optional))
    return lines


def store_signature_image(ctx: Context, png: bytes) -> str:
    """Keep a handwritten signature (PNG) in the content-addressed store; returns its SHA-256
    for SignatureRecord.image_sha256."""
    if not png.startswith(PNG_MAGIC):
        raise FieldkitError("手写签名图像格式不对（应为 PNG 图片）")
    if len(png) > MAX_SIGNATURE_BYTES:
        raise FieldkitError("手写签名图像过大，请清除后重新签写")
    return file_store(ctx).add_bytes(png, name="signature.png").sha256


def read_signature_image(ctx: Context, sha256: str) -> bytes:
    """The stored PNG of a signature, to show it again."""
    with file_store(ctx).open(sha256) as f:
        return f.read()


# ---- the signed copy ----------------------------------------------------------------------------------
# The PDF printed for signature stays frozen (documents.print_document); handwritten signatures captured on
# the laptop go into a second PDF of the same revision, "签名版", kept as an attachment of that revision.

SIGNED_COPY_KIND = "signed_copy"


def signed_copy_attachment(revision: RevisionInfo | None) -> Mapping[str, Any] | None:
    """The signed copy among a revision's attachments, if there is one."""
    if revision is None:
        return None
    return next((a for a in revision.attachments if a.get("kind") == SIGNED_COPY_KIND), None)


def _current_revision(session: Session, document_id: uuid.UUID) -> tuple[DocumentRow, DocumentRevisionRow]:
    row = session.get(DocumentRow, document_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("找不到该文书")
    revision = session.scalars(
        select(DocumentRevisionRow).where(
            DocumentRevisionRow.document_id == row.id, DocumentRevisionRow.revision == row.revision
        )
    ).first()
    if revision is None:
        raise DocumentLocked("该文书尚未打印定稿，没有签名版")
    return row, revision


# written on the blank of a line whose signer refused or was absent (the 拒签记录 below says the rest)
_BLANK_WORDS = {"refused": "拒绝签名", "absent": "未到场"}


def _signature_pngs(ctx: Context, records: list[Mapping[str, Any]]) -> dict[str, list[bytes | str]]:
    """Signer label → per recorded line of that label, in order: the PNG of a handwritten signature,
    "拒绝签名"/"未到场" for a refusal or absence, b"" where nothing is to be drawn."""
    out: dict[str, list[bytes | str]] = {}
    for record in records:
        state = record.get("state")
        sha = str(record.get("image_sha256") or "") if state == "signed" else ""
        try:
            png: bytes | str = read_signature_image(ctx, sha) if sha else _BLANK_WORDS.get(str(state), b"")
        except EvidenceFileError as exc:
            raise FieldkitError(f"「{record.get('role')}」的手写签名图像缺失，无法生成签名版") from exc
        out.setdefault(str(record.get("role") or ""), []).append(png)
    return {role: pngs for role, pngs in out.items() if any(pngs)}


def refusal_notes(records: list[Mapping[str, Any]]) -> tuple[str, ...]:
    """拒签记录 as printed on the document: who refused (or was absent) at which line, when, the officers'
    note and the witness, with a line for the witness to sign (行政处罚法第五十二条; 程序规定第四十三、八十二条)."""
    out: list[str] = []
    for record in records:
        state = str(record.get("state") or "")
        if state not in _BLANK_WORDS:
            continue
        role = str(record.get("role") or "")
        name = str(record.get("name") or "").strip()
        at = F.parse_datetime(record.get("at"))
        when = F.format_datetime(at) if at else "（时间未记录）"
        what = "拒绝签名（签收）" if state == "refused" else "未到场，未能签名"
        text = f"拒签记录：「{role}」{name}于{when}{what}。"
        note = str(record.get("note") or "").strip()
        if note:
            text += f"执法人员注明：{note.rstrip('。')}。"
        witness = str(record.get("witness") or "").strip()
        if witness:
            text += f"见证人：{witness}（见证人签名：＿＿＿＿＿＿＿＿）。"
        out.append(text)
    return tuple(out)


def _frozen_agency_name(ctx: Context, pdf_sha256: str) -> str:
    """The agency named on the frozen PDF (render_pdf writes it as the PDF's author): the signed copy
    shows the same heading even if the agency's name was edited since."""
    try:
        with file_store(ctx).open(pdf_sha256) as f:
            document = pdfium.PdfDocument(f.read())
        try:
            return str(document.get_metadata_dict().get("Author") or "")
        finally:
            document.close()
    except (EvidenceFileError, pdfium.PdfiumError):
        return ""


def make_signed_copy(ctx: Context, document_id: uuid.UUID, *, actor: str = "") -> str | None:
    """Render the last printed revision again, with the same number and content hash, plus the handwritten
    signatures recorded for it; keep it as the revision's "签名版" attachment (replacing an earlier one).

    A refusal or absence is printed on it too: "拒绝签名" on the blank and a 拒签记录 (when, the officers'
    note, the witness with a line to sign) at the end, so the paper itself records it (行政处罚法第五十二条).

    Returns the SHA-256 of the signed copy, or None when nothing was captured or refused (an earlier signed
    copy of the revision is then removed). The frozen PDF of the revision is not touched.
    """
    with ctx.sessions() as session:
        row, _revision = _current_revision(session, document_id)
        title = row.title
    pdf = _render_signed_copy(ctx, document_id)
    stored = file_store(ctx).add_bytes(pdf, name="signed.pdf") if pdf else None
    with ctx.sessions.begin() as session:
        _row, revision = _current_revision(session, document_id)
        attachments = [a for a in revision.attachments if a.get("kind") != SIGNED_COPY_KIND]
        if stored is not None:
            attachments.append(
                {
                    "sha256": stored.sha256,
                    "name": f"{title}（签名版）.pdf",
                    "size": stored.size,
                    "kind": SIGNED_COPY_KIND,
                }
            )
        records_update(
            session,
            ctx,
            revision,
            {"attachments": attachments},
            action="signed_copy",
            actor=actor,
            detail={"pdf_sha256": stored.sha256 if stored else None},
        )
    return stored.sha256 if stored else None


def _render_signed_copy(ctx: Context, document_id: uuid.UUID, *, void: str = "") -> bytes:
    """The last printed revision with its recorded signatures and 拒签记录 (b"" when there are none);
    `void` (the 作废 note) stamps every page 作废 and adds the note, as any reprint of a voided one."""
    with ctx.sessions() as session:
        row, revision = _current_revision(session, document_id)
        form_id = row.form_id
        number, content_hash, values = revision.number or None, revision.content_hash, dict(revision.values)
        records, frozen_sha = list(revision.signatures), revision.pdf_sha256
    pngs = _signature_pngs(ctx, records)
    if not pngs:
        return b""
    formdef = load_formdef(form_id)
    lead, end = printed_notes(ctx, document_id)  # the same 更正说明 as the printed revision
    meta = DocumentMeta(
        agency_name=_frozen_agency_name(ctx, frozen_sha) or load_settings(ctx).agency.full_name,
        number=number,
        doc_id=str(document_id),
        content_hash=content_hash,
        lead_notes=lead,
        end_notes=(*end, *refusal_notes(records), *((void,) if void else ())),
        stamp="作废" if void else "",
    )
    buffer = io.BytesIO()
    images = hooks_for(formdef.id).images(ctx, formdef, values)
    render_pdf(
        formdef, values, buffer, meta=meta, options=ctx.settings.printing, images=images, signatures=pngs
    )
    return buffer.getvalue()


def signed_copy_pdf(ctx: Context, document_id: uuid.UUID) -> bytes | None:
    """The signed copy of the last printed revision, or None when there is none. A voided document's
    signed copy comes stamped 作废 with the reason, like every reprint of it: signed paper of a decision
    made anew must not pass for a valid one."""
    doc = load_document(ctx, document_id)
    revisions = doc.revisions
    attachment = signed_copy_attachment(revisions[-1] if revisions else None)
    if attachment is None:
        return None
    if doc.status == DocState.VOID:
        return _render_signed_copy(ctx, document_id, void=void_note_of(ctx, document_id)) or None
    with file_store(ctx).open(str(attachment["sha256"])) as f:
        return f.read()
