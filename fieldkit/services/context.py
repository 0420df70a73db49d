"""What every service needs: the session factory, this device's id, the data dir and a clock."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from fieldkit import paths
from fieldkit.store.db import open_store
from fieldkit.store.schema import LocalMetaRow

SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # China has no DST


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Context:
    sessions: sessionmaker[Session]
    device_id: str
    data_dir: Path
    clock: Callable[[], dt.datetime] = utc_now

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


def open_context(data_dir: Path | None = None, clock: Callable[[], dt.datetime] = utc_now) -> Context:
    """Open (create, migrate) the store in the data dir; the device id is made once, on first open."""
    base = data_dir or paths.data_dir()
    base.mkdir(parents=True, exist_ok=True)
    sessions = open_store(base / "fieldkit.db", backup_dir=base / "backups")
    with sessions.begin() as session:
        device_id = get_meta(session, "device_id")
        if device_id is None:
            device_id = str(uuid.uuid4())
            set_meta(session, "device_id", device_id)
    return Context(sessions=sessions, device_id=device_id, data_dir=base, clock=clock)
