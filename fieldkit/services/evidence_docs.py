"""证据与措施文书: values of 证据清单, 证据提取单, 电子数据提取笔录, 财物清单 and 封条 from the records.

The fill, before-print and after-finalise hooks of these forms (services/formhooks.py registers them by
form id), and the pictures of any form's `images` fields. Drafting and printing are documents.py's: this
module never imports it."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from fieldkit.catalog import load_formdef
from fieldkit.domain import forms as F
from fieldkit.domain.documents import DocState, Finalised
from fieldkit.domain.evidence import EvidenceKind
from fieldkit.domain.formrules import deciding_form, rules_for
from fieldkit.domain.measures import GOODS_COLUMNS, MeasureKind, seal_refusal
from fieldkit.errors import FieldkitError, NotFound
from fieldkit.services import evidence, matters
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.evidence import EvidenceFile, EvidenceItem
from fieldkit.store.evidence_files import EvidenceFileError
from fieldkit.store.schema import DocumentRow, EvidenceFileRow, EvidenceItemRow, MeasureRow

log = logging.getLogger(__name__)

HASHES_PER_ROW = 8  # file hashes in one row of the 证据清单; more continue in rows marked “同上”
MAX_THUMBNAIL = 4 * 1024 * 1024  # a thumbnail is ~20 KB; anything this big is not one

# ---- helpers --------------------------------------------------------------------------------------


def _local_minute(value: dt.datetime | None) -> str:
    """ "2026-03-05T09:50" in Beijing time: the shape of a `datetime` field."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(SHANGHAI)
    return value.strftime("%Y-%m-%dT%H:%M")


def _is_image(f: EvidenceFile) -> bool:
    return f.mime.startswith("image/") or f.thumbnail_sha256 is not None


