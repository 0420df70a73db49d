"""Issue 11.3: what a killed run leaves is cleaned at the next start — never what a record refers to."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PIL import Image

from fieldkit.domain.evidence import EvidenceDraft
from fieldkit.services import evidence, housekeeping
from fieldkit.services.context import Context
from fieldkit.store.evidence_files import TEMP_DIR
from tests.services.test_documents import make_inspection

ROOT = Path(__file__).resolve().parents[2]


def run_and_die(data_dir: Path, body: str) -> None:
    """Run `body` in a fresh process on the same data dir; it ends itself with SIGKILL."""
    script = textwrap.dedent(
        """
        import os, signal, sys
        from pathlib import Path
        from fieldkit.services.context import open_context
        ctx = open_context(Path(sys.argv[1]))
        def die(*_a, **_k):
            os.kill(os.getpid(), signal.SIGKILL)
        """
    ) + textwrap.dedent(body)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", script, str(data_dir)], env=env, timeout=120, check=False)
    assert proc.returncode == -9, f"the helper process should have been killed, got {proc.returncode}"


def _photo(tmp_path: Path, name: str, colour: str) -> Path:
    path = tmp_path / name
    Image.new("RGB", (64, 48), colour).save(path)
    return path


def stored_files(ctx: Context) -> set[str]:
    return set(evidence.store(ctx).iter_hashes())


def test_a_killed_add_leaves_nothing_after_the_next_start(set_up_ctx: Context, tmp_path: Path) -> None:
    ctx = set_up_ctx
    inspection_id = make_inspection(ctx)
    kept_item = evidence.add_evidence_item(ctx, inspection_id, EvidenceDraft(name="留存的照片"))
    evidence.add_files(ctx, kept_item, [_photo(tmp_path, "keep.jpg", "red")])
    before = stored_files(ctx)
    assert before
    doomed = evidence.add_evidence_item(ctx, inspection_id, EvidenceDraft(name="中断的添加"))
    # The child stores one file, starts copying a second into evidence/.tmp, and is killed before
    # either record is committed: exactly the state a kill -9 of `evidence add` leaves.
    run_and_die(
        ctx.data_dir,
        f"""
        import uuid
        from fieldkit.services import evidence, housekeeping
        store = evidence.store(ctx)
        with housekeeping.in_flight(ctx, "evidence_add", item_id="{doomed}", item_was_empty=True):
            store.add_bytes(b"orphan photo bytes " * 1000, name="orphan.jpg")
            fd, tmp = store._make_temp(Path("half.mp4"), 10)
            os.write(fd, b"half a video" * 1000)
            die()
        """,
    )
    assert len(stored_files(ctx)) == len(before) + 1
    assert list((ctx.data_dir / "evidence" / TEMP_DIR).iterdir())
    # Old enough to be swept (the grace period protects files another live process just stored).
    for p in (ctx.data_dir / "evidence").rglob("*"):
        if p.is_file():
            os.utime(p, (p.stat().st_atime - 3600, p.stat().st_mtime - 3600))

    left = housekeeping.clean_at_start(ctx)

    assert left.orphan_files == 1 and left.temp_files == 1 and left.empty_items == 1
    assert stored_files(ctx) == before  # every file a record refers to is still there
    assert evidence.verify_files(ctx) == []
    assert list((ctx.data_dir / "evidence" / TEMP_DIR).iterdir()) == []
    names = [i.draft.name for i in evidence.list_evidence(ctx, inspection_id)]
    assert names == ["留存的照片"]
    assert "已清理" in left.summary() and "没有记录引用" in left.summary()
    assert housekeeping.dead_runs(ctx) == []  # done: the next start does not sweep again


def test_a_live_run_is_left_alone(set_up_ctx: Context) -> None:
    ctx = set_up_ctx
    store = evidence.store(ctx)
    with housekeeping.in_flight(ctx, "evidence_add", item_id="x"):
        stored = store.add_bytes(b"being attached right now", name="live.jpg")
        fd, tmp = store._make_temp(Path("live.mp4"), 5)
        os.utime(tmp, (0, 0))  # old, but locked by us: still not a leftover
        try:
            left = housekeeping.clean_at_start(ctx, crashed=True)
        finally:
            os.close(fd)
    assert left.temp_files == 0 and left.orphan_files == 0
    assert store.has(stored.sha256) and tmp.exists()


def test_nothing_is_swept_when_nothing_died(set_up_ctx: Context) -> None:
    ctx = set_up_ctx
    stored = evidence.store(ctx).add_bytes(b"not yet referenced", name="x.jpg")
    os.utime(stored.stored_path, (0, 0))
    assert not housekeeping.clean_at_start(ctx).anything
    assert evidence.store(ctx).has(stored.sha256)


def test_a_decrypted_copy_of_a_killed_import_is_removed(set_up_ctx: Context) -> None:
    ctx = set_up_ctx
    run_and_die(
        ctx.data_dir,
        """
        import tempfile
        from fieldkit.filelock import lock_fd
        work = Path(tempfile.mkdtemp(prefix="import-", dir=ctx.data_dir))
        fd = os.open(work / ".lock", os.O_CREAT | os.O_RDWR)
        lock_fd(fd)
        (work / "fieldkit-A1.fkb.part").write_bytes(b"PK plaintext of a bundle")
        die()
        """,
    )
    assert list(ctx.data_dir.glob("import-*"))
    assert housekeeping.clean_at_start(ctx).work_dirs == 1
    assert list(ctx.data_dir.glob("import-*")) == []


def test_a_decrypted_copy_killed_while_being_removed_goes_at_the_next_start(
    set_up_ctx: Context, tmp_path: Path
) -> None:
    """Found by the kill -9 harness (import_encrypted killed at its very end): rmtree took the lock
    file first and was killed; the plaintext copy without a lock looked like a folder just made and
    was kept by the next start."""
    from fieldkit.services import exchange

    ctx = set_up_ctx
    (tmp_path / "office.pub").write_text(exchange.office_keygen(ctx))
    sealed = exchange.export_bundle(ctx, tmp_path / "usb", encrypt_to=tmp_path / "office.pub").path
    run_and_die(
        ctx.data_dir,
        f"""
        import shutil
        from fieldkit.services import exchange_views, housekeeping
        def dying(path, *args, **kwargs):  # rmtree's first step, then the kill
            (Path(path) / housekeeping.WORK_LOCK).unlink()
            die()
        shutil.rmtree = dying
        exchange_views.verify_file(ctx, Path({str(sealed)!r}))
        """,
    )
    [left] = ctx.data_dir.glob("import-*")
    assert any(p.suffix == ".fkb" for p in left.iterdir())  # the plaintext copy is still there
    assert housekeeping.clean_at_start(ctx).work_dirs == 1
    assert list(ctx.data_dir.glob("import-*")) == []


def test_an_item_made_by_a_killed_evidence_add_before_any_file_is_removed(set_up_ctx: Context) -> None:
    """The window the kill -9 harness found: the item exists, add_files has not begun."""
    ctx = set_up_ctx
    inspection_id = make_inspection(ctx)
    kept = evidence.add_evidence_item(
        ctx, inspection_id, EvidenceDraft(name="IMG_0001.jpg")
    )  # the officer's own
    run_and_die(
        ctx.data_dir,
        f"""
        import uuid
        from fieldkit.domain.evidence import EvidenceDraft
        from fieldkit.services import evidence, housekeeping
        with housekeeping.in_flight(ctx, "evidence_add", matter_id="{inspection_id}", item_name="IMG_0001.jpg"):
            evidence.add_evidence_item(ctx, uuid.UUID("{inspection_id}"), EvidenceDraft(name="IMG_0001.jpg"))
            die()
        """,
    )
    assert len(evidence.list_evidence(ctx, inspection_id)) == 2
    assert housekeeping.clean_at_start(ctx).empty_items == 1
    assert [i.id for i in evidence.list_evidence(ctx, inspection_id)] == [kept]
