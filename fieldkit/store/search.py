"""Subject search over SQLite FTS5: trigram for 3+ characters, a unigram/bigram index for 1-2."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from fieldkit.store.schema import SubjectRow

# Runs of letters/digits, as unicode61 tokenises them. Python's \w knows only the characters of its own
# Unicode version (14 in 3.11): CJK Ext H/I (Unicode 15/15.1) and private-use 造字 would be dropped from
# queries and grams, so a query of one such character matched every subject. Planes 2 and 3 hold only
# ideographs; unicode61 treats what its tables do not know as token characters too.
_RUN = re.compile(r"[\w\ue000-\uf8ff\U00020000-\U0003ffff]+")
FTS_COLUMNS = ("name", "uscc", "address", "legal_rep", "phone", "license_no")


def grams(values: Iterable[str | None]) -> str:
    """Every 1- and 2-character token of the texts, space-separated, for the unicode61 index."""
    out: set[str] = set()
    for value in values:
        for run in _RUN.findall((value or "").lower()):
            out.update(run)
            out.update(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(sorted(out))


def index_subjects(session: Session, rows: Sequence[SubjectRow], *, new: bool = False) -> None:
    """(Re)index rows; deleted rows drop out of the index. `new`: none of them is indexed yet.

    Both tables in one executemany each, rows as plain tuples (an import indexes 10k subjects: issue 14).
    """
    if not rows:
        return
    session.flush()  # what session.execute() would do first (autoflush)
    conn = session.connection()
    if not new:
        keys = [(r.search_rowid,) for r in rows]
        conn.exec_driver_sql("DELETE FROM subject_fts WHERE rowid = ?", keys)  # type: ignore[arg-type]
        conn.exec_driver_sql("DELETE FROM subject_gram WHERE rowid = ?", keys)  # type: ignore[arg-type]
    live = [
        (r.search_rowid, *(getattr(r, c) or "" for c in FTS_COLUMNS)) for r in rows if r.deleted_at is None
    ]
    if live:
        conn.exec_driver_sql(
            "INSERT INTO subject_fts(rowid, name, uscc, address, legal_rep, phone, license_no) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            live,  # type: ignore[arg-type]
        )
        conn.exec_driver_sql(
            "INSERT INTO subject_gram(rowid, grams) VALUES (?, ?)",
            [(values[0], grams(values[1:])) for values in live],  # type: ignore[arg-type]
        )


def next_search_rowid(session: Session) -> int:
    return int(session.execute(text("SELECT coalesce(max(search_rowid), 0) + 1 FROM subject")).scalar_one())


def _terms(query: str) -> list[str]:
    return [t for t in _RUN.findall(query.lower()) if t]


def _fts_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


SUBJECT_SORT_COLUMNS = ("name", "subject_type", "uscc", "legal_rep", "address", "phone")


def search_subject_ids(
    session: Session,
    query: str,
    limit: int | None = None,
    *,
    sort: str = "name",
    descending: bool = False,
) -> list[uuid.UUID]:
    """Ids of live subjects matching every term of `query`, ordered by `sort` (one of
    SUBJECT_SORT_COLUMNS; by name unless chosen otherwise), ties by name; all of them when empty."""
    if sort not in SUBJECT_SORT_COLUMNS:
        raise ValueError(f"unknown sort column {sort!r}")
    terms = _terms(query)
    sql = "SELECT s.id FROM subject s"
    params: dict[str, object] = {}
    where = ["s.deleted_at IS NULL"]
    for i, term in enumerate(terms):
        # A trigram index silently returns nothing for 1-2 character queries (ENVIRONMENT.md).
        table = "subject_fts" if len(term) >= 3 else "subject_gram"
        where.append(f"s.search_rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH :t{i})")
        params[f"t{i}"] = _fts_quote(term)
    direction = "DESC" if descending else "ASC"
    order = [f"s.{sort} {direction}"] + ([] if sort == "name" else [f"s.name {direction}"])
    sql += " WHERE " + " AND ".join(where) + " ORDER BY " + ", ".join([*order, f"s.search_rowid {direction}"])
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return [uuid.UUID(hex=str(r[0])) for r in session.execute(text(sql), params)]
