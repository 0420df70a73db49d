"""re-index the 1-2 character search grams of subjects with CJK Ext H/I or private-use characters

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:40:00

Until now the gram index (subject_gram) was built with Python's \\w, which knows only the characters of its
own Unicode version: CJK Ext H/I and private-use 造字 were left out, so a 1-2 character query on them
found nothing in subjects saved before. The rule is the one of fieldkit.store.search, copied here so this
migration keeps meaning what it meant when it was written.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

RUN = re.compile(r"[\w\ue000-\uf8ff\U00020000-\U0003ffff]+")
NEW = re.compile(r"[\ue000-\uf8ff\U00020000-\U0003ffff]")  # characters the old rule may have dropped
COLUMNS = ("name", "uscc", "address", "legal_rep", "phone", "license_no")


def grams(values: list[str | None]) -> str:
    out: set[str] = set()
    for value in values:
        for run in RUN.findall((value or "").lower()):
            out.update(run)
            out.update(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(sorted(out))


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(f"SELECT search_rowid, {', '.join(COLUMNS)} FROM subject WHERE deleted_at IS NULL")
    ).all()
    changed = [
        {"rowid": row[0], "grams": grams(list(row[1:]))}
        for row in rows
        if any(NEW.search(value or "") for value in row[1:])
    ]
    if changed:
        conn.execute(sa.text("DELETE FROM subject_gram WHERE rowid = :rowid"), changed)
        conn.execute(sa.text("INSERT INTO subject_gram(rowid, grams) VALUES (:rowid, :grams)"), changed)


def downgrade() -> None:
    pass  # the richer grams are harmless to an older schema
