"""证据: evidence items, their hashed files (copied, never modified), freezing, verification."""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
import stat
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fieldkit.domain.evidence import EvidenceDraft, EvidenceKind, kind_for_media, validate_evidence
from fieldkit.domain.problems import Problem
from fieldkit.errors import Cancelled, EditConflict, FieldkitError, NotFound, ValidationFailed
from fieldkit.services import housekeeping, matters, records
from fieldkit.services.at_rest import files_of
from fieldkit.services.context import Context
from fieldkit.store.evidence_files import (
    Encrypted,
    EvidenceFileError,
    EvidenceStore,
    SourceUnreadable,
    StoreProblem,
    scan_folder,
)
from fieldkit.store.exif import read_media_info, thumbnail_jpeg
from fieldkit.store.schema import DocumentRevisionRow, EvidenceFileRow, EvidenceItemRow

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


@dataclass(frozen=True)
class EvidenceFile:
    id: uuid.UUID
    sha256: str
    size: int
    original_name: str
    mime: str
    taken_at: dt.datetime | None
    gps: tuple[float, float] | None
    camera: str
    exif_status: str
    thumbnail_sha256: str | None


@dataclass(frozen=True)
class EvidenceItem:
    id: uuid.UUID
    matter_id: uuid.UUID
    seq: int
    draft: EvidenceDraft
    status: str  # draft / final
    version: int
    files: tuple[EvidenceFile, ...]

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)


@dataclass
class AddFilesReport:
    added: int = 0  # files newly attached to the item
    already_attached: int = 0  # the same content was already on this item
    bytes: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)  # {"file", "reason"}: nothing of it was kept


def store(ctx: Context) -> EvidenceStore:
    """The encrypted store of this data dir's files (at_rest.files_of: evidence, PDFs, thumbnails…)."""
    return files_of(ctx)


def plain_files_left(ctx: Context) -> bool:
    """True if stored files of a store made before encryption may still be in the clear (cheap)."""
    return files_of(ctx).plain_files_left()


def encrypt_plain_files(
    ctx: Context, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
) -> Encrypted:
    """Encrypt every stored file still in the clear, in place, crash-safe (issue 13.4): run once after
    an upgrade, on a worker thread in the GUI (progress in plaintext bytes, cancellable: the next run
    goes on), before other work in the CLI. A read-only data dir is left as it is."""
    if ctx.read_only:
        return Encrypted(0, 0)
    with housekeeping.in_flight(ctx, "encrypt_files"):
        return files_of(ctx).encrypt_plain_files(progress, cancelled)


def _draft(row: EvidenceItemRow) -> EvidenceDraft:
    return EvidenceDraft(
        name=row.name,
        kind=EvidenceKind(row.kind),
        source=row.source,
        proves=row.proves,
        quantity=row.quantity,
        collected_at=row.collected_at,
        collected_place=row.collected_place,
        collected_by=tuple(row.collected_by),
        note=row.note,
    )


def _values(draft: EvidenceDraft) -> dict[str, object]:
    return {
        "name": draft.name.strip(),
        "kind": str(draft.kind),
        "source": draft.source.strip(),
        "proves": draft.proves.strip(),
        "quantity": draft.quantity.strip(),
        "collected_at": draft.collected_at,
        "collected_place": draft.collected_place.strip(),
        "collected_by": list(draft.collected_by),
        "note": draft.note.strip(),
    }


def add_evidence_item(ctx: Context, matter_id: uuid.UUID, draft: EvidenceDraft) -> uuid.UUID:
    if problems := validate_evidence(draft, ctx.now()):
        raise ValidationFailed(problems)
    with ctx.sessions.begin() as session:
        matter = matters.live_in(session, matter_id)
        seq = session.scalar(
            select(func.coalesce(func.max(EvidenceItemRow.seq), 0)).where(
                EvidenceItemRow.matter_id == matter_id
            )
        )
        # Defaults from the matter's work (for an inspection, the visit): when, where, who was there.
        draft = replace(
            draft,
            collected_at=draft.collected_at or ctx.now(),
            collected_place=draft.collected_place or matter.place,
            collected_by=draft.collected_by or matter.officer_names,
        )
        row = EvidenceItemRow(matter_id=matter_id, seq=int(seq or 0) + 1, status="draft", **_values(draft))
        records.create(session, ctx, row)
        return row.id


