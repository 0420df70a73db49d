"""Engine and sessions: SQLite with WAL and foreign keys, migrated (after a backup) on open."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from fieldkit.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
# The newest migration. Opening a store that is already there skips importing Alembic (about a
# quarter of a second of every start); a test keeps this equal to the migration scripts' head.
HEAD_REVISION = "0009"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# FTS5 virtual tables and their shadow tables are made by raw SQL in migrations, not by the models.
FTS_TABLES = ("subject_fts", "subject_gram")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic filter: leave the FTS tables out of model/schema comparisons."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLES))


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL under WAL: a committed transaction survives a process kill; only an OS crash or
    # power cut may lose the last commits, never corrupt the file.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(db_file: Path) -> Engine:
    engine = create_engine(f"sqlite:///{db_file}")
    event.listen(engine, "connect", _on_connect)
    return engine


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        has_table = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        if has_table is None:
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def backup_database(db_file: Path, backup_dir: Path, label: str) -> Path:
    """Copy a live database consistently (SQLite's online backup API, WAL included)."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"fieldkit-{stamp}-{label}.db"
    n = 1
    while target.exists():
        n += 1
        target = backup_dir / f"fieldkit-{stamp}-{label}-{n}.db"
    source = sqlite3.connect(db_file)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def migrate(engine: Engine, db_file: Path, backup_dir: Path) -> Path | None:
    """Bring the schema to head; back the file up first when it already holds data."""
    current = current_revision(engine)
    if current == HEAD_REVISION:
        return None
    from alembic import command

    head = head_revision()
    backup = None
    if current is not None:
        backup = backup_database(db_file, backup_dir, f"before-{head}")
        log.info("database backed up to %s before migrating %s -> %s", backup, current, head)
    config = alembic_config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except Exception as exc:
        raise StoreError(f"数据库升级失败（已备份于 {backup}）：{exc}") from exc
    return backup


def open_store(db_file: Path, *, backup_dir: Path | None = None) -> sessionmaker[Session]:
    """Open (creating or migrating) the database and return a session factory."""
    db_file.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(db_file)
    try:
        migrate(engine, db_file, backup_dir or db_file.parent / "backups")
    except StoreError:
        raise
    except Exception as exc:
        raise StoreError(f"无法打开数据库 {db_file}：{exc}") from exc
    return sessionmaker(engine, expire_on_commit=False)


def check_integrity(engine: Engine) -> list[str]:
    """SQLite's own checks of the file and of every foreign key; an empty list means all is well."""
    problems: list[str] = []
    with engine.connect() as conn:
        for (result,) in conn.exec_driver_sql("PRAGMA integrity_check"):
            if result != "ok":
                problems.append(f"integrity_check: {result}")
        for table, rowid, parent, fk_index in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            problems.append(f"foreign_key_check: {table} rowid {rowid} -> {parent} (fk {fk_index})")
    return problems
