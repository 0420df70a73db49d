"""Export → verify → import round trips between simulated laptops and an office store."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from fieldkit.bundle.errors import BundleRefused
from fieldkit.domain.evidence import EvidenceDraft
from fieldkit.domain.subjects import SubjectDraft
from fieldkit.errors import FieldkitError, ValidationFailed
from fieldkit.services import at_rest, documents, evidence, exchange, inspections, subjects
from fieldkit.services.context import Context
from fieldkit.services.setup import run_setup
from fieldkit.store.schema import (
    DocumentRevisionRow,
    EvidenceFileRow,
    ImportConflictRow,
    InspectionRow,
    SubjectRow,
)
from tests import rawdb
from tests.conftest import TEST_AGENCY, TEST_OFFICERS, Clock
from tests.services.test_documents import make_inspection, rectification


@pytest.fixture
def laptop(set_up_ctx: Context, tmp_path: Path) -> Context:
    """A laptop with an inspection, three photos and a finalised 责令改正通知书."""
    inspection_id = make_inspection(set_up_ctx)
    item = evidence.add_evidence_item(set_up_ctx, inspection_id, EvidenceDraft(name="现场照片"))  # type: ignore[arg-type]
    for i, colour in enumerate(("red", "green", "blue")):
        Image.new("RGB", (320, 240), colour).save(tmp_path / f"IMG_{i}.jpg")
    evidence.add_files(set_up_ctx, item, sorted(tmp_path.glob("IMG_*.jpg")))
    document_id = rectification(set_up_ctx, inspection_id)
    documents.print_document(set_up_ctx, document_id, accept_warnings=True)
    return set_up_ctx


@pytest.fixture
def office(make_ctx: Callable[[str], Context], laptop: Context) -> Context:
    ctx = make_ctx("office")
    run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "OF")
    exchange.trust_device(ctx, exchange.ensure_device_key(laptop), "兰山 A1 号电脑")
    return ctx


def counts(ctx: Context) -> dict[str, int]:
    with ctx.sessions() as session:
        return {
            cls.__tablename__: session.scalar(
                select(func.count()).select_from(cls).where(cls.deleted_at.is_(None))
            )
            for cls in (SubjectRow, InspectionRow, EvidenceFileRow, DocumentRevisionRow)
        }


def test_round_trip_keeps_records_file_hashes_and_pdfs(
    laptop: Context, office: Context, tmp_path: Path
) -> None:
    result = exchange.export_bundle(laptop, tmp_path / "usb", officer="张建国")
    assert (
        result.path.suffix == ".fkb" and result.record_count > 5 and result.file_count >= 7
    )  # 3 photos + 3 thumbs + pdf
    report = exchange.import_bundle(office, result.path)
    assert report.inserted > 0 and not report.conflicts and report.files_added == result.file_count
    assert counts(office) == counts(laptop)
    [doc] = documents.list_documents(laptop)
    assert documents.stored_pdf(office, doc.id) == documents.stored_pdf(laptop, doc.id)
    assert subjects.search_subject_ids(office, "超市") == subjects.search_subject_ids(
        laptop, "超市"
    )  # FTS rebuilt
    with office.sessions() as session:
        hashes = set(session.scalars(select(EvidenceFileRow.sha256)))
    assert all(at_rest.files_of(office).verify(h) for h in hashes)


def test_importing_the_same_bundle_twice_changes_nothing(
    laptop: Context, office: Context, tmp_path: Path
) -> None:
    path = exchange.export_bundle(laptop, tmp_path / "usb").path
    exchange.import_bundle(office, path)
    before = (
        rawdb.connect(office.data_dir / "fieldkit.db").execute("SELECT count(*) FROM audit_log").fetchone()
    )
    again = exchange.import_bundle(office, path)
    assert again.already_imported and again.inserted == 0
    after = (
        rawdb.connect(office.data_dir / "fieldkit.db").execute("SELECT count(*) FROM audit_log").fetchone()
    )
    assert before == after


def test_second_export_with_nothing_new_says_so(laptop: Context, tmp_path: Path) -> None:
    exchange.export_bundle(laptop, tmp_path / "usb")
    with pytest.raises(exchange.NothingNew):
        exchange.export_bundle(laptop, tmp_path / "usb")
    assert len(list((tmp_path / "usb").iterdir())) == 1


def test_incremental_export_carries_edits_and_deletions(
    laptop: Context, office: Context, clock: Clock, tmp_path: Path
) -> None:
    exchange.import_bundle(office, exchange.export_bundle(laptop, tmp_path / "usb").path)
    clock.advance(hours=1)
    [subject_id] = subjects.search_subject_ids(laptop, "超市")
    current = subjects.get_subject(laptop, subject_id).draft
    subjects.update_subject(laptop, subject_id, replace(current, phone="0539-7654321"))
    extra = subjects.add_subject(laptop, SubjectDraft(name="兰山区张记小吃店"))
    subjects.delete_subject(laptop, extra)
    second = exchange.export_bundle(laptop, tmp_path / "usb")
    assert second.record_count < 10  # only what changed, plus the new audit entries
    report = exchange.import_bundle(office, second.path)
    assert report.updated == 1 and report.inserted == 1
    assert subjects.get_subject(office, subject_id).draft.phone == "0539-7654321"
    assert subjects.search_subject_ids(office, "小吃") == []  # the tombstone travelled


def test_conflicting_edits_from_two_devices_are_kept_not_overwritten(
    laptop: Context, office: Context, make_ctx: Callable[[str], Context], tmp_path: Path
) -> None:
    first = exchange.export_bundle(laptop, tmp_path / "usb").path
    other = make_ctx("laptop-b")
    run_setup(other, TEST_AGENCY, TEST_OFFICERS, "B2")
    exchange.trust_device(office, exchange.ensure_device_key(other), "B2")
    # Laptop B got the same subject (as if it had imported the same list) and edits it to version 2 too.
    [subject_id] = subjects.search_subject_ids(laptop, "超市")
    draft = subjects.get_subject(laptop, subject_id).draft
    exchange.import_bundle(office, first)
    subjects.update_subject(laptop, subject_id, replace(draft, phone="13900000111"))
    a = exchange.export_bundle(laptop, tmp_path / "a").path
    with other.sessions.begin() as session:
        row = SubjectRow(
            id=subject_id,
            device_id=other.device_id,
            version=2,
            created_at=other.now(),
            updated_at=other.now(),
            name=draft.name,
            subject_type="enterprise",
            uscc=draft.uscc,
            phone="13900000222",
            search_rowid=1,
        )
        session.add(row)
    b = exchange.export_bundle(other, tmp_path / "b").path
    exchange.import_bundle(office, a)
    report = exchange.import_bundle(office, b)
    assert [c["id"] for c in report.conflicts] == [str(subject_id)]
    assert subjects.get_subject(office, subject_id).draft.phone == "13900000111"
    [conflict] = exchange.list_conflicts(office)
    assert isinstance(conflict, ImportConflictRow) and conflict.incoming["phone"] == "13900000222"
    with pytest.raises(ValidationFailed):
        exchange.resolve_conflict(office, conflict.id, take_incoming=True, reason="")
    exchange.resolve_conflict(
        office, conflict.id, take_incoming=True, reason="经电话核实，B2 的号码为当事人现用号码"
    )
    resolved = subjects.get_subject(office, subject_id)
    assert resolved.draft.phone == "13900000222" and resolved.version == 3  # travels on as a newer version
    assert exchange.list_conflicts(office) == []


def test_unknown_device_and_tampered_bundles_are_refused_writing_nothing(
    laptop: Context, make_ctx: Callable[[str], Context], office: Context, tmp_path: Path
) -> None:
    stranger = make_ctx("stranger")
    run_setup(stranger, TEST_AGENCY, TEST_OFFICERS, "ZZ")
    subjects.add_subject(stranger, SubjectDraft(name="陌生电脑的记录"))
    unknown = exchange.export_bundle(stranger, tmp_path / "s").path
    before = counts(office)
    with pytest.raises(BundleRefused, match="设备"):
        exchange.import_bundle(office, unknown)
    good = exchange.export_bundle(laptop, tmp_path / "usb").path
    tampered = tmp_path / "tampered.fkb"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("records/subject/"):
                data = data.replace("超市".encode(), "商店".encode())
            dst.writestr(info, data)
    with pytest.raises(BundleRefused):
        exchange.import_bundle(office, tampered)
    truncated = tmp_path / "truncated.fkb"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(BundleRefused):
        exchange.import_bundle(office, truncated)
    assert counts(office) == before
    assert not list((office.data_dir / "evidence").rglob("*.jpg"))


def test_encrypted_export_round_trip(laptop: Context, office: Context, tmp_path: Path) -> None:
    public_pem = exchange.office_keygen(office)
    (tmp_path / "office.pub").write_text(public_pem)
    sealed = exchange.export_bundle(laptop, tmp_path / "usb", encrypt_to=tmp_path / "office.pub")
    assert sealed.path.name.endswith(".fkb.enc") and not list((tmp_path / "usb").glob("*.fkb"))
    assert b"manifest.json" not in sealed.path.read_bytes()
    key_file = office.data_dir / "keys" / "office.key"
    with pytest.raises(FieldkitError, match="已用本机数据密钥加密"):  # stored encrypted (issue 13.4)
        exchange.decrypt(sealed.path, key_file, tmp_path / "plain.fkb")
    plain = exchange.decrypt(
        sealed.path, key_file, tmp_path / "plain.fkb", wrap_key=at_rest.key_wrap(office.data_key)
    )
    assert exchange.import_bundle(office, plain).inserted > 0


def test_export_of_one_inspection(laptop: Context, tmp_path: Path) -> None:
    inspection_id = inspections.inspection_ids(laptop)[0]
    result = exchange.export_bundle(laptop, tmp_path / "one", matter_id=inspection_id)
    with zipfile.ZipFile(result.path) as z:
        types = {n.split("/")[1] for n in z.namelist() if n.startswith("records/")}
    assert {
        "subject",
        "inspection",
        "document",
        "document_revision",
        "evidence_item",
        "evidence_file",
    } <= types
