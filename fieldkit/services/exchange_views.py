"""Read views for the 数据交换 screen: imported bundles, conflicts side by side, devices, keys."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, select, text

from fieldkit.bundle import keys
from fieldkit.bundle.envelope import is_envelope
from fieldkit.bundle.errors import BundleRefused
from fieldkit.bundle.reader import VerifyReport
from fieldkit.filelock import lock_fd
from fieldkit.services import at_rest, exchange, housekeeping, inspections
from fieldkit.services.context import Context, get_meta
from fieldkit.services.exchange import ImportReport, TrustOffer, UntrustedDevice
from fieldkit.services.inspections import InspectionListItem
from fieldkit.store.schema import (
    INSPECTION_PAGE_INDEX,
    ImportConflictRow,
    ImportedBundleRow,
    InspectionRow,
    RecordOriginRow,
    TrustedDeviceRow,
)

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
OFFICE_KEY = "office.key"


@dataclass(frozen=True)
class ImportedBundle:
    bundle_id: str
    device_id: str
    device_code: str
    officer: str
    imported_at: dt.datetime
    inserted: int
    updated: int
    conflicts: int


@dataclass(frozen=True)
class ConflictView:
    """An incoming record version that clashed with the stored one of the same version."""

    id: uuid.UUID
    record_type: str
    record_id: str
    version: int
    bundle_id: str
    incoming_device_id: str
    incoming_device_code: str  # "" when no bundle of that device was imported (cannot happen normally)
    detected_at: dt.datetime
    title: str  # a name to recognise the record by
    incoming: dict[str, Any]
    stored: dict[str, Any] | None  # None: the stored record is gone
    reason: str = "version"  # version / owner / frozen (ImportConflictRow.reason)


@dataclass(frozen=True)
class TrustedDevice:
    fingerprint: str
    name: str
    added_at: dt.datetime
    device_code: str = ""  # "" until given at trust time or bound by its first bundle

    @property
    def grouped_fingerprint(self) -> str:
        return keys.format_fingerprint(self.fingerprint)


@dataclass(frozen=True)
class PublicKeyInfo:
    pem: str
    fingerprint: str  # grouped by four for reading aloud over the phone
    device_code: str

    @property
    def hex_fingerprint(self) -> str:
        """The fingerprint as 64 hex digits, as scripts and `--trust-fingerprint` take it."""
        return keys.normalize_fingerprint(self.fingerprint)


def imported_bundles(ctx: Context) -> list[ImportedBundle]:
    """Every bundle imported into this store, newest first."""
    with ctx.sessions() as session:
        rows = session.scalars(select(ImportedBundleRow).order_by(ImportedBundleRow.imported_at.desc()))
        return [
            ImportedBundle(
                r.bundle_id,
                r.device_id,
                r.device_code,
                r.officer,
                r.imported_at,
                int(r.summary.get("inserted", 0)),
                int(r.summary.get("updated", 0)),
                int(r.summary.get("conflicts", 0)),
            )
            for r in rows
        ]


def has_imported_bundles(ctx: Context) -> bool:
    with ctx.sessions() as session:
        return session.scalar(select(ImportedBundleRow.bundle_id).limit(1)) is not None


def imported_bundle(ctx: Context, bundle_id: str) -> ImportedBundle | None:
    return next((b for b in imported_bundles(ctx) if b.bundle_id == bundle_id), None)


def device_codes(ctx: Context) -> dict[str, str]:
    """device_id → 本机编号, for this laptop and every device a bundle was imported from."""
    with ctx.sessions() as session:
        codes = dict(
            session.execute(select(ImportedBundleRow.device_id, ImportedBundleRow.device_code)).all()
        )
        own = get_meta(session, "device_code")
    if own:
        codes[ctx.device_id] = own
    return codes


def _title(data: dict[str, Any]) -> str:
    for key in ("name", "original_name", "title", "number", "place", "kind"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def conflict_views(ctx: Context) -> list[ConflictView]:
    """Unresolved conflicts, oldest first, each with the stored record's values beside the incoming."""
    codes = device_codes(ctx)
    out: list[ConflictView] = []
    with ctx.sessions() as session:
        # The code the laptop had when it sent the record, not the one it may have now.
        bundle_codes = dict(
            session.execute(select(ImportedBundleRow.bundle_id, ImportedBundleRow.device_code)).all()
        )
        rows = session.scalars(
            select(ImportConflictRow)
            .where(ImportConflictRow.resolved.is_(False))
            .order_by(ImportConflictRow.detected_at)
        ).all()
        for r in rows:
            cls = exchange.BY_TYPE.get(r.record_type)
            stored_row = None
            if cls is not None:
                with contextlib.suppress(ValueError):
                    stored_row = session.get(cls, uuid.UUID(r.record_id))
            stored = None if stored_row is None else exchange.row_data(stored_row)
            out.append(
                ConflictView(
                    r.id,
                    r.record_type,
                    r.record_id,
                    r.version,
                    r.bundle_id,
                    r.incoming_device_id,
                    bundle_codes.get(r.bundle_id) or codes.get(r.incoming_device_id, ""),
                    r.detected_at,
                    _title(dict(r.incoming)) or _title(stored or {}),
                    dict(r.incoming),
                    stored,
                    r.reason,
                )
            )
    return out


