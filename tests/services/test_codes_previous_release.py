"""Codes, not labels (issue 12 §4), on what the previous release really wrote: its data dir migrated,
its format-1 bundle imported, and a format-2 bundle going round (tests/fixtures/previous_release)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from fieldkit.bundle import compat
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.evidence import EvidenceKind
from fieldkit.domain.inspections import FOLLOW_UP_KINDS, InspectionType, Outcome
from fieldkit.domain.subjects import SubjectType
from fieldkit.services import exchange, inspections, integrity, subjects
from fieldkit.services.context import Context, open_context
from fieldkit.services.setup import run_setup
from fieldkit.store import db
from tests import rawdb
from tests.conftest import TEST_AGENCY, TEST_OFFICERS, Clock
from tests.fixtures.previous_release import BUNDLE_V1, trust_laptop, unpack_store

# table, column → the codes it may hold now, and the format-1 label → code table.
COLUMNS: dict[tuple[str, str], tuple[set[str], dict[str, str]]] = {
    ("subject", "subject_type"): ({m.value for m in SubjectType}, compat.V1_SUBJECT_TYPE),
    ("inspection", "inspection_type"): ({m.value for m in InspectionType}, compat.V1_INSPECTION_TYPE),
    ("inspection", "outcome"): ({m.value for m in Outcome}, compat.V1_OUTCOME),
    ("evidence_item", "kind"): ({m.value for m in EvidenceKind}, compat.V1_EVIDENCE_KIND),
    ("follow_up", "kind"): ({m.value for m in FOLLOW_UP_KINDS}, compat.V1_FOLLOW_UP_KIND),
}
TABLES = (
    "subject",
    "inspection",
    "evidence_item",
    "evidence_file",
    "measure",
    "follow_up",
    "document",
    "audit_log",
)
RESULT_CODES = {r.value for r in CheckResult}


def _snapshot(path: Path) -> dict[str, Any]:
    """What the coded columns hold, row by row, with the table counts and each inspection's results."""
    with rawdb.connect(path) as conn:
        out: dict[str, Any] = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        for table, column in COLUMNS:
            out[f"{table}.{column}"] = dict(conn.execute(f"SELECT id, {column} FROM {table}").fetchall())
        out["results"] = {
            row_id: [c.get("result") for c in json.loads(checks)]
            for row_id, checks in conn.execute("SELECT id, checks FROM inspection")
        }
        out["failed_count"] = dict(conn.execute("SELECT id, failed_count FROM inspection").fetchall())
        out["triggers"] = sorted(
            sql for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
        )
    return out


def _assert_codes(snap: dict[str, Any]) -> None:
    for (table, column), (codes, _v1) in COLUMNS.items():
        values = set(snap[f"{table}.{column}"].values()) - {None}
        assert values <= codes, f"{table}.{column}: {values - codes}"
    for results in snap["results"].values():
        assert set(results) - {None} <= RESULT_CODES
    for row_id, results in snap["results"].items():
        assert snap["failed_count"][row_id] == results.count(CheckResult.FAIL.value)


@pytest.fixture
def laptop_dir(tmp_path: Path) -> Path:
    return unpack_store(tmp_path / "laptop")


def test_the_previous_release_store_is_migrated_to_codes_with_nothing_lost(
    laptop_dir: Path, clock: Clock
) -> None:
    before = _snapshot(laptop_dir / "fieldkit.db")
    # The fixture really holds the labels this migration is about.
    assert "企业" in before["subject.subject_type"].values()
    assert "不符合" in {r for rs in before["results"].values() for r in rs}
    assert sum(before["failed_count"].values()) > 0 and before["follow_up"] > 0

    ctx = open_context(laptop_dir, clock=clock)
    after = _snapshot(laptop_dir / "fieldkit.db")

    assert {t: after[t] for t in TABLES} == {t: before[t] for t in TABLES}
    assert after["failed_count"] == before["failed_count"]
    _assert_codes(after)
    for (table, column), (_codes, v1) in COLUMNS.items():  # each row got the code of its own label
        key = f"{table}.{column}"
        assert after[key] == {i: None if v is None else v1[v] for i, v in before[key].items()}, key
    for row_id, results in before["results"].items():
        assert after["results"][row_id] == [None if r is None else compat.V1_CHECK_RESULT[r] for r in results]
    counting = [sql for sql in after["triggers"] if "failed_count" in sql]  # (the others keep matters)
    assert counting and all("'fail'" in sql and "不符合" not in sql for sql in counting)
    # The audit log is history: untouched, still whole and anchored.
    report = integrity.verify_audit(ctx)
    assert report.ok, report.problems

    # Screens read the codes back as labels; the triggers count the code from now on.
    listed = inspections.inspection_items(ctx, list(inspections.inspection_ids(ctx)))
    assert {i.inspection_type.label for i in listed} <= {t.label for t in InspectionType}
    assert {i.outcome.label for i in listed if i.outcome} >= {"责令改正", "立案调查"}
    subject_list = subjects.subject_items(ctx, list(subjects.search_subject_ids(ctx, "")))
    assert {s.subject_type.label for s in subject_list} == {
        "企业",
        "个体工商户",
        "农民专业合作社",
        "其他组织",
    }
    draft_item = next(i for i in listed if i.status == "draft" and before["results"][i.id.hex])
    draft = inspections.load_inspection(ctx, draft_item.id).draft
    failing = tuple(replace(c, result=CheckResult.FAIL) for c in draft.checks)
    inspections.save_draft(ctx, draft_item.id, replace(draft, checks=failing))
    (again,) = inspections.inspection_items(ctx, [draft_item.id])
    assert again.failed_count == len(failing) > 0


