"""inspection list page: one covering index for the columns a page of the list shows

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 19:30:00

The 检查 list loads 64 rows at a time by id (services.inspections.inspection_items and the origin
column, exchange_views.inspection_origins). id, device_id, updated_at and failed_count are stored after
~27 KB of check-list JSON, so each row read followed its overflow chain (~7 pages); on the encrypted
store every page read is decrypted and its HMAC checked: a page cost 2-3× a plaintext file's with a cold
page cache (issue 13.7, bench/security.py). From this index a page reads one index entry per row.
The column list is copied here, not imported from store/schema.py, so this migration stays what it was.
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS = (
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


def upgrade() -> None:
    # Idempotent, as 0010 and 0011: a store whose version mark was set back may already have it.
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_inspection_page ON inspection ({', '.join(COLUMNS)})")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_inspection_page")
