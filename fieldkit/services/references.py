"""Cross-references between documents (issue 9 item 9): the 清单 number in a 先行登记保存 / 强制措施
document, the decision a 清单, 封条, 延长 or 解除 document names, the 文书文号 in a 送达回证.

Such a number is picked from this agency's finalised documents, never typed: a number that no document
of ours carries, one that was voided, or one of another agency would print a reference to nothing. The
editor offers `reference_choices`; checking and printing refuse anything else (`reference_problems`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from fieldkit.catalog import load_formdefs
from fieldkit.domain import forms as F
from fieldkit.domain.documents import DocState
from fieldkit.domain.numbering import parse_number
from fieldkit.domain.problems import Problem
from fieldkit.services.context import Context
from fieldkit.services.setup import load_settings
from fieldkit.store.schema import DocumentRow

ANY_FORM = "*"
CITABLE = (DocState.FINAL, DocState.CORRECTING)  # printed for signature and still valid


@dataclass(frozen=True)
class ReferenceChoice:
    number: str
    title: str  # the cited document's title (送达文书名称)
    party: str
    form_id: str
    same_inspection: bool

    @property
    def label(self) -> str:
        """How the picker shows it: 文号 — 文书名称（当事人）."""
        party = f"（{self.party}）" if self.party else ""
        return f"{self.number} — {self.title}{party}"


def _party(form_id: str, values: Mapping[str, Any]) -> str:
    formdef = load_formdefs().get(form_id)
    field = formdef.field_by_source("subject.name") if formdef else None
    return str(values.get(field.key) or "") if field is not None else ""


def _allowed(fd: F.FieldDef) -> set[str] | None:
    """The form ids a field may cite; None for any numbered form."""
    return None if ANY_FORM in fd.refs else set(fd.refs)


# The picker lists every citable number of the same inspection and this many of the newest others: enough
# to find a document of another visit, never a 100,000-row list (DESIGN §7).
OTHER_CHOICES = 200


def _choice(row: DocumentRow, matter_id: uuid.UUID | None) -> ReferenceChoice:
    return ReferenceChoice(
        row.number or "",
        row.title,
        _party(row.form_id, row.values or {}),
        row.form_id,
        matter_id is not None and row.matter_id == matter_id,
    )


def reference_choices(
    ctx: Context, form_id: str, key: str, *, document_id: uuid.UUID | None, matter_id: uuid.UUID | None
) -> list[ReferenceChoice]:
    """The numbers field `key` may cite: this agency's finalised, not voided documents of the allowed
    forms, the same inspection's first, then the newest."""
    formdef = load_formdefs()[form_id]
    fd = formdef.field(key)
    if not fd.refs:
        return []
    allowed = _allowed(fd)
    short_name = load_settings(ctx).agency.short_name
    stmt = select(DocumentRow).where(
        DocumentRow.deleted_at.is_(None),
        DocumentRow.number.is_not(None),
        DocumentRow.status.in_(CITABLE),
    )
    if allowed is not None:
        stmt = stmt.where(DocumentRow.form_id.in_(sorted(allowed)))
    if document_id is not None:
        stmt = stmt.where(DocumentRow.id != document_id)
    newest = stmt.order_by(DocumentRow.updated_at.desc())
    with ctx.sessions() as session:
        rows = []
        if matter_id is not None:
            rows += session.scalars(newest.where(DocumentRow.matter_id == matter_id)).all()
        rows += session.scalars(newest.limit(OTHER_CHOICES)).all()
        found: dict[str, ReferenceChoice] = {}
        for row in rows:
            parsed = parse_number(row.number or "")
            if parsed is None or parsed.short_name != short_name or (row.number or "") in found:
                continue  # another agency's number, or one this agency never issued in its pattern
            found[row.number or ""] = _choice(row, matter_id)
    return list(found.values())  # the same inspection's first, newest first within each group


def _cited(
    ctx: Context, fd: F.FieldDef, number: str, document_id: uuid.UUID | None, matter_id: uuid.UUID | None
) -> ReferenceChoice | None:
    """The document a number names, if it may be cited here; looked up by the number's parts (indexed)."""
    parsed = parse_number(number)
    if parsed is None or parsed.short_name != load_settings(ctx).agency.short_name:
        return None
    allowed = _allowed(fd)
    with ctx.sessions() as session:
        rows = session.scalars(
            select(DocumentRow).where(
                DocumentRow.number_code == parsed.code,
                DocumentRow.number_year == parsed.year,
                DocumentRow.number_device == parsed.device_code,
                DocumentRow.number_seq == parsed.seq,
            )
        ).all()
        for row in rows:
            if (
                row.number == number
                and row.deleted_at is None
                and row.status in CITABLE
                and row.id != document_id
                and (allowed is None or row.form_id in allowed)
            ):
                return _choice(row, matter_id)
    return None


def reference_problems(
    ctx: Context,
    formdef: F.FormDef,
    values: Mapping[str, Any],
    *,
    document_id: uuid.UUID | None,
    matter_id: uuid.UUID | None,
) -> list[Problem]:
    """Every cited number must be one `reference_choices` could offer; a cited title must match."""
    out: list[Problem] = []
    for fd in formdef.fields:
        value = values.get(fd.key)
        if not fd.refs or not isinstance(value, str) or not value.strip():
            continue
        chosen = _cited(ctx, fd, value.strip(), document_id, matter_id)
        if chosen is None:
            if _allowed(fd) is None:
                kinds = "已编号文书"
            else:
                kinds = "、".join(f.title for fid, f in sorted(load_formdefs().items()) if fid in fd.refs)
            out.append(
                Problem(
                    fd.key,
                    "reference.unknown",
                    f"{fd.label}：“{value.strip()}”不是本局已定稿（未作废）的{kinds}的文号，"
                    "请从列表中选择，不能手工填写",
                )
            )
            continue
        if fd.ref_title and formdef.has_field(fd.ref_title):
            title = values.get(fd.ref_title)
            if not isinstance(title, str) or title.strip() != chosen.title:
                label = formdef.field(fd.ref_title).label
                out.append(
                    Problem(
                        fd.ref_title,
                        "reference.title",
                        f"{label}：应与所选文书一致——{chosen.number} 是《{chosen.title}》",
                    )
                )
    return out
