"""The office envelope: round trip, wrong key, truncation, tampering and reordering are all detected."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from fieldkit.bundle import BundleError, EnvelopeError, WrongKeyError, verify_bundle
from fieldkit.bundle.envelope import (
    HEADER_SIZE,
    TAG_SIZE,
    decrypt_bundle,
    encrypt_bundle,
    is_envelope,
    read_header,
)
from fieldkit.errors import Cancelled

from .conftest import Device, Sample

CHUNK = 4096
BLOCK = CHUNK + TAG_SIZE


@pytest.fixture
def office() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def _plain(tmp_path: Path, size: int) -> Path:
    src = tmp_path / "b.fkb"
    src.write_bytes(os.urandom(size))
    return src


def _left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, 3 * CHUNK, 3 * CHUNK + 17])
def test_round_trip(tmp_path: Path, office: X25519PrivateKey, size: int) -> None:
    src = _plain(tmp_path, size)
    enc = encrypt_bundle(src, tmp_path / "b.enc", office.public_key(), chunk_size=CHUNK)
    assert is_envelope(enc) and not is_envelope(src)
    n_chunks = size // CHUNK + 1  # always a short final chunk
    assert enc.stat().st_size == HEADER_SIZE + size + n_chunks * TAG_SIZE
    out = decrypt_bundle(enc, tmp_path / "out.fkb", office)
    assert out.read_bytes() == src.read_bytes()


def test_each_bundle_gets_its_own_key_and_nonces(tmp_path: Path, office: X25519PrivateKey) -> None:
    src = _plain(tmp_path, 1000)
    a = encrypt_bundle(src, tmp_path / "a.enc", office.public_key()).read_bytes()
    b = encrypt_bundle(src, tmp_path / "b.enc", office.public_key()).read_bytes()
    assert a[:6] == b"FKENC1" and a[HEADER_SIZE:] != b[HEADER_SIZE:] and a[44:116] != b[44:116]


def test_the_default_chunk_is_one_mebibyte(tmp_path: Path, office: X25519PrivateKey) -> None:
    enc = encrypt_bundle(_plain(tmp_path, 10), tmp_path / "b.enc", office.public_key())
    with open(enc, "rb") as f:
        assert read_header(f).chunk_size == 1024 * 1024


def test_the_wrong_key_is_named_and_nothing_is_written(tmp_path: Path, office: X25519PrivateKey) -> None:
    enc = encrypt_bundle(_plain(tmp_path, 10_000), tmp_path / "b.enc", office.public_key(), chunk_size=CHUNK)
    with pytest.raises(WrongKeyError, match="密钥不对"):
        decrypt_bundle(enc, tmp_path / "out.fkb", X25519PrivateKey.generate())
    assert _left(tmp_path) == ["b.enc", "b.fkb"]


def _damaged(tmp_path: Path, office: X25519PrivateKey, change) -> Path:  # type: ignore[no-untyped-def]
    enc = encrypt_bundle(
        _plain(tmp_path, 3 * CHUNK + 100), tmp_path / "b.enc", office.public_key(), chunk_size=CHUNK
    )
    data = bytearray(enc.read_bytes())
    enc.write_bytes(bytes(change(data)))
    return enc


def _swap(data: bytearray) -> bytearray:
    a = slice(HEADER_SIZE, HEADER_SIZE + BLOCK)
    b = slice(HEADER_SIZE + BLOCK, HEADER_SIZE + 2 * BLOCK)
    data[a], data[b] = data[b], data[a]
    return data


def _flip(at: int):  # type: ignore[no-untyped-def]
    def change(data: bytearray) -> bytearray:
        data[at] ^= 0x01
        return data

    return change


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d[: HEADER_SIZE + 2 * BLOCK], "截断"),  # cut on a chunk boundary: no final chunk
        (lambda d: d[: HEADER_SIZE + 2 * BLOCK + 50], "结尾块"),  # cut inside a chunk
        (lambda d: d[:-1], "结尾块"),
        (lambda d: d[: HEADER_SIZE + 10], "截断"),
        (lambda d: d[:50], "文件头被截断"),
        (lambda d: d + b"\x00", "结尾块"),  # the final chunk is no longer final-sized: auth fails
        (lambda d: d + b"\x00" * (BLOCK + 5), "第 4 块"),  # the short final chunk is now a full one
        (_swap, "第 1 块"),
        (_flip(HEADER_SIZE + 5), "第 1 块"),
        (_flip(HEADER_SIZE + BLOCK + 100), "第 2 块"),
        (_flip(HEADER_SIZE + 2 * BLOCK - 1), "第 2 块"),  # in a tag
        (_flip(80), "第 1 块"),  # salt in the header: the header is authenticated with every chunk
        (_flip(110), "第 1 块"),  # nonce prefix
        (_flip(50), "第 1 块"),  # ephemeral key
        (_flip(20), "密钥不对"),  # recipient fingerprint
        (_flip(6), "版本"),
        (_flip(7), "算法"),
        (_flip(0), "不是 FieldKit 加密包"),
    ],
)
def test_damage_is_detected_and_nothing_is_written(
    tmp_path: Path,
    office: X25519PrivateKey,
    change,
    words: str,  # type: ignore[no-untyped-def]
) -> None:
    enc = _damaged(tmp_path, office, change)
    with pytest.raises(EnvelopeError, match=words):
        decrypt_bundle(enc, tmp_path / "out.fkb", office)
    assert _left(tmp_path) == ["b.enc", "b.fkb"]


def test_the_last_chunk_cannot_be_dropped(tmp_path: Path, office: X25519PrivateKey) -> None:
    src = _plain(tmp_path, 2 * CHUNK)  # two full chunks and an empty final one
    enc = encrypt_bundle(src, tmp_path / "b.enc", office.public_key(), chunk_size=CHUNK)
    enc.write_bytes(enc.read_bytes()[:-TAG_SIZE])
    with pytest.raises(EnvelopeError, match="截断"):
        decrypt_bundle(enc, tmp_path / "out.fkb", office)


def test_a_plain_zip_is_told_apart(tmp_path: Path, office: X25519PrivateKey) -> None:
    src = tmp_path / "b.fkb"
    src.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(EnvelopeError, match="未加密"):
        decrypt_bundle(src, tmp_path / "out.fkb", office)


def test_progress_and_cancel(tmp_path: Path, office: X25519PrivateKey) -> None:
    src = _plain(tmp_path, 5 * CHUNK)
    calls: list[tuple[int, int]] = []
    enc = encrypt_bundle(
        src,
        tmp_path / "b.enc",
        office.public_key(),
        chunk_size=CHUNK,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls[-1] == (5 * CHUNK, 5 * CHUNK)
    with pytest.raises(Cancelled):
        decrypt_bundle(enc, tmp_path / "out.fkb", office, cancelled=lambda: True)
    with pytest.raises(Cancelled):
        encrypt_bundle(src, tmp_path / "c.enc", office.public_key(), cancelled=lambda: True)
    assert _left(tmp_path) == ["b.enc", "b.fkb"]


def test_an_existing_output_is_not_overwritten(tmp_path: Path, office: X25519PrivateKey) -> None:
    src = _plain(tmp_path, 100)
    enc = encrypt_bundle(src, tmp_path / "b.enc", office.public_key())
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    with pytest.raises(BundleError, match="已存在"):
        decrypt_bundle(enc, src, office)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == digest


def test_a_whole_bundle_survives_encryption_and_still_verifies(
    written: tuple[Path, Sample, Device], tmp_path: Path, office: X25519PrivateKey
) -> None:
    path, _, device = written
    enc = encrypt_bundle(path, tmp_path / "b.fkb.enc", office.public_key())
    out = decrypt_bundle(enc, tmp_path / "back.fkb", office)
    assert verify_bundle(out, trusted_devices=device.trusted).ok
