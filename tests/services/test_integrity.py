"""Tampering in the SQLite file is detected: the signed audit head outside the database, content and
PDF hashes re-checked against the log, evidence records bound to their files (issue 11 item 2)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from fieldkit.bundle.errors import BundleRefused
from fieldkit.domain.evidence import EvidenceDraft
from fieldkit.domain.subjects import SubjectDraft
from fieldkit.services import anchor, documents, evidence, exchange, integrity, subjects
from fieldkit.services.context import Context, open_context
from fieldkit.services.documents import DocumentLocked
from fieldkit.services.setup import run_setup
from fieldkit.store import audit
from fieldkit.store.schema import AuditRow, DocumentRevisionRow, DocumentRow, EvidenceFileRow, SubjectRow
from tests import rawdb
from tests.conftest import TEST_AGENCY, TEST_OFFICERS
from tests.services.test_documents import make_inspection, rectification


@pytest.fixture
def laptop(set_up_ctx: Context, tmp_path: Path) -> Context:
    inspection_id = make_inspection(set_up_ctx)
    item = evidence.add_evidence_item(set_up_ctx, inspection_id, EvidenceDraft(name="现场照片"))  # type: ignore[arg-type]
    for i, colour in enumerate(("red", "green")):
        Image.new("RGB", (64, 48), colour).save(tmp_path / f"IMG_{i}.jpg")
    evidence.add_files(set_up_ctx, item, sorted(tmp_path.glob("IMG_*.jpg")))
    documents.print_document(set_up_ctx, rectification(set_up_ctx, inspection_id), accept_warnings=True)  # type: ignore[arg-type]
    return set_up_ctx


def _sql(ctx: Context, statement: str, *params: object) -> None:
    with rawdb.connect(ctx.data_dir / "fieldkit.db") as conn:
        conn.execute(statement, params)


def _problems(ctx: Context) -> str:
    return "\n".join(integrity.verify_audit(ctx).problems)


def _last_seq(ctx: Context) -> int:
    with ctx.sessions() as session:
        return session.scalars(select(AuditRow.seq).order_by(AuditRow.seq.desc())).first() or 0


def test_a_clean_store_verifies_and_its_head_is_signed_outside_the_database(laptop: Context) -> None:
    report = integrity.verify_audit(laptop)
    assert report.ok, report.problems
    head = json.loads((laptop.data_dir / "audit-head.json").read_text())
    assert head["seq"] == _last_seq(laptop) == report.head_seq and len(head["signature"]) == 128
    assert integrity.evidence_bindings(laptop) == []


def test_deleting_the_last_audit_rows_is_detected(laptop: Context) -> None:
    last = _last_seq(laptop)
    _sql(laptop, "DELETE FROM audit_log WHERE seq > ?", last - 3)
    with laptop.sessions() as session:
        assert audit.verify_chain(session) is None  # the chain alone cannot see it
    assert (
        f"审计日志被截断：本机密钥签名的锚点记录到第 {last} 条，数据库中只剩到第 {last - 3} 条"
        in _problems(laptop)
    )


def test_an_edited_and_rechained_log_is_detected(laptop: Context) -> None:
    with laptop.sessions.begin() as session:
        rows = list(session.scalars(select(AuditRow).order_by(AuditRow.seq)))
        rows[2].actor = "某某"
        prev = rows[1].entry_hash
        for row in rows[2:]:
            row.prev_hash, row.entry_hash = prev, ""
            row.entry_hash = prev = audit.entry_hash(row)
        session.info.pop("fieldkit.audit_last_row", None)
    assert "审计日志被改写后重新串链" in _problems(laptop)


def test_a_head_file_that_is_edited_or_removed_is_reported(laptop: Context) -> None:
    path = laptop.data_dir / "audit-head.json"
    head = json.loads(path.read_text())
    path.write_text(json.dumps({**head, "seq": head["seq"] - 2}))
    assert "签名无效" in _problems(laptop)
    path.unlink()
    assert "锚点文件 audit-head.json 缺失" in _problems(laptop)
    reopened = open_context(laptop.data_dir)  # not silently re-made on the next start
    assert not path.exists() and "缺失" in _problems(reopened)


def test_an_edited_finalised_document_is_detected(laptop: Context) -> None:
    revision = _one(laptop, DocumentRevisionRow)
    values = {**revision.values, "deadline": "2099-01-01"}  # type: ignore[attr-defined]
    _sql(laptop, 'UPDATE document_revision SET "values" = ?', json.dumps(values, ensure_ascii=False))
    assert "定稿后被改动" in _problems(laptop)
    # …and with the content hash recomputed to match, the log still says otherwise.
    doc = _one(laptop, DocumentRow)
    digest = documents.content_hash(doc.form_id, revision.form_version, revision.number, values)  # type: ignore[attr-defined]
    _sql(laptop, "UPDATE document_revision SET content_hash = ?", digest)
    assert "与审计日志中定稿时记录的不符" in _problems(laptop)


def test_an_evidence_record_pointed_at_another_stored_file_is_detected(laptop: Context) -> None:
    with laptop.sessions() as session:
        first = session.scalars(select(EvidenceFileRow).order_by(EvidenceFileRow.position)).first()
    assert first is not None
    other = evidence.store(laptop).add_bytes(b"another photo", name="other.jpg").sha256
    _sql(laptop, "UPDATE evidence_file SET sha256 = ? WHERE id = ?", other, first.id.hex)
    [problem] = evidence.verify_files(laptop)  # every stored file is intact: the record is not
    assert f"「{first.original_name}」的记录指向另一个文件" in problem.message
    # audit verify says evidence records agree with the log, so it must see this too.
    assert f"「{first.original_name}」的记录指向另一个文件" in _problems(laptop)


def test_a_swapped_pdf_is_detected(laptop: Context) -> None:
    other = documents.file_store(laptop).add_bytes(b"%PDF-1.4 other", name="x.pdf").sha256
    _sql(laptop, "UPDATE document_revision SET pdf_sha256 = ?", other)
    assert "不是定稿时存档的那一份" in integrity.evidence_bindings(laptop)[0].message
    assert "定稿后被替换" in _problems(laptop)


def test_a_document_set_back_to_draft_is_neither_printed_nor_unnoticed(laptop: Context) -> None:
    doc = _one(laptop, DocumentRow)
    _sql(laptop, "UPDATE document SET status = 'draft'")
    with pytest.raises(DocumentLocked, match="已有定稿的第 1 版，状态却是草稿"):
        documents.print_document(laptop, doc.id, accept_warnings=True)  # type: ignore[attr-defined]
    with laptop.sessions() as session:
        assert len(session.scalars(select(DocumentRevisionRow)).all()) == 1
    assert "状态却是草稿：数据库被改动" in _problems(laptop)


def _one(ctx: Context, cls: type) -> object:
    with ctx.sessions() as session:
        return session.scalars(select(cls)).one()


# ---- carried in every bundle: truncation visible at the office ---------------------------------


@pytest.fixture
def office(make_ctx: Callable[[str], Context], laptop: Context) -> Context:
    ctx = make_ctx("office")
    run_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "OF")
    exchange.trust_device(ctx, exchange.ensure_device_key(laptop), "兰山 A1 号电脑")
    return ctx


def test_every_bundle_carries_the_signed_head_and_the_office_keeps_it(
    laptop: Context, office: Context, tmp_path: Path
) -> None:
    result = exchange.export_bundle(laptop, tmp_path / "usb")
    report = exchange.verify(office, result.path)
    head = report.manifest.extra["audit_head"]  # type: ignore[union-attr]
    assert anchor.signature_valid(exchange.ensure_device_key(laptop), laptop.device_id, head)
    exchange.import_bundle(office, result.path)
    assert integrity.verify_audit(office).ok


def test_a_laptop_log_cut_short_after_an_export_is_refused_at_the_office(
    laptop: Context, office: Context, clock: object, tmp_path: Path
) -> None:
    exchange.import_bundle(office, exchange.export_bundle(laptop, tmp_path / "a").path)
    last = _last_seq(laptop)
    _sql(laptop, "DELETE FROM audit_log WHERE seq > ?", last - 6)
    (laptop.data_dir / "audit-head.json").unlink()
    clock.advance(hours=1)  # type: ignore[attr-defined]
    subjects.add_subject(laptop, SubjectDraft(name="兰山区新开小店"))
    before = len(subjects.search_subject_ids(office))
    with pytest.raises(BundleRefused, match=r"被截断或回滚|审计日志被改写"):
        exchange.import_bundle(office, exchange.export_bundle(laptop, tmp_path / "b", everything=True).path)
    assert len(subjects.search_subject_ids(office)) == before


def test_what_an_earlier_import_let_through_is_found_by_verify(
    laptop: Context, office: Context, make_ctx: Callable[[str], Context], tmp_path: Path
) -> None:
    """Forged writes of another device accepted by an older FieldKit: verify names them now."""
    exchange.import_bundle(office, exchange.export_bundle(laptop, tmp_path / "a").path)
    assert integrity.verify_audit(office).ok and integrity.evidence_bindings(office) == []
    other = make_ctx("b")
    run_setup(other, TEST_AGENCY, TEST_OFFICERS, "B2")
    exchange.trust_device(office, exchange.ensure_device_key(other), "B2")
    exchange.import_bundle(office, exchange.export_bundle(other, tmp_path / "b").path)
    subject = _one(laptop, SubjectRow)
    with rawdb.connect(office.data_dir / "fieldkit.db") as conn:
        # B's bundle overwrote A's subject, swapped the PDF and carried an audit entry in A's name.
        conn.execute(
            "UPDATE subject SET device_id = ?, version = version + 1, phone = '110' WHERE id = ?",
            (other.device_id, subject.id.hex),  # type: ignore[attr-defined]
        )
        conn.execute("UPDATE document_revision SET pdf_sha256 = ?", ("ab" * 32,))
        b_bundle = conn.execute("SELECT bundle_id FROM imported_bundle WHERE device_code = 'B2'").fetchone()[
            0
        ]
        conn.execute(
            "UPDATE imported_audit SET bundle_id = ? WHERE source_device_id = ? AND seq = 1",
            (b_bundle, laptop.device_id),
        )
    text = _problems(office)
    assert "被其他设备改写" in text and "是设备 B2 的包带入的" in text and "定稿后被替换" in text
    assert any("不是定稿时存档的那一份" in p.message for p in integrity.evidence_bindings(office))


def test_the_office_holds_imported_entries_against_the_heads_the_laptops_signed(
    laptop: Context, office: Context, tmp_path: Path
) -> None:
    exchange.import_bundle(office, exchange.export_bundle(laptop, tmp_path / "a").path)
    assert integrity.verify_audit(office).ok
    head = exchange.verify(office, next((tmp_path / "a").iterdir())).manifest.extra["audit_head"]  # type: ignore[union-attr]
    with rawdb.connect(office.data_dir / "fieldkit.db") as conn:
        # Someone at the office rewrites the imported last entry and re-hashes it consistently.
        entry_id, entry = conn.execute(
            "SELECT id, entry FROM imported_audit WHERE seq = ?", (head["seq"],)
        ).fetchone()
        data = json.loads(entry)
        data["actor"] = "某某"
        data["entry_hash"] = audit.entry_hash(audit.entry_row(uuid.UUID(entry_id), laptop.device_id, data))
        conn.execute(
            "UPDATE imported_audit SET entry = ? WHERE seq = ?",
            (json.dumps(data, ensure_ascii=False), head["seq"]),
        )
    assert "与该设备签名的末尾不符" in _problems(office)


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM imported_audit WHERE seq = (SELECT max(seq) FROM imported_audit)",
        "DELETE FROM imported_audit WHERE seq = 3",
        "DELETE FROM imported_audit WHERE seq = 3; DELETE FROM imported_bundle",
    ],
    ids=["last", "middle", "middle_and_receipts"],
)
def test_imported_entries_deleted_at_the_office_are_detected(
    laptop: Context, make_ctx: Callable[[str], Context], tmp_path: Path, statement: str
) -> None:
    """The office's own anchored log notes how many entries of each laptop it kept and the signed
    end it received: deleting imported entries (and the bundle receipts) no longer goes unseen."""
    office = make_ctx("office-del")
    run_setup(office, TEST_AGENCY, TEST_OFFICERS, "OF")
    exchange.trust_device(office, exchange.ensure_device_key(laptop), "A1")
    exchange.import_bundle(office, exchange.export_bundle(laptop, tmp_path / "usb").path)
    assert integrity.verify_audit(office).ok
    with rawdb.connect(office.data_dir / "fieldkit.db") as conn:
        conn.executescript(statement)
    assert "导入后被删除" in _problems(office)


def test_a_store_just_set_up_is_anchored(set_up_ctx: Context) -> None:
    """Set-up logs before it makes the key: the key's creation anchors what was logged."""
    assert (set_up_ctx.data_dir / "audit-head.json").exists()
    assert integrity.verify_audit(set_up_ctx).ok
