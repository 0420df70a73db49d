"""inspection (id, version) index for incremental exports

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 15:00:00

An incremental export asks which records export_state has not seen at their version (issue 12 §9).
id and version are the last columns of an inspection row, after ~27 KB of check-list JSON, so without
this index SQLite follows every inspection's overflow chain to read them (1.6 GB for 58,000
inspections): 6 s to find 10 changed records. The other synced tables' rows fit in a page.
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Idempotent, as 0010: a store whose version mark was set back may already have the index.
    op.execute("CREATE INDEX IF NOT EXISTS ix_inspection_export ON inspection (id, version)")


def downgrade() -> None:
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index("ix_inspection_export")
