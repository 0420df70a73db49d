"""Login, passwords, roles and recovery (issue 13.1, 13.3, 13.5): the services over the vault.

Opening a store: `open_context(…, credentials=…)` calls `unlock_keys` here, which gives the data key
(from an officer's password, the office's recovery key, or — before the first password — the
provisional key) and who logged in. After a login the session's audit entries name that officer
(store/audit.ACTOR); the failures the throttle kept since the last login are written to the audit log
first, because before a login the database cannot be opened.

Roles are kept in the encrypted database (local_meta `access.roles`), not in the keyring file, so that
editing a copied file cannot make anyone an administrator.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.domain.access import Duty, Role, may
from fieldkit.errors import FieldkitError, NotFound
from fieldkit.store import audit
from fieldkit.store.schema import LocalMetaRow, OfficerRow
from fieldkit.vault.errors import Locked, VaultError, WrongPassword
from fieldkit.vault.keyring import Keyring, subkey
from fieldkit.vault.throttle import Throttle

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from fieldkit.services.context import Context

KEYS_DIR = "keys"
ROLES_KEY = "access.roles"
DB_KEY_PURPOSE = "sqlcipher"
FILES_KEY_PURPOSE = "files"
DEVICE_KEY_PURPOSE = "device-key"


class NotAllowed(FieldkitError):
    """The logged-in officer's role does not allow this work; the message names role and work."""


@dataclass(frozen=True)
class PasswordLogin:
    """An officer (id, id prefix or name) and their password. Never printed: repr hides the password."""

    officer: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class OfficeKeyLogin:
    """The office's recovery private key (X25519), for a laptop whose officers forgot their passwords."""

    private_key: X25519PrivateKey = field(repr=False)


Credentials = PasswordLogin | OfficeKeyLogin


@dataclass(frozen=True)
class Officer:
    """Who is logged in."""

    officer_id: str
    name: str
    role: Role


@dataclass(frozen=True)
class LoginChoice:
    """An officer the login screen offers (read from the keyring, before anything is decrypted)."""

    officer_id: str
    name: str


class LoginState:
    """Who uses the laptop now. Held by the (frozen) Context and changed in place by a login, a switch
    of officer at the lock screen or a logout, so every service sees the same officer."""

    def __init__(self, who: Officer | None = None, *, how: str = "") -> None:
        self.who = who
        self.how = how  # "password", "office_key", "provisional" (no password exists yet)

    def actor(self) -> str:
        return self.who.name if self.who is not None else ""

    @property
    def role(self) -> Role | None:
        return self.who.role if self.who is not None else None

    def __repr__(self) -> str:
        return f"LoginState({self.who!r}, how={self.how!r})"


@dataclass(frozen=True)
class UnlockedKeys:
    """What unlocking gave: the data key (never shown) and who unlocked it."""

    keyring: Keyring
    data_key: bytes = field(repr=False)
    officer_id: str | None
    how: str
    failures: dict[str, list[float]] = field(default_factory=dict)  # to be audited


def keys_dir(data_dir: Path) -> Path:
    return data_dir / KEYS_DIR


def load_keyring(data_dir: Path) -> Keyring | None:
    return Keyring.load(keys_dir(data_dir))


def is_protected(data_dir: Path) -> bool:
    """True when opening this data dir needs a password (some officer has one)."""
    ring = load_keyring(data_dir)
    return ring is not None and ring.protected


def login_choices(data_dir: Path) -> list[LoginChoice]:
    """The officers who can log in on this laptop, in name order (the login screen's list)."""
    ring = load_keyring(data_dir)
    if ring is None:
        return []
    return sorted((LoginChoice(o.officer_id, o.name) for o in ring.officers.values()), key=lambda c: c.name)


