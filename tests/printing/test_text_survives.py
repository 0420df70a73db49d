"""Whatever an officer types comes out of the PDF again: nothing dropped, escaped or cut at line ends."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle

from fieldkit.catalog import load_formdef
from fieldkit.printing.cjkwrap import CANNOT_END, CANNOT_START, CJKParagraph
from fieldkit.printing.fonts import register_fonts
from tests.examples import EXAMPLES
from tests.printing.conftest import meta_for, page_texts, render, squash, without_decoration

COMMON = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
RARE = "喆堃昇犇"
ALPHABET = COMMON + RARE + "abcXYZ0123456789" + "<>&\"'" + "，。、；：？！“”（）《》" + "\u3000 "


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=1500))
def test_long_chinese_text_survives_rendering(text):
    formdef = load_formdef("zhengju_tiqu")
    values = {**EXAMPLES["zhengju_tiqu"], "description": text}
    data, result = render(formdef, values, meta=meta_for(formdef, content_hash=None))
    assert result.missing_chars == ()
    printed = "".join(without_decoration(t, formdef) for t in page_texts(data))
    assert squash(text) in printed


WIDTHS = st.integers(min_value=60, max_value=450)


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=COMMON[:200] + RARE + "，。、；：？！“”（）《》ab12", min_size=1, max_size=300), WIDTHS
)
def test_lines_keep_within_width_and_punctuation_rules(text, width):
    fonts = register_fonts()
    style = ParagraphStyle("t", fontName=fonts.regular, fontSize=12, leading=18, wordWrap="CJK")
    para = CJKParagraph(text.replace("&", "&amp;").replace("<", "&lt;"), style)
    para.wrap(width, 10_000)
    lines = ["".join(w.text for w in line.words) for line in para.blPara.lines]
    assert "".join(lines) == text  # nothing lost, nothing added
    for line, bl in zip(lines, para.blPara.lines, strict=True):
        assert bl.currentWidth <= width + 0.01 or len(line) == 1  # never into the margin


def test_closing_marks_never_start_and_opening_marks_never_end_a_line():
    fonts = register_fonts()
    style = ParagraphStyle("t", fontName=fonts.regular, fontSize=12, leading=18, wordWrap="CJK")
    text = "我店是个体工商户，二〇一九年开业，经营“某某牌”酸奶（规格：200g/盒）和《食品安全法》宣传册。" * 4
    for width in range(100, 400, 7):
        para = CJKParagraph(text, style)
        para.wrap(width, 10_000)
        lines = ["".join(w.text for w in line.words) for line in para.blPara.lines]
        assert "".join(lines) == text
        for previous, line in itertools.pairwise(lines):
            assert line[:1] not in CANNOT_START, (width, line)
            assert previous[-1:] not in CANNOT_END, (width, previous)


def test_split_paragraph_gets_no_spaces_between_lines():
    """reportlab joins split lines with a blank; the next page would start with a space."""
    fonts = register_fonts()
    style = ParagraphStyle("t", fontName=fonts.regular, fontSize=12, leading=18, wordWrap="CJK")
    text = "".join(f"第{i}句说明。" for i in range(200))
    para = CJKParagraph(text, style)
    para.wrap(300, 10_000)
    first, rest = para.split(300, 180)
    rest.wrap(300, 10_000)
    joined = "".join(w.text for bl in (first.blPara, rest.blPara) for line in bl.lines for w in line.words)
    assert joined == text


def test_choice_options_are_never_broken_over_two_lines():
    from fieldkit.domain.forms import FieldDef, FieldType, FormDef, FormKind, Option, TextBlock
    from fieldkit.printing import markup as M

    fonts = register_fonts()
    style = ParagraphStyle("t", fontName=fonts.regular, fontSize=12, leading=18, wordWrap="CJK")
    fd = FieldDef(
        "m", "措施", FieldType.CHOICE, options=tuple(Option(v) for v in ("查封", "扣押", "先行登记保存"))
    )
    formdef = FormDef("t", "测试", "测", 1, False, FormKind.NOTICE, (fd,), (TextBlock("m"),))
    ctx = M.MarkupContext(formdef, {"m": "扣押"}, "局", None, False)
    markup = "本局决定对你（单位）的有关财物实施" + M.choice_markup(ctx, fd, "扣押") + "的行政强制措施。"
    for width in range(120, 420, 5):
        para = CJKParagraph(markup, style)
        para.wrap(width, 10_000)
        lines = ["".join(w.text for w in line.words) for line in para.blPara.lines]
        for option in ("□查封", "□扣押", "□先行登记保存"):
            assert any(option in line for line in lines), (width, lines)
