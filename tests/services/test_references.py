"""Cited numbers are this agency's real, valid documents (issue 9 item 9; services/references.py)."""

from __future__ import annotations

import uuid

import pytest

from fieldkit.services import documents as docs
from fieldkit.services import references
from fieldkit.services.context import Context
from fieldkit.store.schema import DocumentRow
from tests.examples import EXAMPLES
from tests.services.test_documents import make_inspection


def printed_list(ctx: Context, inspection_id: uuid.UUID) -> tuple[uuid.UUID, str]:
    document_id = docs.create_document(ctx, "caiwu_qingdan", inspection_id)
    sample = {k: v for k, v in EXAMPLES["caiwu_qingdan"].items() if k != "related_number"}
    values = docs.load_document(ctx, document_id).values
    docs.save_values(ctx, document_id, {**sample, **values, "counted_at": "2026-03-02T09:50"})
    number = docs.print_document(ctx, document_id).number
    assert number
    return document_id, number


def notice_citing(ctx: Context, inspection_id: uuid.UUID, number: str) -> uuid.UUID:
    document_id = docs.create_document(ctx, "xianxing_baocun", inspection_id)
    values = docs.load_document(ctx, document_id).values
    docs.save_values(ctx, document_id, {**EXAMPLES["xianxing_baocun"], **values, "list_number": number})
    return document_id


def codes(ctx: Context, document_id: uuid.UUID) -> set[str]:
    return {p.code for p in docs.check_document(ctx, document_id)}


def test_a_notice_prints_only_with_a_real_list_number(set_up_ctx: Context) -> None:
    ctx = set_up_ctx
    inspection_id = make_inspection(ctx)
    list_id, number = printed_list(ctx, inspection_id)
    [choice] = references.reference_choices(
        ctx, "xianxing_baocun", "list_number", document_id=None, matter_id=inspection_id
    )
    assert (choice.number, choice.title, choice.same_inspection) == (number, "场所/设施/财物清单", True)

    made_up = notice_citing(ctx, inspection_id, "兰市监清单〔2026〕A1-7号")
    [problem] = [p for p in docs.check_document(ctx, made_up) if p.code == "reference.unknown"]
    assert problem.is_error and problem.message.startswith("清单文书编号：“兰市监清单〔2026〕A1-7号”不是本局")
    with pytest.raises(docs.PrintBlocked):
        docs.print_document(ctx, made_up, accept_warnings=True)

    good = notice_citing(ctx, inspection_id, number)
    assert "reference.unknown" not in codes(ctx, good)
    docs.void_document(ctx, list_id, "清点有误，重新制作")
    assert "reference.unknown" in codes(ctx, good)  # a voided 清单 is cited by nothing


def test_another_agencys_number_is_not_ours(set_up_ctx: Context) -> None:
    ctx = set_up_ctx
    inspection_id = make_inspection(ctx)
    list_id, _ = printed_list(ctx, inspection_id)
    with ctx.sessions.begin() as session:  # as an office import of another bureau's bundle would hold it
        session.get(DocumentRow, list_id).number = "汾市监清单〔2026〕A1-1号"
    assert (
        references.reference_choices(
            ctx, "xianxing_baocun", "list_number", document_id=None, matter_id=inspection_id
        )
        == []
    )
    notice = notice_citing(ctx, inspection_id, "汾市监清单〔2026〕A1-1号")
    assert "reference.unknown" in codes(ctx, notice)


def test_a_receipt_names_the_document_it_serves(set_up_ctx: Context) -> None:
    ctx = set_up_ctx
    inspection_id = make_inspection(ctx)
    _, number = printed_list(ctx, inspection_id)
    receipt = docs.create_document(ctx, "songda_huizheng", inspection_id)
    values = docs.load_document(ctx, receipt).values
    docs.save_values(
        ctx, receipt, {**values, "method": "直接送达", "doc_number": number, "doc_name": "责令改正通知书"}
    )
    [problem] = [p for p in docs.check_document(ctx, receipt) if p.code == "reference.title"]
    assert problem.field == "doc_name" and "场所/设施/财物清单" in problem.message
    docs.save_values(
        ctx, receipt, {**values, "method": "直接送达", "doc_number": number, "doc_name": "场所/设施/财物清单"}
    )
    assert docs.check_document(ctx, receipt) == []


def test_a_number_of_another_kind_of_document_is_not_a_list_number(set_up_ctx: Context) -> None:
    from tests.services.test_documents import rectification

    ctx = set_up_ctx
    inspection_id = make_inspection(ctx)
    notice = rectification(ctx, inspection_id)
    number = docs.print_document(ctx, notice, accept_warnings=True).number
    assert number
    hold = notice_citing(ctx, inspection_id, number)  # a 责令改正通知书 is no 清单
    assert "reference.unknown" in codes(ctx, hold)
    receipt = docs.create_receipt(ctx, notice)  # while a 送达回证 may cite any numbered document
    docs.save_values(ctx, receipt, {**docs.load_document(ctx, receipt).values, "method": "直接送达"})
    assert docs.check_document(ctx, receipt) == []
