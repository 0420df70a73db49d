"""agency level and 个体工商户 cap stored as codes, not labels (issue 12 §4)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 16:00:00

Migration 0010 wrote the Chinese labels (县级, 公民) into agency.level and agency.individual_cap, as the
setup screens showed them. They now hold the codes of domain/agency.AgencyLevel and IndividualCap, like
the fields migration 0012 converted. The tables are copied here, not imported from the domain, so this
migration stays what it was when later code changes. The agency row is each laptop's own setting and
does not travel in bundles, so no bundle mapping is needed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

LEVEL = {"省级": "province", "设区的市级": "city", "县级": "county"}
INDIVIDUAL_CAP = {"公民": "citizen", "法人或者其他组织": "organisation"}
COLUMNS = (("level", LEVEL), ("individual_cap", INDIVIDUAL_CAP))


def _convert(forward: bool) -> None:
    bind = op.get_bind()
    for column, labels in COLUMNS:
        mapping = labels if forward else {code: label for label, code in labels.items()}
        for old, new in mapping.items():
            bind.execute(
                sa.text(f"UPDATE agency SET {column} = :new WHERE {column} = :old"), {"new": new, "old": old}
            )


def _cap_default(value: str) -> None:
    # A row written without the column (raw SQL, an older client) gets the default: it must be a code too.
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.alter_column(
            "individual_cap",
            existing_type=sa.String(length=20),
            existing_nullable=False,
            server_default=value,
        )


def upgrade() -> None:
    _convert(forward=True)
    _cap_default("citizen")


def downgrade() -> None:
    _convert(forward=False)
    _cap_default("公民")