def resolve_officer(ring: Keyring, text: str) -> str:
    """The officer id that `text` names: a whole id, an id prefix of ≥ 4, or a name (unique)."""
    text = text.strip()
    if text in ring.officers:
        return text
    by_name = [o.officer_id for o in ring.officers.values() if o.name == text]
    by_prefix = [oid for oid in ring.officers if len(text) >= 4 and oid.startswith(text)]
    found = by_name or by_prefix
    if len(found) == 1:
        return found[0]
    if not found:
        names = "、".join(sorted(o.name for o in ring.officers.values())) or "（无）"
        raise WrongPassword(f"本机没有可登录的执法人员“{text}”；可登录的有：{names}")
    raise WrongPassword(f"“{text}”对应多名执法人员：请写执法人员 ID")


def unlock_keys(data_dir: Path, credentials: Credentials | None, *, create: bool) -> UnlockedKeys:
    """The data key of a data dir. `create`: a data dir without a keyring gets a new one (a new store,
    or a plaintext one about to be converted). Raises Locked (no credentials for a protected store),
    WrongPassword, TooSoon or VaultError."""
    ring = load_keyring(data_dir)
    if ring is None:
        if not create:
            raise VaultError("数据目录中没有密钥文件 keys/keyring.json：无法打开加密的数据库")
        ring, data_key = Keyring.create(keys_dir(data_dir))
        return UnlockedKeys(ring, data_key, None, "provisional")
    if not ring.protected:
        return UnlockedKeys(ring, ring.open_provisional(), None, "provisional")
    if credentials is None:
        raise Locked("本机数据已加密：请先登录（选择执法人员并输入密码）")
    throttle = Throttle(keys_dir(data_dir))
    if isinstance(credentials, OfficeKeyLogin):
        data_key = ring.recover(credentials.private_key)
        return UnlockedKeys(ring, data_key, None, "office_key", throttle.take_unaudited())
    officer_id = resolve_officer(ring, credentials.officer)
    data_key = ring.unlock(officer_id, credentials.password, throttle=throttle)
    return UnlockedKeys(ring, data_key, officer_id, "password", throttle.take_unaudited())


def db_key(data_key: bytes) -> bytes:
    return subkey(data_key, DB_KEY_PURPOSE)


# ---- after the store is open ----------------------------------------------------------------------


def roles(session: Session) -> dict[str, Role]:
    row = session.get(LocalMetaRow, ROLES_KEY)
    if row is None:
        return {}
    out: dict[str, Role] = {}
    for officer_id, code in json.loads(row.value).items():
        try:
            out[officer_id] = Role(code)
        except ValueError:
            out[officer_id] = Role.OFFICER  # a code of a newer release: the least it could be
    return out


def _save_roles(session: Session, values: dict[str, Role]) -> None:
    text = json.dumps({k: str(v) for k, v in sorted(values.items())})
    row = session.get(LocalMetaRow, ROLES_KEY)
    if row is None:
        session.add(LocalMetaRow(key=ROLES_KEY, value=text))
    else:
        row.value = text


def role_of(ctx: Context, officer_id: str) -> Role:
    with ctx.sessions() as session:
        return roles(session).get(officer_id, Role.OFFICER)


def begin_login(ctx: Context, unlocked: UnlockedKeys) -> None:
    """Record the login in the audit log (after the failures kept since the last one) and make the
    officer the session's actor."""
    who: Officer | None = None
    with ctx.sessions.begin() as session:
        if unlocked.officer_id is not None:
            row = session.get(OfficerRow, uuid.UUID(unlocked.officer_id))
            name = row.name if row is not None else unlocked.keyring.officers[unlocked.officer_id].name
            role = roles(session).get(unlocked.officer_id, Role.OFFICER)
            who = Officer(unlocked.officer_id, name, role)
        _audit_failures(session, ctx, unlocked)
        if unlocked.how != "provisional":
            _audit(
                session,
                ctx,
                "login",
                unlocked.officer_id,
                who.name if who else "单位恢复密钥",
                how=unlocked.how,
            )
    ctx.login.who, ctx.login.how = who, unlocked.how


def _audit_failures(session: Session, ctx: Context, unlocked: UnlockedKeys) -> None:
    for officer_id, times in sorted(unlocked.failures.items()):
        login = unlocked.keyring.officers.get(officer_id)
        for at in times:
            _audit(
                session,
                ctx,
                "login_failed",
                officer_id,
                "（未登录）",  # nobody: a failed try is not the work of whoever is logged in
                at=dt.datetime.fromtimestamp(at, dt.UTC),
                tried=login.name if login else officer_id,
            )


