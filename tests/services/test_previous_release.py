"""Data made by the previous release (0.1.0, before matters) opens and imports with every child on its matter.

tests/fixtures/previous_release/README.md says how the fixtures were made; they are never regenerated.
"""

from __future__ import annotations

import hashlib
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text

from fieldkit.bundle import keys
from fieldkit.domain.matters import MatterKind
from fieldkit.services import documents, evidence, exchange, integrity
from fieldkit.services.context import Context, open_context
from fieldkit.services.setup import run_setup
from fieldkit.store.schema import DocumentRow, EvidenceItemRow, FollowUpRow, MatterRow, MeasureRow
from tests import rawdb
from tests.conftest import TEST_AGENCY, TEST_OFFICERS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "previous_release"
CHILDREN = {
    "document": DocumentRow,
    "evidence_item": EvidenceItemRow,
    "measure": MeasureRow,
    "follow_up": FollowUpRow,
}


def unpack_store(target: Path) -> Path:
    target.mkdir(parents=True)
    with tarfile.open(FIXTURES / "demo-store.tar.xz") as tar:
        tar.extractall(target, filter="data")
    [db_file] = target.rglob("fieldkit.db")
    return db_file.parent


def old_parents(db_file: Path) -> dict[str, dict[str, str | None]]:
    """Each child's inspection as the previous release stored it: {table: {child id: inspection id}}."""
    with rawdb.connect(db_file) as conn:
        return {
            table: dict(conn.execute(f"SELECT id, inspection_id FROM {table}").fetchall())
            for table in CHILDREN
        }


def matters_of(ctx: Context) -> dict[str, dict[str, str | None]]:
    """The same as old_parents, read through the models, for children whose matter is an inspection."""
    out: dict[str, dict[str, str | None]] = {}
    with ctx.sessions() as session:
        kinds = dict(session.execute(select(MatterRow.id, MatterRow.kind)).all())
        for table, cls in CHILDREN.items():
            out[table] = {}
            for row_id, matter_id in session.execute(select(cls.id, cls.matter_id)):
                assert matter_id is None or kinds[matter_id] == MatterKind.INSPECTION
                out[table][row_id.hex] = None if matter_id is None else matter_id.hex
    return out


def table_counts(ctx: Context) -> dict[str, int]:
    with ctx.sessions() as session:
        tables = session.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars().all()
        return {t: session.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}


@pytest.fixture(scope="module")
def old_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unpack_store(tmp_path_factory.mktemp("previous") / "data")


def test_a_store_of_the_previous_release_keeps_every_child_on_its_inspection_now_a_matter(
    tmp_path: Path, old_store: Path
) -> None:
    data = unpack_store(tmp_path / "data")
    before = old_parents(data / "fieldkit.db")
    assert all(before.values()), before  # the demo made some of each
    ctx = open_context(data)
    assert matters_of(ctx) == before
    with ctx.sessions() as session:
        inspections = {r.hex for (r,) in session.execute(select(MatterRow.id))}
    with rawdb.connect(old_store / "fieldkit.db") as conn:
        assert inspections == {r for (r,) in conn.execute("SELECT id FROM inspection")}
    assert list((data / "backups").glob("fieldkit-*-before-*.db"))  # migrated after a backup

    report = integrity.verify_audit(ctx)
    assert report.ok, report.problems
    assert evidence.verify_files(ctx) == []
    finals = [d for d in documents.list_documents(ctx) if d.number and d.status == "final"]
    assert finals
    for doc in finals:
        stored = documents.load_document(ctx, doc.id).revisions[-1].pdf_sha256
        again = documents.print_document(ctx, doc.id)
        assert (
            again.action == "reprint" and hashlib.sha256(again.pdf).hexdigest() == again.pdf_sha256 == stored
        )


def test_a_format_1_bundle_imports_into_an_office_with_every_child_on_its_matter(
    make_ctx: Callable[[str], Context], old_store: Path
) -> None:
    office = make_ctx("office")
    run_setup(office, TEST_AGENCY, TEST_OFFICERS, "OF")
    laptop_key = keys.public_key_pem(rawdb.device_key(old_store))
    exchange.trust_device(office, laptop_key, "兰山 A1 号电脑")

    report = exchange.import_bundle(office, FIXTURES / "demo-all-v1.fkb")
    assert report.inserted > 0 and not report.conflicts
    assert matters_of(office) == old_parents(old_store / "fieldkit.db")

    before = table_counts(office)
    again = exchange.import_bundle(office, FIXTURES / "demo-all-v1.fkb")
    assert again.already_imported and again.inserted == again.updated == 0
    assert table_counts(office) == before
    assert integrity.verify_audit(office).ok
