"""Documents take over what the inspection already knows (issue 10 item 3): 检查情况, the items found 不符合,
the measures already taken, officers, place and times; the 责令改正 terms of the outcome."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from fieldkit.catalog import checklist_by_id
from fieldkit.domain import prefill as P
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.documents import DocState
from fieldkit.domain.inspections import InspectionDraft, OfficerRef, Outcome, checks_for_domains
from fieldkit.domain.measures import GoodsLine, MeasureDraft, MeasureKind
from fieldkit.services import documents as docs
from fieldkit.services import inspections, measures
from fieldkit.services.context import Context
from fieldkit.services.setup import load_settings
from tests.services.test_documents import make_inspection


def inspection_with_problems(ctx: Context, *, measure: bool = True) -> uuid.UUID:
    """A food shop where two items failed (one with the officer's note), rectification by a date."""
    finished = make_inspection(ctx)  # only for its subject
    subject_id = inspections.load_inspection(ctx, finished).draft.subject_id  # type: ignore[arg-type]
    inspection_id = inspections.new_inspection(ctx, uuid.UUID(subject_id))  # type: ignore[arg-type]
    checks = list(checks_for_domains([checklist_by_id("food_business")]))
    checks = [replace(c, result=CheckResult.PASS) for c in checks]
    checks[0] = replace(checks[0], result=CheckResult.FAIL, note="货架上有 12 盒超过保质期的“某某牌”酸奶")
    checks[1] = replace(checks[1], result=CheckResult.FAIL)
    officers = load_settings(ctx).active_officers[:2]
    start = ctx.now() - dt.timedelta(hours=1)
    if measure:
        measures.add_measure(
            ctx,
            inspection_id,
            MeasureDraft(
                MeasureKind.PRESERVATION,
                decided_on=ctx.today(),
                storage_place="当事人仓库",
                items=(GoodsLine("某某牌原味酸奶", quantity="12", unit="盒"),),
            ),
        )
    inspections.complete_inspection(
        ctx,
        inspection_id,
        InspectionDraft(
            subject_id=subject_id,
            start_at=start,
            end_at=start + dt.timedelta(minutes=50),
            place="兰山区人民路18号",
            officers=tuple(OfficerRef(str(o.id), o.name, o.cert_no) for o in officers),
            domains=("food_business",),
            checks=tuple(checks),
            findings="对当事人经营场所进行了检查，当事人店长在场。",
            outcome=Outcome.RECTIFY,
            outcome_note="立即将超过保质期的食品下架并销毁，建立临期食品检查制度。",
            rectify_deadline=ctx.today() + dt.timedelta(days=7),
        ),
    )
    return inspection_id


def test_a_site_record_starts_with_what_the_inspection_found_and_did(set_up_ctx: Context) -> None:
    inspection_id = inspection_with_problems(set_up_ctx)
    record = inspections.load_inspection(set_up_ctx, inspection_id).draft
    failed = [c for c in record.checks if c.result is CheckResult.FAIL]
    document_id = docs.create_document(set_up_ctx, "xianchang_bilu", inspection_id)
    values = docs.load_document(set_up_ctx, document_id).values
    findings = values["findings"]
    assert findings.startswith("对当事人经营场所进行了检查，当事人店长在场。\n检查发现以下不符合规定的情况：")
    assert (
        f"1. {failed[0].text.rstrip('？?。')}——不符合：货架上有 12 盒超过保质期的“某某牌”酸奶。" in findings
    )
    assert f"2. {failed[1].text.rstrip('？?。')}——不符合。" in findings
    assert values["measures"] == ["先行登记保存"]  # ticked
    assert values["place"] == "兰山区人民路18号" and len(values["officers"]) == 2
    assert values["start_at"] and values["end_at"] and values["party_name"] == "临沂市金源家超市有限公司"


def test_a_rectification_notice_starts_with_the_violations_and_the_terms(set_up_ctx: Context) -> None:
    inspection_id = inspection_with_problems(set_up_ctx)
    failed = [
        c
        for c in inspections.load_inspection(set_up_ctx, inspection_id).draft.checks
        if c.result is CheckResult.FAIL
    ]
    document_id = docs.create_document(set_up_ctx, "zeling_gaizheng", inspection_id)
    values = docs.load_document(set_up_ctx, document_id).values
    assert values["facts"].startswith("货架上有 12 盒超过保质期的“某某牌”酸奶；存在“")
    assert not values["facts"].endswith("。")  # printed as "经查，你（单位）……的行为"
    assert values["violated"] and failed[0].basis.replace("；", "、").split("、")[0] in values["violated"]
    assert values["correction_mode"] == "限期改正"
    assert values["correction_deadline"] == (set_up_ctx.today() + dt.timedelta(days=7)).isoformat()
    assert values["requirements"] == "立即将超过保质期的食品下架并销毁，建立临期食品检查制度。"
    decision = docs.load_document(
        set_up_ctx, docs.create_document(set_up_ctx, "dangchang_chufa", inspection_id)
    )
    assert decision.values["facts"] == values["facts"] and decision.values["violated"] == values["violated"]


def test_no_measure_is_ticked_as_none_only_once_the_inspection_is_completed(set_up_ctx: Context) -> None:
    inspection_id = inspection_with_problems(set_up_ctx, measure=False)
    document_id = docs.create_document(set_up_ctx, "xianchang_bilu", inspection_id)
    assert docs.load_document(set_up_ctx, document_id).values["measures"] == ["未采取措施"]
    assert P.measures_taken([], completed=False) == []
    assert P.measures_taken(["查封", "查封", "抽样"], completed=True) == ["查封", "抽样"]
    assert (
        P.violated_provisions(
            [
                P.FailedCheck("a", basis="《食品安全法》第三十四条、《食品安全法》第五十三条"),
                P.FailedCheck("b", basis="《食品安全法》第三十四条"),
            ]
        )
        == "《食品安全法》第三十四条、《食品安全法》第五十三条"
    )
    already = P.findings_text("检查发现：a——不符合。", [P.FailedCheck("a"), P.FailedCheck("b", "见照片")])
    assert already == "检查发现：a——不符合。\n检查发现以下不符合规定的情况：\n1. b——不符合：见照片。"
    assert (
        P.correction_mode(Outcome.NO_PROBLEM, "") == ""
        and P.correction_mode(Outcome.RECTIFY, "") == "立即改正"
    )


def test_a_receipt_takes_over_the_served_document(set_up_ctx: Context) -> None:
    from tests.services.test_document_corrections import on_the_spot_decision

    decision = on_the_spot_decision(set_up_ctx)
    try:
        docs.create_receipt(set_up_ctx, decision)
        raise AssertionError("a draft has not been served")
    except docs.DocumentLocked as exc:
        assert "已打印定稿" in str(exc)
    number = docs.print_document(set_up_ctx, decision, accept_warnings=True).number
    receipt = docs.load_document(set_up_ctx, docs.create_receipt(set_up_ctx, decision))
    assert receipt.form_id == "songda_huizheng" and receipt.status == DocState.DRAFT
    values = receipt.values
    assert values["doc_name"] == "当场行政处罚决定书" and values["doc_number"] == number
    assert values["recipient"] == "临沂市金源家超市有限公司" and values["place"] == "兰山区人民路18号"
    assert receipt.matter_id == docs.load_document(set_up_ctx, decision).matter_id
