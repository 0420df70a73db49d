"""Bundles in and out of the store: device keys, export, verify, office trust, import and merge."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import itertools
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    func,
    inspect,
    literal_column,
    select,
    text,
    tuple_,
    type_coerce,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fieldkit import __version__
from fieldkit.bundle import discard_abandoned_parts, keys
from fieldkit.bundle.canonical import canonical_json
from fieldkit.bundle.envelope import decrypt_bundle
from fieldkit.bundle.errors import BundleRefused as BundleRefused  # callers catch it from here
from fieldkit.bundle.manifest import DeviceInfo, Manifest
from fieldkit.bundle.reader import RecordIn, VerifyReport, opened_files, records_of, verify_bundle
from fieldkit.bundle.writer import BundleResult, FileOut, NothingToExport, RecordOut, write_bundle
from fieldkit.domain.matters import MatterKind
from fieldkit.domain.problems import Problem
from fieldkit.errors import FieldkitError, NotFound, ValidationFailed
from fieldkit.filelock import lock_fd
from fieldkit.services import anchor, at_rest, housekeeping, intake, matters, record_checks, records
from fieldkit.services.context import Context, get_meta
from fieldkit.store import audit, bulk, search
from fieldkit.store.schema import (
    AgencyRow,
    AuditRow,
    Base,
    DocumentRevisionRow,
    DocumentRow,
    EvidenceFileRow,
    EvidenceItemRow,
    ExportStateRow,
    FollowUpRow,
    ImportConflictRow,
    ImportedAuditRow,
    ImportedBundleRow,
    InspectionRow,
    MatterRow,
    MeasureRow,
    RecordOriginRow,
    SubjectRow,
    TrustedDeviceRow,
)

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

# Parents before children, so foreign keys hold while a bundle is merged. The agency and officer rows
# are each laptop's own settings and do not travel: records carry snapshots of the officers, and the
# bundle's manifest names the device and the officer who exported it.
SYNCED: tuple[type[Base], ...] = (
    SubjectRow,
    InspectionRow,
    DocumentRow,
    DocumentRevisionRow,
    EvidenceItemRow,
    EvidenceFileRow,
    MeasureRow,
    FollowUpRow,
)
BY_TYPE: dict[str, type[Base]] = {cls.__tablename__: cls for cls in SYNCED}
LOCAL_COLUMNS = {"search_rowid", "failed_count"}  # meaningful only inside one store, or derived there
ENVELOPE_COLUMNS = {"id", "version", "device_id"}


class NothingNew(FieldkitError):
    """Nothing changed since the last export: no empty bundle is written."""


# ---- device and office keys ------------------------------------------------------------------------


def device_key_path(ctx: Context) -> Path:
    return ctx.data_dir / "keys" / "device.key"


def ensure_device_key(ctx: Context) -> str:
    """This laptop's Ed25519 key pair, made once (at set-up), the private key stored encrypted
    (services/at_rest.py); returns the public key as PEM."""
    path = device_key_path(ctx)
    if path.exists():
        return keys.public_key_pem(at_rest.device_signing_key(ctx))
    pem = at_rest.make_device_key(ctx)
    anchor.anchor_now(ctx.sessions)  # what set-up logged before the key existed is anchored at once
    return pem


def device_info(ctx: Context) -> DeviceInfo:
    private = at_rest.device_signing_key(ctx)
    with ctx.sessions() as session:
        code = get_meta(session, "device_code") or "X"
        agency = (
            session.scalars(select(AgencyRow.full_name).where(AgencyRow.deleted_at.is_(None))).first() or ""
        )
    return DeviceInfo(
        device_id=ctx.device_id,
        device_code=code,
        name=f"{agency} {code} 号电脑".strip(),
        fingerprint=keys.fingerprint(private.public_key()),
    )


def office_keygen(ctx: Context) -> str:
    """The office's X25519 key pair for encrypted bundles; returns the public key as PEM."""
    path = at_rest.office_key_path(ctx.data_dir)
    if path.exists():
        raise FieldkitError(f"办公室密钥已存在：{path}（如需更换，请先备份并移走旧密钥）")
    return at_rest.make_office_key(ctx)


# ---- records as data --------------------------------------------------------------------------------


def _py_type(column: Any) -> type | None:
    try:
        return column.type.python_type  # a TypeDecorator answers for its impl
    except NotImplementedError:
        return None


def row_data(row: Base) -> dict[str, Any]:
    """A row as canonical-JSON-able data: ISO times, UUID strings, floats as decimal strings."""
    data: dict[str, Any] = {}
    for column in inspect(type(row)).columns:
        name = column.key
        if name in LOCAL_COLUMNS or name in ENVELOPE_COLUMNS:
            continue
        value = getattr(row, name)
        kind = _py_type(column)
        if value is None:
            data[name] = None
        elif kind in (dt.datetime, dt.date):
            data[name] = value.isoformat()
        elif kind is uuid.UUID:
            data[name] = str(value)
        elif kind is float:
            data[name] = repr(float(value))  # canonical JSON has no floats (DESIGN §5)
        else:
            data[name] = value
    return data


