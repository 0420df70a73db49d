"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-26 21:52:31.405019
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "agency",
        sa.Column("full_name", sa.String(length=100), nullable=False),
        sa.Column("short_name", sa.String(length=20), nullable=False),
        sa.Column("government_name", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("record_type", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    op.create_table(
        "local_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "officer",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("cert_no", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "subject",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("uscc_note", sa.String(length=200), nullable=False),
        sa.Column("legal_rep", sa.String(length=60), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=80), nullable=False),
        sa.Column("license_no", sa.String(length=100), nullable=False),
        sa.Column("search_rowid", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("search_rowid"),
    )
    with op.batch_alter_table("subject", schema=None) as batch_op:
        batch_op.create_index("ix_subject_name", ["name"], unique=False)
        batch_op.create_index("ix_subject_search", ["search_rowid", "deleted_at", "name", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_subject_uscc"), ["uscc"], unique=False)

    op.create_table(
        "inspection",
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("inspection_type", sa.String(length=20), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=True),
        sa.Column("end_at", sa.DateTime(), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("officers", sa.JSON(), nullable=False),
        sa.Column("domains", sa.JSON(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("rectify_deadline", sa.Date(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subject.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.create_index("ix_inspection_status_updated", ["status", "updated_at"], unique=False)

    # Search (ENVIRONMENT.md "SQLite"): trigram FTS answers queries of 3+ characters; a trigram
    # index returns nothing for 1-2 characters, so a second FTS table indexes each text as
    # space-separated unigrams and bigrams, which the unicode61 tokenizer treats as tokens.
    op.execute(
        "CREATE VIRTUAL TABLE subject_fts USING fts5("
        "name, uscc, address, legal_rep, phone, license_no, tokenize='trigram')"
    )
    op.execute("CREATE VIRTUAL TABLE subject_gram USING fts5(grams, tokenize='unicode61')")


def downgrade() -> None:
    op.execute("DROP TABLE subject_gram")
    op.execute("DROP TABLE subject_fts")

    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index("ix_inspection_status_updated")

    op.drop_table("inspection")
    with op.batch_alter_table("subject", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_uscc"))
        batch_op.drop_index("ix_subject_search")
        batch_op.drop_index("ix_subject_name")

    op.drop_table("subject")
    op.drop_table("officer")
    op.drop_table("local_meta")
    op.drop_table("audit_log")
    op.drop_table("agency")
