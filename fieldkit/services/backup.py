"""Encrypted backups of the store (issue 13.6): a daily snapshot, rotation, backups on request, restore.

A backup is the database copied by SQLite's online backup API (store/db.backup_database: a
consistent copy of a live store, WAL included) into an encrypted file under the same key; beside it
a copy of keys/keyring.json (without it the copy could not be opened once the laptop's keyring is
lost or replaced) and of audit-head.json (the signed end of the audit log at that moment). Names:

    backups/fieldkit-20260302-101500-daily.db            the database, encrypted
    backups/fieldkit-20260302-101500-daily.keyring.json  the keyring as it was (0600)
    backups/fieldkit-20260302-101500-daily.audit-head.json

The stamp is Beijing time. The folder is 0700 and every file 0600: the keyring copy holds only
wrapped keys, but nobody else on the laptop needs to see even that. A keyring still in its
provisional state (no officer password yet, the data key in the clear) is never copied: once a
password is set, such a copy would open every backup and the live store too; those backups open
with the laptop's keyring instead (the data key never changes).

Kinds and what rotation keeps (rotate()):
- `daily`: made at most once a day when the store is opened for writing (the CLI, the GUI's start);
  the newest of each of the last 7 days with a snapshot, then the newest of each of 4 earlier weeks;
- `manual` (`fieldkit backup create`): the newest 10;
- `before-NNNN` (before a migration, store/db.migrate), `before-encryption` (store/db.
  encrypt_plaintext_store), `before-restore` (the store as it was before a restore): the newest 3 each.

Evidence files are not copied (they are large and are never changed or deleted once stored: a
restored database finds its files where they were; those stored after the backup stay, named in
the restore's audit entry so the start-up sweep keeps them). See docs/security.md, 六、备份.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from fieldkit.domain.access import Duty
from fieldkit.errors import FieldkitError
from fieldkit.filelock import is_abandoned, lock_fd
from fieldkit.services import access, anchor, housekeeping, number_floors
from fieldkit.services.context import SHANGHAI, Context, reopen_context
from fieldkit.store import audit
from fieldkit.store.db import backup_database, connect_encrypted, is_plaintext
from fieldkit.store.schema import DocumentRow
from fieldkit.vault.keyring import KEYRING_FILE, write_private

log = logging.getLogger(__name__)

BACKUP_DIR = "backups"
DB_FILE = "fieldkit.db"
INSTANCE_LOCK = "fieldkit.lock"  # ui/app.LOCK_FILE: the GUI holds it (QLockFile, with flock) while it runs
IMPORT_LOCK = "import.lock"  # services/exchange: held while a bundle is imported
INFLIGHT_DIR = ".inflight"  # services/housekeeping: a locked marker per long write in progress
KEYRING_SUFFIX = ".keyring.json"
HEAD_SUFFIX = ".audit-head.json"
WORK_PREFIX = ".work-"

DAILY, MANUAL, BEFORE_RESTORE = "daily", "manual", "before-restore"
BEFORE_MIGRATION, BEFORE_ENCRYPTION, OTHER = "before-migration", "before-encryption", "other"
KIND_LABELS = {
    DAILY: "每日自动",
    MANUAL: "手动",
    BEFORE_RESTORE: "恢复前",
    BEFORE_MIGRATION: "升级前",
    BEFORE_ENCRYPTION: "加密前",
    OTHER: "其他",
}
KEEP_DAYS, KEEP_WEEKS = 7, 4
KEEP_LAST = {MANUAL: 10, BEFORE_RESTORE: 3, BEFORE_MIGRATION: 3, BEFORE_ENCRYPTION: 3}

_NAME = re.compile(r"^fieldkit-(\d{8})-(\d{6})-(.+)\.db$")
_daily_lock = threading.Lock()


class BackupError(FieldkitError):
    """A backup could not be made, found or restored; the message says which and why."""


@dataclass(frozen=True)
class Backup:
    """One backup in the backups folder."""

    name: str  # the file name without .db, e.g. fieldkit-20260302-101500-daily
    db_file: Path
    kind: str
    taken_at: dt.datetime  # as the name says (Beijing time for the kinds made here), naive
    size: int
    has_keyring: bool

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def keyring_file(self) -> Path:
        return self.db_file.with_name(self.name + KEYRING_SUFFIX)

    @property
    def head_file(self) -> Path:
        return self.db_file.with_name(self.name + HEAD_SUFFIX)

    def files(self) -> list[Path]:
        return [self.db_file, self.keyring_file, self.head_file]


def backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIR


def _kind_of(label: str) -> str:
    if label.startswith(BEFORE_ENCRYPTION):
        return BEFORE_ENCRYPTION
    if label.startswith(BEFORE_RESTORE):
        return BEFORE_RESTORE
    if re.match(r"before-\d+", label):
        return BEFORE_MIGRATION
    for kind in (DAILY, MANUAL):
        if label == kind or label.startswith(kind + "-"):
            return kind
    return OTHER


def _parse(path: Path) -> Backup | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        taken = dt.datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S")
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    name = path.name[: -len(".db")]
    has_keyring = path.with_name(name + KEYRING_SUFFIX).is_file()
    return Backup(name, path, _kind_of(match[3]), taken, size, has_keyring)


def list_backups(data_dir: Path) -> list[Backup]:
    """Every backup of the data dir, newest first (`backup restore 1` is the newest)."""
    folder = backup_dir(data_dir)
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    found = [b for e in entries if e.is_file() and (b := _parse(Path(e.path))) is not None]
    return sorted(found, key=lambda b: (b.taken_at, b.name), reverse=True)


def find_backup(data_dir: Path, which: str) -> Backup:
    """The backup `which` names: its number in list_backups (1 = newest), its name, or its file name."""
    backups = list_backups(data_dir)
    which = which.strip()
    if not backups:
        raise BackupError("本机还没有任何备份（fieldkit backup create 可立即备份）")
    if which.isdigit():
        n = int(which)
        if 1 <= n <= len(backups):
            return backups[n - 1]
        raise BackupError(f"备份序号 {n} 不存在：现有 1–{len(backups)}（fieldkit backup list 查看）")
    name = Path(which).name
    name = name[: -len(".db")] if name.endswith(".db") else name
    for b in backups:
        if b.name == name:
            return b
    raise BackupError(f"没有名为 {which} 的备份（fieldkit backup list 查看）")


# ---- making backups -------------------------------------------------------------------------------


def _private_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)


@contextlib.contextmanager
def _work_dir(folder: Path) -> Iterator[Path]:
    """A private folder for one backup in the making, locked while it is used; a killed run's folder
    is removed by the next backup (clean_work_dirs)."""
    work = folder / f"{WORK_PREFIX}{uuid.uuid4().hex[:12]}"
    work.mkdir(mode=0o700)
    fd = os.open(work / ".lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        lock_fd(fd)
        yield work
    finally:
        os.close(fd)
        shutil.rmtree(work, ignore_errors=True)


def clean_work_dirs(data_dir: Path) -> int:
    """Remove what killed backups left (their folders' locks are free); returns how many."""
    removed = 0
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(backup_dir(data_dir)):
            work = Path(entry.path)
            if entry.name.startswith(WORK_PREFIX) and entry.is_dir() and is_abandoned(work / ".lock"):
                shutil.rmtree(work, ignore_errors=True)
                removed += 1
    return removed


def _stamp(ctx: Context) -> str:
    return ctx.now().astimezone(SHANGHAI).strftime("%Y%m%d-%H%M%S")


def _free_stem(folder: Path, ctx: Context, kind: str) -> str:
    stem = f"fieldkit-{_stamp(ctx)}-{kind}"
    n, candidate = 1, stem
    while (folder / f"{candidate}.db").exists():
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def _keyring_copy(data_dir: Path) -> bytes | None:
    """The keyring file's bytes, or None while it is provisional (see the module docstring)."""
    path = access.keys_dir(data_dir) / KEYRING_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    if "provisional_key" in json.loads(raw):
        return None
    return raw


def create_backup(ctx: Context, kind: str = MANUAL) -> Backup:
    """Back the store up now (encrypted, with its keyring and audit head), then rotate."""
    if ctx.read_only:
        raise BackupError(f"数据目录不能写入，无法备份：{ctx.read_only_reason}")
    folder = backup_dir(ctx.data_dir)
    _private_dir(folder)
    clean_work_dirs(ctx.data_dir)
    # The head first: a head older than the copy reads as entries not yet anchored; a newer one
    # (written by a commit during the copy) would read as a cut-off log.
    head = anchor.head_path(ctx.data_dir)
    head_bytes = head.read_bytes() if head.is_file() else None
    keyring = _keyring_copy(ctx.data_dir)
    with _work_dir(folder) as work:
        made = backup_database(ctx.data_dir / DB_FILE, work, kind, access.db_key(ctx.data_key))
        os.chmod(made, 0o600)
        stem = _free_stem(folder, ctx, kind)
        if keyring is not None:
            write_private(folder / f"{stem}{KEYRING_SUFFIX}", keyring)
        if head_bytes is not None:
            write_private(folder / f"{stem}{HEAD_SUFFIX}", head_bytes)
        os.replace(made, folder / f"{stem}.db")  # last: a backup is listed only when it is whole
    backup = _parse(folder / f"{stem}.db")
    assert backup is not None
    log.info("backup %s made (%d bytes)", backup.name, backup.size)
    rotate(ctx.data_dir)
    return backup


def daily_due(ctx: Context) -> bool:
    """True when today's (Beijing date) daily snapshot has not been made yet; a directory listing,
    no database access."""
    if ctx.read_only:
        return False
    prefix = f"fieldkit-{ctx.today():%Y%m%d}-"
    try:
        names = os.listdir(backup_dir(ctx.data_dir))
    except FileNotFoundError:
        return True
    return not any(n.startswith(prefix) and n.endswith(".db") and f"-{DAILY}" in n for n in names)


def make_daily_if_due(ctx: Context) -> Backup | None:
    """Today's snapshot, if not made yet. A failure is logged and returned as None: a backup that
    could not be made must not stop the day's work (the next open tries again)."""
    with _daily_lock:
        if not daily_due(ctx):
            return None
        try:
            return create_backup(ctx, DAILY)
        except Exception:
            log.warning("daily backup failed", exc_info=True)
            return None


def start_daily_in_background(ctx: Context) -> threading.Thread | None:
    """For the GUI's start: the date check here, the copy in a thread (a large store takes a while)."""
    if not daily_due(ctx):
        return None
    thread = threading.Thread(target=make_daily_if_due, args=(ctx,), name="daily-backup", daemon=True)
    thread.start()
    return thread


def rotate(data_dir: Path) -> list[Backup]:
    """Remove the backups rotation no longer keeps (see the module docstring); returns them."""
    backups = list_backups(data_dir)  # newest first
    keep: set[str] = set()
    by_kind: dict[str, list[Backup]] = {}
    for b in backups:
        by_kind.setdefault(b.kind, []).append(b)
    for kind, last in KEEP_LAST.items():
        keep |= {b.name for b in by_kind.get(kind, [])[:last]}
    keep |= {b.name for b in by_kind.get(OTHER, [])}  # not ours to judge
    days: dict[dt.date, Backup] = {}
    weeks: dict[tuple[int, int], Backup] = {}
    for b in by_kind.get(DAILY, []):
        day = b.taken_at.date()
        if day in days or len(days) < KEEP_DAYS:
            days.setdefault(day, b)
            continue
        week = day.isocalendar()[:2]
        if week in weeks or len(weeks) < KEEP_WEEKS:
            weeks.setdefault(week, b)
    keep |= {b.name for b in (*days.values(), *weeks.values())}
    removed = [b for b in backups if b.name not in keep]
    for b in removed:
        for path in b.files():
            path.unlink(missing_ok=True)
        log.info("backup %s removed by rotation", b.name)
    return removed


# ---- restoring ------------------------------------------------------------------------------------


class Busy(BackupError):
    """Another FieldKit uses the data dir: a restore would pull the database from under it."""


@contextlib.contextmanager
def _held(path: Path, message: str) -> Iterator[None]:
    """Hold `path`'s lock for the block, refusing with `message` if a live process holds it."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    except OSError as exc:
        raise BackupError(f"无法锁定数据目录（{path.name}）：{exc.strerror or exc}") from exc
    try:
        if not lock_fd(fd):
            raise Busy(message)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def _instance_lock(data_dir: Path) -> Iterator[None]:
    """The GUI's instance lock (ui/app.LOCK_FILE): refused while a FieldKit window has the data dir;
    held during the restore, so no window starts on a half-restored store. The file has this
    process's id, as Qt's QLockFile writes it; Qt also sees the flock and keeps away."""
    path = data_dir / INSTANCE_LOCK
    running = "另一个 FieldKit 窗口正在使用这个数据目录：请先关闭它，再恢复备份"
    if path.exists() and not is_abandoned(path):
        raise Busy(running)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a killed window's stale lock
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o644)
    except FileExistsError:
        raise Busy(running) from None
    try:
        if not lock_fd(fd):
            raise Busy(running)
        import socket

        os.write(fd, f"{os.getpid()}\nfieldkit-restore\n{socket.gethostname()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


def _live_runs(data_dir: Path) -> int:
    folder = data_dir / INFLIGHT_DIR
    try:
        markers = [Path(e.path) for e in os.scandir(folder) if e.is_file()]
    except FileNotFoundError:
        return 0
    return sum(1 for m in markers if not is_abandoned(m))


@dataclass(frozen=True)
class RestoreResult:
    restored: Backup
    saved_as: Backup  # the store as it was before the restore
    ctx: Context  # the restored store, open (the old Context is closed)
    keyring_restored: bool  # the backup's keyring copy replaced keys/keyring.json
    lost_numbers: tuple[str, ...]  # 文号 issued after the backup: no longer in the restored store


def _check_backup(ctx: Context, backup: Backup) -> None:
    if is_plaintext(backup.db_file):
        raise BackupError(f"备份 {backup.name} 是未加密的文件，不能用于恢复")
    if backup.has_keyring:
        try:
            copied = json.loads(backup.keyring_file.read_bytes())
        except (OSError, ValueError) as exc:
            raise BackupError(f"备份 {backup.name} 的密钥文件副本无法读取：{exc}") from exc
        ring = access.load_keyring(ctx.data_dir)
        if ring is not None and copied.get("store_id") != ring.store_id:
            raise BackupError(f"备份 {backup.name} 不是本机数据的备份（密钥文件属于另一套数据）")
    try:
        conn = connect_encrypted(str(backup.db_file), access.db_key(ctx.data_key))
    except Exception as exc:  # WrongKey, or a file SQLite cannot read at all (OperationalError)
        raise BackupError(f"备份 {backup.name} 无法用本机数据密钥打开：不是本机的备份，或文件已损坏") from exc
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
    except Exception as exc:  # sqlcipher3.DatabaseError: pages too damaged to check at all
        problems = [str(exc)]
    finally:
        conn.close()
    if problems:
        raise BackupError(f"备份 {backup.name} 未通过完整性检查（{problems[0]}）：请选择其他备份")


def _numbers(ctx: Context) -> set[str]:
    with ctx.sessions() as session:
        return {
            n for n in session.scalars(select(DocumentRow.number).where(DocumentRow.number.isnot(None))) if n
        }


def _checkpoint(ctx: Context) -> None:
    """Everything of the current database in its main file and its WAL empty (nobody else reading),
    so that the WAL can be removed with the file it belongs to."""
    conn = connect_encrypted(str(ctx.data_dir / DB_FILE), access.db_key(ctx.data_key))
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    if busy:
        raise Busy("另一个程序正在读写数据库（FieldKit 的命令或窗口）：请等它结束后再恢复备份")


def restore_backup(ctx: Context, which: str) -> RestoreResult:
    """Replace the store by a backup: the current database is backed up first (`before-restore`),
    then the backup's copy, its keyring (when it has one) and its audit head take the place of the
    current ones, and the restore is audited in the restored store. `ctx` is closed; the result
    holds the restored store, open. An administrator's work (or the office key's, or anyone's on a
    store without passwords). Refused while another FieldKit uses the data dir."""
    access.require(ctx, Duty.KEYS)
    if ctx.read_only:
        raise BackupError(f"数据目录不能写入，无法恢复：{ctx.read_only_reason}")
    backup = find_backup(ctx.data_dir, which)
    _check_backup(ctx, backup)
    data_dir = ctx.data_dir
    with (
        _instance_lock(data_dir),
        _held(data_dir / IMPORT_LOCK, "正在导入数据包：请等导入完成后再恢复备份"),
    ):
        if _live_runs(data_dir):
            raise Busy("另一个 FieldKit 正在导入、导出或添加证据：请等它完成后再恢复备份")
        numbers_before = _numbers(ctx)
        with ctx.sessions() as session:
            serials_before = number_floors.issued_serials(session)
        files_before = housekeeping.referenced_hashes(ctx)
        saved = create_backup(ctx, BEFORE_RESTORE)
        ctx.sessions.kw["bind"].dispose()
        _checkpoint(ctx)
        db_file = data_dir / DB_FILE
        incoming = db_file.with_name(DB_FILE + ".restoring")
        shutil.copyfile(backup.db_file, incoming)
        os.chmod(incoming, 0o600)
        _fsync(incoming)
        for side in ("-wal", "-shm"):
            db_file.with_name(DB_FILE + side).unlink(missing_ok=True)
        os.replace(incoming, db_file)
        if backup.has_keyring:
            write_private(access.keys_dir(data_dir) / KEYRING_FILE, backup.keyring_file.read_bytes())
        head = anchor.head_path(data_dir)
        if backup.head_file.is_file():
            write_private(head, backup.head_file.read_bytes())
        else:
            head.unlink(missing_ok=True)  # re-anchored by the restore's own audit entry below
        restored = reopen_context(ctx)
        lost = tuple(sorted(numbers_before - _numbers(restored)))
        # Evidence files stored after the backup are named in the restore's audit entry: the start-up
        # sweep (housekeeping.clean_at_start) removes only files no row names, and these are still
        # needed by the store saved before the restore (to undo it) and by the backups after.
        newer = sorted(files_before - housekeeping.referenced_hashes(restored))
        with restored.sessions.begin() as session:
            # A 文号 printed after the backup is on paper with a party: it is never given out again.
            number_floors.raise_floors(session, serials_before)
            audit.append(
                session,
                action="restore",
                record_type="store",
                record_id=restored.device_id,
                record_version=0,
                device_id=restored.device_id,
                now=restored.now(),
                actor=restored.actor,
                detail={
                    "backup": backup.name,
                    "saved_as": saved.name,
                    **({"numbers_after_backup": list(lost)} if lost else {}),
                    **({"files_after_backup": newer} if newer else {}),
                },
            )
    log.info("store restored from %s; the previous one saved as %s", backup.name, saved.name)
    return RestoreResult(backup, saved, restored, backup.has_keyring, lost)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def describe(backup: Backup) -> dict[str, object]:
    """A backup for `--json`."""
    return {
        **{k: v for k, v in dataclasses.asdict(backup).items() if k != "db_file"},
        "file": str(backup.db_file),
        "kind_label": backup.kind_label,
    }
