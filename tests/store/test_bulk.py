"""store.bulk.insert_rows stores byte for byte what table.insert() stores (issue 14: the import's inserts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, select, text

from fieldkit.services.context import Context
from fieldkit.services.demo import load_demo
from fieldkit.store.bulk import insert_rows
from fieldkit.store.schema import (
    DocumentRevisionRow,
    DocumentRow,
    EvidenceFileRow,
    EvidenceItemRow,
    FollowUpRow,
    InspectionRow,
    MatterRow,
    MeasureRow,
    SubjectRow,
)
from tests import rawdb

# The matters are made by a trigger on their parent's insert.
TABLES: list[Table] = [
    cls.__table__  # type: ignore[misc]
    for cls in (
        SubjectRow,
        InspectionRow,
        DocumentRow,
        DocumentRevisionRow,
        EvidenceItemRow,
        EvidenceFileRow,
        MeasureRow,
        FollowUpRow,
    )
]


def _dump(ctx: Context, table: str) -> list[tuple[Any, ...]]:
    db = rawdb.connect(ctx.data_dir / "fieldkit.db")
    try:
        return db.execute(f'SELECT * FROM "{table}" ORDER BY 1, 2').fetchall()
    finally:
        db.close()


def _copy(
    source: Context, dest: Context, insert: Callable[[Any, Table, list[dict[str, Any]]], None], drop: set[str]
) -> None:
    with source.sessions() as session:
        rows = {t.name: [dict(r._mapping) for r in session.execute(select(t))] for t in TABLES}
    with dest.sessions() as session:
        session.execute(text("PRAGMA defer_foreign_keys=ON"))
        for table in TABLES:
            insert(session, table, [{k: v for k, v in r.items() if k not in drop} for r in rows[table.name]])
        session.commit()


def _with_core(session: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(table.insert(), rows)


def test_the_same_rows_as_core_inserts(make_ctx: Callable[[str], Context]) -> None:
    source, core, bulk = make_ctx("source"), make_ctx("core"), make_ctx("bulk")
    load_demo(source, subject_count=12, inspection_count=8)
    # Left out: a column with a scalar default (filled in), one with a computed default (`list`, handed
    # to Core) and one with neither (NULL / the server's default).
    drop = {"uscc_note", "officers", "failed_count"}
    _copy(source, core, _with_core, drop)
    _copy(source, bulk, insert_rows, drop)
    compared = 0
    for table in [*TABLES, MatterRow.__table__]:
        rows = _dump(core, table.name)
        assert rows == _dump(bulk, table.name), table.name
        compared += len(rows)
    assert compared > 50


def test_rows_with_different_keys_each_get_their_own_insert(make_ctx: Callable[[str], Context]) -> None:
    source, core, bulk = make_ctx("source"), make_ctx("core"), make_ctx("bulk")
    load_demo(source, subject_count=6, inspection_count=2)
    with source.sessions() as session:
        rows = [dict(r._mapping) for r in session.execute(select(SubjectRow.__table__))]
    for i, row in enumerate(rows):
        if i % 2:
            del row["phone"]  # default ""
    for ctx, insert in ((core, None), (bulk, insert_rows)):
        with ctx.sessions() as session:
            if insert is None:
                for row in rows:
                    session.execute(SubjectRow.__table__.insert(), [row])
            else:
                insert(session, SubjectRow.__table__, rows)  # type: ignore[arg-type]
            session.commit()
    assert _dump(core, "subject") == _dump(bulk, "subject")
    assert sum(1 for r in _dump(bulk, "subject") if "" in r) >= 3
