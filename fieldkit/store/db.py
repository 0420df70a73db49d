"""Engine and sessions: SQLCipher (encrypted SQLite) with WAL and foreign keys, migrated (after an
encrypted backup) on open.

The store is given the database key (32 raw bytes); where it comes from is the vault's business
(issue 13.3). A raw key skips SQLCipher's own PBKDF2, which would add ~0.3 s to every connection:
the password has already been stretched by argon2id before the key was unwrapped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from fieldkit.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
# The newest migration. Opening a store that is already there skips importing Alembic (about a
# quarter of a second of every start); a test keeps this equal to the migration scripts' head.
HEAD_REVISION = "0015"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# FTS5 virtual tables and their shadow tables are made by raw SQL in migrations, not by the models.
FTS_TABLES = ("subject_fts", "subject_gram")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic filter: leave the FTS tables out of model/schema comparisons."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLES))


SQLITE_HEADER = b"SQLite format 3\x00"  # the first bytes of every plaintext SQLite file
KEY_LEN = 32


def is_plaintext(db_file: Path) -> bool:
    """True for a plaintext SQLite file (made before encryption); an encrypted file starts with random bytes."""
    try:
        with open(db_file, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def key_pragma(key: bytes) -> str:
    if len(key) != KEY_LEN:
        raise StoreError("数据库密钥长度不对")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect_encrypted(target: str, key: bytes, *, uri: bool = False) -> sqlcipher3.Connection:
    """A DB-API connection to an encrypted database; the key is the first statement, as SQLCipher needs.

    A wrong key shows at the first read ("file is not a database"), checked here so that a caller
    never holds a connection that only fails later."""
    conn = sqlcipher3.connect(target, uri=uri, check_same_thread=False)
    try:
        conn.execute(key_pragma(key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.OperationalError:  # cannot open or read the file at all: not a key question
        conn.close()
        raise
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise WrongKey(f"数据库 {target} 无法用本机数据密钥打开（密钥不对，或文件已损坏）") from exc
    return conn


class WrongKey(StoreError):
    """The key does not open the database file (or the file is not a database at all)."""


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL under WAL: a committed transaction survives a process kill; only an OS crash or
    # power cut may lose the last commits, never corrupt the file.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.close()


BUSY_TIMEOUT_MS = 5000  # what a CLI command or a background job waits for another writer
# SQLite's page cache per connection, in KiB (its default is 2 MiB). Every page read from the file is
# decrypted and its HMAC checked; a page found in this cache is not. At 100,000 subjects the search's
# FTS pages do not fit in 2 MiB, and searching took 1.6–2.2× as long as on a plaintext file; with
# 32 MiB it takes as long (bench/security.py, docs/performance.md). The cache fills only as pages are
# read, and is freed with the connection.
CACHE_KIB = 32 * 1024


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


def make_engine(db_file: Path, key: bytes) -> Engine:
    """An engine on the encrypted file: the file URL picks SQLAlchemy's file pool, the creator keys
    every new connection before anything else touches the file."""
    target = str(db_file)
    engine = create_engine(
        f"sqlite:///{db_file}", creator=lambda: connect_encrypted(target, key), module=sqlcipher3
    )
    event.listen(engine, "connect", _on_connect)
    return engine


def _on_connect_read_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")  # a write is refused by SQLite itself, before any I/O
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.close()


def open_store_read_only(db_file: Path, key: bytes) -> sessionmaker[Session]:
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
        engine = create_engine(
            "sqlite://", creator=lambda uri=uri: connect_encrypted(uri, key, uri=True), module=sqlcipher3
        )
        event.listen(engine, "connect", _on_connect_read_only)
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
                revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except WrongKey:
            engine.dispose()
            raise
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


def backup_database(db_file: Path, backup_dir: Path, label: str, key: bytes) -> Path:
    """Copy a live encrypted database consistently (SQLite's online backup API, WAL included) into an
    encrypted file under the same key: a backup is never plaintext (issue 13.6)."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    target = _free_name(backup_dir, label)
    source = connect_encrypted(str(db_file), key)
    try:
        dest = sqlcipher3.connect(str(target), check_same_thread=False)
        try:
            dest.execute(key_pragma(key))
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def _free_name(backup_dir: Path, label: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"fieldkit-{stamp}-{label}.db"
    n = 1
    while target.exists():
        n += 1
        target = backup_dir / f"fieldkit-{stamp}-{label}-{n}.db"
    return target


def encrypt_plaintext_store(db_file: Path, key: bytes, backup_dir: Path) -> Path:
    """Convert a plaintext store (made before issue 13) in place: an encrypted backup first, then an
    encrypted copy checked by SQLite's integrity check, swapped in; the plaintext file and its WAL are
    removed. Returns the backup. A crash at any point leaves either the plaintext file or the
    encrypted one whole (the swap is one rename); a left-over `.encrypting` file is removed next time.

    The blocks of the old plaintext file may survive on the disk itself (SSDs remap writes): the
    threat model says so (docs/security.md).
    """
    work = db_file.with_name(db_file.name + ".encrypting")
    backup_dir.mkdir(parents=True, exist_ok=True)
    backup = _free_name(backup_dir, "before-encryption")
    for stale in (work, backup):
        stale.unlink(missing_ok=True)
    plain = sqlite3.connect(db_file)
    try:
        # Everything the WAL holds goes into the main file first, so nothing is left behind in it.
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        plain.close()
    source = sqlcipher3.connect(str(db_file), check_same_thread=False)
    try:
        for target in (backup, work):
            source.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(target), _raw_key_literal(key)))
            source.execute("SELECT sqlcipher_export('encrypted')")
            source.execute("DETACH DATABASE encrypted")
        version = source.execute("PRAGMA user_version").fetchone()[0]
    finally:
        source.close()
    check = connect_encrypted(str(work), key)
    try:
        check.execute(f"PRAGMA user_version={int(version)}")
        check.commit()
        problems = [row[0] for row in check.execute("PRAGMA integrity_check") if row[0] != "ok"]
    finally:
        check.close()
    if problems:
        work.unlink(missing_ok=True)
        raise StoreError(f"加密后的数据库未通过完整性检查：{problems[:3]}；原文件未改动")
    _fsync_file(work)
    for side in ("-wal", "-shm"):
        db_file.with_name(db_file.name + side).unlink(missing_ok=True)
    os.replace(work, db_file)
    _fsync_dir(db_file.parent)
    return backup


