"""The audit log's end, signed by the device key and kept outside the database (issue 11 item 2).

The audit entries are chained by an unkeyed SHA-256, so whoever can write the SQLite file can edit
an entry and re-chain everything after it, or cut off the last entries, and the chain still holds.
After every commit that appends entries the newest (seq, hash) is signed with this laptop's Ed25519
key and written to `audit-head.json` next to the database. `audit verify` holds the log against it
(truncation and rewriting show), every bundle carries a freshly signed head, and the office keeps
the heads it received, so a later bundle whose log is shorter or different is refused.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

HEAD_FILE = "audit-head.json"
ANCHORED_KEY = "audit_anchored"  # local_meta: a head file has been written for this store
_lock = threading.Lock()


def head_path(data_dir: Path) -> Path:
    return data_dir / HEAD_FILE


def _body(device_id: str, seq: int, entry_hash: str) -> bytes:
    return json.dumps(
        {"device_id": device_id, "entry_hash": entry_hash, "seq": seq}, sort_keys=True, separators=(",", ":")
    ).encode()


_keys: dict[tuple[Path, int], Any] = {}  # (key file, mtime_ns) → loaded private key


def _private(key_path: Path, wrap_key: bytes | None) -> Any | None:
    from fieldkit.bundle import keys  # cryptography: loaded on the first audited commit, not at start

    try:
        stamp = key_path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    cached = _keys.get((key_path, stamp))
    if cached is None:  # parsing the PEM: once per key file, not per commit
        cached = _keys[(key_path, stamp)] = keys.load_private_key(key_path, wrap_key=wrap_key)
    return cached


def signed_head(
    key_path: Path, device_id: str, seq: int, entry_hash: str, *, wrap_key: bytes | None = None
) -> dict[str, Any] | None:
    """{seq, entry_hash, signature} signed with the device key (encrypted with `wrap_key`,
    services/at_rest.py), or None while there is no key yet."""
    private = _private(key_path, wrap_key)
    if private is None:
        return None
    return {
        "seq": seq,
        "entry_hash": entry_hash,
        "signature": private.sign(_body(device_id, seq, entry_hash)).hex(),
    }


def signature_valid(public_pem: str, device_id: str, head: dict[str, Any]) -> bool:
    from cryptography.exceptions import InvalidSignature

    from fieldkit.bundle import keys

    try:
        keys.load_device_public_key(public_pem).verify(
            bytes.fromhex(str(head["signature"])), _body(device_id, int(head["seq"]), str(head["entry_hash"]))
        )
    except (InvalidSignature, KeyError, TypeError, ValueError):
        return False
    return True


def read_head(data_dir: Path) -> dict[str, Any] | None:
    """The stored head, or None if there is no file; a damaged file gives {} (reported by verify)."""
    path = head_path(data_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Anchor:
    """Session.info[audit.ON_COMMIT] of a store: signs and writes the head after each audited commit."""

    def __init__(
        self,
        data_dir: Path,
        device_id: str,
        key_path: Path,
        mark: Callable[[], None] | None = None,
        *,
        wrap_key: bytes | None = None,
    ) -> None:
        self.data_dir, self.device_id, self.key_path = data_dir, device_id, key_path
        self._wrap_key = wrap_key  # opens the encrypted device key file (services/at_rest.py)
        self.mark = mark  # records in the store that it has been anchored (once, with the first head)

    def __call__(self, seq: int, entry_hash: str) -> None:
        # Never raises: the commit has happened. A head that could not be written lags behind the
        # log, which `audit verify` reports as entries not yet anchored, not as tampering.
        try:
            self.write(seq, entry_hash)
        except Exception as exc:
            log.warning("audit head not written: %s", exc)

    def write(self, seq: int, entry_hash: str) -> None:
        with _lock:
            current = read_head(self.data_dir)
            if current and isinstance(current.get("seq"), int) and current["seq"] >= seq:
                return  # a later head is already there (another session committed after this one)
            head = signed_head(self.key_path, self.device_id, seq, entry_hash, wrap_key=self._wrap_key)
            if head is None:
                return
            path = head_path(self.data_dir)
            tmp = path.with_name(path.name + ".tmp")
            # No fsync per commit (it doubled the cost of every audited save): the database itself
            # runs synchronous=NORMAL, so after a power cut both may lose their last commits; a
            # head left behind the log is reported as entries not yet anchored.
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump({"device_id": self.device_id, **head}, f, sort_keys=True)
            os.replace(tmp, path)
            with contextlib.suppress(OSError):
                tmp.unlink()
            if current is None and self.mark is not None:
                self.mark()


def anchor_now(sessions: Any) -> None:
    """Sign the log's current end (e.g. right after the device key is made); no-op without a hook."""
    from sqlalchemy import select

    from fieldkit.store import audit
    from fieldkit.store.schema import AuditRow

    hook = sessions.kw.get("info", {}).get(audit.ON_COMMIT)
    if not isinstance(hook, Anchor):
        return
    with sessions() as session:
        last = session.execute(
            select(AuditRow.seq, AuditRow.entry_hash).order_by(AuditRow.seq.desc()).limit(1)
        ).first()
    if last is not None:
        hook(last[0], last[1])
