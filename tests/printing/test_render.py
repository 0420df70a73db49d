"""Every shipped form renders, says what it must, embeds its fonts and reprints byte for byte."""

from __future__ import annotations

import io
import shutil
import subprocess
import time

import pypdf
import pytest

from fieldkit.catalog import load_formdef
from fieldkit.domain.forms import FieldType, FormKind
from fieldkit.printing.samples import AGENCY, GOVERNMENT, OFFICERS, PARTY, long_qa, number_for
from tests.examples import EXAMPLES
from tests.printing.conftest import (
    HASH,
    fonts_of,
    meta_for,
    page_texts,
    render,
    shipped_render,
    squash,
    without_decoration,
)

FORM_IDS = sorted(EXAMPLES)


def test_every_shipped_form_has_sample_values(formdefs):
    assert sorted(formdefs) == FORM_IDS
    assert len(FORM_IDS) == 18  # + 延长、解除强制措施, 解除先行登记保存 (issue 9 item 10)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_examples_tell_of_the_shared_party_officers_and_government(form_id):
    """The demo data retells the examples by these names (services/demo_documents._retell): an example
    naming another party or officer would keep it in the demo."""
    example = EXAMPLES[form_id]
    for key in ("party_name", "legal_rep", "uscc"):
        if key in example:
            assert example[key] == PARTY[key], (form_id, key)
    if "officers" in example:
        assert example["officers"] == OFFICERS, form_id
    if "government" in example:
        assert example["government"] == GOVERNMENT, form_id


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_filled_form_says_what_it_must(formdefs, form_id):
    formdef = formdefs[form_id]
    values = EXAMPLES[form_id]
    data, result, pages = shipped_render(form_id, False)
    assert data.startswith(b"%PDF")
    assert result.pages == len(pages) >= 1
    assert result.size == len(data)
    assert result.missing_chars == ()
    text = squash("".join(pages))
    assert AGENCY in text
    assert squash(formdef.title) in text
    if formdef.numbered:
        assert number_for(formdef.code) in text
    for key in ("party_name", "addressee", "recipient"):
        if key in values:
            assert values[key] in text
    if "officers" in values:
        for o in OFFICERS:
            assert o["cert_no"] in text
            assert o["name"] in text
    if "government" in values:
        assert GOVERNMENT in text
    # the fixed notice text of the definition is printed (here: its last sentence with no placeholder)
    for block in formdef.blocks:
        for para in getattr(block, "text", ()):
            if "{" not in para and getattr(block, "when", None) is None:
                assert squash(para) in text, para


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_blank_form_prints_no_case_data(formdefs, form_id):
    formdef = formdefs[form_id]
    text = squash("".join(shipped_render(form_id, True)[2]))
    assert squash(formdef.title) in text
    assert "汾阳市喆堃便利店" not in text
    assert "14110201001" not in text
    if formdef.numbered:  # the number line is left to write in: …市监〈代字〉〔    〕   号
        assert f"市监{formdef.code}〔" in text
    # the agency's own details (复议机关) stay on a blank copy
    if "government" in EXAMPLES[form_id]:
        assert GOVERNMENT in text


def test_record_remedy_clauses_follow_current_law(formdefs):
    """复议 goes to the 本级人民政府 since 2024-01-01; 当场 penalties need 复议 first (复议法第二十三条)."""
    for form_id in ("qiangzhi_cuoshi", "zeling_gaizheng", "dangchang_chufa"):
        text = squash("".join(shipped_render(form_id, False)[2]))
        assert f"六十日内向{GOVERNMENT}申请行政复议" in text
        assert "上一级" not in text
    text = squash("".join(shipped_render("dangchang_chufa", False)[2]))
    assert "第二十三条" in text and "应当先申请行政复议" in text
    assert "¥200.00（大写：贰佰元整）" in text and "个体工商户" in text


@pytest.mark.parametrize("blank", [False, True])
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_font_is_embedded(form_id, blank):
    fonts = fonts_of(shipped_render(form_id, blank)[0])
    assert fonts, "no fonts found"
    assert all(embedded for _, embedded in fonts), fonts
    assert not any("Helvetica" in name for name, _ in fonts)


