"""trusted devices bound to a device id and code; conflict reasons; record origins

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("trusted_device", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("device_code", sa.String(length=6), nullable=True))
        batch_op.create_unique_constraint("uq_trusted_device_device_id", ["device_id"])
        batch_op.create_unique_constraint("uq_trusted_device_device_code", ["device_code"])
    with op.batch_alter_table("import_conflict", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reason", sa.String(length=12), server_default="version", nullable=False)
        )
    op.create_table(
        "record_origin",
        sa.Column("record_type", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("device_code", sa.String(length=6), nullable=False),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("record_type", "record_id"),
    )


def downgrade() -> None:
    op.drop_table("record_origin")
    with op.batch_alter_table("import_conflict", schema=None) as batch_op:
        batch_op.drop_column("reason")
    with op.batch_alter_table("trusted_device", schema=None) as batch_op:
        batch_op.drop_constraint("uq_trusted_device_device_code", type_="unique")
        batch_op.drop_constraint("uq_trusted_device_device_id", type_="unique")
        batch_op.drop_column("device_code")
        batch_op.drop_column("device_id")
