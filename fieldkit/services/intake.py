"""Office intake rules checked before a bundle's records are merged (issue 11 item 1, issue 9 item 2).

A trusted key may speak only for its own device: the key is bound to one device id and one 本机编号,
its audit entries must chain onto what the office already holds of that device, and a 文号 may
belong to one document only. Every check here only reads; problems are Chinese sentences and any
one refuses the whole bundle (docs/bundle-format.md §6).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from fieldkit.bundle.manifest import Manifest
from fieldkit.bundle.reader import RecordIn
from fieldkit.store import audit
from fieldkit.store.schema import DocumentRow, ImportedAuditRow, ImportedBundleRow, TrustedDeviceRow

AUDIT_FIELDS = ("seq", "at", "actor", "action", "record_type", "record_id", "record_version", "detail")


@dataclass(frozen=True)
class DeviceBinding:
    """What the import will record about the signing key: its device id and code (when new)."""

    fingerprint: str
    name: str
    bind_id: bool
    old_code: str | None  # None: the code is bound for the first time
    new_code: str

    @property
    def code_changes(self) -> bool:
        return self.old_code is not None and self.old_code != self.new_code


def _who(row: TrustedDeviceRow) -> str:
    code = f"，本机编号 {row.device_code}" if row.device_code else ""
    return f"「{row.name}」（指纹 {row.fingerprint[:16]}…{code}）"


def check_device(
    session: Session, manifest: Manifest, office_device_id: str, office_code: str | None
) -> tuple[list[str], DeviceBinding | None]:
    """The signing key's registry entry against the device id and code the manifest claims."""
    device = manifest.device
    fp = device.fingerprint
    row = session.get(TrustedDeviceRow, fp)
    if row is None:  # verify_bundle found the key by device id: it refused already
        return [f"未知设备：指纹 {fp[:16]}… 不在受信任设备中"], None
    problems: list[str] = []
    if device.device_id == office_device_id:
        problems.append(f"包声称来自设备号 {device.device_id}，这是本机（办公室）自己的设备号：拒收")
    if office_code and device.device_code == office_code:
        problems.append(
            f"包来自本机编号 {device.device_code} 的电脑，这也是本机（办公室）的编号：两者会签发相同的文号，拒收"
        )
    if row.device_id is not None and row.device_id != device.device_id:
        problems.append(
            f"包由{_who(row)}签名，该密钥登记的设备号是 {row.device_id}，"
            f"包却声称来自设备号 {device.device_id}：一台电脑不能冒用另一台电脑的身份"
        )
    holder = session.scalars(
        select(TrustedDeviceRow).where(
            TrustedDeviceRow.device_id == device.device_id, TrustedDeviceRow.fingerprint != fp
        )
    ).first()
    if holder is not None:
        problems.append(
            f"包声称来自设备号 {device.device_id}，但该设备号已登记给另一台电脑{_who(holder)}，"
            f"签名的却是{_who(row)}：拒收"
        )
    code_holder = session.scalars(
        select(TrustedDeviceRow).where(
            TrustedDeviceRow.device_code == device.device_code, TrustedDeviceRow.fingerprint != fp
        )
    ).first()
    if code_holder is not None:
        problems.append(
            f"本机编号 {device.device_code} 已属于另一台受信任的电脑{_who(code_holder)}，"
            f"本包由{_who(row)}签名：两台电脑用同一编号会签发相同的文号。"
            "请在该电脑上为新的编号序列重新设置本机编号后再导出"
        )
    binding = DeviceBinding(fp, row.name, row.device_id is None, row.device_code, device.device_code)
    return problems, binding


def apply_binding(session: Session, binding: DeviceBinding, manifest: Manifest) -> None:
    row = session.get(TrustedDeviceRow, binding.fingerprint)
    assert row is not None
    if binding.bind_id:
        row.device_id = manifest.device.device_id
    row.device_code = binding.new_code


# ---- audit entries a bundle carries ------------------------------------------------------------


