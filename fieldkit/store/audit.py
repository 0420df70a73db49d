"""Append-only audit log whose entries are chained by SHA-256 (DESIGN §3)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from fieldkit.store.schema import AuditRow, LocalMetaRow

GENESIS = "0" * 64
_HEAD_KEY = "fieldkit.audit_head"
_LAST_ROW = "fieldkit.audit_last_row"  # the newest entry this session added, until it is flushed
_NEW_HEAD = "fieldkit.audit_new_head"  # (seq, entry_hash) of it once flushed, until commit
# Session.info key of a callable(seq, entry_hash) run after a commit that appended entries: the
# services layer signs the new head and keeps it outside the database (services/anchor.py).
ON_COMMIT = "fieldkit.audit_on_commit"
OPERATOR_KEY = "operator"  # local_meta: the officer using this laptop now (stores nobody logs in to)
# Session.info key of a callable() giving the logged-in officer (services/access.py): every entry of a
# session opened after a login names that officer (issue 13.1).
ACTOR = "fieldkit.audit_actor"


def _canonical(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(row: AuditRow) -> str:
    body = {
        "id": str(row.id),
        "at": row.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "device_id": row.device_id,
        "actor": row.actor,
        "action": row.action,
        "record_type": row.record_type,
        "record_id": row.record_id,
        "record_version": row.record_version,
        "detail": row.detail,
        "prev_hash": row.prev_hash,
    }
    return hashlib.sha256(_canonical(body)).hexdigest()


def entry_row(entry_id: uuid.UUID | str, device_id: str, data: Mapping[str, Any]) -> AuditRow:
    """The row an entry stands for when it travels as data (a bundle's audit_log record, an office's
    imported_audit entry), so entry_hash can check it again. A missing field raises KeyError, a
    malformed time ValueError or TypeError."""
    return AuditRow(
        id=entry_id,
        at=dt.datetime.fromisoformat(data["at"]),
        device_id=device_id,
        actor=data["actor"],
        action=data["action"],
        record_type=data["record_type"],
        record_id=data["record_id"],
        record_version=data["record_version"],
        detail=data["detail"],
        prev_hash=data["prev_hash"],
    )


def append(
    session: Session,
    *,
    action: str,
    record_type: str,
    record_id: uuid.UUID | str,
    record_version: int,
    device_id: str,
    now: dt.datetime,
    actor: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditRow:
    if not actor and (logged_in := session.info.get(ACTOR)) is not None:
        actor = logged_in()
    if not actor:
        # Who is using this laptop (chosen in the app), so every entry names a person.
        operator = session.get(LocalMetaRow, OPERATOR_KEY)
        actor = operator.value if operator is not None else ""
    # The chain head is remembered per session, so a bulk import does not query it per entry.
    last = session.info.get(_HEAD_KEY)
    if last is None:
        last = session.execute(select(AuditRow.entry_hash).order_by(AuditRow.seq.desc()).limit(1)).scalar()
    row = AuditRow(
        id=uuid.uuid4(),
        at=now,
        device_id=device_id,
        actor=actor,
        action=action,
        record_type=record_type,
        record_id=str(record_id),
        record_version=record_version,
        detail=detail or {},
        prev_hash=last or GENESIS,
    )
    row.entry_hash = entry_hash(row)
    session.add(row)
    session.info[_HEAD_KEY] = row.entry_hash
    session.info[_LAST_ROW] = row
    return row


@dataclass(frozen=True)
class AuditBreak:
    seq: int
    reason: str


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_head(session: Session) -> None:
    # Another session (or device import) may append next: re-read the head from the table.
    session.info.pop(_HEAD_KEY, None)


@event.listens_for(Session, "after_flush")
def _note_new_head(session: Session, _flush_context: Any) -> None:
    row = session.info.pop(_LAST_ROW, None)
    if row is not None and row.seq is not None:  # the seq is known once the row is inserted
        session.info[_NEW_HEAD] = (row.seq, row.entry_hash)


@event.listens_for(Session, "after_commit")
def _anchor_new_head(session: Session) -> None:
    head = session.info.pop(_NEW_HEAD, None)
    hook = session.info.get(ON_COMMIT)
    if head is not None and hook is not None:
        hook(*head)


@event.listens_for(Session, "after_rollback")
def _drop_new_head(session: Session) -> None:
    session.info.pop(_NEW_HEAD, None)
    session.info.pop(_LAST_ROW, None)


def verify_chain(session: Session) -> AuditBreak | None:
    """The first entry that no longer matches its hash or its predecessor, or None."""
    prev = GENESIS
    for row in session.scalars(select(AuditRow).order_by(AuditRow.seq)).yield_per(1000):
        if row.prev_hash != prev:
            return AuditBreak(row.seq, f"第 {row.seq} 条审计记录的前序哈希与上一条不符（记录被删除或插入）")
        if entry_hash(row) != row.entry_hash:
            return AuditBreak(row.seq, f"第 {row.seq} 条审计记录的内容与其哈希不符（记录被改动）")
        prev = row.entry_hash
    return None
