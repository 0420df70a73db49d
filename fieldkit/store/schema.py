"""ORM rows (SQLAlchemy 2.x typed declarative). Names end in Row; the UI never sees them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fieldkit.domain.matters import MatterKind
from fieldkit.store.types import UtcDateTime


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UtcDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class SyncedMixin:
    """Fields of every record that travels in bundles (DESIGN §3): merge keys on (id, version)."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    device_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    deleted_at: Mapped[dt.datetime | None]  # tombstone: travels like any change


class LocalMetaRow(Base):
    """Per-laptop settings that never travel: device id and code, last export, open editor."""

    __tablename__ = "local_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AgencyRow(SyncedMixin, Base):
    __tablename__ = "agency"
    full_name: Mapped[str] = mapped_column(String(100))  # 某某市市场监督管理局
    short_name: Mapped[str] = mapped_column(String(20))  # 文号中的机关简称，如「某」
    government_name: Mapped[str] = mapped_column(String(100), default="")  # 复议机关：本级人民政府
    # Codes of domain/agency.AgencyLevel (复议法第二十四条) and IndividualCap (个体工商户的当场罚款限额).
    level: Mapped[str] = mapped_column(String(12), default="")  # province / city / county; "" unconfirmed
    individual_cap: Mapped[str] = mapped_column(String(20), default="citizen")
    unit: Mapped[str] = mapped_column(String(100), default="")  # 承办机构，如 综合行政执法大队
    phone: Mapped[str] = mapped_column(String(60), default="")
    address: Mapped[str] = mapped_column(String(200), default="")


class OfficerRow(SyncedMixin, Base):
    __tablename__ = "officer"
    name: Mapped[str] = mapped_column(String(40))
    cert_no: Mapped[str] = mapped_column(String(40))  # 执法证号
    unit: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class SubjectRow(SyncedMixin, Base):
    __tablename__ = "subject"
    # The covering index lets a search map FTS rowids to ids in name order without touching rows.
    __table_args__ = (
        Index("ix_subject_name", "name"),
        Index("ix_subject_search", "search_rowid", "deleted_at", "name", "id"),
    )
    name: Mapped[str] = mapped_column(String(200))
    subject_type: Mapped[str] = mapped_column(String(20))
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    uscc_note: Mapped[str] = mapped_column(String(200), default="")  # reason a failed check char was kept
    legal_rep: Mapped[str] = mapped_column(String(60), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(80), default="")
    license_no: Mapped[str] = mapped_column(String(100), default="")
    # Stable integer key of the FTS rows: a UUID key cannot be an FTS5 rowid, and the implicit rowid
    # may change on VACUUM.
    search_rowid: Mapped[int] = mapped_column(Integer, unique=True)


class InspectionRow(SyncedMixin, Base):
    __tablename__ = "inspection"
    # The list reads ids newest first from these indexes alone: the rows carry the check lists as JSON
    # (tens of KB each), which a table scan would have to read through.
    __table_args__ = (
        Index("ix_inspection_status_updated", "status", "updated_at"),
        Index("ix_inspection_list", "deleted_at", "updated_at", "id"),
        Index("ix_inspection_status_list", "deleted_at", "status", "updated_at", "id"),
        # id and version without reading the row's check list: incremental exports (migration 0011)
        Index("ix_inspection_export", "id", "version"),
    )
    subject_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subject.id"))
    status: Mapped[str] = mapped_column(String(12))  # draft / completed
    inspection_type: Mapped[str] = mapped_column(String(20))
    start_at: Mapped[dt.datetime | None]
    end_at: Mapped[dt.datetime | None]
    place: Mapped[str] = mapped_column(String(300), default="")
    # Snapshots, not references: a printed record shows the certificate number of that day.
    officers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    domains: Mapped[list[Any]] = mapped_column(JSON, default=list)
    checks: Mapped[list[Any]] = mapped_column(JSON, default=list)
    findings: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    rectify_deadline: Mapped[dt.date | None] = mapped_column(Date)
    completed_at: Mapped[dt.datetime | None]
    # The 不符合 items in `checks`, kept by SQLite triggers on every insert and change of `checks`
    # (migration 0008), whoever writes the row (service, bundle import through Core): the list sorts
    # and shows it without reading tens of KB of JSON per row. Derived, so it never travels.
    failed_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