def trusted_device_list(ctx: Context) -> list[TrustedDevice]:
    with ctx.sessions() as session:
        rows = session.scalars(select(TrustedDeviceRow).order_by(TrustedDeviceRow.added_at))
        return [TrustedDevice(r.fingerprint, r.name, r.added_at, r.device_code or "") for r in rows]


def device_public_key(ctx: Context) -> PublicKeyInfo:
    """This laptop's signing key (made if missing), to register with the office."""
    pem = exchange.ensure_device_key(ctx)
    fp = keys.fingerprint(keys.load_device_public_key(pem))
    with ctx.sessions() as session:
        code = get_meta(session, "device_code") or ""
    return PublicKeyInfo(pem, keys.format_fingerprint(fp), code)


def office_key_path(ctx: Context) -> Path:
    return ctx.data_dir / "keys" / OFFICE_KEY


def office_public_key(ctx: Context) -> PublicKeyInfo | None:
    """The office's public key (to give to the laptops) if this store holds the office key pair."""
    path = office_key_path(ctx)
    if not path.exists():
        return None
    public = at_rest.office_private_key(ctx, path).public_key()
    return PublicKeyInfo(keys.public_key_pem(public), keys.format_fingerprint(keys.fingerprint(public)), "")


def fingerprint_of_pem(pem: str) -> str:
    """The grouped fingerprint of a device public key PEM (raises KeyFileError if it is not one)."""
    return keys.format_fingerprint(keys.fingerprint(keys.load_device_public_key(pem)))


def is_encrypted(path: Path) -> bool:
    """True for a bundle wrapped for the office (FKENC1), whatever its file name."""
    try:
        return is_envelope(path)
    except OSError:
        return False  # verify will name the problem


@contextlib.contextmanager
def _plain(ctx: Context, path: Path, key_path: Path | None, progress: Progress | None) -> Iterator[Path]:
    """The bundle itself, or its decrypted copy in the data dir (removed afterwards)."""
    if not is_encrypted(path):
        yield path
        return
    work = Path(tempfile.mkdtemp(prefix=housekeeping.IMPORT_WORK_PREFIX, dir=ctx.data_dir))
    # Held while the plaintext copy exists; a copy whose lock is free was left by a killed run
    # and is removed at the next start (housekeeping).
    lock = os.open(work / housekeeping.WORK_LOCK, os.O_CREAT | os.O_RDWR, 0o600)
    lock_fd(lock)
    try:
        name = path.name.removesuffix(".enc")
        out = work / (name if name.endswith(".fkb") else name + ".fkb")
        yield exchange.decrypt(
            path,
            key_path or office_key_path(ctx),
            out,
            progress=progress,
            wrap_key=at_rest.key_wrap(ctx.data_key),
        )
    finally:
        os.close(lock)  # first: Windows cannot remove an open file
        # Renamed before it is emptied: rmtree may take the lock first, and a copy killed then
        # would look like a folder just made (kept a minute); a finished one goes at any start.
        gone = work.with_name(work.name + housekeeping.WORK_FINISHED)
        try:
            os.replace(work, gone)
        except OSError:
            gone = work
        shutil.rmtree(gone, ignore_errors=True)


