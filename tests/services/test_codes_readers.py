"""Whatever reads a code shows its label (issue 12 §4): documents print what the previous release
printed, the office's sheet is read in Chinese or in codes, a code no one knows is refused on import."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from fieldkit.bundle.canonical import parse_canonical
from fieldkit.bundle.compat import upgrade_record
from fieldkit.bundle.reader import RecordIn
from fieldkit.domain.inspections import Outcome
from fieldkit.domain.subjects import SubjectType
from fieldkit.services import at_rest, documents, evidence, exchange, inspections, issuing, record_checks
from fieldkit.services.context import Context, open_context
from fieldkit.services.subject_import import import_subjects
from fieldkit.services.subjects import search_subject_ids, subject_items
from tests.conftest import Clock
from tests.fixtures.previous_release import BUNDLE_V1, unpack_store


def pdftotext(data: bytes, tmp_path: Path, name: str) -> str:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def migrated(tmp_path: Path, clock: Clock) -> Context:
    return open_context(unpack_store(tmp_path / "laptop"), clock=clock)


def _old(ctx: Context, form_id: str) -> documents.Document:
    (item,) = [d for d in documents.list_documents(ctx) if d.form_id == form_id]
    return documents.load_document(ctx, item.id)


def test_documents_drafted_after_the_migration_say_what_the_previous_release_printed(
    migrated: Context, tmp_path: Path
) -> None:
    ctx = migrated
    extraction = _old(ctx, "zhengju_tiqu")
    listing = _old(ctx, "zhengju_qingdan")
    decision = _old(ctx, "dangchang_chufa")
    notice = _old(ctx, "zeling_gaizheng")
    assert extraction.values["evidence_kind"] == "视听资料"  # as that release printed it

    items = {i.draft.name: i for i in evidence.list_evidence(ctx, extraction.matter_id)}
    photo = items[extraction.values["evidence_name"]]
    new_extraction = issuing.new_document(ctx, "zhengju_tiqu", extraction.matter_id, item_id=photo.id)
    new_listing = issuing.new_document(ctx, "zhengju_qingdan", listing.matter_id)
    new_decision = documents.create_document(ctx, "dangchang_chufa", decision.matter_id)
    # The demo's notice was written by hand (its visit ended 轻微免罚); a 责令改正 visit with a deadline
    # is what pre-fills 限期改正.
    listed = inspections.inspection_items(ctx, list(inspections.inspection_ids(ctx)))
    rectified = next(i.id for i in listed if i.outcome is Outcome.RECTIFY)
    assert inspections.load_inspection(ctx, rectified).draft.rectify_deadline is not None
    new_notice = documents.create_document(ctx, "zeling_gaizheng", rectified)

    def values(document_id: Any) -> dict[str, Any]:
        return documents.load_document(ctx, document_id).values

    assert values(new_extraction)["evidence_kind"] == extraction.values["evidence_kind"]
    kinds = [row.get("kind") for row in values(new_listing)["items"]]
    assert kinds == [row.get("kind") for row in listing.values["items"]] == ["视听资料", "电子数据"]
    assert values(new_decision)["party_type"] == decision.values["party_type"] == "法人或者其他组织"
    assert values(new_notice)["correction_mode"] == notice.values["correction_mode"] == "限期改正"

    # On paper: the label, as on the PDF that release finalised, never the code.
    with at_rest.files_of(ctx).open(extraction.revisions[-1].pdf_sha256) as f:
        old_pdf = pdftotext(f.read(), tmp_path, "old")
    for document_id, name in ((new_extraction, "extraction"), (new_listing, "listing")):
        text = pdftotext(documents.preview(ctx, document_id).pdf, tmp_path, name)
        assert "视听资料" in text and "audiovisual" not in text and "electronic" not in text
    assert "视听资料" in old_pdf


def test_the_office_sheet_may_name_the_type_by_label_or_by_code(ctx: Context, tmp_path: Path) -> None:
    sheet = tmp_path / "名录.csv"
    sheet.write_text(
        "名称,住所,主体类型\n"
        "兰山区某果蔬专业合作社,兰山区解放路1号,农民专业合作社\n"
        "兰山区某行业协会,兰山区解放路2号,other_org\n"
        "兰山区某商店,兰山区解放路3号,个体工商户\n",
        encoding="utf-8",
    )
    assert import_subjects(ctx, sheet).accepted == 3
    kinds = {s.name: s.subject_type for s in subject_items(ctx, search_subject_ids(ctx, ""))}
    assert kinds == {
        "兰山区某果蔬专业合作社": SubjectType.COOPERATIVE,
        "兰山区某行业协会": SubjectType.OTHER_ORG,
        "兰山区某商店": SubjectType.INDIVIDUAL_BUSINESS,
    }


def _v1_records(record_type: str) -> list[RecordIn]:
    with zipfile.ZipFile(BUNDLE_V1) as zf:
        names = [n for n in zf.namelist() if n.startswith(f"records/{record_type}/")]
        bodies = [parse_canonical(zf.read(n)) for n in names]
    return [
        RecordIn(
            b["type"], b["id"], b["version"], b["device_id"], upgrade_record(1, b["type"], b["data"]), ""
        )
        for b in bodies
    ]


def test_a_code_this_program_does_not_know_is_refused_naming_the_field(set_up_ctx: Context) -> None:
    subject, *_ = _v1_records("subject")
    inspection = next(r for r in _v1_records("inspection") if r.data["checks"])
    assert subject.data["subject_type"] in {m.value for m in SubjectType}  # the label became its code

    def problems(record: RecordIn) -> list[str]:
        with set_up_ctx.sessions() as session:
            return record_checks.check_records(
                session,
                {record.type: [record]},
                exchange.BY_TYPE,
                exchange.RECORD_NAMES,
                files_in_bundle=(),
                file_in_store=lambda _sha: True,
            )

    assert not [p for p in problems(subject) if "代码" in p]
    subject.data["subject_type"] = "corporation"
    assert any("subject_type" in p and "“corporation”" in p and "enterprise" in p for p in problems(subject))
    inspection.data["checks"][0]["result"] = "基本符合"
    inspection.data["outcome"] = "警告"
    found = problems(inspection)
    assert any("检查事项第 1 项" in p and "基本符合" in p for p in found)
    assert any("outcome" in p and "“警告”" in p for p in found)
