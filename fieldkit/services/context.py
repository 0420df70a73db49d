"""What every service needs: the session factory, this device's id, the data dir, its settings file, a
clock, the unlocked data key and who is logged in."""

from __future__ import annotations

import dataclasses
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
from fieldkit.services import access, anchor
from fieldkit.services.settings import LocalSettings, load_local_settings
from fieldkit.store import audit
from fieldkit.store.db import is_plaintext, open_store, open_store_read_only
from fieldkit.store.schema import AuditRow, LocalMetaRow
from fieldkit.vault.errors import VaultError

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
    # The store's data key (issue 13.3): the database and the files are opened with keys derived from it.
    data_key: bytes = field(default=b"", repr=False, compare=False)
    # Who is logged in; one holder shared by every copy of this Context (a lock screen switches officer).
    login: access.LoginState = field(default_factory=access.LoginState, compare=False)

    @property
    def actor(self) -> str:
        """The logged-in officer's name, for audit entries and records ("" before the first password)."""
        return self.login.actor()

    def subkey(self, purpose: str) -> bytes:
        """A key for one use (files, the device key) derived from the data key."""
        from fieldkit.vault.keyring import subkey

        return subkey(self.data_key, purpose)

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
    credentials: access.Credentials | None = None,
) -> Context:
    """Open (create, migrate, convert to encrypted) the store in the data dir; the device id is made once,
    on first open.

    The data dir's settings.toml is read first (a bad value raises SettingsError before anything is
    opened) unless `settings` are given (the self-test's scratch store prints as the officer's laptop does).
    A store some officer has a password for needs `credentials` (vault.errors.Locked without,
    WrongPassword or TooSoon when they do not open it); a new store, or one nobody has a password for
    yet, opens without (services/access.py).
    """
    base = data_dir or paths.data_dir()
    if settings is None:
        settings = load_local_settings(base)
    reason = unwritable_reason(base)
    db_file = base / "fieldkit.db"
    if reason:
        # Degrade, not die (issue 11.6): browse, verify and export to another disk still work.
        unlocked = access.unlock_keys(base, credentials, create=False)
        sessions = open_store_read_only(db_file, access.db_key(unlocked.data_key))
        with sessions() as session:
            device_id = get_meta(session, "device_id") or ""
        log.warning("data dir %s opened read-only: %s", base, reason)
        ctx = Context(
            sessions,
            device_id,
            base,
            clock,
            read_only_reason=reason,
            settings=settings,
            data_key=unlocked.data_key,
        )
        _set_login_read_only(ctx, unlocked)
        return ctx
    if access.load_keyring(base) is None and db_file.exists() and not is_plaintext(db_file):
        raise VaultError(
            f"数据库 {db_file} 已加密，但密钥文件 keys/keyring.json 不见了：请从备份中找回 keys 文件夹"
        )
    unlocked = access.unlock_keys(base, credentials, create=True)
    sessions = open_store(db_file, access.db_key(unlocked.data_key), backup_dir=base / "backups")
    with sessions.begin() as session:
        device_id = get_meta(session, "device_id")
        if device_id is None:
            device_id = str(uuid.uuid4())
            set_meta(session, "device_id", device_id)
        anchored = get_meta(session, anchor.ANCHORED_KEY) is not None
    login = access.LoginState()
    from fieldkit.services import at_rest  # it builds on Context

    # Private key files an older release left as plain PEM are encrypted now (issue 13.4).
    at_rest.protect_key_files(base, unlocked.data_key)
    _install_anchor(sessions, base, device_id, anchored, login, at_rest.key_wrap(unlocked.data_key))
    ctx = Context(
        sessions=sessions,
        device_id=device_id,
        data_dir=base,
        clock=clock,
        settings=settings,
        data_key=unlocked.data_key,
        login=login,
    )
    access.begin_login(ctx, unlocked)
    return ctx


def _set_login_read_only(ctx: Context, unlocked: access.UnlockedKeys) -> None:
    """Who opened a read-only store (nothing can be written to the audit log there)."""
    if unlocked.officer_id is not None:
        with ctx.sessions() as session:
            role = access.roles(session).get(unlocked.officer_id, access.Role.OFFICER)
        name = unlocked.keyring.officers[unlocked.officer_id].name
        ctx.login.who = access.Officer(unlocked.officer_id, name, role)
    ctx.login.how = unlocked.how


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


def _install_anchor(
    sessions: sessionmaker[Session],
    base: Path,
    device_id: str,
    anchored: bool,
    login: access.LoginState,
    wrap_key: bytes,
) -> None:
    """Every audited commit signs the log's new end into audit-head.json (services/anchor.py).

    A store that has never been anchored (made before anchoring existed) is anchored as it stands
    now, once: a head file that goes missing later is reported by `audit verify`, not re-made.
    """
    key_path = base / "keys" / "device.key"

    def mark() -> None:
        if not anchored:
            with sessions.begin() as session:
                set_meta(session, anchor.ANCHORED_KEY, "1")

    hook = anchor.Anchor(base, device_id, key_path, mark, wrap_key=wrap_key)
    sessions.configure(info={audit.ON_COMMIT: hook, audit.ACTOR: login.actor})
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


def reopen_context(ctx: Context) -> Context:
    """The data dir of `ctx` opened again with the key already unlocked, for the same officer, clock
    and settings: after `backup restore` put another database file in place (services/backup.py).
    `ctx`'s engine must be closed first. The restored file may be of an older schema (migrated here)."""
    base = ctx.data_dir
    sessions = open_store(base / "fieldkit.db", access.db_key(ctx.data_key), backup_dir=base / "backups")
    with sessions.begin() as session:
        device_id = get_meta(session, "device_id") or ctx.device_id
        anchored = get_meta(session, anchor.ANCHORED_KEY) is not None
    from fieldkit.services import at_rest

    _install_anchor(sessions, base, device_id, anchored, ctx.login, at_rest.key_wrap(ctx.data_key))
    return dataclasses.replace(ctx, sessions=sessions, device_id=device_id)
