"""Plain-text paragraphs skip reportlab's markup parser (pdf._para, issue 14): every document, filled and
blank, is the same bytes as when every paragraph goes through the parser."""

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
    for text in ("检查地点", " 前后空格 ", "多  个\u00a0空格", "两行\n文字", "x", "¥3.50（元）"):
        fast, parsed = pdf._para(text, style), parsed_para(text, style)
        assert fast.text == parsed.text and fast.style is parsed.style
        assert [f.__dict__ for f in fast.frags] == [f.__dict__ for f in parsed.frags]
