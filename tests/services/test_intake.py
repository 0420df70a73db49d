"""Office intake: a trusted laptop writes only its own records, never a finalised revision, never in
another laptop's name, and a 文号 belongs to one document (issue 11 item 1, issue 9 item 2)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from fieldkit.bundle.errors import BundleRefused
from fieldkit.domain.evidence import EvidenceDraft
from fieldkit.domain.subjects import SubjectDraft
from fieldkit.errors import ValidationFailed
from fieldkit.services import at_rest, documents, evidence, exchange, subjects
from fieldkit.services.context import Context
from fieldkit.services.setup import run_setup
from fieldkit.store import audit
from fieldkit.store.schema import (
    AuditRow,
    DocumentRevisionRow,
    DocumentRow,
    EvidenceItemRow,
    InspectionRow,
    SubjectRow,
)
from tests import rawdb
from tests.conftest import TEST_AGENCY, TEST_OFFICERS
from tests.services.test_documents import make_inspection, rectification
from tests.services.test_exchange import counts


@pytest.fixture
def laptop(set_up_ctx: Context) -> Context:
    """Laptop A1: an inspection with a finalised 责令改正通知书."""
    inspection_id = make_inspection(set_up_ctx)
    documents.print_document(set_up_ctx, rectification(set_up_ctx, inspection_id), accept_warnings=True)  # type: ignore[arg-type]
    return set_up_ctx


@pytest.fixture
def office(make_ctx: Callable[[str], Context], laptop: Context, tmp_path: Path) -> Context:
    ctx = make_ctx("office")
    run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "OF")
    exchange.trust_device(ctx, exchange.ensure_device_key(laptop), "兰山 A1 号电脑")
    exchange.import_bundle(ctx, exchange.export_bundle(laptop, tmp_path / "a0").path)
    return ctx


@pytest.fixture
def other(make_ctx: Callable[[str], Context], office: Context) -> Context:
    """Laptop B2, also trusted by the office."""
    ctx = make_ctx("laptop-b")
    run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "B2")
    exchange.trust_device(office, exchange.ensure_device_key(ctx), "兰山 B2 号电脑")
    return ctx


def _sql(ctx: Context, statement: str, *params: object) -> None:
    """What someone with the laptop's SQLite file (or a modified client) can do."""
    with rawdb.connect(ctx.data_dir / "fieldkit.db") as conn:
        conn.execute(statement, params)


def _copy_row(src: Context, dest: Context, cls: type, row_id: object, **changes: object) -> None:
    """Put a copy of one of src's rows into dest's store (as a hostile laptop would)."""
    with src.sessions() as session:
        row = session.get(cls, row_id)
        values = {c.key: getattr(row, c.key) for c in cls.__table__.columns}
    values.update(changes)
    with dest.sessions.begin() as session:
        if cls is SubjectRow:
            values["search_rowid"] = 10_000
        session.add(cls(**values))


def _new_record(ctx: Context) -> None:
    subjects.add_subject(ctx, SubjectDraft(name=f"兰山区新开小店{len(subjects.search_subject_ids(ctx))}"))


def _one(ctx: Context, cls: type) -> object:
    with ctx.sessions() as session:
        return session.scalars(select(cls)).one()


def test_another_devices_records_are_kept_aside_not_overwritten_or_tombstoned(
    laptop: Context, office: Context, other: Context, tmp_path: Path
) -> None:
    subject = _one(laptop, SubjectRow)
    inspection = _one(laptop, InspectionRow)
    _copy_row(laptop, other, SubjectRow, subject.id, phone="110", version=5, device_id=other.device_id)  # type: ignore[attr-defined]
    _copy_row(
        laptop,
        other,
        InspectionRow,
        inspection.id,  # type: ignore[attr-defined]
        deleted_at=other.now(),
        version=9,
        device_id=other.device_id,
        subject_id=subject.id,  # type: ignore[attr-defined]
    )
    before = counts(office)
    report = exchange.import_bundle(office, exchange.export_bundle(other, tmp_path / "b").path)
    assert {(c["type"], c["reason"]) for c in report.conflicts} == {
        ("subject", "owner"),
        ("inspection", "owner"),
    }
    assert report.updated == 0
    with office.sessions() as session:
        assert session.get(SubjectRow, subject.id).phone == "13905391234"  # type: ignore[union-attr, attr-defined]
        assert session.get(InspectionRow, inspection.id).deleted_at is None  # type: ignore[union-attr, attr-defined]
    assert counts(office) == before


