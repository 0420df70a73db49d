"""Creating, changing and tombstoning travelling records, each with its audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from fieldkit.errors import ForeignRecord
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.store import audit
from fieldkit.store.schema import (
    DocumentRevisionRow,
    DocumentRow,
    EvidenceFileRow,
    EvidenceItemRow,
    FollowUpRow,
    InspectionRow,
    MeasureRow,
    SyncedMixin,
)

R = TypeVar("R", bound=SyncedMixin)

# The work a laptop records. At the office these are imported copies: a change made there would never
# reach the laptop and would silently differ from what the officers hold (a device writes only its own
# records, issue 11.1). Reference data (subjects, officers, agency) stays editable everywhere.
OWNED_WORK = (
    InspectionRow,
    DocumentRow,
    DocumentRevisionRow,
    EvidenceItemRow,
    EvidenceFileRow,
    MeasureRow,
    FollowUpRow,
)
FOREIGN_WORK = (
    "这条记录由其他执法终端制作并导入本机，在本机只能查看；修改、作废或删除须在制作它的执法终端上进行"
)


def is_foreign(ctx: Context, row: SyncedMixin) -> bool:
    """Another device's work, imported here: shown, never changed."""
    return isinstance(row, OWNED_WORK) and row.device_id != ctx.device_id


def ensure_own(ctx: Context, row: SyncedMixin) -> None:
    if is_foreign(ctx, row):
        raise ForeignRecord(FOREIGN_WORK)


def conflict_message(what: str, version: int, updated_at: dt.datetime) -> str:
    """The Chinese sentence of an EditConflict: what changed, when, and that nothing was lost."""
    at = updated_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    return (
        f"{what}已在另一个窗口或另一台电脑上被修改（{at}，现为第 {version} 版）。"
        "为免互相覆盖，本窗口的修改没有保存；对方的内容保持不变，你输入的内容仍在本窗口中"
    )


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
    foreign_ok: bool = False,
) -> bool:
    """Apply changes; bump the version and log only when something really changed.

    `foreign_ok`: the office taking over another device's version on purpose (conflict resolution)."""
    if not foreign_ok:
        ensure_own(ctx, row)
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
    ensure_own(ctx, row)
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
