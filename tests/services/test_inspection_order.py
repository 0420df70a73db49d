"""The inspection list in date order, newest first, sortable by every column in SQL through covering
indexes; 不符合 counts kept by triggers whoever writes the row; each list's order remembered."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from fieldkit.catalog import checklist_by_id
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.inspections import (
    InspectionStatus,
    InspectionType,
    OfficerRef,
    Outcome,
    checks_for_domains,
)
from fieldkit.services import inspections, list_orders
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.setup import load_settings
from fieldkit.store import db
from fieldkit.store.schema import INSPECTION_SORT_KEYS
from tests import rawdb
from tests.ui.conftest import add_subjects


def _visit(
    ctx: Context,
    subject: object,
    start: dt.datetime | None,
    *,
    fails: int = 0,
    officer: int = 0,
    kind: InspectionType = InspectionType.ROUTINE,
) -> uuid.UUID:
    inspection_id = inspections.new_inspection(ctx, subject, kind)  # type: ignore[arg-type]
    draft = inspections.load_inspection(ctx, inspection_id).draft
    checks = list(checks_for_domains([checklist_by_id("price_display")]))
    for i in range(fails):
        checks[i] = replace(checks[i], result=CheckResult.FAIL)
    o = load_settings(ctx).active_officers[officer]
    draft = replace(
        draft,
        start_at=start,
        domains=("price_display",),
        checks=tuple(checks),
        officers=(OfficerRef(str(o.id), o.name, o.cert_no),),
        outcome=Outcome.RECTIFY if fails else None,
    )
    inspections.save_draft(ctx, inspection_id, draft)
    return inspection_id


@pytest.fixture
def visits(set_up_ctx: Context) -> dict[str, uuid.UUID]:
    """Four visits made in an order that differs from their 检查时间."""
    ctx = set_up_ctx
    a, b, c = add_subjects(ctx, ["丙超市", "甲药店", "乙餐馆"])
    day = dt.datetime(2026, 2, 10, 9, 0, tzinfo=SHANGHAI)
    out = {
        "feb12": _visit(ctx, a, day + dt.timedelta(days=2), fails=2, officer=2),
        "feb10": _visit(ctx, b, day, fails=0, officer=1),
        "feb20": _visit(ctx, c, day + dt.timedelta(days=10), fails=1, officer=0, kind=InspectionType.SPECIAL),
        "feb11": _visit(ctx, a, day + dt.timedelta(days=1), fails=3, officer=0),
    }
    # The oldest visit is edited last: an order by last change would put it first.
    record = inspections.load_inspection(ctx, out["feb10"])
    inspections.save_draft(ctx, out["feb10"], replace(record.draft, place="兰山区临时地点"))
    return out


def _names(visits: dict[str, uuid.UUID], ids: list[uuid.UUID]) -> list[str]:
    by_id = {v: k for k, v in visits.items()}
    return [by_id[i] for i in ids if i in by_id]


def test_the_list_is_newest_first_by_inspection_time_not_by_last_edit(
    set_up_ctx: Context, visits: dict[str, uuid.UUID]
) -> None:
    ids = inspections.inspection_ids(set_up_ctx)
    assert _names(visits, ids) == ["feb20", "feb12", "feb11", "feb10"]
    assert _names(visits, inspections.inspection_ids(set_up_ctx, descending=False)) == [
        "feb10",
        "feb11",
        "feb12",
        "feb20",
    ]


def test_a_draft_without_a_start_time_sorts_by_when_it_was_made(set_up_ctx: Context, clock: object) -> None:
    (subject,) = add_subjects(set_up_ctx, ["丁商店"])
    old = _visit(set_up_ctx, subject, dt.datetime(2025, 1, 1, tzinfo=SHANGHAI))
    fresh = _visit(set_up_ctx, subject, None)  # start time cleared: made at the clock's 2026-03-02
    assert inspections.inspection_ids(set_up_ctx)[:2] == [fresh, old]


@pytest.mark.parametrize(
    ("sort", "ascending"),
    [
        # Names sort in code point order (丙 < 乙 < 甲; 张 < 李 < 王); ties by 检查时间 in the same direction.
        ("subject", ["feb11", "feb12", "feb20", "feb10"]),
        ("failed", ["feb10", "feb20", "feb12", "feb11"]),
        # By the stored code (routine 日常检查 < special 专项检查): a reworded label keeps the order.
        ("type", ["feb10", "feb11", "feb12", "feb20"]),
        ("officers", ["feb11", "feb20", "feb10", "feb12"]),
        ("start", ["feb10", "feb11", "feb12", "feb20"]),
    ],
)
def test_every_column_sorts_both_ways(
    set_up_ctx: Context, visits: dict[str, uuid.UUID], sort: str, ascending: list[str]
) -> None:
    ids = inspections.inspection_ids(set_up_ctx, sort=sort, descending=False)
    got = _names(visits, ids)
    assert got == ascending
    assert _names(visits, inspections.inspection_ids(set_up_ctx, sort=sort, descending=True)) == got[::-1]


def test_all_sort_keys_run_with_filters(set_up_ctx: Context, visits: dict[str, uuid.UUID]) -> None:
    for key in inspections.SORT_KEYS:
        for status in (None, InspectionStatus.DRAFT):
            ids = inspections.inspection_ids(set_up_ctx, sort=key, status=status, query="超市")
            assert sorted(_names(visits, ids)) == ["feb11", "feb12"], key
    with pytest.raises(ValueError):
        inspections.inspection_ids(set_up_ctx, sort="place; DROP TABLE inspection")


def test_failed_counts_are_kept_by_the_database_whoever_writes(
    set_up_ctx: Context, visits: dict[str, uuid.UUID]
) -> None:
    items = {i.id: i for i in inspections.inspection_items(set_up_ctx, list(visits.values()))}
    assert [items[visits[k]].failed_count for k in ("feb10", "feb11", "feb12", "feb20")] == [0, 3, 2, 1]
    # A row written with Core, as the bundle import does, gets its count from the trigger too.
    engine = set_up_ctx.sessions.kw["bind"]
    checks = [{"result": "fail"}, {"result": "pass"}, {"result": "fail", "note": "不符合"}]
    new_id = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO inspection (id, device_id, version, created_at, updated_at, status, inspection_type,"
                " place, officers, domains, checks, findings, outcome_note)"
                " VALUES (:id, 'x', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'draft', 'routine',"
                " '', '[]', '[]', :checks, '', '')"
            ),
            {"id": new_id.hex, "checks": json.dumps(checks)},
        )
        assert (
            conn.execute(
                text("SELECT failed_count FROM inspection WHERE id = :id"), {"id": new_id.hex}
            ).scalar()
            == 2
        )
        conn.execute(text("UPDATE inspection SET checks = '[]' WHERE id = :id"), {"id": new_id.hex})
        assert (
            conn.execute(
                text("SELECT failed_count FROM inspection WHERE id = :id"), {"id": new_id.hex}
            ).scalar()
            == 0
        )


def test_every_sort_reads_a_covering_index_in_order(
    set_up_ctx: Context, visits: dict[str, uuid.UUID]
) -> None:
    """At 100,000 rows reading rows (27 KB of JSON each) to sort them takes seconds: the plan must scan
    one covering index in order, with no sort step, for every key but 当事人 (a join on the name)."""
    engine = set_up_ctx.sessions.kw["bind"]
    for key in INSPECTION_SORT_KEYS:
        for status in (None, InspectionStatus.COMPLETED):
            captured: list[str] = []
            with engine.connect() as conn:
                from sqlalchemy import event

                def capture(_conn, _cursor, statement, params, _context, _many, sink=captured):  # type: ignore[no-untyped-def]
                    if "FROM INSPECTION" in statement.upper() and "GROUP_CONCAT" in statement.upper():
                        sink.append(statement)
                        sink.append(params)

                event.listen(engine, "before_cursor_execute", capture)
                try:
                    inspections.inspection_ids(set_up_ctx, sort=key, status=status)
                finally:
                    event.remove(engine, "before_cursor_execute", capture)
                statement, params = captured[0], captured[1]
                plan = " | ".join(
                    r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
                )
            if key == "subject":
                assert "COVERING INDEX ix_inspection_sort_subject" in plan, plan
                continue
            index = "status" if key == "start" and status is not None else key
            assert f"COVERING INDEX ix_inspection_sort_{index}" in plan, (key, status, plan)
            assert "TEMP B-TREE" not in plan, (key, status, plan)


def test_a_store_from_before_sorting_gets_its_counts_when_upgraded(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "f.db"
    engine = db.make_engine(path, rawdb.STORE_KEY)
    config = db.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0007")
    engine.dispose()
    checks = json.dumps([{"result": "不符合"}, {"result": "不符合"}, {"result": "符合"}])
    with rawdb.connect(path) as conn:
        conn.execute(
            "INSERT INTO inspection (id, device_id, version, created_at, updated_at, status, inspection_type,"
            " place, officers, domains, checks, findings, outcome_note)"
            " VALUES ('00000000000000000000000000000001', 'x', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00',"
            " 'draft', '日常检查', '', '[]', '[]', ?, '', '')",
            (checks,),
        )
    db.open_store(path, rawdb.STORE_KEY, backup_dir=tmp_path / "backups")
    with rawdb.connect(path) as conn:
        assert conn.execute("SELECT failed_count FROM inspection").fetchone() == (2,)
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {f"ix_inspection_sort_{k}" for k in INSPECTION_SORT_KEYS} <= indexes


def test_each_lists_order_is_remembered_separately(set_up_ctx: Context) -> None:
    assert list_orders.list_order(set_up_ctx, "inspections") is None
    list_orders.remember_list_order(set_up_ctx, "inspections", "failed", True)
    list_orders.remember_list_order(set_up_ctx, "dashboard.drafts", "subject", False)
    assert list_orders.list_order(set_up_ctx, "inspections") == ("failed", True)
    assert list_orders.list_order(set_up_ctx, "dashboard.drafts") == ("subject", False)


def test_the_ids_in_one_string_are_in_the_order_read_row_by_row(
    set_up_ctx: Context, visits: dict[str, uuid.UUID]
) -> None:
    """Issue 14: inspection_id_list has SQLite concatenate the ids of the ordered query; the order must be
    the query's, for every key, filter and direction (ties included: many rows share a time and a count)."""
    ctx = set_up_ctx
    subjects = [
        uuid.UUID(str(inspections.load_inspection(ctx, visits[k]).draft.subject_id))
        for k in ("feb12", "feb10")
    ]
    day = dt.datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)
    for n in range(24):
        _visit(ctx, subjects[n % 2], day + dt.timedelta(hours=n % 3), fails=n % 4, officer=n % 3)
    _visit(ctx, subjects[0], None)
    engine = ctx.sessions.kw["bind"]
    checked = 0
    for key in INSPECTION_SORT_KEYS:
        for status in (None, InspectionStatus.DRAFT):
            for query in ("", "超市"):
                for descending in (True, False):
                    stmt = inspections.inspection_id_query(
                        status=status, query=query, sort=key, descending=descending
                    )
                    with engine.connect() as conn:
                        row_by_row = [uuid.UUID(hex=h) for h in conn.execute(stmt).scalars()]
                    packed = inspections.inspection_id_list(
                        ctx, status=status, query=query, sort=key, descending=descending
                    )
                    assert list(packed) == row_by_row, (key, status, query, descending)
                    checked += len(row_by_row)
    assert checked > 500


