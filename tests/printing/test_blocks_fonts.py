"""The images and strip blocks and column type sizes in definitions; the fonts the print options choose; blank copies."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from fieldkit import paths
from fieldkit.catalog import check_forms, load_formdefs
from fieldkit.domain.forms import FieldType, ImagesBlock, StripBlock
from fieldkit.printing import fonts
from fieldkit.printing.options import FontChoice, PrintOptions, SystemFont
from fieldkit.printing.pdf import blank_values
from fieldkit.printing.samples import AGENCY, GOVERNMENT
from tests.examples import EXAMPLES
from tests.printing.conftest import fonts_of, meta_for, page_texts, render, squash

DEMO = """\
id = "demo"
title = "演示单"
code = "演示"
kind = "form"

[[fields]]
key = "photos"
label = "照片"
type = "images"

[[fields]]
key = "files"
label = "文件"
type = "table"
columns = [{ key = "name", label = "文件名" }, { key = "sha256", label = "校验值", font_size = 7 }]

[[fields]]
key = "measure"
label = "措施"
type = "text"

[[fields]]
key = "day"
label = "日期"
type = "date"

[[blocks]]
type = "images"
field = "photos"
title = "照片"
per_row = 4
hash = "short"
height_mm = 30

[[blocks]]
type = "table"
field = "files"