def test_same_input_gives_byte_identical_pdf(formdefs):
    formdef = formdefs["xianchang_bilu"]
    first, r1, _ = shipped_render("xianchang_bilu", False)
    second, r2 = render(formdef, EXAMPLES["xianchang_bilu"])
    assert first == second
    assert r1.sha256 == r2.sha256


def test_different_values_give_a_different_pdf(formdefs):
    formdef = formdefs["xianchang_bilu"]
    changed = {**EXAMPLES["xianchang_bilu"], "place": "另一个地点"}
    assert shipped_render("xianchang_bilu", False)[1].sha256 != render(formdef, changed)[1].sha256


def test_ten_page_interview_has_footer_and_signature_lines_on_every_page(formdefs):
    formdef = formdefs["xunwen_bilu"]
    values = {**EXAMPLES["xunwen_bilu"], "qa": long_qa(50)}
    data, result = render(formdef, values)
    pages = page_texts(data)
    assert result.pages == len(pages) >= 10
    for n, text in enumerate(pages, 1):
        s = squash(text)
        assert f"第{n}页共{len(pages)}页" in s
        assert "被询问人（签名）" in s
        assert "询问人（签名）" in s
        assert "记录人（签名）" in s
    # the questions flow over the pages in order and none is lost
    everything = "".join(without_decoration(t, formdef) for t in pages)
    positions = [everything.find(squash(pair["q"])) for pair in values["qa"]]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_records_and_lists_carry_signature_footer_on_every_page(formdefs):
    records = [f for f in formdefs.values() if f.kind == FormKind.RECORD]
    assert {f.id for f in records} == {"xianchang_bilu", "xunwen_bilu", "dianzi_shuju_tiqu", "chouyang_jilu"}
    for formdef in [*records, formdefs["caiwu_qingdan"]]:
        assert formdef.page_footer is not None
        for blank in (False, True):
            for text in shipped_render(formdef.id, blank)[2]:
                for signer in formdef.page_footer.signers:
                    assert squash(signer.label) in squash(text), (formdef.id, signer.label)


def test_long_table_splits_and_repeats_its_header(formdefs):
    formdef = formdefs["caiwu_qingdan"]
    items = [
        {
            "name": f"商品{i}号（“某某牌”饼干，含有很长的描述以便换行显示）",
            "spec": "200g/袋",
            "unit": "袋",
            "quantity": str(i),
        }
        for i in range(1, 81)
    ]
    data, result = render(formdef, {**EXAMPLES["caiwu_qingdan"], "items": items})
    pages = page_texts(data)
    assert result.pages >= 3
    for text in pages:
        if "商品" in text:  # every page the table runs over starts with its header (repeatRows)
            assert "生产日期/批号" in squash(text)
    everything = "".join(without_decoration(t, formdef) for t in pages)
    for i in (1, 40, 80):
        assert f"商品{i}号" in everything
    assert "（以下空白）" in everything


def test_very_long_grid_value_flows_over_pages_instead_of_failing(formdefs):
    formdef = formdefs["songda_huizheng"]
    note = "留置送达情况说明。" * 400
    data, result = render(formdef, {**EXAMPLES["songda_huizheng"], "note": note})
    assert result.pages >= 2
    assert squash(note) in "".join(without_decoration(t, formdef) for t in page_texts(data))


def test_user_text_with_markup_characters_is_printed_literally(formdefs):
    formdef = formdefs["xianchang_bilu"]
    findings = "货架标签写有<b>“特价”</b> & <font size=40>大字</font>，另有 a<b 与 x>y。"
    data, _ = render(formdef, {**EXAMPLES["xianchang_bilu"], "findings": findings})
    assert squash(findings) in squash("".join(page_texts(data)))


def test_ideographic_spaces_keep_their_width(formdefs):
    """Paragraph would collapse U+3000; each one is printed as about one character of blank space."""
    formdef = formdefs["xianchang_bilu"]
    data, _ = render(formdef, {**EXAMPLES["xianchang_bilu"], "findings": "甲\u3000\u3000乙"})
    text = "".join(page_texts(data))
    i = text.find("甲")
    j = text.find("乙", i)
    assert i != -1 and j - i - 1 >= 2 * 3  # at least three no-break spaces per ideographic space


