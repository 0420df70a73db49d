"""Wrong passwords slow down (issue 13.1): after 3 wrong tries in a row, each next try waits twice as
long (5 s, 10 s, 20 s … at most 5 minutes). The count survives a restart of the program
(`keys/login-attempts.json`); the failures are written to the audit log at the next successful login,
because before a login the database cannot be opened.

This guards the login screen, not the files: someone who copies the data dir can guess offline at
argon2id's price per guess; docs/security.md says so.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fieldkit.vault.errors import TooSoon

ATTEMPTS_FILE = "login-attempts.json"
FREE_TRIES = 3
FIRST_WAIT = 5.0
MAX_WAIT = 300.0
KEPT_FAILURES = 50  # times of failures kept for the audit log; older ones are only counted


def wait_after(failures: int) -> float:
    if failures < FREE_TRIES:
        return 0.0
    return min(MAX_WAIT, FIRST_WAIT * 2 ** (failures - FREE_TRIES))


class Throttle:
    def __init__(self, keys_dir: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = keys_dir / ATTEMPTS_FILE
        self.clock = clock

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_bytes())
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _write(self, data: dict[str, Any]) -> None:
        from fieldkit.vault.keyring import write_private

        with contextlib.suppress(OSError):  # a read-only data dir: no throttle file, still no entry
            write_private(self.path, json.dumps(data).encode())

    def remaining(self, officer_id: str) -> float:
        entry = self._read().get(officer_id) or {}
        failures, last = int(entry.get("failures", 0)), entry.get("last")
        if last is None:
            return 0.0
        return max(0.0, float(last) + wait_after(failures) - self.clock())

    def check(self, officer_id: str) -> None:
        left = self.remaining(officer_id)
        if left > 0:
            raise TooSoon(f"密码错误次数过多：请 {left:.0f} 秒后再试", left)

    def failed(self, officer_id: str) -> float:
        """Count a wrong try; return how long the next try must wait."""
        data = self._read()
        entry = data.get(officer_id) or {}
        now = self.clock()
        failures = int(entry.get("failures", 0)) + 1
        unaudited = [*entry.get("unaudited", []), now][-KEPT_FAILURES:]
        data[officer_id] = {"failures": failures, "last": now, "unaudited": unaudited}
        self._write(data)
        return wait_after(failures)

    def succeeded(self, officer_id: str) -> None:
        """The officer got in: the count starts again (unaudited failures stay until taken)."""
        data = self._read()
        entry = data.get(officer_id)
        if entry:
            entry["failures"], entry["last"] = 0, None
            self._write(data)

    def take_unaudited(self) -> dict[str, list[float]]:
        """Failures not yet written to the audit log, by officer id; they are forgotten here (the
        counts that slow the next try stay)."""
        data = self._read()
        taken = {oid: [float(t) for t in e.get("unaudited", [])] for oid, e in data.items() if e}
        taken = {oid: times for oid, times in taken.items() if times}
        if taken:
            for entry in data.values():
                entry["unaudited"] = []
            self._write(data)
        return taken
