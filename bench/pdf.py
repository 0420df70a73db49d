"""PDF rendering: a two-page 现场笔录 and a 10-page 询问笔录, median ms, against raw reportlab (the floor).

Run by hand: `python bench/pdf.py [--json]`. The floor sets the same text with the same embedded fonts in plain
reportlab Paragraphs: every paragraph of the document (values, labels, notices, headings, table cells), in
its own font, size and leading, one after the other with reportlab's own CJK wrapping (no tables, footer,
running header or QR), the font files loaded by reportlab's own TTFont. Ours is `render_pdf` of the form
definitions. Goals (issue 14): ≤ 1.2× the floor, and the 3-page 现场笔录 in under 400 ms in a fresh
process, imports and font registration included.
"""

from __future__ import annotations

import functools
import io
import itertools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.lib.fonts import addMapping  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Table  # noqa: E402

from bench.results import emit, figure, wants_json  # noqa: E402
from fieldkit.catalog import load_formdef  # noqa: E402
from fieldkit.printing import markup as M  # noqa: E402
from fieldkit.printing.flowables import Strip  # noqa: E402
from fieldkit.printing.fonts import register_fonts  # noqa: E402
from fieldkit.printing.options import PrintOptions  # noqa: E402
from fieldkit.printing.pdf import (  # noqa: E402
    DocumentMeta,
    _ideographic_nbsp,
    _StoryBuilder,
    _styles,
    render_pdf,
)

META = DocumentMeta("汾阳市市场监督管理局", None, "bench", "0" * 64)
_CALLBACK = re.compile(r"<onDraw [^>]*/>")
QA_PAIR = {
    "q": "请详细说明你店这批酸奶的进货渠道、进货时间、数量、价格以及是否查验了供货者的许可证和产品合格证明文件？",
    "a": "这批酸奶是2026年2月20日从汾阳市某某商贸有限公司进的货，一共24盒，进价每盒3.5元，送货员直接送到店里，"
    "当时只看了一下外包装，没有查验供货者的食品经营许可证，也没有索要产品合格证明文件，送货单后来找不到了。"
    * 2,
}


def cases() -> dict[str, dict[str, object]]:
    record = dict(load_formdef("xianchang_bilu").example)
    record["findings"] = str(record["findings"]) * 3  # about two pages
    interview = dict(load_formdef("xunwen_bilu").example)
    interview["qa"] = [QA_PAIR] * 26  # about ten pages
    return {"xianchang_bilu": record, "xunwen_bilu": interview}


def ours(form_id: str, values: dict[str, object]) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    result = render_pdf(load_formdef(form_id), values, buffer, meta=META, options=PrintOptions())
    return buffer.getvalue(), result.pages


def _paragraphs(flowables: list[Flowable]) -> list[Paragraph]:
    out: list[Paragraph] = []
    for f in flowables:
        if isinstance(f, Paragraph):
            out.append(f)
        elif isinstance(f, KeepTogether):
            out += _paragraphs(f._content)
        elif isinstance(f, Table):
            for row in f._cellvalues:
                for cell in row:
                    out += _paragraphs(list(cell) if isinstance(cell, list | tuple) else [cell])
        elif isinstance(f, Strip):
            out += _paragraphs(f.make(1.0))
    return out


@functools.cache
def raw_fonts() -> dict[str, str]:
    """Our font names → the same files loaded by reportlab's own TTFont (fieldkit loads and subsets faster)."""
    fonts = register_fonts()
    raw = {}
    for name in (fonts.regular, fonts.bold):
        raw[name] = f"Raw{name}"
        pdfmetrics.registerFont(TTFont(raw[name], pdfmetrics.getFont(name).face.filename))
    for bold, italic in itertools.product((0, 1), (0, 1)):
        addMapping(raw[fonts.regular], bold, italic, raw[fonts.bold if bold else fonts.regular])
    return raw


def floor_text(form_id: str, values: dict[str, object]) -> list[tuple[str, ParagraphStyle]]:
    """The markup and style of every paragraph ours sets for this document (built once, not timed)."""
    formdef = load_formdef(form_id)
    fonts = register_fonts()
    nbsp = _ideographic_nbsp(fonts.regular, formdef.font_size)
    ctx = M.MarkupContext(formdef, values, META.agency_name, META.number, False, ideographic_nbsp=nbsp)
    story = _StoryBuilder(formdef, ctx, _styles(fonts, formdef.font_size), META).build()
    raw = raw_fonts()
    # the tick and glue markers are callbacks of our canvas; plain reportlab sets the text without them
    return [
        (
            _CALLBACK.sub("", p.text),
            ParagraphStyle(p.style.name, parent=p.style, fontName=raw[p.style.fontName]),
        )
        for p in _paragraphs(story)
    ]


def floor(text: list[tuple[str, ParagraphStyle]]) -> bytes:
    """The same text, same font files, plain paragraphs and fonts: what reportlab itself costs."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        initialFontName=raw_fonts()[register_fonts().regular],
    )
    doc.build([Paragraph(markup, style) for markup, style in text])
    return buffer.getvalue()


def medians_ms(fns: list, repeat: int = 15) -> list[float]:  # type: ignore[type-arg]
    """Median wall time of each function; the functions take turns, so a busy machine slows all alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, out in zip(fns, times, strict=True):
            started = time.perf_counter()
            fn()
            out.append((time.perf_counter() - started) * 1000)
    return [statistics.median(t) for t in times]


COLD = """
import io, sys, time
t = time.perf_counter()
sys.path.insert(0, {root!r})
from bench.pdf import cases, ours
ours("xianchang_bilu", cases()["xianchang_bilu"])
print((time.perf_counter() - t) * 1000)
"""


def cold_ms(runs: int = 5) -> list[float]:
    """Imports, fonts and a two-page record, each run in a fresh process.

    An installed FieldKit runs from compiled bytecode; where PYTHONDONTWRITEBYTECODE keeps __pycache__ from
    being written next to the sources, every run would compile all of FieldKit again (~80 ms). So the runs
    keep their bytecode in a temporary directory; the first run fills it and is not counted.
    """
    with tempfile.TemporaryDirectory() as pycache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = pycache
        times = [
            float(
                subprocess.run(
                    [sys.executable, "-c", COLD.format(root=str(ROOT))],
                    capture_output=True,
                    text=True,
                    check=True,
                    env=env,
                ).stdout
            )
            for _ in range(runs + 1)
        ]
    return times[1:]


def main() -> int:
    as_json = wants_json()
    figures = []
    register_fonts()
    print(f"{'document':16}{'pages':>6}{'ours ms':>10}{'floor ms':>10}{'ratio':>8}{'size KiB':>10}")
    for form_id, values in cases().items():
        pdf, pages = ours(form_id, values)
        ours(form_id, values)  # warm
        text = floor_text(form_id, values)
        floor(text)  # warm
        o, f = medians_ms([lambda f=form_id, v=values: ours(f, v), lambda t=text: floor(t)])
        print(f"{form_id:16}{pages:>6}{o:>10.1f}{f:>10.1f}{o / f:>8.2f}{len(pdf) / 1024:>10.0f}")
        figures.append(figure(f"PDF {form_id} ({pages} pages)", o, f, "ms", "ratio ≤ 1.2", o / f <= 1.2))
    cold = cold_ms()
    print(
        f"现场笔录 in a fresh process, fonts included: median {statistics.median(cold):.0f} ms (goal < 400)"
    )
    c = statistics.median(cold)
    figures.append(figure("PDF xianchang_bilu, fresh process", c, None, "ms", "< 400 ms", c < 400))
    if as_json:
        emit("pdf", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