def _from_data(cls: type[Base], data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, kind in _data_columns(cls):
        if name not in data:
            continue
        value = data[name]
        if value is not None:
            if kind is dt.datetime:
                value = dt.datetime.fromisoformat(value)
            elif kind is dt.date:
                value = dt.date.fromisoformat(value)
            elif kind is uuid.UUID:
                value = uuid.UUID(value)
            elif kind is float:
                value = float(value)
        values[name] = value
    return values


@functools.cache
def _data_columns(cls: type[Base]) -> tuple[tuple[str, type | None], ...]:
    """(key, Python type) of the columns a record's data carries, in table order (once per class)."""
    return tuple(
        (column.key, _py_type(column))
        for column in inspect(cls).columns
        if column.key not in LOCAL_COLUMNS and column.key not in ENVELOPE_COLUMNS
    )


def _files_of(row: Base) -> list[tuple[str, str, str]]:
    """(sha256, role, label) of the stored files a record relies on."""
    if isinstance(row, EvidenceFileRow):
        out = [(row.sha256, "evidence", row.original_name)]
        if row.thumbnail_sha256:
            out.append((row.thumbnail_sha256, "thumbnail", f"缩略图 {row.original_name}"))
        return out
    if isinstance(row, DocumentRevisionRow):
        out = [(row.pdf_sha256, "pdf", f"文书 {row.number or row.document_id} 第 {row.revision} 版")]
        out += [(a["sha256"], a.get("kind", "scan"), a.get("name", "")) for a in row.attachments]
        return out
    return []


# ---- export ---------------------------------------------------------------------------------------


@dataclass
class ExportPlan:
    """What an export writes. A scoped one holds its few rows; an unscoped one (`streamed`) holds
    only what picks its records — everything, or what export_state has not seen — and reads them
    as it writes."""

    rows: list[Base] = field(default_factory=list)
    audit: list[AuditRow] = field(default_factory=list)
    streamed: bool = False
    everything: bool = False
    last_seq: int = 0  # unscoped and incremental: the audit entries already exported


def _inspection_rows(session: Session, matter_id: uuid.UUID) -> list[Base]:
    """An inspection's own records: its party, then the inspection."""
    inspection = session.get(InspectionRow, matter_id)
    if inspection is None:
        raise NotFound("找不到该检查记录")
    rows: list[Base] = []
    if inspection.subject_id:
        rows.append(session.get(SubjectRow, inspection.subject_id))  # type: ignore[arg-type]
    rows.append(inspection)
    return rows


# The parent's own records in the export of one matter, per kind; the children (documents and their
# revisions, evidence and its files, measures, follow-ups) are the same for every kind (_children).
MATTER_SCOPES: dict[MatterKind, Callable[[Session, uuid.UUID], list[Base]]] = {
    MatterKind.INSPECTION: _inspection_rows,
}


def _children(session: Session, matter_id: uuid.UUID) -> list[Base]:
    rows: list[Base] = []
    documents = list(session.scalars(select(DocumentRow).where(DocumentRow.matter_id == matter_id)))
    rows += documents
    rows += session.scalars(
        select(DocumentRevisionRow).where(DocumentRevisionRow.document_id.in_([d.id for d in documents]))
    )
    items = list(session.scalars(select(EvidenceItemRow).where(EvidenceItemRow.matter_id == matter_id)))
    rows += items
    rows += session.scalars(select(EvidenceFileRow).where(EvidenceFileRow.item_id.in_([i.id for i in items])))
    rows += session.scalars(select(MeasureRow).where(MeasureRow.matter_id == matter_id))
    rows += session.scalars(select(FollowUpRow).where(FollowUpRow.matter_id == matter_id))
    return rows


def _matter_scope(session: Session, matter_id: uuid.UUID) -> list[Base]:
    kind = matters.kind_of(session, matter_id)
    if kind is None:
        raise NotFound("找不到该检查记录或案卷")
    return MATTER_SCOPES[kind](session, matter_id) + _children(session, matter_id)


def plan_export(
    session: Session, *, everything: bool = False, matter_id: uuid.UUID | None = None
) -> ExportPlan:
    plan = ExportPlan()
    if matter_id is not None:  # one matter of any kind (an inspection's id is its matter's id)
        plan.rows = _matter_scope(session, matter_id)
        # The history of every record in scope, so the office can hold each of them against it.
        ids = [str(r.id) for r in plan.rows]  # type: ignore[attr-defined]
        for start in range(0, len(ids), 500):
            plan.audit += session.scalars(
                select(AuditRow).where(AuditRow.record_id.in_(ids[start : start + 500]))
            )
        plan.audit.sort(key=lambda a: a.seq)
        return plan
    plan.streamed = True
    plan.everything = everything
    if not everything:
        plan.last_seq = (
            session.scalar(
                select(ExportStateRow.version).where(
                    ExportStateRow.record_type == "audit_log", ExportStateRow.record_id == "seq"
                )
            )
            or 0
        )
    return plan


# An unscoped export neither loads the store nor holds it in memory (issue 12 §9): which records
# changed is asked of SQLite, against export_state, and the rows are read CHUNK_ROWS at a time, in
# the order the bundle lists them. The export reads all of it in one read transaction (one snapshot),
# so the files it lists and the records that name them agree even while the GUI saves meanwhile.
CHUNK_ROWS = 500


UUID_GROUPS = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))  # substr() positions of 8-4-4-4-12


def _export_key(cls: type[Base]) -> ColumnElement[str]:
    """The record's id as export_state keeps it (str(uuid), 8-4-4-4-12), made from the 32 hex digits
    SQLite stores; computed on this side so the lookup uses export_state's primary key."""
    raw = type_coerce(cls.__table__.c.id, String)  # type: ignore[attr-defined]
    parts = [func.substr(raw, start, length, type_=String) for start, length in UUID_GROUPS]
    key = parts[0]
    for part in parts[1:]:
        key = key + "-" + part
    return key


def _unexported(cls: type[Base]) -> ColumnElement[bool]:
    """Rows export_state has not seen at their version: new, changed or tombstoned since the last export."""
    seen = (
        select(ExportStateRow.version)
        .where(
            ExportStateRow.record_type == cls.__tablename__,
            ExportStateRow.record_id == _export_key(cls),
            ExportStateRow.version >= cls.version,  # type: ignore[attr-defined]
        )
        .exists()
    )
    return ~seen


def _not_as_exported(cls: type[Base]) -> ColumnElement[bool]:
    """Rows whose (id, version) is not in export_state as it is: a superset of _unexported (a row
    behind its exported version is in it too) that costs no string building per row. SQLite makes one
    lookup table of export_state's rows of the type (its ids made into 32 hex digits, once each) and
    probes it with the stored id as it is: ~0.5 µs a row instead of ~3 µs for building each row's
    8-4-4-4-12 key (issue 14: 100k records, 10 changed)."""
    as_exported = select(func.replace(ExportStateRow.record_id, "-", ""), ExportStateRow.version).where(
        ExportStateRow.record_type == cls.__tablename__
    )
    raw_id = type_coerce(cls.__table__.c.id, String)  # type: ignore[attr-defined]
    return tuple_(raw_id, cls.version).not_in(as_exported)  # type: ignore[attr-defined]


def changed_keys(
    session: Session, plan: ExportPlan, classes: tuple[type[Base], ...] = SYNCED
) -> Iterator[tuple[str, uuid.UUID, int]]:
    """(record type, id, version) of the records an unscoped plan writes, in bundle order, as a stream.

    Only ids and versions are read: from an index that holds both where the rows are big
    (ix_inspection_export, migration 0011), so no check list is read to find the ten that changed.
    An incremental plan sorts only what it picked (`+id`: SQLite then scans the table or its covering
    index, not the id index with a row lookup for each version)."""
    for cls in classes:
        stmt = changed_keys_query(cls, everything=plan.everything)
        for record_id, version in session.execute(stmt.execution_options(yield_per=CHUNK_ROWS)):
            yield cls.__tablename__, record_id, version


