"""Evidence items with hashed files, freezing, verification; measures, follow-ups and what is due."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PIL import Image

from fieldkit.domain.evidence import EvidenceDraft, EvidenceKind
from fieldkit.domain.inspections import InspectionType
from fieldkit.domain.measures import GoodsLine, MeasureDraft, MeasureKind, MeasureStatus
from fieldkit.errors import FieldkitError, ValidationFailed
from fieldkit.services import evidence, measures
from fieldkit.services.context import Context
from fieldkit.services.due import open_deadlines
from fieldkit.services.inspections import new_inspection
from fieldkit.store import audit
from tests import rawdb
from tests.conftest import Clock


def photo(path: Path, colour: str, taken: str | None = "2026:03:02 10:15:00") -> Path:
    image = Image.new("RGB", (640, 480), colour)
    if taken is None:
        image.save(path, "JPEG")
        return path
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = taken  # DateTimeOriginal
    image.save(path, "JPEG", exif=exif.tobytes())
    return path


def test_files_are_stored_by_hash_once_with_exif_and_thumbnails(set_up_ctx: Context, tmp_path: Path) -> None:
    inspection_id = new_inspection(set_up_ctx)
    item_id = evidence.add_evidence_item(
        set_up_ctx, inspection_id, EvidenceDraft(name="现场照片", proves="过期食品与正常食品混放")
    )
    card = tmp_path / "DCIM"
    card.mkdir()
    photo(card / "IMG_0001.JPG", "red")
    photo(card / "IMG_0002.JPG", "blue", taken=None)
    (card / "IMG_0003.JPG").write_bytes(b"\xff\xd8\xff\xe0 broken jpeg")  # still evidence
    (card / "Thumbs.db").write_bytes(b"x")
    original = (card / "IMG_0001.JPG").read_bytes()
    mtime = os.stat(card / "IMG_0001.JPG").st_mtime_ns
    seen: list[tuple[int, int]] = []
    report = evidence.add_files(set_up_ctx, item_id, [card], progress=lambda d, t: seen.append((d, t)))
    assert (report.added, report.already_attached, report.failed) == (3, 0, [])
    assert seen[-1][0] == seen[-1][1]
    again = evidence.add_files(set_up_ctx, item_id, [card / "IMG_0001.JPG"])
    assert (again.added, again.already_attached) == (0, 1)
    assert (card / "IMG_0001.JPG").read_bytes() == original and os.stat(
        card / "IMG_0001.JPG"
    ).st_mtime_ns == mtime
    [item] = evidence.list_evidence(set_up_ctx, inspection_id)
    files = {f.original_name: f for f in item.files}
    assert files["IMG_0001.JPG"].taken_at is not None and files["IMG_0001.JPG"].thumbnail_sha256
    assert files["IMG_0002.JPG"].exif_status == "none"
    assert (
        files["IMG_0003.JPG"].exif_status == "unreadable" and files["IMG_0003.JPG"].thumbnail_sha256 is None
    )
    assert item.draft.collected_place == "" and item.seq == 1


def test_missing_files_are_reported_and_the_rest_attached(set_up_ctx: Context, tmp_path: Path) -> None:
    inspection_id = new_inspection(set_up_ctx)
    item_id = evidence.add_evidence_item(
        set_up_ctx, inspection_id, EvidenceDraft(name="票据复印件", kind=EvidenceKind.DOCUMENTARY)
    )
    good = photo(tmp_path / "a.jpg", "green")
    report = evidence.add_files(set_up_ctx, item_id, [tmp_path / "gone.jpg", good])
    assert report.added == 1 and report.failed[0]["file"].endswith("gone.jpg")
    assert "找不到文件" in report.failed[0]["reason"]


def test_finalised_evidence_changes_only_with_a_reason(set_up_ctx: Context, tmp_path: Path) -> None:
    inspection_id = new_inspection(set_up_ctx)
    item_id = evidence.add_evidence_item(set_up_ctx, inspection_id, EvidenceDraft(name="进货单"))
    assert evidence.finalise_evidence(set_up_ctx, inspection_id) == 1
    with pytest.raises(ValidationFailed, match="变更理由"):
        evidence.update_evidence_item(set_up_ctx, item_id, EvidenceDraft(name="进货单（复印件）"))
    with pytest.raises(FieldkitError, match="已定稿"):
        evidence.add_files(set_up_ctx, item_id, [photo(tmp_path / "b.jpg", "white")])
    evidence.update_evidence_item(
        set_up_ctx, item_id, EvidenceDraft(name="进货单（复印件）"), reason="名称补充"
    )
    [item] = evidence.list_evidence(set_up_ctx, inspection_id)
    assert item.version == 3 and item.status == "final"
    with set_up_ctx.sessions() as session:
        assert audit.verify_chain(session) is None


def test_verify_names_a_changed_or_missing_file(set_up_ctx: Context, tmp_path: Path) -> None:
    inspection_id = new_inspection(set_up_ctx)
    item_id = evidence.add_evidence_item(set_up_ctx, inspection_id, EvidenceDraft(name="照片"))
    evidence.add_files(
        set_up_ctx, item_id, [photo(tmp_path / "a.jpg", "red"), photo(tmp_path / "b.jpg", "blue")]
    )
    assert evidence.verify_files(set_up_ctx) == []
    a, b = evidence.list_evidence(set_up_ctx, inspection_id)[0].files
    stored = evidence.store(set_up_ctx).path_of(a.sha256)
    os.chmod(stored, 0o644)
    stored.write_bytes(b"tampered")
    evidence.store(set_up_ctx).path_of(b.sha256).unlink()
    problems = {p.sha256: p.kind for p in evidence.verify_files(set_up_ctx)}
    assert problems == {a.sha256: "changed", b.sha256: "missing"}


def test_preservation_lapses_after_seven_working_days(set_up_ctx: Context, clock: Clock) -> None:
    inspection_id = new_inspection(set_up_ctx)
    hold = measures.add_measure(
        set_up_ctx,
        inspection_id,
        MeasureDraft(
            MeasureKind.PRESERVATION,
            decided_on=dt.date(2026, 3, 2),
            storage_place="当事人仓库",
            items=(GoodsLine("某某牌原味酸奶", "200g/盒", "2026-02-10", "某乳业公司", "盒", "12"),),
        ),
    )
    [m] = measures.list_measures(set_up_ctx, inspection_id)
    assert m.due == dt.date(2026, 3, 11) and m.status == "active"
    [due] = open_deadlines(set_up_ctx)
    assert due.record_id == hold and due.urgency == "open" and "第五十六条" in due.basis
    clock.advance(days=10)
    assert measures.list_measures(set_up_ctx, inspection_id)[0].status == "lapsed"
    assert open_deadlines(set_up_ctx)[0].urgency == "overdue"


def test_seizure_can_be_extended_once(set_up_ctx: Context) -> None:
    inspection_id = new_inspection(set_up_ctx)
    seize = measures.add_measure(
        set_up_ctx,
        inspection_id,
        MeasureDraft(
            MeasureKind.SEIZE,
            dt.date(2026, 3, 2),
            storage_place="本局罚没物品仓库",
            items=(GoodsLine("燃气灶", quantity="3"),),
        ),
    )
    assert "封" in measures.list_measures(set_up_ctx)[0].seal_text
    # Day 60, 劳动节 or not.
    assert measures.extend_seizure(set_up_ctx, seize, "需检验") == dt.date(2026, 5, 1)
    with pytest.raises(FieldkitError, match="只能延长一次"):
        measures.extend_seizure(set_up_ctx, seize, "再延")
    measures.end_measure(set_up_ctx, seize, MeasureStatus.RELEASED, "检验合格，解除扣押")
    assert open_deadlines(set_up_ctx) == []


def test_goods_list_rules() -> None:
    from fieldkit.domain.measures import validate_measure

    problems = validate_measure(
        MeasureDraft(MeasureKind.SEAL, dt.date(2026, 3, 2), items=(GoodsLine("", quantity=""),))
    )
    assert {p.code for p in problems} == {"name", "quantity", "required"}


def test_a_tampered_audit_row_is_caught(set_up_ctx: Context) -> None:
    new_inspection(set_up_ctx)
    with rawdb.connect(set_up_ctx.data_dir / "fieldkit.db") as conn:
        conn.execute(
            "UPDATE audit_log SET detail = '{\"x\": 1}' WHERE seq = (SELECT max(seq) FROM audit_log)"
        )
    with set_up_ctx.sessions() as session:
        assert audit.verify_chain(session) is not None


def completed_with_rectify_deadline(ctx: Context, deadline: dt.date) -> object:
    """An inspection completed with a failed check and 责令改正 by `deadline`: its id."""
    from dataclasses import replace

    from fieldkit.domain.checklists import CheckResult
    from fieldkit.domain.inspections import Outcome
    from fieldkit.services.inspections import complete_inspection
    from tests.services.test_inspections import complete_draft

    inspection_id, draft = complete_draft(ctx)
    checks = (replace(draft.checks[0], result=CheckResult.FAIL), *draft.checks[1:])
    complete_inspection(
        ctx,
        inspection_id,  # type: ignore[arg-type]
        replace(
            draft, checks=checks, outcome=Outcome.RECTIFY, rectify_deadline=deadline, findings="见检查事项"
        ),
    )
    return inspection_id


def test_rectification_deadline_schedules_a_recheck(set_up_ctx: Context) -> None:
    completed_with_rectify_deadline(set_up_ctx, dt.date(2026, 3, 6))
    [due] = open_deadlines(set_up_ctx)
    assert due.kind == InspectionType.RECHECK and due.due == dt.date(
        2026, 3, 9
    )  # the Monday after a Friday deadline
    assert due.subject_name == "临沂市金源家超市有限公司"


def test_due_dates_follow_holiday_data_imported_later(
    set_up_ctx: Context, clock: Clock, tmp_path: Path
) -> None:
    """The measure list and the due board read the same calendar, as it is now (issue 9 item 10)."""
    from fieldkit.catalog import import_holiday_file

    clock.now = dt.datetime(2026, 12, 30, 2, 0, tzinfo=dt.UTC)
    inspection_id = new_inspection(set_up_ctx)
    measures.add_measure(
        set_up_ctx,
        inspection_id,
        MeasureDraft(
            MeasureKind.PRESERVATION,
            decided_on=dt.date(2026, 12, 30),
            storage_place="当事人仓库",
            items=(GoodsLine("某某牌原味酸奶", quantity="12"),),
        ),
    )
    # No 2027 data yet: weekends only, so the 7th working day is Friday 2027-01-08.
    assert measures.list_measures(set_up_ctx)[0].due == dt.date(2027, 1, 8)
    notice = tmp_path / "通知.toml"
    notice.write_text(
        'year = 2027\nsource = "国务院办公厅关于 2027 年部分节假日安排的通知"\n'
        "holidays = [2027-01-01, 2027-01-02, 2027-01-03]\nworkdays = []\n",
        encoding="utf-8",
    )
    import_holiday_file(notice, set_up_ctx.data_dir)
    clock.now = dt.datetime(2027, 1, 9, 2, 0, tzinfo=dt.UTC)  # after the old due day, before the new
    [m] = measures.list_measures(set_up_ctx)
    [due] = open_deadlines(set_up_ctx)
    assert m.due == due.due == dt.date(2027, 1, 11)
    assert m.status == "active" and due.urgency == "due_soon" and due.label == "剩 1 个工作日"


def test_a_seizure_ending_in_a_holiday_is_due_on_day_thirty(set_up_ctx: Context, clock: Clock) -> None:
    clock.now = dt.datetime(2026, 9, 1, 2, 0, tzinfo=dt.UTC)
    inspection_id = new_inspection(set_up_ctx)
    measures.add_measure(
        set_up_ctx,
        inspection_id,
        MeasureDraft(
            MeasureKind.SEAL,
            dt.date(2026, 9, 1),
            storage_place="当事人仓库",
            items=(GoodsLine("燃气灶", quantity="3"),),
        ),
    )
    [m] = measures.list_measures(set_up_ctx)
    [due] = open_deadlines(set_up_ctx)
    assert m.due == due.due == dt.date(2026, 10, 1)  # 国庆节: no rollover (行政强制法第二十五条)


def test_a_measure_cannot_be_dated_in_the_future(set_up_ctx: Context) -> None:
    inspection_id = new_inspection(set_up_ctx)
    tomorrow = set_up_ctx.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        measures.add_measure(
            set_up_ctx,
            inspection_id,
            MeasureDraft(
                MeasureKind.SEIZE, tomorrow, storage_place="仓库", items=(GoodsLine("燃气灶", quantity="3"),)
            ),
        )
    assert [p.field for p in refused.value.problems] == ["decided_on"]
    assert measures.list_measures(set_up_ctx, inspection_id) == []


def test_a_recheck_moves_with_holiday_data_imported_later(set_up_ctx: Context, tmp_path: Path) -> None:
    from fieldkit.catalog import import_holiday_file

    # A Friday; 2027 has no holiday data yet.
    inspection_id = completed_with_rectify_deadline(set_up_ctx, dt.date(2027, 1, 29))
    assert [d.due for d in open_deadlines(set_up_ctx)] == [dt.date(2027, 2, 1)]
    notice = tmp_path / "2027.toml"
    notice.write_text(
        'year = 2027\nsource = "国务院办公厅关于 2027 年部分节假日安排的通知"\n'
        "holidays = [2027-02-01]\nworkdays = []\n",
        encoding="utf-8",
    )
    import_holiday_file(notice, set_up_ctx.data_dir)
    assert [d.due for d in open_deadlines(set_up_ctx)] == [dt.date(2027, 2, 2)]  # computed on read
    # A 复查 set by hand keeps its day.
    measures.add_follow_up(
        set_up_ctx, inspection_id, InspectionType.RECHECK, dt.date(2027, 2, 1), "当事人申请提前复查"
    )
    assert dt.date(2027, 2, 1) in [d.due for d in open_deadlines(set_up_ctx)]


def test_evidence_cannot_be_collected_in_the_future(set_up_ctx: Context) -> None:
    inspection_id = new_inspection(set_up_ctx)
    later = set_up_ctx.now() + dt.timedelta(hours=2)
    with pytest.raises(ValidationFailed) as refused:
        evidence.add_evidence_item(
            set_up_ctx, inspection_id, EvidenceDraft(name="现场照片", collected_at=later)
        )
    assert [p.field for p in refused.value.problems] == ["collected_at"]
    assert "晚于当前时间" in refused.value.problems[0].message
    earlier = set_up_ctx.now() - dt.timedelta(minutes=5)
    assert evidence.add_evidence_item(
        set_up_ctx, inspection_id, EvidenceDraft(name="现场照片", collected_at=earlier)
    )
