"""What `lock-status`, `officers` and `recover` need (issue 13.5): the laptop's lock state read without
a login, officers found by name, and recovery with the office key.

lock_status() reads only files that hold no secret (the keyring's names and wraps, the throttle's
counts, the database's first bytes); it never decrypts anything and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fieldkit.domain.access import Role
from fieldkit.errors import FieldkitError, NotFound
from fieldkit.services import access
from fieldkit.store.db import is_plaintext
from fieldkit.vault.errors import VaultError
from fieldkit.vault.throttle import Throttle

if TYPE_CHECKING:
    from fieldkit.services.context import Context

DB_FILE = "fieldkit.db"


@dataclass(frozen=True)
class LoginInfo:
    """An officer who can log in on this laptop, and how long their next try must wait."""

    officer_id: str
    name: str
    wait_seconds: float


@dataclass(frozen=True)
class LockStatus:
    data_dir: Path
    database: str  # "encrypted", "plaintext" (a previous release's store, not opened yet), "missing"
    keyring: bool  # keys/keyring.json exists
    protected: bool  # opening needs a password (or the office key)
    officers: tuple[LoginInfo, ...]
    recovery_fingerprint: str | None  # the office recovery key the data key is sealed to, if any

    @property
    def database_label(self) -> str:
        return {
            "encrypted": "已加密",
            "plaintext": "未加密（旧版数据，下次打开时自动加密）",
            "missing": "尚未建立",
        }[self.database]


def lock_status(data_dir: Path) -> LockStatus:
    """The laptop's lock state, without a login."""
    db_file = data_dir / DB_FILE
    database = "missing" if not db_file.exists() else "plaintext" if is_plaintext(db_file) else "encrypted"
    ring = access.load_keyring(data_dir)
    if ring is None:
        return LockStatus(data_dir, database, False, False, (), None)
    throttle = Throttle(access.keys_dir(data_dir))
    officers = tuple(
        LoginInfo(c.officer_id, c.name, throttle.remaining(c.officer_id))
        for c in access.login_choices(data_dir)
    )
    fingerprint = None
    raw = ring.office_public_raw()
    if raw is not None:
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

        from fieldkit.bundle.keys import fingerprint as key_fingerprint

        fingerprint = key_fingerprint(X25519PublicKey.from_public_bytes(raw))
    return LockStatus(data_dir, database, True, ring.protected, officers, fingerprint)


def format_fingerprint(fp: str) -> str:
    from fieldkit.bundle.keys import format_fingerprint as fmt

    return fmt(fp)


@dataclass(frozen=True)
class OfficerLogin:
    """An officer of the laptop as `officers list` shows them."""

    officer_id: str
    name: str
    role: Role
    has_password: bool
    logged_in: bool


def officer_logins(ctx: Context) -> list[OfficerLogin]:
    me = ctx.login.who.officer_id if ctx.login.who else None
    return [
        OfficerLogin(o.officer_id, o.name, o.role, has, o.officer_id == me)
        for o, has in access.officers_with_login(ctx)
    ]


def find_officer(ctx: Context, text: str) -> OfficerLogin:
    """The active officer `text` names: their name, or their id or its first ≥ 4 characters."""
    text = text.strip()
    officers = officer_logins(ctx)
    found = [o for o in officers if o.name == text] or [
        o for o in officers if o.officer_id == text or (len(text) >= 4 and o.officer_id.startswith(text))
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        names = "、".join(o.name for o in officers) or "（无）"
        raise NotFound(f"本机没有执法人员“{text}”；本机的执法人员有：{names}")
    raise FieldkitError(f"“{text}”对应多名执法人员：请写执法人员 ID（fieldkit officers list --json 查看）")


def load_office_key(path: Path) -> access.OfficeKeyLogin:
    """The office's recovery private key file (written by `fieldkit office keygen`), as credentials."""
    from fieldkit.bundle.errors import KeyFileError
    from fieldkit.bundle.keys import load_office_private_key
    from fieldkit.services.at_rest import is_encrypted_key_file

    if is_encrypted_key_file(path):
        # The office PC keeps its key encrypted under its own data key (docs/security.md §7).
        raise KeyFileError(
            f"{path} 是办公室电脑数据目录中加密保存的私钥，不能直接用于恢复：请用生成时另存的离线副本"
            "（fieldkit office keygen --private-out，或在办公室电脑上 fieldkit office export-key）"
        )
    return access.OfficeKeyLogin(load_office_private_key(path))  # KeyFileError names file and problem


def recover(ctx: Context, officer: str, new_password: str) -> OfficerLogin:
    """After a login with the office key: give `officer` a new password (audited as set_password,
    after the office-key login entry) and end their wait for wrong tries."""
    if ctx.login.how != "office_key":
        raise VaultError("恢复须用单位恢复私钥打开本机数据")
    target = find_officer(ctx, officer)
    access.set_password(ctx, target.officer_id, new_password)
    Throttle(access.keys_dir(ctx.data_dir)).succeeded(target.officer_id)
    return find_officer(ctx, target.officer_id)


def wait_text(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return str(dt.timedelta(seconds=seconds)) if seconds >= 60 else f"{seconds} 秒"
