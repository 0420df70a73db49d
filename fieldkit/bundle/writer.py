"""Write a bundle (.fkb): stream files and records into a ZIP, then manifest, SHA256SUMS and signature."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import logging
import uuid
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

import fieldkit
from fieldkit.bundle._io import CHUNK, AtomicOutput, BackgroundSync, HashWorker, HoldBack
from fieldkit.bundle.canonical import canonical_json
from fieldkit.bundle.envelope import EnvelopeWriter
from fieldkit.bundle.errors import BundleWriteError, CanonicalJsonError
from fieldkit.bundle.keys import fingerprint
from fieldkit.bundle.manifest import (
    FORMAT_VERSION,
    MANIFEST,
    MAX_VERSION,
    RECORD_TYPE_RE,
    ROLE_RE,
    SHA256_RE,
    SHA256SUMS,
    SIGNATURE,
    DeviceInfo,
    FileEntry,
    Manifest,
    RecordEntry,
    canonical_json_value,
    file_path,
    manifest_bytes,
    record_path,
    sha256sums_bytes,
)
from fieldkit.errors import Cancelled

log = logging.getLogger(__name__)

BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")  # China has had no DST since 1991
MAX_RECORD_SIZE = 16 * 1024 * 1024
# Records between these sizes are deflated. Smaller ones are stored: setting up a compressor costs
# more than it saves on a few hundred bytes (~250 µs each, i.e. seconds per 10,000 records). Bigger
# ones are stored so that no member can look like a zip bomb to the reader's ratio guard.
DEFLATE_MIN = 4 * 1024
DEFLATE_MAX = 1024 * 1024
_DEVICE_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


@dataclass(frozen=True)
class RecordOut:
    """One version of one record to export; `data` must be canonical-JSON-able (no floats)."""

    type: str  # e.g. "inspection", "document", "subject"
    id: uuid.UUID
    version: int
    device_id: str  # the device that created this version
    data: Mapping[str, Any]


@dataclass(frozen=True)
class FileOut:
    """One file to export (evidence, finalised PDF…), named in the bundle by its SHA-256."""

    sha256: str
    size: int
    open: Callable[[], BinaryIO]  # a fresh binary stream of the file's bytes
    role: str = "evidence"  # "evidence", "pdf", …
    label: str = ""  # shown in errors, e.g. "现场照片 IMG_0012.jpg"


@dataclass(frozen=True)
class BundleResult:
    path: Path
    bundle_id: uuid.UUID
    record_count: int
    file_count: int
    bytes: int  # size of the .fkb file
    manifest_sha256: str = field(default="")


class NothingToExport(BundleWriteError):
    """No records and no files were given: no empty bundle is written."""


def bundle_file_name(device_code: str, created_at: dt.datetime, bundle_id: uuid.UUID) -> str:
    """`fieldkit-<device code>-<YYYYmmdd-HHMMSS Beijing time>-<first 8 hex of the id>.fkb`."""
    code = "".join(ch for ch in device_code.upper() if ch in _DEVICE_CODE_CHARS) or "X"
    stamp = created_at.astimezone(BEIJING).strftime("%Y%m%d-%H%M%S")
    return f"fieldkit-{code}-{stamp}-{bundle_id.hex[:8]}.fkb"


def write_bundle(
    out_dir: Path,
    *,
    records: Iterable[RecordOut],
    files: Iterable[FileOut],
    device: DeviceInfo,
    officer: str,
    signing_key: Ed25519PrivateKey,
    created_at: dt.datetime,
    bundle_id: uuid.UUID | None = None,
    extra: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    encrypt_to: X25519PublicKey | None = None,
    spill_dir: Path | None = None,
) -> BundleResult:
    """Write a signed bundle into `out_dir` and return where it is.

    Files are written first (stored, streamed in 1 MiB chunks and hashed while streaming), then
    records (canonical JSON), then manifest.json, SHA256SUMS and manifest.sig. Files are ordered by
    SHA-256 (one member per distinct content); records in the order given, which the caller keeps
    stable (by type, id, version) so the same input gives the same bytes. Memory holds one chunk
    plus one small manifest entry per member.

    The bundle is written as `<name>.fkb.part`, fsynced, then renamed; on error or cancel the
    partial file is removed and nothing is left behind.

    With `encrypt_to` (the office's X25519 key) the ZIP is encrypted while it is written
    (`<name>.fkb.enc`, format §7): no plaintext byte ever reaches `out_dir`, not even in the
    `.part` of a run killed half-way. Only the member being written is held back (zipfile seeks
    back to its header once); a big one spills to an unnamed temp file in `spill_dir` (the data
    dir, which holds these files in plaintext anyway), which the OS removes even after a kill.

    Args:
        progress: called as progress(done_bytes, total_bytes) over the files' bytes.
        cancelled: polled between chunks and records; when it returns True, raises Cancelled.

    Raises:
        BundleWriteError: a file's bytes differ from its declared SHA-256 or size, a record is
            invalid, or the key does not match the device fingerprint. NothingToExport when both
            `records` and `files` are empty.
        Cancelled: the user cancelled.
    """
    if created_at.tzinfo is None:
        raise BundleWriteError("created_at 必须带时区")
    if fingerprint(signing_key.public_key()) != device.fingerprint:
        raise BundleWriteError("签名私钥与设备信息中的公钥指纹不一致，生成的包将无法通过校验")
    if not officer.strip():
        raise BundleWriteError("导出人员（officer）不能为空")
    try:
        canonical_json_value(dict(extra or {}))
    except CanonicalJsonError as exc:
        raise BundleWriteError(f"清单附加信息（extra）无法写出：{exc}") from exc
    bundle_id = bundle_id or uuid.uuid4()
    file_list = _dedupe_files(files)
    total = sum(f.size for f in file_list)
    report = progress or _no_progress
    is_cancelled = cancelled or _never
    stamp = _zip_time(created_at)
    out_dir = Path(out_dir)
    final = out_dir / bundle_file_name(device.device_code, created_at, bundle_id)
    if encrypt_to is not None:
        if not isinstance(encrypt_to, X25519PublicKey):
            raise BundleWriteError("加密需要办公室的 X25519 公钥")
        final = final.with_name(final.name + ".enc")

    try:
        size, record_entries, file_entries, manifest_sha = _write_zip(
            final,
            records,
            file_list,
            device,
            officer,
            signing_key,
            created_at,
            bundle_id,
            extra,
            stamp,
            total,
            report,
            is_cancelled,
            encrypt_to,
            spill_dir,
        )
    except OSError as exc:
        hint = {
            errno.ENOSPC: "（磁盘或 U 盘空间不足）",
            errno.EFBIG: "（单个文件过大：FAT32 格式的 U 盘单个文件不能超过 4 GB，请改用 exFAT/NTFS）",
        }.get(exc.errno or 0, "")
        raise BundleWriteError(f"写入 {out_dir} 失败：{exc.strerror or exc}{hint}，未生成包") from exc
    report(total, total)
    log.info(
        "bundle %s written: %d records, %d files, %d bytes",
        final.name,
        len(record_entries),
        len(file_entries),
        size,
    )
    return BundleResult(final, bundle_id, len(record_entries), len(file_entries), size, manifest_sha)


def _write_zip(
    final: Path,
    records: Iterable[RecordOut],
    file_list: list[FileOut],
    device: DeviceInfo,
    officer: str,
    signing_key: Ed25519PrivateKey,
    created_at: dt.datetime,
    bundle_id: uuid.UUID,
    extra: Mapping[str, Any] | None,
    stamp: tuple[int, int, int, int, int, int],
    total: int,
    report: Progress,
    is_cancelled: IsCancelled,
    encrypt_to: X25519PublicKey | None = None,
    spill_dir: Path | None = None,
) -> tuple[int, list[RecordEntry], list[FileEntry], str]:
    with AtomicOutput(final) as out:
        sealer = EnvelopeWriter(out, encrypt_to) if encrypt_to is not None else None
        raw: BinaryIO | HoldBack = out if sealer is None else HoldBack(sealer, spill_dir)
        zf = zipfile.ZipFile(raw, "w", allowZip64=True)  # type: ignore[arg-type]
        try:
            with BackgroundSync(out.fileno()) as syncer:
                file_entries = _write_files(zf, file_list, stamp, total, report, is_cancelled, syncer, raw)
            record_entries = _write_records(zf, records, stamp, is_cancelled, raw)
            if not file_entries and not record_entries:
                raise NothingToExport("没有需要导出的记录或文件，未生成空包")
            manifest = Manifest(
                format_version=FORMAT_VERSION,
                bundle_id=bundle_id,
                created_at=created_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                device=device,
                officer=officer,
                records=tuple(record_entries),
                files=tuple(file_entries),
                generator=f"FieldKit {fieldkit.__version__}",
                extra=dict(extra or {}),
            )
            body = manifest_bytes(manifest)
            signature = signing_key.sign(body)
            manifest_sha = hashlib.sha256(body).hexdigest()
            sums = [(e.path, e.sha256) for e in file_entries]
            sums += [(e.path, e.sha256) for e in record_entries]
            sums += [(MANIFEST, manifest_sha), (SIGNATURE, hashlib.sha256(signature).hexdigest())]
            _write_small(zf, MANIFEST, body, stamp, zipfile.ZIP_DEFLATED)
            _write_small(zf, SHA256SUMS, sha256sums_bytes(sums), stamp, zipfile.ZIP_DEFLATED)
            _write_small(zf, SIGNATURE, signature, stamp, zipfile.ZIP_STORED)
            zf.close()
            if isinstance(raw, HoldBack):
                raw.release(at_least=0)
                assert sealer is not None
                sealer.close()
        except BaseException:
            _abandon(zf)
            raise
        finally:
            if isinstance(raw, HoldBack):
                raw.close()
        size = out.tell()
    return size, record_entries, file_entries, manifest_sha


def _release(raw: BinaryIO | HoldBack) -> None:
    """Between members: what is written so far is final (see HoldBack)."""
    if isinstance(raw, HoldBack):
        raw.release()


def _dedupe_files(files: Iterable[FileOut]) -> list[FileOut]:
    by_hash: dict[str, FileOut] = {}
    for f in files:
        sha = f.sha256.lower() if isinstance(f.sha256, str) else ""
        name = f.label or f.sha256
        if not SHA256_RE.fullmatch(sha):
            raise BundleWriteError(f"文件「{name}」的 SHA-256 “{f.sha256}” 不是 64 位十六进制")
        if type(f.size) is not int or f.size < 0:
            raise BundleWriteError(f"文件「{name}」的大小 {f.size!r} 无效")
        if not ROLE_RE.fullmatch(f.role):
            raise BundleWriteError(f"文件「{name}」的用途 “{f.role}” 不合规则（小写字母、数字、下划线）")
        seen = by_hash.get(sha)
        if seen is not None:
            if seen.size != f.size:
                raise BundleWriteError(
                    f"文件「{name}」与「{seen.label or sha}」哈希相同但大小不同（{f.size} ≠ {seen.size}）"
                )
            continue  # same content listed twice (a photo attached to two records): one member
        by_hash[sha] = f if f.sha256 == sha else FileOut(sha, f.size, f.open, f.role, f.label)
    return [by_hash[k] for k in sorted(by_hash)]


def _write_files(
    zf: zipfile.ZipFile,
    file_list: list[FileOut],
    stamp: tuple[int, int, int, int, int, int],
    total: int,
    report: Progress,
    is_cancelled: IsCancelled,
    syncer: BackgroundSync,
    raw: BinaryIO | HoldBack,
) -> list[FileEntry]:
    entries: list[FileEntry] = []
    done = 0
    report(0, total)
    with HashWorker() as hasher:
        for f in file_list:
            name = f.label or f.sha256
            if is_cancelled():
                raise Cancelled("已取消导出，未生成包")
            info = _zip_info(file_path(f.sha256), stamp, zipfile.ZIP_STORED)
            info.file_size = f.size  # lets zipfile choose ZIP64 headers up front for files ≥ 4 GiB
            h = hashlib.sha256()
            count = 0
            try:
                src = f.open()
            except OSError as exc:
                raise BundleWriteError(f"无法读取文件「{name}」：{exc.strerror or exc}") from exc
            with src, zf.open(info, "w") as dst:
                while True:
                    try:
                        chunk = src.read(CHUNK)
                    except OSError as exc:
                        raise BundleWriteError(f"读取文件「{name}」出错：{exc.strerror or exc}") from exc
                    if not chunk:
                        break
                    count += len(chunk)
                    if count > f.size:
                        raise BundleWriteError(
                            f"文件「{name}」比登记的 {f.size} 字节大（已读到 {count} 字节），文件可能已被改动，导出中止"
                        )
                    hasher.update(h, chunk)
                    dst.write(chunk)
                    raw.flush()  # hand the bytes to the OS so the background flush can write them
                    syncer.wrote(len(chunk))
                    done += len(chunk)
                    report(done, total)
                    if is_cancelled():
                        raise Cancelled("已取消导出，未生成包")
            if count != f.size:
                raise BundleWriteError(
                    f"文件「{name}」只有 {count} 字节，登记为 {f.size} 字节，文件可能已被改动，导出中止"
                )
            digest = hasher.hexdigest(h)
            if digest != f.sha256:
                raise BundleWriteError(
                    f"文件「{name}」的内容与登记的 SHA-256 不符（登记 {f.sha256[:16]}…，实际 {digest[:16]}…），"
                    "证据文件可能已损坏或被改动，导出中止"
                )
            entries.append(FileEntry(file_path(f.sha256), f.sha256, f.size, f.role))
            _release(raw)
    return entries


def _write_records(
    zf: zipfile.ZipFile,
    records: Iterable[RecordOut],
    stamp: tuple[int, int, int, int, int, int],
    is_cancelled: IsCancelled,
    raw: BinaryIO | HoldBack,
) -> list[RecordEntry]:
    entries: list[RecordEntry] = []
    seen: set[str] = set()
    for rec in records:
        if is_cancelled():
            raise Cancelled("已取消导出，未生成包")
        rid = _record_id(rec)
        label = f"记录 {rec.type}/{rid} 第 {rec.version} 版"
        if not isinstance(rec.type, str) or not RECORD_TYPE_RE.fullmatch(rec.type):
            raise BundleWriteError(f"{label}：类型名不合规则（小写字母开头，只含小写字母、数字、下划线）")
        if type(rec.version) is not int or not 0 <= rec.version <= MAX_VERSION:
            raise BundleWriteError(f"{label}：版本号应为非负整数")
        if not isinstance(rec.device_id, str) or not rec.device_id:
            raise BundleWriteError(f"{label}：缺少 device_id")
        path = record_path(rec.type, rid, rec.version)
        if path in seen:
            raise BundleWriteError(f"{label} 重复出现")
        seen.add(path)
        try:
            body = canonical_json(
                {
                    "type": rec.type,
                    "id": str(rid),
                    "version": rec.version,
                    "device_id": rec.device_id,
                    "data": rec.data if type(rec.data) is dict else dict(rec.data),
                }
            )
        except CanonicalJsonError as exc:
            raise BundleWriteError(f"{label} 无法写出：{exc}") from exc
        if len(body) > MAX_RECORD_SIZE:
            raise BundleWriteError(f"{label} 过大（{len(body)} 字节，上限 {MAX_RECORD_SIZE}）")
        method = zipfile.ZIP_DEFLATED if DEFLATE_MIN < len(body) <= DEFLATE_MAX else zipfile.ZIP_STORED
        _write_small(zf, path, body, stamp, method)
        _release(raw)
        entries.append(
            RecordEntry(rec.type, rid, rec.version, path, hashlib.sha256(body).hexdigest(), len(body))
        )
    return entries


def _record_id(rec: RecordOut) -> uuid.UUID:
    if isinstance(rec.id, uuid.UUID):
        return rec.id
    try:
        return uuid.UUID(str(rec.id))
    except ValueError as exc:
        raise BundleWriteError(f"记录 {rec.type} 的编号 {rec.id!r} 不是 UUID") from exc


def _write_small(
    zf: zipfile.ZipFile, name: str, data: bytes, stamp: tuple[int, int, int, int, int, int], method: int
) -> None:
    zf.writestr(_zip_info(name, stamp, method), data)


def _zip_info(name: str, stamp: tuple[int, int, int, int, int, int], method: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = method
    info.create_system = 3  # Unix, so the mode below means what it says
    info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
    return info


def _zip_time(created_at: dt.datetime) -> tuple[int, int, int, int, int, int]:
    # ZIP stores local wall time without a zone; Beijing time is what the people reading it expect.
    t = created_at.astimezone(BEIJING)
    if t.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def _abandon(zf: zipfile.ZipFile) -> None:
    # The partial file is deleted anyway; don't let closing it (disk full…) hide the real error.
    try:
        zf.close()
    except Exception:  # a secondary error while cleaning up must not hide the first
        log.debug("closing an abandoned bundle failed", exc_info=True)


def _no_progress(done: int, total: int) -> None:
    pass


def _never() -> bool:
    return False