def test_a_new_record_under_another_devices_inspection_is_a_conflict(
    laptop: Context, office: Context, other: Context, tmp_path: Path
) -> None:
    inspection = _one(laptop, InspectionRow)
    subject = _one(laptop, SubjectRow)
    _copy_row(laptop, other, SubjectRow, subject.id, device_id=other.device_id)  # type: ignore[attr-defined]
    _copy_row(laptop, other, InspectionRow, inspection.id, device_id=other.device_id)  # type: ignore[attr-defined]
    evidence.add_evidence_item(other, inspection.id, EvidenceDraft(name="伪造的证据"))  # type: ignore[attr-defined, arg-type]
    report = exchange.import_bundle(office, exchange.export_bundle(other, tmp_path / "b").path)
    reasons = {(c["type"], c["reason"]) for c in report.conflicts}
    assert ("evidence_item", "owner") in reasons
    with office.sessions() as session:
        assert session.scalars(select(EvidenceItemRow)).all() == []


def test_a_bundle_speaking_for_another_device_is_refused(
    laptop: Context, office: Context, other: Context, tmp_path: Path
) -> None:
    impostor = dataclasses.replace(other, device_id=laptop.device_id)  # B's key, A's device id
    _new_record(impostor)
    path = exchange.export_bundle(impostor, tmp_path / "b").path
    before = counts(office)
    with pytest.raises(BundleRefused, match=r"冒用另一台电脑的身份|已登记给另一台电脑"):
        exchange.import_bundle(office, path)
    assert counts(office) == before


def test_records_claiming_another_devices_id_are_refused(
    laptop: Context, office: Context, other: Context, tmp_path: Path
) -> None:
    subject = _one(laptop, SubjectRow)
    _copy_row(laptop, other, SubjectRow, subject.id, version=7, phone="110")  # type: ignore[attr-defined]  # keeps A's device id
    with pytest.raises(BundleRefused, match="声称出自设备号"):
        exchange.import_bundle(office, exchange.export_bundle(other, tmp_path / "b").path)


def test_a_finalised_revision_and_its_pdf_never_change(
    laptop: Context, office: Context, tmp_path: Path
) -> None:
    revision = _one(laptop, DocumentRevisionRow)
    evil = documents.file_store(laptop).add_bytes(b"%PDF-1.4 forged", name="forged.pdf").sha256
    _sql(
        laptop,
        "UPDATE document_revision SET pdf_sha256 = ?, version = version + 1 WHERE id = ?",
        evil,
        revision.id.hex,  # type: ignore[attr-defined]
    )
    report = exchange.import_bundle(office, exchange.export_bundle(laptop, tmp_path / "a1").path)
    assert [(c["type"], c["reason"]) for c in report.conflicts] == [("document_revision", "frozen")]
    assert _one(office, DocumentRevisionRow).pdf_sha256 == revision.pdf_sha256  # type: ignore[attr-defined]
    [conflict] = exchange.list_conflicts(office)
    with pytest.raises(ValidationFailed, match="已定稿"):
        exchange.resolve_conflict(office, conflict.id, take_incoming=True, reason="对方要求")


def test_audit_entries_in_another_devices_name_are_refused(
    laptop: Context, office: Context, other: Context, tmp_path: Path
) -> None:
    _new_record(other)
    _sql(other, "UPDATE audit_log SET device_id = ? WHERE seq = 1", laptop.device_id)
    with pytest.raises(BundleRefused, match="不能代替其他设备记审计日志"):
        exchange.import_bundle(office, exchange.export_bundle(other, tmp_path / "b").path)