# The inspection list sorts by any column in SQL. At 100,000 rows a sort that reads the rows follows
# every row's overflow chain (~27 KB of check-list JSON each, 2.7 GB per query, docs/performance.md),
# so each sort key has a covering index: (deleted_at, key, when, id, status) is scanned in order and the
# status filter is checked on the index entries. Ties go newest first in the key's direction.
INSPECTION_WHEN = func.coalesce(InspectionRow.start_at, InspectionRow.created_at)  # 检查时间, or made
INSPECTION_SORT_KEYS: dict[str, Any] = {
    "start": INSPECTION_WHEN,
    "subject": InspectionRow.subject_id,  # the name comes from a join; the index groups by subject
    "type": InspectionRow.inspection_type,
    "domains": InspectionRow.domains,  # the chosen domain ids as JSON: groups the same choice
    "failed": InspectionRow.failed_count,
    "outcome": InspectionRow.outcome,
    "status": InspectionRow.status,
    # The first officer's name. A literal path, not a bound parameter: SQLite matches a query to an
    # expression index only when the expressions are the same text.
    "officers": func.json_extract(InspectionRow.officers, literal_column("'$[0].name'")),
    "origin": InspectionRow.device_id,  # office mode: which laptop made it
}
for _key, _expr in INSPECTION_SORT_KEYS.items():
    _ties = () if _key == "start" else (INSPECTION_WHEN,)
    # Only what the id query reads (migration 0015): SQLite 3.41 and later (sqlcipher3 has 3.53) count
    # an expression index as covering without the columns the expression reads. Each entry is a page
    # read, and on the encrypted store a decrypt and an HMAC check, when the list is first opened:
    # start_at and created_at (and for 执法人员 the whole officers JSON) made the entries twice as big.
    # Not for 当事人: in the join SQLite computes 检查时间 from the columns, and without them it reads
    # the rows through the status index instead.
    _read = (InspectionRow.start_at, InspectionRow.created_at) if _key == "subject" else ()
    Index(
        f"ix_inspection_sort_{_key}",
        InspectionRow.deleted_at,
        _expr,
        *_ties,
        InspectionRow.id,
        InspectionRow.status,
        *_read,
    )

# A page of the inspection list (services.inspections.inspection_items, exchange_views.inspection_origins)
# reads these columns of 64 rows by id, all from this index (migration 0015). In the row, id, device_id,
# updated_at and failed_count come after ~27 KB of check-list JSON: read there, each row costs its
# overflow chain (~7 pages), and on the encrypted store every page a decrypt and an HMAC check. The
# planner prefers the unique id index, so the queries name this one (INDEXED BY).
INSPECTION_PAGE_INDEX = "ix_inspection_page"
INSPECTION_PAGE_COLUMNS = (
    InspectionRow.id,
    InspectionRow.subject_id,
    InspectionRow.inspection_type,
    InspectionRow.start_at,
    InspectionRow.place,
    InspectionRow.status,
    InspectionRow.outcome,
    InspectionRow.domains,
    InspectionRow.officers,
    InspectionRow.updated_at,
    InspectionRow.failed_count,
    InspectionRow.device_id,
)
Index(INSPECTION_PAGE_INDEX, *INSPECTION_PAGE_COLUMNS)


class MatterRow(Base):
    """案卷: the parent of evidence, measures, documents and follow-ups (domain/matters.py).

    Its id is its parent record's id and it is derived from that record, so it never travels: SQLite
    triggers (migration 0013, one set per table in MATTER_PARENTS) write it in the same statement that
    inserts the parent, whoever inserts it — a service through the ORM, a bundle import through Core,
    a restored or hand-repaired file. A Python hook would have to be remembered on each of those paths;
    a trigger cannot be forgotten (tests/store/test_matters.py inserts each registered parent by plain
    SQL and expects its matter).
    """

    __tablename__ = "matter"
    __table_args__ = (Index("ix_matter_subject", "subject_id"),)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # MatterKind: the parent's table name
    subject_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subject.id"))
    created_at: Mapped[dt.datetime]


