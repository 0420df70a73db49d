"""Store: pragmas, migrations with backup, models match migrations, UTC timestamps."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from fieldkit.errors import StoreError
from fieldkit.store import db
from fieldkit.store.schema import Base, LocalMetaRow


def test_new_store_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    sessions = db.open_store(tmp_path / "f.db")
    with sessions() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_migrations_produce_exactly_the_models(tmp_path: Path) -> None:
    sessions = db.open_store(tmp_path / "f.db")
    engine = sessions.kw["bind"]
    with engine.connect() as conn:
        migration_context = MigrationContext.configure(conn, opts={"include_object": db.include_object})
        diff = compare_metadata(migration_context, Base.metadata)
    assert diff == []


def test_reopening_a_current_store_makes_no_backup(tmp_path: Path) -> None:
    db.open_store(tmp_path / "f.db", backup_dir=tmp_path / "backups")
    db.open_store(tmp_path / "f.db", backup_dir=tmp_path / "backups")
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def test_a_database_of_an_unknown_revision_is_backed_up_and_refused(tmp_path: Path) -> None:
    """E.g. a file written by a newer FieldKit: never touched without a copy, never half-migrated."""
    path = tmp_path / "f.db"
    sessions = db.open_store(path)
    with sessions.begin() as session:
        session.add(LocalMetaRow(key="device_code", value="B7"))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0000_base'")
    with pytest.raises(StoreError, match="数据库升级失败"):
        db.open_store(path, backup_dir=tmp_path / "backups")
    backups = list((tmp_path / "backups").glob("fieldkit-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT value FROM local_meta WHERE key='device_code'").fetchone() == ("B7",)


def test_backup_copies_a_live_wal_database(tmp_path: Path) -> None:
    sessions = db.open_store(tmp_path / "f.db")
    with sessions.begin() as session:
        session.add(LocalMetaRow(key="k", value="值"))
    copy = db.backup_database(tmp_path / "f.db", tmp_path / "b", "manual")
    with sqlite3.connect(copy) as conn:
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
    engine = db.make_engine(path)
    config = db.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO local_meta(key, value) VALUES ('device_code', 'B7')"))
    engine.dispose()
    sessions = db.open_store(path, backup_dir=tmp_path / "backups")
    with sessions() as session:
        assert session.get(LocalMetaRow, "device_code").value == "B7"  # type: ignore[union-attr]
    assert db.current_revision(sessions.kw["bind"]) == db.head_revision()
    backups = list((tmp_path / "backups").glob("fieldkit-*-before-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_the_head_constant_names_the_newest_migration() -> None:
    assert db.head_revision() == db.HEAD_REVISION
