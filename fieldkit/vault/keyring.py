"""The keyring: one random 256-bit data key, wrapped once per officer and once to the office (issue 13.3).

`keys/keyring.json` (mode 0600) holds no secret in the clear once any officer has a password:
- per officer: argon2id parameters and the data key sealed (AES-256-GCM) under the key derived from
  the officer's password, the officer's id bound into the seal's associated data (roles are kept in
  the encrypted database, where a copied file cannot change them);
- for the office: the data key sealed to the office's recovery public key (X25519 with a fresh
  ephemeral key, HKDF-SHA256, AES-256-GCM), so the office can open a laptop whose officers all forgot
  their passwords;
- before the first password (a new store, or a plaintext store just converted) the key is kept in the
  clear as `provisional_key`: the store then holds nothing but set-up data, and the first password
  removes it (the GUI asks for it before the main window opens).

Officers' names are kept in the clear so the login screen can list them: 执法人员 names and 执法证号
are published under the 行政执法公示制度 and printed on every document; a party's data is not here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldkit.domain.access import password_problem
from fieldkit.vault.encoding import b64, unb64
from fieldkit.vault.errors import BadPassword, Locked, VaultError, WrongPassword
from fieldkit.vault.kdf import KdfParams
from fieldkit.vault.throttle import Throttle

KEYRING_FILE = "keyring.json"
FORMAT = 1
DATA_KEY_LEN = 32


def subkey(data_key: bytes, purpose: str) -> bytes:
    """An independent key for one use (the database, files, the device key) from the data key."""
    return HKDF(hashes.SHA256(), 32, salt=None, info=f"fieldkit/1/{purpose}".encode()).derive(data_key)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    nonce = os.urandom(12)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    return AESGCM(key).decrypt(nonce, sealed, aad)  # InvalidTag when key, data or aad differ


@dataclass(frozen=True)
class OfficerLogin:
    """One officer's wrap of the data key (no secret: the password is needed to use it)."""

    officer_id: str
    name: str
    kdf: KdfParams
    nonce: bytes
    wrapped: bytes
    changed_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kdf": self.kdf.to_json(),
            "nonce": b64(self.nonce),
            "wrapped": b64(self.wrapped),
            "changed_at": self.changed_at,
        }

    @classmethod
    def from_json(cls, officer_id: str, data: dict[str, Any]) -> OfficerLogin:
        return cls(
            officer_id,
            str(data["name"]),
            KdfParams.from_json(data["kdf"]),
            unb64(data["nonce"]),
            unb64(data["wrapped"]),
            str(data.get("changed_at", "")),
        )