# The parent record of each kind of matter. A new kind (a case) adds its row class here and, in its
# migration, the three triggers that keep its matter (see migration 0013).
MATTER_PARENTS: dict[MatterKind, type[SyncedMixin]] = {MatterKind.INSPECTION: InspectionRow}


class AuditRow(Base):
    """Append-only; each entry's hash covers the previous entry's hash (DESIGN §3)."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(unique=True)
    at: Mapped[dt.datetime]
    device_id: Mapped[str] = mapped_column(String(36))
    actor: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(20))
    record_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[str] = mapped_column(String(36))
    record_version: Mapped[int] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class DocumentRow(SyncedMixin, Base):
    """One official document (文书). Its number is given when it is first finalised and never reused."""

    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint(
            "number_code", "number_year", "number_device", "number_seq", name="uq_document_number"
        ),
        Index("ix_document_matter", "matter_id"),
        Index("ix_document_replaces", "replaces_id"),
    )
    matter_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("matter.id"))  # none: a standalone 文书
    form_id: Mapped[str] = mapped_column(String(60))
    form_version: Mapped[str] = mapped_column(String(20))  # a document keeps the form version it began on
    title: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(12))  # draft / final / correcting / void
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the editable state
    number: Mapped[str | None] = mapped_column(String(80))
    number_code: Mapped[str | None] = mapped_column(String(20))
    number_year: Mapped[int | None] = mapped_column(Integer)
    number_device: Mapped[str | None] = mapped_column(String(6))
    number_seq: Mapped[int | None] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=0)  # finalised revisions so far
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_at: Mapped[dt.datetime | None]
    # 重新作出: the document this one replaces; printing this one voids that one. No foreign key: a bundle
    # may carry the two in any order, and documents are never deleted (tombstones), so it always resolves.
    replaces_id: Mapped[uuid.UUID | None]
    # 编有号码的空白文书 (行政处罚法第五十二条): when its number was issued on a blank printed for handwriting
    blank_issued_at: Mapped[dt.datetime | None]


class DocumentRevisionRow(SyncedMixin, Base):
    """A finalised revision: content and PDF hash frozen; signatures and scans are recorded later."""

    __tablename__ = "document_revision"
    __table_args__ = (UniqueConstraint("document_id", "revision", name="uq_document_revision"),)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id"))
    revision: Mapped[int] = mapped_column(Integer)
    form_version: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(80))
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf_size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")  # why this correction was made
    finalised_by: Mapped[str] = mapped_column(String(60), default="")
    signatures: Mapped[list[Any]] = mapped_column(JSON, default=list)
    attachments: Mapped[list[Any]] = mapped_column(JSON, default=list)  # scans of the signed paper


class EvidenceItemRow(SyncedMixin, Base):
    """One piece of evidence (行政处罚法第四十六条 kinds) and where it came from."""

    __tablename__ = "evidence_item"
    __table_args__ = (Index("ix_evidence_item_matter", "matter_id"),)
    matter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matter.id"))
    seq: Mapped[int] = mapped_column(Integer)  # 序号 within the matter
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(200), default="")  # 来源/提供人
    proves: Mapped[str] = mapped_column(Text, default="")  # 证明对象
    quantity: Mapped[str] = mapped_column(String(60), default="")  # 数量/页数
    collected_at: Mapped[dt.datetime | None]
    collected_place: Mapped[str] = mapped_column(String(300), default="")
    collected_by: Mapped[list[Any]] = mapped_column(JSON, default=list)  # officers' names
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft / final
    finalised_at: Mapped[dt.datetime | None]


class EvidenceFileRow(SyncedMixin, Base):
    """A file behind an evidence item, stored by SHA-256; the original is never modified."""

    __tablename__ = "evidence_file"
    __table_args__ = (
        UniqueConstraint("item_id", "sha256", name="uq_evidence_file_item_hash"),
        Index("ix_evidence_file_sha256", "sha256"),
    )
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("evidence_item.id"))
    position: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(260))
    mime: Mapped[str] = mapped_column(String(100), default="")
    taken_at: Mapped[dt.datetime | None]
    gps_lat: Mapped[float | None]
    gps_lon: Mapped[float | None]
    camera: Mapped[str] = mapped_column(String(120), default="")
    exif_status: Mapped[str] = mapped_column(String(12), default="none")  # ok / none / unreadable
    thumbnail_sha256: Mapped[str | None] = mapped_column(String(64))


class MeasureRow(SyncedMixin, Base):
    """先行登记保存, 查封/扣押 and 抽样 with their goods lists and statutory deadlines."""

    __tablename__ = "measure"
    __table_args__ = (
        Index("ix_measure_status_due", "status", "due"),
        Index("ix_measure_matter", "matter_id"),
    )
    matter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matter.id"))
    kind: Mapped[str] = mapped_column(String(20))  # preservation / seal / seize / sampling
    status: Mapped[str] = mapped_column(String(12))  # active / released / converted / closed
    decided_on: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[dt.date | None] = mapped_column(Date)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    storage_place: Mapped[str] = mapped_column(String(300), default="")
    seal_text: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")  # why (涉嫌违法事实)
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)  # goods rows
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("document.id"))
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    end_note: Mapped[str] = mapped_column(Text, default="")


class FollowUpRow(SyncedMixin, Base):
    """复查/回访 tasks, e.g. after a 责令改正 deadline (服务型执法: 事后回访)."""

    __tablename__ = "follow_up"
    __table_args__ = (
        Index("ix_follow_up_status_due", "status", "due"),
        Index("ix_follow_up_matter", "matter_id"),
    )
    matter_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matter.id"))
    kind: Mapped[str] = mapped_column(String(12))  # InspectionType code: recheck (复查) / follow_up (回访)
    due: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open / done / cancelled
    # The 复查 visit itself is an inspection (of the same or a later matter), not a matter of its own.
    done_inspection_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspection.id"))
    note: Mapped[str] = mapped_column(Text, default="")


# ---- exchange bookkeeping: local to each store, never exported -----------------------------------


class ExportStateRow(Base):
    """The version of each record last written to a successful export (incremental exports)."""

    __tablename__ = "export_state"
    record_type: Mapped[str] = mapped_column(String(30), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class TrustedDeviceRow(Base):
    """Office mode: laptops whose bundles are accepted, registered by their public key.

    Each key is bound to one device id and one 本机编号 (the code inside its 文号): given at trust time
    or taken from the first bundle it signs. No two keys share either, so no laptop can speak for
    another and no two laptops can issue the same 文号 series unnoticed.
    """

    __tablename__ = "trusted_device"
    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    public_pem: Mapped[str] = mapped_column(Text)
    added_at: Mapped[dt.datetime]
    device_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    device_code: Mapped[str | None] = mapped_column(String(6), unique=True)


class ImportedBundleRow(Base):
    __tablename__ = "imported_bundle"
    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    device_code: Mapped[str] = mapped_column(String(6))
    officer: Mapped[str] = mapped_column(String(60))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime]
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ImportConflictRow(Base):
    """Equal versions with different content from different devices: kept, shown, never overwritten."""

    __tablename__ = "import_conflict"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    record_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    bundle_id: Mapped[str] = mapped_column(String(36))
    incoming_device_id: Mapped[str] = mapped_column(String(36))
    incoming: Mapped[dict[str, Any]] = mapped_column(JSON)
    detected_at: Mapped[dt.datetime]
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    # version: same version, other content; owner: another device's record; frozen: a finalised
    # revision's content or PDF would change (never taken over).
    reason: Mapped[str] = mapped_column(String(12), default="version", server_default="version")


class RecordOriginRow(Base):
    """Office mode: which device (and its 本机编号 at that time) a record first came from."""

    __tablename__ = "record_origin"
    record_type: Mapped[str] = mapped_column(String(30), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    device_code: Mapped[str] = mapped_column(String(6))
    bundle_id: Mapped[str] = mapped_column(String(36))


class ImportedAuditRow(Base):
    """Audit entries of other devices, kept per device so each chain can still be verified."""

    __tablename__ = "imported_audit"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    source_device_id: Mapped[str] = mapped_column(String(36), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    entry: Mapped[dict[str, Any]] = mapped_column(JSON)
    bundle_id: Mapped[str] = mapped_column(String(36))