[[blocks]]
type = "strip"
copies = 3
text = ["{measure}"]
warning = "擅自启封的，依法追究法律责任"
date_field = "day"
signers = [{ label = "执法人员", count = 2, date = false }]
"""


def write(folder: Path, text: str) -> None:
    (folder / "demo.toml").write_text(text, encoding="utf-8")


def test_new_blocks_and_column_size_load(tmp_path):
    write(tmp_path, DEMO)
    assert check_forms(tmp_path) == []
    formdef = load_formdefs(tmp_path)["demo"]
    assert formdef.field("photos").type == FieldType.IMAGES
    images, _, strip = formdef.blocks
    assert images == ImagesBlock(field="photos", title="照片", per_row=4, hash="short", height_mm=30.0)
    assert isinstance(strip, StripBlock) and strip.copies == 3 and strip.title == "封　条"
    assert [c.font_size for c in formdef.field("files").columns] == [None, 7.0]


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        ('hash = "short"', 'hash = "medium"', "blocks[0:images].hash", "medium"),
        ("per_row = 4", "per_row = 9", "blocks[0:images].per_row", "最多 6"),
        ('field = "photos"', 'field = "measure"', "blocks[0:images].field", "images"),
        ("copies = 3", "copies = 5", "blocks[2:strip].copies", "最多 3"),
        ('text = ["{measure}"]', 'text = ["{measures}"]', "blocks[2:strip].text[0]", "measures"),
        ('date_field = "day"', 'date_field = "measure"', "blocks[2:strip].date_field", "date"),
        ("font_size = 7 }", 'font_size = "small" }', "fields[files].columns[sha256].font_size", "正数"),
        (
            'title = "照片"\nper_row',
            'title = "照片"\ncolumns = 2\nper_row',
            "blocks[0:images].columns",
            "未知",
        ),
    ],
)
def test_mistakes_in_the_new_blocks_are_named(tmp_path, old, new, key, words):
    assert old in DEMO
    write(tmp_path, DEMO.replace(old, new, 1))
    errors = check_forms(tmp_path)
    assert errors, new
    assert (errors[0].file, errors[0].key) == ("demo.toml", key)
    assert words in errors[0].problem


def test_an_images_field_cannot_sit_in_a_grid(tmp_path):
    write(tmp_path, DEMO + '\n[[blocks]]\ntype = "grid"\nrows = ["photos"]\n')
    [err] = check_forms(tmp_path)
    assert err.key == "blocks[3:grid].rows[0]"


def test_three_strips_fit_one_page(tmp_path):
    fields = DEMO[DEMO.index('[[fields]]\nkey = "measure"') : DEMO.index("[[blocks]]")]
    strip = DEMO[DEMO.index('[[blocks]]\ntype = "strip"') :]
    write(tmp_path, DEMO[: DEMO.index("[[fields]]")] + fields + strip)
    formdef = load_formdefs(tmp_path)["demo"]
    data, result = render(formdef, {"measure": "查封", "day": "2026-03-05"}, meta=meta_for(formdef))
    assert result.pages == 1
    text = squash(page_texts(data)[0])
    assert text.count("擅自启封的，依法追究法律责任") == 3 and text.count("2026年3月5日") == 3
    assert text.count(AGENCY) == 3 and text.count("沿此虚线剪开") == 2


def test_seal_strip_with_a_very_long_fill_in_shrinks_instead_of_overflowing(formdefs):
    formdef = formdefs["fengtiao"]
    long_items = (
        "某某牌原味酸奶、草莓味酸奶、黄桃味酸奶、蓝莓味酸奶、芒果味酸奶、无糖酸奶、老酸奶、酸奶饮品共计八种"
    )
    data, result = render(formdef, {**EXAMPLES["fengtiao"], "sealed_items": long_items * 2})
    assert result.pages == 1
    assert squash(long_items * 2) in squash(page_texts(data)[0])


# ---- fonts: chosen by the PrintOptions the caller passes (services read settings.toml, printing never does)


def system(*files: Path) -> PrintOptions:
    return PrintOptions(font=FontChoice.SYSTEM, system_fonts=tuple(SystemFont(f) for f in files))


def test_bundled_options_print_with_the_bundled_font():
    assert fonts.fonts_for(PrintOptions()) == fonts.register_fonts()


def test_system_font_without_a_usable_file_falls_back_to_the_bundled_one_with_a_log_line(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        assert fonts.fonts_for(system()) == fonts.register_fonts()  # not Windows: nothing to look for
        assert fonts.fonts_for(system(tmp_path / "simfang.ttf")) == fonts.register_fonts()  # no such file
    assert "using the bundled font" in caplog.text


def test_a_usable_system_font_is_used_and_a_damaged_one_skipped(tmp_path, caplog):
    folder = tmp_path / "Fonts"
    folder.mkdir()
    # not TrueType (e.g. a damaged file): skipped with a log line, then the bundled font
    (folder / "simfang.ttf").write_bytes(b"OTTO" + b"\0" * 64)
    with caplog.at_level(logging.WARNING):
        assert fonts.fonts_for(system(folder / "simfang.ttf")) == fonts.register_fonts()
    assert "simfang.ttf is not usable" in caplog.text
    # a usable 仿宋 (here: a copy of the bundled face standing in for it) is taken, bold stays bundled
    shutil.copy(paths.resource_path("fonts", fonts.REGULAR_FILE), folder / "simfang.ttf")
    chosen = fonts.fonts_for(system(folder / "simfang.ttf", folder / "simsun.ttc"))
    bundled = fonts.register_fonts()
    assert chosen.regular != bundled.regular and chosen.bold != bundled.bold
    assert chosen == fonts.register_fonts(folder / "simfang.ttf", None)
    formdef = load_formdefs()["zeling_gaizheng"]
    first, _ = render(formdef, EXAMPLES["zeling_gaizheng"], options=system(folder / "simfang.ttf"))
    second, _ = render(formdef, EXAMPLES["zeling_gaizheng"], options=system(folder / "simfang.ttf"))
    assert first == second  # still deterministic
    assert all(embedded for _, embedded in fonts_of(first))


def test_options_that_differ_never_share_a_registered_font(tmp_path):
    """Registration is cached per font file: printing with one set of options, then another, then the first
    again gives each its own face, and the same options the same bytes."""
    face = tmp_path / "simfang.ttf"  # a face unlike the bundled regular one: the bundled bold stands in
    shutil.copy(paths.resource_path("fonts", fonts.BOLD_FILE), face)
    formdef = load_formdefs()["zeling_gaizheng"]
    values = EXAMPLES["zeling_gaizheng"]
    bundled_pdf, _ = render(formdef, values, options=PrintOptions())
    system_pdf, _ = render(formdef, values, options=system(face))
    again, _ = render(formdef, values, options=PrintOptions())
    assert again == bundled_pdf
    assert body_faces(bundled_pdf) == {"FieldKitSerifSC-Regular"}
    assert body_faces(system_pdf) == set()  # the body is set in the "system" face, no bundled regular


def body_faces(pdf: bytes) -> set[str]:
    """The PostScript names of the bundled regular face among the PDF's fonts (subset prefix dropped)."""
    return {name.split("+")[-1] for name, _ in fonts_of(pdf) if name.endswith("-Regular")}


# ---- blank copies keep the agency's own details


def test_blank_values_fill_only_the_agency_sources(formdefs):
    sources = {
        "agency.name": AGENCY,
        "agency.government": GOVERNMENT,
        "agency.contact_phone": "0358-7221234",
        "subject.name": "某某便利店",
        "today": "2026-03-05",
    }
    formdef = formdefs["zeling_gaizheng"]
    assert blank_values(formdef, sources) == {"government": GOVERNMENT, "contact_phone": "0358-7221234"}
    assert blank_values(formdefs["xianchang_bilu"], sources) == {}
    assert blank_values(formdef, {}) == {}
    data, _ = render(
        formdef,
        blank_values(formdef, sources),
        meta=meta_for(formdef, content_hash=None, number=False),
        blank=True,
    )
    text = squash("".join(page_texts(data)))
    assert GOVERNMENT in text and "0358-7221234" in text and "某某便利店" not in text
