"""The audit chain detects edits, deletions and insertions made behind the app's back."""

from __future__ import annotations

from fieldkit.domain.subjects import SubjectDraft
from fieldkit.services.context import Context
from fieldkit.services.subjects import add_subject
from fieldkit.store import audit
from tests import rawdb


def _three_entries(ctx: Context) -> None:
    for name in ("甲商行", "乙商行", "丙商行"):
        add_subject(ctx, SubjectDraft(name=name))


def _verify(ctx: Context) -> audit.AuditBreak | None:
    with ctx.sessions() as session:
        return audit.verify_chain(session)


def test_intact_chain_verifies(ctx: Context) -> None:
    _three_entries(ctx)
    assert _verify(ctx) is None


def test_a_row_edited_with_sqlite3_is_named(ctx: Context) -> None:
    _three_entries(ctx)
    with rawdb.connect(ctx.data_dir / "fieldkit.db") as conn:
        conn.execute("UPDATE audit_log SET actor = '某人' WHERE seq = 2")
    broken = _verify(ctx)
    assert broken is not None and broken.seq == 2 and "改动" in broken.reason


def test_a_deleted_row_is_named(ctx: Context) -> None:
    _three_entries(ctx)
    with rawdb.connect(ctx.data_dir / "fieldkit.db") as conn:
        conn.execute("DELETE FROM audit_log WHERE seq = 2")
    broken = _verify(ctx)
    assert broken is not None and broken.seq == 3 and "前序" in broken.reason


def test_appends_from_separate_transactions_continue_the_chain(ctx: Context) -> None:
    _three_entries(ctx)
    with ctx.sessions() as session:
        rows = session.query(audit.AuditRow).order_by(audit.AuditRow.seq).all()
    assert rows[0].prev_hash == audit.GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.entry_hash for r in rows[:-1]]