@dataclass
class Keyring:
    """The keyring file of one data dir. Changes are written with `save()` (atomically, 0600)."""

    keys_dir: Path
    store_id: str
    officers: dict[str, OfficerLogin] = field(default_factory=dict)
    recovery: dict[str, str] | None = None
    provisional_key: bytes | None = field(default=None, repr=False)

    # ---- files ----------------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self.keys_dir / KEYRING_FILE

    @classmethod
    def load(cls, keys_dir: Path) -> Keyring | None:
        """The keyring of a data dir, or None when there is none (a new or a pre-encryption store)."""
        path = keys_dir / KEYRING_FILE
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise VaultError(f"无法读取密钥文件 {path}：{exc.strerror or exc}") from exc
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise VaultError(f"密钥文件 {path} 的格式 {data.get('format')!r} 不受支持（应为 {FORMAT}）")
            officers = {
                officer_id: OfficerLogin.from_json(officer_id, entry)
                for officer_id, entry in data.get("officers", {}).items()
            }
            provisional = data.get("provisional_key")
            return cls(
                keys_dir,
                str(data["store_id"]),
                officers,
                data.get("recovery"),
                None if provisional is None else unb64(provisional),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise VaultError(f"密钥文件 {path} 已损坏，无法读取：{exc}") from exc

    @classmethod
    def create(cls, keys_dir: Path) -> tuple[Keyring, bytes]:
        """A new keyring with a fresh data key, provisional until the first officer's password."""
        data_key = os.urandom(DATA_KEY_LEN)
        ring = cls(keys_dir, str(uuid.uuid4()), provisional_key=data_key)
        ring.save()
        return ring, data_key

    def save(self) -> None:
        data: dict[str, Any] = {
            "format": FORMAT,
            "store_id": self.store_id,
            "officers": {oid: login.to_json() for oid, login in sorted(self.officers.items())},
        }
        if self.recovery is not None:
            data["recovery"] = self.recovery
        if self.provisional_key is not None:
            data["provisional_key"] = b64(self.provisional_key)
        write_private(self.path, json.dumps(data, ensure_ascii=False, indent=1).encode())

    # ---- state ----------------------------------------------------------------------------------
    @property
    def protected(self) -> bool:
        """True once the data key is no longer kept in the clear (some officer has a password)."""
        return self.provisional_key is None

    def login_of(self, officer_id: str) -> OfficerLogin | None:
        return self.officers.get(officer_id)

    # ---- opening --------------------------------------------------------------------------------
    def open_provisional(self) -> bytes:
        if self.provisional_key is None:
            raise Locked("数据已加密：请先登录")
        return self.provisional_key

    def unlock(self, officer_id: str, password: str, *, throttle: Throttle | None = None) -> bytes:
        """The data key, if `password` is this officer's. Wrong tries slow down (throttle.py)."""
        throttle = throttle or Throttle(self.keys_dir)
        throttle.check(officer_id)
        login = self.officers.get(officer_id)
        if login is None:
            throttle.failed(officer_id)
            raise WrongPassword("该执法人员在本机没有设置密码：请管理员先为其设置")
        try:
            data_key = unseal(login.kdf.derive(password), login.nonce, login.wrapped, self._aad(login))
        except InvalidTag:
            wait = throttle.failed(officer_id)
            hint = f"；请 {wait:.0f} 秒后再试" if wait > 0 else ""
            raise WrongPassword(f"{login.name}的密码不对{hint}") from None
        throttle.succeeded(officer_id)  # the failures stay for the audit log (throttle.take_unaudited)
        return data_key

    def recover(self, office_private: X25519PrivateKey) -> bytes:
        """The data key, opened with the office's recovery private key (issue 13.3)."""
        if self.recovery is None:
            raise VaultError("本机没有用单位恢复公钥保存数据密钥：无法用单位密钥恢复")
        public = office_private.public_key()
        if self.recovery.get("office_public") != b64(_raw(public)):
            raise WrongPassword("这不是本机登记的单位恢复密钥（公钥指纹不符）")
        ephemeral = X25519PublicKey.from_public_bytes(unb64(self.recovery["ephemeral"]))
        kek = self._recovery_kek(office_private.exchange(ephemeral), _raw(ephemeral), _raw(public))
        try:
            return unseal(
                kek, unb64(self.recovery["nonce"]), unb64(self.recovery["wrapped"]), self._aad(None)
            )
        except InvalidTag:
            raise WrongPassword("单位恢复密钥无法打开本机数据密钥（密钥文件已被改动？）") from None

    # ---- changing -------------------------------------------------------------------------------
    def set_password(
        self, data_key: bytes, officer_id: str, name: str, password: str, *, now: dt.datetime
    ) -> None:
        """Wrap the data key for this officer under `password` (new, changed or reset); removes the
        provisional clear key. Raises BadPassword naming the rule."""
        if problem := password_problem(password):
            raise BadPassword(problem)
        self._check_key(data_key)
        kdf = KdfParams.fresh()
        login = OfficerLogin(officer_id, name, kdf, b"", b"", now.isoformat(timespec="seconds"))
        nonce, wrapped = seal(kdf.derive(password), data_key, self._aad(login))
        self.officers[officer_id] = OfficerLogin(officer_id, name, kdf, nonce, wrapped, login.changed_at)
        self.provisional_key = None

    def remove_officer(self, officer_id: str) -> None:
        if officer_id in self.officers and len(self.officers) == 1 and self.recovery is None:
            raise VaultError("这是本机唯一能登录的执法人员，且没有单位恢复公钥：删除后数据将无法打开")
        self.officers.pop(officer_id, None)

    def wrap_for_office(self, data_key: bytes, office_public: X25519PublicKey) -> None:
        """Seal the data key to the office's recovery public key (replacing an earlier one)."""
        self._check_key(data_key)
        ephemeral = X25519PrivateKey.generate()
        eph_raw, office_raw = _raw(ephemeral.public_key()), _raw(office_public)
        kek = self._recovery_kek(ephemeral.exchange(office_public), eph_raw, office_raw)
        nonce, wrapped = seal(kek, data_key, self._aad(None))
        self.recovery = {
            "office_public": b64(office_raw),
            "ephemeral": b64(eph_raw),
            "nonce": b64(nonce),
            "wrapped": b64(wrapped),
        }

    def office_public_raw(self) -> bytes | None:
        return None if self.recovery is None else unb64(self.recovery["office_public"])

    # ---- inside ---------------------------------------------------------------------------------
    def _aad(self, login: OfficerLogin | None) -> bytes:
        who = "office" if login is None else f"officer|{login.officer_id}"
        return f"fieldkit-keyring/{FORMAT}|{self.store_id}|{who}".encode()

    def _recovery_kek(self, shared: bytes, eph_raw: bytes, office_raw: bytes) -> bytes:
        info = f"fieldkit/1/recovery|{self.store_id}".encode()
        return HKDF(hashes.SHA256(), 32, salt=eph_raw + office_raw, info=info).derive(shared)

    def _check_key(self, data_key: bytes) -> None:
        """Refuse to wrap a key that is not this store's (a bug, or a key of another data dir)."""
        if len(data_key) != DATA_KEY_LEN:
            raise VaultError("数据密钥长度不对")
        if self.provisional_key is not None and data_key != self.provisional_key:
            raise VaultError("数据密钥与本机的不符")


def _raw(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def write_private(path: Path, data: bytes) -> None:
    """Write a file atomically, readable by its owner only (0600 from the first byte)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path.parent, 0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
