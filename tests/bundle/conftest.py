"""Fixtures for bundle tests: device keys, a small realistic bundle, and a rebuilder for hostile copies."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from fieldkit.bundle import DeviceInfo, FileOut, RecordOut, fingerprint, write_bundle
from fieldkit.bundle.manifest import SHA256SUMS, SIGNATURE

CREATED = dt.datetime(2026, 3, 2, 2, 0, 0, tzinfo=dt.UTC)
BUNDLE_ID = uuid.UUID("3f2a9c01-5d7e-4b6a-9c3e-1a2b3c4d5e6f")
DEVICE_ID = "8b0f6a52-2d3c-4e1f-9a7b-0c1d2e3f4a5b"


@dataclass
class Device:
    key: Ed25519PrivateKey
    info: DeviceInfo

    @property
    def public(self) -> Ed25519PublicKey:
        return self.key.public_key()

    @property
    def trusted(self) -> dict[str, Ed25519PublicKey]:
        return {self.info.fingerprint: self.public}


def make_device(code: str = "A1", device_id: str = DEVICE_ID) -> Device:
    key = Ed25519PrivateKey.generate()
    return Device(key, DeviceInfo(device_id, code, f"执法终端 {code}", fingerprint(key.public_key())))


@pytest.fixture
def device() -> Device:
    return make_device()


@dataclass
class Sample:
    """What went into a bundle, to compare with what comes out."""

    records: list[RecordOut]
    blobs: dict[str, bytes]  # sha256 -> bytes
    files: list[FileOut] = field(default_factory=list)


def sample(n_records: int = 4) -> Sample:
    blobs = [
        b"\xff\xd8\xff\xe0 jpeg " + bytes(range(256)) * 40,
        b"%PDF-1.7 finalised " * 300,
        b"",
        b"x" * 70_000,
    ]
    by_hash = {hashlib.sha256(b).hexdigest(): b for b in blobs}
    files = [
        FileOut(
            sha,
            len(b),
            (lambda b=b: io.BytesIO(b)),
            "pdf" if b.startswith(b"%PDF") else "evidence",
            f"附件{i}",
        )
        for i, (sha, b) in enumerate(by_hash.items())
    ]
    records = [
        RecordOut(
            "inspection" if i % 2 == 0 else "document",
            uuid.UUID(int=i + 1, version=4),
            i + 1,
            DEVICE_ID,
            {
                "subject_name": "临沂市兰山区金华家超市有限公司",
                "amount_fen": 150_000 + i,
                "items": [{"code": "SP-01", "ok": True}, {"code": "SP-02", "ok": False, "note": None}],
                "updated_at": "2026-03-02T02:00:00+00:00",
                "deleted": i == 3,
            },
        )
        for i in range(n_records)
    ]
    return Sample(records, by_hash, files)


@pytest.fixture
def written(tmp_path: Path, device: Device) -> tuple[Path, Sample, Device]:
    """A valid bundle with 4 records and 4 files, in tmp_path/out."""
    s = sample()
    out = tmp_path / "out"
    out.mkdir()
    return write_sample(out, device, s), s, device


def write_sample(out: Path, device: Device, s: Sample | None = None, **options: Any) -> Path:
    """The sample (a fresh one unless given) as a bundle signed by `device`, written in `out`.
    `options` go to write_bundle: files= in place of the sample's files, encrypt_to=, progress= …"""
    s = s if s is not None else sample()
    options.setdefault("files", s.files)
    return write_bundle(
        out,
        records=s.records,
        device=device.info,
        officer="张建国",
        signing_key=device.key,
        created_at=CREATED,
        bundle_id=BUNDLE_ID,
        **options,
    ).path


def read_members(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def rebuild(
    src: Path,
    dest: Path,
    *,
    drop: Iterable[str] = (),
    replace: dict[str, bytes] | None = None,
    add: Iterable[tuple[str, bytes]] = (),
    add_method: int = zipfile.ZIP_STORED,
    edit_manifest: Callable[[bytes], bytes] | None = None,
    resign: Ed25519PrivateKey | None = None,
    fix_sums: bool = False,
) -> Path:
    """Copy a bundle member by member with changes: the hostile-bundle workshop.

    `edit_manifest` changes manifest.json; `resign` re-signs it (so only the intended fault remains);
    `fix_sums` rewrites SHA256SUMS to match the new contents.
    """
    replace = dict(replace or {})
    drop = set(drop)
    members = [(i, d) for i, d in read_members(src) if i.filename not in drop]
    by_name = {i.filename: d for i, d in members}
    if edit_manifest is not None:
        replace["manifest.json"] = edit_manifest(by_name["manifest.json"])
    if resign is not None:
        replace[SIGNATURE] = resign.sign(replace.get("manifest.json", by_name["manifest.json"]))
    out: list[tuple[zipfile.ZipInfo, bytes]] = [(i, replace.get(i.filename, d)) for i, d in members]
    if fix_sums:
        lines = [
            f"{hashlib.sha256(d).hexdigest()}  {i.filename}\n" for i, d in out if i.filename != SHA256SUMS
        ]
        out = [(i, "".join(lines).encode() if i.filename == SHA256SUMS else d) for i, d in out]
    with warnings.catch_warnings(), zipfile.ZipFile(dest, "w") as zf:
        warnings.simplefilter("ignore")  # duplicate names are the point of some tests
        for info, data in out:
            zf.writestr(info, data)
        for name, data in add:
            info = zipfile.ZipInfo(name, date_time=(2026, 3, 2, 10, 0, 0))
            info.compress_type = add_method
            zf.writestr(info, data)
    return dest
