"""`audit verify` and the record half of `evidence verify`: is the store what its audit log says?

The audit log (own entries chained in audit_log, other devices' entries in imported_audit) records
what each change wrote: a finalised revision's content hash and PDF hash, an evidence file's
SHA-256, who created each record. These checks hold the rows against it, and the log's end
against the head signed by the device key outside the database (services/anchor.py), so an edit
made directly in the SQLite file shows even when it keeps the hash chain intact (issue 11 item 2).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fieldkit.services import anchor
from fieldkit.services.context import Context
from fieldkit.store import audit
from fieldkit.store.db import check_integrity
from fieldkit.store.evidence_files import StoreProblem
from fieldkit.store.schema import (
    AuditRow,
    DocumentRevisionRow,
    DocumentRow,
    EvidenceFileRow,
    ImportedAuditRow,
    ImportedBundleRow,
    TrustedDeviceRow,
)

DRAFT = "draft"


@dataclass(frozen=True)
class Entry:
    """One audit entry, own or imported, as far as these checks need it."""

    device_id: str
    seq: int
    action: str
    record_type: str
    record_id: str
    detail: dict[str, Any]


@dataclass
class AuditReport:
    entries: int = 0
    problems: list[str] = field(default_factory=list)
    broken: audit.AuditBreak | None = None  # the first break of this store's own hash chain
    head_seq: int | None = None  # the signed anchor's entry
    unanchored: int = 0  # entries after the anchor (a commit whose head write failed or is pending)

    @property
    def ok(self) -> bool:
        return not self.problems


def _entries(session: Session) -> Iterator[Entry]:
    for row in session.scalars(select(AuditRow).order_by(AuditRow.seq)).yield_per(2000):
        yield Entry(row.device_id, row.seq, row.action, row.record_type, row.record_id, row.detail or {})
    for device_id, entry in session.execute(
        select(ImportedAuditRow.source_device_id, ImportedAuditRow.entry)
    ):
        if isinstance(entry, dict):
            yield Entry(
                device_id,
                int(entry.get("seq") or 0),
                str(entry.get("action", "")),
                str(entry.get("record_type", "")),
                str(entry.get("record_id", "")),
                entry.get("detail") if isinstance(entry.get("detail"), dict) else {},
            )


def verify_audit(ctx: Context) -> AuditReport:
    """Every check at once; each problem is a Chinese sentence naming the entry or record."""
    report = AuditReport()
    with ctx.sessions() as session:
        report.entries = session.scalar(select(func.count()).select_from(AuditRow)) or 0
        report.broken = audit.verify_chain(session)
        if report.broken is not None:
            report.problems.append(report.broken.reason)
        _check_head(session, ctx, report)
        report.problems += _imported_chains(session)
        entries = list(_entries(session))
        report.problems += _revision_problems(session, entries)
        report.problems += _draft_resets(session)
        report.problems += _creators(session, entries)
        report.problems += _imports_kept(session, [e for e in entries if e.device_id == ctx.device_id])
        # `audit verify` says evidence records agree with the log: so it checks them too (as
        # `evidence verify` does, without reading the files).
        report.problems += [p.message for p in _evidence_records(session, entries)]
    return report


def _check_head(session: Session, ctx: Context, report: AuditReport) -> None:
    last = session.execute(
        select(AuditRow.seq, AuditRow.entry_hash).order_by(AuditRow.seq.desc()).limit(1)
    ).first()
    key_path = ctx.data_dir / "keys" / "device.key"
    head = anchor.read_head(ctx.data_dir)
    name = anchor.HEAD_FILE
    if head is None:
        if last is not None and key_path.exists():
            report.problems.append(f"审计日志锚点文件 {name} 缺失：无法确认日志末尾没有被删除")
        return
    if not head or not isinstance(head.get("seq"), int):
        report.problems.append(f"审计日志锚点文件 {name} 已损坏")
        return
    from fieldkit.bundle import keys
    from fieldkit.services import at_rest

    public = keys.public_key_pem(at_rest.device_signing_key(ctx)) if key_path.exists() else ""
    if (
        head.get("device_id") != ctx.device_id
        or not public
        or not anchor.signature_valid(public, ctx.device_id, head)
    ):
        report.problems.append(f"审计日志锚点 {name} 的签名无效（不是本机密钥签的，或被改动）")
        return
    seq = head["seq"]
    report.head_seq = seq
    if last is None or last[0] < seq:
        have = 0 if last is None else last[0]
        report.problems.append(
            f"审计日志被截断：本机密钥签名的锚点记录到第 {seq} 条，数据库中只剩到第 {have} 条"
        )
        return
    at = session.scalar(select(AuditRow.entry_hash).where(AuditRow.seq == seq))
    if at != head.get("entry_hash"):
        report.problems.append(f"第 {seq} 条审计记录与本机密钥签名的锚点不符：审计日志被改写后重新串链")
    report.unanchored = last[0] - seq


def _imported_chains(session: Session) -> list[str]:
    """Other devices' entries: each hashes to itself, links to its predecessor, and came in a
    bundle signed by that same device."""
    bundle_device = dict(
        session.execute(select(ImportedBundleRow.bundle_id, ImportedBundleRow.device_id)).all()
    )
    codes = dict(session.execute(select(ImportedBundleRow.device_id, ImportedBundleRow.device_code)).all())
    by_device: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    problems: list[str] = []
    for row in session.scalars(select(ImportedAuditRow)).yield_per(2000):
        entry = row.entry if isinstance(row.entry, dict) else {}
        who = codes.get(row.source_device_id) or row.source_device_id[:8]
        seq = row.seq
        if bundle_device.get(row.bundle_id, row.source_device_id) != row.source_device_id:
            signer = codes.get(bundle_device[row.bundle_id]) or bundle_device[row.bundle_id][:8]
            problems.append(f"设备 {who} 的第 {seq} 条审计记录是设备 {signer} 的包带入的：不是该设备自己记的")
        try:
            computed = audit.entry_hash(audit.entry_row(row.id, row.source_device_id, entry))
        except (KeyError, TypeError, ValueError):
            problems.append(f"设备 {who} 的第 {seq} 条审计记录字段不全")
            continue
        if computed != entry.get("entry_hash"):
            problems.append(f"设备 {who} 的第 {seq} 条审计记录内容与其哈希不符（被改动）")
        if seq in by_device[row.source_device_id]:
            problems.append(f"设备 {who} 的第 {seq} 条审计记录有两条不同的版本")
        by_device[row.source_device_id][seq] = (entry.get("prev_hash", ""), computed)
    for device_id, chain in by_device.items():
        who = codes.get(device_id) or device_id[:8]
        for seq, (prev, _digest) in sorted(chain.items()):
            before = chain.get(seq - 1)
            if (seq == 1 and prev != audit.GENESIS) or (before is not None and prev != before[1]):
                problems.append(
                    f"设备 {who} 的第 {seq} 条审计记录接不上第 {seq - 1} 条（记录被删除、插入或改写）"
                )
    return problems + _received_heads(session, by_device, codes)


def _imports_kept(session: Session, own: list[Entry]) -> list[str]:
    """What this office's own (anchored) log says it kept of each laptop's log is still here: as
    many entries, and the entry at each signed end received. Deleting imported entries or the
    bundle receipts (both only tables) shows here."""
    stated: dict[str, int] = defaultdict(int)
    heads: dict[str, set[tuple[int, str]]] = defaultdict(set)
    codes: dict[str, str] = {}
    for e in own:
        if (
            e.action != "import"
            or e.record_type != "bundle"
            or not isinstance(e.detail.get("device_id"), str)
        ):
            continue
        device_id = e.detail["device_id"]
        codes[device_id] = str(e.detail.get("from_device") or device_id[:8])
        count = e.detail.get("audit_entries")
        stated[device_id] += count if isinstance(count, int) else 0
        head = e.detail.get("audit_head")
        if isinstance(head, dict) and isinstance(head.get("seq"), int):
            heads[device_id].add((head["seq"], str(head.get("entry_hash"))))
    problems: list[str] = []
    for device_id in codes:
        kept = session.scalar(
            select(func.count())
            .select_from(ImportedAuditRow)
            .where(ImportedAuditRow.source_device_id == device_id)
        )
        if (kept or 0) < stated[device_id]:
            problems.append(
                f"设备 {codes[device_id]} 的审计记录本库导入了 {stated[device_id]} 条，现只剩 {kept} 条：导入后被删除"
            )
        for seq, digest in sorted(heads[device_id]):
            entry = session.scalar(
                select(ImportedAuditRow.entry).where(
                    ImportedAuditRow.source_device_id == device_id, ImportedAuditRow.seq == seq
                )
            )
            if not isinstance(entry, dict):
                problems.append(
                    f"设备 {codes[device_id]} 签名的审计日志末尾（第 {seq} 条）导入时已收到，本库中却没有：导入后被删除"
                )
            elif entry.get("entry_hash") != digest:
                problems.append(
                    f"本库保存的设备 {codes[device_id]} 第 {seq} 条审计记录与导入时收到的末尾不符：导入后被改动"
                )
    return problems


def _received_heads(
    session: Session, by_device: dict[str, dict[int, tuple[str, str]]], codes: dict[str, str]
) -> list[str]:
    """Each laptop's signed log end, as its bundles carried it (the office's receipts): signed by
    that laptop's registered key and matching the entry kept here at that position."""
    keys_by_device = dict(
        session.execute(select(TrustedDeviceRow.device_id, TrustedDeviceRow.public_pem)).all()
    )
    problems: list[str] = []
    for device_id, summary in session.execute(select(ImportedBundleRow.device_id, ImportedBundleRow.summary)):
        head = summary.get("audit_head") if isinstance(summary, dict) else None
        if not isinstance(head, dict) or not isinstance(head.get("seq"), int):
            continue
        who = codes.get(device_id) or device_id[:8]
        pem = keys_by_device.get(device_id)
        if pem is not None and not anchor.signature_valid(pem, device_id, head):
            problems.append(
                f"设备 {who} 的包所带审计日志末尾（第 {head['seq']} 条）的签名无效：导入记录被改动"
            )
            continue
        kept = by_device.get(device_id, {}).get(head["seq"])
        if kept is not None and kept[1] != head.get("entry_hash"):
            problems.append(
                f"本库保存的设备 {who} 第 {head['seq']} 条审计记录与该设备签名的末尾不符：导入后被改动"
            )
    return problems


