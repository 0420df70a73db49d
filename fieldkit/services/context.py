"""What every service needs: the session factory, this device's id, the data dir, its settings file and a clock."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from fieldkit import paths
from fieldkit.errors import environment_problem
from fieldkit.services import anchor
from fieldkit.services.settings import LocalSettings, load_local_settings
from fieldkit.store import audit
from fieldkit.store.db import open_store, open_store_read_only
from fieldkit.store.schema import AuditRow, LocalMetaRow

log = logging.getLogger(__name__)
SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # China has no DST


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Context:
    sessions: sessionmaker[Session]
    device_id: str
    data_dir: Path
    clock: Callable[[], dt.datetime] = utc_now
    # Opened read-only because the data dir cannot be written (why, in Chinese); "" when writable.
    read_only_reason: str = ""
    # settings.toml as read when the Context opened (services/settings.py); prints take their options here.
    settings: LocalSettings = field(default_factory=LocalSettings)

    @property
    def read_only(self) -> bool:
        return bool(self.read_only_reason)

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        """Today where the officer works: deadlines and 文号 years are Beijing dates."""
        return self.now().astimezone(SHANGHAI).date()


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(LocalMetaRow, key)
    return None if row is None else row.value


def set_meta(session: Session, key: str, value: str | None) -> None:
    row = session.get(LocalMetaRow, key)
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(LocalMetaRow(key=key, value=value))
    else:
        row.value = value


def open_context(
    data_dir: Path | None = None,
    clock: Callable[[], dt.datetime] = utc_now,
    *,
    settings: LocalSettings | None = None,
) -> Context:
    """Open (create, migrate) the store in the data dir; the device id is made once, on first open.

    The data dir's settings.toml is read first (a bad value raises SettingsError before anything is
    opened) unless `settings` are given (the self-test's scratch store prints as the officer's laptop does).
    """
    base = data_dir or paths.data_dir()
    if settings is None:
        settings = load_local_settings(base)
    reason = unwritable_reason(base)
    if reason:
        # Degrade, not die (issue 11.6): browse, verify and export to another disk still work.
        sessions = open_store_read_only(base / "fieldkit.db")
        with sessions() as session:
            device_id = get_meta(session, "device_id") or ""
        log.warning("data dir %s opened read-only: %s", base, reason)
        return Context(sessions, device_id, base, clock, read_only_reason=reason, settings=settings)
    sessions = open_store(base / "fieldkit.db", backup_dir=base / "backups")
    with sessions.begin() as session:
        device_id = get_meta(session, "device_id")
        if device_id is None:
            device_id = str(uuid.uuid4())
            set_meta(session, "device_id", device_id)
        anchored = get_meta(session, anchor.ANCHORED_KEY) is not None
    _install_anchor(sessions, base, device_id, anchored)
    return Context(sessions=sessions, device_id=device_id, data_dir=base, clock=clock, settings=settings)


# Below this much free space the data dir is treated as full: SQLite needs room for its journal
# and a half-written evidence copy helps no one.
MIN_FREE_BYTES = 4 * 1024 * 1024


def unwritable_reason(base: Path) -> str:
    """Why the data dir cannot be written (Chinese), or "" if it can: a probe file is made and
    removed, and the free space is looked at (a full disk often still lets a 0-byte file be made)."""
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-probe-", dir=base)
        try:
            os.write(fd, b"x")
        finally:
            os.close(fd)
            os.unlink(probe)
        free = shutil.disk_usage(base).free
    except OSError as exc:
        return environment_problem(exc) or f"数据目录 {base} 不能写入（{exc.strerror or exc}）"
    if free < MIN_FREE_BYTES:
        return f"数据目录所在磁盘已满（只剩 {free // 1024} KB）：请清理磁盘后重新打开；现在可以查看、校验和导出到其他磁盘"
    return ""


def _install_anchor(sessions: sessionmaker[Session], base: Path, device_id: str, anchored: bool) -> None:
    """Every audited commit signs the log's new end into audit-head.json (services/anchor.py).

    A store that has never been anchored (made before anchoring existed) is anchored as it stands
    now, once: a head file that goes missing later is reported by `audit verify`, not re-made.
    """
    key_path = base / "keys" / "device.key"

    def mark() -> None:
        if not anchored:
            with sessions.begin() as session:
                set_meta(session, anchor.ANCHORED_KEY, "1")

    hook = anchor.Anchor(base, device_id, key_path, mark)
    sessions.configure(info={audit.ON_COMMIT: hook})
    if anchored or not key_path.exists():
        return
    try:
        with sessions.begin() as session:
            last = session.execute(
                select(AuditRow.seq, AuditRow.entry_hash).order_by(AuditRow.seq.desc()).limit(1)
            ).first()
            set_meta(session, anchor.ANCHORED_KEY, "1")
        if last is not None and anchor.read_head(base) is None:
            hook.write(last[0], last[1])
    except (SQLAlchemyError, OSError) as exc:  # a read-only store still opens; verify will say so
        log.warning("audit log not anchored: %s", exc)