def changed_keys_query(cls: type[Base], *, everything: bool) -> Select[Any]:
    """The (id, version) query of changed_keys for one table."""
    stmt = select(cls.id, cls.version)  # type: ignore[attr-defined]
    if everything:
        return stmt.order_by(cls.id)  # type: ignore[attr-defined]
    # The cheap test first: SQLite (3.40) evaluates the terms in the order written, so the exact one
    # (_unexported) runs only for the few rows that are not as exported (bench/export_plan.py).
    return stmt.where(_not_as_exported(cls), _unexported(cls)).order_by(
        literal_column(f"+{cls.__tablename__}.id")
    )


def _stream(session: Session, stmt: Select[Any]) -> Iterator[Any]:
    """The statement's ORM rows, CHUNK_ROWS at a time; each chunk leaves the session when done."""
    for chunk in session.scalars(stmt.execution_options(yield_per=CHUNK_ROWS)).partitions():
        yield from chunk
        for row in chunk:  # nothing here is changed: let the chunk go (expunge_all would end the result)
            session.expunge(row)


def _changed_rows(
    session: Session, plan: ExportPlan, classes: tuple[type[Base], ...] = SYNCED
) -> Iterator[Base]:
    """The plan's rows in bundle order: all of them streamed, or the changed ones CHUNK_ROWS ids at a time."""
    for cls in classes:
        if plan.everything:
            yield from _stream(session, select(cls).order_by(cls.id))  # type: ignore[attr-defined]
            continue
        ids = (record_id for _, record_id, _ in changed_keys(session, plan, (cls,)))
        while chunk := list(itertools.islice(ids, CHUNK_ROWS)):
            rows = session.scalars(select(cls).where(cls.id.in_(chunk)).order_by(cls.id)).all()  # type: ignore[attr-defined]
            yield from rows
            for row in rows:
                session.expunge(row)


def _audit_since(plan: ExportPlan) -> Select[Any]:
    return select(AuditRow).where(AuditRow.seq > (0 if plan.everything else plan.last_seq))


def _nothing_new(session: Session, plan: ExportPlan) -> bool:
    """No changed record and no audit entry but exports' own: the export entry each export appends
    is no reason for another bundle on its own."""
    keys = changed_keys(session, plan)
    try:
        if next(keys, None) is not None:
            return False
    finally:
        keys.close()
    news = _audit_since(plan).with_only_columns(AuditRow.seq).where(AuditRow.action != "export")
    return session.execute(news.limit(1)).first() is None


def _audit_data(row: AuditRow) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at.isoformat(),
        "actor": row.actor,
        "action": row.action,
        "record_type": row.record_type,
        "record_id": row.record_id,
        "record_version": row.record_version,
        "detail": row.detail,
        "prev_hash": row.prev_hash,
        "entry_hash": row.entry_hash,
    }


def export_bundle(
    ctx: Context,
    out_dir: Path,
    *,
    everything: bool = False,
    matter_id: uuid.UUID | None = None,
    encrypt_to: Path | None = None,
    officer: str = "",
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> BundleResult:
    """Write what changed since the last export (or everything, or one matter) to a bundle.

    The export is recorded (and the incremental mark moved) only once the bundle is complete.
    """
    files = at_rest.files_of(ctx)
    device = device_info(ctx)
    signing_key = at_rest.device_signing_key(ctx)
    # Read the office key first: a wrong key file must fail before anything is written.
    office_key = None if encrypt_to is None else keys.load_office_public_key(_read_key_file(encrypt_to))
    with ctx.sessions() as session:
        _read_snapshot(session)
        plan = plan_export(session, everything=everything, matter_id=matter_id)
        scope = "all" if everything else "incremental"
        if matter_id is not None:
            scope = str(matters.kind_of(session, matter_id))  # "inspection", as format 1 said
        if _nothing_new(session, plan) if plan.streamed else is_only_exports(plan):
            raise NothingNew("自上次导出以来没有新的或修改过的记录，未生成空包")
        # Files go first in a bundle, so the files of all records are known before any record is written.
        wanted: dict[str, tuple[str, str]] = {}
        file_rows = _changed_rows(session, plan, FILE_BEARING) if plan.streamed else plan.rows
        for row in file_rows:
            for sha, role, label in _files_of(row):
                wanted.setdefault(sha, (role, label))
        file_outs = [
            FileOut(sha, files.size_of(sha), (lambda s=sha: files.open(s)), role, label)
            for sha, (role, label) in sorted(wanted.items())
        ]
        del wanted
        end = session.execute(
            select(AuditRow.seq, AuditRow.entry_hash).order_by(AuditRow.seq.desc()).limit(1)
        ).first()
        # The signed end of this laptop's audit log: the office holds every later bundle against it, so
        # a log cut short or rewritten after this export shows there (docs/bundle-format.md §3.3).
        head = (
            None
            if end is None
            else anchor.signed_head(
                device_key_path(ctx), ctx.device_id, end[0], end[1], wrap_key=at_rest.key_wrap(ctx.data_key)
            )
        )
        marks = _Marks()
        out_dir.mkdir(parents=True, exist_ok=True)
        discard_abandoned_parts(out_dir)  # a killed export's .part (ciphertext only, if encrypted)
        try:
            result = write_bundle(
                out_dir,
                records=_records_of(session, plan, marks),
                files=file_outs,
                device=device,
                officer=officer or device.name,
                signing_key=signing_key,
                created_at=ctx.now(),
                extra={
                    "generator": f"FieldKit {__version__}",
                    "scope": scope,
                    **({"audit_head": head} if head is not None else {}),
                    "public_key": keys.public_key_pem(signing_key),
                },
                progress=progress,
                cancelled=cancelled,
                # Encrypted while written: no plaintext copy ever reaches the stick (issue 11.3).
                encrypt_to=office_key,
                spill_dir=None if ctx.read_only else ctx.data_dir,
            )
        except NothingToExport as exc:
            raise NothingNew("没有可导出的记录，未生成空包") from exc
    if ctx.read_only:
        # A read-only data dir can still be exported to another disk (issue 11.6); the export
        # mark cannot move, so the next export from a writable store carries these again.
        log.warning("read-only store: export %s not recorded (%s)", result.path.name, ctx.read_only_reason)
        return result
    with ctx.sessions.begin() as session:
        _mark_exported(session, marks.records)
        if marks.last_audit is not None and matter_id is None:
            _mark_exported(session, [("audit_log", "seq", marks.last_audit)])
        audit.append(
            session,
            action="export",
            record_type="bundle",
            record_id=result.bundle_id,
            record_version=1,
            device_id=ctx.device_id,
            now=ctx.now(),
            actor=officer,
            detail={
                "file": result.path.name,
                "records": result.record_count,
                "files": result.file_count,
                "audit_head": None if head is None else head["seq"],
            },
        )
    return result


FILE_BEARING = (DocumentRevisionRow, EvidenceFileRow)  # the synced rows _files_of finds files in


def is_only_exports(plan: ExportPlan) -> bool:
    """A scoped plan with no record and no audit entry but exports' own."""
    return not plan.rows and all(a.action == "export" for a in plan.audit)


def _read_snapshot(session: Session) -> None:
    """One read transaction for the whole export. pysqlite begins none for reads, so each SELECT
    would see the store as it is at that moment: a photo added between reading the files and the
    records would leave a record naming a file the bundle lacks."""
    conn = session.connection()
    if not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        conn.exec_driver_sql("BEGIN")


@dataclass
class _Marks:
    """What was written, noted while the records stream into the bundle: export_state moves to it."""

    records: list[tuple[str, str, int]] = field(default_factory=list)
    last_audit: int | None = None


def _records_of(session: Session, plan: ExportPlan, marks: _Marks) -> Iterator[RecordOut]:
    """The plan's records in bundle order (type as SYNC_ORDER, id, version): the same input gives the same bytes."""
    if plan.streamed:
        rows: Iterator[Base] = _changed_rows(session, plan)
        audit_rows: Iterator[AuditRow] = _stream(session, _audit_since(plan).order_by(AuditRow.id))
    else:
        key = SYNC_ORDER.__getitem__
        rows = iter(sorted(plan.rows, key=lambda r: (key(r.__tablename__), str(r.id))))  # type: ignore[attr-defined]
        audit_rows = iter(sorted(plan.audit, key=lambda a: str(a.id)))
    for r in rows:
        marks.records.append((r.__tablename__, str(r.id), r.version))  # type: ignore[attr-defined]
        yield RecordOut(r.__tablename__, r.id, r.version, r.device_id, row_data(r))  # type: ignore[attr-defined]
    for a in audit_rows:
        marks.last_audit = a.seq if marks.last_audit is None else max(marks.last_audit, a.seq)
        yield RecordOut("audit_log", a.id, 1, a.device_id, _audit_data(a))


def _mark_exported(session: Session, records: list[tuple[str, str, int]]) -> None:
    """export_state holds the highest version of each record a finished export wrote."""
    for start in range(0, len(records), CHUNK_ROWS):
        values = [
            {"record_type": t, "record_id": i, "version": v}
            for t, i, v in records[start : start + CHUNK_ROWS]
        ]
        stmt = sqlite_insert(ExportStateRow).values(values)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=[ExportStateRow.record_type, ExportStateRow.record_id],
                set_={"version": func.max(ExportStateRow.version, stmt.excluded.version)},
            )
        )