def test_a_rewritten_and_rechained_audit_log_is_refused(
    laptop: Context, office: Context, tmp_path: Path
) -> None:
    with laptop.sessions.begin() as session:
        rows = list(session.scalars(select(AuditRow).order_by(AuditRow.seq)))
        rows[1].actor = "某某"  # edit, then re-chain everything after it (the hash has no key)
        prev = rows[0].entry_hash
        for row in rows[1:]:
            row.prev_hash = prev
            row.entry_hash = audit.entry_hash(row)
            prev = row.entry_hash
    with laptop.sessions() as session:
        assert audit.verify_chain(session) is None  # locally it still looks whole
    _new_record(laptop)
    path = exchange.export_bundle(laptop, tmp_path / "a1", everything=True).path
    with pytest.raises(BundleRefused, match="审计日志被改写"):
        exchange.import_bundle(office, path)


def test_an_audit_entry_deleted_in_the_middle_is_refused(
    laptop: Context, make_ctx: Callable[[str], Context], tmp_path: Path
) -> None:
    """A row deleted from the middle of the laptop's log (not re-chained): the office has never seen
    it, so no chain check there could notice; a whole or incremental export has no gap, so the gap
    itself is refused. A one-inspection export picks entries and may have gaps."""
    fresh = make_ctx("office-fresh")
    run_setup(fresh, TEST_AGENCY, TEST_OFFICERS, "OF")
    exchange.trust_device(fresh, exchange.ensure_device_key(laptop), "兰山 A1 号电脑")
    _sql(laptop, "DELETE FROM audit_log WHERE seq = 3")
    before = counts(fresh)
    for everything in (False, True):  # incremental first: the whole export marks the log exported
        path = exchange.export_bundle(laptop, tmp_path / f"a{everything}", everything=everything).path
        with pytest.raises(BundleRefused, match="审计日志缺第 3 条（共 1 条）"):
            exchange.import_bundle(fresh, path)
        assert counts(fresh) == before
    inspection = _one(laptop, InspectionRow)
    scoped = exchange.export_bundle(laptop, tmp_path / "one", matter_id=inspection.id).path  # type: ignore[attr-defined]
    assert exchange.import_bundle(fresh, scoped).inserted > 0


def test_a_forged_audit_entry_is_refused(laptop: Context, office: Context, tmp_path: Path) -> None:
    _new_record(laptop)
    exported = {
        r[0] for r in rawdb.connect(office.data_dir / "fieldkit.db").execute("SELECT seq FROM imported_audit")
    }
    _sql(laptop, "UPDATE audit_log SET actor = '某某' WHERE seq = ?", max(exported) + 1)
    with pytest.raises(BundleRefused, match="与其哈希不符"):
        exchange.import_bundle(office, exchange.export_bundle(laptop, tmp_path / "a1").path)


# ---- 本机编号 and 文号 (issue 9 item 2) -------------------------------------------------------------


def test_trusting_a_second_device_with_a_code_in_use_is_refused(
    laptop: Context, office: Context, make_ctx: Callable[[str], Context]
) -> None:
    twin = make_ctx("twin")
    run_setup(twin, TEST_AGENCY, TEST_OFFICERS, "A1")
    with pytest.raises(ValidationFailed, match="本机编号：A1 已登记给受信任的电脑「兰山 A1 号电脑」"):
        exchange.trust_device(office, exchange.ensure_device_key(twin), "另一台", device_code="A1")
    with pytest.raises(ValidationFailed, match="本机（办公室）自己的编号"):
        exchange.trust_device(office, exchange.ensure_device_key(twin), "另一台", device_code="OF")


def test_a_second_laptop_with_the_same_code_is_refused_in_chinese(
    laptop: Context, office: Context, make_ctx: Callable[[str], Context], tmp_path: Path
) -> None:
    twin = make_ctx("twin")
    run_setup(twin, TEST_AGENCY, TEST_OFFICERS, "A1")
    documents.print_document(twin, rectification(twin, make_inspection(twin)), accept_warnings=True)  # type: ignore[arg-type]
    # The code is not given here: the first bundle binds it.
    exchange.trust_device(office, exchange.ensure_device_key(twin), "另一台")
    before = counts(office)
    with pytest.raises(BundleRefused) as refused:
        exchange.import_bundle(office, exchange.export_bundle(twin, tmp_path / "t").path)
    text = "\n".join(refused.value.problems)
    number = _one(laptop, DocumentRow).number  # type: ignore[attr-defined]
    assert "本机编号 A1 已属于另一台受信任的电脑「兰山 A1 号电脑」" in text
    assert f"文号冲突：「{number}」" in text and "IntegrityError" not in text
    assert counts(office) == before


