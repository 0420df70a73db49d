"""Tests that look into (or tamper with) the database file itself open it here, with the store's key.

A plaintext file (a previous release's store) opens with sqlite3 as before; an encrypted one with
sqlcipher3 and the key the data dir's keyring gives: provisional before the first password, else the
test officers' TEST_PASSWORD (tests/conftest.py). Backups (backups/…) use the key of their data dir.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from fieldkit.services import access
from fieldkit.store.db import connect_encrypted, is_plaintext

TEST_PASSWORD = "fieldkit-2026"
# The key of tests that open a bare database file with the store layer alone (no data dir, no keyring).
STORE_KEY = bytes(range(32))


def data_key_of(data_dir: Path) -> bytes:
    """The data key itself (the files and private key files are encrypted with keys derived from it)."""
    ring = access.load_keyring(data_dir)
    assert ring is not None, f"{data_dir} has no keyring"
    if not ring.protected:
        return ring.open_provisional()
    officer = sorted(ring.officers)[0]
    return ring.unlock(officer, TEST_PASSWORD)


def key_of(data_dir: Path) -> bytes:
    return access.db_key(data_key_of(data_dir))


def device_key(data_dir: Path) -> Any:
    """The data dir's device signing key (keys/device.key: encrypted, or a previous release's plain PEM)."""
    from fieldkit.bundle import keys
    from fieldkit.services import at_rest

    wrap = None if access.load_keyring(data_dir) is None else at_rest.key_wrap(data_key_of(data_dir))
    return keys.load_private_key(at_rest.device_key_path(data_dir), wrap_key=wrap)


def data_dir_of(db_file: Path) -> Path | None:
    for folder in (db_file.parent, *db_file.parents[1:3]):
        if (folder / access.KEYS_DIR / "keyring.json").exists():
            return folder
    return None


def connect(db_file: Path | str, timeout: float = 5.0) -> Any:
    """A DB-API connection to a store's database file (plaintext or encrypted), like sqlite3.connect."""
    db_file = Path(db_file)
    if not db_file.exists() or is_plaintext(db_file):
        return sqlite3.connect(db_file, timeout=timeout)
    data_dir = data_dir_of(db_file)
    conn = connect_encrypted(str(db_file), STORE_KEY if data_dir is None else key_of(data_dir))
    conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    return conn
