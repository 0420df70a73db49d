"""The hostile-bundle corpus (issue 11.9): every kind of broken or malicious bundle the attack run tried.

Two families:

- `container_cases`: bundles `verify` must refuse (ZIP tricks, names, sizes, signatures, JSON
  that is too deep…); the base is a valid bundle and its device.
- `record_cases`: bundles correctly signed by a trusted laptop whose *records* are wrong (nested
  record, missing columns, bad date or UUID, dangling reference, a file missing from the bundle,
  an audit entry without `seq`, an incremental bundle imported before its predecessor); import
  must refuse each with a Chinese message, writing nothing and copying no file.

- `forgery_cases`: bundles signed by a trusted laptop that try to write what is not theirs (issue
  11.1): another laptop's records overwritten, tombstoned or added to, another laptop's device id
  claimed (in records, audit entries or the manifest), a finalised revision's PDF or content
  swapped, a document set back to draft, an evidence record pointed at another file, audit entries forged, re-chained, deleted or cut off, a
  文号 that belongs to another document. Each is refused, or kept aside as a conflict for the
  office (`Case.kept_aside`, the conflict's reason), and nothing of it is written.

Used by tests/bundle/test_hostile_corpus.py and tests/services/test_hostile_import.py. To write the
container corpus to a folder for other tools: `python -m tests.hostile_corpus OUT_DIR`.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import io
import json
import stat
import struct
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldkit.bundle import FileOut, RecordOut, write_bundle
from fieldkit.bundle.manifest import MANIFEST, SHA256SUMS, SIGNATURE
from tests.bundle.conftest import Device, make_device, read_members, rebuild, write_sample

DEEP = 100_000  # far past any recursion limit


@dataclass(frozen=True)
class Case:
    name: str  # what the attack is (English id, for test ids)
    path: Path
    words: tuple[str, ...] = ()  # each must appear in one problem message (Chinese)
    kept_aside: str = ""  # forgery cases: not refused but kept aside as a conflict with this reason


# ---- container cases ------------------------------------------------------------------------------


def _edit_json(edit: Callable[[dict[str, Any]], Any]) -> Callable[[bytes], bytes]:
    def apply(raw: bytes) -> bytes:
        value = json.loads(raw)
        edit(value)
        return json.dumps(value, ensure_ascii=False, sort_keys=True).encode()

    return apply


def _symlink_member(name: str, target: bytes) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name, date_time=(2026, 3, 2, 10, 0, 0))
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target


def _with_members(src: Path, dest: Path, replace: dict[str, tuple[zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(dest, "w") as zf:
        for info, data in read_members(src):
            new = replace.get(info.filename)
            if new is not None:
                info, data = new
            zf.writestr(info, data)
    return dest


def container_cases(base: Path, device: Device, out: Path) -> Iterator[Case]:
    """Bundles verify must refuse; `base` is a valid bundle signed by `device`."""
    out.mkdir(parents=True, exist_ok=True)
    members = dict((i.filename, d) for i, d in read_members(base))
    file_name = max((n for n in members if n.startswith("files/")), key=lambda n: len(members[n]))
    record_name = next(n for n in members if n.startswith("records/"))
    raw = base.read_bytes()

    def p(name: str) -> Path:
        return out / f"{name}.fkb"

    yield Case("empty", _write(p("empty"), b""), ("空",))
    yield Case("not_a_zip", _write(p("not_a_zip"), b"%PDF-1.7 hello" * 10), ("不是 ZIP",))
    yield Case("truncated", _write(p("truncated"), raw[: len(raw) // 2]), ("截断",))
    yield Case("encrypted_envelope", _write(p("encrypted_envelope"), b"FKENC1" + raw[6:]), ("加密",))
    flipped = bytearray(members[file_name])
    flipped[len(flipped) // 2] ^= 1
    yield Case(
        "changed_file_byte", rebuild(base, p("changed_file_byte"), replace={file_name: bytes(flipped)}), ()
    )
    yield Case(
        "changed_record",
        rebuild(
            base, p("changed_record"), replace={record_name: members[record_name].replace(b"5", b"6", 1)}
        ),
        (),
    )
    yield Case(
        "manifest_changed_not_resigned",
        rebuild(
            base, p("manifest_changed"), edit_manifest=lambda b: b.replace(b"\xe5\xbc\xa0", b"\xe6\x9d\x8e")
        ),
        ("签名",),
    )
    yield Case(
        "signature_missing", rebuild(base, p("signature_missing"), drop=[SIGNATURE]), ("manifest.sig",)
    )
    yield Case(
        "signed_by_another_key",
        rebuild(base, p("signed_by_another_key"), resign=make_device().key),
        ("签名",),
    )
    yield Case("member_missing", rebuild(base, p("member_missing"), drop=[file_name]), ("缺少",))
    yield Case("extra_member", rebuild(base, p("extra_member"), add=[("files/extra", b"x")]), ())
    yield Case("sums_missing", rebuild(base, p("sums_missing"), drop=[SHA256SUMS]), ("SHA256SUMS",))
    for i, bad in enumerate(["/etc/passwd", "../../evil", "files\\x", "C:/x", "a//b", "dir/"]):
        yield Case(f"unsafe_name_{i}", rebuild(base, p(f"unsafe_name_{i}"), add=[(bad, b"x")]), ())
    yield Case(
        "duplicate_name",
        rebuild(base, p("duplicate_name"), add=[(record_name, members[record_name])]),
        ("重复",),
    )
    yield Case("case_twin", rebuild(base, p("case_twin"), add=[(record_name.upper(), b"{}")]), ("大小写",))
    yield Case(
        "zip_bomb",
        rebuild(
            base,
            p("zip_bomb"),
            add=[("files/bomb", b"\0" * (8 * 1024 * 1024))],
            add_method=zipfile.ZIP_DEFLATED,
        ),
        (),
    )
    yield Case(
        "unknown_version",
        rebuild(
            base,
            p("unknown_version"),
            edit_manifest=_edit_json(lambda m: m.update(format_version=3)),
            resign=device.key,
        ),
        ("版本",),
    )
    # New in issue 11.4: these reached the user as a traceback or were not refused.
    deep = b'{"format":' + b"[" * DEEP + b"]" * DEEP + b"}"
    yield Case(
        "deeply_nested_manifest",
        rebuild(
            base, p("deeply_nested_manifest"), replace={MANIFEST: deep}, resign=device.key, fix_sums=True
        ),
        ("嵌套",),
    )
    deep_record = b'{"data":{"x":' + b"[" * DEEP + b"]" * DEEP + b"}}"
    yield Case(
        "deeply_nested_record",
        rebuild(base, p("deeply_nested_record"), replace={record_name: deep_record}),
        (),
    )
    yield Case(
        "symlink_member",
        _with_members(base, p("symlink_member"), {file_name: _symlink_member(file_name, b"/etc/passwd")}),
        ("符号链接",),
    )
    yield Case(
        "signature_wrong_length",
        rebuild(base, p("signature_wrong_length"), replace={SIGNATURE: b"\1" * 63}),
        ("64",),
    )
    yield Case(
        "unknown_format",
        rebuild(
            base,
            p("unknown_format"),
            edit_manifest=_edit_json(lambda m: m.update(format="zip")),
            resign=device.key,
        ),
        ("格式",),
    )
    deflated = next(i for i, _d in read_members(base) if i.filename == file_name)
    deflated.compress_type = zipfile.ZIP_DEFLATED
    yield Case(
        "deflated_file_member",
        _with_members(base, p("deflated_file_member"), {file_name: (deflated, members[file_name])}),
        (),
    )
    yield Case(
        "symlink_record",
        _with_members(
            base, p("symlink_record"), {record_name: _symlink_member(record_name, b"../../manifest.json")}
        ),
        ("符号链接",),
    )
    yield Case("prepended_data", _write(p("prepended_data"), b"MZ" + b"\0" * 510 + raw), ())
    eocd = raw.rfind(b"PK\x05\x06")
    lying = bytearray(raw)
    struct.pack_into("<HH", lying, eocd + 8, 65535, 65535)
    yield Case("lying_member_count", _write(p("lying_member_count"), bytes(lying)), ())


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ---- record cases (signed, trusted, wrong inside) ---------------------------------------------------


@dataclass
class Contents:
    """A bundle's records and files, to change and sign again with the laptop's own key."""

    records: list[dict[str, Any]]
    files: dict[str, tuple[bytes, str]]  # sha256 -> (bytes, role)
    extra: dict[str, Any]

    @classmethod
    def read(cls, path: Path) -> Contents:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read(MANIFEST))
            records = [json.loads(zf.read(e["path"])) for e in manifest["records"]]
            files = {e["sha256"]: (zf.read(e["path"]), e["role"]) for e in manifest["files"]}
        return cls(records, files, manifest.get("extra", {}))

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [r for r in self.records if r["type"] == kind]


def sign(contents: Contents, out_dir: Path, key: Any, device: Any, *, officer: str = "张建国") -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    return write_bundle(
        out_dir,
        records=[
            RecordOut(r["type"], uuid.UUID(r["id"]), r["version"], r["device_id"], r["data"])
            for r in contents.records
        ],
        files=[
            FileOut(sha, len(data), (lambda d=data: io.BytesIO(d)), role)
            for sha, (data, role) in contents.files.items()
        ],
        device=device,
        officer=officer,
        signing_key=key,
        created_at=dt.datetime.now(dt.UTC),
        extra=contents.extra,
    ).path


Mutation = Callable[[Contents], None]


def _first(kind: str) -> Callable[[Contents], dict[str, Any]]:
    return lambda c: c.of(kind)[0]["data"]


def _set(kind: str, key: str, value: Any) -> Mutation:
    return lambda c: _first(kind)(c).__setitem__(key, value)


def _drop(kind: str, key: str) -> Mutation:
    return lambda c: _first(kind)(c).pop(key)


def _drop_file_of(kind: str, key: str) -> Mutation:
    def apply(c: Contents) -> None:
        c.files.pop(_first(kind)(c)[key])

    return apply


def _audit_without_seq(c: Contents) -> None:
    entry = next(r for r in c.records if r["type"] == "audit_log")
    entry["data"].pop("seq")


def _add_unknown_type(c: Contents) -> None:
    first = c.of("subject")[0]
    c.records.append({**copy.deepcopy(first), "type": "payment", "id": str(uuid.uuid4())})


def _twin(kind: str, **changes: Any) -> Mutation:
    """A second record (new id) with what the store keeps unique taken from the first."""

    def apply(c: Contents) -> None:
        twin = copy.deepcopy(c.of(kind)[0])
        twin["id"] = str(uuid.uuid4())
        twin["data"].update(changes)
        c.records.append(twin)

    return apply


RECORD_MUTATIONS: dict[str, tuple[Mutation, tuple[str, ...]]] = {
    "nested_record": (_set("subject", "name", {"name": {"nested": ["record"]}}), ("name", "对象")),
    "int_for_text": (_set("inspection", "place", 12345), ("place", "文字")),
    "text_for_int": (_set("evidence_file", "size", "很大"), ("size", "整数")),
    "list_for_object": (_set("document", "values", ["x"]), ("values", "对象")),
    "missing_column": (_drop("subject", "name"), ("缺少", "name")),
    "null_in_required": (_set("inspection", "created_at", None), ("created_at", "不能为空")),
    "bad_date": (_set("inspection", "created_at", "2026-13-45T25:61:00+00:00"), ("created_at", "时间")),
    "naive_date": (_set("inspection", "created_at", "2026-03-02T10:00:00"), ("created_at", "时区")),
    "bad_uuid": (_set("inspection", "subject_id", "not-a-uuid"), ("subject_id", "UUID")),
    "dangling_reference": (_set("inspection", "subject_id", str(uuid.uuid4())), ("既不在包中也不在本库中",)),
    "file_missing_from_bundle": (_drop_file_of("evidence_file", "sha256"), ("不在包中",)),
    "pdf_missing_from_bundle": (_drop_file_of("document_revision", "pdf_sha256"), ("不在包中",)),
    "audit_entry_without_seq": (_audit_without_seq, ("seq",)),
    "text_for_list": (_set("inspection", "checks", "全部合格"), ("checks", "数组")),
    "bool_for_int": (_set("evidence_file", "size", True), ("size", "整数")),
    "unknown_record_type": (_add_unknown_type, ("未知的记录类型",)),
    # These crashed the import with an IntegrityError (found in the issue-11 review).
    "same_file_twice_in_an_item": (
        _twin("evidence_file", position=99),
        ("同一文件在一项证据中只能登记一次",),
    ),
    "two_revisions_with_one_number": (_twin("document_revision"), ("所属文书和版次",)),
}


def record_cases(base: Path, key: Any, device: Any, out: Path) -> Iterator[Case]:
    """Each mutation of a valid laptop bundle, signed again by the laptop (so only the fault remains)."""
    original = Contents.read(base)
    for name, (mutate, words) in RECORD_MUTATIONS.items():
        contents = copy.deepcopy(original)
        mutate(contents)
        yield Case(name, sign(contents, out / name, key, device), words)


# ---- forgery cases (signed by a trusted laptop, writing what is not its own) -------------------------


@dataclass(frozen=True)
class Signer:
    """A trusted laptop's key and the device its manifests name."""

    key: Any
    device: Any  # fieldkit.bundle.manifest.DeviceInfo


