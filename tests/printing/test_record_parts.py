"""Printing parts (issue 9.11): 笔录 end with "（以下空白）"; an 执法证号 is never broken over two lines."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest

from fieldkit.catalog import load_formdef
from fieldkit.domain import forms as F
from fieldkit.printing import markup as M
from fieldkit.printing.cjkwrap import CJKParagraph
from fieldkit.printing.fonts import register_fonts
from fieldkit.printing.options import PrintOptions
from fieldkit.printing.pdf import DocumentMeta, _styles, render_pdf
from tests.examples import EXAMPLES

META = DocumentMeta("汾阳市市场监督管理局", None, "doc", "0" * 64)
RECORDS = sorted(f for f in EXAMPLES if load_formdef(f).kind is F.FormKind.RECORD)
OTHERS = sorted(f for f in EXAMPLES if load_formdef(f).kind is not F.FormKind.RECORD)


def pages(form_id: str, values: dict[str, object], *, blank: bool = False) -> list[str]:
    buffer = io.BytesIO()
    render_pdf(load_formdef(form_id), values, buffer, meta=META, options=PrintOptions(), blank=blank)
    doc = pdfium.PdfDocument(buffer.getvalue())
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def test_the_records_are_the_four_bilu() -> None:
    assert RECORDS == ["chouyang_jilu", "dianzi_shuju_tiqu", "xianchang_bilu", "xunwen_bilu"]


@pytest.mark.parametrize("form_id", RECORDS)
def test_a_record_closes_its_blank_area_after_its_last_line(form_id: str) -> None:
    texts = pages(form_id, dict(EXAMPLES[form_id]))
    # the page footer (signatures, check code) is drawn first; the body ends with the mark, then the page number
    _, after = texts[-1].rsplit("（以下空白）", 1)
    assert after.strip().startswith("第 ") and "答" not in after and "问" not in after


@pytest.mark.parametrize("form_id", RECORDS)
def test_a_long_record_still_ends_with_the_mark(form_id: str) -> None:
    formdef = load_formdef(form_id)
    values = dict(EXAMPLES[form_id])
    block = next(b for b in formdef.blocks if isinstance(b, F.TextBlock))
    if block.when:  # "key" or "key=option": make it hold
        key, _, option = block.when.partition("=")
        values[key] = option or True
    values[block.field] = "经查，" * 800
    texts = pages(form_id, values)
    assert len(texts) >= 3 and "（以下空白）" in texts[-1]


def test_a_blank_record_and_other_forms_have_no_mark() -> None:
    assert not any("以下空白" in t for t in pages("xianchang_bilu", {}, blank=True))
    for form_id in OTHERS:
        texts = "".join(pages(form_id, dict(EXAMPLES[form_id])))
        assert texts.count("以下空白") == ("以下空白" in texts) * texts.count("（以下空白）")  # lists only
        if load_formdef(form_id).kind is not F.FormKind.LIST:
            assert "以下空白" not in texts


OFFICERS = [{"name": "王建国", "cert_no": "14110201001"}, {"name": "欧阳晓燕", "cert_no": "SX1411020101799"}]


def line_texts(markup: str, width: float) -> list[str]:
    style = _styles(register_fonts(), 12).body
    p = CJKParagraph(markup, style)
    p.wrap(width, 10_000)
    return ["".join(getattr(w, "text", "") for w in line.words) for line in p.blPara.lines]


def markups() -> dict[str, str]:
    formdef = load_formdef("xianchang_bilu")
    ctx = M.MarkupContext(formdef, {"officers": OFFICERS}, "汾阳市市场监督管理局", None, False)
    question = "我们是{agency.name}的执法人员{officers}，这是我们的执法证件，请你过目。你看清楚了吗？"
    return {
        "running text": M.template(ctx, question),
        "grid cell": "<br/>".join(M.officers_lines(ctx, OFFICERS)),
    }


@pytest.mark.parametrize("where", ["running text", "grid cell"])
def test_a_cert_number_is_never_broken_at_any_width(where: str) -> None:
    markup = markups()[where]
    checked = 0
    for width in range(130, 430, 3):  # every position of the numbers against the line end (cells ≥ 130 pt)
        lines = line_texts(markup, float(width))
        for o in OFFICERS:
            assert any(o["cert_no"] in line for line in lines), (width, lines)
        checked += 1
    assert checked == 100


def test_the_mark_is_left_out_only_where_no_line_is_left() -> None:
    from reportlab.platypus import Paragraph

    from fieldkit.printing.flowables import ClosingMark

    style = _styles(register_fonts(), 12).plain
    mark = ClosingMark(Paragraph("（以下空白）", style))
    _, h = mark.wrap(400, 1000)
    assert h == style.leading  # one line, drawn where it fits
    (rest,) = mark.split(400, h - 1)  # less than a line left: nothing to write in, no page of its own
    assert rest.wrap(400, h - 1)[1] == 0
