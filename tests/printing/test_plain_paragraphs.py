"""Paragraphs of plain text and no-break/tick markers skip reportlab's markup parser (pdf._para, issue 14):
each makes the parser's fragments, and every document, filled and blank, is the same bytes as when every
paragraph goes through the parser."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from fieldkit.catalog import load_formdef
from fieldkit.printing import markup as M
from fieldkit.printing import pdf
from fieldkit.printing.cjkwrap import CJKParagraph
from fieldkit.printing.options import PrintOptions
from fieldkit.printing.pdf import DocumentMeta, render_pdf
from tests.examples import EXAMPLES

META = DocumentMeta("汾阳市市场监督管理局", "汾市监现〔2026〕7号", "doc", "ab" * 32)


def parsed_para(markup: str, style: ParagraphStyle) -> Paragraph:
    """_para as it was: every paragraph through reportlab's parser."""
    if M.TICK_CB in markup and style.alignment == TA_JUSTIFY:
        style = ParagraphStyle(style.name + "-l", parent=style, alignment=TA_LEFT)
    return CJKParagraph(markup, style)


def frag_dicts(p: Paragraph) -> list[dict[str, object]]:
    return [{k: (v.__dict__ if k == "cbDefn" else v) for k, v in f.__dict__.items()} for f in p.frags]


def both_ways(form_id: str, monkeypatch: pytest.MonkeyPatch, **kw: object) -> tuple[bytes, bytes]:
    formdef = load_formdef(form_id)
    values = (
        dict(EXAMPLES[form_id], party_name="  王 　䶮\t五金店  ")
        if "party_name" in EXAMPLES[form_id]
        else EXAMPLES[form_id]
    )
    out = []
    for para in (pdf._para, parsed_para):
        monkeypatch.setattr(pdf, "_para", para)
        buffer = io.BytesIO()
        render_pdf(formdef, values, buffer, meta=META, options=PrintOptions(), **kw)
        out.append(buffer.getvalue())
    return out[0], out[1]


@pytest.mark.parametrize("form_id", sorted(EXAMPLES))
def test_every_document_is_the_same_with_and_without_the_parser(
    form_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, parsed = both_ways(form_id, monkeypatch)
    assert fast == parsed
    fast, parsed = both_ways(form_id, monkeypatch, blank=True)
    assert fast == parsed


def test_plain_text_keeps_the_parsers_fragment(monkeypatch: pytest.MonkeyPatch) -> None:
    style = pdf._styles(pdf.fonts_for(PrintOptions()), 12).cell
    texts = ("检查地点", " 前后空格 ", "多  个\u00a0空格", "两行\n文字", "x", "¥3.50（元）", "a > b")
    glued = (M.GLUE.join("14110201001"), M.box(True) + M.GLUE + "是" + M.box(False), M.box(True), M.GLUE)
    glued += (
        "<b>问：</b>看清楚了。",
        f"甲<br/>乙{M.GLUE}丙<br/>",
        f"<b>粗{M.GLUE}体<br/>{M.box(True)}</b>尾",
        "<br/>",
    )
    for text in (*texts, *glued, f" {M.GLUE} 前{M.GLUE}后 "):
        fast, parsed = pdf._para(text, style), parsed_para(text, style)
        assert fast.text == parsed.text and fast.style is parsed.style
        assert frag_dicts(fast) == frag_dicts(parsed), text
    for text in ("<i>斜</i>", "a &amp; b", f"<u>{M.GLUE}</u>", "<b><b>套</b></b>", "<b>开", "关</b>"):
        # other markup: the parser reads it (or says why not, as before)
        try:
            expected = frag_dicts(parsed_para(text, style))
        except ValueError:
            with pytest.raises(ValueError):
                pdf._para(text, style)
        else:
            assert frag_dicts(pdf._para(text, style)) == expected, text


@pytest.mark.parametrize("form_id", sorted(EXAMPLES))
def test_every_paragraph_of_every_document_has_the_parsers_fragments(
    form_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_para = pdf._para
    seen = []

    def compare(markup: str, style: ParagraphStyle) -> Paragraph:
        fast, parsed = fast_para(markup, style), parsed_para(markup, style)
        assert frag_dicts(fast) == frag_dicts(parsed), markup
        seen.append(markup)
        return fast

    monkeypatch.setattr(pdf, "_para", compare)
    for blank in (False, True):
        render_pdf(
            load_formdef(form_id),
            EXAMPLES[form_id],
            io.BytesIO(),
            meta=META,
            options=PrintOptions(),
            blank=blank,
        )
    assert seen
