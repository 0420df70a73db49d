"""The demo data is something a legal reviewer could sign off: every demo document passes every pre-print
check and renders, and every number it cites is one of this agency's real documents (issue 9)."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldkit.catalog import load_formdefs
from fieldkit.domain.documents import DocState
from fieldkit.domain.measures import MeasureKind
from fieldkit.domain.numbering import parse_number
from fieldkit.services import demo, documents, measures
from fieldkit.services.context import Context
from fieldkit.services.due import open_deadlines
from fieldkit.services.setup import load_settings
from tests.conftest import Clock


@pytest.mark.parametrize(
    "now",
    [
        dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC),  # 10:00 in Beijing
        dt.datetime(2026, 11, 30, 16, 5, tzinfo=dt.UTC),  # 00:05 in Beijing: just after midnight
    ],
    ids=["morning", "after-midnight"],
)
def test_every_demo_document_passes_every_check_and_renders(
    ctx: Context, clock: Clock, now: dt.datetime
) -> None:
    clock.now = now
    counts = demo.load_demo(ctx, subject_count=24, inspection_count=12)
    items = documents.list_documents(ctx)
    forms = load_formdefs()
    assert {i.form_id for i in items} == set(forms)  # every form has a demo document
    assert counts["documents"] == len(items) and counts["finalised"] >= 10
    short_name = load_settings(ctx).agency.short_name
    numbers = {i.number for i in items if i.number}
    for item in items:
        problems = documents.check_document(ctx, item.id)
        assert problems == [], (item.form_id, [p.message for p in problems])
        pdf = documents.preview(ctx, item.id).pdf
        assert pdf.startswith(b"%PDF") and len(pdf) > 5_000, item.form_id
        if item.status == DocState.FINAL:
            assert documents.stored_pdf(ctx, item.id).startswith(b"%PDF")
        values = documents.load_document(ctx, item.id).values
        for fd in forms[item.form_id].fields:
            cited = values.get(fd.key)
            if fd.refs and cited:  # cited numbers are real, ours and printed before they are cited
                assert cited in numbers, (item.form_id, fd.key, cited)
                parsed = parse_number(cited)
                assert parsed is not None and parsed.short_name == short_name
    # A 延长/解除 document cites the 清单 its decision cites (not merely the latest 清单 of the visit).
    by_number = {i.number: documents.load_document(ctx, i.id).values for i in items if i.number}
    for item in items:
        values = documents.load_document(ctx, item.id).values
        decision = values.get("decision_number") or values.get("preservation_number")
        if item.form_id in ("yanchang_qiangzhi", "jiechu_qiangzhi", "jiechu_baocun"):
            assert decision and values["list_number"] == by_number[decision]["list_number"], item.form_id
    # The 封条 goes on the seized goods (程序规定第四十一条), never on the 先行登记保存's (第三十四条).
    [seal] = [i for i in items if i.form_id == "fengtiao"]
    strip = documents.load_document(ctx, seal.id).values
    kinds = {m.kind: m for m in measures.list_measures(ctx, seal.matter_id)}
    assert strip["measure"] == MeasureKind.SEIZE.label and strip["doc_number"] in by_number
    assert kinds[MeasureKind.SEIZE].items[0].name in strip["sealed_items"]
    assert kinds[MeasureKind.PRESERVATION].items[0].name not in strip["sealed_items"]
    # The hold and the seizure are open on the due board with the documents that settle them.
    due = {d.kind: d for d in open_deadlines(ctx) if d.kind in ("preservation", "seize")}
    assert due["preservation"].forms == ("jiechu_baocun",)
    assert due["seize"].forms == ("yanchang_qiangzhi", "jiechu_qiangzhi")
