"""inspection list indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 00:05:00
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.create_index("ix_inspection_list", ["deleted_at", "updated_at", "id"], unique=False)
        batch_op.create_index(
            "ix_inspection_status_list", ["deleted_at", "status", "updated_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index("ix_inspection_status_list")
        batch_op.drop_index("ix_inspection_list")
