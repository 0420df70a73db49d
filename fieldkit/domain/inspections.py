"""现场检查: the values an inspection has and the rules for completing it."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from fieldkit.domain.checklists import ChecklistDomain, CheckResult
from fieldkit.domain.coded import Coded
from fieldkit.domain.problems import Problem

MIN_OFFICERS = 2  # 行政处罚法第四十二条、第五十五条；程序规定第二十二条：执法人员不得少于两人


class InspectionType(Coded):
    ROUTINE = "routine", "日常检查"
    DOUBLE_RANDOM = "double_random", "双随机抽查"
    SPECIAL = "special", "专项检查"
    COMPLAINT = "complaint", "投诉举报核查"
    RECHECK = "recheck", "复查"
    FOLLOW_UP = "follow_up", "回访"


class Outcome(Coded):
    NO_PROBLEM = "no_problem", "无问题"
    RECTIFY = "rectify", "责令改正"
    MINOR_EXEMPT = "minor_exempt", "轻微免罚"  # 行政处罚法第三十三条：不予处罚，但应当教育
    OPEN_CASE = "open_case", "立案调查"
    TRANSFER = "transfer", "移送"


# What a follow_up task asks for: a visit of this type (复查 after a 责令改正 deadline, 回访 服务型执法).
FOLLOW_UP_KINDS = (InspectionType.RECHECK, InspectionType.FOLLOW_UP)


class InspectionStatus(enum.StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"


STATUS_LABELS = {InspectionStatus.DRAFT: "草稿", InspectionStatus.COMPLETED: "已完成"}

FIELD_LABELS = {
    "subject_id": "当事人",
    "inspection_type": "检查类型",
    "start_at": "检查开始时间",
    "end_at": "检查结束时间",
    "place": "检查地点",
    "officers": "执法人员",  # 行政处罚法第四十二条
    "domains": "检查领域",
    "checks": "检查事项",
    "findings": "检查情况",
    "outcome": "处理结果",
    "outcome_note": "处理说明",
    "rectify_deadline": "改正期限",
}
# Stored as the code, shown by the label.
CODED_FIELDS = {"inspection_type": InspectionType, "outcome": Outcome}


@dataclass(frozen=True)
class OfficerRef:
    """The officer as printed that day: name and 执法证号 are copied, not referenced."""

    officer_id: str
    name: str
    cert_no: str


@dataclass(frozen=True)
class CheckEntry:
    domain_id: str
    code: str
    group: str
    text: str
    basis: str = ""
    result: CheckResult | None = None
    note: str = ""


@dataclass(frozen=True)
class InspectionDraft:
    subject_id: str | None = None
    inspection_type: InspectionType = InspectionType.ROUTINE
    start_at: dt.datetime | None = None
    end_at: dt.datetime | None = None
    place: str = ""
    officers: tuple[OfficerRef, ...] = ()
    domains: tuple[str, ...] = ()
    checks: tuple[CheckEntry, ...] = ()
    findings: str = ""
    outcome: Outcome | None = None
    outcome_note: str = ""
    rectify_deadline: dt.date | None = None


def is_blank(draft: InspectionDraft) -> bool:
    """Nothing of a visit written yet: no 当事人, place, domains, answers, findings or outcome. The
    start time and the officers a new draft is given by default do not count (Ctrl+N, then back)."""
    return (
        draft.subject_id is None
        and not draft.place.strip()
        and not draft.domains
        and all(c.result is None and not c.note.strip() for c in draft.checks)
        and not draft.findings.strip()
        and draft.outcome is None
        and not draft.outcome_note.strip()
        and draft.rectify_deadline is None
    )


def checks_for_domains(
    domains: Sequence[ChecklistDomain], existing: Iterable[CheckEntry] = ()
) -> tuple[CheckEntry, ...]:
    """The check items of the chosen domains, keeping results and notes already entered."""
    kept = {(c.domain_id, c.code): c for c in existing}
    out: list[CheckEntry] = []
    for domain in domains:
        for item in domain.items:
            old = kept.get((domain.id, item.code))
            entry = CheckEntry(domain.id, item.code, item.group, item.text, item.basis)
            if old is not None:
                entry = replace(entry, result=old.result, note=old.note)
            out.append(entry)
    return tuple(out)


def failed_checks(draft: InspectionDraft) -> list[CheckEntry]:
    return [c for c in draft.checks if c.result is CheckResult.FAIL]


def unanswered_checks(draft: InspectionDraft) -> list[CheckEntry]:
    return [c for c in draft.checks if c.result is None]


def validate_officers(officers: Sequence[OfficerRef]) -> list[Problem]:
    label = FIELD_LABELS["officers"]
    problems: list[Problem] = []
    distinct = {o.officer_id for o in officers}
    if len(distinct) < MIN_OFFICERS:
        problems.append(
            Problem(
                "officers",
                "officers.too_few",
                f"{label}：至少需要两名执法人员（已选 {len(distinct)} 名；行政处罚法第四十二条）",
            )
        )
    for o in officers:
        if not o.cert_no.strip():
            problems.append(Problem("officers", "officers.no_cert", f"{label}：{o.name} 没有执法证号"))
    return problems


def validate_for_completion(
    draft: InspectionDraft, *, today: dt.date, now: dt.datetime | None = None
) -> list[Problem]:
    """What must be true before an inspection counts as done; a draft may be anything.

    `now` (timezone-aware) refuses a start or end in the future; without it only the date is compared.
    """
    L = FIELD_LABELS
    problems: list[Problem] = []
    if not draft.subject_id:
        problems.append(Problem("subject_id", "required", f"{L['subject_id']}：请选择被检查的当事人"))
    if draft.start_at is None:
        problems.append(Problem("start_at", "required", f"{L['start_at']}：必填"))
    if draft.end_at is None:
        problems.append(Problem("end_at", "required", f"{L['end_at']}：必填"))
    if draft.start_at and draft.end_at and draft.end_at < draft.start_at:
        problems.append(Problem("end_at", "before_start", f"{L['end_at']}：不能早于开始时间"))
    elif draft.start_at and draft.end_at and draft.end_at == draft.start_at:
        # A visit of no duration did not happen as recorded: the times feed the 现场笔录 (程序规定第二十八条).
        problems.append(
            Problem("end_at", "zero_duration", f"{L['end_at']}：与开始时间相同，检查时长不能为零")
        )
    for key in ("start_at", "end_at"):
        moment = getattr(draft, key)
        if moment is None:
            continue
        if (now is not None and moment > now) or (now is None and moment.date() > today):
            problems.append(Problem(key, "future", f"{L[key]}：不能晚于当前时间，检查尚未发生的时间不能记录"))
    if not draft.place.strip():
        problems.append(Problem("place", "required", f"{L['place']}：必填"))
    problems += validate_officers(draft.officers)
    if not draft.domains:
        problems.append(Problem("domains", "required", f"{L['domains']}：至少选择一个检查领域"))
    if missing := unanswered_checks(draft):
        problems.append(
            Problem(
                "checks",
                "checks.unanswered",
                f"{L['checks']}：还有 {len(missing)} 项未选择结果（第一项：{missing[0].text[:20]}…）",
            )
        )
    failed = failed_checks(draft)
    if draft.outcome is None:
        problems.append(Problem("outcome", "required", f"{L['outcome']}：请选择"))
    elif failed and draft.outcome is Outcome.NO_PROBLEM:
        problems.append(
            Problem(
                "outcome",
                "outcome.failed_items",
                f"{L['outcome']}：有 {len(failed)} 项检查结果为「不符合」，处理结果不能为「无问题」",
            )
        )
    if draft.outcome is Outcome.RECTIFY:
        # 行政处罚法第二十八条：责令改正; the deadline drives the 复查 visit.
        if draft.rectify_deadline is None:
            problems.append(
                Problem("rectify_deadline", "required", f"{L['rectify_deadline']}：责令改正须设定期限")
            )
        elif draft.rectify_deadline < today:
            problems.append(Problem("rectify_deadline", "past", f"{L['rectify_deadline']}：不能早于今天"))
    if draft.outcome is Outcome.MINOR_EXEMPT and not draft.outcome_note.strip():
        problems.append(
            Problem(
                "outcome_note",
                "required",
                f"{L['outcome_note']}：轻微免罚须记录对当事人的教育情况（行政处罚法第三十三条）",
            )
        )
    if draft.outcome in (Outcome.OPEN_CASE, Outcome.TRANSFER) and not draft.outcome_note.strip():
        problems.append(Problem("outcome_note", "required", f"{L['outcome_note']}：请写明立案或移送的事由"))
    if not draft.findings.strip():
        # The 检查情况 becomes the 现场情况 of the 现场笔录 (程序规定第二十八条: 现场笔录 records what happened).
        why = (
            "有不符合项时须写明检查发现的问题"
            if failed
            else "完成检查须写明检查情况（如：证照齐全，未发现违法行为）"
        )
        problems.append(Problem("findings", "required", f"{L['findings']}：{why}"))
    return problems