def check_audit_entries(
    session: Session, records: list[RecordIn], manifest: Manifest, head: Mapping[str, Any] | None
) -> list[str]:
    """Each entry is the signing device's own, hashes to its stated hash, and chains onto its
    predecessor (in the bundle or already imported); the signed head covers them all and never
    goes back behind a head the office has already seen."""
    signer = manifest.device.device_id
    problems: list[str] = []
    by_seq: dict[int, dict[str, Any]] = {}
    for record in records:
        data = record.data
        where = f"审计记录 {record.id}"
        if record.device_id != signer:
            problems.append(
                f"{where} 声称出自设备号 {record.device_id}，但包由设备号 {signer} 签名：不能代替其他设备记审计日志"
            )
            continue
        seq = data.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            problems.append(f"{where} 缺少有效的序号（seq）")
            continue
        try:
            row = audit.entry_row(record.id, record.device_id, data)
            computed = audit.entry_hash(row)
        except (KeyError, TypeError, ValueError, AttributeError):
            problems.append(f"{where}（第 {seq} 条）字段不全或格式不对")
            continue
        if computed != data.get("entry_hash"):
            problems.append(
                f"设备 {manifest.device.device_code} 的第 {seq} 条审计记录内容与其哈希不符（被改动或伪造）"
            )
            continue
        if seq in by_seq:
            problems.append(f"设备 {manifest.device.device_code} 的第 {seq} 条审计记录在包中出现两次")
            continue
        by_seq[seq] = {"id": record.id, "prev_hash": row.prev_hash, "entry_hash": computed}
    if problems:
        return problems
    known = _known_entries(session, signer, by_seq)
    problems += _check_runs(manifest, by_seq)
    for seq in sorted(by_seq):
        entry = by_seq[seq]
        stored = known.get(seq)
        if stored is not None and stored["entry_hash"] != entry["entry_hash"]:
            problems.append(
                f"设备 {manifest.device.device_code} 的第 {seq} 条审计记录与此前导入的不同：该设备的审计日志被改写"
            )
            continue
        previous = by_seq.get(seq - 1) or known.get(seq - 1)
        expected = audit.GENESIS if seq == 1 else (previous or {}).get("entry_hash")
        if expected is not None and entry["prev_hash"] != expected:
            problems.append(
                f"设备 {manifest.device.device_code} 的第 {seq} 条审计记录接不上第 {seq - 1} 条（记录被删除、插入或改写）"
            )
    problems += _check_head(session, manifest, head, by_seq, known)
    return problems


def _check_runs(manifest: Manifest, by_seq: Mapping[int, Any]) -> list[str]:
    """A whole or incremental export carries its device's log from a point to its end without a
    gap (only a one-inspection export picks entries): an entry missing in the middle was deleted
    in the laptop's SQLite (even one the office already holds), and an office that has not seen it
    would otherwise keep a chain with a hole that its `audit verify` cannot see."""
    scope = manifest.extra.get("scope") if isinstance(manifest.extra, dict) else None
    if scope == "inspection" or not by_seq:
        return []
    first, last = (1 if scope == "all" else min(by_seq)), max(by_seq)
    count = last - first + 1 - len(by_seq)  # counted, not listed: a forged seq may be huge
    if count <= 0:
        return []
    shown: list[str] = []
    seq = first
    while len(shown) < 5 and seq < last:
        if seq not in by_seq:
            shown.append(str(seq))
        seq += 1
    return [
        f"设备 {manifest.device.device_code} 的审计日志缺第 {'、'.join(shown)}{'等' if count > 5 else ''} 条"
        f"（共 {count} 条）：导出的日志中间不应有缺口，记录被删除"
    ]


def _known_entries(session: Session, device_id: str, by_seq: Mapping[int, Any]) -> dict[int, dict[str, Any]]:
    wanted = sorted({s for s in by_seq} | {s - 1 for s in by_seq if s > 1})
    known: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(ImportedAuditRow.seq, ImportedAuditRow.entry).where(
                ImportedAuditRow.source_device_id == device_id,
                ImportedAuditRow.seq.in_(wanted[start : start + 500]),
            )
        )
        for seq, entry in rows:
            known[seq] = entry
    return known