def _finalised(entries: list[Entry]) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(device, document id) → the (content hash, PDF hash) pairs its finalise/correct entries state."""
    out: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for e in entries:
        if e.record_type == "document" and "content_hash" in e.detail and "pdf_sha256" in e.detail:
            out[(e.device_id, e.record_id)].add((str(e.detail["content_hash"]), str(e.detail["pdf_sha256"])))
    return out


def _revision_problems(session: Session, entries: list[Entry]) -> list[str]:
    from fieldkit.services.documents import content_hash  # printing stack: only when verifying

    finalised = _finalised(entries)
    problems: list[str] = []
    rows = session.execute(
        select(DocumentRevisionRow, DocumentRow.form_id, DocumentRow.device_id, DocumentRow.title).join(
            DocumentRow, DocumentRow.id == DocumentRevisionRow.document_id
        )
    )
    for rev, form_id, doc_device, title in rows:
        what = f"文书「{title}」{rev.number or rev.document_id} 第 {rev.revision} 版"
        if content_hash(form_id, rev.form_version, rev.number or None, rev.values) != rev.content_hash:
            problems.append(f"{what}的内容与定稿时的内容哈希不符：定稿后被改动")
            continue
        stated = finalised.get((doc_device, str(rev.document_id)))
        if stated is not None and (rev.content_hash, rev.pdf_sha256) not in stated:
            problems.append(f"{what}的内容哈希或 PDF 与审计日志中定稿时记录的不符：定稿后被替换")
    return problems


def _draft_resets(session: Session) -> list[str]:
    counts = dict(
        session.execute(
            select(DocumentRevisionRow.document_id, func.max(DocumentRevisionRow.revision)).group_by(
                DocumentRevisionRow.document_id
            )
        ).all()
    )
    problems: list[str] = []
    for doc in session.scalars(select(DocumentRow).where(DocumentRow.id.in_(list(counts)))):
        last = counts[doc.id]
        if doc.status == DRAFT:
            problems.append(
                f"文书「{doc.title}」{doc.number or doc.id} 已有定稿的第 {last} 版，状态却是草稿：数据库被改动"
            )
        elif doc.revision != last:
            problems.append(
                f"文书「{doc.title}」{doc.number or doc.id} 记为第 {doc.revision} 版，存档的定稿却到第 {last} 版"
            )
    return problems


def _creators(session: Session, entries: list[Entry]) -> list[str]:
    """A record's current version comes from the device that created it (issue 11 item 1): a
    version from another device was written over its owner's record."""
    from fieldkit.services.exchange import SYNCED  # exchange builds on this module's neighbours

    created: dict[str, str] = {}
    for e in entries:
        if e.action == "create":
            created.setdefault(e.record_id, e.device_id)
    codes = dict(session.execute(select(ImportedBundleRow.device_id, ImportedBundleRow.device_code)).all())
    problems: list[str] = []
    for cls in SYNCED:
        for row_id, device_id, version in session.execute(select(cls.id, cls.device_id, cls.version)):  # type: ignore[attr-defined]
            owner = created.get(str(row_id))
            if owner is not None and owner != device_id:
                problems.append(
                    f"{cls.__tablename__} {row_id} 由设备 {codes.get(owner) or owner[:8]} 创建，"
                    f"现存的第 {version} 版却出自设备 {codes.get(device_id) or device_id[:8]}：被其他设备改写"
                )
    return problems


