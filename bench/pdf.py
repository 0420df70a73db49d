"""PDF rendering: a two-page 现场笔录 and a 10-page 询问笔录, median ms, against raw reportlab (the floor).

Run by hand: `python bench/pdf.py`. The floor sets the same text with the same embedded font in plain
reportlab Paragraphs (no form layout, no footer, no QR); ours is `render_pdf` of the form definitions.
Goal: ≤ 1.3× the floor, and a two-page record in well under 0.5 s including font registration
(measured in a fresh process).
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

from fieldkit.printing.fonts import register_fonts  # noqa: E402
from fieldkit.printing.formdefs import load_formdef  # noqa: E402
from fieldkit.printing.pdf import DocumentMeta, render_pdf  # noqa: E402
from fieldkit.printing.samples import SAMPLES  # noqa: E402

QA_PAIR = {
    "q": "请详细说明你店这批酸奶的进货渠道、进货时间、数量、价格以及是否查验了供货者的许可证和产品合格证明文件？",
    "a": "这批酸奶是2026年2月20日从汾阳市某某商贸有限公司进的货，一共24盒，进价每盒3.5元，送货员直接送到店里，"
    "当时只看了一下外包装，没有查验供货者的食品经营许可证，也没有索要产品合格证明文件，送货单后来找不到了。"
    * 2,
}


def cases() -> dict[str, dict[str, object]]:
    record = dict(SAMPLES["xianchang_bilu"])
    record["findings"] = str(record["findings"]) * 3  # about two pages
    interview = dict(SAMPLES["xunwen_bilu"])
    interview["qa"] = [QA_PAIR] * 26  # about ten pages
    return {"xianchang_bilu": record, "xunwen_bilu": interview}


def ours(form_id: str, values: dict[str, object]) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    meta = DocumentMeta("汾阳市市场监督管理局", None, "bench", "0" * 64)
    result = render_pdf(load_formdef(form_id), values, buffer, meta=meta)
    return buffer.getvalue(), result.pages


def floor(values: dict[str, object]) -> bytes:
    """The same text, same font, plain paragraphs: what reportlab itself costs."""
    fonts = register_fonts()
    style = ParagraphStyle("b", fontName=fonts.regular, fontSize=12, leading=20, wordWrap="CJK")
    texts: list[str] = []
    for value in values.values():
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    texts.extend(str(v) for v in item.values())
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, initialFontName=fonts.regular
    )
    doc.build([Paragraph(escape(t).replace("\n", "<br/>"), style) for t in texts])
    return buffer.getvalue()


def median_ms(fn, repeat: int = 9) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


COLD = """
import io, sys, time
t = time.perf_counter()
sys.path.insert(0, {root!r})
from bench.pdf import cases, ours
ours("xianchang_bilu", cases()["xianchang_bilu"])
print((time.perf_counter() - t) * 1000)
"""


def main() -> int:
    register_fonts()
    print(f"{'document':16}{'pages':>6}{'ours ms':>10}{'floor ms':>10}{'ratio':>8}{'size KiB':>10}")
    for form_id, values in cases().items():
        pdf, pages = ours(form_id, values)
        ours(form_id, values)  # warm
        o = median_ms(lambda f=form_id, v=values: ours(f, v))
        f = median_ms(lambda v=values: floor(v))
        print(f"{form_id:16}{pages:>6}{o:>10.1f}{f:>10.1f}{o / f:>8.2f}{len(pdf) / 1024:>10.0f}")
    cold = [
        float(
            subprocess.run(
                [sys.executable, "-c", COLD.format(root=str(ROOT))],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(3)
    ]
    print(
        f"two-page record in a fresh process, fonts included: median {statistics.median(cold):.0f} ms (goal < 500)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
