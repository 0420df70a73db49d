"""Device (Ed25519) and office (X25519) key pairs: files, PEM and fingerprints.

A private key file is a PKCS#8 PEM, or (issue 13.4, in a data dir) that PEM encrypted with a key
derived from the data key (`wrap_key`, vault/stream.py format), so a copied data dir does not give
away the key that signs this laptop's bundles or opens the office's.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from fieldkit.bundle._io import fsync_dir
from fieldkit.bundle.errors import KeyFileError
from fieldkit.vault import stream

PublicKey = Ed25519PublicKey | X25519PublicKey
PrivateKey = Ed25519PrivateKey | X25519PrivateKey


def generate_device_key(
    path_private: Path, *, password: bytes | None = None, wrap_key: bytes | None = None
) -> Ed25519PublicKey:
    """Make the laptop's signing key at setup; write it as PKCS#8 PEM (mode 0600), encrypted with
    `wrap_key` when given; return the public key.

    Refuses to overwrite an existing key file: losing the device key means the office can no
    longer tell this laptop's bundles from anyone else's.
    """
    key = Ed25519PrivateKey.generate()
    _write_private(path_private, key, password, wrap_key)
    return key.public_key()


def generate_office_key(
    path_private: Path, *, password: bytes | None = None, wrap_key: bytes | None = None
) -> X25519PublicKey:
    """Make the office's decryption key pair; write the private key as PKCS#8 PEM (mode 0600),
    encrypted with `wrap_key` when given."""
    key = X25519PrivateKey.generate()
    _write_private(path_private, key, password, wrap_key)
    return key.public_key()


def load_private_key(
    path: Path, *, password: bytes | None = None, wrap_key: bytes | None = None
) -> Ed25519PrivateKey:
    """Load the device signing key written by generate_device_key (plain, or encrypted: `wrap_key`)."""
    key = _load_private(path, password, wrap_key)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} 不是设备签名私钥（应为 Ed25519），实为 {_kind(key)}")
    return key


def load_office_private_key(
    path: Path, *, password: bytes | None = None, wrap_key: bytes | None = None
) -> X25519PrivateKey:
    """Load the office decryption key written by generate_office_key (plain, or encrypted: `wrap_key`)."""
    key = _load_private(path, password, wrap_key)
    if not isinstance(key, X25519PrivateKey):
        raise KeyFileError(f"{path} 不是办公室解密私钥（应为 X25519），实为 {_kind(key)}")
    return key


def public_key_pem(key: PublicKey | PrivateKey) -> str:
    """SubjectPublicKeyInfo PEM of a key (or of a private key's public half), as openssl reads it."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey | X25519PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_key_pem(pem: str | bytes) -> PublicKey:
    """Parse a SubjectPublicKeyInfo PEM (Ed25519 or X25519)."""
    data = pem.encode("ascii", "replace") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"不是有效的公钥 PEM：{exc}") from exc
    if not isinstance(key, Ed25519PublicKey | X25519PublicKey):
        raise KeyFileError(f"公钥类型不受支持：{_kind(key)}（设备应为 Ed25519，办公室应为 X25519）")
    return key


def load_device_public_key(pem: str | bytes) -> Ed25519PublicKey:
    """Parse a device's public key PEM (Ed25519), as registered with the office."""
    key = load_public_key_pem(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"不是设备公钥（应为 Ed25519），实为 {_kind(key)}")
    return key


def load_office_public_key(pem: str | bytes) -> X25519PublicKey:
    """Parse the office's public key PEM (X25519), used to encrypt bundles to the office."""
    key = load_public_key_pem(pem)
    if not isinstance(key, X25519PublicKey):
        raise KeyFileError(f"不是办公室加密公钥（应为 X25519），实为 {_kind(key)}")
    return key


def raw_public_bytes(key: PublicKey) -> bytes:
    """The 32 raw bytes of an Ed25519 or X25519 public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public_key: PublicKey) -> str:
    """Lower-case hex SHA-256 of the raw 32-byte public key (64 characters)."""
    return hashlib.sha256(raw_public_bytes(public_key)).hexdigest()


def format_fingerprint(fp: str) -> str:
    """Show a fingerprint to humans in groups of four: `3f2a 9c01 …` (16 groups)."""
    clean = normalize_fingerprint(fp)
    return " ".join(clean[i : i + 4] for i in range(0, len(clean), 4))


def normalize_fingerprint(fp: str) -> str:
    """Accept a fingerprint typed with spaces, colons or upper case; return 64 lower-case hex."""
    return "".join(ch for ch in fp.lower() if ch not in " :-\t\n")


def wrap_private_file(path: Path, wrap_key: bytes) -> bool:
    """Encrypt a plain private key PEM in place with `wrap_key` (written whole under a temp name,
    fsynced, renamed over it, 0600). False if there is no file or it is encrypted already."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False
    if stream.is_encrypted(data):
        return False
    _load_private(path, None, None)  # a PEM that does not load is left alone, not wrapped
    _write_file(path, stream.encrypt_bytes(data, wrap_key), replace=True)
    return True


def _write_private(path: Path, key: PrivateKey, password: bytes | None, wrap_key: bytes | None) -> None:
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    path = Path(path)
    if path.exists():
        raise KeyFileError(f"密钥文件 {path} 已存在，不会覆盖")
    _write_file(path, pem if wrap_key is None else stream.encrypt_bytes(pem, wrap_key), replace=False)


def _write_file(path: Path, data: bytes, *, replace: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    if replace:  # a conversion killed before its rename left this; it holds the encrypted copy only
        tmp.unlink(missing_ok=True)
    # Created 0600 from the first byte: never a moment where another user could read the key.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if not replace and path.exists():
            raise KeyFileError(f"密钥文件 {path} 已存在，不会覆盖")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def _load_private(path: Path, password: bytes | None, wrap_key: bytes | None) -> PrivateKey:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise KeyFileError(f"无法读取密钥文件 {path}：{exc.strerror or exc}") from exc
    if stream.is_encrypted(data):
        if wrap_key is None:
            raise KeyFileError(f"密钥文件 {path} 已用本机数据密钥加密：请在 FieldKit 中登录后使用")
        try:
            data = stream.decrypt_bytes(data, wrap_key)
        except stream.WrongKey:
            raise KeyFileError(
                f"密钥文件 {path} 是另一台电脑（另一个数据目录）加密的，本机无法打开"
            ) from None
        except stream.StreamError as exc:
            raise KeyFileError(f"密钥文件 {path} 已损坏或被改动：{exc}") from exc
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except TypeError as exc:  # password given for an unencrypted key or missing for an encrypted one
        raise KeyFileError(f"密钥文件 {path} 的口令不对：{exc}") from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"{path} 不是有效的私钥 PEM（或口令错误）") from exc
    if not isinstance(key, Ed25519PrivateKey | X25519PrivateKey):
        raise KeyFileError(f"{path} 的密钥类型不受支持：{_kind(key)}")
    return key


def _kind(key: object) -> str:
    return type(key).__name__.removeprefix("_").replace("PrivateKey", " 私钥").replace("PublicKey", " 公钥")