def _read_key_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise FieldkitError(f"无法读取办公室公钥文件 {path}：{exc.strerror or exc}") from exc


SYNC_ORDER = {cls.__tablename__: i for i, cls in enumerate(SYNCED)} | {"audit_log": len(SYNCED)}


# ---- office: trust, verify, import -----------------------------------------------------------------------


def trust_device(
    ctx: Context, pem: str, name: str, *, device_code: str | None = None, device_id: str | None = None
) -> str:
    """Register a laptop's public key. Its 本机编号 and device id, when known now, are bound to the
    key; otherwise the first bundle it signs binds them. A code or device id another trusted key
    already holds is refused: two laptops with one code would issue the same 文号 (issue 9 item 2)."""
    public = keys.load_device_public_key(pem)
    fp = keys.fingerprint(public)
    code = (device_code or "").strip().upper() or None
    with ctx.sessions.begin() as session:
        row = session.get(TrustedDeviceRow, fp)
        problems: list[Problem] = []
        if code is not None:
            holder = session.scalars(
                select(TrustedDeviceRow).where(
                    TrustedDeviceRow.device_code == code, TrustedDeviceRow.fingerprint != fp
                )
            ).first()
            if holder is not None:
                problems.append(
                    Problem(
                        "device_code",
                        "taken",
                        f"本机编号：{code} 已登记给受信任的电脑「{holder.name}」（指纹 {holder.fingerprint[:16]}…），"
                        "两台电脑用同一编号会签发相同的文号；请先在新电脑上设置另一个本机编号",
                    )
                )
            if code == get_meta(session, "device_code"):
                problems.append(
                    Problem(
                        "device_code",
                        "taken",
                        f"本机编号：{code} 是本机（办公室）自己的编号，不能再登记给其他电脑",
                    )
                )
            if row is not None and row.device_code not in (None, code):
                problems.append(
                    Problem(
                        "device_code",
                        "changed",
                        f"本机编号：该电脑已登记为 {row.device_code}，不能在此改为 {code}"
                        "（编号随该电脑导出的包更新，且不能与其他电脑重复）",
                    )
                )
        if device_id is not None:
            holder = session.scalars(
                select(TrustedDeviceRow).where(
                    TrustedDeviceRow.device_id == device_id, TrustedDeviceRow.fingerprint != fp
                )
            ).first()
            if holder is not None or (row is not None and row.device_id not in (None, device_id)):
                problems.append(
                    Problem("device_id", "taken", f"设备号：{device_id} 已登记给另一把密钥，不能重复登记")
                )
        if problems:
            raise ValidationFailed(problems)
        if row is None:
            row = TrustedDeviceRow(
                fingerprint=fp,
                name=name.strip() or fp[:12],
                public_pem=keys.public_key_pem(public),
                added_at=ctx.now(),
            )
            session.add(row)
        else:
            row.name = name.strip() or row.name
        row.device_code = code or row.device_code
        row.device_id = device_id or row.device_id
        audit.append(
            session,
            action="trust",
            record_type="device",
            record_id=fp[:36],
            record_version=1,
            device_id=ctx.device_id,
            now=ctx.now(),
            detail={"name": name, "fingerprint": fp, "device_code": code, "device_id": device_id},
        )
    return fp