def test_a_page_of_the_list_reads_one_covering_index_not_the_rows(
    set_up_ctx: Context, visits: dict[str, uuid.UUID]
) -> None:
    """Issue 13.7: a page's columns come from ix_inspection_page (migration 0015), not from the rows,
    whose id, device_id, updated_at and failed_count lie behind ~27 KB of check-list JSON (each row an
    overflow chain to decrypt). The page keeps its values and the order asked for; unknown ids are left out."""
    from sqlalchemy import event

    from fieldkit.services import exchange_views

    ctx = set_up_ctx
    engine = ctx.sessions.kw["bind"]
    captured: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, params, _context, _many):  # type: ignore[no-untyped-def]
        if "FROM INSPECTION" in statement.upper():
            captured.append((statement, params))

    order = [visits["feb11"], uuid.uuid4(), visits["feb20"], visits["feb10"]]  # one id that is no row
    event.listen(engine, "before_cursor_execute", capture)
    try:
        items = inspections.inspection_items(ctx, order)
        origins = exchange_views.inspection_origins(ctx, order)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert [i.id for i in items] == [order[0], order[2], order[3]]
    assert origins == {i: "" for i in (order[0], order[2], order[3])}  # this laptop's own
    with engine.connect() as conn:
        for statement, params in captured:
            plan = [r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)]
            inspection_steps = [p for p in plan if " inspection " in f" {p} " or " i " in f" {p} "]
            assert inspection_steps, plan
            assert all("USING COVERING INDEX ix_inspection_page (id=?)" in p for p in inspection_steps), plan
    assert len(captured) == 2
    # The values are the rows' own (the index is SQLite's copy of them, kept by every write).
    record = inspections.load_inspection(ctx, visits["feb12"])
    (item,) = inspections.inspection_items(ctx, [visits["feb12"]])
    assert (item.start_at, item.place, item.status, item.updated_at, item.failed_count) == (
        record.draft.start_at,
        record.draft.place,
        record.status,
        record.updated_at,
        2,
    )
    assert item.officer_names == record.draft.officers[0].name
    assert inspections.inspection_items(ctx, []) == []
    assert exchange_views.inspection_origins(ctx, []) == {}
