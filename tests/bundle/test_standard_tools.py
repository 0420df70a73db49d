"""Anyone can check a bundle with standard tools: unzip -t, sha256sum -c, openssl pkeyutl -verify -rawin.

These run the real programs (Debian: unzip, coreutils, openssl); a test is skipped only if its tool is absent.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from fieldkit.bundle import public_key_pem

from .conftest import Device, Sample


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not installed")
    return found


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=60)


def test_unzip_t_finds_no_errors(written: tuple[Path, Sample, Device]) -> None:
    path, _, _ = written
    result = _run([_need("unzip"), "-t", str(path)], path.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors detected" in result.stdout


def test_sha256sum_c_accepts_every_member(written: tuple[Path, Sample, Device], tmp_path: Path) -> None:
    path, _, _ = written
    unzip = _need("unzip")
    sha256sum = _need("sha256sum")
    target = tmp_path / "x"
    assert _run([unzip, "-q", "-d", str(target), str(path)], tmp_path).returncode == 0
    result = _run([sha256sum, "--strict", "-c", "SHA256SUMS"], target)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(path) as zf:
        others = [n for n in zf.namelist() if n != "SHA256SUMS"]
    assert sorted(line.rsplit(": ", 1)[0] for line in result.stdout.splitlines()) == sorted(others)
    assert all(line.endswith(": OK") for line in result.stdout.splitlines())

    victim = next(target.glob("files/*"))
    victim.write_bytes(victim.read_bytes() + b"!")
    assert _run([sha256sum, "-c", "--quiet", "SHA256SUMS"], target).returncode != 0


def test_openssl_verifies_the_signature_with_the_device_pem(
    written: tuple[Path, Sample, Device], tmp_path: Path
) -> None:
    path, _, device = written
    openssl = _need("openssl")
    (tmp_path / "device.pub.pem").write_text(public_key_pem(device.public))
    with zipfile.ZipFile(path) as zf:
        (tmp_path / "manifest.json").write_bytes(zf.read("manifest.json"))
        (tmp_path / "manifest.sig").write_bytes(zf.read("manifest.sig"))
    cmd = [openssl, "pkeyutl", "-verify", "-pubin", "-inkey", "device.pub.pem", "-rawin"]
    cmd += ["-in", "manifest.json", "-sigfile", "manifest.sig"]
    result = _run(cmd, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Signature Verified Successfully" in result.stdout

    manifest = tmp_path / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace("张建国".encode(), "李晓梅".encode()))
    result = _run(cmd, tmp_path)
    assert result.returncode != 0 and "Verified Successfully" not in result.stdout


def test_openssl_reads_the_device_pem_as_ed25519(device: Device, tmp_path: Path) -> None:
    openssl = _need("openssl")
    (tmp_path / "device.pub.pem").write_text(public_key_pem(device.public))
    result = _run([openssl, "pkey", "-pubin", "-in", "device.pub.pem", "-noout", "-text"], tmp_path)
    assert result.returncode == 0 and "ED25519 Public-Key" in result.stdout
