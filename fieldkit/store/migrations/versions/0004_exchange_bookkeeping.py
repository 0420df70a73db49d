"""exchange bookkeeping

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 22:23:17.552718
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "export_state",
        sa.Column("record_type", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("record_type", "record_id"),
    )
    op.create_table(
        "import_conflict",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("record_type", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("incoming_device_id", sa.String(length=36), nullable=False),
        sa.Column("incoming", sa.JSON(), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "imported_audit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_device_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("entry", sa.JSON(), nullable=False),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("imported_audit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_imported_audit_source_device_id"), ["source_device_id"], unique=False
        )

    op.create_table(
        "imported_bundle",
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("device_code", sa.String(length=6), nullable=False),
        sa.Column("officer", sa.String(length=60), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id"),
    )
    op.create_table(
        "trusted_device",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("public_pem", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint"),
    )


def downgrade() -> None:

    op.drop_table("trusted_device")
    op.drop_table("imported_bundle")
    with op.batch_alter_table("imported_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imported_audit_source_device_id"))

    op.drop_table("imported_audit")
    op.drop_table("import_conflict")
    op.drop_table("export_state")
