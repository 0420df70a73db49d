"""Domain rules of inspections, subjects and set-up (pure: no store)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from fieldkit.domain.agency import (
    AgencyDraft,
    OfficerDraft,
    validate_agency,
    validate_device_code,
    validate_team,
)
from fieldkit.domain.checklists import CheckItem, ChecklistDomain, CheckResult
from fieldkit.domain.inspections import (
    CheckEntry,
    InspectionDraft,
    OfficerRef,
    Outcome,
    checks_for_domains,
    failed_checks,
    validate_for_completion,
    validate_officers,
)
from fieldkit.domain.subjects import SubjectDraft, SubjectType, validate_subject

TODAY = dt.date(2026, 3, 2)
FOOD = ChecklistDomain(
    id="food",
    name="食品经营",
    order=1,
    version="1",
    description="",
    basis="",
    items=(CheckItem("SP-01", "资质", "许可证"), CheckItem("SP-02", "资质", "健康证明")),
)
PRICE = ChecklistDomain(
    id="price",
    name="价格公示",
    order=2,
    version="1",
    description="",
    basis="",
    items=(CheckItem("JG-01", "标价", "明码标价"),),
)


def test_changing_domains_keeps_results_already_entered() -> None:
    first = checks_for_domains([FOOD])
    answered = (replace(first[0], result=CheckResult.FAIL, note="过期"), first[1])
    both = checks_for_domains([FOOD, PRICE], answered)
    assert [c.code for c in both] == ["SP-01", "SP-02", "JG-01"]
    assert both[0].result is CheckResult.FAIL and both[0].note == "过期"
    assert checks_for_domains([PRICE], both) == (CheckEntry("price", "JG-01", "标价", "明码标价"),)


def test_officers_must_be_two_distinct_people_with_certificates() -> None:
    one = OfficerRef("1", "张三", "370001")
    assert [p.code for p in validate_officers([one, one])] == ["officers.too_few"]
    assert [p.code for p in validate_officers([one, OfficerRef("2", "李四", " ")])] == ["officers.no_cert"]
    assert validate_officers([one, OfficerRef("2", "李四", "370002")]) == []


def _complete() -> InspectionDraft:
    start = dt.datetime(2026, 3, 2, 1, tzinfo=dt.UTC)
    return InspectionDraft(
        subject_id="x",
        start_at=start,
        end_at=start + dt.timedelta(hours=1),
        place="某路1号",
        officers=(OfficerRef("1", "张三", "370001"), OfficerRef("2", "李四", "370002")),
        domains=("food",),
        checks=tuple(replace(c, result=CheckResult.PASS) for c in checks_for_domains([FOOD])),
        outcome=Outcome.NO_PROBLEM,
        findings="经检查，证照齐全，未发现违法行为。",
    )


def test_a_complete_draft_passes_and_end_before_start_does_not() -> None:
    draft = _complete()
    assert validate_for_completion(draft, today=TODAY) == []
    assert draft.start_at is not None
    backwards = replace(draft, end_at=draft.start_at - dt.timedelta(minutes=1))
    assert [p.code for p in validate_for_completion(backwards, today=TODAY)] == ["before_start"]


def test_an_inspection_of_no_duration_or_without_findings_is_not_complete() -> None:
    draft = _complete()
    instant = replace(draft, end_at=draft.start_at)
    [zero] = validate_for_completion(instant, today=TODAY)
    assert zero.code == "zero_duration" and zero.message.startswith("检查结束时间：")
    [empty] = validate_for_completion(replace(draft, findings="  \n "), today=TODAY)
    assert (empty.field, empty.code) == ("findings", "required") and "检查情况" in empty.message


def test_an_inspection_cannot_end_in_the_future() -> None:
    draft = _complete()  # 09:00–10:00 Beijing on 2026-03-02
    assert draft.start_at is not None
    during = draft.start_at + dt.timedelta(minutes=30)
    [future] = validate_for_completion(draft, today=TODAY, now=during)
    assert (future.field, future.code) == ("end_at", "future")
    assert validate_for_completion(draft, today=TODAY, now=draft.start_at + dt.timedelta(hours=2)) == []


def test_failed_item_forces_an_outcome_other_than_no_problem_and_findings() -> None:
    draft = _complete()
    failing = replace(
        draft, checks=(replace(draft.checks[0], result=CheckResult.FAIL), draft.checks[1]), findings=""
    )
    assert len(failed_checks(failing)) == 1
    codes = {p.code for p in validate_for_completion(failing, today=TODAY)}
    assert codes == {"outcome.failed_items", "required"}
    past = replace(
        failing, outcome=Outcome.RECTIFY, rectify_deadline=TODAY - dt.timedelta(days=1), findings="见上"
    )
    assert [p.code for p in validate_for_completion(past, today=TODAY)] == ["past"]


def test_unanswered_items_block_completion() -> None:
    draft = _complete()
    open_item = replace(draft, checks=(replace(draft.checks[0], result=None), draft.checks[1]))
    assert [p.code for p in validate_for_completion(open_item, today=TODAY)] == ["checks.unanswered"]


def test_subject_rules() -> None:
    assert validate_subject(SubjectDraft(name="某店")) == []
    assert [p.field for p in validate_subject(SubjectDraft(name=""))] == ["name"]
    assert SubjectType.ENTERPRISE.is_organisation
    assert not SubjectType.INDIVIDUAL_BUSINESS.is_organisation  # ¥200 当场 limit, 行政处罚法第五十一条


def test_setup_rules_name_their_fields() -> None:
    problems = validate_agency(AgencyDraft(full_name="某某公司", short_name=""))
    # not a 市场监督管理局: neither its level nor its 本级人民政府 can be derived from the name
    assert {p.field for p in problems} == {
        "agency.full_name",
        "agency.short_name",
        "agency.level",
        "agency.government_name",
    }
    assert validate_device_code("a1 ") == []
    assert validate_device_code("A-1")[0].message.startswith("本机编号")
    team = validate_team([OfficerDraft("张三", "1"), OfficerDraft("李四", "1")])
    assert [p.code for p in team] == ["duplicate"]
    assert [p.code for p in validate_team([OfficerDraft("张三", "1")])] == ["too_few"]