def trusted_devices(ctx: Context) -> dict[str, str]:
    with ctx.sessions() as session:
        return {r.fingerprint: r.public_pem for r in session.scalars(select(TrustedDeviceRow))}


def verify(
    ctx: Context,
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    keep_records: bool = False,
) -> VerifyReport:
    return verify_bundle(
        path,
        trusted_devices=trusted_devices(ctx),
        progress=progress,
        cancelled=cancelled,
        keep_records=keep_records,
    )


@dataclass
class ImportReport:
    bundle_id: str
    already_imported: bool = False
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    older_ignored: int = 0  # this store has a newer version
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    files_added: int = 0
    audit_entries: int = 0


def _content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


class ImportBusy(FieldkitError):
    """Another import into this data dir is running."""


def import_bundle(
    ctx: Context, path: Path, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
) -> ImportReport:
    """Verify, check who may write what, store the files, then merge every record in ONE
    transaction keyed on (id, version).

    Refused as a whole (nothing written, no file copied): a key speaking for another device id or
    a 本机编号 another trusted laptop holds, audit entries that are not the signer's own or do not
    chain, a 文号 that is another document's. Kept aside as conflicts for the office: changes to
    another device's records (or new records under them) and changes to a finalised revision.

    One import at a time per data dir (a second one is refused with a message, not left to race
    the first into a locked database); the run is marked in flight so that what a killed import
    stored is cleaned at the next start (housekeeping).
    """
    with _import_lock(ctx), housekeeping.in_flight(ctx, "import", bundle=Path(path).name):
        return _import_bundle(ctx, path, progress=progress, cancelled=cancelled)


@contextlib.contextmanager
def _import_lock(ctx: Context) -> Iterator[None]:
    lock_path = ctx.data_dir / "import.lock"
    try:
        fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:
        yield  # a read-only data dir: the import itself will say why it cannot write
        return
    try:
        if not lock_fd(fd):
            raise ImportBusy("另一个导入正在进行（本机的另一个 FieldKit 窗口或命令），请等它完成后再导入")
        yield
    finally:
        os.close(fd)


def _import_bundle(
    ctx: Context, path: Path, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
) -> ImportReport:
    # The records verified are the records imported: read, hashed and parsed once (issue 14).
    report = verify(ctx, path, progress=progress, cancelled=cancelled, keep_records=True)
    manifest, result = _start_import(ctx, report)
    if result.already_imported:
        return result
    by_type, head, binding = _read_and_check(ctx, path, report)
    files = at_rest.files_of(ctx)
    with opened_files(path, report) as open_member:
        for entry in manifest.files:
            if not files.has(entry.sha256):
                with open_member(entry.sha256) as stream:
                    files.add_stream(
                        stream,
                        name=entry.path,
                        size=entry.size,
                        expected_sha256=entry.sha256,
                        cancelled=cancelled,
                    )
                result.files_added += 1
    with ctx.sessions() as session:
        _merge_all(session, ctx, manifest, by_type, result, index=True)
        if binding is not None:
            _record_binding(session, ctx, binding, manifest)
        session.add(
            ImportedBundleRow(
                bundle_id=str(manifest.bundle_id),
                device_id=manifest.device.device_id,
                device_code=manifest.device.device_code,
                officer=manifest.officer,
                manifest_sha256=report.manifest_sha256,
                imported_at=ctx.now(),
                summary={
                    "inserted": result.inserted,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "conflicts": len(result.conflicts),
                    "created_at": manifest.created_at,
                    **({"audit_head": dict(head)} if head is not None else {}),
                },
            )
        )
        # The signed end is noted only if its entry is kept here (a one-inspection bundle may not carry it).
        kept_head = head is not None and session.scalar(
            select(func.count())
            .select_from(ImportedAuditRow)
            .where(
                ImportedAuditRow.source_device_id == manifest.device.device_id,
                ImportedAuditRow.seq == head.get("seq"),
            )
        )
        audit.append(
            session,
            action="import",
            record_type="bundle",
            record_id=manifest.bundle_id,
            record_version=1,
            device_id=ctx.device_id,
            now=ctx.now(),
            detail={
                "from_device": manifest.device.device_code,
                "officer": manifest.officer,
                "inserted": result.inserted,
                "updated": result.updated,
                "conflicts": len(result.conflicts),
                # What this office now keeps of the laptop's log, in its own anchored log: audit
                # verify finds an imported entry deleted afterwards (integrity._imports_kept).
                "device_id": manifest.device.device_id,
                "audit_entries": result.audit_entries,
                **(
                    {"audit_head": {"seq": head["seq"], "entry_hash": head["entry_hash"]}}
                    if kept_head
                    else {}
                ),
            },
        )
        try:
            session.commit()
        except IntegrityError as exc:
            session.rollback()
            raise BundleRefused(
                ["包中的记录引用了本库中没有的当事人、检查或文书（可能有更早的包尚未导入），未导入任何记录"]
            ) from exc
    return result


class UntrustedDevice(BundleRefused):
    """The bundle is sound but its laptop is not registered here; `offer` says who it claims to be."""

    def __init__(self, problems: list[str], offer: TrustOffer) -> None:
        super().__init__(problems)
        self.offer = offer


@dataclass(frozen=True)
class TrustOffer:
    """A laptop to register on the spot: its key as the (signed) manifest carries it."""

    pem: str
    fingerprint: str
    device_id: str
    device_code: str
    name: str
    officer: str

    @property
    def grouped_fingerprint(self) -> str:
        """Grouped by four, as the other laptop's 数据交换 page shows it for reading aloud."""
        return keys.format_fingerprint(self.fingerprint)

    def matches(self, typed: str) -> bool:
        """Whether a fingerprint typed by the officer (spaces, colons, any case) is this key's."""
        return keys.normalize_fingerprint(typed) == self.fingerprint


def trust_offer(report: VerifyReport) -> TrustOffer | None:
    """For a bundle refused only because its device is unknown: the key it carries, if it is the
    key the manifest names (docs/bundle-format.md §3.6). Trusting it is the officer's decision."""
    manifest = report.manifest
    if manifest is None or report.device_trusted:
        return None
    if not report.problems or not all(p.startswith("未知设备") for p in report.problems):
        return None
    pem = manifest.extra.get("public_key") if isinstance(manifest.extra, dict) else None
    if not isinstance(pem, str):
        return None
    try:
        fp = keys.fingerprint(keys.load_device_public_key(pem))
    except FieldkitError:
        return None
    if fp != keys.normalize_fingerprint(manifest.device.fingerprint):
        return None
    device = manifest.device
    return TrustOffer(pem, fp, device.device_id, device.device_code, device.name, manifest.officer)


