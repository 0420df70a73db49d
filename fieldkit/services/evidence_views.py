"""What the evidence screens need besides evidence.py: file counts while adding, thumbnails to show."""

from __future__ import annotations

import bisect
import hashlib
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fieldkit.services import evidence
from fieldkit.services.context import Context
from fieldkit.services.evidence import AddFilesReport
from fieldkit.store.evidence_files import EvidenceFileError, scan_folder

log = logging.getLogger(__name__)

MAX_THUMBNAIL = 4 * 1024 * 1024  # thumbnails are ~20 KB; anything this big is not one


@dataclass(frozen=True)
class AddProgress:
    """Where an add_files run stands: bytes (for the bar) and whole files (for the officer)."""

    done_bytes: int
    total_bytes: int
    files_done: int
    files_total: int


def expand_sources(sources: Sequence[Path]) -> list[Path]:
    """Files and folders (a camera card) as the list of files add_files will take, in its order."""
    paths: list[Path] = []
    for src in sources:
        paths.extend(scan_folder(src) if src.is_dir() else [src])
    return paths


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def add_files_counted(
    ctx: Context,
    item_id: uuid.UUID,
    sources: Sequence[Path],
    *,
    report: Callable[[AddProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> AddFilesReport:
    """evidence.add_files, reporting how many whole files are done as well as the bytes.

    The folders are scanned once here and the file list handed on, so the counts match what is added.
    """
    paths = expand_sources(sources)
    ends: list[int] = []
    running = 0
    for path in paths:
        running += _size(path)
        ends.append(running)

    def progress(done: int, total: int) -> None:
        if report is not None:
            report(AddProgress(done, total, bisect.bisect_right(ends, done), len(paths)))

    if report is not None:
        report(AddProgress(0, running, 0, len(paths)))
    return evidence.add_files(ctx, item_id, paths, progress=progress, cancelled=cancelled)


def thumbnail_bytes(ctx: Context, thumbnail_sha256: str) -> bytes | None:
    """A stored thumbnail (JPEG), checked against its hash; None when missing, changed or too big."""
    try:
        with evidence.store(ctx).open(thumbnail_sha256) as f:
            data = f.read(MAX_THUMBNAIL + 1)
    except EvidenceFileError as exc:
        log.warning("thumbnail %s cannot be read: %s", thumbnail_sha256, exc)
        return None
    if len(data) > MAX_THUMBNAIL or hashlib.sha256(data).hexdigest() != thumbnail_sha256:
        log.warning("thumbnail %s does not match its hash; not shown", thumbnail_sha256)
        return None
    return data
