"""evidence measures follow-ups

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 22:18:55.764037
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_item",
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("proves", sa.Text(), nullable=False),
        sa.Column("quantity", sa.String(length=60), nullable=False),
        sa.Column("collected_at", sa.DateTime(), nullable=True),
        sa.Column("collected_place", sa.String(length=300), nullable=False),
        sa.Column("collected_by", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("finalised_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evidence_item", schema=None) as batch_op:
        batch_op.create_index("ix_evidence_item_inspection", ["inspection_id"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("done_inspection_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["done_inspection_id"],
            ["inspection.id"],
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index("ix_follow_up_status_due", ["status", "due"], unique=False)

    op.create_table(
        "evidence_file",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=260), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.Column("gps_lat", sa.Double(), nullable=True),
        sa.Column("gps_lon", sa.Double(), nullable=True),
        sa.Column("camera", sa.String(length=120), nullable=False),
        sa.Column("exif_status", sa.String(length=12), nullable=False),
        sa.Column("thumbnail_sha256", sa.String(length=64), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["evidence_item.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "sha256", name="uq_evidence_file_item_hash"),
    )
    with op.batch_alter_table("evidence_file", schema=None) as batch_op:
        batch_op.create_index("ix_evidence_file_sha256", ["sha256"], unique=False)

    op.create_table(
        "measure",
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("storage_place", sa.String(length=300), nullable=False),
        sa.Column("seal_text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.create_index("ix_measure_status_due", ["status", "due"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.drop_index("ix_measure_status_due")

    op.drop_table("measure")
    with op.batch_alter_table("evidence_file", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_file_sha256")

    op.drop_table("evidence_file")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_status_due")

    op.drop_table("follow_up")
    with op.batch_alter_table("evidence_item", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_item_inspection")

    op.drop_table("evidence_item")
