"""A served decision is never silently changed (issue 9 item 1; 行政处罚法第四十四、四十五、五十二条):
substantive content changes only as a new document with a new number that voids the old one; a 笔误
correction keeps the number and prints a 更正说明; both are audited."""

from __future__ import annotations

import io
import uuid

import pytest
from pypdf import PdfReader

from fieldkit.domain.documents import Action, DocState
from fieldkit.errors import ValidationFailed
from fieldkit.services import documents as docs
from fieldkit.services.context import Context
from fieldkit.store import audit
from fieldkit.store.schema import DocumentRow
from tests.examples import EXAMPLES
from tests.services.test_documents import make_inspection

PARTY_KEYS = ("party_type", "party_name", "license_name", "uscc", "address", "legal_rep", "id_no", "phone")


def pdf_text(pdf: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return text.replace("\n", "").replace(" ", "")


def on_the_spot_decision(ctx: Context) -> uuid.UUID:
    """A 当场行政处罚决定书 of ¥500 for the enterprise of make_inspection, dated today."""
    document_id = docs.create_document(ctx, "dangchang_chufa", make_inspection(ctx))  # type: ignore[arg-type]
    prefilled = docs.load_document(ctx, document_id).values
    sample = {k: v for k, v in EXAMPLES["dangchang_chufa"].items() if k not in PARTY_KEYS}
    today = ctx.today().isoformat()
    docs.save_values(
        ctx,
        document_id,
        {**sample, **prefilled, "decided_at": f"{today}T09:30", "issue_date": today, "fine": 50000},
    )
    return document_id


def audit_actions(ctx: Context, document_id: uuid.UUID) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    with ctx.sessions() as session:
        rows = session.query(audit.AuditRow).filter(audit.AuditRow.record_id == str(document_id))
        return [(r.action, dict(r.detail)) for r in rows.order_by(audit.AuditRow.seq)]


def test_a_printed_fine_cannot_be_raised_under_the_same_number(set_up_ctx: Context) -> None:
    document_id = on_the_spot_decision(set_up_ctx)
    first = docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    docs.start_correction(set_up_ctx, document_id)
    values = docs.load_document(set_up_ctx, document_id).values
    with pytest.raises(ValidationFailed) as refused:
        docs.save_values(set_up_ctx, document_id, {**values, "fine": 300000})
    message = str(refused.value)
    assert "罚款金额" in message and "重新作出" in message and "第四十四条" in message
    assert refused.value.problems[0].field == "fine"
    assert docs.load_document(set_up_ctx, document_id).values["fine"] == 50000  # nothing was saved

    # changed behind the service's back (e.g. an edited database): printing still refuses it
    with set_up_ctx.sessions.begin() as session:
        row = session.get(DocumentRow, document_id)
        assert row is not None
        row.values = {**row.values, "fine": 300000}
    assert docs.check_document(set_up_ctx, document_id)[0].field == "fine"  # listed before printing
    with pytest.raises(docs.PrintBlocked, match="罚款金额") as blocked:
        docs.print_document(set_up_ctx, document_id, accept_warnings=True, reason="改罚款")
    assert blocked.value.hard and blocked.value.hard[0].field == "fine"
    doc = docs.load_document(set_up_ctx, document_id)
    assert [r.revision for r in doc.revisions] == [1] and doc.number == first.number


def test_a_slip_of_the_pen_keeps_the_number_and_prints_what_when_and_why(set_up_ctx: Context) -> None:
    document_id = on_the_spot_decision(set_up_ctx)
    first = docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    docs.start_correction(set_up_ctx, document_id)
    values = docs.load_document(set_up_ctx, document_id).values
    assert [p.code for p in docs.check_document(set_up_ctx, document_id)] == ["document.no_change"]
    with pytest.raises(docs.PrintBlocked, match="没有需要更正"):
        docs.print_document(set_up_ctx, document_id, accept_warnings=True, reason="无")
    docs.save_values(set_up_ctx, document_id, {**values, "phone": "13905391235"})
    second = docs.print_document(set_up_ctx, document_id, accept_warnings=True, reason="电话号码末位笔误")
    assert second.action == "correct" and second.number == first.number and second.revision == 2
    text = pdf_text(second.pdf)
    assert "更正说明" in text and "2026年3月2日更正笔误" in text
    assert "13905391234" in text and "13905391235" in text and "电话号码末位笔误" in text
    assert "更正说明" not in pdf_text(first.pdf)
    correct = [d for a, d in audit_actions(set_up_ctx, document_id) if a == "correct"]
    assert correct and correct[0]["reason"] == "电话号码末位笔误"
    assert correct[0]["changes"] == [{"field": "phone", "before": "13905391234", "after": "13905391235"}]


def test_a_substantive_change_is_a_new_document_that_names_and_voids_the_old(set_up_ctx: Context) -> None:
    old_id = on_the_spot_decision(set_up_ctx)
    old = docs.print_document(set_up_ctx, old_id, accept_warnings=True)
    assert old.number == "兰市监当罚〔2026〕A1-1号"

    new_id = docs.reissue_document(set_up_ctx, old_id, actor="张建国")
    assert docs.reissue_document(set_up_ctx, old_id) == new_id  # one replacement at a time
    assert docs.load_document(set_up_ctx, old_id).status == DocState.FINAL  # valid till then
    new = docs.load_document(set_up_ctx, new_id)
    assert new.status == DocState.DRAFT and new.number is None and new.replaces_id == old_id
    assert new.values["fine"] == 50000 and new.replaces == "兰市监当罚〔2026〕A1-1号《当场行政处罚决定书》"
    docs.save_values(set_up_ctx, new_id, {**new.values, "fine": 100000})
    with pytest.raises(ValidationFailed, match="重新作出的理由"):
        docs.print_document(set_up_ctx, new_id, accept_warnings=True)
    printed = docs.print_document(set_up_ctx, new_id, accept_warnings=True, reason="罚款金额计算错误")
    assert printed.action == "reissue" and printed.number == "兰市监当罚〔2026〕A1-2号"
    text = pdf_text(printed.pdf)
    assert "兰市监当罚〔2026〕A1-1号" in text and "重新作出" in text and "罚款金额计算错误" in text

    voided = docs.load_document(set_up_ctx, old_id)
    assert voided.status == DocState.VOID and voided.number == old.number
    assert "兰市监当罚〔2026〕A1-2号" in voided.void_reason and voided.replaced_by_id == new_id
    assert docs.stored_pdf(set_up_ctx, old_id) == old.pdf  # the old one stays on record as served
    reprint = docs.print_document(set_up_ctx, old_id)
    assert reprint.action == "reprint_void" and reprint.number == old.number
    reprinted = pdf_text(reprint.pdf)
    assert "作废" in reprinted and "兰市监当罚〔2026〕A1-2号" in reprinted

    old_log = audit_actions(set_up_ctx, old_id)
    assert ("reissue", {"number": old.number, "new_document": str(new_id)}) in old_log
    assert any(a == "void" and d.get("replaced_by") == str(new_id) for a, d in old_log)
    assert any(
        a == "reissue" and d.get("replaces") == str(old_id) for a, d in audit_actions(set_up_ctx, new_id)
    )


def test_reissuing_during_a_correction_drops_nothing_printed(set_up_ctx: Context) -> None:
    old_id = on_the_spot_decision(set_up_ctx)
    docs.print_document(set_up_ctx, old_id, accept_warnings=True)
    docs.start_correction(set_up_ctx, old_id)
    values = docs.load_document(set_up_ctx, old_id).values
    docs.save_values(set_up_ctx, old_id, {**values, "phone": "13905391235"})
    new_id = docs.reissue_document(set_up_ctx, old_id)
    old = docs.load_document(set_up_ctx, old_id)
    assert old.status == DocState.FINAL and old.values["phone"] == "13905391234"
    assert docs.load_document(set_up_ctx, new_id).values["phone"] == "13905391235"
    assert old.allows(Action.REISSUE) and not old.allows(Action.EDIT)


def test_a_correction_can_be_given_up(set_up_ctx: Context) -> None:
    document_id = on_the_spot_decision(set_up_ctx)
    docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    docs.start_correction(set_up_ctx, document_id)
    values = docs.load_document(set_up_ctx, document_id).values
    docs.save_values(set_up_ctx, document_id, {**values, "phone": "1"})
    docs.cancel_correction(set_up_ctx, document_id)
    doc = docs.load_document(set_up_ctx, document_id)
    assert doc.status == DocState.FINAL and doc.values["phone"] == "13905391234"


def test_the_officers_of_a_served_decision_are_not_a_slip_of_the_pen(set_up_ctx: Context) -> None:
    """Officers are picked from the roster: another officer under the same 文号 with a 更正说明 would
    name someone who did not make the decision (行政处罚法第四十二条). Only 重新作出 may change them."""
    document_id = on_the_spot_decision(set_up_ctx)
    docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    docs.start_correction(set_up_ctx, document_id)
    values = docs.load_document(set_up_ctx, document_id).values
    first, _second = values["officers"]
    third = {"name": "王喆", "cert_no": "37130219003"}  # on the roster, but not at the decision
    with pytest.raises(ValidationFailed, match="执法人员") as refused:
        docs.save_values(set_up_ctx, document_id, {**values, "officers": [first, third]})
    assert refused.value.problems[0].field == "officers" and "重新作出" in str(refused.value)


def test_the_preview_shows_the_notes_that_will_print(set_up_ctx: Context) -> None:
    """What the officer checks on screen is what prints: a 笔误 correction's preview carries its 更正说明
    (and the decision's own date), a document made anew names the one it replaces."""
    document_id = on_the_spot_decision(set_up_ctx)
    first = docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    docs.start_correction(set_up_ctx, document_id)
    values = docs.load_document(set_up_ctx, document_id).values
    docs.save_values(set_up_ctx, document_id, {**values, "phone": "13905391235"})
    text = pdf_text(docs.preview(set_up_ctx, document_id).pdf)
    assert "更正说明（第2版）" in text and "13905391234" in text and "13905391235" in text
    assert "更正理由：（打印时填写）" in text and first.number in text

    new_id = docs.reissue_document(set_up_ctx, document_id)
    text = pdf_text(docs.preview(set_up_ctx, new_id).pdf)
    assert f"本文书系对{first.number}《当场行政处罚决定书》的重新作出" in text
    assert "重新作出的理由：（打印时填写）" in text


def test_a_heavier_penalty_made_anew_asks_that_the_party_was_told_again(set_up_ctx: Context) -> None:
    """行政处罚法第四十四、四十五条: a decision made anew with a larger fine (or a kind of penalty added)
    is printed only once the officers confirm the party was told again and heard; a lighter one is not."""
    old_id = on_the_spot_decision(set_up_ctx)  # ¥500
    docs.print_document(set_up_ctx, old_id, accept_warnings=True)
    new_id = docs.reissue_document(set_up_ctx, old_id)
    values = docs.load_document(set_up_ctx, new_id).values
    docs.save_values(set_up_ctx, new_id, {**values, "fine": 20000})  # ¥200: lighter
    assert not [p for p in docs.check_document(set_up_ctx, new_id) if p.code.startswith("reissue.")]

    docs.save_values(set_up_ctx, new_id, {**values, "fine": 100000})  # ¥1,000: heavier
    (heavier,) = [p for p in docs.check_document(set_up_ctx, new_id) if p.code.startswith("reissue.")]
    assert heavier.field == "fine" and not heavier.is_error
    assert "¥1,000.00" in heavier.message and "¥500.00" in heavier.message and "第四十四条" in heavier.message
    with pytest.raises(docs.PrintBlocked) as blocked:
        docs.print_document(set_up_ctx, new_id, reason="罚款金额计算错误")
    assert not blocked.value.hard and any(p.code == "reissue.heavier_fine" for p in blocked.value.problems)
    printed = docs.print_document(set_up_ctx, new_id, accept_warnings=True, reason="罚款金额计算错误")
    assert printed.action == "reissue"
    assert docs.check_document(set_up_ctx, new_id) == []  # printed: nothing left to compare
