"""The bundle manifest (format 2): dataclasses, member naming rules, JSON form and SHA256SUMS."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fieldkit.bundle.canonical import canonical_json, loads_strict
from fieldkit.bundle.errors import CanonicalJsonError

FORMAT = "fieldkit-bundle"
# 2: records carry codes and name their matter (`matter_id`); format 1 is read through compat.upgrade_record.
FORMAT_VERSION = 2
SUPPORTED_VERSIONS = frozenset({1, 2})  # format 1 is read through compat.upgrade_record

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SHA256SUMS = "SHA256SUMS"
SIGNATURE_SIZE = 64  # raw Ed25519 signature

RECORD_TYPE_RE = re.compile(r"[a-z][a-z0-9_]{0,63}")
ROLE_RE = re.compile(r"[a-z][a-z0-9_]{0,31}")
SHA256_RE = re.compile(r"[0-9a-f]{64}")
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
RECORD_PATH_RE = re.compile(
    r"records/([a-z][a-z0-9_]{0,63})/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/(0|[1-9][0-9]{0,18})\.json"
)
FILE_PATH_RE = re.compile(r"files/([0-9a-f]{64})")
MAX_VERSION = 2**63 - 1


@dataclass(frozen=True)
class DeviceInfo:
    """The producing laptop as the manifest names it; `fingerprint` is keys.fingerprint() of its key."""

    device_id: str
    device_code: str
    name: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class RecordEntry:
    type: str
    id: uuid.UUID
    version: int
    path: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class FileEntry:
    path: str
    sha256: str
    size: int
    role: str


@dataclass(frozen=True)
class Manifest:
    format_version: int
    bundle_id: uuid.UUID
    created_at: str
    device: DeviceInfo
    officer: str
    records: tuple[RecordEntry, ...]
    files: tuple[FileEntry, ...]
    generator: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def member_names(self) -> list[str]:
        """Every member the bundle must contain, in the writer's order."""
        return (
            [f.path for f in self.files] + [r.path for r in self.records] + [MANIFEST, SHA256SUMS, SIGNATURE]
        )

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files) + sum(r.size for r in self.records)


class ManifestError(ValueError):
    """manifest.json does not follow the schema; `problems` lists every field at fault (Chinese)."""

    def __init__(self, problems: list[str], *, unknown_version: bool = False):
        self.problems = problems
        self.unknown_version = unknown_version
        super().__init__("；".join(problems))


def record_path(record_type: str, record_id: uuid.UUID, version: int) -> str:
    return f"records/{record_type}/{record_id}/{version}.json"


def file_path(sha256: str) -> str:
    return f"files/{sha256}"


def manifest_bytes(manifest: Manifest) -> bytes:
    """manifest.json as written: a canonical-JSON object with one list entry per line.

    The top-level keys are sorted and every value is canonical JSON; only the newlines inside the
    `records` and `files` arrays are added, so `grep` and `diff` show one entry per line. Readers
    accept any JSON formatting: the signature covers the exact bytes, not a re-serialisation.
    """
    top: dict[str, Any] = {
        "format": FORMAT,
        "format_version": manifest.format_version,
        "bundle_id": str(manifest.bundle_id),
        "created_at": manifest.created_at,
        "device": {
            "device_id": manifest.device.device_id,
            "device_code": manifest.device.device_code,
            "name": manifest.device.name,
            "fingerprint": manifest.device.fingerprint,
        },
        "officer": manifest.officer,
        "generator": manifest.generator,
        "extra": dict(manifest.extra),
        "records": [
            {
                "type": r.type,
                "id": str(r.id),
                "version": r.version,
                "path": r.path,
                "sha256": r.sha256,
                "size": r.size,
            }
            for r in manifest.records
        ],
        "files": [
            {"path": f.path, "sha256": f.sha256, "size": f.size, "role": f.role} for f in manifest.files
        ],
    }
    parts: list[bytes] = []
    for key in sorted(top):
        value = top[key]
        if isinstance(value, list):
            body = b",\n".join(canonical_json_value(item) for item in value)
            encoded = b"[\n" + body + b"\n]" if value else b"[]"
        else:
            encoded = canonical_json_value(value)
        parts.append(canonical_json_value(key) + b":" + encoded)
    return b"{" + b",\n".join(parts) + b"}\n"


def canonical_json_value(value: Any) -> bytes:
    """Canonical JSON of any value canonical_json accepts inside a record."""
    return canonical_json({"v": value})[5:-1]