def _evidence_records(session: Session, entries: list[Entry]) -> list[StoreProblem]:
    """Each evidence record still names the file its `create` entry recorded (no file is read)."""
    problems: list[StoreProblem] = []
    added: dict[str, str] = {}
    for e in entries:
        if e.record_type == "evidence_file" and e.action == "create" and "sha256" in e.detail:
            added.setdefault(e.record_id, str(e.detail["sha256"]))
    for row in session.scalars(select(EvidenceFileRow).where(EvidenceFileRow.deleted_at.is_(None))):
        stated = added.get(str(row.id))
        if stated is not None and stated != row.sha256:
            problems.append(
                StoreProblem(
                    "changed",
                    row.sha256,
                    Path(),
                    f"证据文件「{row.original_name}」的记录指向另一个文件：添加时为 {stated[:16]}…，"
                    f"现为 {row.sha256[:16]}…",
                )
            )
    return problems


def evidence_bindings(ctx: Context) -> list[StoreProblem]:
    """Evidence records and finalised revisions point at the very files they were made with."""
    with ctx.sessions() as session:
        entries = list(_entries(session))
        problems = _evidence_records(session, entries)
        finalised = _finalised(entries)
        rows = session.execute(
            select(DocumentRevisionRow, DocumentRow.device_id, DocumentRow.title).join(
                DocumentRow, DocumentRow.id == DocumentRevisionRow.document_id
            )
        )
        for rev, doc_device, title in rows:
            stated_pdfs = {pdf for _c, pdf in finalised.get((doc_device, str(rev.document_id)), set())}
            if stated_pdfs and rev.pdf_sha256 not in stated_pdfs:
                problems.append(
                    StoreProblem(
                        "changed",
                        rev.pdf_sha256,
                        Path(),
                        f"文书「{title}」{rev.number} 第 {rev.revision} 版的 PDF 不是定稿时存档的那一份",
                    )
                )
    return problems


def check_database(ctx: Context) -> list[str]:
    """SQLite's own checks of the file and of every foreign key; an empty list means all is well."""
    return check_integrity(ctx.sessions.kw["bind"])
