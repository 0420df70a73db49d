"""The demo's wording tells of its own visits: no 证据提取单 says its photos were taken on the sample's
March day while the inspection it belongs to was in another month (issue 9 item 8)."""

from __future__ import annotations

import datetime as dt

from fieldkit.domain import forms as F
from fieldkit.services import demo, documents, inspections
from fieldkit.services.context import SHANGHAI, Context
from tests.conftest import Clock


def test_times_in_the_demo_wording_are_the_visits_own(ctx: Context, clock: Clock) -> None:
    clock.now = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
    demo.load_demo(ctx, subject_count=24, inspection_count=12)
    (slip,) = [d for d in documents.list_documents(ctx) if d.form_id == "zhengju_tiqu"]
    doc = documents.load_document(ctx, slip.id)
    assert doc.matter_id is not None
    end = inspections.load_inspection(ctx, doc.matter_id).draft.end_at
    assert end is not None
    visit_day = F.format_date(end.astimezone(SHANGHAI).date())
    description = str(doc.values["description"])
    assert "2026年3月5日" not in description and visit_day in description, description
    photos = doc.values["photos"]
    assert photos and all(visit_day in str(p["caption"]) for p in photos), photos  # EXIF: the visit
    first = str(photos[0]["caption"]).removeprefix("拍摄时间：")
    assert first in description  # the wording names the moment the first photo was taken