def _audit(
    session: Session,
    ctx: Context,
    action: str,
    officer_id: str | None,
    actor: str,
    *,
    at: dt.datetime | None = None,
    **detail: str,
) -> None:
    audit.append(
        session,
        action=action,
        record_type="officer",
        record_id=officer_id or ctx.device_id,
        record_version=0,
        device_id=ctx.device_id,
        now=at or ctx.now(),
        actor=actor or ctx.actor or "（未登录）",
        detail={k: v for k, v in detail.items() if v},
    )


def require(ctx: Context, duty: Duty) -> None:
    """Raise NotAllowed unless the logged-in officer's role allows `duty` (issue 13.1)."""
    if not may(ctx.login.role, duty):
        from fieldkit.domain.access import DUTY_LABELS

        role = ctx.login.role
        raise NotAllowed(
            f"{role.label if role else ''}{ctx.login.actor()}无权{DUTY_LABELS[duty]}：请由有权限的人员登录"
        )


def set_password(ctx: Context, officer_id: str, password: str, *, role: Role | None = None) -> None:
    """Set (or reset) an officer's password on this laptop; an administrator's work, or the officer's
    own change of password. The first password of a store makes its officer an administrator and ends
    the provisional state (the data key no longer in the clear)."""
    ring = load_keyring(ctx.data_dir)
    if ring is None:
        raise VaultError("数据目录中没有密钥文件")
    first = not ring.protected
    own = ctx.login.who is not None and ctx.login.who.officer_id == officer_id
    if not first and not own:
        require(ctx, Duty.OFFICERS)
    if role is not None and not first:
        require(ctx, Duty.OFFICERS)
    with ctx.sessions.begin() as session:
        row = session.get(OfficerRow, uuid.UUID(officer_id))
        if row is None or row.deleted_at is not None:
            raise NotFound("没有这名执法人员（或已删除）")
        current = roles(session)
        new_role = Role.ADMIN if first else (role or current.get(officer_id, Role.OFFICER))
        ring.set_password(ctx.data_key, officer_id, row.name, password, now=ctx.now())
        current[officer_id] = new_role
        _save_roles(session, current)
        _audit(session, ctx, "set_password", officer_id, "", officer=row.name, role=str(new_role))
        # The keyring is written inside the transaction: if it cannot be written, the role change
        # rolls back with it; if the commit fails after it, the new password simply works.
        ring.save()
    if ctx.login.who is not None and ctx.login.who.officer_id == officer_id:
        ctx.login.who = Officer(officer_id, ctx.login.who.name, new_role)


def set_role(ctx: Context, officer_id: str, role: Role) -> None:
    require(ctx, Duty.OFFICERS)
    with ctx.sessions.begin() as session:
        current = roles(session)
        sole_admin = sum(1 for r in current.values() if r is Role.ADMIN) == 1
        if current.get(officer_id) is Role.ADMIN and role is not Role.ADMIN and sole_admin:
            raise NotAllowed("这是本机唯一的管理员：请先让另一名执法人员成为管理员")
        current[officer_id] = role
        _save_roles(session, current)
        _audit(session, ctx, "set_role", officer_id, "", role=str(role))
    if ctx.login.who is not None and ctx.login.who.officer_id == officer_id:
        ctx.login.who = Officer(officer_id, ctx.login.who.name, role)


