"""Engine and sessions: SQLite with WAL and foreign keys, migrated (after a backup) on open."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
from collections.abc import Iterator
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
HEAD_REVISION = "0014"
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
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


BUSY_TIMEOUT_MS = 5000  # what a CLI command or a background job waits for another writer


@contextlib.contextmanager
def brief_wait(session: Session, ms: int = 300) -> Iterator[None]:
    """Within this block the session waits at most `ms` for another process's write lock (then
    "database is locked"), instead of 5 s: for writes made on the GUI thread, which must never
    freeze the window (issue 11.4); their callers retry or say the database is busy."""
    conn = session.connection()
    conn.exec_driver_sql(f"PRAGMA busy_timeout={int(ms)}")
    try:
        yield
        session.flush()  # the write lock is taken here, by the first write: inside the brief wait
    finally:
        with contextlib.suppress(Exception):
            conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def make_engine(db_file: Path) -> Engine:
    engine = create_engine(f"sqlite:///{db_file}")
    event.listen(engine, "connect", _on_connect)
    return engine


def _on_connect_read_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")  # a write is refused by SQLite itself, before any I/O
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def open_store_read_only(db_file: Path) -> sessionmaker[Session]:
    """The database opened for reading only, for a data dir that cannot be written (read-only
    medium, no permission, disk full): browse, verify and export still work (issue 11.6).

    `mode=ro` reads the WAL too; where even the WAL index cannot be made (a read-only medium),
    `immutable=1` reads the main file as it is (commits still only in a -wal file are not seen).
    """
    if not db_file.is_file():
        raise StoreError(f"数据库 {db_file} 不存在，且数据目录不能写入：无法新建")
    last: Exception | None = None
    for flags in ("mode=ro", "immutable=1"):
        uri = f"file:{db_file.resolve().as_posix()}?{flags}"
        engine = create_engine("sqlite://", creator=lambda uri=uri: sqlite3.connect(uri, uri=True))
        event.listen(engine, "connect", _on_connect_read_only)
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
                revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except Exception as exc:  # try the next way of reading
            last = exc
            engine.dispose()
            continue
        if revision != HEAD_REVISION:
            engine.dispose()
            raise StoreError(
                f"数据库版本 {revision} 需要升级到 {HEAD_REVISION}，但数据目录不能写入：请先在可写的位置打开一次"
            )
        return sessionmaker(engine, expire_on_commit=False)
    raise StoreError(f"无法以只读方式打开数据库 {db_file}：{last}")


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
        with engine.connect() as conn:
            # SQLite's recipe for rebuilding a table that others reference (migration 0013): foreign
            # keys off while the tables are swapped — a pragma that works only outside a transaction —
            # and every key checked before the upgrade commits, so nothing dangling is ever committed.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
            try:
                with conn.begin():
                    config.attributes["connection"] = conn
                    command.upgrade(config, "head")
                    dangling = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if dangling:
                        raise StoreError(f"升级后有 {len(dangling)} 处引用找不到所指记录：{dangling[:5]}")
            finally:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
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
