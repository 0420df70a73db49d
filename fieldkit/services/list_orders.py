"""The order each list was last sorted in: per list, on this laptop, kept across restarts (local_meta)."""

from __future__ import annotations

import json
import logging

from fieldkit.services.context import Context, get_meta, set_meta

log = logging.getLogger(__name__)
META_KEY = "list_orders"  # JSON: {"inspections": ["start", "desc"], …}


def _all(raw: str | None) -> dict[str, list[str]]:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        log.warning("list orders unreadable, starting afresh: %r", raw)
        return {}
    return data if isinstance(data, dict) else {}


def list_order(ctx: Context, list_key: str) -> tuple[str, bool] | None:
    """(column key, descending) last chosen for this list; None when never chosen (or unreadable)."""
    with ctx.sessions() as session:
        entry = _all(get_meta(session, META_KEY)).get(list_key)
    if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)):
        return None
    return entry[0], entry[1] == "desc"


def remember_list_order(ctx: Context, list_key: str, column: str, descending: bool) -> None:
    with ctx.sessions.begin() as session:
        orders = _all(get_meta(session, META_KEY))
        orders[list_key] = [column, "desc" if descending else "asc"]
        set_meta(session, META_KEY, json.dumps(orders, ensure_ascii=False, sort_keys=True))