def verify_file(
    ctx: Context,
    path: Path,
    *,
    key_path: Path | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> VerifyReport:
    """Check a bundle (decrypting an encrypted one first) without importing anything."""
    with _plain(ctx, path, key_path, progress) as plain:
        return exchange.verify(ctx, plain, progress=progress, cancelled=cancelled)


@dataclass(frozen=True)
class BundleCheck:
    """`bundle verify` / 校验: the checks, and what importing would do, counted as the import counts."""

    report: VerifyReport
    preview: ImportReport | None  # None when the import would be refused
    problems: list[str]  # why it would be refused ([] when it would import)
    offer: TrustOffer | None  # a sound bundle of a laptop not registered yet

    @property
    def ok(self) -> bool:
        return self.preview is not None


def check_file(
    ctx: Context,
    path: Path,
    *,
    key_path: Path | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> BundleCheck:
    """Verify a bundle (decrypted with the office key if it is encrypted) and count what importing
    it would add, update or leave unchanged, without writing anything."""
    with _plain(ctx, path, key_path, progress) as plain:
        report = exchange.verify(ctx, plain, progress=progress, cancelled=cancelled)
        try:
            preview = exchange.preview_import(ctx, plain, report)
        except UntrustedDevice as exc:
            return BundleCheck(report, None, list(exc.problems), exc.offer)
        except BundleRefused as exc:
            return BundleCheck(report, None, list(exc.problems), None)
    return BundleCheck(report, preview, [], None)


def import_file(
    ctx: Context,
    path: Path,
    *,
    key_path: Path | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> ImportReport:
    """Import a bundle file; an encrypted one is decrypted first (into the data dir, removed after)."""
    with _plain(ctx, path, key_path, progress) as plain:
        return exchange.import_bundle(ctx, plain, progress=progress, cancelled=cancelled)


@dataclass(frozen=True)
class OriginListItem(InspectionListItem):
    """An inspection list row with the 本机编号 of the device that made it ("" for this laptop)."""

    origin: str = ""


def inspection_items_with_origin(ctx: Context, ids: Sequence[uuid.UUID]) -> list[OriginListItem]:
    """inspections.inspection_items plus where each record came from (office mode: imported bundles)."""
    items = inspections.inspection_items(ctx, ids)
    origins = inspection_origins(ctx, [i.id for i in items])
    return [
        OriginListItem(**{f.name: getattr(i, f.name) for f in fields(i)}, origin=origins.get(i.id, ""))
        for i in items
    ]


def inspection_origins(ctx: Context, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The 本机编号 of the device that made each inspection ("" for this laptop's own), as it was
    when the inspection arrived: a laptop that later starts a new series under another code does
    not relabel what it sent before (issue 10 item 7)."""
    codes = device_codes(ctx)
    with ctx.sessions() as session:
        # From the list's covering index, not the rows: see inspections._page_query.
        pairs = session.execute(
            text(f"SELECT id, device_id FROM inspection INDEXED BY {INSPECTION_PAGE_INDEX} WHERE id IN :ids")
            .bindparams(bindparam("ids", expanding=True, type_=InspectionRow.__table__.c.id.type))
            .columns(InspectionRow.id, InspectionRow.device_id),
            {"ids": list(ids)},
        ).all()
        at_import = dict(
            session.execute(
                select(RecordOriginRow.record_id, RecordOriginRow.device_code).where(
                    RecordOriginRow.record_type == InspectionRow.__tablename__,
                    RecordOriginRow.record_id.in_([str(i) for i, _d in pairs]),
                )
            ).all()
        )
    return {
        i: ("" if device == ctx.device_id else at_import.get(str(i)) or codes.get(device, device[:8]))
        for i, device in pairs
    }
