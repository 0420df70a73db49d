"""拒签 on paper and numbered blank 当场行政处罚决定书 (issue 9 item 7; 行政处罚法第五十二条)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from fieldkit.domain.documents import DocState
from fieldkit.errors import ValidationFailed
from fieldkit.services import documents as docs
from fieldkit.services import signatures
from fieldkit.services.context import Context
from fieldkit.store import audit
from tests.examples import EXAMPLES
from tests.services.test_document_corrections import on_the_spot_decision, pdf_text
from tests.services.test_documents import make_inspection


def test_a_refusal_to_sign_is_printed_on_the_decision_itself(set_up_ctx: Context) -> None:
    document_id = on_the_spot_decision(set_up_ctx)
    docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    refused = docs.SignatureRecord(
        "当事人（签收）",
        "王喆",
        "refused",
        witness="社区网格员 刘敏",
        note="当事人称不认可处罚，拒绝签收，已录像",
    )
    with pytest.raises(ValidationFailed, match="拒签时间"):
        docs.record_signatures(
            set_up_ctx, document_id, [refused.__class__(**{**refused.__dict__, "at": "昨天"})]
        )
    docs.record_signatures(set_up_ctx, document_id, [refused])
    (recorded,) = docs.load_document(set_up_ctx, document_id).revisions[-1].signatures
    assert recorded["at"] == "2026-03-02T10:00"  # the time of recording, when none was given

    sha = signatures.make_signed_copy(set_up_ctx, document_id)
    assert sha is not None  # a refusal alone makes the printed record, no handwriting needed
    pdf = signatures.signed_copy_pdf(set_up_ctx, document_id)
    assert pdf is not None
    text = pdf_text(pdf)
    assert "拒签记录" in text and "拒绝签名" in text and "2026年3月2日10时00分" in text
    assert (
        "当事人称不认可处罚，拒绝签收，已录像" in text and "社区网格员刘敏" in text and "见证人签名" in text
    )


def test_a_refused_delivery_is_written_on_the_receipt(set_up_ctx: Context) -> None:
    inspection_id = make_inspection(set_up_ctx)
    document_id = docs.create_document(set_up_ctx, "songda_huizheng", inspection_id)  # type: ignore[arg-type]
    sample = {k: v for k, v in EXAMPLES["songda_huizheng"].items() if k != "doc_number"}  # not a real 文号
    values = {**sample, **docs.load_document(set_up_ctx, document_id).values}
    docs.save_values(
        set_up_ctx, document_id, {**values, "served_at": "2026-03-02T09:50", "method": "留置送达"}
    )
    with pytest.raises(docs.PrintBlocked) as blocked:
        docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    assert any("第八十二条" in p.message and p.field == "refused" for p in blocked.value.hard)
    docs.save_values(
        set_up_ctx,
        document_id,
        {
            **values,
            "served_at": "2026-03-02T09:50",
            "method": "留置送达",
            "refused": True,
            "refused_at": "2026-03-02T09:50",
            "refusal_reason": "称不认可检查结果",
            "refusal_record": "邀请社区网格员刘敏到场见证，执法记录仪全程录像",
        },
    )
    printed = docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    text = pdf_text(printed.pdf)
    assert "拒收情况" in text and "2026年3月2日9时50分拒绝签收" in text and "称不认可检查结果" in text
    assert "执法记录仪全程录像" in text


def test_numbered_blanks_come_from_the_series_and_are_accounted_for(set_up_ctx: Context) -> None:
    with pytest.raises(ValidationFailed, match="没有文号"):
        docs.issue_numbered_blanks(set_up_ctx, "xianchang_bilu", 2)
    with pytest.raises(ValidationFailed, match="份数"):
        docs.issue_numbered_blanks(set_up_ctx, "dangchang_chufa", 0)
    ids = docs.issue_numbered_blanks(set_up_ctx, "dangchang_chufa", 3, actor="张建国")
    pdf, pages = docs.numbered_blanks_pdf(set_up_ctx, ids)
    numbers = [f"兰市监当罚〔2026〕A1-{n}号" for n in (1, 2, 3)]
    text = pdf_text(pdf)
    assert all(n in text for n in numbers) and "临沂市兰山区人民政府" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == pages >= 3
    assert "当事人拒绝签收的，执法人员注明" in text  # room to write a refusal by hand

    # a decision made on the laptop takes the next number: the series is one
    typed = on_the_spot_decision(set_up_ctx)
    assert docs.print_document(set_up_ctx, typed, accept_warnings=True).number == "兰市监当罚〔2026〕A1-4号"

    used, spoiled, _kept = ids
    docs.use_numbered_blank(set_up_ctx, used, matter_id=None, actor="张建国")
    with pytest.raises(docs.DocumentLocked, match="不能删除"):
        docs.delete_draft(set_up_ctx, used)
    draft = docs.load_document(set_up_ctx, used)
    assert draft.status == DocState.DRAFT and draft.number == numbers[0]
    docs.void_document(set_up_ctx, spoiled, "填写错误，已撕毁")
    assert "作废" in pdf_text(docs.print_document(set_up_ctx, spoiled).pdf)

    ledger = {b.number: b for b in docs.list_numbered_blanks(set_up_ctx, "dangchang_chufa")}
    assert {n: b.state for n, b in ledger.items()} == {
        numbers[0]: "used",
        numbers[1]: "voided",
        numbers[2]: "issued",
    }
    assert ledger[numbers[1]].note == "填写错误，已撕毁"
    with set_up_ctx.sessions() as session:
        issued = session.query(audit.AuditRow).filter(audit.AuditRow.action == "blank_issue").count()
        used_log = session.query(audit.AuditRow).filter(audit.AuditRow.action == "blank_use").count()
    assert (issued, used_log) == (3, 1)

    # the handwritten decision recorded under its own number
    docs.save_values(set_up_ctx, used, docs.load_document(set_up_ctx, typed).values)  # as written by hand
    assert docs.print_document(set_up_ctx, used, accept_warnings=True, reason="").number == numbers[0]


def test_a_blank_decision_is_only_ever_a_numbered_one(set_up_ctx: Context) -> None:
    """No blank 当场行政处罚决定书 with the number left to write in (行政处罚法第五十二条), in the GUI's
    「打印空白文书…」 either (ui/blank_print.py calls blank_pdf); other forms still print plain blanks."""
    with pytest.raises(ValidationFailed, match="编有号码") as refused:
        docs.blank_pdf(set_up_ctx, "dangchang_chufa")
    assert refused.value.problems[0].code == "prenumbered"
    assert docs.blank_pdf(set_up_ctx, "zeling_gaizheng")[1] >= 1
    with set_up_ctx.sessions() as session:  # nothing was drawn from the series
        assert session.query(audit.AuditRow).filter(audit.AuditRow.action == "blank_issue").count() == 0


def test_the_signed_copy_of_a_voided_decision_is_stamped_void(set_up_ctx: Context) -> None:
    """A decision made anew voids the old one: its 签名版 (refusal and all) is then stamped 作废 with the
    reason like every reprint of it, not handed out again as a valid decision."""
    document_id = on_the_spot_decision(set_up_ctx)
    docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    docs.record_signatures(
        set_up_ctx,
        document_id,
        [
            docs.SignatureRecord(
                "当事人（签收）", "王喆", "refused", witness="社区网格员 刘敏", note="拒绝签收"
            )
        ],
    )
    assert signatures.make_signed_copy(set_up_ctx, document_id) is not None
    before = signatures.signed_copy_pdf(set_up_ctx, document_id)
    assert before is not None and "作废" not in pdf_text(before)

    new_id = docs.reissue_document(set_up_ctx, document_id)
    docs.save_values(set_up_ctx, new_id, {**docs.load_document(set_up_ctx, new_id).values, "fine": 10000})
    docs.print_document(set_up_ctx, new_id, accept_warnings=True, reason="罚款金额计算错误")
    after = signatures.signed_copy_pdf(set_up_ctx, document_id)
    assert after is not None
    text = pdf_text(after)
    assert "拒签记录" in text and "作废" in text and "罚款金额计算错误" in text


def test_a_refusal_note_with_a_character_no_font_has_is_refused(set_up_ctx: Context) -> None:
    """The 拒签记录 prints the witness and the officers' note: a character no font has (a 造字 in the
    private-use area) would be an empty box on paper, so it is refused naming the line and the character."""
    document_id = on_the_spot_decision(set_up_ctx)
    docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    refused = docs.SignatureRecord(
        "当事人（签收）", "王喆", "refused", witness="网格员 刘\ue000", note="拒收"
    )
    with pytest.raises(ValidationFailed, match="见证人") as error:
        docs.record_signatures(set_up_ctx, document_id, [refused])
    assert "U+E000" in str(error.value) and "当事人（签收）" in str(error.value)
    assert docs.load_document(set_up_ctx, document_id).revisions[-1].signatures == ()  # nothing kept
    docs.record_signatures(
        set_up_ctx, document_id, [refused.__class__(**{**refused.__dict__, "witness": "网格员 刘䶮"})]
    )


def test_a_void_reason_with_a_character_no_font_has_is_refused(set_up_ctx: Context) -> None:
    """The 作废理由 is printed on every reprint of the voided document: no empty boxes there either."""
    (blank,) = docs.issue_numbered_blanks(set_up_ctx, "dangchang_chufa", 1)
    with pytest.raises(ValidationFailed, match="作废理由") as error:
        docs.void_document(set_up_ctx, blank, "填错\ue000")
    assert "U+E000" in str(error.value)
    assert docs.load_document(set_up_ctx, blank).status == DocState.BLANK  # nothing changed


def test_a_receipt_cannot_say_the_document_was_served_before_it_was_made(set_up_ctx: Context) -> None:
    """程序规定第八十二条: the signing date on the 送达回证 is the service date; it cannot precede the day the
    served document was printed (a receipt backdated to before the decision existed is refused)."""
    decision = on_the_spot_decision(set_up_ctx)
    printed = docs.print_document(set_up_ctx, decision, accept_warnings=True)  # 2026-03-02
    receipt = docs.create_receipt(set_up_ctx, decision)
    values = docs.load_document(set_up_ctx, receipt).values
    docs.save_values(set_up_ctx, receipt, {**values, "served_at": "2026-03-01T16:00", "method": "直接送达"})
    (early,) = [p for p in docs.check_document(set_up_ctx, receipt) if p.field == "served_at"]
    assert early.code == "receipt.before_document" and early.is_error
    assert (
        printed.number in early.message and "2026年3月2日" in early.message and "第八十二条" in early.message
    )
    with pytest.raises(docs.PrintBlocked):
        docs.print_document(set_up_ctx, receipt, accept_warnings=True)
    docs.save_values(set_up_ctx, receipt, {**values, "served_at": "2026-03-02T09:50", "method": "直接送达"})
    assert not [p for p in docs.check_document(set_up_ctx, receipt) if p.field == "served_at"]
