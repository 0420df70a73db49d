"""延长/解除 documents of a measure: drafted from it, shown on the due board, applied once printed
(行政强制法第二十五条、第二十八条; 程序规定第三十五条)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from fieldkit.domain.measures import GoodsLine, MeasureDraft, MeasureKind
from fieldkit.services import documents as docs
from fieldkit.services import issuing, measures
from fieldkit.services.context import Context
from fieldkit.services.due import open_deadlines
from tests.examples import EXAMPLES
from tests.services.test_documents import make_inspection


def printed(ctx: Context, document_id: uuid.UUID, **values: object) -> str:
    """Fill what the officer types, print for signature, return the 文号."""
    doc = docs.load_document(ctx, document_id)
    sample = {
        k: v for k, v in EXAMPLES[doc.form_id].items() if k not in doc.values and not k.endswith("number")
    }
    docs.save_values(ctx, document_id, {**sample, **doc.values, **values})
    result = docs.print_document(ctx, document_id)
    assert result.number
    return result.number


def seizure(ctx: Context) -> tuple[uuid.UUID, uuid.UUID, str, str]:
    inspection_id = make_inspection(ctx)
    measure_id = measures.add_measure(
        ctx,
        inspection_id,  # type: ignore[arg-type]
        MeasureDraft(
            MeasureKind.SEIZE,
            dt.date(2026, 3, 2),
            storage_place="本局涉案财物保管室",
            items=(GoodsLine("某某牌原味酸奶", "200g/盒", unit="盒", quantity="12"),),
        ),
    )
    goods = issuing.from_record(ctx, "caiwu_qingdan", inspection_id, measure_id=measure_id)  # type: ignore[arg-type]
    list_number = printed(ctx, goods)
    decision = docs.create_document(ctx, "qiangzhi_cuoshi", inspection_id)  # type: ignore[arg-type]
    decision_number = printed(ctx, decision, list_number=list_number, issue_date="2026-03-02")
    return inspection_id, measure_id, list_number, decision_number  # type: ignore[return-value]


def test_a_seizure_is_extended_then_released_by_its_documents(set_up_ctx: Context) -> None:
    ctx = set_up_ctx
    inspection_id, measure_id, list_number, decision_number = seizure(ctx)
    [due] = open_deadlines(ctx)
    assert due.due == dt.date(2026, 4, 1) and due.forms == ("yanchang_qiangzhi", "jiechu_qiangzhi")
    assert "届满前作出延长或者解除决定" in due.title

    extension = issuing.new_document(ctx, "yanchang_qiangzhi", inspection_id)
    values = docs.load_document(ctx, extension).values
    assert values["decision_number"] == decision_number and values["list_number"] == list_number
    assert (values["original_date"], values["new_end"], values["measure"]) == (
        "2026-03-02",
        "2026-05-01",
        ["扣押"],
    )
    printed(ctx, extension)
    [m] = measures.list_measures(ctx, inspection_id)
    assert m.extended and m.due == dt.date(2026, 5, 1) and m.status == "active"
    [due] = open_deadlines(ctx)
    assert due.due == dt.date(2026, 5, 1) and due.forms == ("jiechu_qiangzhi",)

    release = issuing.new_document(ctx, "jiechu_qiangzhi", inspection_id)
    assert docs.load_document(ctx, release).values["decision_number"] == decision_number
    number = printed(ctx, release)
    [m] = measures.list_measures(ctx, inspection_id)
    assert m.status == "released" and number in m.end_note and m.id == measure_id
    assert open_deadlines(ctx) == []


def test_a_hold_is_released_by_its_notice(set_up_ctx: Context) -> None:
    ctx = set_up_ctx
    inspection_id = make_inspection(ctx)
    hold = measures.add_measure(
        ctx,
        inspection_id,  # type: ignore[arg-type]
        MeasureDraft(
            MeasureKind.PRESERVATION,
            dt.date(2026, 3, 2),
            storage_place="当事人仓库",
            items=(GoodsLine("某某牌纯牛奶", quantity="6"),),
        ),
    )
    goods = issuing.from_record(ctx, "caiwu_qingdan", inspection_id, measure_id=hold)  # type: ignore[arg-type]
    list_number = printed(ctx, goods)
    notice = docs.create_document(ctx, "xianxing_baocun", inspection_id)  # type: ignore[arg-type]
    notice_number = printed(ctx, notice, list_number=list_number)
    [due] = open_deadlines(ctx)
    assert due.forms == ("jiechu_baocun",) and due.due == dt.date(2026, 3, 11)
    release = issuing.new_document(ctx, "jiechu_baocun", inspection_id)
    values = docs.load_document(ctx, release).values
    assert (values["preservation_number"], values["list_number"]) == (notice_number, list_number)
    printed(ctx, release)
    assert measures.list_measures(ctx, inspection_id)[0].status == "released"
    assert open_deadlines(ctx) == []


def test_the_due_command_names_the_documents_that_settle_a_measure(
    set_up_ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    from fieldkit import cli

    seizure(set_up_ctx)
    assert cli.main(["--data-dir", str(set_up_ctx.data_dir), "due"]) == 0
    out = capsys.readouterr().out
    assert "2026-04-01" in out and "办理文书：延长行政强制措施期限决定书、解除行政强制措施决定书" in out
