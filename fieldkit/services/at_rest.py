"""Files at rest under the data key (issue 13.4): the encrypted file store, and the private key files.

Every service reaches stored files (evidence, thumbnails, printed PDFs, scans, signature images)
through files_of(ctx), which gives the store its files key; the store encrypts and decrypts
(store/evidence_files.py, vault/stream.py). The laptop's signing key (keys/device.key) and the
office's decryption key (keys/office.key) are kept encrypted under another key derived from the data
key, mode 0600; a plain PEM left by an older release is converted when the store opens
(protect_key_files). Public keys stay plain: they are published anyway.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from fieldkit.bundle import keys
from fieldkit.bundle.errors import KeyFileError
from fieldkit.services.access import DEVICE_KEY_PURPOSE, FILES_KEY_PURPOSE
from fieldkit.services.context import Context
from fieldkit.store.evidence_files import EvidenceStore
from fieldkit.vault.keyring import subkey
from fieldkit.vault.stream import MAGIC, is_encrypted

log = logging.getLogger(__name__)

EVIDENCE_DIR = "evidence"
KEYS_DIR = "keys"
DEVICE_KEY_FILE = "device.key"
OFFICE_KEY_FILE = "office.key"


def files_of(ctx: Context) -> EvidenceStore:
    """The store of evidence files, PDFs, scans, signature images and thumbnails of this data dir,
    encrypted with the files key."""
    return EvidenceStore(ctx.data_dir / EVIDENCE_DIR, ctx.subkey(FILES_KEY_PURPOSE))


def key_wrap(data_key: bytes) -> bytes:
    """The key the private key files are encrypted with."""
    return subkey(data_key, DEVICE_KEY_PURPOSE)


def device_key_path(data_dir: Path) -> Path:
    return data_dir / KEYS_DIR / DEVICE_KEY_FILE


def office_key_path(data_dir: Path) -> Path:
    return data_dir / KEYS_DIR / OFFICE_KEY_FILE


def is_encrypted_key_file(path: Path) -> bool:
    """True for a private key file encrypted under some data dir's key (not a plain PEM)."""
    try:
        with open(path, "rb") as f:
            return is_encrypted(f.read(len(MAGIC)))
    except OSError:
        return False  # loading it will say what is wrong


def device_signing_key(ctx: Context) -> Ed25519PrivateKey:
    """This laptop's signing key (KeyFileError if there is none yet or it cannot be opened)."""
    return keys.load_private_key(device_key_path(ctx.data_dir), wrap_key=key_wrap(ctx.data_key))


def office_private_key(ctx: Context, path: Path | None = None) -> X25519PrivateKey:
    """The office's decryption key: this store's (keys/office.key, encrypted) or a PEM file given
    by path (a copy on a USB key: plain, or encrypted by this store)."""
    return keys.load_office_private_key(
        path or office_key_path(ctx.data_dir), wrap_key=key_wrap(ctx.data_key)
    )


def make_device_key(ctx: Context) -> str:
    """Make this laptop's signing key, stored encrypted; returns the public key PEM."""
    public = keys.generate_device_key(device_key_path(ctx.data_dir), wrap_key=key_wrap(ctx.data_key))
    return keys.public_key_pem(public)


def make_office_key(ctx: Context) -> str:
    """Make the office's decryption key pair, the private half stored encrypted; returns the public PEM."""
    public = keys.generate_office_key(office_key_path(ctx.data_dir), wrap_key=key_wrap(ctx.data_key))
    return keys.public_key_pem(public)


def export_office_key(ctx: Context, dest: Path) -> Path:
    """Write the office's private key as a plain PKCS#8 PEM (0600) to `dest` — the copy kept offline
    (a USB key in the safe) for `fieldkit recover --office-key` on a laptop and for a second office
    PC: the copy in this data dir is encrypted under this store's key and opens nowhere else. An
    administrator's work; audited. Refuses to overwrite a file."""
    from cryptography.hazmat.primitives import serialization

    from fieldkit.domain.access import Duty
    from fieldkit.services.access import require
    from fieldkit.store import audit

    require(ctx, Duty.KEYS)
    private = office_private_key(ctx)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    dest = Path(dest)
    try:
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:
        raise KeyFileError(f"文件 {dest} 已存在，不会覆盖") from None
    except OSError as exc:
        raise KeyFileError(f"无法写入 {dest}：{exc.strerror or exc}") from exc
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
        f.flush()
        os.fsync(f.fileno())
    fingerprint = keys.fingerprint(private.public_key())
    with ctx.sessions.begin() as session:
        audit.append(
            session,
            action="export_office_key",
            record_type="device",
            record_id=ctx.device_id,
            record_version=0,
            device_id=ctx.device_id,
            now=ctx.now(),
            actor=ctx.actor,
            detail={"fingerprint": fingerprint},
        )
    return dest


def protect_key_files(data_dir: Path, data_key: bytes) -> list[Path]:
    """Encrypt, in place, the private key files an older release left as plain PEM (crash-safe:
    written whole under a temp name, then renamed over the PEM). Returns the files converted."""
    done: list[Path] = []
    for path in (device_key_path(data_dir), office_key_path(data_dir)):
        try:
            if keys.wrap_private_file(path, key_wrap(data_key)):
                done.append(path)
        except (KeyFileError, OSError) as exc:  # a broken key file says so when it is used
            log.warning("private key %s not encrypted: %s", path, exc)
    if done:
        log.info("private key files encrypted: %s", ", ".join(p.name for p in done))
    return done