def update_evidence_item(
    ctx: Context,
    item_id: uuid.UUID,
    draft: EvidenceDraft,
    *,
    reason: str = "",
    base_version: int | None = None,
) -> None:
    """A finalised item changes only as a new version with a reason (chain of custody).

    `base_version`: the version the dialog loaded; changed since elsewhere → EditConflict, nothing
    saved (no lost update, issue 11.5)."""
    if problems := validate_evidence(draft, ctx.now()):
        raise ValidationFailed(problems)
    with ctx.sessions.begin() as session:
        row = _live(session, item_id)
        if base_version is not None and row.version != base_version:
            raise EditConflict(
                records.conflict_message("这项证据", row.version, row.updated_at), current_version=row.version
            )
        if row.status == "final" and not reason.strip():
            raise ValidationFailed(
                [Problem("reason", "required", "变更理由：该证据已随证据清单定稿，修改须写明理由")]
            )
        records.update(
            session, ctx, row, _values(draft), detail={"reason": reason.strip()} if reason else None
        )


def _live(session: Session, item_id: uuid.UUID) -> EvidenceItemRow:
    row = session.get(EvidenceItemRow, item_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("找不到该证据")
    return row


def remove_evidence_item(ctx: Context, item_id: uuid.UUID, *, reason: str = "") -> None:
    with ctx.sessions.begin() as session:
        row = _live(session, item_id)
        if row.status == "final" and not reason.strip():
            raise ValidationFailed([Problem("reason", "required", "删除理由：该证据已定稿，删除须写明理由")])
        records.tombstone(session, ctx, row)


def check_sources(sources: Sequence[Path]) -> None:
    """Refuse, before anything is made, a source that is neither a folder nor a regular file: a
    pipe (FIFO) would make the copy wait forever for a writer, a device never ends."""
    for src in sources:
        try:
            mode = os.stat(src).st_mode
        except FileNotFoundError:
            raise SourceUnreadable(f"找不到文件：{src}", path=src) from None
        except OSError as exc:
            raise SourceUnreadable(f"无法读取 {src}（{exc.strerror or exc}）", path=src) from exc
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise SourceUnreadable(
                f"证据文件：{src} 不是普通文件（是管道、设备或套接字），不能作为证据添加", path=src
            )


def add_files(
    ctx: Context,
    item_id: uuid.UUID,
    sources: Sequence[Path],
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    made_for_these_files: bool = False,
) -> AddFilesReport:
    """Copy files (or whole folders, e.g. a camera card) into the store and attach them.

    `made_for_these_files`: the item was just created to hold these files (`evidence add`); if the
    run is killed before any file is attached, the next start removes the empty item. An item
    the officer described in the GUI is never removed that way.

    Each file is attached in its own transaction after it is safely stored, so a failure or a
    cancel leaves the item with whole files only; the report names every file that failed.
    """
    paths: list[Path] = []
    for src in sources:
        paths.extend(scan_folder(src) if src.is_dir() else [src])
    total = sum(_size(p) for p in paths)
    report = AddFilesReport()
    files = store(ctx)
    with ctx.sessions() as session:
        frozen = _live(session, item_id).status == "final"
        empty = not session.scalar(
            select(func.count()).select_from(EvidenceFileRow).where(EvidenceFileRow.item_id == item_id)
        )
    if frozen:
        raise FieldkitError("该证据已定稿，不能再添加文件；请新建一项证据")
    # Marked while it runs: if killed, the next start removes what it left (housekeeping), and
    # an item made just for these files (`evidence add`) that got none of them.
    with housekeeping.in_flight(
        ctx, "evidence_add", item_id=str(item_id), item_was_empty=empty and made_for_these_files
    ):
        _add_all(ctx, item_id, paths, files, report, total, progress, cancelled)
    return report


@dataclass(frozen=True)
class NewEvidence:
    """What add_evidence_from_files made: the item, as named and classed, and how its files went."""

    item_id: uuid.UUID
    name: str
    kind: EvidenceKind
    report: AddFilesReport


def default_evidence_name(sources: Sequence[Path]) -> str:
    """An item made from files is named after them: the first three, then 等."""
    return "、".join(p.name for p in sources[:3]) + ("等" if len(sources) > 3 else "")


def add_evidence_from_files(
    ctx: Context,
    matter_id: uuid.UUID,
    sources: Sequence[Path],
    *,
    kind: EvidenceKind | None = None,
    name: str = "",
    progress: Progress | None = None,
) -> NewEvidence:
    """One new evidence item holding these files or folders (a camera card): `fieldkit evidence add`.

    The name defaults to the files' names, the kind to what the first file's media type suggests.
    The item is made in one transaction and each file attached in its own (see add_files). The run is
    marked from before the item exists: killed at any point, the next start removes an item left
    without files (housekeeping), and any file stored without its record.
    """
    sources = list(sources)
    check_sources(sources)  # a pipe or a device is refused before any item is made
    first = next((f for src in sources for f in (scan_folder(src) if src.is_dir() else [src])), sources[0])
    kind = kind or kind_for_media(mimetypes.guess_type(first.name)[0])
    name = name or default_evidence_name(sources)
    with housekeeping.in_flight(ctx, "evidence_add", matter_id=str(matter_id), item_name=name):
        item_id = add_evidence_item(ctx, matter_id, EvidenceDraft(name=name, kind=kind))
        report = add_files(ctx, item_id, sources, progress=progress, made_for_these_files=True)
    return NewEvidence(item_id, name, kind, report)


def _add_all(
    ctx: Context,
    item_id: uuid.UUID,
    paths: list[Path],
    files: EvidenceStore,
    report: AddFilesReport,
    total: int,
    progress: Progress | None,
    cancelled: IsCancelled | None,
) -> None:
    done = 0
    for path in paths:
        if cancelled is not None and cancelled():
            raise Cancelled(f"已取消：已添加 {report.added} 个文件，其余未添加")
        base = done

        def file_progress(n: int, _total: int, base: int = base) -> None:
            if progress is not None:
                progress(base + n, total)

        try:
            stored = files.add_file(path, progress=file_progress, cancelled=cancelled)
        except EvidenceFileError as exc:
            report.failed.append({"file": str(path), "reason": str(exc)})
            done += _size(path)
            continue
        info, thumb = _media(files, stored.sha256, path.name)
        with ctx.sessions.begin() as session:
            exists = session.scalar(
                select(EvidenceFileRow.id).where(
                    EvidenceFileRow.item_id == item_id,
                    EvidenceFileRow.sha256 == stored.sha256,
                    EvidenceFileRow.deleted_at.is_(None),
                )
            )
            if exists is not None:
                report.already_attached += 1
            else:
                position = session.scalar(
                    select(func.count())
                    .select_from(EvidenceFileRow)
                    .where(EvidenceFileRow.item_id == item_id)
                )
                records.create(
                    session,
                    ctx,
                    EvidenceFileRow(
                        item_id=item_id,
                        position=int(position or 0),
                        sha256=stored.sha256,
                        size=stored.size,
                        original_name=path.name[:260],
                        mime=info.mime or "",
                        taken_at=info.taken_at,
                        gps_lat=info.gps_lat,
                        gps_lon=info.gps_lon,
                        camera=" ".join(x for x in (info.camera_make, info.camera_model) if x)[:120],
                        exif_status=info.exif_status,
                        thumbnail_sha256=thumb,
                    ),
                    detail={"sha256": stored.sha256, "name": path.name},
                )
                report.added += 1
                report.bytes += stored.size
        done += stored.size
        if progress is not None:
            progress(done, total)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _media(files: EvidenceStore, sha256: str, name: str):  # type: ignore[no-untyped-def]
    """EXIF and a thumbnail, read from the stored copy (never from the original again)."""
    with files.open(sha256) as f:
        info = read_media_info(f, name)
    thumb = None
    if info.kind == "image":
        with files.open(sha256) as f:
            data = thumbnail_jpeg(f)
        if data is not None:  # made in memory: no plaintext copy of the picture touches the disk
            thumb = files.add_bytes(data, name="thumb.jpg").sha256
    return info, thumb


def list_evidence(ctx: Context, matter_id: uuid.UUID) -> list[EvidenceItem]:
    with ctx.sessions() as session:
        items = session.scalars(
            select(EvidenceItemRow)
            .where(EvidenceItemRow.matter_id == matter_id, EvidenceItemRow.deleted_at.is_(None))
            .order_by(EvidenceItemRow.seq)
        ).all()
        file_rows = session.scalars(
            select(EvidenceFileRow)
            .where(EvidenceFileRow.item_id.in_([i.id for i in items]), EvidenceFileRow.deleted_at.is_(None))
            .order_by(EvidenceFileRow.position)
        ).all()
    by_item: dict[uuid.UUID, list[EvidenceFile]] = {}
    for f in file_rows:
        by_item.setdefault(f.item_id, []).append(
            EvidenceFile(
                f.id,
                f.sha256,
                f.size,
                f.original_name,
                f.mime,
                f.taken_at,
                (f.gps_lat, f.gps_lon) if f.gps_lat is not None and f.gps_lon is not None else None,
                f.camera,
                f.exif_status,
                f.thumbnail_sha256,
            )
        )
    return [
        EvidenceItem(i.id, i.matter_id, i.seq, _draft(i), i.status, i.version, tuple(by_item.get(i.id, [])))
        for i in items
    ]


def finalise_evidence(ctx: Context, matter_id: uuid.UUID, *, actor: str = "") -> int:
    """Freeze the matter's evidence (called when its evidence list is printed for signature)."""
    with ctx.sessions.begin() as session:
        rows = session.scalars(
            select(EvidenceItemRow).where(
                EvidenceItemRow.matter_id == matter_id,
                EvidenceItemRow.deleted_at.is_(None),
                EvidenceItemRow.status == "draft",
            )
        ).all()
        for row in rows:
            records.update(
                session,
                ctx,
                row,
                {"status": "final", "finalised_at": ctx.now()},
                action="finalise",
                actor=actor,
            )
        return len(rows)


def referenced_hashes(session: Session) -> set[str]:
    """Every stored file the records rely on: evidence, thumbnails, finalised PDFs and scans."""
    hashes: set[str] = set()
    for sha, thumb in session.execute(
        select(EvidenceFileRow.sha256, EvidenceFileRow.thumbnail_sha256).where(
            EvidenceFileRow.deleted_at.is_(None)
        )
    ):
        hashes.add(sha)
        if thumb:
            hashes.add(thumb)
    for pdf, attachments in session.execute(
        select(DocumentRevisionRow.pdf_sha256, DocumentRevisionRow.attachments)
    ):
        hashes.add(pdf)
        hashes.update(a["sha256"] for a in attachments)
    return hashes


def verify_files(
    ctx: Context, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
) -> list[StoreProblem]:
    """Re-hash every stored file; name each one that is missing or changed, and each record that
    points at another file than the one it was made with (issue 11 item 2)."""
    from fieldkit.services.integrity import evidence_bindings

    with ctx.sessions() as session:
        expected = referenced_hashes(session)
    problems = store(ctx).verify_all(progress, cancelled, expected=sorted(expected))
    return problems + evidence_bindings(ctx)