def check_password(ctx: Context, officer: str, password: str) -> Officer:
    """Check an officer's password against this open store (the lock screen, a switch of officer):
    the same throttle and audit as a login; on success the officer becomes the session's actor."""
    ring = load_keyring(ctx.data_dir)
    if ring is None or not ring.protected:
        raise VaultError("本机还没有设置任何密码")
    throttle = Throttle(keys_dir(ctx.data_dir))
    officer_id = resolve_officer(ring, officer)
    try:
        data_key = ring.unlock(officer_id, password, throttle=throttle)
    finally:
        # A read-only store (issue 11.6) cannot take audit entries: the failures stay in the throttle
        # file's memory of them (if that can be written) and the lock screen still opens.
        if not ctx.read_only:
            failures = throttle.take_unaudited()
            with ctx.sessions.begin() as session:
                _audit_failures(session, ctx, UnlockedKeys(ring, b"", None, "", failures))
    if data_key != ctx.data_key:
        raise VaultError("这名执法人员的密钥打开的不是本机的数据")
    with ctx.sessions.begin() as session:
        row = session.get(OfficerRow, uuid.UUID(officer_id))
        role = roles(session).get(officer_id, Role.OFFICER)
        who = Officer(officer_id, row.name if row else ring.officers[officer_id].name, role)
        if not ctx.read_only:
            _audit(session, ctx, "unlock", officer_id, who.name)
    ctx.login.who, ctx.login.how = who, "password"
    return who


def record_lock(ctx: Context, reason: str) -> None:
    """The window was covered by the lock screen (idle, system suspend, or by hand)."""
    if ctx.read_only:  # nothing can be written there; the lock itself still holds
        return
    with ctx.sessions.begin() as session:
        _audit(
            session,
            ctx,
            "lock",
            ctx.login.who.officer_id if ctx.login.who else None,
            ctx.login.actor(),
            reason=reason,
        )


def officers_with_login(ctx: Context) -> list[tuple[Officer, bool]]:
    """Every active officer of the laptop, with their role and whether they have a password here."""
    ring = load_keyring(ctx.data_dir)
    have = set(ring.officers) if ring is not None else set()
    with ctx.sessions() as session:
        current = roles(session)
        rows = session.scalars(
            select(OfficerRow).where(OfficerRow.deleted_at.is_(None)).order_by(OfficerRow.position)
        ).all()
        return [
            (Officer(str(r.id), r.name, current.get(str(r.id), Role.OFFICER)), str(r.id) in have)
            for r in rows
            if r.active
        ]


def recovery_fingerprint(data_dir: Path) -> str | None:
    """The fingerprint of the office recovery key the data key is sealed to, or None (no login needed)."""
    import hashlib

    ring = load_keyring(data_dir)
    raw = None if ring is None else ring.office_public_raw()
    return None if raw is None else hashlib.sha256(raw).hexdigest()


def officer_id_by_cert(ctx: Context, cert_no: str) -> str:
    with ctx.sessions() as session:
        row = session.scalars(
            select(OfficerRow).where(OfficerRow.cert_no == cert_no.strip(), OfficerRow.deleted_at.is_(None))
        ).first()
        if row is None:
            raise NotFound(f"没有执法证号为 {cert_no} 的执法人员")
        return str(row.id)


def wrap_for_office(ctx: Context, office_public_pem: str | bytes) -> str:
    """Seal the data key to the office's recovery public key; returns its fingerprint."""
    from fieldkit.bundle.keys import fingerprint, load_office_public_key

    if ctx.login.who is not None:
        require(ctx, Duty.KEYS)
    public = load_office_public_key(office_public_pem)
    ring = load_keyring(ctx.data_dir)
    if ring is None:
        raise VaultError("数据目录中没有密钥文件")
    ring.wrap_for_office(ctx.data_key, public)
    ring.save()
    fp = fingerprint(public)
    with ctx.sessions.begin() as session:
        _audit(session, ctx, "recovery_key", None, "", fingerprint=fp)
    return fp


def wait_seconds(data_dir: Path, officer: str) -> float:
    """How long the login screen must wait before this officer's next try (0 when it may try now)."""
    ring = load_keyring(data_dir)
    if ring is None:
        return 0.0
    try:
        officer_id = resolve_officer(ring, officer)
    except WrongPassword:
        return 0.0
    return Throttle(keys_dir(data_dir)).remaining(officer_id)


def roles_of_officers(ctx: Context) -> dict[str, Role]:
    """Every officer's role on this laptop (officer id → role); officers not listed are 执法人员."""
    with ctx.sessions() as session:
        return roles(session)
