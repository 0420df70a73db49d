"""Issue 11.3: an encrypted export is encrypted while it is written; no plaintext ever reaches the target."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from fieldkit.bundle import FileOut, verify_bundle
from fieldkit.bundle.envelope import MAGIC, decrypt_bundle
from fieldkit.errors import Cancelled

from .conftest import Device, sample, write_sample


def _big(size: int) -> FileOut:
    data = os.urandom(size)
    return FileOut(hashlib.sha256(data).hexdigest(), size, lambda: io.BytesIO(data), "evidence", "视频")


def test_the_decrypted_bundle_is_byte_for_byte_the_plain_one(tmp_path: Path, device: Device) -> None:
    office = X25519PrivateKey.generate()
    # One member (20 MiB) bigger than what HoldBack keeps in memory: it spills to the temp dir.
    files = [*sample().files, _big(20 * 1024 * 1024 + 5)]
    (tmp_path / "plain").mkdir()
    (tmp_path / "usb").mkdir()
    plain = write_sample(tmp_path / "plain", device, files=files)
    spill = tmp_path / "spill"
    spill.mkdir()
    sealed = write_sample(
        tmp_path / "usb", device, files=files, encrypt_to=office.public_key(), spill_dir=spill
    )
    assert sealed.name.endswith(".fkb.enc") and sealed.read_bytes().startswith(MAGIC)
    assert sorted(p.name for p in (tmp_path / "usb").iterdir()) == [sealed.name]
    assert list(spill.iterdir()) == []  # the spill file has no name; nothing stays behind
    out = decrypt_bundle(sealed, tmp_path / "d.fkb", office)
    assert out.read_bytes() == plain.read_bytes()
    assert verify_bundle(out, trusted_devices=device.trusted).ok


def test_no_plaintext_byte_reaches_the_target_while_writing(tmp_path: Path, device: Device) -> None:
    """What a kill -9 at any moment would leave on the stick: only ciphertext."""
    office = X25519PrivateKey.generate()
    secret = b"\xff\xd8\xff\xe0 SECRET-PHOTO " + os.urandom(64) * 40_000  # ~2.5 MiB, distinctive
    big = FileOut(
        hashlib.sha256(secret).hexdigest(), len(secret), lambda: io.BytesIO(secret), "evidence", "照片"
    )
    usb = tmp_path / "usb"
    usb.mkdir()
    seen: list[bytes] = []

    def look(done: int, total: int) -> None:
        for p in usb.iterdir():
            seen.append(p.read_bytes())

    write_sample(usb, device, files=[*sample().files, big], encrypt_to=office.public_key(), progress=look)
    assert seen and any(len(b) > 1024 * 1024 for b in seen)  # we did look mid-way, at a real part
    for data in seen:
        assert data.startswith(MAGIC) or data == b""
        assert b"PK\x03\x04" not in data[:4] and b"SECRET-PHOTO" not in data
        assert secret[100:200] not in data


def test_a_cancelled_encrypted_export_leaves_nothing(tmp_path: Path, device: Device) -> None:
    office = X25519PrivateKey.generate()
    usb = tmp_path / "usb"
    usb.mkdir()
    calls = iter(range(1000))
    with pytest.raises(Cancelled):
        write_sample(
            usb,
            device,
            files=[*sample().files, _big(3 * 1024 * 1024)],
            encrypt_to=office.public_key(),
            cancelled=lambda: next(calls) > 3,
        )
    assert list(usb.iterdir()) == []


def test_a_killed_exports_part_is_removed_by_the_next_export_never_a_live_one(tmp_path: Path) -> None:
    from fieldkit.bundle._io import discard_abandoned_parts
    from fieldkit.filelock import lock_fd

    stale, fresh, live = (tmp_path / f"fieldkit-A1-{n}.fkb.enc.part" for n in ("stale", "fresh", "live"))
    for p in (stale, fresh, live):
        p.write_bytes(b"FKENC1 ciphertext")
    for p in (stale, live):
        os.utime(p, (0, 0))  # not written to for a long time
    fd = os.open(live, os.O_RDWR)
    assert lock_fd(fd)  # a running export holds its .part (here: this process, another open file)
    try:
        assert discard_abandoned_parts(tmp_path) == 1
    finally:
        os.close(fd)
    assert not stale.exists() and fresh.exists() and live.exists()  # fresh: maybe another computer's
