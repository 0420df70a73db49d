"""Matters (案卷): kept by the database from their parent records, whatever writes them; children need one."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from fieldkit.domain.matters import MatterKind
from fieldkit.store import db
from fieldkit.store.schema import MATTER_PARENTS, EvidenceItemRow, InspectionRow, MatterRow, SubjectRow
from tests import rawdb

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
ENVELOPE = {"device_id": "dev", "version": 1, "created_at": NOW, "updated_at": NOW}


def _subject(session, name: str = "某某超市") -> uuid.UUID:  # type: ignore[no-untyped-def]
    subject_id = uuid.uuid4()
    rows = session.execute(select(SubjectRow.search_rowid)).scalars().all()
    session.execute(
        insert(SubjectRow).values(
            id=subject_id,
            name=name,
            subject_type="enterprise",
            search_rowid=max(rows, default=0) + 1,
            **ENVELOPE,
        )
    )
    return subject_id


PARENT_VALUES = {
    MatterKind.INSPECTION: {"status": "draft", "inspection_type": "routine"},
}


def test_every_kind_has_a_parent_and_a_test_row() -> None:
    assert set(MATTER_PARENTS) == set(MatterKind) == set(PARENT_VALUES)


@pytest.mark.parametrize("kind", list(MatterKind))
def test_a_parent_inserted_through_core_gets_its_matter_in_the_same_statement(
    tmp_path: Path, kind: MatterKind
) -> None:
    """A bundle import inserts parents through Core: the matter must come with them (no hook to forget)."""
    sessions = db.open_store(tmp_path / "f.db", rawdb.STORE_KEY)
    parent = MATTER_PARENTS[kind]
    parent_id = uuid.uuid4()
    with sessions.begin() as session:
        subject_id = _subject(session)
        session.execute(
            insert(parent.__table__),
            [{"id": parent_id, "subject_id": subject_id, **PARENT_VALUES[kind], **ENVELOPE}],
        )
        matter = session.get(MatterRow, parent_id)
        assert matter is not None
        assert (matter.kind, matter.subject_id, matter.created_at) == (str(kind), subject_id, NOW)
        other = _subject(session, "另一家")
        session.execute(
            update(parent.__table__).where(parent.__table__.c.id == parent_id).values(subject_id=other)
        )
        session.expire_all()
        assert session.get(MatterRow, parent_id).subject_id == other  # type: ignore[union-attr]


def test_a_parent_written_by_plain_sql_gets_its_matter_too(tmp_path: Path) -> None:
    sessions = db.open_store(tmp_path / "f.db", rawdb.STORE_KEY)
    sessions.kw["bind"].dispose()
    with rawdb.connect(tmp_path / "f.db") as conn:
        conn.execute(
            "INSERT INTO inspection (id, device_id, version, created_at, updated_at, status, inspection_type,"
            " place, officers, domains, checks, findings, outcome_note)"
            " VALUES ('0123456789abcdef0123456789abcdef', 'd', 1, '2026-03-02 02:00:00', '2026-03-02 02:00:00',"
            " 'draft', 'routine', '', '[]', '[]', '[]', '', '')"
        )
        assert conn.execute("SELECT id, kind FROM matter").fetchall() == [
            ("0123456789abcdef0123456789abcdef", "inspection")
        ]


def test_a_child_cannot_point_to_a_matter_that_does_not_exist(tmp_path: Path) -> None:
    sessions = db.open_store(tmp_path / "f.db", rawdb.STORE_KEY)
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), sessions.begin() as session:
        session.add(
            EvidenceItemRow(
                matter_id=uuid.uuid4(),
                seq=1,
                kind="documentary",
                name="营业执照",
                collected_by=[],
                **ENVELOPE,
            )
        )
    with sessions() as session:
        assert session.scalar(select(EvidenceItemRow.id)) is None


def test_an_inspection_with_children_cannot_be_removed_from_under_them(tmp_path: Path) -> None:
    sessions = db.open_store(tmp_path / "f.db", rawdb.STORE_KEY)
    inspection_id = uuid.uuid4()
    with sessions.begin() as session:
        session.execute(
            insert(InspectionRow.__table__),
            [{"id": inspection_id, **PARENT_VALUES[MatterKind.INSPECTION], **ENVELOPE}],
        )
        session.add(
            EvidenceItemRow(
                matter_id=inspection_id, seq=1, kind="documentary", name="执照", collected_by=[], **ENVELOPE
            )
        )
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), sessions.begin() as session:
        session.execute(InspectionRow.__table__.delete())