def _start_import(ctx: Context, report: VerifyReport) -> tuple[Manifest, ImportReport]:
    """The verified bundle's manifest and an empty report of importing it, marked already_imported
    when this bundle came in before (then nothing is merged). Refuses what verify refused."""
    _refuse_unless_ok(ctx, report)
    manifest = report.manifest
    assert manifest is not None
    result = ImportReport(bundle_id=str(manifest.bundle_id))
    with ctx.sessions() as session:
        result.already_imported = session.get(ImportedBundleRow, str(manifest.bundle_id)) is not None
    return manifest, result


def _refuse_unless_ok(ctx: Context, report: VerifyReport) -> None:
    if report.ok and report.manifest is not None:
        return
    offer = trust_offer(report)
    if offer is not None:
        raise UntrustedDevice(report.problems, offer)
    raise BundleRefused(report.problems)


def trust_offered(ctx: Context, offer: TrustOffer, name: str = "") -> str:
    """Register the laptop of an offer, bound to its device id and 本机编号 (audited)."""
    return trust_device(
        ctx,
        offer.pem,
        name.strip() or offer.name or offer.device_code,
        device_code=offer.device_code,
        device_id=offer.device_id,
    )


def _read_and_check(
    ctx: Context, path: Path, report: VerifyReport
) -> tuple[dict[str, list[RecordIn]], dict[str, Any] | None, intake.DeviceBinding | None]:
    """Read every record and check them all before anything is written (refused as a whole)."""
    manifest = report.manifest
    assert manifest is not None
    by_type: dict[str, list[RecordIn]] = {}
    for record in records_of(path, report):
        if record.type != "audit_log" and record.type not in BY_TYPE:
            raise BundleRefused(
                [f"未知的记录类型「{record.type}」（{record.id}）：本程序版本过旧？未导入任何记录"]
            )
        by_type.setdefault(record.type, []).append(record)
    head = audit_head_of(manifest)
    with ctx.sessions() as session:
        problems, binding = intake.check_device(
            session, manifest, ctx.device_id, get_meta(session, "device_code")
        )
        problems += _foreign_records(by_type, manifest)
        # Shapes, required fields, references and files: refused before any file is copied.
        problems += record_checks.check_records(
            session,
            by_type,
            BY_TYPE,
            RECORD_NAMES,
            files_in_bundle=(f.sha256 for f in manifest.files),
            file_in_store=at_rest.files_of(ctx).has,
        )
        problems += intake.check_audit_entries(session, by_type.get("audit_log", []), manifest, head)
        problems += intake.check_numbers(session, by_type.get("document", []), manifest, _codes(session, ctx))
    if problems:
        raise BundleRefused(problems)
    return by_type, head, binding


def _merge_all(
    session: Session,
    ctx: Context,
    manifest: Any,
    by_type: dict[str, list[RecordIn]],
    result: ImportReport,
    *,
    index: bool,
) -> None:
    # Checked at commit, so the order of records inside the bundle does not matter.
    session.execute(text("PRAGMA defer_foreign_keys=ON"))
    indexed: list[SubjectRow] = []
    fresh_subjects: list[SubjectRow] = []
    merge = _Merge(session, ctx, manifest, result)
    for cls in SYNCED:
        merge.merge_type(cls, by_type.get(cls.__tablename__, []), indexed, fresh_subjects)
    _merge_audit(session, by_type.get("audit_log", []), str(manifest.bundle_id), result)
    if index:
        search.index_subjects(session, indexed)
        search.index_subjects(session, fresh_subjects, new=True)


def preview_import(ctx: Context, path: Path, report: VerifyReport) -> ImportReport:
    """What importing this verified bundle would do, counted exactly as the import counts it
    (new / updated / unchanged / conflicts / audit entries / new files), by merging in a
    transaction that is rolled back. Raises BundleRefused for what the import would refuse."""
    manifest, result = _start_import(ctx, report)
    if result.already_imported:
        return result
    by_type, _head, _binding = _read_and_check(ctx, path, report)
    store = at_rest.files_of(ctx)
    result.files_added = sum(1 for f in manifest.files if not store.has(f.sha256))
    with ctx.sessions() as session:
        try:
            _merge_all(session, ctx, manifest, by_type, result, index=False)
        finally:
            session.rollback()
    return result


def audit_head_of(manifest: Any) -> dict[str, Any] | None:
    """The signed end of the device's audit log the bundle carries (extra.audit_head), if any."""
    head = manifest.extra.get("audit_head") if isinstance(manifest.extra, dict) else None
    return dict(head) if isinstance(head, dict) else None


def _codes(session: Session, ctx: Context) -> dict[str, str]:
    codes = {
        device_id: code
        for device_id, code in session.execute(
            select(TrustedDeviceRow.device_id, TrustedDeviceRow.device_code)
        )
        if device_id and code
    }
    own = get_meta(session, "device_code")
    if own:
        codes[ctx.device_id] = own
    return codes


def _foreign_records(by_type: dict[str, list[RecordIn]], manifest: Any) -> list[str]:
    """Every record version in a bundle was made by the device that signed it (DESIGN §5)."""
    signer = manifest.device.device_id
    problems = [
        f"记录 {RECORD_NAMES.get(r.type, r.type)} {r.id} 第 {r.version} 版声称出自设备号 {r.device_id}，"
        f"但包由设备 {manifest.device.device_code}（设备号 {signer}）签名：不能冒用其他设备的身份"
        for kind, records in by_type.items()
        if kind != "audit_log"
        for r in records
        if r.device_id != signer
    ]
    return problems[:50] + ([f"……另有 {len(problems) - 50} 条同类问题"] if len(problems) > 50 else [])


def _record_binding(session: Session, ctx: Context, binding: intake.DeviceBinding, manifest: Any) -> None:
    intake.apply_binding(session, binding, manifest)
    if binding.bind_id or binding.old_code != binding.new_code:
        audit.append(
            session,
            action="bind_device",
            record_type="device",
            record_id=binding.fingerprint[:36],
            record_version=1,
            device_id=ctx.device_id,
            now=ctx.now(),
            detail={
                "fingerprint": binding.fingerprint,
                "device_id": manifest.device.device_id,
                "device_code": binding.new_code,
                "previous_code": binding.old_code,
            },
        )