def parse_manifest(data: bytes) -> Manifest:
    """Parse and validate manifest.json bytes.

    Raises:
        ManifestError: every problem found; `unknown_version` is set when the format or version is
            not one this program reads (the rest is then not checked).
    """
    try:
        raw = loads_strict(data)
    except CanonicalJsonError as exc:
        raise ManifestError([f"manifest.json 无法解析：{exc}"]) from exc
    if not isinstance(raw, dict):
        raise ManifestError(["manifest.json 顶层不是 JSON 对象"])
    fmt = raw.get("format")
    if fmt != FORMAT:
        raise ManifestError([f"未知的包格式 {fmt!r}（应为 {FORMAT!r}）"], unknown_version=True)
    version = raw.get("format_version")
    if type(version) is not int or version not in SUPPORTED_VERSIONS:
        supported = "、".join(str(v) for v in sorted(SUPPORTED_VERSIONS))
        raise ManifestError(
            [f"未知的格式版本 {version!r}（本程序支持 {supported}），请升级 FieldKit 后再导入"],
            unknown_version=True,
        )
    problems: list[str] = []
    p = _Fields(problems)

    bundle_id = p.uuid(raw, "bundle_id", "bundle_id")
    created_at = p.text(raw, "created_at", "created_at", max_len=64)
    officer = p.text(raw, "officer", "officer", max_len=200)
    generator = raw.get("generator", "")
    if not isinstance(generator, str):
        problems.append("清单字段 generator 应为字符串")
        generator = ""
    extra = raw.get("extra", {})
    if not isinstance(extra, dict):
        problems.append("清单字段 extra 应为 JSON 对象")
        extra = {}
    dev = raw.get("device")
    if not isinstance(dev, dict):
        problems.append("清单缺少 device 对象")
        dev = {}
    device = DeviceInfo(
        device_id=p.text(dev, "device_id", "device.device_id", max_len=64),
        device_code=p.text(dev, "device_code", "device.device_code", max_len=16),
        name=p.text(dev, "name", "device.name", max_len=200, allow_empty=True),
        fingerprint=p.hex64(dev, "fingerprint", "device.fingerprint"),
    )

    records: list[RecordEntry] = []
    raw_records = raw.get("records")
    if not isinstance(raw_records, list):
        problems.append("清单缺少 records 数组")
        raw_records = []
    for i, item in enumerate(raw_records):
        entry = _record_entry(item)
        if entry is not None:
            records.append(entry)
            continue
        where = f"records[{i}]"
        if not isinstance(item, dict):
            problems.append(f"清单 {where} 不是对象")
            continue
        before = len(problems)
        rtype = p.text(item, "type", f"{where}.type", max_len=64)
        if rtype and not RECORD_TYPE_RE.fullmatch(rtype):
            problems.append(
                f"清单 {where}.type “{rtype}” 不合规则（小写字母开头，只含小写字母、数字、下划线）"
            )
        rid = p.uuid(item, "id", f"{where}.id")
        rversion = p.integer(item, "version", f"{where}.version", maximum=MAX_VERSION)
        path = p.text(item, "path", f"{where}.path", max_len=200)
        sha = p.hex64(item, "sha256", f"{where}.sha256")
        size = p.integer(item, "size", f"{where}.size")
        if len(problems) == before:
            expected = record_path(rtype, rid, rversion)
            if path != expected:
                problems.append(f"清单 {where}.path 为 “{path}”，按类型、编号、版本应为 “{expected}”")
            records.append(RecordEntry(rtype, rid, rversion, path, sha, size))

    files: list[FileEntry] = []
    raw_files = raw.get("files")
    if not isinstance(raw_files, list):
        problems.append("清单缺少 files 数组")
        raw_files = []
    for i, item in enumerate(raw_files):
        where = f"files[{i}]"
        if not isinstance(item, dict):
            problems.append(f"清单 {where} 不是对象")
            continue
        before = len(problems)
        path = p.text(item, "path", f"{where}.path", max_len=200)
        sha = p.hex64(item, "sha256", f"{where}.sha256")
        size = p.integer(item, "size", f"{where}.size")
        role = p.text(item, "role", f"{where}.role", max_len=32)
        if role and not ROLE_RE.fullmatch(role):
            problems.append(f"清单 {where}.role “{role}” 不合规则")
        if len(problems) == before:
            if path != file_path(sha):
                problems.append(f"清单 {where}.path 为 “{path}”，应为 “{file_path(sha)}”")
            files.append(FileEntry(path, sha, size, role))

    seen: set[str] = set()
    for name in [f.path for f in files] + [r.path for r in records]:
        if name in seen:
            problems.append(f"清单中 {name} 列出了不止一次")
        seen.add(name)
    if problems:
        raise ManifestError(problems)
    return Manifest(
        format_version=version,
        bundle_id=bundle_id,
        created_at=created_at,
        device=device,
        officer=officer,
        records=tuple(records),
        files=tuple(files),
        generator=generator,
        extra=extra,
    )


