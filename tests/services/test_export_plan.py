"""Unscoped exports pick their records in SQL against export_state and stream them (issue 12 §9)."""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select, update

from fieldkit.bundle.canonical import canonical_json
from fieldkit.domain.evidence import EvidenceDraft
from fieldkit.domain.subjects import SubjectDraft
from fieldkit.services import evidence, exchange, subjects
from fieldkit.services.context import Context
from fieldkit.store.schema import AuditRow, EvidenceItemRow, ExportStateRow, InspectionRow
from tests.conftest import Clock
from tests.services.test_documents import make_inspection


@pytest.fixture
def laptop(set_up_ctx: Context, tmp_path: Path) -> Context:
    """An inspection with two evidence items (two photos), and a few more subjects."""
    inspection_id = make_inspection(set_up_ctx)
    for n, colour in enumerate(("red", "blue")):
        item = evidence.add_evidence_item(set_up_ctx, inspection_id, EvidenceDraft(name=f"现场照片{n}"))  # type: ignore[arg-type]
        Image.new("RGB", (64, 48), colour).save(tmp_path / f"IMG_{n}.jpg")
        evidence.add_files(set_up_ctx, item, [tmp_path / f"IMG_{n}.jpg"])
    for name in ("兰山区甲便利店", "兰山区乙药房", "兰山区丙饭店"):
        subjects.add_subject(set_up_ctx, SubjectDraft(name=name))
    return set_up_ctx


def row_by_row(ctx: Context) -> list[tuple[str, str, int, str]]:
    """What an incremental export should write, found the old way: every row loaded and held against
    export_state in Python; (type, id, version, SHA-256 of the record's canonical JSON) in bundle order."""
    with ctx.sessions() as session:
        exported = {(r.record_type, r.record_id): r.version for r in session.scalars(select(ExportStateRow))}
        out = []
        for cls in exchange.SYNCED:
            rows = [
                r
                for r in session.scalars(select(cls))
                if exported.get((cls.__tablename__, str(r.id)), 0) < r.version
            ]  # type: ignore[attr-defined]
            for r in sorted(rows, key=lambda r: str(r.id)):  # type: ignore[attr-defined]
                data = {"type": cls.__tablename__, "id": str(r.id), "version": r.version}  # type: ignore[attr-defined]
                body = canonical_json({**data, "device_id": r.device_id, "data": exchange.row_data(r)})  # type: ignore[attr-defined]
                out.append((cls.__tablename__, str(r.id), r.version, hashlib.sha256(body).hexdigest()))  # type: ignore[attr-defined]
        last = exported.get(("audit_log", "seq"), 0)
        entries = session.scalars(select(AuditRow).where(AuditRow.seq > last))
        for a in sorted(entries, key=lambda a: str(a.id)):
            body = canonical_json(
                {
                    "type": "audit_log",
                    "id": str(a.id),
                    "version": 1,
                    "device_id": a.device_id,
                    "data": exchange._audit_data(a),
                }
            )
            out.append(("audit_log", str(a.id), 1, hashlib.sha256(body).hexdigest()))
    return out


def manifest_records(path: Path) -> list[tuple[str, str, int, str]]:
    with zipfile.ZipFile(path) as zf:
        manifest: dict[str, Any] = json.loads(zf.read("manifest.json"))
    return [(r["type"], r["id"], r["version"], r["sha256"]) for r in manifest["records"]]


def change_three(ctx: Context) -> dict[str, uuid.UUID]:
    """One subject edited, one added, one evidence item removed (a tombstone)."""
    edited = subjects.search_subject_ids(ctx, "甲便利店")[0]
    subjects.update_subject(
        ctx, edited, replace(subjects.get_subject(ctx, edited).draft, phone="0539-7654321")
    )
    added = subjects.add_subject(ctx, SubjectDraft(name="兰山区丁书店"))
    with ctx.sessions() as session:
        removed = session.scalars(select(EvidenceItemRow.id).order_by(EvidenceItemRow.id)).first()
    assert removed is not None
    evidence.remove_evidence_item(ctx, removed, reason="拍错了")
    return {"edited": edited, "added": added, "removed": removed}


