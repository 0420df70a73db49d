"""Reading a verified bundle: only after an ok verify, and a file changed since is refused, not imported."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from fieldkit.bundle import BundleRefused, iter_records, open_file, verify_bundle
from fieldkit.errors import Cancelled

from .conftest import Device, Sample, make_device

Written = tuple[Path, Sample, Device]


def test_records_and_files_need_an_ok_report(written: Written) -> None:
    path, s, _ = written
    refused = verify_bundle(path, trusted_devices=make_device().trusted)
    assert not refused.ok
    with pytest.raises(BundleRefused, match="未知设备"):
        list(iter_records(path, refused))
    with pytest.raises(BundleRefused):
        open_file(path, next(iter(s.blobs)), refused)
    with pytest.raises(BundleRefused, match="未知设备"):
        refused.raise_if_refused()


def test_a_report_for_another_bundle_is_not_accepted(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    report = verify_bundle(path, trusted_devices=device.trusted)
    copy = tmp_path / "copy.fkb"
    copy.write_bytes(path.read_bytes())
    with pytest.raises(BundleRefused, match="改动或替换"):
        list(iter_records(copy, report))


def _data_offset(path: Path, name: str) -> int:
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    with open(path, "rb") as f:
        f.seek(info.header_offset + 26)
        n, m = int.from_bytes(f.read(2), "little"), int.from_bytes(f.read(2), "little")
    return info.header_offset + 30 + n + m


def _tamper_in_place_keeping_mtime(path: Path, at: int, size: int) -> None:
    """Flip bytes inside the file without changing its size, inode or mtime (a stealthy edit)."""
    st = path.stat()
    with open(path, "r+b") as f:
        f.seek(at)
        old = f.read(size)
        f.seek(at)
        f.write(bytes(b ^ 0x55 for b in old))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_a_file_member_changed_after_verify_is_caught_while_reading(written: Written) -> None:
    path, s, device = written
    report = verify_bundle(path, trusted_devices=device.trusted)
    assert report.ok
    sha = next(h for h, b in s.blobs.items() if b.startswith(b"%PDF"))
    _tamper_in_place_keeping_mtime(path, _data_offset(path, f"files/{sha}") + 100, 20)
    with pytest.raises(BundleRefused, match="校验之后被改动"), open_file(path, sha, report) as f:
        while f.read(7):
            pass


def test_a_record_changed_after_verify_is_caught(written: Written) -> None:
    path, _, device = written
    report = verify_bundle(path, trusted_devices=device.trusted)
    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if n.startswith("records/"))
    _tamper_in_place_keeping_mtime(path, _data_offset(path, name) + 5, 8)
    with pytest.raises(BundleRefused, match="校验之后"):
        list(iter_records(path, report))


def test_open_file_for_an_unknown_hash(written: Written) -> None:
    path, _, device = written
    report = verify_bundle(path, trusted_devices=device.trusted)
    with pytest.raises(Exception, match="没有 SHA-256 为"):
        open_file(path, "0" * 64, report)


def test_open_file_streams_in_pieces_and_supports_readinto(written: Written) -> None:
    path, s, device = written
    report = verify_bundle(path, trusted_devices=device.trusted)
    sha, blob = max(s.blobs.items(), key=lambda kv: len(kv[1]))
    buf = bytearray(4096)
    got = bytearray()
    with open_file(path, sha, report) as f:
        while n := f.readinto(buf):
            got += buf[:n]
    assert bytes(got) == blob


def test_verify_reports_progress_and_can_be_cancelled(written: Written) -> None:
    path, s, device = written
    calls: list[tuple[int, int]] = []
    assert verify_bundle(path, trusted_devices=device.trusted, progress=lambda d, t: calls.append((d, t))).ok
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1] > sum(len(b) for b in s.blobs.values())
    with pytest.raises(Cancelled):
        verify_bundle(path, trusted_devices=device.trusted, cancelled=lambda: True)


def test_an_unreadable_path_is_a_problem_not_a_crash(tmp_path: Path, device: Device) -> None:
    report = verify_bundle(tmp_path / "nope.fkb", trusted_devices=device.trusted)
    assert not report.ok and "无法打开" in report.problems[0]


def test_the_bundle_layer_imports_neither_qt_nor_sqlalchemy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, fieldkit.bundle, fieldkit.bundle.envelope, fieldkit.bundle.reader, fieldkit.bundle.writer;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[2]
    )
    assert result.returncode == 0, result.stdout + result.stderr
