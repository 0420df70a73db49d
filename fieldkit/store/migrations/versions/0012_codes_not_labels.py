"""codes, not labels, in stored data (issue 12 §4)

Subject type, inspection type, outcome, check results, evidence kind and follow-up kind are stored as
English codes; the triggers that count the 不符合 items compare the code.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 14:30:00

Until now these columns held the Chinese label the screens show (企业, 日常检查, 责令改正, 不符合, 视听资料,
复查), so a changed wording would have changed the data. The tables are copied here, not imported from the
domain, so this migration stays what it was when later code changes. The audit log is history: its
entries keep the words they were written with (their hashes chain them). Documents keep their text.
"""

import json
from collections.abc import Mapping

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SUBJECT_TYPE = {
    "企业": "enterprise",
    "个体工商户": "individual_business",
    "农民专业合作社": "cooperative",
    "其他组织": "other_org",
    "自然人": "natural_person",
}
INSPECTION_TYPE = {
    "日常检查": "routine",
    "双随机抽查": "double_random",
    "专项检查": "special",
    "投诉举报核查": "complaint",
    "复查": "recheck",
    "回访": "follow_up",
}
OUTCOME = {
    "无问题": "no_problem",
    "责令改正": "rectify",
    "轻微免罚": "minor_exempt",
    "立案调查": "open_case",
    "移送": "transfer",
}
CHECK_RESULT = {"符合": "pass", "不符合": "fail", "不涉及": "not_applicable"}
EVIDENCE_KIND = {
    "书证": "documentary",
    "物证": "physical",
    "视听资料": "audiovisual",
    "电子数据": "electronic",
    "证人证言": "witness",
    "当事人陈述": "party_statement",
    "鉴定意见": "expert_opinion",
    "勘验笔录、现场笔录": "inspection_record",
}
FOLLOW_UP_KIND = {"复查": "recheck", "回访": "follow_up"}  # the type of the visit it asks for

COLUMNS = (  # table, column, label → code
    ("subject", "subject_type", SUBJECT_TYPE),
    ("inspection", "inspection_type", INSPECTION_TYPE),
    ("inspection", "outcome", OUTCOME),
    ("evidence_item", "kind", EVIDENCE_KIND),
    ("follow_up", "kind", FOLLOW_UP_KIND),
)
# The same fields inside the incoming record of an unresolved import conflict: taking it over later
# writes it into the table.
CONFLICT_FIELDS = {
    "subject": {"subject_type": SUBJECT_TYPE},
    "inspection": {"inspection_type": INSPECTION_TYPE, "outcome": OUTCOME},
    "evidence_item": {"kind": EVIDENCE_KIND},
    "follow_up": {"kind": FOLLOW_UP_KIND},
}

# Migration 0008's triggers, counting the check items whose result is `{fail}`.
COUNT_FAILED = (
    "(SELECT count(*) FROM json_tree(NEW.checks) AS t"
    " WHERE t.key = 'result' AND t.atom = '{fail}' AND t.path GLOB '$[[]*]')"
)
TRIGGERS = {
    "tr_inspection_failed_insert": "AFTER INSERT ON inspection",
    "tr_inspection_failed_update": "AFTER UPDATE OF checks ON inspection",
}
BATCH = 500


def _inverse(table: Mapping[str, str]) -> dict[str, str]:
    return {code: label for label, code in table.items()}


def _triggers(fail: str) -> None:
    for name, when in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(
            f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN"
            f" UPDATE inspection SET failed_count = {COUNT_FAILED.format(fail=fail)}"
            " WHERE id = NEW.id; END"
        )


def _columns(forward: bool) -> None:
    bind = op.get_bind()
    for table, column, labels in COLUMNS:
        mapping = labels if forward else _inverse(labels)
        for old, new in mapping.items():
            bind.execute(
                sa.text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old"), {"new": new, "old": old}
            )


def _checks(results: Mapping[str, str]) -> None:
    """Each check item's result, row by row in batches: the lists are tens of KB each."""
    bind = op.get_bind()
    last = ""
    while True:
        rows = bind.execute(
            sa.text("SELECT id, checks FROM inspection WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            return
        for row_id, raw in rows:
            checks = json.loads(raw) if isinstance(raw, str) else raw  # NULL: None, nothing to change
            changed = False
            for entry in checks if isinstance(checks, list) else []:
                if isinstance(entry, dict) and entry.get("result") in results:
                    entry["result"] = results[entry["result"]]
                    changed = True
            if changed:  # json.dumps as SQLAlchemy's JSON type writes it
                bind.execute(
                    sa.text("UPDATE inspection SET checks = :checks WHERE id = :id"),
                    {"checks": json.dumps(checks), "id": row_id},
                )
        last = rows[-1][0]


def _conflicts(forward: bool) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, record_type, incoming FROM import_conflict WHERE record_type IN :types"
        ).bindparams(sa.bindparam("types", expanding=True)),
        {"types": list(CONFLICT_FIELDS)},
    ).all()
    results = CHECK_RESULT if forward else _inverse(CHECK_RESULT)
    for row_id, record_type, raw in rows:
        data = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(data, dict):
            continue
        for field, labels in CONFLICT_FIELDS[record_type].items():
            mapping = labels if forward else _inverse(labels)
            if data.get(field) in mapping:
                data[field] = mapping[data[field]]
        if record_type == "inspection" and isinstance(data.get("checks"), list):
            for entry in data["checks"]:
                if isinstance(entry, dict) and entry.get("result") in results:
                    entry["result"] = results[entry["result"]]
        bind.execute(
            sa.text("UPDATE import_conflict SET incoming = :data WHERE id = :id"),
            {"data": json.dumps(data), "id": row_id},
        )


def upgrade() -> None:
    _triggers("fail")  # first, so that rewriting the checks below keeps failed_count right
    _columns(forward=True)
    _checks(CHECK_RESULT)
    _conflicts(forward=True)


def downgrade() -> None:
    _triggers("不符合")
    _columns(forward=False)
    _checks(_inverse(CHECK_RESULT))
    _conflicts(forward=False)