def test_a_document_number_that_belongs_to_another_document_is_a_chinese_refusal(
    laptop: Context, office: Context, other: Context, tmp_path: Path
) -> None:
    document = _one(laptop, DocumentRow)
    documents.print_document(other, rectification(other, make_inspection(other)), accept_warnings=True)  # type: ignore[arg-type]
    _sql(
        other,
        "UPDATE document SET number = ?, number_device = ?, number_seq = ?, version = version + 1",
        document.number,  # type: ignore[attr-defined]
        document.number_device,  # type: ignore[attr-defined]
        document.number_seq,  # type: ignore[attr-defined]
    )
    before = counts(office)
    with pytest.raises(BundleRefused) as refused:
        exchange.import_bundle(office, exchange.export_bundle(other, tmp_path / "b").path)
    [problem] = refused.value.problems
    assert problem.startswith(f"文号冲突：「{document.number}」已是本库中设备 A1 的文书「责令改正通知书」")  # type: ignore[attr-defined]
    assert "设备 B2" in problem and str(document.id) in problem  # type: ignore[attr-defined]
    assert counts(office) == before


def test_the_office_shows_the_device_code_each_inspection_came_with(
    laptop: Context, office: Context, tmp_path: Path
) -> None:
    """Issue 10 item 7: a laptop that starts a new series (A1 → A5) does not relabel what it sent."""
    from fieldkit.services import exchange_views, inspections

    [first] = inspections.inspection_ids(laptop)
    _sql(laptop, "UPDATE local_meta SET value = 'A5' WHERE key = 'device_code'")
    second = inspections.new_inspection(laptop)
    exchange.import_bundle(office, exchange.export_bundle(laptop, tmp_path / "a5").path)
    assert exchange_views.inspection_origins(office, [first, second]) == {first: "A1", second: "A5"}


def test_a_bundle_of_an_earlier_fieldkit_without_head_or_key_still_imports(
    laptop: Context, make_ctx: Callable[[str], Context], tmp_path: Path
) -> None:
    """docs/bundle-format.md §3.6: extra.audit_head and extra.public_key are additions within
    version 1; a bundle written without them (FieldKit before them) verifies and imports."""
    from fieldkit.bundle.reader import iter_records
    from fieldkit.bundle.writer import FileOut, RecordOut, write_bundle

    office = make_ctx("office-old")
    run_setup(office, TEST_AGENCY, TEST_OFFICERS, "OF")
    exchange.trust_device(office, exchange.ensure_device_key(laptop), "A1")
    current = exchange.export_bundle(laptop, tmp_path / "new").path
    report = exchange.verify(office, current)
    assert report.ok and report.manifest is not None
    store = documents.file_store(laptop)
    (tmp_path / "old").mkdir()
    old = write_bundle(
        tmp_path / "old",
        records=[
            RecordOut(r.type, r.id, r.version, r.device_id, r.data) for r in iter_records(current, report)
        ],
        files=[
            FileOut(f.sha256, f.size, (lambda s=f.sha256: store.open(s)), f.role)
            for f in report.manifest.files
        ],
        device=exchange.device_info(laptop),
        officer="张建国",
        signing_key=at_rest.device_signing_key(laptop),
        created_at=laptop.now(),
        extra={"generator": "FieldKit 0.1.0", "scope": "incremental"},
    )
    assert "audit_head" not in exchange.verify(office, old.path).manifest.extra  # type: ignore[union-attr]
    imported = exchange.import_bundle(office, old.path)
    assert imported.inserted > 0 and not imported.conflicts


def test_a_document_set_back_to_draft_on_the_laptop_is_not_taken_over(
    laptop: Context, office: Context, tmp_path: Path
) -> None:
    """Issue 11 item 2 across the wire: a finalised document turned back into a draft in the laptop's
    SQLite (then exported) stays finalised at the office; the change is kept aside."""
    _sql(laptop, "UPDATE document SET status = 'draft', version = version + 1")
    report = exchange.import_bundle(office, exchange.export_bundle(laptop, tmp_path / "a1").path)
    assert [(c["type"], c["reason"]) for c in report.conflicts] == [("document", "frozen")]
    assert _one(office, DocumentRow).status == "final"  # type: ignore[attr-defined]
