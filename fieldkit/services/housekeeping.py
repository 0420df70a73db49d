"""Leftovers of killed runs, cleaned at the next start — never anything a committed record refers to.

A process killed mid-way (kill -9, power cut, a pulled plug) can leave: half-copied files in
evidence/.tmp, decrypted copies of an encrypted bundle (`import-*` folders in the data dir),
stored files whose record was never committed, and an evidence item created by `evidence add`
that never got its files. Every long write runs inside in_flight(), which keeps a locked marker
in `<data>/.inflight/`; the OS drops the lock when the process dies, so at the next start an
unlocked marker says "this run died" and the sweep for orphan stored files runs only then.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from fieldkit.filelock import is_abandoned, lock_fd
from fieldkit.services import at_rest, records
from fieldkit.services.context import Context
from fieldkit.store.schema import EvidenceFileRow, EvidenceItemRow

log = logging.getLogger(__name__)

INFLIGHT_DIR = ".inflight"
IMPORT_WORK_PREFIX = "import-"  # exchange_views decrypts an encrypted bundle into such a folder
WORK_LOCK = ".lock"
WORK_FINISHED = ".done"  # a decrypted copy its import has finished with, being removed
_HASH_IN_TEXT = re.compile(r"[0-9a-f]{64}")


@dataclass
class Leftovers:
    """What the start-up clean found and removed (for the log and the status bar)."""

    temp_files: int = 0  # half-copied files in evidence/.tmp
    temp_bytes: int = 0
    work_dirs: int = 0  # decrypted bundle copies of killed imports
    orphan_files: int = 0  # stored files no record refers to
    orphan_bytes: int = 0
    empty_items: int = 0  # evidence items a killed `evidence add` left without files
    died: list[str] = field(default_factory=list)  # kinds of the runs found dead

    @property
    def anything(self) -> bool:
        return bool(self.temp_files or self.work_dirs or self.orphan_files or self.empty_items)

    def summary(self) -> str:
        parts = []
        if self.temp_files:
            parts.append(f"{self.temp_files} 个未复制完的临时文件（{_mb(self.temp_bytes)}）")
        if self.work_dirs:
            parts.append(f"{self.work_dirs} 个中断导入留下的解密副本")
        if self.orphan_files:
            parts.append(f"{self.orphan_files} 个没有记录引用的证据文件（{_mb(self.orphan_bytes)}）")
        if self.empty_items:
            parts.append(f"{self.empty_items} 个中断添加后没有任何文件的证据项")
        return "已清理上次中断留下的：" + "、".join(parts) if parts else ""


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


@contextlib.contextmanager
def in_flight(ctx: Context, kind: str, **facts: Any) -> Iterator[None]:
    """Mark a long write as running, for as long as the block runs (see the module docstring).

    If the marker cannot be written (read-only data dir), the work goes on unmarked: the work
    itself will then say what is wrong.
    """
    folder = ctx.data_dir / INFLIGHT_DIR
    path = folder / f"{uuid.uuid4()}.json"
    fd = -1
    try:
        folder.mkdir(exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        lock_fd(fd)
        body = {"kind": kind, "pid": os.getpid(), "started_at": ctx.now().isoformat(), **facts}
        os.write(fd, json.dumps(body, ensure_ascii=False).encode("utf-8"))
    except OSError:
        log.warning("cannot mark %s as in flight in %s", kind, folder, exc_info=True)
    try:
        yield
    finally:
        if fd >= 0:
            with contextlib.suppress(OSError):
                path.unlink()
            os.close(fd)


def dead_runs(ctx: Context) -> list[tuple[Path, dict[str, Any]]]:
    """Markers of runs that died mid-way (no live process holds them)."""
    folder = ctx.data_dir / INFLIGHT_DIR
    found: list[tuple[Path, dict[str, Any]]] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        if not is_abandoned(path):
            continue  # a live run
        try:
            body = json.loads(path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            body = {}  # killed before it wrote its facts
        found.append((path, body if isinstance(body, dict) else {}))
    return found


def referenced_hashes(ctx: Context) -> set[str]:
    """Every SHA-256 any committed row mentions, in any table and column (evidence, thumbnails,
    PDFs, scans, signature images, audit details…). Deliberately broad: a file is an orphan only
    if nothing anywhere names it."""
    found: set[str] = set()
    with ctx.sessions() as session:
        tables = session.execute(
            text("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ).scalars()
        for table in list(tables):
            if "fts" in table or table.startswith("search"):
                continue  # the search index holds copies of text, never hashes
            quoted = '"' + table.replace('"', '""') + '"'
            for row in session.execute(text(f"SELECT * FROM {quoted}")):  # names from sqlite_master
                for value in row:
                    if isinstance(value, str) and len(value) >= 64:
                        found.update(_HASH_IN_TEXT.findall(value))
                    elif isinstance(value, bytes) and len(value) >= 64:
                        found.update(_HASH_IN_TEXT.findall(value.decode("latin-1")))
    return found


def clean_at_start(ctx: Context, *, crashed: bool = False, orphan_age: float = 120.0) -> Leftovers:
    """Remove what killed runs left. Cheap unless a run died (or the GUI session `crashed`): then
    also orphan stored files and empty evidence items.

    Safe while other FieldKit processes run on the same data dir: files they hold locked, their
    markers and anything touched in the last `orphan_age` seconds are left alone, and a stored file
    is removed only if no row anywhere names its hash (checked again right before).
    """
    out = Leftovers()
    if ctx.read_only:
        return out  # nothing can be removed now; the next writable start does it
    files = at_rest.files_of(ctx)
    try:
        out.temp_files, out.temp_bytes = files.sweep_temp_files(older_than=min(60.0, orphan_age))
        out.work_dirs = _sweep_work_dirs(ctx.data_dir)
        dead = dead_runs(ctx)
        if dead or crashed:
            out.died = [str(body.get("kind", "?")) for _p, body in dead]
            _remove_empty_items(ctx, dead, out)
            orphans = files.orphans(lambda: referenced_hashes(ctx))
            young = [p for p, age in orphans if age < orphan_age]
            old = [p for p, age in orphans if age >= orphan_age]
            if old:
                still = referenced_hashes(ctx)  # asked again right before deleting
                old = [p for p in old if p.name not in still]
            for path in old:
                out.orphan_bytes += files.remove_orphan(path)
                out.orphan_files += 1
            if not young:  # else keep the markers: the sweep runs again at the next start
                for path, _body in dead:
                    with contextlib.suppress(OSError):
                        path.unlink()
    except OSError as exc:  # a read-only or full data dir: nothing can be cleaned now, nothing is lost
        log.warning("start-up clean skipped: %s", exc)
    if out.anything:
        log.info("%s", out.summary())
    return out


def _sweep_work_dirs(data_dir: Path) -> int:
    count = 0
    for work in sorted(data_dir.glob(IMPORT_WORK_PREFIX + "*")):
        if not work.is_dir() or work.is_symlink():
            continue
        lock = work / WORK_LOCK
        if work.name.endswith(WORK_FINISHED):
            pass  # its import was done with it: killed while removing it
        elif lock.exists() and not is_abandoned(lock):
            continue  # an import is decrypting into it right now
        elif not lock.exists() and time.time() - work.stat().st_mtime < 60:
            continue  # just made, its lock not yet taken
        shutil.rmtree(work, ignore_errors=True)
        count += 1
    return count


def _remove_empty_items(ctx: Context, dead: list[tuple[Path, dict[str, Any]]], out: Leftovers) -> None:
    """An item a killed `evidence add` made for its files, still without any file, goes (audited).

    The run names the item by id once it exists; before that (killed between making the item
    and marking it) by inspection, name and start time, so no window is left uncovered."""
    for _path, body in dead:
        if body.get("kind") != "evidence_add":
            continue
        for item_id in _items_of(ctx, body):
            _remove_if_empty(ctx, item_id, out)


def _items_of(ctx: Context, body: dict[str, Any]) -> list[uuid.UUID]:
    try:
        if body.get("item_was_empty") and body.get("item_id"):
            return [uuid.UUID(str(body["item_id"]))]
        # A run killed under the previous release noted the matter as its inspection_id.
        matter = body.get("matter_id") or body.get("inspection_id")
        if body.get("item_name") and matter and body.get("started_at"):
            since = dt.datetime.fromisoformat(str(body["started_at"]))
            with ctx.sessions() as session:
                return list(
                    session.scalars(
                        select(EvidenceItemRow.id).where(
                            EvidenceItemRow.matter_id == uuid.UUID(str(matter)),
                            EvidenceItemRow.name == str(body["item_name"]),
                            EvidenceItemRow.created_at >= since,
                            EvidenceItemRow.device_id == ctx.device_id,
                        )
                    )
                )
    except ValueError:
        pass
    return []


def _remove_if_empty(ctx: Context, item_id: uuid.UUID, out: Leftovers) -> None:
    with ctx.sessions.begin() as session:
        row = session.get(EvidenceItemRow, item_id)
        if row is None or row.deleted_at is not None or row.status == "final":
            return
        files = session.scalar(
            select(func.count()).select_from(EvidenceFileRow).where(EvidenceFileRow.item_id == item_id)
        )
        if files:
            return
        records.tombstone(
            session,
            ctx,
            row,
            detail={"reason": "上次添加证据文件时程序中断，此证据项没有任何文件，已自动清除"},
        )
        out.empty_items += 1
