"""Crash recovery: know when the last session did not end cleanly and what was open then."""

from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError

from fieldkit.services import housekeeping
from fieldkit.services.context import Context, get_meta, set_meta
from fieldkit.store.db import brief_wait

log = logging.getLogger(__name__)

MARKER = "session.open"


@dataclass(frozen=True)
class Recovery:
    crashed: bool  # the previous session ended without a clean exit (kill, power cut, crash)
    # The matter whose editor was open then (only inspections have an editor yet). Kept under the
    # meta key "open_inspection": a matter id is its inspection's id, so an older crash still reopens.
    open_matter_id: uuid.UUID | None
    cleaned: str = ""  # what the start-up clean removed of a killed run (Chinese), "" if nothing


def begin_session(ctx: Context) -> Recovery:
    """Call once when the GUI starts. Drafts are saved as they are typed, so recovering is only a
    matter of saying so and reopening the draft that was on screen."""
    marker = ctx.data_dir / MARKER
    crashed = marker.exists()
    if ctx.read_only:  # nothing can be written: no marker, no clean-up, just say what was open
        return Recovery(crashed=False, open_matter_id=None)
    open_id = None
    if crashed:
        with ctx.sessions() as session:
            value = get_meta(session, "open_inspection")
        open_id = uuid.UUID(value) if value else None
    left = housekeeping.clean_at_start(ctx, crashed=crashed)  # what the killed session left behind
    marker.write_text(json.dumps({"pid": os.getpid(), "started_at": ctx.now().isoformat()}), encoding="utf-8")
    return Recovery(crashed=crashed, open_matter_id=open_id, cleaned=left.summary())


def end_session(ctx: Context) -> None:
    if not ctx.read_only:
        (ctx.data_dir / MARKER).unlink(missing_ok=True)


def remember_open_matter(ctx: Context, matter_id: uuid.UUID | None) -> None:
    """Best effort, on the GUI thread: if another process holds the write lock (a long import),
    give up after a moment rather than freeze the window (issue 11.4); recovery then merely does
    not reopen this draft after a crash — the draft itself is saved by autosave."""
    if ctx.read_only:
        return
    try:
        with ctx.sessions.begin() as session, brief_wait(session):
            set_meta(session, "open_inspection", None if matter_id is None else str(matter_id))
    except OperationalError as exc:
        log.warning("open draft not remembered (database busy): %s", exc)
