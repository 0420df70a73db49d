"""Issue 11.6: a read-only or full data dir degrades, not dies — browse, verify, export elsewhere; say why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import SQLAlchemyError

from fieldkit.bundle import verify_bundle
from fieldkit.errors import FieldkitError, environment_problem
from fieldkit.services import exchange, inspections
from fieldkit.services.context import Context, open_context
from fieldkit.services.setup import run_setup
from fieldkit.store import audit
from tests.cli.test_cli import run
from tests.conftest import TEST_AGENCY, TEST_OFFICERS
from tests.services.test_documents import make_inspection


def _mount(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True, check=False
    )
    return done.returncode == 0


def _fill_store(data: Path) -> str:
    """A set-up store with a completed inspection and the device key; returns the inspection id."""
    ctx = open_context(data)
    run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "A1")
    exchange.ensure_device_key(ctx)
    inspection = make_inspection(ctx)
    ctx.sessions.kw["bind"].dispose()  # the last connection checkpoints the WAL into the file
    return str(inspection)


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A data dir on a medium that refuses every write (a tmpfs remounted read-only; chmod for non-root)."""
    where = tmp_path / "medium"
    if os.geteuid() == 0:
        if not _mount(where, "64m"):
            pytest.skip("cannot mount a tmpfs here (needs CAP_SYS_ADMIN)")
        try:
            inspection = _fill_store(where / "data")
            subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
            yield where / "data", inspection
        finally:
            subprocess.run(["umount", "-l", str(where)], check=False)
    else:
        inspection = _fill_store(where / "data")
        for p in [where / "data", *(where / "data").rglob("*")]:
            p.chmod(p.stat().st_mode & ~0o222)
        try:
            yield where / "data", inspection
        finally:
            for p in [where / "data", *(where / "data").rglob("*")]:
                p.chmod(p.stat().st_mode | 0o200)


def test_a_read_only_data_dir_opens_read_only_and_says_why(
    read_only_dir: tuple[Path, str], tmp_path: Path
) -> None:
    data, inspection_id = read_only_dir
    ctx: Context = open_context(data)
    assert ctx.read_only and ("只读" in ctx.read_only_reason or "写入" in ctx.read_only_reason)
    ids = inspections.inspection_ids(ctx)
    assert [str(i) for i in ids] == [inspection_id]  # browse
    assert inspections.load_inspection(ctx, ids[0]).draft.place
    with ctx.sessions() as session:
        assert audit.verify_chain(session) is None  # verify
    result = exchange.export_bundle(ctx, tmp_path / "usb", everything=True)  # export to another disk
    assert verify_bundle(result.path, trusted_devices={ctx.device_id: exchange.ensure_device_key(ctx)}).ok
    draft = inspections.load_inspection(ctx, ids[0]).draft
    with pytest.raises((FieldkitError, SQLAlchemyError)) as caught:
        inspections.reopen_inspection(ctx, ids[0], "核对")
    assert "只读" in (environment_problem(caught.value) or str(caught.value))
    assert inspections.load_inspection(ctx, ids[0]).draft == draft


def test_the_command_line_on_a_read_only_data_dir(
    read_only_dir: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, inspection_id = read_only_dir
    d = ["--data-dir", str(data)]
    code, out, err = run(capsys, *d, "inspections", "list", "--json")
    assert code == 0 and inspection_id in out and "Traceback" not in err
    assert run(capsys, *d, "audit", "verify")[0] == 0
    code, out, err = run(capsys, *d, "export", "--all", "-o", str(tmp_path / "usb"))
    assert code == 0, err
    assert list((tmp_path / "usb").glob("*.fkb"))
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 photo")
    code, out, err = run(capsys, *d, "evidence", "add", inspection_id, str(photo))
    assert code == 1 and "只读" in err and "Traceback" not in err
    # As a user runs it (no pytest log capture): the read-only notice is Chinese, said once.
    proc = subprocess.run(
        [sys.executable, "-m", "fieldkit", *d, "audit", "verify"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("只读") == 1 and "opened read-only" not in proc.stderr, proc.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="a small tmpfs needs root")
def test_a_full_disk_opens_read_only_naming_the_full_disk(tmp_path: Path) -> None:
    where = tmp_path / "small"
    if not _mount(where, "24m"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        _fill_store(where / "data")
        filler = where / "filler.bin"
        with open(filler, "wb") as f:  # fill the disk up to the last block
            try:
                while True:
                    f.write(b"\0" * (1 << 20))
                    f.flush()
            except OSError:
                pass
        ctx = open_context(where / "data")
        assert ctx.read_only and "已满" in ctx.read_only_reason
        assert inspections.inspection_ids(ctx)
        filler.unlink()
        ctx.sessions.kw["bind"].dispose()
        assert not open_context(where / "data").read_only  # space back: writable again
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        shutil.rmtree(where, ignore_errors=True)
