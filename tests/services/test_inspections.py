"""Inspections: drafts autosave anything, completion enforces the rules, completed ones are locked."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

import pytest

from fieldkit.catalog import checklist_by_id
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.inspections import (
    InspectionDraft,
    InspectionStatus,
    InspectionType,
    OfficerRef,
    Outcome,
    checks_for_domains,
)
from fieldkit.domain.subjects import SubjectDraft
from fieldkit.errors import ValidationFailed
from fieldkit.services import inspections as svc
from fieldkit.services.context import Context
from fieldkit.services.setup import load_settings
from fieldkit.services.subjects import add_subject
from tests.conftest import Clock


def complete_draft(ctx: Context) -> tuple[object, InspectionDraft]:
    subject_id = add_subject(ctx, SubjectDraft(name="临沂市金源家超市有限公司", address="兰山区人民路18号"))
    officers = load_settings(ctx).active_officers[:2]
    domains = [checklist_by_id("food_business"), checklist_by_id("price_display")]
    checks = tuple(replace(c, result=CheckResult.PASS) for c in checks_for_domains(domains))
    inspection_id = svc.new_inspection(ctx, subject_id)
    start = ctx.now() - dt.timedelta(hours=1)  # a visit that just ended: nothing in the future
    draft = InspectionDraft(
        subject_id=str(subject_id),
        inspection_type=InspectionType.DOUBLE_RANDOM,
        start_at=start,
        end_at=start + dt.timedelta(hours=1),
        place="兰山区人民路18号",
        officers=tuple(OfficerRef(str(o.id), o.name, o.cert_no) for o in officers),
        domains=tuple(d.id for d in domains),
        checks=checks,
        findings="经检查，未发现问题。",
        outcome=Outcome.NO_PROBLEM,
    )
    return inspection_id, draft


def test_new_inspection_is_a_draft_prefilled_from_the_subject(set_up_ctx: Context) -> None:
    subject_id = add_subject(set_up_ctx, SubjectDraft(name="某店", address="兰山区解放路6号"))
    record = svc.load_inspection(set_up_ctx, svc.new_inspection(set_up_ctx, subject_id))
    assert record.status is InspectionStatus.DRAFT
    assert record.draft.place == "兰山区解放路6号"
    assert record.draft.start_at == set_up_ctx.now().replace(second=0, microsecond=0)
    assert record.subject_name == "某店"


def test_autosave_keeps_any_draft_and_bumps_the_version_only_on_change(
    set_up_ctx: Context, clock: Clock
) -> None:
    inspection_id = svc.new_inspection(set_up_ctx)
    half_typed = InspectionDraft(findings="现场发现冷藏柜温度显示为 12℃，喆堃　昇犇")
    clock.advance(seconds=2)
    assert svc.save_draft(set_up_ctx, inspection_id, half_typed) is True
    assert svc.save_draft(set_up_ctx, inspection_id, half_typed) is False
    record = svc.load_inspection(set_up_ctx, inspection_id)
    assert record.draft.findings == half_typed.findings
    assert record.version == 2


def test_completion_reports_every_missing_thing(set_up_ctx: Context) -> None:
    inspection_id = svc.new_inspection(set_up_ctx)
    with pytest.raises(ValidationFailed) as refused:
        svc.complete_inspection(set_up_ctx, inspection_id, InspectionDraft())
    fields = {p.field for p in refused.value.problems}
    assert {"subject_id", "start_at", "end_at", "place", "officers", "domains", "outcome"} <= fields


def test_one_officer_is_not_enough(set_up_ctx: Context) -> None:
    inspection_id, draft = complete_draft(set_up_ctx)
    with pytest.raises(ValidationFailed, match="至少需要两名执法人员"):
        svc.complete_inspection(set_up_ctx, inspection_id, replace(draft, officers=draft.officers[:1]))


def test_an_officer_not_on_the_roster_is_refused(set_up_ctx: Context) -> None:
    inspection_id, draft = complete_draft(set_up_ctx)
    stranger = OfficerRef("not-a-roster-id", "赵六", "99999")
    with pytest.raises(ValidationFailed, match="赵六（执法证号 99999）不在本局执法人员名单中"):
        svc.complete_inspection(
            set_up_ctx, inspection_id, replace(draft, officers=(draft.officers[0], stranger))
        )
    assert svc.load_inspection(set_up_ctx, inspection_id).status.value == "draft"


def test_a_deactivated_officer_cannot_complete_an_inspection(set_up_ctx: Context) -> None:
    from fieldkit.services.setup import set_officer_active

    inspection_id, draft = complete_draft(set_up_ctx)
    set_officer_active(set_up_ctx, uuid.UUID(draft.officers[1].officer_id), False)
    with pytest.raises(ValidationFailed, match="已在名单中停用"):
        svc.complete_inspection(set_up_ctx, inspection_id, draft)


def test_a_failed_item_must_show_in_the_outcome(set_up_ctx: Context) -> None:
    inspection_id, draft = complete_draft(set_up_ctx)
    checks = list(draft.checks)
    checks[0] = replace(checks[0], result=CheckResult.FAIL, note="健康证明过期")
    failing = replace(draft, checks=tuple(checks))
    with pytest.raises(ValidationFailed, match="不能为「无问题」"):
        svc.complete_inspection(set_up_ctx, inspection_id, failing)
    with pytest.raises(ValidationFailed, match="改正期限"):
        svc.complete_inspection(set_up_ctx, inspection_id, replace(failing, outcome=Outcome.RECTIFY))
    svc.complete_inspection(
        set_up_ctx,
        inspection_id,
        replace(failing, outcome=Outcome.RECTIFY, rectify_deadline=set_up_ctx.today() + dt.timedelta(days=7)),
    )
    item = svc.inspection_items(set_up_ctx, [inspection_id])[0]
    assert (
        item.failed_count == 1
        and item.outcome is Outcome.RECTIFY
        and item.status is InspectionStatus.COMPLETED
    )
    assert item.domain_names == "食品经营、价格公示"


def test_minor_exemption_needs_the_education_note(set_up_ctx: Context) -> None:
    inspection_id, draft = complete_draft(set_up_ctx)
    with pytest.raises(ValidationFailed, match="教育"):
        svc.complete_inspection(set_up_ctx, inspection_id, replace(draft, outcome=Outcome.MINOR_EXEMPT))


def test_completed_inspection_is_locked_until_reopened_with_a_reason(set_up_ctx: Context) -> None:
    inspection_id, draft = complete_draft(set_up_ctx)
    svc.complete_inspection(set_up_ctx, inspection_id, draft)
    with pytest.raises(svc.InspectionLocked):
        svc.save_draft(set_up_ctx, inspection_id, replace(draft, findings="改"))
    with pytest.raises(ValidationFailed):
        svc.reopen_inspection(set_up_ctx, inspection_id, " ")
    svc.reopen_inspection(set_up_ctx, inspection_id, "补充检查情况")
    assert svc.save_draft(set_up_ctx, inspection_id, replace(draft, findings="改")) is True


def test_lists_drafts_and_recent_and_remembers_the_last_pair(set_up_ctx: Context, clock: Clock) -> None:
    inspection_id, draft = complete_draft(set_up_ctx)
    svc.complete_inspection(set_up_ctx, inspection_id, draft)
    clock.advance(minutes=5)
    draft_id = svc.new_inspection(set_up_ctx)
    assert [i.id for i in svc.drafts_in_progress(set_up_ctx)] == [draft_id]
    assert [i.id for i in svc.recent_inspections(set_up_ctx)] == [inspection_id]
    assert svc.inspection_ids(set_up_ctx, query="金源") == [inspection_id]
    assert svc.load_inspection(set_up_ctx, draft_id).draft.officers == draft.officers
    svc.delete_draft(set_up_ctx, draft_id)
    assert svc.drafts_in_progress(set_up_ctx) == []


def _made_by_another_laptop(ctx: Context, inspection_id: object) -> None:
    """What an office store holds after importing a laptop's bundle: the row keeps its origin device."""
    from sqlalchemy import update

    from fieldkit.store.schema import InspectionRow

    with ctx.sessions.begin() as session:
        session.execute(
            update(InspectionRow).where(InspectionRow.id == inspection_id).values(device_id=str(uuid.uuid4()))
        )


