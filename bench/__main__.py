"""`python -m bench [--quick]`: every benchmark in its own process, then one table of figures against floors."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.results import MARK

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TIMEOUT_S = 900


@dataclass(frozen=True)
class Benchmark:
    name: str
    default: tuple[str, ...]  # the sizes the issues ask for
    quick: tuple[str, ...]  # small enough for the whole --quick run to take a few minutes
    timeout_s: int = TIMEOUT_S


BENCHMARKS = (
    Benchmark("startup", ("--runs", "5"), ("--runs", "3")),
    Benchmark("search", ("--rows", "100000"), ("--rows", "20000", "--repeat", "3")),
    Benchmark("pdf", (), ()),
    Benchmark("long_text", ("--chars", "20000,200000,600000"), ("--chars", "20000,200000")),
    Benchmark("evidence_files", ("--mib", "1024"), ("--mib", "128")),
    Benchmark("bundle_io", ("--mib", "1024", "--repeat", "2"), ("--mib", "128", "--repeat", "1")),
    Benchmark("bundle", ("--mib", "1024", "--records", "10000"), ("--mib", "128", "--records", "2000")),
    Benchmark("inspection_list", ("--rows", "100000", "--repeat", "3"), ("--rows", "10000", "--repeat", "1")),
    Benchmark("idle_memory", ("--repeat", "3"), ("--repeat", "1")),
    Benchmark("export_plan", ("--records", "100000"), ("--records", "10000")),
    Benchmark("build_size", (), ()),
    # six parts, each with its own stores; building the 100k inspections alone takes 4–12 minutes
    Benchmark("security", (), ("--quick",), timeout_s=2700),
)


@dataclass
class Outcome:
    bench: Benchmark
    seconds: float
    figures: list[dict[str, Any]]
    output: str
    error: str = ""


def run(bench: Benchmark, quick: bool) -> Outcome:
    cmd = [
        sys.executable,
        str(BENCH / f"{bench.name}.py"),
        *(bench.quick if quick else bench.default),
        "--json",
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=bench.timeout_s)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        return Outcome(bench, time.perf_counter() - started, [], out, f"timed out after {bench.timeout_s} s")
    seconds = time.perf_counter() - started
    human = [line for line in done.stdout.splitlines() if not line.startswith(MARK)]
    results = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    output = "\n".join(human)
    if not results:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        return Outcome(bench, seconds, [], output, f"exit code {done.returncode}, no results\n{tail}")
    figures = json.loads(results[-1][len(MARK) :])["figures"]
    return Outcome(bench, seconds, figures, output)


def number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:,.{digits}f} {unit}".strip()


def rows(outcomes: list[Outcome]) -> list[list[str]]:
    table = []
    for o in outcomes:
        if o.error:
            table.append([o.bench.name, "FAILED: " + o.error.splitlines()[0], "", "", "", "", "no"])
        for f in o.figures:
            met = {True: "yes", False: "NO", None: "—"}[f["met"]]
            ratio = "—" if f["ratio"] is None else f"{f['ratio']:.2f}"
            table.append(
                [
                    o.bench.name,
                    f["figure"],
                    number(f["ours"], f["unit"]),
                    number(f["floor"], f["unit"]),
                    ratio,
                    f["goal"] or "—",
                    met,
                ]
            )
    return table


HEADER = ["benchmark", "figure", "ours", "floor", "ratio", "goal", "met?"]
RIGHT = {2, 3, 4}  # numbers are right-aligned


def text_table(table: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [HEADER, *table]) for i in range(len(HEADER))]

    def line(r: list[str]) -> str:
        cells = [
            c.rjust(w) if i in RIGHT else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(HEADER), rule, *(line(r) for r in table)])


def markdown_table(table: list[list[str]]) -> str:
    align = ["---:" if i in RIGHT else "---" for i in range(len(HEADER))]
    lines = ["| " + " | ".join(r) + " |" for r in [HEADER, align, *table]]
    return "\n".join(lines)


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes: the whole run in a few minutes")
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=[b.name for b in BENCHMARKS])
    parser.add_argument("-v", "--verbose", action="store_true", help="print each benchmark's own output")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--save", type=Path, help="also write every benchmark's output and the table here")
    args = parser.parse_args()
    chosen = [b for b in BENCHMARKS if not args.only or b.name in args.only]
    load_before = loadavg()
    print(f"load average before: {load_before}  ({'quick' if args.quick else 'default'} sizes)", flush=True)
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    for bench in chosen:
        print(f"  {bench.name:<16}", end="", flush=True)
        outcome = run(bench, args.quick)
        outcomes.append(outcome)
        print(f"{outcome.seconds:6.0f} s" + ("  FAILED" if outcome.error else ""), flush=True)
        if args.verbose or outcome.error:
            print(
                "\n".join(
                    "      " + line for line in (outcome.output + "\n" + outcome.error).strip().splitlines()
                )
            )
    total = time.perf_counter() - started
    load_after = loadavg()
    table = rows(outcomes)
    rendered = markdown_table(table) if args.markdown else text_table(table)
    summary = f"total {total / 60:.1f} min; load average before {load_before}, after {load_after}"
    print()
    print(rendered)
    print()
    print(summary)
    print("ratio = ours / floor (time and memory: lower is better; MiB/s: higher is better)")
    if args.save:
        parts = [f"## {o.bench.name} ({o.seconds:.0f} s)\n{o.output}\n{o.error}".rstrip() for o in outcomes]
        args.save.write_text("\n\n".join([*parts, rendered, summary]) + "\n", encoding="utf-8")
    return 1 if any(o.error for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
