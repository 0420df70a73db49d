"""Thumbnails on forms: bytes passed in by the caller, laid out in rows over pages, missing ones boxed."""

from __future__ import annotations

import io

import pypdf
import pytest
from PIL import Image

from fieldkit.catalog import load_formdef
from fieldkit.domain.forms import FieldType, validate_values
from fieldkit.printing.samples import PHOTO_HASHES, sample_images
from tests.examples import EXAMPLES
from tests.printing.conftest import page_texts, render, squash, without_decoration


def jpeg(size: tuple[int, int], colour: str | tuple[int, int, int] = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def embedded_images(data: bytes) -> list[tuple[int, int]]:
    """(width, height) in pixels of every picture placed on any page."""
    out = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for x in (page["/Resources"].get_object().get("/XObject") or {}).values():
            x = x.get_object()
            if x.get("/Subtype") == "/Image":
                out.append((int(x["/Width"]), int(x["/Height"])))
    return out


def fake_sha(i: int) -> str:
    return f"{i:064x}"


def test_each_photo_is_printed_with_its_name_time_and_hash(formdefs):
    formdef = formdefs["zhengju_tiqu"]
    data, result = render(formdef, EXAMPLES["zhengju_tiqu"], images=sample_images())
    assert len(embedded_images(data)) == len(PHOTO_HASHES)
    text = squash("".join(page_texts(data)))
    for i, (name, sha) in enumerate(PHOTO_HASHES.items()):
        assert name in text
        assert f"拍摄时间：2026年3月5日9时{50 + i}分" in text
        assert sha[:32] in text and sha[32:] in text  # hash = "full": 64 digits in two lines
    assert "（图片缺失）" not in text and result.missing_chars == ()


def test_a_hash_without_bytes_prints_a_framed_box_and_broken_bytes_say_so(formdefs):
    formdef = formdefs["zhengju_tiqu"]
    names = list(PHOTO_HASHES.values())
    images = {names[0]: sample_images()[names[0]], names[1]: b"\xff\xd8\xff\xe0 not really a jpeg"}
    data, _ = render(formdef, EXAMPLES["zhengju_tiqu"], images=images)
    text = squash("".join(page_texts(data)))
    assert len(embedded_images(data)) == 1
    assert text.count("（图片缺失）") == 2
    assert text.count("（图片无法显示）") == 1
    # no bytes at all (e.g. `fieldkit render` from a JSON file): every photo is a box, nothing fails
    data, _ = render(formdef, EXAMPLES["zhengju_tiqu"])
    assert squash("".join(page_texts(data))).count("（图片缺失）") == len(PHOTO_HASHES)


def test_many_photos_flow_over_pages_row_by_row_and_none_is_lost(formdefs):
    formdef = formdefs["zhengju_tiqu"]
    photos = [
        {
            "label": f"IMG_{i:04d}.JPG",
            "sha256": fake_sha(i),
            "caption": f"拍摄时间：2026年3月5日10时{i:02d}分",
        }
        for i in range(1, 31)
    ]
    images = {fake_sha(i): jpeg((256, 192) if i % 3 else (144, 256), (8 * i, 40, 120)) for i in range(1, 31)}
    data, result = render(formdef, {**EXAMPLES["zhengju_tiqu"], "photos": photos}, images=images)
    pages = page_texts(data)
    assert result.pages >= 4
    assert len(embedded_images(data)) == 30
    everything = "".join(without_decoration(t, formdef) for t in pages)
    positions = [everything.find(p["label"]) for p in photos]
    assert -1 not in positions and positions == sorted(positions)
    for page in pages[1:-1]:  # the block's title repeats on every page the pictures run over
        assert "照片（复制件）及校验值" in squash(page)


def test_pictures_are_deterministic_and_oversize_ones_are_scaled_down(formdefs):
    formdef = formdefs["zhengju_tiqu"]
    sha = fake_sha(7)
    noisy = io.BytesIO()  # a camera original: noise compresses badly, so it is megabytes
    Image.effect_noise((3000, 2000), 60).convert("RGB").save(noisy, "JPEG", quality=90)
    big = noisy.getvalue()
    rgba = Image.new("RGBA", (300, 200), (255, 0, 0, 0))
    png = io.BytesIO()
    rgba.save(png, "PNG")
    values = {
        **EXAMPLES["zhengju_tiqu"],
        "photos": [
            {"label": "原图.jpg", "sha256": sha, "caption": ""},
            {"label": "截图.png", "sha256": fake_sha(8), "caption": ""},
        ],
    }
    images = {sha: big, fake_sha(8): png.getvalue()}
    first, _ = render(formdef, values, images=images)
    second, _ = render(formdef, values, images=images)
    assert first == second
    sizes = sorted(embedded_images(first))
    assert sizes == [(300, 200), (1024, 683)]
    assert len(first) < len(big) / 3


def test_blank_copy_has_a_box_to_paste_prints_on_and_no_pictures(formdefs):
    formdef = formdefs["zhengju_tiqu"]
    data, _ = render(formdef, EXAMPLES["zhengju_tiqu"], images=sample_images(), blank=True)
    text = squash("".join(page_texts(data)))
    assert embedded_images(data) == []
    assert "照片、复制件粘贴处" in text and "IMG_" not in text


def test_image_values_are_checked():
    formdef = load_formdef("zhengju_tiqu")
    assert formdef.field("photos").type == FieldType.IMAGES
    base = {**EXAMPLES["zhengju_tiqu"]}
    import datetime as dt

    today = dt.date(2026, 3, 5)
    assert validate_values(formdef, base, today) == []
    bad = [
        {"label": "a.jpg", "sha256": "ABC"},
        "not a mapping",
        {"label": "b.jpg", "sha256": fake_sha(1), "gps": "x"},
        {"label": 3, "sha256": fake_sha(2)},
    ]
    messages = [p.message for p in validate_values(formdef, {**base, "photos": bad}, today)]
    assert messages == [
        "照片（复制件）：第 1 张图片的 SHA-256 校验值应为 64 位小写十六进制数",
        "照片（复制件）：第 2 张图片的格式不对（应有名称和校验值）",
        "照片（复制件）：第 3 张图片有未知项 gps",
        "照片（复制件）：第 4 张图片的名称应为文字",
    ]


@pytest.mark.parametrize(
    ("form_id", "column", "size"), [("dianzi_shuju_tiqu", "sha256", 7), ("zhengju_qingdan", "sha256", 7.5)]
)
def test_hash_columns_use_small_type(formdefs, form_id, column, size):
    col = next(
        c
        for c in formdefs[form_id].field("files" if form_id == "dianzi_shuju_tiqu" else "items").columns
        if c.key == column
    )
    assert col.font_size == size


def test_full_hash_in_a_table_prints_in_two_even_lines(formdefs):
    formdef = formdefs["dianzi_shuju_tiqu"]
    data, _ = render(formdef, EXAMPLES["dianzi_shuju_tiqu"])
    lines = [line.strip() for page in page_texts(data) for line in page.splitlines()]
    for row in EXAMPLES["dianzi_shuju_tiqu"]["files"]:
        sha = row["sha256"]
        assert sha[:32] in lines and sha[32:] in lines
        assert str(row["size"]) in "".join(lines)
