"""Store: pragmas, migrations with backup, models match migrations, UTC timestamps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from fieldkit.domain.agency import AgencyLevel
from fieldkit.errors import StoreError
from fieldkit.store import db
from fieldkit.store.schema import Base, LocalMetaRow
from tests import rawdb


def test_new_store_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    sessions = db.open_store(tmp_path / "f.db", rawdb.STORE_KEY)
    with sessions() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_every_connection_gets_the_larger_page_cache(tmp_path: Path) -> None:
    """Decrypting a page costs more than reading it: the cache that spares it (db.CACHE_KIB, measured in
    bench/security.py) is set on the read-write and the read-only connections alike."""
    path = tmp_path / "f.db"
    sessions = db.open_store(path, rawdb.STORE_KEY)
    for opened in (sessions, db.open_store_read_only(path, rawdb.STORE_KEY)):
        with opened() as session:
            assert session.execute(text("PRAGMA cache_size")).scalar() == -db.CACHE_KIB


# The inspection sort indexes are expression indexes, which Alembic cannot reflect on SQLite; their
# presence after migrating is checked in tests/services/test_inspection_order.py.
@pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_produce_exactly_the_models(tmp_path: Path) -> None:
    sessions = db.open_store(tmp_path / "f.db", rawdb.STORE_KEY)
    engine = sessions.kw["bind"]
    with engine.connect() as conn:
        migration_context = MigrationContext.configure(conn, opts={"include_object": db.include_object})
        diff = compare_metadata(migration_context, Base.metadata)
    assert diff == []


def test_reopening_a_current_store_makes_no_backup(tmp_path: Path) -> None:
    db.open_store(tmp_path / "f.db", rawdb.STORE_KEY, backup_dir=tmp_path / "backups")
    db.open_store(tmp_path / "f.db", rawdb.STORE_KEY, backup_dir=tmp_path / "backups")
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def test_a_database_of_an_unknown_revision_is_backed_up_and_refused(tmp_path: Path) -> None:
    """E.g. a file written by a newer FieldKit: never touched without a copy, never half-migrated."""
    path = tmp_path / "f.db"
    sessions = db.open_store(path, rawdb.STORE_KEY)
    with sessions.begin() as session:
        session.add(LocalMetaRow(key="device_code", value="B7"))
    with rawdb.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0000_base'")
    with pytest.raises(StoreError, match="数据库升级失败"):
        db.open_store(path, rawdb.STORE_KEY, backup_dir=tmp_path / "backups")
    backups = list((tmp_path / "backups").glob("fieldkit-*.db"))
    assert len(backups) == 1
    with rawdb.connect(backups[0]) as conn:
        assert conn.execute("SELECT value FROM local_meta WHERE key='device_code'").fetchone() == ("B7",)


def test_backup_copies_a_live_wal_database(tmp_path: Path) -> None:
    sessions = db.open_store(tmp_path / "f.db", rawdb.STORE_KEY)
    with sessions.begin() as session:
        session.add(LocalMetaRow(key="k", value="值"))
    copy = db.backup_database(tmp_path / "f.db", tmp_path / "b", "manual", rawdb.STORE_KEY)
    with rawdb.connect(copy) as conn:
        assert conn.execute("SELECT value FROM local_meta").fetchone() == ("值",)


def test_naive_datetimes_are_refused_and_aware_ones_come_back_utc(tmp_path: Path) -> None:
    from fieldkit.store.types import UtcDateTime

    t = UtcDateTime()
    with pytest.raises(ValueError):
        t.process_bind_param(dt.datetime(2026, 1, 1), None)  # type: ignore[arg-type]
    beijing = dt.timezone(dt.timedelta(hours=8))
    stored = t.process_bind_param(dt.datetime(2026, 1, 1, 8, tzinfo=beijing), None)  # type: ignore[arg-type]
    assert stored == dt.datetime(2026, 1, 1, 0, 0)
    assert t.process_result_value(stored, None) == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # type: ignore[arg-type]


def test_a_store_of_the_first_release_is_backed_up_and_upgraded_with_nothing_lost(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "f.db"
    engine = db.make_engine(path, rawdb.STORE_KEY)
    config = db.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO local_meta(key, value) VALUES ('device_code', 'B7')"))
    engine.dispose()
    sessions = db.open_store(path, rawdb.STORE_KEY, backup_dir=tmp_path / "backups")
    with sessions() as session:
        assert session.get(LocalMetaRow, "device_code").value == "B7"  # type: ignore[union-attr]
    assert db.current_revision(sessions.kw["bind"]) == db.head_revision()
    backups = list((tmp_path / "backups").glob("fieldkit-*-before-*.db"))
    assert len(backups) == 1
    with rawdb.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_the_head_constant_names_the_newest_migration() -> None:
    assert db.head_revision() == db.HEAD_REVISION


def test_migration_0010_derives_the_review_body_and_the_level_of_older_settings(tmp_path: Path) -> None:
    """行政复议法第二十四条: the 复议机关 of a 市场监督管理局 is the 本级人民政府 — an empty or upper-level
    entry of an older data dir is replaced by the one derived from the agency's name."""
    from alembic import command

    path = tmp_path / "f.db"
    engine = db.make_engine(path, rawdb.STORE_KEY)
    config = db.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0009")
    insert = text(
        "INSERT INTO agency(id, device_id, version, created_at, updated_at, full_name, short_name,"
        " government_name, unit, phone, address) VALUES (:id, 'd', 1, '2026-01-01 00:00:00',"
        " '2026-01-01 00:00:00', :full, '兰', :gov, '', '', '')"
    )
    cases = {
        "a" * 32: ("临沂市兰山区市场监督管理局", "淄博市市场监督管理局", "临沂市兰山区人民政府", "县级"),
        "b" * 32: ("临沂市市场监督管理局", "", "临沂市人民政府", "设区的市级"),
        "c" * 32: ("山东省市场监督管理局", "山东省人民政府", "山东省人民政府", "省级"),
        "d" * 32: ("临沂市兰山区市场监督管理局", "兰山区人民政府", "兰山区人民政府", "县级"),
    }
    with engine.begin() as conn:
        for row_id, (full, gov, _, _) in cases.items():
            conn.execute(insert, {"id": row_id, "full": full, "gov": gov})
    engine.dispose()
    sessions = db.open_store(path, rawdb.STORE_KEY, backup_dir=tmp_path / "backups")
    with sessions() as session:
        rows = session.execute(text("SELECT id, government_name, level, individual_cap FROM agency")).all()
    assert {r[0]: (r[1], r[2], r[3]) for r in rows} == {
        # 0010 wrote the labels; 0014 made them codes (issue 12 §4)
        row_id: (gov, AgencyLevel.from_text(level).value, "citizen")
        for row_id, (_, _, gov, level) in cases.items()
    }