def test_the_downgrade_gives_the_labels_back(laptop_dir: Path, clock: Clock) -> None:
    from alembic import command

    path = laptop_dir / "fieldkit.db"
    before = _snapshot(path)
    open_context(laptop_dir, clock=clock).sessions.kw["bind"].dispose()
    engine = db.make_engine(path, rawdb.key_of(path.parent))
    config = db.alembic_config()
    with engine.connect() as conn:
        # Down to before this migration, through the later ones too (0013 matters), whose table rebuilds
        # need foreign keys off, as store.db.migrate has them for upgrades.
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        with conn.begin():
            config.attributes["connection"] = conn
            command.downgrade(config, "0011")
    engine.dispose()
    assert _snapshot(path) == before


def _office(make_ctx: Callable[[str], Context], name: str) -> Context:
    office = make_ctx(name)
    run_setup(office, TEST_AGENCY, TEST_OFFICERS, "OF")
    return office


def test_a_format_1_bundle_imports_with_codes_stored(
    laptop_dir: Path, make_ctx: Callable[[str], Context], clock: Clock
) -> None:
    office = _office(make_ctx, "office")
    trust_laptop(office, laptop_dir)
    report = exchange.import_bundle(office, BUNDLE_V1)
    assert report.inserted > 0 and not report.conflicts
    imported = _snapshot(office.data_dir / "fieldkit.db")
    _assert_codes(imported)
    # Row for row what the laptop's own store holds once migrated: one data, two ways in.
    open_context(laptop_dir, clock=clock)
    migrated = _snapshot(laptop_dir / "fieldkit.db")
    for key in [f"{t}.{c}" for t, c in COLUMNS] + ["results", "failed_count"]:
        assert imported[key] == migrated[key], key
    assert integrity.verify_audit(office).ok
    assert exchange.import_bundle(office, BUNDLE_V1).already_imported


def test_a_format_2_bundle_carries_codes_and_round_trips(
    laptop_dir: Path, make_ctx: Callable[[str], Context], clock: Clock, tmp_path: Path
) -> None:
    laptop = open_context(laptop_dir, clock=clock)
    result = exchange.export_bundle(laptop, tmp_path / "out", everything=True)
    with zipfile.ZipFile(result.path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        records = [json.loads(zf.read(r["path"])) for r in manifest["records"]]
    assert manifest["format_version"] == 2
    kinds = {r["data"]["subject_type"] for r in records if r["type"] == "subject"}
    results = {c["result"] for r in records if r["type"] == "inspection" for c in r["data"]["checks"]}
    assert kinds <= {m.value for m in SubjectType} and "enterprise" in kinds
    assert "fail" in results and not results & set(compat.V1_CHECK_RESULT)

    office = _office(make_ctx, "office2")
    trust_laptop(office, laptop_dir)
    report = exchange.import_bundle(office, result.path)
    assert report.inserted > 0 and not report.conflicts
    imported = _snapshot(office.data_dir / "fieldkit.db")
    migrated = _snapshot(laptop_dir / "fieldkit.db")
    _assert_codes(imported)
    for key in [f"{t}.{c}" for t, c in COLUMNS] + ["results", "failed_count"]:
        assert imported[key] == migrated[key], key
