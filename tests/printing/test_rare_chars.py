"""生僻字 (issue 9.3): CJK extension characters print as glyphs from the fallback fonts, in every form."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest

from fieldkit.catalog import load_formdef
from fieldkit.domain import forms as F
from fieldkit.printing.coverage import unprintable
from fieldkit.printing.fonts import Fallback, register_fonts
from fieldkit.printing.options import PrintOptions
from fieldkit.printing.pdf import DocumentMeta, RenderResult, render_pdf
from tests.examples import EXAMPLES

# The names of the legal review (Ext A 䶮 㘵, Ext C 𫖯, Ext E 𬌗 𬍛), one from Ext B, F and G each.
RARE = "䶮𫖯𬌗𬍛㘵"
MORE = "\U00020000\U0002ceb0\U00030000"  # 𠀀 (Ext B), 𬺰 (Ext F), 𰀀 (Ext G)
META = DocumentMeta("𬒔州市市场监督管理局", "兰市监当罚〔2026〕A1-1号", "doc", "0" * 64)


def render(form_id: str, values: dict[str, object]) -> tuple[RenderResult, bytes]:
    buffer = io.BytesIO()
    result = render_pdf(load_formdef(form_id), values, buffer, meta=META, options=PrintOptions())
    return result, buffer.getvalue()


def page_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def with_rare_text(form_id: str) -> dict[str, object]:
    """The sample values with the rare characters in every plain text field."""
    formdef = load_formdef(form_id)
    values = dict(EXAMPLES[form_id])
    for fd in formdef.fields:
        if fd.type in (F.FieldType.TEXT, F.FieldType.TEXTAREA) and isinstance(values.get(fd.key), str):
            values[fd.key] = f"{values[fd.key]}{RARE}{MORE}"[: fd.max_len or None]
    return values


def test_a_rare_party_name_prints_in_the_fallback_fonts() -> None:
    values = dict(EXAMPLES["dangchang_chufa"], party_name=f"{RARE}{MORE}五金店")
    result, pdf = render("dangchang_chufa", values)
    assert result.missing_chars == ()
    # the glyphs come from the extension fonts, embedded as subsets
    assert b"FieldKitHanExtA-Regular" in pdf and b"FieldKitHanExtB-Regular" in pdf
    assert b"FieldKitHanExtG-Regular" in pdf
    text = page_text(pdf)
    assert f"{RARE}{MORE}五金店" in text  # extractable and searchable in the PDF
    assert "𬒔州市市场监督管理局" in text  # the agency name on top, in bold with a regular rare character


@pytest.mark.parametrize("form_id", sorted(EXAMPLES))
def test_every_form_prints_rare_characters(form_id: str) -> None:
    result, pdf = render(form_id, with_rare_text(form_id))
    assert result.missing_chars == ()
    if any(fd.type in (F.FieldType.TEXT, F.FieldType.TEXTAREA) for fd in load_formdef(form_id).fields):
        assert b"FieldKitHanExt" in pdf


def test_the_running_header_sets_a_rare_agency_name() -> None:
    values = dict(EXAMPLES["xianchang_bilu"], findings="经检查，" * 3000)  # several pages
    result, pdf = render("xianchang_bilu", values)
    assert result.pages > 2
    doc = pdfium.PdfDocument(pdf)
    try:
        assert "𬒔州市市场监督管理局" in doc[1].get_textpage().get_text_range()  # 续页 header
    finally:
        doc.close()


def test_fallback_cuts_text_into_runs_by_font() -> None:
    body = register_fonts().regular
    fallback = Fallback(body)
    runs = fallback.runs("张𬌗小吃店\ue000葛\U000e0100")
    assert "".join(piece for piece, _ in runs) == "张𬌗小吃店\ue000葛"  # the variation selector is dropped
    assert runs[0] == ("张", body) and runs[1][1] != body and runs[1][1] is not None
    assert ("\ue000", None) in runs  # a private-use 造字: no font has it
    assert fallback.uncovered("张𬌗\U0002ebf0\ue000 \n") == ["\ue000", "\U0002ebf0"]  # code point order


def test_characters_no_font_has_are_named_per_field() -> None:
    formdef = load_formdef("dangchang_chufa")
    values = dict(EXAMPLES["dangchang_chufa"], party_name="\ue000记商行", address="兰山区𬌗路")
    problems = unprintable(formdef, values, options=PrintOptions())
    assert [(p.field, p.code, p.is_error) for p in problems] == [("party_name", "print.glyph_missing", True)]
    assert problems[0].message.startswith(formdef.field("party_name").label + "：")
    assert "“\ue000”（U+E000）" in problems[0].message
    assert (
        unprintable(
            formdef, dict(EXAMPLES["dangchang_chufa"], party_name=RARE + MORE), options=PrintOptions()
        )
        == []
    )


def test_characters_in_tables_and_answers_are_checked() -> None:
    formdef = load_formdef("xunwen_bilu")
    values = dict(EXAMPLES["xunwen_bilu"])
    values["qa"] = [{"q": "你叫什么名字？", "a": "我叫张\U0002ebf0。"}]  # Ext I: newer than any shipped font
    assert [p.field for p in unprintable(formdef, values, options=PrintOptions())] == ["qa"]


def test_invisible_pasted_characters_are_left_out_not_refused() -> None:
    fallback = Fallback(register_fonts().regular)
    pasted = "临沂\u200b市\ufeff金源\u00ad家超市\u200d"  # zero-width space, BOM, soft hyphen, joiner
    assert fallback.runs(pasted) == [("临沂市金源家超市", fallback.body_font)]
    formdef = load_formdef("dangchang_chufa")
    assert (
        unprintable(formdef, dict(EXAMPLES["dangchang_chufa"], party_name=pasted), options=PrintOptions())
        == []
    )
    # a visible character no font has is still refused: m² has to be written 平方米
    [problem] = unprintable(
        formdef, dict(EXAMPLES["dangchang_chufa"], address="面积50m²"), options=PrintOptions()
    )
    assert "U+00B2" in problem.message