def test_documents_of_a_0006_store_gain_replaces_and_blank_columns_with_nothing_lost(tmp_path: Path) -> None:
    """Migration 0007 (重新作出, numbered blanks): existing documents keep every value, replace nothing."""
    from alembic import command

    path = tmp_path / "f.db"
    engine = db.make_engine(path, rawdb.STORE_KEY)
    config = db.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0006")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO document (id, device_id, version, created_at, updated_at, form_id, form_version,"
                ' title, status, "values", number, revision, void_reason)'
                " VALUES ('0123456789abcdef0123456789abcdef', 'dev', 3, '2026-03-02 02:00:00',"
                " '2026-03-02 02:00:00', 'zeling_gaizheng', '1', '责令改正通知书', 'final', '{\"facts\": \"x\"}',"
                " '兰市监责改〔2026〕A1-1号', 1, '')"
            )
        )
    engine.dispose()
    sessions = db.open_store(path, rawdb.STORE_KEY, backup_dir=tmp_path / "backups")
    with sessions() as session:
        row = session.execute(
            text('SELECT number, "values", status, replaces_id, blank_issued_at FROM document')
        ).one()
    assert row == ("兰市监责改〔2026〕A1-1号", '{"facts": "x"}', "final", None, None)
    assert db.current_revision(sessions.kw["bind"]) == db.head_revision()


def test_migration_0015_adds_the_list_page_index_and_its_downgrade_removes_it(tmp_path: Path) -> None:
    """The covering index of the inspection list's pages (issue 13.7): built for rows already there,
    dropped by the downgrade and built again by the next upgrade, the rows untouched; the sort indexes
    lose the columns only SQLite before 3.41 needed, and the downgrade gives them back."""
    from alembic import command

    path = tmp_path / "f.db"
    engine = db.make_engine(path, rawdb.STORE_KEY)
    config = db.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0014")
        conn.execute(
            text(
                "INSERT INTO inspection (id, device_id, version, created_at, updated_at, status,"
                " inspection_type, place, officers, domains, checks, findings, outcome_note)"
                " VALUES ('0123456789abcdef0123456789abcdef', 'dev', 1, '2026-01-01 00:00:00',"
                " '2026-01-02 00:00:00', 'draft', 'routine', '兰山区', '[]', '[]', '[]', '', '')"
            )
        )

    def indexes() -> set[str]:
        with rawdb.connect(path) as raw:
            return {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}

    def start_index() -> str:
        with rawdb.connect(path) as raw:
            (sql,) = raw.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'ix_inspection_sort_start'"
            ).fetchone()
        return " ".join(sql.split())

    def page_row() -> tuple[object, ...]:
        with rawdb.connect(path) as raw:
            return tuple(
                raw.execute(
                    "SELECT id, place, updated_at, device_id FROM inspection INDEXED BY ix_inspection_page"
                    " WHERE id = '0123456789abcdef0123456789abcdef'"
                ).fetchone()
            )

    assert "ix_inspection_page" not in indexes()
    as_0008 = "(deleted_at, coalesce(start_at, created_at), id, status, start_at, created_at)"
    assert start_index().endswith(as_0008)
    engine.dispose()
    sessions = db.open_store(path, rawdb.STORE_KEY, backup_dir=tmp_path / "backups")
    sessions.kw["bind"].dispose()
    assert "ix_inspection_page" in indexes()
    row = ("0123456789abcdef0123456789abcdef", "兰山区", "2026-01-02 00:00:00", "dev")
    assert page_row() == row
    assert start_index().endswith("(deleted_at, coalesce(start_at, created_at), id, status)")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0014")
    assert "ix_inspection_page" not in indexes()
    assert start_index().endswith(as_0008)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    engine.dispose()
    assert "ix_inspection_page" in indexes() and page_row() == row
