"""Device and office key files: created 0600, never overwritten, loaded by kind, PEM and fingerprints."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from fieldkit.bundle import KeyFileError, fingerprint, format_fingerprint, public_key_pem
from fieldkit.bundle.keys import (
    generate_device_key,
    generate_office_key,
    load_device_public_key,
    load_office_private_key,
    load_office_public_key,
    load_private_key,
    normalize_fingerprint,
)


def test_device_key_is_written_owner_only_and_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "device.pem"
    public = generate_device_key(path)
    assert isinstance(public, Ed25519PublicKey)
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS#8
    key = load_private_key(path)
    assert fingerprint(key.public_key()) == fingerprint(public)
    assert not list(path.parent.glob("*.part"))


def test_an_existing_key_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "device.pem"
    generate_device_key(path)
    before = path.read_bytes()
    with pytest.raises(KeyFileError, match="已存在"):
        generate_device_key(path)
    assert path.read_bytes() == before


def test_a_key_with_a_password_needs_it(tmp_path: Path) -> None:
    path = tmp_path / "device.pem"
    generate_device_key(path, password=b"s3cret")
    assert load_private_key(path, password=b"s3cret")
    with pytest.raises(KeyFileError, match="口令"):
        load_private_key(path)


def test_keys_are_loaded_by_kind(tmp_path: Path) -> None:
    generate_device_key(tmp_path / "device.pem")
    office_public = generate_office_key(tmp_path / "office.pem")
    assert isinstance(office_public, X25519PublicKey)
    assert load_office_private_key(tmp_path / "office.pem")
    with pytest.raises(KeyFileError, match="Ed25519"):
        load_private_key(tmp_path / "office.pem")
    with pytest.raises(KeyFileError, match="X25519"):
        load_office_private_key(tmp_path / "device.pem")
    (tmp_path / "junk.pem").write_text("not a key")
    with pytest.raises(KeyFileError, match="不是有效的私钥"):
        load_private_key(tmp_path / "junk.pem")
    with pytest.raises(KeyFileError, match="无法读取"):
        load_private_key(tmp_path / "missing.pem")


def test_public_pem_round_trips_and_is_subject_public_key_info() -> None:
    key = Ed25519PrivateKey.generate()
    pem = public_key_pem(key)
    assert pem.startswith("-----BEGIN PUBLIC KEY-----") and pem == public_key_pem(key.public_key())
    assert fingerprint(load_device_public_key(pem)) == fingerprint(key.public_key())
    with pytest.raises(KeyFileError, match="X25519"):
        load_office_public_key(pem)
    with pytest.raises(KeyFileError, match="不是有效的公钥"):
        load_device_public_key("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")


def test_fingerprint_is_sha256_of_the_raw_key_shown_in_groups_of_four() -> None:
    public = Ed25519PrivateKey.generate().public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    fp = fingerprint(public)
    assert fp == hashlib.sha256(raw).hexdigest()
    shown = format_fingerprint(fp)
    assert len(shown.split(" ")) == 16 and all(len(g) == 4 for g in shown.split(" "))
    assert normalize_fingerprint(shown.upper()) == fp