def last_head(session: Session, device_id: str, before: str) -> dict[str, Any] | None:
    """The highest signed audit head this office has received from a device in a bundle made
    before `before` (bundles may be imported in any order; a later one never goes back)."""
    best: dict[str, Any] | None = None
    for summary in session.scalars(
        select(ImportedBundleRow.summary).where(ImportedBundleRow.device_id == device_id)
    ):
        head = summary.get("audit_head") if isinstance(summary, dict) else None
        made = summary.get("created_at") if isinstance(summary, dict) else None
        if (
            isinstance(head, dict)
            and isinstance(head.get("seq"), int)
            and isinstance(made, str)
            and _instant(made) < _instant(before)
            and (best is None or head["seq"] > best["seq"])
        ):
            best = head
    return best


def _instant(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _check_head(
    session: Session,
    manifest: Manifest,
    head: Mapping[str, Any] | None,
    by_seq: Mapping[int, Mapping[str, Any]],
    known: Mapping[int, Mapping[str, Any]],
) -> list[str]:
    code = manifest.device.device_code
    if head is None:
        return []  # a bundle of an older FieldKit: no head to hold the chain against
    seq, digest = head.get("seq"), head.get("entry_hash")
    if not isinstance(seq, int) or not isinstance(digest, str):
        return ["包中的审计日志锚点（audit_head）格式不对"]
    problems: list[str] = []
    if by_seq and max(by_seq) > seq:
        problems.append(f"包中的审计记录（到第 {max(by_seq)} 条）超出了设备签名的审计日志末尾（第 {seq} 条）")
    at_head = by_seq.get(seq) or known.get(seq)
    if at_head is not None and at_head["entry_hash"] != digest:
        problems.append(f"设备 {code} 签名的审计日志末尾（第 {seq} 条）与包中或此前导入的该条记录不符")
    previous = last_head(session, manifest.device.device_id, manifest.created_at)
    if previous is not None and seq < previous["seq"]:
        problems.append(
            f"设备 {code} 的审计日志只到第 {seq} 条，而此前的包已到第 {previous['seq']} 条："
            "该电脑的审计日志被截断或回滚"
        )
    return problems


# ---- 文号 -------------------------------------------------------------------------------------------

NUMBER_FIELDS = ("number_code", "number_year", "number_device", "number_seq")


def check_numbers(
    session: Session, documents: Iterable[RecordIn], manifest: Manifest, codes: Mapping[str, str]
) -> list[str]:
    """A 文号 belongs to one document: an incoming document whose number is another document's is
    refused with both named (行政处罚法 第五十二条: 编有号码; two laptops with one 本机编号)."""
    incoming: dict[tuple[Any, ...], RecordIn] = {}
    problems: list[str] = []
    for record in documents:
        key = tuple(record.data.get(f) for f in NUMBER_FIELDS)
        if any(v is None for v in key):
            continue
        other = incoming.get(key)
        if other is not None and other.id != record.id:
            problems.append(
                f"文号「{record.data.get('number')}」在包中属于两份文书（{other.id} 与 {record.id}），拒收"
            )
        incoming[key] = record
    keys = list(incoming)
    for start in range(0, len(keys), 200):
        chunk = keys[start : start + 200]
        rows = session.execute(
            select(
                DocumentRow.id,
                DocumentRow.device_id,
                DocumentRow.title,
                DocumentRow.number,
                *[getattr(DocumentRow, f) for f in NUMBER_FIELDS],
            ).where(tuple_(*[getattr(DocumentRow, f) for f in NUMBER_FIELDS]).in_(chunk))
        )
        for doc_id, device_id, title, number, *key in rows:
            record = incoming[tuple(key)]
            if doc_id == record.id:
                continue
            mine = manifest.device
            theirs = codes.get(device_id) or device_id[:8]
            problems.append(
                f"文号冲突：「{number}」已是本库中设备 {theirs} 的文书「{title}」（{doc_id}），"
                f"本包中设备 {mine.device_code}（{mine.name}）的文书「{record.data.get('title', '')}」"
                f"（{record.id}）使用了同一文号。两台电脑可能设置了相同的本机编号；"
                "请由该电脑改用新的编号序列重新出具文书后再导出"
            )
    return problems


def as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None