RECORD_NAMES = {
    "subject": "当事人",
    "inspection": "检查",
    "document": "文书",
    "document_revision": "文书定稿版",
    "evidence_item": "证据",
    "evidence_file": "证据文件",
    "measure": "措施",
    "follow_up": "复查/回访",
    "matter": "案卷（检查等）",  # named by children only: it never travels itself
}
# A new or changed child is a write into its parent's record: only the parent's device may make it.
# A matter's owner is its parent record's (services/matters.owners_in).
PARENT_COLUMN: dict[type[Base], tuple[str, type[Base]]] = {
    DocumentRow: ("matter_id", MatterRow),
    DocumentRevisionRow: ("document_id", DocumentRow),
    EvidenceItemRow: ("matter_id", MatterRow),
    EvidenceFileRow: ("item_id", EvidenceItemRow),
    MeasureRow: ("matter_id", MatterRow),
    FollowUpRow: ("matter_id", MatterRow),
}
# Records whose origin the office shows (its 本机编号 at the time they came in): 10k subjects need none.
ORIGIN_SHOWN: frozenset[type[Base]] = frozenset({InspectionRow, DocumentRow})
# A finalised revision is frozen (content, number, PDF); only what happens to the paper afterwards
# (signatures, scans of the signed copy) is recorded on it later.
REVISION_MUTABLE = {"signatures", "attachments", "updated_at"}
# An evidence record names its file by hash: that file is the evidence, never exchanged afterwards.
EVIDENCE_BOUND = ("sha256", "size")


