"""Older bundle formats read as today's records (pure): one function, one mapping per format step.

Format 1 (FieldKit 0.1) stored the Chinese label of subject type, inspection type, outcome, check
result, evidence kind and follow-up kind; format 2 stores their codes (domain/coded.py). The format-1
labels are written out here, as that release wrote them, not taken from the domain, so a label
reworded later still reads an old bundle. Format 1 also named a child's parent `inspection_id`; format 2
names its matter (案卷, domain/matters.py), whose id is the inspection's id, so the value carries over.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

V1_SUBJECT_TYPE = {
    "企业": "enterprise",
    "个体工商户": "individual_business",
    "农民专业合作社": "cooperative",
    "其他组织": "other_org",
    "自然人": "natural_person",
}
V1_INSPECTION_TYPE = {
    "日常检查": "routine",
    "双随机抽查": "double_random",
    "专项检查": "special",
    "投诉举报核查": "complaint",
    "复查": "recheck",
    "回访": "follow_up",
}
V1_OUTCOME = {
    "无问题": "no_problem",
    "责令改正": "rectify",
    "轻微免罚": "minor_exempt",
    "立案调查": "open_case",
    "移送": "transfer",
}
V1_CHECK_RESULT = {"符合": "pass", "不符合": "fail", "不涉及": "not_applicable"}
V1_EVIDENCE_KIND = {
    "书证": "documentary",
    "物证": "physical",
    "视听资料": "audiovisual",
    "电子数据": "electronic",
    "证人证言": "witness",
    "当事人陈述": "party_statement",
    "鉴定意见": "expert_opinion",
    "勘验笔录、现场笔录": "inspection_record",
}
V1_FOLLOW_UP_KIND = {"复查": "recheck", "回访": "follow_up"}

# record type → field → label → code. An unknown value is left as it is: the record checks name it.
V1_LABELS: dict[str, dict[str, Mapping[str, str]]] = {
    "subject": {"subject_type": V1_SUBJECT_TYPE},
    "inspection": {"inspection_type": V1_INSPECTION_TYPE, "outcome": V1_OUTCOME},
    "evidence_item": {"kind": V1_EVIDENCE_KIND},
    "follow_up": {"kind": V1_FOLLOW_UP_KIND},
}


def _v1_codes(record_type: str, data: dict[str, Any]) -> dict[str, Any]:
    for field, labels in V1_LABELS.get(record_type, {}).items():
        value = data.get(field)
        if isinstance(value, str) and value in labels:
            data[field] = labels[value]
    checks = data.get("checks")
    if record_type == "inspection" and isinstance(checks, list):
        data["checks"] = [
            {**c, "result": V1_CHECK_RESULT[c["result"]]}
            if isinstance(c, dict) and isinstance(c.get("result"), str) and c["result"] in V1_CHECK_RESULT
            else c
            for c in checks
        ]
    return data


# Record types whose format-1 `inspection_id` is their matter (the follow-up's done_inspection_id,
# the 复查 visit, stays an inspection).
V1_MATTER_CHILDREN = frozenset({"document", "evidence_item", "measure", "follow_up"})


def _v1_matter(record_type: str, data: dict[str, Any]) -> dict[str, Any]:
    if record_type in V1_MATTER_CHILDREN and "inspection_id" in data and "matter_id" not in data:
        data = {("matter_id" if k == "inspection_id" else k): v for k, v in data.items()}
    return data


def _v1_to_v2(record_type: str, data: dict[str, Any]) -> dict[str, Any]:
    return _v1_matter(record_type, _v1_codes(record_type, data))


# STEPS[n] turns a record of format n into one of format n + 1.
STEPS: dict[int, Callable[[str, dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def upgrade_record(format_version: int, record_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """A record of `format_version` in the shape of the current format (a new dict; `data` is kept)."""
    out = dict(data)
    for version in sorted(v for v in STEPS if v >= format_version):
        out = STEPS[version](record_type, out)
    return out