def test_characters_the_font_lacks_are_reported(formdefs):
    formdef = formdefs["xianchang_bilu"]
    _, result = render(formdef, {**EXAMPLES["xianchang_bilu"], "findings": "温度 5℃，面积 10㎡，线径 2.5mm²"})
    assert result.missing_chars == ("²",)


def test_draft_is_watermarked(formdefs):
    formdef = formdefs["zeling_gaizheng"]
    draft, _ = render(formdef, EXAMPLES["zeling_gaizheng"], draft=True)
    final, _ = render(formdef, EXAMPLES["zeling_gaizheng"])
    assert "草稿" in squash(page_texts(draft)[0])
    assert "草稿" not in squash(page_texts(final)[0])


def test_qr_code_only_when_the_content_is_frozen(formdefs):
    formdef = formdefs["zeling_gaizheng"]
    with_hash, _ = render(formdef, EXAMPLES["zeling_gaizheng"])
    without, _ = render(formdef, EXAMPLES["zeling_gaizheng"], meta=meta_for(formdef, content_hash=None))
    assert f"校验码{HASH[:16]}" in squash(page_texts(with_hash)[0])
    assert "fkqr" in _xobjects(with_hash)
    assert "fkqr" not in _xobjects(without)
    assert "校验码" not in squash(page_texts(without)[0])


def _xobjects(data: bytes) -> str:
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    return " ".join((page["/Resources"].get_object().get("/XObject") or {}).keys()).lower()


def test_ticked_boxes_only_for_chosen_options(formdefs):
    """The tick is drawn, not typed (no CJK font has ☑); count the tick strokes in the page content."""
    formdef = formdefs["xianchang_bilu"]
    one, _ = render(formdef, {**EXAMPLES["xianchang_bilu"], "measures": ["先行登记保存"]})
    three, _ = render(formdef, {**EXAMPLES["xianchang_bilu"], "measures": ["先行登记保存", "查封", "扣押"]})
    assert _ticks(three) - _ticks(one) == 2


def _ticks(data: bytes) -> int:
    reader = pypdf.PdfReader(io.BytesIO(data))
    # draw_tick sets a round line join ("1 j") once per tick
    return sum(p.get_contents().get_data().count(b"1 j") for p in reader.pages)


def test_choice_fields_print_every_option(formdefs):
    formdef = formdefs["songda_huizheng"]
    method = formdef.field("method")
    assert method.type == FieldType.CHOICE
    text = squash("".join(shipped_render("songda_huizheng", False)[2]))
    for option in method.option_values():
        assert "□" + option in text


def test_two_page_record_renders_well_under_half_a_second(formdefs):
    formdef = formdefs["xianchang_bilu"]
    render(formdef, EXAMPLES["xianchang_bilu"])  # fonts and caches warm, as in the running app
    best = min(_timed(lambda: render(formdef, EXAMPLES["xianchang_bilu"])) for _ in range(3))
    assert best < 0.5


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def test_load_formdef_by_id_and_unknown_id():
    assert load_formdef("xianchang_bilu").title == "现场笔录"
    from fieldkit.catalog import CatalogError

    with pytest.raises(CatalogError, match="nosuchform"):
        load_formdef("nosuchform")


def test_an_overlong_table_cell_still_prints(formdefs):
    """Columns have a max_len, but a draft may exceed it: printing a draft must not fail on layout."""
    formdef = formdefs["caiwu_qingdan"]
    note = "备注内容很长。" * 600
    items = [{"name": "酸奶", "quantity": "1", "note": note}]
    _, result = render(formdef, {**EXAMPLES["caiwu_qingdan"], "items": items}, draft=True)
    assert result.pages >= 2


@pytest.mark.skipif(
    not (shutil.which("zbarimg") and shutil.which("pdftoppm")), reason="needs zbar-tools, poppler"
)
def test_qr_code_scans_to_number_and_hash(formdefs, tmp_path):
    formdef = formdefs["zeling_gaizheng"]
    data, _ = render(formdef, EXAMPLES["zeling_gaizheng"])
    (tmp_path / "doc.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "doc.pdf", "page"], cwd=tmp_path, check=True
    )
    png = next(tmp_path.glob("page*.png"))
    out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True).stdout.strip()
    assert out == f"FK1|{number_for(formdef.code)}|{HASH}"
