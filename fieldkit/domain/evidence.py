"""证据: the statutory kinds of evidence and the rules an evidence item follows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from fieldkit.domain.coded import Coded
from fieldkit.domain.problems import Problem


class EvidenceKind(Coded):
    """行政处罚法第四十六条：证据包括 八 类。"""

    DOCUMENTARY = "documentary", "书证"
    PHYSICAL = "physical", "物证"
    AUDIOVISUAL = "audiovisual", "视听资料"
    ELECTRONIC = "electronic", "电子数据"
    WITNESS = "witness", "证人证言"
    PARTY_STATEMENT = "party_statement", "当事人陈述"
    EXPERT_OPINION = "expert_opinion", "鉴定意见"
    INSPECTION_RECORD = "inspection_record", "勘验笔录、现场笔录"


# An item is final once the 证据清单 listing it has been printed; it then changes only with a reason.
STATUS_LABELS = {"draft": "未定稿", "final": "已定稿"}

FIELD_LABELS = {
    "kind": "证据种类",
    "name": "证据名称",
    "source": "证据来源（提供人）",
    "proves": "证明对象",
    "quantity": "数量/页数",
    "collected_at": "提取时间",
    "collected_place": "提取地点",
    "collected_by": "提取人",
    "note": "备注",
    "reason": "变更理由",
}
CODED_FIELDS = {"kind": EvidenceKind}  # stored as the code, shown by the label


@dataclass(frozen=True)
class EvidenceDraft:
    name: str
    kind: EvidenceKind = EvidenceKind.AUDIOVISUAL
    source: str = ""
    proves: str = ""
    quantity: str = ""
    collected_at: dt.datetime | None = None
    collected_place: str = ""
    collected_by: tuple[str, ...] = field(default_factory=tuple)
    note: str = ""


def kind_for_media(mime: str | None) -> EvidenceKind:
    """A sensible default when files come in without a kind: photos and video are 视听资料,
    screenshots and other files 电子数据, scans of paper 书证 is the officer's call."""
    if mime and (mime.startswith("image/") or mime.startswith("video/") or mime.startswith("audio/")):
        return EvidenceKind.AUDIOVISUAL
    return EvidenceKind.ELECTRONIC


def validate_evidence(draft: EvidenceDraft, now: dt.datetime | None = None) -> list[Problem]:
    """`now` (timezone-aware) refuses a 提取时间 still to come (issue 9 item 8)."""
    L = FIELD_LABELS
    problems: list[Problem] = []
    taken = draft.collected_at
    if now is not None and taken is not None and taken.tzinfo is not None and taken > now:
        problems.append(
            Problem("collected_at", "future", f"{L['collected_at']}：晚于当前时间，不能登记尚未提取的证据")
        )
    if not draft.name.strip():
        problems.append(Problem("name", "required", f"{L['name']}：必填"))
    elif len(draft.name) > 200:
        problems.append(Problem("name", "too_long", f"{L['name']}：不能超过 200 个字"))
    if len(draft.quantity) > 60:
        problems.append(Problem("quantity", "too_long", f"{L['quantity']}：不能超过 60 个字"))
    return problems