def _as(contents: Contents, records: list[dict[str, Any]], *, head: bool = False) -> Contents:
    """Only `records` (and the files they name), as another laptop would send them: its own extra,
    not the owner's signed audit head and public key."""
    names = {v for r in records for k, v in r["data"].items() if k.endswith("sha256") and isinstance(v, str)}
    extra = dict(contents.extra) if head else {"scope": "incremental"}
    return Contents(records, {s: f for s, f in contents.files.items() if s in names}, extra)


def _owned_by(record: dict[str, Any], device_id: str, **data: Any) -> dict[str, Any]:
    out = copy.deepcopy(record)
    out["device_id"] = device_id
    out["version"] += 5
    out["data"].update(data)
    return out


def _audit(contents: Contents) -> list[dict[str, Any]]:
    return sorted(contents.of("audit_log"), key=lambda r: r["data"]["seq"])


def _rehash(record: dict[str, Any]) -> str:
    from fieldkit.store import audit

    data = record["data"]
    data["entry_hash"] = audit.entry_hash(audit.entry_row(record["id"], record["device_id"], data))
    return str(data["entry_hash"])


def _forgeries(
    c: Contents, own: Signer, other: Signer
) -> Iterator[tuple[str, Contents, Signer, Any, tuple[str, ...], str]]:
    """(name, contents, signer, manifest device, words, kept_aside) of each forgery."""
    theirs = other.device.device_id
    subject, inspection = c.of("subject")[0], c.of("inspection")[0]
    document, revision = c.of("document")[0], c.of("document_revision")[0]
    item = c.of("evidence_item")[0]
    # Another laptop's records: kept aside for the office, never written.
    yield (
        "overwrite_another_devices_record",
        _as(c, [_owned_by(subject, theirs, phone="110")]),
        other,
        other.device,
        (),
        "owner",
    )
    yield (
        "tombstone_another_devices_record",
        _as(c, [_owned_by(inspection, theirs, deleted_at=dt.datetime.now(dt.UTC).isoformat())]),
        other,
        other.device,
        (),
        "owner",
    )
    added = _owned_by(item, theirs, name="伪造的证据")
    added.update(id=str(uuid.uuid4()), version=1)
    yield "new_record_under_another_devices_inspection", _as(c, [added]), other, other.device, (), "owner"
    # Another laptop's identity: refused whole.
    claimed = _owned_by(subject, subject["device_id"], phone="120")
    yield "records_claim_another_devices_id", _as(c, [claimed]), other, other.device, ("声称出自设备号",), ""
    yield (
        "audit_entries_in_another_devices_name",
        _as(c, _audit(c)),
        other,
        other.device,
        ("不能代替其他设备记审计日志",),
        "",
    )
    impostor = dataclasses.replace(
        other.device, device_id=own.device.device_id, device_code=own.device.device_code
    )
    yield "manifest_claims_another_device", _as(c, [claimed]), other, impostor, ("冒用另一台电脑的身份",), ""
    # A 文号 that is already another document's: refused whole, both named (issue 9 item 2).
    twin = _owned_by(document, theirs, title=document["data"].get("title", ""))
    twin.update(id=str(uuid.uuid4()), version=1)
    yield "document_number_of_another_document", _as(c, [twin]), other, other.device, ("文号冲突",), ""
    # The owner's own finalised documents: a printed revision never changes (kept aside, frozen).
    photo = next(
        s for s, (_d, role) in c.files.items() if s != revision["data"]["pdf_sha256"] and role != "pdf"
    )
    swapped = copy.deepcopy(c)
    rev = next(r for r in swapped.records if r["id"] == revision["id"])
    rev["version"] += 1
    rev["data"].update(pdf_sha256=photo, pdf_size=len(c.files[photo][0]))
    yield "finalised_pdf_swapped", swapped, own, own.device, (), "frozen"
    edited = copy.deepcopy(c)
    rev = next(r for r in edited.records if r["id"] == revision["id"])
    rev["version"] += 1
    rev["data"]["values"] = {**rev["data"]["values"], "__forged__": "改动后的内容"}
    yield "finalised_content_changed", edited, own, own.device, (), "frozen"
    draft = copy.deepcopy(c)
    doc = next(r for r in draft.records if r["id"] == document["id"])
    doc["version"] += 1
    doc["data"]["status"] = "draft"
    yield "finalised_document_back_to_draft", draft, own, own.device, (), "frozen"
    # The owner's own evidence record pointed at another file: the file is the evidence (kept aside).
    repointed = copy.deepcopy(c)
    first = repointed.of("evidence_file")[0]
    pdf = revision["data"]["pdf_sha256"]  # a file in the bundle, not already in this evidence item
    first["version"] += 1
    first["data"].update(sha256=pdf, size=len(c.files[pdf][0]))
    yield "evidence_record_repointed", repointed, own, own.device, (), "bound"
    # The owner's own audit log: forged, re-chained, holed or cut off — refused whole.
    forged = copy.deepcopy(c)
    _audit(forged)[1]["data"]["actor"] = "某某"
    yield "forged_audit_entry", forged, own, own.device, ("与其哈希不符",), ""
    rechained = copy.deepcopy(c)
    entries = _audit(rechained)
    entries[1]["data"]["actor"] = "某某"
    prev = entries[0]["data"]["entry_hash"]
    for entry in entries[1:]:
        entry["data"]["prev_hash"] = prev
        prev = _rehash(entry)
    rechained.extra = {**rechained.extra, "audit_head": {**rechained.extra["audit_head"], "entry_hash": prev}}
    yield "rewritten_and_rechained_audit_log", rechained, own, own.device, ("审计日志被改写",), ""
    holed = copy.deepcopy(c)
    gone = _audit(holed)[2]
    holed.records.remove(gone)
    yield "audit_entry_deleted_in_the_middle", holed, own, own.device, (f"缺第 {gone['data']['seq']} 条",), ""
    cut = copy.deepcopy(c)
    entries = _audit(cut)
    for entry in entries[-3:]:
        cut.records.remove(entry)
    end = entries[-4]["data"]
    cut.extra = {
        **cut.extra,
        "audit_head": {**cut.extra["audit_head"], "seq": end["seq"], "entry_hash": end["entry_hash"]},
    }
    yield "audit_log_cut_short", cut, own, own.device, ("截断或回滚",), ""


def forgery_cases(base: Path, own: Signer, other: Signer, out: Path) -> Iterator[Case]:
    """Forgeries built on `base`, a whole export of `own` the office has imported; `other` is a
    second laptop the office trusts."""
    original = Contents.read(base)
    for name, contents, signer, device, words, kept_aside in _forgeries(original, own, other):
        yield Case(name, sign(contents, out / name, signer.key, device), words, kept_aside)


def main(argv: list[str]) -> int:
    """Write the container corpus (on a freshly made sample bundle) to OUT_DIR."""
    out = Path(argv[0]) if argv else Path("hostile-corpus")
    device = make_device()
    base_dir = out / "base"
    base_dir.mkdir(parents=True, exist_ok=True)
    base = write_sample(base_dir, device)
    cases = list(container_cases(base, device, out))
    for case in cases:
        print(f"{case.name}\t{case.path}\t{hashlib.sha256(case.path.read_bytes()).hexdigest()[:16]}")
    print(
        f"{len(cases)} container cases; record and forgery cases need laptop stores (see tests/services/test_hostile_import.py)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
