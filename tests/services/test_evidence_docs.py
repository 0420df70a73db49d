"""Evidence and measure documents: values from the records, thumbnails read for printing, hashes on paper."""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from fieldkit.catalog import load_formdef
from fieldkit.domain.documents import DocState
from fieldkit.domain.evidence import EvidenceDraft, EvidenceKind
from fieldkit.domain.measures import GoodsLine, MeasureDraft, MeasureKind
from fieldkit.errors import FieldkitError, NotFound
from fieldkit.services import documents as docs
from fieldkit.services import evidence, evidence_docs, issuing, measures
from fieldkit.services.context import Context
from tests.services.test_documents import make_inspection


def photo(
    path: Path, colour: str, size: tuple[int, int] = (800, 600), taken: str = "2026:03:02 10:15:00"
) -> Path:
    """A real JPEG with an EXIF capture time, as a camera writes it."""
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 40):  # some structure, so the picture is not one flat colour
        image.paste("white", (x, size[1] // 3, x + 20, size[1] // 3 + 60))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = taken  # DateTimeOriginal
    image.save(path, "JPEG", exif=exif.tobytes(), quality=85)
    return path


def pdf_text(data: bytes) -> str:
    return "".join("".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def image_count(data: bytes) -> int:
    count = 0
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        xobjects = page["/Resources"].get_object().get("/XObject") or {}
        count += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")
    return count


@pytest.fixture
def scene(set_up_ctx: Context, tmp_path: Path) -> dict[str, uuid.UUID]:
    """An inspection with three photos, a spreadsheet export and a seizure of goods."""
    ctx = set_up_ctx
    inspection_id = make_inspection(ctx)  # type: ignore[assignment]
    photos = evidence.add_evidence_item(
        ctx,
        inspection_id,  # type: ignore[arg-type]
        EvidenceDraft(
            name="过期酸奶现场照片",
            kind=EvidenceKind.AUDIOVISUAL,
            source="执法人员现场拍摄",
            proves="当事人经营超过保质期的食品",
            collected_by=("张建国", "李晓梅"),
        ),
    )
    card = tmp_path / "DCIM"
    card.mkdir()
    photo(card / "IMG_0001.JPG", "red")
    photo(card / "IMG_0002.JPG", "navy", size=(600, 800), taken="2026:03:02 10:16:30")
    photo(card / "IMG_0003.JPG", "olive")
    assert evidence.add_files(ctx, photos, [card]).added == 3
    data = evidence.add_evidence_item(
        ctx,
        inspection_id,  # type: ignore[arg-type]
        EvidenceDraft(
            name="收银软件销售记录",
            kind=EvidenceKind.ELECTRONIC,
            source="收银电脑（联想 M720）",
            proves="涉案酸奶的销售数量",
            collected_by=("张建国",),
        ),
    )
    export = tmp_path / "销售记录.csv"
    export.write_text("日期,商品,数量\n2026-02-20,原味酸奶,12\n", encoding="utf-8")
    assert evidence.add_files(ctx, data, [export]).added == 1
    seizure = measures.add_measure(
        ctx,
        inspection_id,  # type: ignore[arg-type]
        MeasureDraft(
            MeasureKind.SEIZE,
            dt.date(2026, 3, 2),
            storage_place="本局涉案财物保管室",
            items=(
                GoodsLine("某某牌原味酸奶", "200g/盒", "2026-02-10", "某某乳业有限公司", "盒", "12"),
                GoodsLine("某某牌草莓味酸奶", "200g/盒", "2026-02-12", "某某乳业有限公司", "盒", "6", "仓库"),
            ),
        ),
    )
    return {"inspection": inspection_id, "photos": photos, "data": data, "seizure": seizure}  # type: ignore[dict-item]


def test_finalised_evidence_list_prints_every_file_hash_and_freezes_the_evidence(
    set_up_ctx: Context, scene: dict[str, uuid.UUID]
) -> None:
    ctx = set_up_ctx
    document_id = issuing.from_record(ctx, "zhengju_qingdan", scene["inspection"])
    values = docs.load_document(ctx, document_id).values
    assert values["party_name"] == "临沂市金源家超市有限公司"  # from the inspection
    first, second = values["items"]
    assert (first["seq"], first["name"], first["kind"], first["quantity"]) == (
        "1",
        "过期酸奶现场照片",
        "视听资料",
        "3 张",
    )
    assert first["collected_by"] == "张建国、李晓梅" and first["collected_at"] == "2026-03-02T10:00"
    assert (second["seq"], second["quantity"]) == ("2", "1 个文件")

    result = docs.print_document(ctx, document_id, actor="张建国", accept_warnings=True)
    assert result.action == "finalise" and result.pages >= 1
    text = pdf_text(result.pdf)
    items = evidence.list_evidence(ctx, scene["inspection"])
    hashes = [f.sha256 for item in items for f in item.files]
    assert len(hashes) == 4
    for sha in hashes:
        assert sha[:16] in text
    assert "证据清单" in text.replace("证据清单（续页）", "") and "临沂市金源家超市有限公司" in text
    assert all(item.status == "final" for item in items)  # chain of custody: frozen with the list
    assert docs.stored_pdf(ctx, document_id) == result.pdf
    assert docs.print_document(ctx, document_id).pdf == result.pdf  # a reprint is the same paper


def test_an_item_with_many_files_continues_in_rows_marked_same_as_above(
    set_up_ctx: Context, scene: dict[str, uuid.UUID], tmp_path: Path
) -> None:
    ctx = set_up_ctx
    item_id = evidence.add_evidence_item(ctx, scene["inspection"], EvidenceDraft(name="进货票据扫描件"))
    scans = tmp_path / "scans"
    scans.mkdir()
    for i in range(19):
        (scans / f"scan_{i:02d}.pdf").write_bytes(f"%PDF-1.4 票据 {i}".encode())
    evidence.add_files(ctx, item_id, [scans])
    rows = evidence_docs.evidence_list_values(ctx, scene["inspection"])["items"]
    third = [r for r in rows if r["name"] in ("进货票据扫描件", "同上")]
    assert [r["name"] for r in third] == ["进货票据扫描件", "同上", "同上"]
    assert [len(r["sha256"].split("\n")) for r in third] == [8, 8, 3]
    document_id = issuing.from_record(ctx, "zhengju_qingdan", scene["inspection"])
    text = pdf_text(docs.preview(ctx, document_id).pdf)
    for item in evidence.list_evidence(ctx, scene["inspection"]):
        for f in item.files:
            assert f.sha256[:16] in text


def test_extraction_slip_shows_the_thumbnails_with_names_times_and_full_hashes(
    set_up_ctx: Context, scene: dict[str, uuid.UUID]
) -> None:
    ctx = set_up_ctx
    document_id = issuing.from_record(ctx, "zhengju_tiqu", scene["inspection"], item_id=scene["photos"])
    values = docs.load_document(ctx, document_id).values
    assert values["evidence_name"] == "过期酸奶现场照片" and values["evidence_form"] == "照片"
    assert values["evidence_kind"] == "视听资料" and values["quantity"] == "3 张"
    assert [o["cert_no"] for o in values["officers"]] == ["37130219001", "37130219002"]
    assert values["issue_date"] == "2026-03-02"
    photos = values["photos"]
    assert [p["label"] for p in photos] == ["IMG_0001.JPG", "IMG_0002.JPG", "IMG_0003.JPG"]
    assert photos[1]["caption"] == "拍摄时间：2026年3月2日10时16分"
    thumbs = evidence_docs.thumbnail_bytes(ctx, [p["sha256"] for p in photos])
    assert set(thumbs) == {p["sha256"] for p in photos}
    assert all(Image.open(io.BytesIO(b)).size[0] <= 256 for b in thumbs.values())  # thumbnails, not originals

    problems = docs.check_document(ctx, document_id)
    assert [p.message for p in problems if p.is_error] == []
    result = docs.print_document(ctx, document_id, accept_warnings=True)
    assert image_count(result.pdf) == 3
    text = pdf_text(result.pdf)
    for p in photos:
        assert p["label"] in text and p["sha256"][:32] in text and p["sha256"][32:] in text
    assert "经核对，上述复制件（照片）与原件（原物）一致" in text and "（图片缺失）" not in text


def test_a_missing_or_changed_thumbnail_prints_as_a_framed_box(
    set_up_ctx: Context, scene: dict[str, uuid.UUID]
) -> None:
    ctx = set_up_ctx
    [item] = [i for i in evidence.list_evidence(ctx, scene["inspection"]) if i.id == scene["photos"]]
    changed, gone, kept = item.files
    store = evidence.store(ctx)
    path = store.path_of(changed.thumbnail_sha256)  # type: ignore[arg-type]
    os.chmod(path, 0o644)
    path.write_bytes(b"\xff\xd8 not the thumbnail any more")
    store.path_of(gone.thumbnail_sha256).unlink()  # type: ignore[arg-type]
    thumbs = evidence_docs.thumbnail_bytes(ctx, [f.sha256 for f in item.files])
    assert set(thumbs) == {kept.sha256}
    document_id = issuing.from_record(ctx, "zhengju_tiqu", scene["inspection"], item_id=scene["photos"])
    pdf = docs.preview(ctx, document_id).pdf
    assert image_count(pdf) == 1
    assert pdf_text(pdf).count("（图片缺失）") == 2


def test_electronic_data_record_lists_sizes_and_full_hashes(
    set_up_ctx: Context, scene: dict[str, uuid.UUID]
) -> None:
    ctx = set_up_ctx
    document_id = issuing.from_record(ctx, "dianzi_shuju_tiqu", scene["inspection"], item_id=scene["data"])
    values = docs.load_document(ctx, document_id).values
    [f] = evidence.list_evidence(ctx, scene["inspection"])[1].files
    assert values["files"] == [{"name": "销售记录.csv", "size": f.size, "sha256": f.sha256, "method": "复制"}]
    assert values["carrier"] == "收银电脑（联想 M720）" and values["maker"] == "张建国"
    assert values["party_name"] == "临沂市金源家超市有限公司" and "end_at" not in values
    text = pdf_text(docs.preview(ctx, document_id).pdf)
    assert f.sha256 in text and str(f.size) in text


def test_goods_list_and_seal_strip_come_from_the_measure(
    set_up_ctx: Context, scene: dict[str, uuid.UUID]
) -> None:
    ctx = set_up_ctx
    goods = evidence_docs.goods_list_values(ctx, scene["seizure"])
    assert goods["related_doc"] == "实施行政强制措施决定书"
    keys = [c.key for c in load_formdef("caiwu_qingdan").field("items").columns]
    assert keys == ["name", "spec", "batch", "producer", "unit", "quantity", "place", "note"]
    assert goods["items"][0] == {
        "name": "某某牌原味酸奶",
        "spec": "200g/盒",
        "batch": "2026-02-10",
        "producer": "某某乳业有限公司",
        "unit": "盒",
        "quantity": "12",
        "place": "本局涉案财物保管室",  # the measure's storage place where the line names none
    }
    assert goods["items"][1]["place"] == "仓库"
    seal = evidence_docs.seal_values(ctx, scene["seizure"])
    assert seal == {
        "measure": "扣押",
        "sealed_items": "某某牌原味酸奶等 2 项（详见清单）",
        "seal_date": "2026-03-02",
    }

    list_id = issuing.from_record(ctx, "caiwu_qingdan", scene["inspection"], measure_id=scene["seizure"])
    text = pdf_text(docs.preview(ctx, list_id).pdf)
    assert "某某乳业有限公司" in text and "本局涉案财物保管室" in text
    seal_id = issuing.from_record(ctx, "fengtiao", scene["inspection"], measure_id=scene["seizure"])
    strip = pdf_text(docs.preview(ctx, seal_id).pdf)
    assert strip.count("擅自启封、转移、损毁的，依法追究法律责任") == 2  # two strips on the page
    assert strip.count(TEST_AGENCY_NAME) >= 2 and "某某牌原味酸奶等2项" in strip


def test_seal_strip_cites_the_number_of_the_decision(
    set_up_ctx: Context, scene: dict[str, uuid.UUID]
) -> None:
    ctx = set_up_ctx
    decision = docs.create_document(ctx, "qiangzhi_cuoshi", scene["inspection"])
    with ctx.sessions.begin() as session:
        from fieldkit.store.schema import DocumentRow

        session.get(DocumentRow, decision).number = "兰市监强措〔2026〕A1-3号"  # as finalising would
    assert evidence_docs.seal_values(ctx, scene["seizure"])["doc_number"] == "兰市监强措〔2026〕A1-3号"
    assert (
        evidence_docs.goods_list_values(ctx, scene["seizure"])["related_number"] == "兰市监强措〔2026〕A1-3号"
    )


def test_no_seal_strip_for_a_preservation(set_up_ctx: Context, scene: dict[str, uuid.UUID]) -> None:
    """封条 go on 查封/扣押 goods (程序规定第四十一条) and samples (第三十一条); a 先行登记保存 keeps the
    goods on its 清单 without one, as the measure dialog and the panel say: the service refuses it too."""
    ctx = set_up_ctx
    hold = measures.add_measure(
        ctx,
        scene["inspection"],
        MeasureDraft(
            MeasureKind.PRESERVATION,
            dt.date(2026, 3, 2),
            storage_place="当事人经营场所仓库",
            items=(GoodsLine("某某牌原味酸奶", "200g/盒", unit="盒", quantity="12"),),
        ),
    )
    before = len(docs.list_documents(ctx))
    with pytest.raises(FieldkitError, match=r"先行登记保存不加贴封条.*第四十一条"):
        issuing.from_record(ctx, "fengtiao", scene["inspection"], measure_id=hold)
    with pytest.raises(FieldkitError, match="先行登记保存不加贴封条"):
        evidence_docs.seal_values(ctx, hold)
    with pytest.raises(FieldkitError, match="查封、扣押或者抽样"):
        issuing.from_record(ctx, "fengtiao", scene["inspection"])
    assert len(docs.list_documents(ctx)) == before  # nothing half-made
    # its 清单 is still made, and a sample gets its 封条
    assert issuing.from_record(ctx, "caiwu_qingdan", scene["inspection"], measure_id=hold)
    sample = measures.add_measure(
        ctx,
        scene["inspection"],
        MeasureDraft(
            MeasureKind.SAMPLING,
            dt.date(2026, 3, 2),
            items=(GoodsLine("某某牌原味酸奶", "200g/盒", unit="盒", quantity="4"),),
        ),
    )
    seal_id = issuing.from_record(ctx, "fengtiao", scene["inspection"], measure_id=sample)
    assert docs.load_document(ctx, seal_id).values["measure"] == "抽样"
    assert not [p for p in docs.check_document(ctx, seal_id) if p.code == "preprint.seal.measure"]
    # a 封条 written by hand for the hold (措施 typed in) is refused before printing
    hand = docs.create_document(ctx, "fengtiao", scene["inspection"])
    docs.save_values(ctx, hand, {**docs.load_document(ctx, seal_id).values, "measure": "先行登记保存"})
    refused = [p for p in docs.check_document(ctx, hand) if p.code == "preprint.seal.measure"]
    assert refused and refused[0].is_error and "第四十一条" in refused[0].message
    with pytest.raises(docs.PrintBlocked, match="先行登记保存不加贴封条") as blocked:
        docs.print_document(ctx, hand, actor="张建国", accept_warnings=True)
    assert "preprint.seal.measure" in {p.code for p in blocked.value.hard}
    assert docs.load_document(ctx, hand).status == DocState.DRAFT


def test_documents_are_refused_for_the_wrong_inspection_or_form(
    set_up_ctx: Context, scene: dict[str, uuid.UUID]
) -> None:
    ctx = set_up_ctx
    other = make_inspection(ctx)
    with pytest.raises(NotFound, match="不属于这次检查"):
        issuing.from_record(ctx, "zhengju_tiqu", other, item_id=scene["photos"])  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="不属于这次检查"):
        issuing.from_record(ctx, "fengtiao", other, measure_id=scene["seizure"])  # type: ignore[arg-type]
    with pytest.raises(FieldkitError, match="请选择"):
        issuing.from_record(ctx, "dianzi_shuju_tiqu", scene["inspection"])
    with pytest.raises(FieldkitError, match="不是证据或者措施文书"):
        issuing.from_record(ctx, "xunwen_bilu", scene["inspection"])
    assert evidence_docs.thumbnail_bytes(ctx, []) == {}


TEST_AGENCY_NAME = "临沂市兰山区市场监督管理局"
