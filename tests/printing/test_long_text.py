"""Long text stays linear (issue 11.7): a paragraph over hundreds of pages is broken into lines once.

Timing belongs to bench/long_text.py; here the work is counted: how many characters the line breaker
handles for a document, which grew with (pages × length) when every page broke the rest of a long
paragraph again.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from reportlab.platypus import Paragraph

from fieldkit.catalog import load_formdef
from fieldkit.printing import cjkwrap
from fieldkit.printing.options import PrintOptions
from fieldkit.printing.pdf import DocumentMeta, _slices, render_pdf
from tests.examples import EXAMPLES

META = DocumentMeta("汾阳市市场监督管理局", None, "bench", "0" * 64)
UNIT = "经检查，该店货架上摆放的酸奶共计二十四盒，其中十二盒已超过保质期，标签标注生产日期为2026年1月2日。"
N = 20_000  # about 18 pages in one paragraph


def long_text(n: int = N) -> str:
    return (UNIT * (n // len(UNIT) + 1))[:n]


def cases() -> dict[str, tuple[str, dict[str, object]]]:
    return {
        "text block": ("xianchang_bilu", dict(EXAMPLES["xianchang_bilu"], findings=long_text())),
        "answer": (
            "xunwen_bilu",
            dict(EXAMPLES["xunwen_bilu"], qa=[{"q": "请说明情况。", "a": long_text()}]),
        ),
    }


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Characters given to the line breaker, one entry per call."""
    seen: list[int] = []
    real = cjkwrap.cjk_frag_split

    def counting(frags: Any, *args: Any) -> Any:
        seen.append(sum(len(f.text) for f in frags if isinstance(getattr(f, "text", None), str)))
        return real(frags, *args)

    monkeypatch.setattr(cjkwrap, "cjk_frag_split", counting)
    return seen


def render(form_id: str, values: dict[str, object]) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    result = render_pdf(load_formdef(form_id), values, buffer, meta=META, options=PrintOptions())
    return buffer.getvalue(), result.pages


@pytest.mark.parametrize("case", sorted(cases()))
def test_a_long_paragraph_is_broken_into_lines_once(case: str, counted: list[int]) -> None:
    form_id, values = cases()[case]
    _, pages = render(form_id, values)
    assert pages > 15
    # the long paragraph once, plus the short ones around it; before: ~18 times the length
    assert sum(counted) < 1.5 * N


def test_a_long_grid_value_is_sliced_in_linear_work(counted: list[int]) -> None:
    from fieldkit.printing.fonts import register_fonts
    from fieldkit.printing.pdf import _styles

    style = _styles(register_fonts(), 12).cell
    slices = _slices(cjkwrap.CJKParagraph(long_text(), style), 400, 6 * style.leading)
    assert len(slices) > 70
    assert sum(counted) < 1.5 * N


@pytest.mark.parametrize("case", sorted(cases()))
def test_reusing_the_lines_changes_nothing_on_paper(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    form_id, values = cases()[case]
    reused, _ = render(form_id, values)
    monkeypatch.setattr(cjkwrap.CJKParagraph, "split", Paragraph.split)  # break every rest anew
    assert render(form_id, values)[0] == reused