def _raw_key_literal(key: bytes) -> str:
    """ATTACH … KEY takes the raw key as a blob literal string, like PRAGMA key."""
    if len(key) != KEY_LEN:
        raise StoreError("数据库密钥长度不对")
    return f"x'{key.hex()}'"


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def migrate(engine: Engine, db_file: Path, backup_dir: Path, key: bytes) -> Path | None:
    """Bring the schema to head; back the file up first when it already holds data."""
    current = current_revision(engine)
    if current == HEAD_REVISION:
        return None
    from alembic import command

    head = head_revision()
    backup = None
    if current is not None:
        backup = backup_database(db_file, backup_dir, f"before-{head}", key)
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


def open_store(db_file: Path, key: bytes, *, backup_dir: Path | None = None) -> sessionmaker[Session]:
    """Open (creating or migrating) the encrypted database and return a session factory.

    A plaintext file (a store made before encryption) is converted first: encrypt_plaintext_store."""
    db_file.parent.mkdir(parents=True, exist_ok=True)
    backup_dir = backup_dir or db_file.parent / "backups"
    db_file.with_name(db_file.name + ".encrypting").unlink(missing_ok=True)  # a crashed conversion
    if is_plaintext(db_file):
        backup = encrypt_plaintext_store(db_file, key, backup_dir)
        log.info("plaintext database encrypted; encrypted backup of it at %s", backup)
    engine = make_engine(db_file, key)
    try:
        migrate(engine, db_file, backup_dir, key)
    except StoreError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
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
