"""Issue 11.4/11.9: signed bundles with bad records are refused whole — Chinese message, nothing written."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from fieldkit.domain.evidence import EvidenceDraft
from fieldkit.errors import FieldkitError, ValidationFailed
from fieldkit.services import at_rest, evidence, exchange, integrity
from fieldkit.services.context import Context
from fieldkit.services.setup import run_setup
from fieldkit.store.schema import InspectionRow
from tests import rawdb
from tests.conftest import TEST_AGENCY, TEST_OFFICERS, Clock
from tests.hostile_corpus import RECORD_MUTATIONS, Signer, forgery_cases, record_cases
from tests.services.test_exchange import laptop, office  # noqa: F401 — fixtures

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def snapshot(ctx: Context) -> tuple[dict[str, int], set[str]]:
    """Row counts of every table and the stored files: what "changes nothing" compares."""
    db = rawdb.connect(ctx.data_dir / "fieldkit.db")
    try:
        tables = [
            t
            for (t,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        db.close()
    evidence = ctx.data_dir / "evidence"
    files = (
        {str(p.relative_to(evidence)) for p in evidence.rglob("*") if p.is_file()}
        if evidence.exists()
        else set()
    )
    return counts, files


def test_every_bad_record_case_is_refused_and_changes_nothing(
    laptop: Context,  # noqa: F811
    office: Context,  # noqa: F811
    tmp_path: Path,
) -> None:
    base = exchange.export_bundle(laptop, tmp_path / "base").path
    key = at_rest.device_signing_key(laptop)
    cases = list(record_cases(base, key, exchange.device_info(laptop), tmp_path / "corpus"))
    assert len(cases) == len(RECORD_MUTATIONS)
    before = snapshot(office)
    failures = []
    for case in cases:
        try:
            exchange.import_bundle(office, case.path)
        except FieldkitError as exc:
            text = str(exc)
            if not CHINESE.search(text) or not all(w in text for w in case.words):
                failures.append(f"{case.name}: message lacks {case.words}: {text[:300]}")
        except Exception as exc:
            failures.append(f"{case.name}: traceback {type(exc).__name__}: {exc}")
        else:
            failures.append(f"{case.name}: accepted")
        if snapshot(office) != before:
            failures.append(f"{case.name}: changed the office store")
            before = snapshot(office)
    assert not failures, "\n".join(failures)
    # The unchanged base still goes in afterwards: refusals left no half state behind.
    assert exchange.import_bundle(office, base).inserted > 0


def test_incremental_bundles_out_of_order_are_refused_before_copying_then_accepted_in_order(
    laptop: Context,  # noqa: F811
    office: Context,  # noqa: F811
    clock: Clock,
    tmp_path: Path,
) -> None:
    first = exchange.export_bundle(laptop, tmp_path / "usb").path
    clock.advance(hours=1)
    with laptop.sessions() as session:
        [inspection_id] = session.scalars(select(InspectionRow.id))
    # The second bundle holds a new evidence item of the inspection the first one carries.
    evidence.add_evidence_item(laptop, inspection_id, EvidenceDraft(name="补充照片"))
    second = exchange.export_bundle(laptop, tmp_path / "usb").path
    before = snapshot(office)
    with pytest.raises(FieldkitError, match="更早的包"):
        exchange.import_bundle(office, second)
    assert snapshot(office) == before  # no file copied, no row written
    assert exchange.import_bundle(office, first).inserted > 0
    assert exchange.import_bundle(office, second).inserted >= 1


def test_two_imports_at_once_the_second_is_told_to_wait(
    laptop: Context,  # noqa: F811
    office: Context,  # noqa: F811
    tmp_path: Path,
    make_ctx: Callable[[str], Context],
) -> None:
    path = exchange.export_bundle(laptop, tmp_path / "usb").path
    before = snapshot(office)
    with exchange._import_lock(office), pytest.raises(exchange.ImportBusy, match="另一个导入正在进行"):
        exchange.import_bundle(office, path)
    assert snapshot(office) == before
    assert exchange.import_bundle(office, path).inserted > 0


# The tables a forgery must not touch: every record the office holds and the device chains it keeps.
RECORD_TABLES = (
    "subject",
    "inspection",
    "evidence_item",
    "evidence_file",
    "document",
    "document_revision",
    "measure",
    "follow_up",
    "imported_audit",
    "trusted_device",
)


def records_of(ctx: Context) -> dict[str, list[tuple[object, ...]]]:
    db = rawdb.connect(ctx.data_dir / "fieldkit.db")
    try:
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"'), key=repr) for t in RECORD_TABLES}
    finally:
        db.close()


def test_every_forgery_is_refused_or_kept_aside_and_verify_still_holds(
    laptop: Context,  # noqa: F811
    office: Context,  # noqa: F811
    make_ctx: Callable[[str], Context],
    tmp_path: Path,
) -> None:
    """Issue 11.1, as the attack ran it: two trusted laptops; one writes over the other's records,
    claims its id, forges audit entries, swaps a finalised PDF, takes another document's 文号.
    Nothing of it is written, and the office's audit verify / evidence verify still pass."""
    other = make_ctx("laptop-b")
    run_setup(other, TEST_AGENCY, TEST_OFFICERS, "B2")
    exchange.trust_device(  # bound now, so no forgery's first bundle binds it
        office,
        exchange.ensure_device_key(other),
        "兰山 B2 号电脑",
        device_code="B2",
        device_id=other.device_id,
    )
    base = exchange.export_bundle(laptop, tmp_path / "base", everything=True).path
    assert exchange.import_bundle(office, base).inserted > 0

    def signer(ctx: Context) -> Signer:
        return Signer(at_rest.device_signing_key(ctx), exchange.device_info(ctx))

    cases = list(forgery_cases(base, signer(laptop), signer(other), tmp_path / "forgeries"))
    assert len(cases) == 15
    failures = []
    for case in cases:
        before, files = records_of(office), snapshot(office)[1]
        try:
            report = exchange.import_bundle(office, case.path)
        except FieldkitError as exc:
            text = str(exc)
            if case.kept_aside:
                failures.append(f"{case.name}: refused, expected kept aside: {text[:300]}")
            elif not CHINESE.search(text) or not all(w in text for w in case.words):
                failures.append(f"{case.name}: message lacks {case.words}: {text[:300]}")
        except Exception as exc:
            failures.append(f"{case.name}: traceback {type(exc).__name__}: {exc}")
        else:
            reasons = {c["reason"] for c in report.conflicts}
            if not case.kept_aside:
                failures.append(f"{case.name}: accepted (conflicts {reasons})")
            elif reasons != {case.kept_aside}:
                failures.append(f"{case.name}: conflicts {reasons}, expected {case.kept_aside}")
        if records_of(office) != before:
            failures.append(f"{case.name}: changed the office's records")
        if snapshot(office)[1] != files:
            failures.append(f"{case.name}: copied files into the office store")
    assert not failures, "\n".join(failures)
    # What was printed or collected cannot be taken over from the conflict list either.
    for conflict in exchange.list_conflicts(office):
        if conflict.reason in ("frozen", "bound"):
            with pytest.raises(ValidationFailed, match="只能保留本库的版本"):
                exchange.resolve_conflict(office, conflict.id, take_incoming=True, reason="对方要求")
    audit_report = integrity.verify_audit(office)
    assert audit_report.ok, audit_report.problems
    assert evidence.verify_files(office) == []
    assert integrity.evidence_bindings(office) == []