class _Merge:
    """Merges one bundle's records type by type, remembering who owns what was seen so far."""

    def __init__(self, session: Session, ctx: Context, manifest: Any, result: ImportReport) -> None:
        self.session, self.ctx, self.manifest, self.result = session, ctx, manifest, result
        self.signer: str = manifest.device.device_id
        self.owner: dict[uuid.UUID, str] = {}  # id → device owning it after this bundle ("" = kept aside)
        self.origins: list[dict[str, str]] = []

    def _owners(self, cls: type[Base], ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        found = {i: self.owner[i] for i in ids if i in self.owner}
        rest = [i for i in ids if i not in found]
        if cls is MatterRow:  # a matter is owned by its parent record, which this bundle may carry
            found.update(matters.owners_in(self.session, rest))
            return found
        for start in range(0, len(rest), 500):
            rows = self.session.execute(
                select(cls.id, cls.device_id).where(cls.id.in_(rest[start : start + 500]))  # type: ignore[attr-defined]
            )
            found.update((row_id, device) for row_id, device in rows)
        return found

    def _conflict(self, record: RecordIn, reason: str) -> None:
        self.session.add(
            ImportConflictRow(
                record_type=record.type,
                record_id=str(record.id),
                version=record.version,
                bundle_id=str(self.manifest.bundle_id),
                incoming_device_id=record.device_id,
                incoming=record.data,
                detected_at=self.ctx.now(),
                reason=reason,
            )
        )
        self.result.conflicts.append(
            {
                "type": record.type,
                "id": str(record.id),
                "version": record.version,
                "device": record.device_id,
                "reason": reason,
            }
        )
        self.owner[record.id] = ""

    def merge_type(
        self,
        cls: type[Base],
        records: list[RecordIn],
        indexed: list[SubjectRow],
        fresh_subjects: list[SubjectRow],
    ) -> None:
        """New records go in by bulk insert; newer versions replace older ones. Kept aside as a
        conflict (never overwriting what the office has): an equal version with other content, a
        change to another device's record or under another device's parent, and any change to the
        frozen part of a finalised revision."""
        if not records:
            return
        session, result = self.session, self.result
        existing = _existing_versions(session, cls, [r.id for r in records])
        owners = self._owners(cls, {r.id for r in records if r.id in existing})
        parent_owner: dict[uuid.UUID, str] = {}
        if cls in PARENT_COLUMN:
            column, parent_cls = PARENT_COLUMN[cls]
            parents = {intake.as_uuid(r.data.get(column)) for r in records}
            parent_owner = self._owners(parent_cls, {p for p in parents if p is not None})
        fresh: list[dict[str, Any]] = []
        next_rowid = search.next_search_rowid(session) if cls is SubjectRow else 0
        for record in records:
            have = existing.get(record.id)
            if have == record.version and self._same(cls, record):
                result.unchanged += 1
                continue
            if have is not None and owners.get(record.id, self.signer) != self.signer:
                self._conflict(record, "owner")
                continue
            if cls in PARENT_COLUMN:
                parent = intake.as_uuid(record.data.get(PARENT_COLUMN[cls][0]))
                if parent is not None and parent_owner.get(parent, self.signer) != self.signer:
                    self._conflict(record, "owner")
                    continue
            values = _from_data(cls, record.data)
            if have is None:
                values.update(id=record.id, version=record.version, device_id=record.device_id)
                if cls is SubjectRow:
                    values["search_rowid"] = next_rowid
                    next_rowid += 1
                    fresh_subjects.append(SimpleNamespace(**values))  # type: ignore[arg-type]  # read by the FTS indexer only
                fresh.append(values)
                existing[record.id] = record.version
                self.owner[record.id] = self.signer
                if cls in ORIGIN_SHOWN:
                    self._origin(record)
            elif have < record.version:
                row = session.get(cls, record.id)
                assert row is not None
                if (isinstance(row, DocumentRevisionRow) and self._touches_frozen(row, cls, record)) or (
                    isinstance(row, DocumentRow) and _undoes_finalising(row, record.data)
                ):
                    self._conflict(record, "frozen")
                    continue
                if isinstance(row, EvidenceFileRow) and self._repoints_file(row, cls, record):
                    self._conflict(record, "bound")
                    continue
                for key, value in values.items():
                    setattr(row, key, value)
                row.version = record.version  # type: ignore[attr-defined]
                row.device_id = record.device_id  # type: ignore[attr-defined]
                if isinstance(row, SubjectRow):
                    indexed.append(row)
                result.updated += 1
                self.owner[record.id] = self.signer
            elif have > record.version:
                result.older_ignored += 1
            else:
                self._conflict(record, "version")
        if fresh:
            bulk.insert_rows(session, cls.__table__, fresh)  # type: ignore[arg-type]  # 10k rows: executemany
            result.inserted += len(fresh)
        if self.origins:
            # The 本机编号 as it was when the record arrived: a later change of the laptop's code does
            # not rewrite where earlier records came from (issue 10 item 7).
            session.execute(sqlite_insert(RecordOriginRow).on_conflict_do_nothing(), self.origins)
            self.origins = []
        session.flush()

    def _same(self, cls: type[Base], record: RecordIn) -> bool:
        row = self.session.get(cls, record.id)
        assert row is not None
        return _content_hash(row_data(row)) == _content_hash(_canonical_view(cls, record.data))

    @staticmethod
    def _touches_frozen(row: DocumentRevisionRow, cls: type[Base], record: RecordIn) -> bool:
        stored = row_data(row)
        incoming = _canonical_view(cls, record.data)
        return any(stored.get(k) != incoming.get(k) for k in stored if k not in REVISION_MUTABLE)

    @staticmethod
    def _repoints_file(row: EvidenceFileRow, cls: type[Base], record: RecordIn) -> bool:
        """An evidence record stays bound to the file it was added with (issue 11.2): a later
        version naming another file is kept aside, as `audit verify` would otherwise report it."""
        stored = row_data(row)
        incoming = _canonical_view(cls, record.data)
        return any(stored.get(k) != incoming.get(k) for k in EVIDENCE_BOUND)

    def _origin(self, record: RecordIn) -> None:
        self.origins.append(
            {
                "record_type": record.type,
                "record_id": str(record.id),
                "device_id": record.device_id,
                "device_code": self.manifest.device.device_code,
                "bundle_id": str(self.manifest.bundle_id),
            }
        )


def _undoes_finalising(row: DocumentRow, data: dict[str, Any]) -> bool:
    """A later version of a document may correct or void it, never take back what was printed: its
    文号, its finalised revisions, a 作废, or (as an edit in SQLite would) its return to draft."""
    if row.number and data.get("number") != row.number:
        return True
    incoming_revision = data.get("revision")
    if isinstance(incoming_revision, int) and incoming_revision < row.revision:
        return True
    if row.status == "void" and data.get("status") != "void":
        return True
    return row.revision > 0 and data.get("status") == "draft"


def _existing_versions(session: Session, cls: type[Base], ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    found: dict[uuid.UUID, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.execute(select(cls.id, cls.version).where(cls.id.in_(chunk)))  # type: ignore[attr-defined]
        found.update((row_id, version) for row_id, version in rows)
    return found


def _merge_audit(session: Session, records: list[RecordIn], bundle_id: str, result: ImportReport) -> None:
    """Other devices' audit entries, kept per device so their chains stay verifiable."""
    ids = [r.id for r in records]
    known: set[uuid.UUID] = set()
    for start in range(0, len(ids), 500):
        known.update(
            session.scalars(
                select(ImportedAuditRow.id).where(ImportedAuditRow.id.in_(ids[start : start + 500]))
            )
        )
    fresh = [
        {
            "id": r.id,
            "source_device_id": r.device_id,
            "seq": r.data["seq"],
            "entry": r.data,
            "bundle_id": bundle_id,
        }
        for r in records
        if r.id not in known
    ]
    if fresh:
        session.execute(ImportedAuditRow.__table__.insert(), fresh)
    result.audit_entries += len(fresh)


def _canonical_view(cls: type[Base], data: dict[str, Any]) -> dict[str, Any]:
    """The incoming data as row_data() would give it back (round trip through the column types)."""
    row = cls(**_from_data(cls, data))
    return row_data(row)


def decrypt(
    path: Path, key_path: Path, out: Path, *, progress: Progress | None = None, wrap_key: bytes | None = None
) -> Path:
    """Decrypt an encrypted bundle with the office key at `key_path` (a plain PEM, or the store's own
    key file encrypted with `wrap_key`, services/at_rest.py)."""
    private = keys.load_office_private_key(key_path, wrap_key=wrap_key)
    decrypt_bundle(path, out, private, progress=progress)
    return out


def list_conflicts(ctx: Context) -> list[ImportConflictRow]:
    with ctx.sessions() as session:
        return list(session.scalars(select(ImportConflictRow).where(ImportConflictRow.resolved.is_(False))))


def resolve_conflict(ctx: Context, conflict_id: uuid.UUID, *, take_incoming: bool, reason: str) -> None:
    """The office decides between the stored record and the other device's equal version.

    Taking the incoming content writes it as the next version (so every device that exported the
    record sees the decision in the next exchange); keeping the stored one only closes the conflict.
    Both are audited with the reason. A change to a finalised revision is never taken over: the
    revision is what was printed and served.
    """
    if not reason.strip():
        raise ValidationFailed([Problem("reason", "required", "处理理由：必填")])
    with ctx.sessions.begin() as session:
        conflict = session.get(ImportConflictRow, conflict_id)
        if conflict is None or conflict.resolved:
            raise NotFound("找不到该冲突，或已经处理")
        if take_incoming and conflict.reason == "bound":
            raise ValidationFailed(
                [
                    Problem(
                        "take_incoming", "bound", "证据记录所指的文件一经添加就不能更换，只能保留本库的版本"
                    )
                ]
            )
        if take_incoming and conflict.reason == "frozen":
            raise ValidationFailed(
                [
                    Problem(
                        "take_incoming",
                        "frozen",
                        "已定稿的文书版本（内容、文号、PDF）不能改动，只能保留本库的版本；"
                        "如需更正，由出具文书的电脑另行出具更正版",
                    )
                ]
            )
        cls = BY_TYPE[conflict.record_type]
        row = session.get(cls, uuid.UUID(conflict.record_id))
        if row is None:
            raise NotFound("冲突涉及的记录已不存在")
        if take_incoming:
            records.update(
                session,
                ctx,
                row,
                _from_data(cls, conflict.incoming),
                action="resolve",
                foreign_ok=True,
                detail={
                    "conflict": str(conflict.id),
                    "took": conflict.incoming_device_id,
                    "reason": reason.strip(),
                },
            )
            if isinstance(row, SubjectRow):
                search.index_subjects(session, [row])
        else:
            audit.append(
                session,
                action="resolve",
                record_type=conflict.record_type,
                record_id=conflict.record_id,
                record_version=row.version,  # type: ignore[attr-defined]
                device_id=ctx.device_id,
                now=ctx.now(),
                detail={"conflict": str(conflict.id), "kept": "stored", "reason": reason.strip()},
            )
        conflict.resolved = True
