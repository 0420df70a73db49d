"""The demo data is something a legal reviewer could sign off: every demo document passes every pre-print
check and renders, and every number it cites is one of this agency's real documents (issue 9)."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldkit.domain.numbering import parse_number
from fieldkit.printing.formdefs import load_formdefs
from fieldkit.services import demo, documents
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
        if item.status == documents.DocumentStatus.FINAL:
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
    # The hold and the seizure are open on the due board with the documents that settle them.
    due = {d.kind: d for d in open_deadlines(ctx) if d.kind in ("preservation", "seize")}
    assert due["preservation"].forms == ("jiechu_baocun",)
    assert due["seize"].forms == ("yanchang_qiangzhi", "jiechu_qiangzhi")
