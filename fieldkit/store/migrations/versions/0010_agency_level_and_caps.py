"""agency level and the 当场 cap for 个体工商户; the 复议机关 derived for older data dirs

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:30:00

行政复议法第二十四条 makes the 本级人民政府 the 复议机关 of a 市场监督管理局. Older data dirs may hold an
empty or wrong 复议机关 (an upper-level bureau, typed by hand): when the agency's full name ends with
市场监督管理局, the 本级人民政府 is derived from it (临沂市兰山区市场监督管理局 → 临沂市兰山区人民政府), and
the level is a first guess that the settings page shows for confirmation. The logic is copied here,
not imported, so this migration stays what it was when later code changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

SUFFIX = "市场监督管理局"


def _region(full_name: str) -> str:
    name = (full_name or "").strip()
    return name[: -len(SUFFIX)] if name.endswith(SUFFIX) else ""


def _level(region: str) -> str:
    if not region:
        return ""
    if region.endswith(("区", "县", "旗")) or region.count("市") >= 2:
        return "县级"
    if region.endswith(("省", "自治区")) or region in ("北京市", "天津市", "上海市", "重庆市"):
        return "省级"
    return "设区的市级"


def _government(region: str, current: str) -> str:
    current = (current or "").strip()
    named = current[: -len("人民政府")] if current.endswith("人民政府") else ""
    if named and len(named) >= 2 and region.endswith(named) and named[-1] == region[-1]:
        return current  # already the 本级人民政府
    return f"{region}人民政府" if region else current


def upgrade() -> None:
    bind = op.get_bind()
    # Idempotent: a store whose version mark was set back (a restored backup, a test re-running the
    # later upgrades) may already have the columns.
    present = {c["name"] for c in sa.inspect(bind).get_columns("agency")}
    with op.batch_alter_table("agency", schema=None) as batch_op:
        if "level" not in present:
            batch_op.add_column(sa.Column("level", sa.String(length=12), server_default="", nullable=False))
        if "individual_cap" not in present:
            batch_op.add_column(
                sa.Column("individual_cap", sa.String(length=20), server_default="公民", nullable=False)
            )
    rows = bind.execute(sa.text("SELECT id, full_name, government_name FROM agency")).all()
    for row_id, full_name, government in rows:
        region = _region(full_name)
        bind.execute(
            sa.text("UPDATE agency SET level = :level, government_name = :gov WHERE id = :id"),
            {"level": _level(region), "gov": _government(region, government), "id": row_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_column("individual_cap")
        batch_op.drop_column("level")
