"""Creating, changing and tombstoning travelling records, each with its audit entry."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

from fieldkit.services.context import Context
from fieldkit.store import audit
from fieldkit.store.schema import SyncedMixin

R = TypeVar("R", bound=SyncedMixin)


def create(
    session: Session, ctx: Context, row: R, *, actor: str = "", detail: dict[str, Any] | None = None
) -> R:
    now = ctx.now()
    row.device_id = ctx.device_id
    row.version = 1
    row.created_at = now
    row.updated_at = now
    row.deleted_at = None
    session.add(row)
    session.flush()
    audit.append(
        session,
        action="create",
        record_type=type(row).__tablename__,  # type: ignore[attr-defined]
        record_id=row.id,
        record_version=row.version,
        device_id=ctx.device_id,
        now=now,
        actor=actor,
        detail=detail,
    )
    return row


def update(
    session: Session,
    ctx: Context,
    row: R,
    changes: dict[str, Any],
    *,
    action: str = "change",
    actor: str = "",
    detail: dict[str, Any] | None = None,
) -> bool:
    """Apply changes; bump the version and log only when something really changed."""
    changed = {k: v for k, v in changes.items() if getattr(row, k) != v}
    if not changed:
        return False
    for key, value in changed.items():
        setattr(row, key, value)
    now = ctx.now()
    row.version += 1
    row.updated_at = now
    audit.append(
        session,
        action=action,
        record_type=type(row).__tablename__,  # type: ignore[attr-defined]
        record_id=row.id,
        record_version=row.version,
        device_id=ctx.device_id,
        now=now,
        actor=actor,
        detail={"fields": sorted(changed), **(detail or {})},
    )
    return True


def tombstone(
    session: Session, ctx: Context, row: R, *, actor: str = "", detail: dict[str, Any] | None = None
) -> None:
    now = ctx.now()
    row.deleted_at = now
    row.version += 1
    row.updated_at = now
    audit.append(
        session,
        action="delete",
        record_type=type(row).__tablename__,  # type: ignore[attr-defined]
        record_id=row.id,
        record_version=row.version,
        device_id=ctx.device_id,
        now=now,
        actor=actor,
        detail=detail,
    )