def test_incremental_plan_picks_exactly_the_changed_new_and_tombstoned_records(
    laptop: Context, clock: Clock, tmp_path: Path
) -> None:
    exchange.export_bundle(laptop, tmp_path / "usb")
    with laptop.sessions() as session:
        assert list(exchange.changed_keys(session, exchange.plan_export(session))) == []
    clock.advance(hours=1)
    touched = change_three(laptop)
    with laptop.sessions() as session:
        plan = exchange.plan_export(session)
        picked = list(exchange.changed_keys(session, plan))
        everything = list(exchange.changed_keys(session, exchange.plan_export(session, everything=True)))
    assert {(t, i) for t, i, _ in picked} == {
        ("subject", touched["edited"]),
        ("subject", touched["added"]),
        ("evidence_item", touched["removed"]),
    }
    assert [(t, str(i), v) for t, i, v in picked] == [
        r[:3] for r in row_by_row(laptop) if r[0] != "audit_log"
    ]
    assert Counter(t for t, _, _ in everything) == {
        "subject": 5,
        "inspection": 1,
        "evidence_item": 2,
        "evidence_file": 2,
    }
    assert set(picked) < set(everything)


def test_the_bundle_holds_the_records_the_row_by_row_comparison_picks(
    laptop: Context, clock: Clock, tmp_path: Path
) -> None:
    expected = row_by_row(laptop)
    assert manifest_records(exchange.export_bundle(laptop, tmp_path / "a").path) == expected
    clock.advance(hours=1)
    change_three(laptop)
    expected = row_by_row(laptop)
    assert manifest_records(exchange.export_bundle(laptop, tmp_path / "b").path) == expected
    with pytest.raises(exchange.NothingNew):
        exchange.export_bundle(laptop, tmp_path / "c")


def test_small_chunks_write_the_same_records(
    laptop: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = manifest_records(exchange.export_bundle(laptop, tmp_path / "a", everything=True).path)
    monkeypatch.setattr(exchange, "CHUNK_ROWS", 2)
    chunked = manifest_records(exchange.export_bundle(laptop, tmp_path / "b", everything=True).path)
    # the second bundle also carries the first export's audit entry
    assert [r for r in chunked if r[0] != "audit_log"] == [r for r in whole if r[0] != "audit_log"]
    assert set(whole) < set(chunked) and len(chunked) == len(whole) + 1


def test_a_record_saved_during_an_export_waits_for_the_next_one(
    laptop: Context, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export reads one snapshot: what is saved while it runs is neither half in it nor marked."""
    exchange.export_bundle(laptop, tmp_path / "a")
    clock.advance(hours=1)
    subjects.add_subject(laptop, SubjectDraft(name="兰山区戊茶叶店"))
    saved: list[uuid.UUID] = []
    files_of = exchange._files_of

    def save_meanwhile(row: Any) -> Any:
        if not saved:  # while the files are read, before any record is
            saved.append(subjects.add_subject(laptop, SubjectDraft(name="兰山区己水果店")))
        return files_of(row)

    monkeypatch.setattr(exchange, "_files_of", save_meanwhile)
    first = exchange.export_bundle(laptop, tmp_path / "b", everything=True)
    monkeypatch.undo()
    assert saved, "the export read no file-bearing row"
    ids = {r[1] for r in manifest_records(first.path)}
    assert str(saved[0]) not in ids
    second = manifest_records(exchange.export_bundle(laptop, tmp_path / "c").path)
    assert ("subject", str(saved[0])) in {(t, i) for t, i, _, _ in second}


def test_a_row_behind_its_exported_version_is_not_picked(laptop: Context, tmp_path: Path) -> None:
    """The quick test (not exported as it is) lets such a row through; the exact one stops it."""
    exchange.export_bundle(laptop, tmp_path / "usb")
    with laptop.sessions.begin() as session:
        session.execute(
            update(ExportStateRow)
            .where(ExportStateRow.record_type == "subject")
            .values(version=ExportStateRow.version + 1)
        )
    with laptop.sessions() as session:
        assert list(exchange.changed_keys(session, exchange.plan_export(session))) == []
    assert [r for r in row_by_row(laptop) if r[0] != "audit_log"] == []


def test_the_incremental_query_reads_only_ids_and_versions_and_sorts_what_it_picked(laptop: Context) -> None:
    """Issue 14: one lookup list of export_state per table, no id index walked with a row lookup each."""
    with laptop.sessions() as session:
        for cls in exchange.SYNCED:
            stmt = exchange.changed_keys_query(cls, everything=False)
            sql = str(
                stmt.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True})
            )
            plan = " | ".join(
                row[3] for row in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
            )
            assert "LIST SUBQUERY" in plan and "TEMP B-TREE FOR ORDER BY" in plan, plan
            if cls is InspectionRow:
                assert "COVERING INDEX ix_inspection_export" in plan, plan