def _item(ctx: Context, item_id: uuid.UUID) -> EvidenceItem:
    with ctx.sessions() as session:
        row = session.get(EvidenceItemRow, item_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("找不到该证据")
        matter_id = row.matter_id
    for item in evidence.list_evidence(ctx, matter_id):
        if item.id == item_id:
            return item
    raise NotFound("找不到该证据")  # pragma: no cover - the row was there a moment ago


def _officers(ctx: Context, matter_id: uuid.UUID, names: Iterable[str]) -> list[dict[str, str]]:
    """The officers who took an item, with the 执法证号 the matter recorded (an inspection's snapshot); when
    fewer than two are named, the matter's other officers complete the pair (行政处罚法第四十二条: 不得少于两人)."""
    with ctx.sessions() as session:
        matter = matters.view_in(session, matter_id)
        snapshot = [] if matter is None else list(matter.officers)
    by_name = {o["name"]: {"name": o["name"], "cert_no": str(o.get("cert_no") or "")} for o in snapshot}
    out = [by_name.get(name, {"name": name, "cert_no": ""}) for name in dict.fromkeys(names)]
    for o in by_name.values():
        if len(out) >= 2:
            break
        if o not in out:
            out.append(o)
    return out


def _quantity(item: EvidenceItem) -> str:
    if item.draft.quantity.strip():
        return item.draft.quantity.strip()
    if not item.files:
        return ""
    unit = "张" if all(_is_image(f) for f in item.files) else "个文件"
    return f"{len(item.files)} {unit}"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- values for each form ---------------------------------------------------------------------------


def evidence_list_values(ctx: Context, matter_id: uuid.UUID) -> dict[str, Any]:
    """证据清单: one row per evidence item with each file's SHA-256 short form (first 16 hex digits).

    An item with more than HASHES_PER_ROW files continues in rows whose 名称 reads “同上”, so no row grows
    taller than a page and every hash is printed. 序号 counts the items as they stand on the list.
    """
    rows: list[dict[str, Any]] = []
    for n, item in enumerate(evidence.list_evidence(ctx, matter_id), 1):
        d = item.draft
        hashes = [f.sha256[:16] for f in item.files]
        chunks = [hashes[i : i + HASHES_PER_ROW] for i in range(0, len(hashes), HASHES_PER_ROW)] or [[]]
        rows.append(
            {
                "seq": str(n),
                "name": d.name,
                "kind": d.kind.label,
                "source": d.source,
                "proves": d.proves,
                "quantity": _quantity(item),
                "collected_at": _local_minute(d.collected_at),
                "collected_by": "、".join(d.collected_by),
                "sha256": "\n".join(chunks[0]),
            }
        )
        rows += [{"seq": "", "name": "同上", "sha256": "\n".join(chunk)} for chunk in chunks[1:]]
    return {"items": rows}


def extraction_values(ctx: Context, item_id: uuid.UUID) -> dict[str, Any]:
    """证据提取单 for one item (程序规定第二十四条), with its photos as `images` entries.

    Each photo is named by its file's SHA-256; the thumbnails themselves are read only when printing
    (thumbnail_bytes). Files that are not pictures are listed in the explanatory note with their hash.
    """
    item = _item(ctx, item_id)
    d = item.draft
    photos = [f for f in item.files if _is_image(f)]
    others = [f for f in item.files if not _is_image(f)]
    if item.files and not others:
        form = "照片"
    elif d.kind is EvidenceKind.PHYSICAL:
        form = "原物"
    elif d.kind is EvidenceKind.AUDIOVISUAL and others:
        form = "录音录像"
    else:
        form = ""  # 原件 or 复制件 is the officer's call
    note = [d.note.strip()] if d.note.strip() else []
    if others:
        listed = "；".join(f"{f.original_name}（{f.size} 字节，SHA-256：{f.sha256}）" for f in others)
        note.append(f"另附文件 {len(others)} 个：{listed}。")
    values: dict[str, Any] = {
        "evidence_name": d.name,
        "evidence_kind": d.kind.label,
        "evidence_form": form,
        "quantity": _quantity(item),
        "origin": d.source or d.collected_place,
        "place": d.collected_place,
        "taken_at": _local_minute(d.collected_at),
        "officers": _officers(ctx, item.matter_id, d.collected_by),
        "proves": d.proves,
        "description": "\n".join(note),
        "photos": [
            {
                "label": f.original_name,
                "sha256": f.sha256,
                "caption": "拍摄时间："
                + (F.format_datetime(f.taken_at.astimezone(SHANGHAI)) if f.taken_at else "无记录"),
            }
            for f in photos
        ],
    }
    return {k: v for k, v in values.items() if not F.is_empty(v)}


def electronic_values(ctx: Context, item_id: uuid.UUID) -> dict[str, Any]:
    """电子数据证据提取笔录 (程序规定第二十六条): every file with its size in bytes and full SHA-256."""
    item = _item(ctx, item_id)
    d = item.draft
    values: dict[str, Any] = {
        "start_at": _local_minute(d.collected_at),
        "place": d.collected_place,
        "officers": _officers(ctx, item.matter_id, d.collected_by),
        "maker": "、".join(d.collected_by),
        "carrier": d.source,
        "methods": ["复制电子数据"],
        "process": d.note,
        "files": [
            {"name": f.original_name, "size": f.size, "sha256": f.sha256, "method": "复制"}
            for f in item.files
        ],
    }
    return {k: v for k, v in values.items() if not F.is_empty(v)}


def _measure(ctx: Context, measure_id: uuid.UUID) -> MeasureRow:
    with ctx.sessions() as session:
        row = session.get(MeasureRow, measure_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("找不到该措施")
        session.expunge(row)
        return row


def _decision_number(ctx: Context, row: MeasureRow) -> str:
    """The 文号 of the notice or decision behind a measure: its own document, else the latest
    numbered one of that form in the inspection (a voided number is never cited)."""
    form_id = deciding_form(MeasureKind(row.kind))
    with ctx.sessions() as session:
        if row.document_id is not None:
            doc = session.get(DocumentRow, row.document_id)
            if doc is not None and doc.number and doc.status != DocState.VOID:
                return doc.number
        if form_id is None:
            return ""
        number = session.scalars(
            select(DocumentRow.number)
            .where(
                DocumentRow.matter_id == row.matter_id,
                DocumentRow.form_id == form_id,
                DocumentRow.number.is_not(None),
                DocumentRow.status != DocState.VOID,
                DocumentRow.deleted_at.is_(None),
            )
            .order_by(DocumentRow.updated_at.desc())
            .limit(1)
        ).first()
    return number or ""


def goods_list_values(ctx: Context, measure_id: uuid.UUID) -> dict[str, Any]:
    """场所/设施/财物清单 of a 先行登记保存 or 查封/扣押 (行政强制法第二十四条，程序规定第三十四条)."""
    row = _measure(ctx, measure_id)
    decided_by = deciding_form(MeasureKind(row.kind))
    decision = load_formdef(decided_by) if decided_by is not None else None
    related = decision.title if decision is not None and decision.numbered else ""  # a numbered one is cited
    keys = [key for key, _ in GOODS_COLUMNS]
    items = []
    for line in row.items:
        item = {key: str(line.get(key) or "") for key in keys}
        item["place"] = item["place"] or row.storage_place
        items.append({k: v for k, v in item.items() if v})
    values: dict[str, Any] = {
        "related_doc": related,
        "related_number": _decision_number(ctx, row),
        "counted_at": _local_minute(ctx.now()),
        "items": items,
    }
    return {k: v for k, v in values.items() if not F.is_empty(v)}


def seal_values(ctx: Context, measure_id: uuid.UUID) -> dict[str, Any]:
    """封条 of a measure (程序规定第三十一条、第四十一条): the measure, the decision's number, what is sealed.

    Only a 查封, 扣押 or 抽样 has one; a 先行登记保存 is refused (seal_refusal: 程序规定第三十四条)."""
    row = _measure(ctx, measure_id)
    if why := seal_refusal(MeasureKind(row.kind).label):
        raise FieldkitError(why)
    lines = [line for line in row.items if str(line.get("name") or "").strip()]
    if len(lines) == 1:
        line = lines[0]
        sealed = f"{line['name']} {line.get('quantity') or ''}{line.get('unit') or ''}".strip()
    elif lines:
        sealed = f"{lines[0]['name']}等 {len(lines)} 项（详见清单）"
    else:
        sealed = row.storage_place
    values: dict[str, Any] = {
        "measure": MeasureKind(row.kind).label,
        "doc_number": _decision_number(ctx, row),
        "sealed_items": _short(sealed, 80),
        "seal_date": row.decided_on.isoformat(),
    }
    return {k: v for k, v in values.items() if not F.is_empty(v)}


# ---- pictures for printing ---------------------------------------------------------------------------


def thumbnail_bytes(ctx: Context, shas: Iterable[str]) -> dict[str, bytes]:
    """The thumbnail (JPEG) of each evidence file, keyed by the file's own SHA-256.

    Read through the evidence store and checked against the thumbnail's recorded hash; a file without a
    thumbnail, or a thumbnail missing or changed in the store, is left out and prints as “（图片缺失）”.
    """
    wanted = sorted({s for s in shas if s})
    if not wanted:
        return {}
    with ctx.sessions() as session:
        pairs = session.execute(
            select(EvidenceFileRow.sha256, EvidenceFileRow.thumbnail_sha256).where(
                EvidenceFileRow.sha256.in_(wanted),
                EvidenceFileRow.thumbnail_sha256.is_not(None),
                EvidenceFileRow.deleted_at.is_(None),
            )
        ).all()
    thumbs = {sha: thumb for sha, thumb in pairs if thumb}
    files = evidence.store(ctx)
    out: dict[str, bytes] = {}
    for sha, thumb in sorted(thumbs.items()):
        try:
            with files.open(thumb) as f:
                data = f.read(MAX_THUMBNAIL + 1)
        except EvidenceFileError as exc:
            log.warning("thumbnail %s of %s cannot be read: %s", thumb, sha, exc)
            continue
        if len(data) > MAX_THUMBNAIL or hashlib.sha256(data).hexdigest() != thumb:
            log.warning("thumbnail %s of %s does not match its hash; not printed", thumb, sha)
            continue
        out[sha] = data
    return out


def document_images(ctx: Context, formdef: F.FormDef, values: Mapping[str, Any]) -> dict[str, bytes]:
    """The pictures render_pdf needs for the `images` fields of these values."""
    shas: set[str] = set()
    for fd in formdef.fields:
        if fd.type is F.FieldType.IMAGES:
            for entry in values.get(fd.key) or []:
                if isinstance(entry, Mapping) and isinstance(entry.get("sha256"), str):
                    shas.add(entry["sha256"].strip().lower())
    return thumbnail_bytes(ctx, shas)


# ---- hooks (services/formhooks.py) ---------------------------------------------------------------


def _kinds_text(kinds: frozenset[MeasureKind]) -> str:
    labels = [k.label for k in MeasureKind if k in kinds]
    return labels[0] if len(labels) == 1 else f"{'、'.join(labels[:-1])}或者{labels[-1]}"


def _own_item(ctx: Context, matter_id: uuid.UUID, item_id: uuid.UUID | None) -> uuid.UUID:
    if item_id is None:
        raise FieldkitError("请选择要提取的证据")
    if _item(ctx, item_id).matter_id != matter_id:
        raise NotFound("该证据不属于这次检查")
    return item_id


def _own_measure(ctx: Context, form_id: str, matter_id: uuid.UUID, measure_id: uuid.UUID | None) -> uuid.UUID:
    if measure_id is None:
        raise FieldkitError(f"请选择对应的措施（{_kinds_text(rules_for(form_id).measure_kinds)}）")
    if _measure(ctx, measure_id).matter_id != matter_id:
        raise NotFound("该措施不属于这次检查")
    return measure_id


def fill_evidence_list(
    ctx: Context, form_id: str, matter_id: uuid.UUID, record_id: uuid.UUID | None = None
) -> dict[str, Any]:
    """证据清单: drafted from, and before printing brought up to date with, the inspection's evidence."""
    return evidence_list_values(ctx, matter_id)


def fill_extraction(
    ctx: Context, form_id: str, matter_id: uuid.UUID, item_id: uuid.UUID | None
) -> dict[str, Any]:
    return extraction_values(ctx, _own_item(ctx, matter_id, item_id))


def fill_electronic(
    ctx: Context, form_id: str, matter_id: uuid.UUID, item_id: uuid.UUID | None
) -> dict[str, Any]:
    return electronic_values(ctx, _own_item(ctx, matter_id, item_id))


def fill_goods_list(
    ctx: Context, form_id: str, matter_id: uuid.UUID, measure_id: uuid.UUID | None
) -> dict[str, Any]:
    return goods_list_values(ctx, _own_measure(ctx, form_id, matter_id, measure_id))


def fill_seal(
    ctx: Context, form_id: str, matter_id: uuid.UUID, measure_id: uuid.UUID | None
) -> dict[str, Any]:
    return seal_values(ctx, _own_measure(ctx, form_id, matter_id, measure_id))


def freeze_evidence(ctx: Context, done: Finalised) -> None:
    """Once a 证据清单 is printed for signature, the inspection's evidence items and file hashes are
    frozen (chain of custody)."""
    if done.matter_id is not None:
        evidence.finalise_evidence(ctx, done.matter_id, actor=done.actor)
