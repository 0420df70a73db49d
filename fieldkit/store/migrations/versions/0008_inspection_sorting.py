"""inspection list sorts by every column: failed_count kept by triggers, one covering index per key

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

WHEN = "coalesce(start_at, created_at)"
KEYS = {
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
# The same count as services.inspections._failed_count: check items whose result is 不符合.
COUNT_FAILED = (
    "(SELECT count(*) FROM json_tree({checks}) AS t"
    " WHERE t.key = 'result' AND t.atom = '不符合' AND t.path GLOB '$[[]*]')"
)
TRIGGERS = {
    "tr_inspection_failed_insert": "AFTER INSERT ON inspection",
    "tr_inspection_failed_update": "AFTER UPDATE OF checks ON inspection",
}


def upgrade() -> None:
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_count", sa.Integer(), server_default="0", nullable=False))
    op.execute(f"UPDATE inspection SET failed_count = {COUNT_FAILED.format(checks='inspection.checks')}")
    for name, when in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN"
            f" UPDATE inspection SET failed_count = {COUNT_FAILED.format(checks='NEW.checks')}"
            " WHERE id = NEW.id; END"
        )
    for key, expr in KEYS.items():
        ties = "" if key == "start" else f"{WHEN}, "
        read = ", officers" if key == "officers" else ""  # see store/schema.py: covering before 3.41
        op.execute(
            f"CREATE INDEX ix_inspection_sort_{key} ON inspection"
            f" (deleted_at, {expr}, {ties}id, status, start_at, created_at{read})"
        )


def downgrade() -> None:
    for key in KEYS:
        op.drop_index(f"ix_inspection_sort_{key}", table_name="inspection")
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_column("failed_count")
