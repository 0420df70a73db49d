"""docs/bundle-format.md stays true: its reference decryptor and its fingerprint command work."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from fieldkit.bundle import fingerprint, public_key_pem
from fieldkit.bundle.envelope import HEADER_SIZE, encrypt_bundle

DOC = Path(__file__).resolve().parents[2] / "docs" / "bundle-format.md"


def test_the_reference_decryptor_in_the_doc_reads_our_envelopes(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    code = re.search(r"```python reference-decrypt\n(.*?)\n```", text, re.S)
    assert code is not None
    namespace: dict[str, object] = {"__name__": "reference"}
    exec(compile(code.group(1), "bundle-format.md", "exec"), namespace)
    office = X25519PrivateKey.generate()
    pem = office.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    for size in (0, 5000, 2 * 4096):
        src = tmp_path / f"{size}.fkb"
        src.write_bytes(os.urandom(size))
        enc = encrypt_bundle(src, tmp_path / f"{size}.enc", office.public_key(), chunk_size=4096)
        namespace["decrypt"](enc, tmp_path / f"{size}.out", pem)  # type: ignore[operator]
        assert (tmp_path / f"{size}.out").read_bytes() == src.read_bytes()


def test_the_documented_header_size() -> None:
    assert HEADER_SIZE == 116 and "文件头（116 字节" in DOC.read_text(encoding="utf-8")


def test_the_documented_openssl_fingerprint_command(tmp_path: Path) -> None:
    if shutil.which("openssl") is None or shutil.which("sha256sum") is None:
        pytest.skip("openssl or sha256sum is not installed")
    key = Ed25519PrivateKey.generate().public_key()
    (tmp_path / "device.pub.pem").write_text(public_key_pem(key))
    cmd = "openssl pkey -pubin -in device.pub.pem -outform DER | tail -c 32 | sha256sum"
    assert cmd in DOC.read_text(encoding="utf-8")
    out = subprocess.run(cmd, shell=True, cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == fingerprint(key)
