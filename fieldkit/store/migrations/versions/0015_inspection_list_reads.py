"""inspection list: a covering index for a page's columns; sort indexes with only what the id query reads

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 19:30:00

On the encrypted store every page SQLite reads from the file is decrypted and HMAC-checked, so the list's
cost with a cold page cache is the number of pages it reads (issue 13.7, bench/security.py):

- A page of the 检查 list (64 rows by id: services.inspections.inspection_items and the origin column,
  exchange_views.inspection_origins) read the rows, whose id, device_id, updated_at and failed_count come
  after ~27 KB of check-list JSON: each row's overflow chain (~7 pages). ix_inspection_page holds the
  columns a page shows; the queries read one index entry per row.
- The id list scans a whole sort index (migration 0008). Those also held start_at and created_at (and the
  officers JSON for 执法人员), which SQLite before 3.41 needed to count an expression index as covering;
  sqlcipher3's SQLite is 3.53, so they are rebuilt without: half the pages at 100,000 rows. The 当事人
  index keeps them: its query joins subject, and there SQLite reads the columns, not the expression.

The column lists are copied here, not imported from store/schema.py, so this migration stays what it was.
Each CREATE INDEX reads every inspection row once (about 7 s per index at 100,000 on this machine).
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

PAGE_COLUMNS = (
    "id",
    "subject_id",
    "inspection_type",
    "start_at",
    "place",
    "status",
    "outcome",
    "domains",
    "officers",
    "updated_at",
    "failed_count",
    "device_id",
)
WHEN = "coalesce(start_at, created_at)"
SORT_KEYS = {  # as in 0008
    "start": WHEN,
    "subject": "subject_id",
    "type": "inspection_type",
    "domains": "domains",
    "failed": "failed_count",
    "outcome": "outcome",
    "status": "status",
    "officers": "json_extract(officers, '$[0].name')",
    "origin": "device_id",
}


def _sort_indexes(*, as_0008: bool) -> None:
    for key, expr in SORT_KEYS.items():
        if key == "subject":  # unchanged: in its join SQLite reads start_at and created_at (store/schema.py)
            continue
        ties = "" if key == "start" else f"{WHEN}, "
        read = ""
        if as_0008:
            read = ", start_at, created_at" + (", officers" if key == "officers" else "")
        op.execute(f"DROP INDEX IF EXISTS ix_inspection_sort_{key}")
        op.execute(
            f"CREATE INDEX ix_inspection_sort_{key} ON inspection (deleted_at, {expr}, {ties}id, status{read})"
        )


def upgrade() -> None:
    # IF NOT EXISTS, as 0010 and 0011: a store whose version mark was set back may already have it.
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_inspection_page ON inspection ({', '.join(PAGE_COLUMNS)})")
    _sort_indexes(as_0008=False)


def downgrade() -> None:
    _sort_indexes(as_0008=True)
    op.execute("DROP INDEX IF EXISTS ix_inspection_page")
