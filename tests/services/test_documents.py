"""Documents: prefill, pre-print checks, finalise on print, reprint, correction, void, numbering."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from fieldkit.catalog import checklist_by_id
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.documents import DocState
from fieldkit.domain.inspections import InspectionDraft, OfficerRef, Outcome, checks_for_domains
from fieldkit.domain.numbering import parse_number
from fieldkit.domain.subjects import SubjectDraft, SubjectType
from fieldkit.errors import ValidationFailed
from fieldkit.services import documents as docs
from fieldkit.services import inspections
from fieldkit.services.context import Context
from fieldkit.services.setup import load_settings, run_setup, update_agency
from fieldkit.services.subjects import add_subject, search_subject_ids
from fieldkit.store import audit
from tests.conftest import TEST_AGENCY, TEST_OFFICERS, Clock
from tests.examples import EXAMPLES


def make_inspection(ctx: Context) -> object:
    existing = search_subject_ids(ctx, "91110000101623741K")
    subject_id = (
        existing[0]
        if existing
        else add_subject(
            ctx,
            SubjectDraft(
                name="临沂市金源家超市有限公司",
                subject_type=SubjectType.ENTERPRISE,
                uscc="91110000101623741K",
                legal_rep="王喆",
                address="兰山区人民路18号",
                phone="13905391234",
            ),
        )
    )
    inspection_id = inspections.new_inspection(ctx, subject_id)
    officers = load_settings(ctx).active_officers[:2]
    start = ctx.now() - dt.timedelta(hours=1)  # a visit that just ended: nothing in the future
    checks = tuple(
        replace(c, result=CheckResult.PASS) for c in checks_for_domains([checklist_by_id("food_business")])
    )
    inspections.complete_inspection(
        ctx,
        inspection_id,
        InspectionDraft(
            subject_id=str(subject_id),
            start_at=start,
            end_at=start + dt.timedelta(hours=1),
            place="兰山区人民路18号",
            officers=tuple(OfficerRef(str(o.id), o.name, o.cert_no) for o in officers),
            domains=("food_business",),
            checks=checks,
            outcome=Outcome.NO_PROBLEM,
            findings="经检查，证照齐全，未发现违法行为。",
        ),
    )
    return inspection_id


def rectification(ctx: Context, inspection_id: object) -> object:
    document_id = docs.create_document(ctx, "zeling_gaizheng", inspection_id)  # type: ignore[arg-type]
    values = docs.load_document(ctx, document_id).values
    sample = EXAMPLES["zeling_gaizheng"]
    filled = {**sample, **{k: v for k, v in values.items() if k in ("party_name", "officers")}}
    docs.save_values(ctx, document_id, filled)
    return document_id


def test_a_new_document_is_prefilled_from_the_inspection(set_up_ctx: Context) -> None:
    inspection_id = make_inspection(set_up_ctx)
    document_id = docs.create_document(set_up_ctx, "xianchang_bilu", inspection_id)  # type: ignore[arg-type]
    values = docs.load_document(set_up_ctx, document_id).values
    assert values["party_name"] == "临沂市金源家超市有限公司"
    assert values["uscc"] == "91110000101623741K"
    assert values["place"] == "兰山区人民路18号"
    assert values["start_at"] == "2026-03-02T09:00"  # Beijing time
    assert [o["cert_no"] for o in values["officers"]] == ["37130219001", "37130219002"]
    assert values["matter"] == "食品经营检查"


def test_print_is_blocked_listing_every_problem_with_its_rule(set_up_ctx: Context) -> None:
    document_id = docs.create_document(set_up_ctx, "zeling_gaizheng")
    with pytest.raises(docs.PrintBlocked) as blocked:
        docs.print_document(set_up_ctx, document_id)
    assert len(blocked.value.hard) >= 3
    assert any("第二十八条" in p.message for p in blocked.value.problems)  # immediate or by a date
    assert docs.load_document(set_up_ctx, document_id).status == DocState.DRAFT


def test_first_print_finalises_and_reprint_is_identical(set_up_ctx: Context, tmp_path: Path) -> None:
    document_id = rectification(set_up_ctx, make_inspection(set_up_ctx))
    preview = docs.preview(set_up_ctx, document_id)
    assert preview.action == "preview" and preview.number is None
    first = docs.print_document(set_up_ctx, document_id, copies=2, actor="张建国", accept_warnings=True)
    assert first.action == "finalise" and first.number == "兰市监责改〔2026〕A1-1号"
    assert parse_number(first.number) is not None
    again = docs.print_document(set_up_ctx, document_id, actor="李晓梅")
    assert again.action == "reprint" and again.pdf == first.pdf and again.pdf_sha256 == first.pdf_sha256
    assert docs.stored_pdf(set_up_ctx, document_id) == first.pdf
    with pytest.raises(docs.DocumentLocked):
        docs.save_values(set_up_ctx, document_id, {"party_name": "改"})
    with set_up_ctx.sessions() as session:
        logged = [
            (r.action, r.actor, r.detail.get("copies"))
            for r in session.query(audit.AuditRow).filter(audit.AuditRow.record_type == "document")
        ]
    assert ("finalise", "张建国", None) in logged
    assert ("print", "张建国", 2) in logged and ("reprint", "李晓梅", 1) in logged


def test_correction_is_a_new_revision_with_a_reason_and_the_same_number(set_up_ctx: Context) -> None:
    document_id = rectification(set_up_ctx, make_inspection(set_up_ctx))
    first = docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    docs.start_correction(set_up_ctx, document_id)
    values = docs.load_document(set_up_ctx, document_id).values
    docs.save_values(set_up_ctx, document_id, {**values, "address": values["address"] + "（东门）"})
    with pytest.raises(ValidationFailed, match="更正理由"):
        docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    second = docs.print_document(set_up_ctx, document_id, accept_warnings=True, reason="住所漏写门牌")
    assert second.action == "correct" and second.revision == 2 and second.number == first.number
    assert second.pdf_sha256 != first.pdf_sha256
    doc = docs.load_document(set_up_ctx, document_id)
    assert [r.revision for r in doc.revisions] == [1, 2] and doc.revisions[1].reason == "住所漏写门牌"
    assert docs.stored_pdf(set_up_ctx, document_id, revision=1) == first.pdf  # the old one stays visible


def test_voided_numbers_are_kept_and_never_reused(set_up_ctx: Context) -> None:
    inspection_id = make_inspection(set_up_ctx)
    first = rectification(set_up_ctx, inspection_id)
    number = docs.print_document(set_up_ctx, first, accept_warnings=True).number
    with pytest.raises(ValidationFailed):
        docs.void_document(set_up_ctx, first, "")
    docs.void_document(set_up_ctx, first, "当事人名称打印错误")
    voided = docs.load_document(set_up_ctx, first)
    assert voided.status == DocState.VOID and voided.number == number
    assert docs.print_document(set_up_ctx, first).action == "reprint_void"  # watermarked 作废
    second = rectification(set_up_ctx, inspection_id)
    assert docs.print_document(set_up_ctx, second, accept_warnings=True).number == "兰市监责改〔2026〕A1-2号"


@pytest.mark.parametrize(
    ("officers", "message"),
    [
        (
            [{"name": "张建国", "cert_no": "37130219001"}, {"name": "张建国", "cert_no": "37130219001"}],
            "张建国（执法证号 37130219001）被列了两次",
        ),
        (
            [{"name": "张建国", "cert_no": "37130219001"}, {"name": "赵六", "cert_no": "37130219999"}],
            "赵六（执法证号 37130219999）不在本局执法人员名单中",
        ),
    ],
)
def test_printing_needs_two_different_officers_from_the_roster(
    set_up_ctx: Context, officers: list[dict[str, str]], message: str
) -> None:
    inspection_id = make_inspection(set_up_ctx)
    document_id = docs.create_document(set_up_ctx, "dangchang_chufa", inspection_id)  # type: ignore[arg-type]
    values = docs.load_document(set_up_ctx, document_id).values
    docs.save_values(set_up_ctx, document_id, {**EXAMPLES["dangchang_chufa"], **values, "officers": officers})
    problems = docs.check_document(set_up_ctx, document_id)
    assert any(message in p.message and p.is_error and p.field == "officers" for p in problems)
    with pytest.raises(docs.PrintBlocked) as blocked:
        docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    assert any(message in p.message for p in blocked.value.hard)
    assert docs.load_document(set_up_ctx, document_id).number is None


def test_two_laptops_numbering_offline_never_collide(make_ctx, set_up_ctx: Context) -> None:  # type: ignore[no-untyped-def]
    other = make_ctx("laptop-b")
    run_setup(other, TEST_AGENCY, TEST_OFFICERS, "B2")
    numbers = set()
    for ctx in (set_up_ctx, other, set_up_ctx, other):
        document_id = rectification(ctx, make_inspection(ctx))
        numbers.add(docs.print_document(ctx, document_id, accept_warnings=True).number)
    assert numbers == {
        "兰市监责改〔2026〕A1-1号",
        "兰市监责改〔2026〕A1-2号",
        "兰市监责改〔2026〕B2-1号",
        "兰市监责改〔2026〕B2-2号",
    }


def test_signatures_need_a_witness_when_refused(set_up_ctx: Context, tmp_path: Path) -> None:
    document_id = rectification(set_up_ctx, make_inspection(set_up_ctx))
    with pytest.raises(docs.DocumentLocked):
        docs.record_signatures(set_up_ctx, document_id, [])
    docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    refused = docs.SignatureRecord("当事人（签名）", "王喆", "refused")
    with pytest.raises(ValidationFailed, match="见证人"):
        docs.record_signatures(set_up_ctx, document_id, [refused])
    docs.record_signatures(set_up_ctx, document_id, [replace(refused, witness="社区网格员 刘敏")])
    scan = tmp_path / "签收件.jpg"
    scan.write_bytes(b"\xff\xd8fake jpeg of the signed paper")
    docs.attach_scan(set_up_ctx, document_id, scan)
    last = docs.load_document(set_up_ctx, document_id).revisions[-1]
    assert last.signatures[0]["witness"] == "社区网格员 刘敏"
    assert last.attachments[0]["name"] == "签收件.jpg"


def test_agency_name_changes_do_not_touch_finalised_pdfs(set_up_ctx: Context) -> None:
    document_id = rectification(set_up_ctx, make_inspection(set_up_ctx))
    first = docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    settings = load_settings(set_up_ctx)
    update_agency(set_up_ctx, replace(settings.agency, full_name="临沂市兰山区市场监督管理局（新）"), "A1")
    assert docs.print_document(set_up_ctx, document_id).pdf == first.pdf


def test_audit_entries_name_the_officer_using_the_laptop(set_up_ctx: Context) -> None:
    from fieldkit.services.setup import current_operator, set_operator

    assert current_operator(set_up_ctx) == ""
    set_operator(set_up_ctx, "李晓梅")
    document_id = rectification(set_up_ctx, make_inspection(set_up_ctx))
    docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    with set_up_ctx.sessions() as session:
        printed = session.query(audit.AuditRow).filter(audit.AuditRow.action == "print").one()
        assert printed.actor == "李晓梅"
        assert audit.verify_chain(session) is None


def test_a_blank_copy_names_the_agency(set_up_ctx: Context) -> None:
    import io

    from pypdf import PdfReader

    pdf, pages = docs.blank_pdf(set_up_ctx, "zeling_gaizheng")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert (
        pages >= 1
        and "临沂市兰山区市场监督管理局" in text
        and "临沂市兰山区人民政府" in text.replace("\n", "")
    )


def test_the_seal_date_is_the_day_of_printing_not_of_the_draft(set_up_ctx: Context, clock: Clock) -> None:
    inspection_id = make_inspection(set_up_ctx)
    document_id = rectification(set_up_ctx, inspection_id)
    assert docs.load_document(set_up_ctx, document_id).values["issue_date"] == "2026-03-05"  # typed / drafted
    clock.advance(days=2)  # printed two days after the draft was begun
    docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    doc = docs.load_document(set_up_ctx, document_id)
    assert doc.values["issue_date"] == "2026-03-04"
    with set_up_ctx.sessions() as session:
        from fieldkit.store.schema import DocumentRevisionRow

        [revision] = session.query(DocumentRevisionRow).filter_by(document_id=document_id).all()
        assert revision.values["issue_date"] == "2026-03-04"


def test_a_record_ending_later_today_is_refused(set_up_ctx: Context) -> None:
    inspection_id = make_inspection(set_up_ctx)  # 09:00–10:00 Beijing; now is 10:00
    document_id = docs.create_document(set_up_ctx, "xunwen_bilu", inspection_id)  # type: ignore[arg-type]
    drafted = docs.load_document(set_up_ctx, document_id).values  # this agency's officers
    values = {
        **EXAMPLES["xunwen_bilu"],
        "officers": drafted["officers"],
        "start_at": "2026-03-02T09:30",
        "end_at": "2026-03-02T10:30",
    }
    docs.save_values(set_up_ctx, document_id, values)
    problems = docs.check_document(set_up_ctx, document_id)
    assert [p.field for p in problems if p.code == "preprint.date.future"] == ["end_at"]
    with pytest.raises(docs.PrintBlocked):
        docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    docs.save_values(set_up_ctx, document_id, {**values, "end_at": "2026-03-02T09:55"})
    assert docs.check_document(set_up_ctx, document_id) == []


def test_another_laptops_document_cannot_be_voided_or_changed_here(set_up_ctx: Context) -> None:
    """Issue 11.1 at the office: an imported decision stays as the laptop issued it."""
    from sqlalchemy import update

    from fieldkit.errors import ForeignRecord
    from fieldkit.store.schema import DocumentRow

    inspection_id = make_inspection(set_up_ctx)
    printed = rectification(set_up_ctx, inspection_id)
    docs.print_document(set_up_ctx, printed, accept_warnings=True)
    draft = rectification(set_up_ctx, inspection_id)
    with set_up_ctx.sessions.begin() as session:  # what an office holds after importing a laptop's bundle
        session.execute(update(DocumentRow).values(device_id="0f0f0f0f-0000-4000-8000-000000000001"))
    with pytest.raises(ForeignRecord, match="其他执法终端"):
        docs.void_document(set_up_ctx, printed, "当事人名称打印错误")
    with pytest.raises(ForeignRecord, match="其他执法终端"):
        docs.delete_draft(set_up_ctx, draft)
    assert docs.load_document(set_up_ctx, printed).status == DocState.FINAL
    assert docs.load_document(set_up_ctx, draft).status == DocState.DRAFT