def test_another_laptops_inspection_is_only_shown_here(set_up_ctx: Context) -> None:
    """Issue 11.1 at the office: 删除草稿 deleted a laptop's imported draft, 撤回完成 reopened its work."""
    draft_id, draft = complete_draft(set_up_ctx)
    done_id = svc.new_inspection(set_up_ctx)
    svc.complete_inspection(set_up_ctx, done_id, draft)
    blank_id = svc.new_inspection(set_up_ctx)
    for inspection_id in (draft_id, done_id, blank_id):
        _made_by_another_laptop(set_up_ctx, inspection_id)
    assert svc.load_inspection(set_up_ctx, draft_id).foreign
    with pytest.raises(svc.InspectionLocked, match="其他执法终端"):
        svc.delete_draft(set_up_ctx, draft_id)
    with pytest.raises(svc.InspectionLocked, match="其他执法终端"):
        svc.save_draft(set_up_ctx, draft_id, replace(draft, findings="改"))
    with pytest.raises(svc.InspectionLocked, match="其他执法终端"):
        svc.complete_inspection(set_up_ctx, draft_id, draft)
    with pytest.raises(svc.InspectionLocked, match="其他执法终端"):
        svc.reopen_inspection(set_up_ctx, done_id, "补充检查情况")
    assert svc.discard_if_blank(set_up_ctx, blank_id) is False
    assert svc.load_inspection(set_up_ctx, draft_id).status is InspectionStatus.DRAFT
    assert svc.load_inspection(set_up_ctx, done_id).status is InspectionStatus.COMPLETED
    assert svc.load_inspection(set_up_ctx, blank_id).draft.findings == ""
