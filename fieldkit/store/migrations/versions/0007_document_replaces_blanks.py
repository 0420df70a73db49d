"""document replaces, numbered blanks

A document made anew (重新作出) names the one it replaces and voids it when printed
(行政处罚法第四十四、四十五条: a substantive change is never made under the same number);
numbered blanks (编有号码, 第五十二条) record when their number was issued.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replaces_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("blank_issued_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_document_replaces", ["replaces_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index("ix_document_replaces")
        batch_op.drop_column("blank_issued_at")
        batch_op.drop_column("replaces_id")
