"""Long text (issue 11.7): a 笔录 of 20k / 200k / 600k characters, time and time per character.

Run by hand: `python bench/long_text.py [--chars 20000,200000,600000] [--json]`. Four shapes: the 检查情况 of a
现场笔录 as one paragraph (the worst case: one paragraph over hundreds of pages), one answer of a 询问笔录, and
the same lengths as paragraphs or answers of about a hundred characters each.
Goal: linear — the time per 1,000 characters at the largest size at most 1.5× that at the smallest
(before the fix 200k took 38 s and 600k 250 s: 6.6× the time per character).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import emit, figure, wants_json  # noqa: E402
from fieldkit.catalog import load_formdef  # noqa: E402
from fieldkit.printing.fonts import register_fonts  # noqa: E402
from fieldkit.printing.options import PrintOptions  # noqa: E402
from fieldkit.printing.pdf import DocumentMeta, render_pdf  # noqa: E402

META = DocumentMeta("汾阳市市场监督管理局", None, "bench", "0" * 64)
UNIT = (
    "经检查，该店货架上摆放的酸奶共计二十四盒，其中十二盒已超过保质期，标签标注生产日期为2026年1月2日，"
    "保质期21天；当事人称系进货时未查验，执法人员当场责令其下架并予以先行登记保存。"
)


def text(n: int) -> str:
    return (UNIT * (n // len(UNIT) + 1))[:n]


SHAPES = ("现场笔录 检查情况", "询问笔录 一个回答", "现场笔录 每段百字", "询问笔录 每答百字")


def values(shape: str, n: int) -> tuple[str, dict[str, object]]:
    if shape == "现场笔录 检查情况":  # one paragraph
        return "xianchang_bilu", dict(load_formdef("xianchang_bilu").example, findings=text(n))
    if shape == "询问笔录 一个回答":
        return "xunwen_bilu", dict(
            load_formdef("xunwen_bilu").example, qa=[{"q": "请说明情况。", "a": text(n)}]
        )
    if shape == "现场笔录 每段百字":  # many paragraphs
        return "xianchang_bilu", dict(
            load_formdef("xianchang_bilu").example, findings="\n".join([UNIT] * (n // len(UNIT)))
        )
    pairs = [{"q": "请说明情况？", "a": UNIT}] * (n // (len(UNIT) + 6))  # many questions and answers
    return "xunwen_bilu", dict(load_formdef("xunwen_bilu").example, qa=pairs)


def seconds(form_id: str, vals: dict[str, object]) -> tuple[float, int]:
    started = time.perf_counter()
    result = render_pdf(load_formdef(form_id), vals, io.BytesIO(), meta=META, options=PrintOptions())
    return time.perf_counter() - started, result.pages


def main() -> int:
    as_json = wants_json()
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", default="20000,200000,600000")
    sizes = [int(s) for s in parser.parse_args().chars.split(",")]
    register_fonts()
    seconds(*values("现场笔录 检查情况", 2000))  # warm: imports, form definitions
    figures = []
    print(f"{'shape':18}{'chars':>9}{'pages':>7}{'s':>9}{'ms/1k chars':>13}")
    for shape in SHAPES:
        per_k = []
        for n in sizes:
            s, pages = seconds(*values(shape, n))
            per_k.append(s * 1000 / (n / 1000))
            print(f"{shape:18}{n:>9}{pages:>7}{s:>9.2f}{per_k[-1]:>13.2f}", flush=True)
            figures.append(figure(f"{shape} {n // 1000}k 字 ({pages} 页)", s, None, "s"))
        growth = per_k[-1] / per_k[0]
        print(f"{shape}: time per character at {sizes[-1]} ÷ at {sizes[0]} = {growth:.2f} (goal ≤ 1.5)")
        figures.append(figure(f"{shape} linearity", growth, None, "×", "≤ 1.5", growth <= 1.5))
    if as_json:
        emit("long_text", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