def _record_entry(item: Any) -> RecordEntry | None:
    """A record entry with nothing to report, read without naming anything (10k entries in a 10k
    record bundle, issue 14); None sends it through the field-by-field reading that says what is wrong."""
    if type(item) is not dict:
        return None
    rtype, rid, version = item.get("type"), item.get("id"), item.get("version")
    path, sha, size = item.get("path"), item.get("sha256"), item.get("size")
    if not (
        type(rtype) is str
        and RECORD_TYPE_RE.fullmatch(rtype)
        and type(rid) is str
        and UUID_RE.fullmatch(rid)
        and type(version) is int
        and 0 <= version <= MAX_VERSION
        and type(path) is str
        and len(path) <= 200
        and type(sha) is str
        and SHA256_RE.fullmatch(sha)
        and type(size) is int
        and 0 <= size <= 2**63 - 1
        and path == f"records/{rtype}/{rid}/{version}.json"  # record_path(); a UUID_RE id is str(UUID)
    ):
        return None
    return RecordEntry(rtype, uuid.UUID(rid), version, path, sha, size)


def sha256sums_bytes(entries: Iterable[tuple[str, str]]) -> bytes:
    """SHA256SUMS in GNU `sha256sum` text format: `<hex>␠␠<path>\\n` per (path, sha256)."""
    return b"".join(f"{sha}  {path}\n".encode("ascii") for path, sha in entries)


def parse_sha256sums(data: bytes) -> tuple[dict[str, str], list[str]]:
    """Parse SHA256SUMS; return ({path: sha256}, problems). Accepts text (`␠␠`) and binary (`␠*`) lines."""
    problems: list[str] = []
    sums: dict[str, str] = {}
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return {}, ["SHA256SUMS 含非 ASCII 字符"]
    if text and not text.endswith("\n"):
        problems.append("SHA256SUMS 最后一行没有换行符")
    for n, line in enumerate(text.splitlines(), 1):
        m = re.fullmatch(r"([0-9a-f]{64}) [ *](\S.*)", line)
        if not m:
            problems.append(f"SHA256SUMS 第 {n} 行格式不对（应为“64 位十六进制哈希、两个空格、成员名”）")
            continue
        sha, path = m.groups()
        if path in sums:
            problems.append(f"SHA256SUMS 中 {path} 出现了不止一次")
        sums[path] = sha
    return sums, problems


class _Fields:
    """Typed field readers that record a Chinese problem instead of raising."""

    def __init__(self, problems: list[str]):
        self.problems = problems

    def text(
        self, obj: dict[str, Any], key: str, where: str, *, max_len: int, allow_empty: bool = False
    ) -> str:
        value = obj.get(key)
        if not isinstance(value, str) or (not value and not allow_empty):
            self.problems.append(f"清单字段 {where} 缺失或不是非空字符串")
            return ""
        if len(value) > max_len:
            self.problems.append(f"清单字段 {where} 过长（{len(value)} 字符，上限 {max_len}）")
            return ""
        return value

    def uuid(self, obj: dict[str, Any], key: str, where: str) -> uuid.UUID:
        value = obj.get(key)
        if not isinstance(value, str) or not UUID_RE.fullmatch(value):
            self.problems.append(f"清单字段 {where} 应为小写 UUID 字符串，实为 {value!r}")
            return uuid.UUID(int=0)
        return uuid.UUID(value)

    def integer(self, obj: dict[str, Any], key: str, where: str, *, maximum: int = 2**63 - 1) -> int:
        value = obj.get(key)
        if type(value) is not int or not 0 <= value <= maximum:
            self.problems.append(f"清单字段 {where} 应为非负整数，实为 {value!r}")
            return 0
        return value

    def hex64(self, obj: dict[str, Any], key: str, where: str) -> str:
        value = obj.get(key)
        if not isinstance(value, str) or not SHA256_RE.fullmatch(value):
            self.problems.append(f"清单字段 {where} 应为 64 位小写十六进制，实为 {value!r}")
            return ""
        return value
