"""Incremental export on a big store: 100,000 records exported once, then 10 changed (issue 12 §9).

Run by hand: `python bench/export_plan.py [--records 100000] [--against REV] [--json]`. Builds a throw-away
store (bench/inspection_list.py's: 3,000 subjects and inspections with the demo's check lists as stored
JSON, ~27 KB each; plus evidence items, together `--records` records), exports everything once (measured:
`export all`), then changes 10 records in SQL (6 inspections edited, 2 subjects edited, 2 evidence items
tombstoned) and measures planning + writing the incremental bundle of those 10, in fresh processes:
wall time and peak RSS in one (also the peak once the store is open, before the export), tracemalloc's
peak of Python allocations during the export in another.
With `--against REV` the same is measured with exchange.py of that git revision (the code before issue
12 §9 is bc60a1e), on the same store and export state, and the two bundles' record lists are compared.
Each child runs under an 8 GiB address-space limit, so code that loads the whole store fails with
MemoryError instead of taking the machine down. Goal: the 10-record export takes < 1 s and < 100 MB
of Python allocations, whatever the store's size. Planning alone (which records changed: the current
code's exchange.changed_keys over every synced table, ids and versions only) is timed too, in three
fresh processes on the same state, median; goal ≤ 100 ms at 100k records (issue 14).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import emit, figure, wants_json  # noqa: E402

SUBJECTS = 3000  # what bench/inspection_list.py builds
CHANGED = {"inspection": 6, "subject": 2, "evidence_item": 2}
GOAL_S = 1.0
GOAL_PY_MB = 100.0
GOAL_PLAN_MS = 100.0
LIMIT_AS = 8 * 1024**3


def build(folder: Path, records: int) -> float:
    """Subjects, inspections and evidence items: `records` synced records in all; returns seconds."""
    from sqlalchemy import insert, select

    from bench.inspection_list import build as build_inspections
    from fieldkit.domain.evidence import EvidenceKind
    from fieldkit.services.context import open_context
    from fieldkit.store.schema import EvidenceItemRow, InspectionRow

    started = time.perf_counter()
    inspections = (records - SUBJECTS) * 6 // 10
    items = records - SUBJECTS - inspections
    build_inspections(folder, inspections)
    ctx = open_context(folder)
    rng = random.Random(12)
    with ctx.sessions.begin() as session:
        parents = list(session.execute(select(InspectionRow.id, InspectionRow.start_at)))
        officers = ["张建国", "李晓梅"]
        rows: list[dict[str, Any]] = []
        for n in range(items):
            parent, at = parents[rng.randrange(len(parents))]
            at = at or ctx.now()
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "device_id": ctx.device_id,
                    "version": 1,
                    "created_at": at,
                    "updated_at": at,
                    "matter_id": parent,
                    "seq": n % 5 + 1,
                    "kind": str(rng.choice(list(EvidenceKind))),
                    "name": rng.choice(("现场照片", "营业执照复印件", "进货票据", "询问笔录")),
                    "source": "当事人提供",
                    "proves": "证明当事人经营场所内存放超过保质期的食品",
                    "quantity": f"{rng.randint(1, 12)}张",
                    "collected_at": at,
                    "collected_place": "经营场所",
                    "collected_by": officers,
                    "note": "",
                    "status": "final",
                    "finalised_at": at,
                }
            )
            if len(rows) == 10_000:
                session.execute(insert(EvidenceItemRow), rows)
                rows = []
        if rows:
            session.execute(insert(EvidenceItemRow), rows)
    ctx.sessions.kw["bind"].dispose()
    return time.perf_counter() - started


def change_ten(folder: Path) -> None:
    """Edit 6 inspections and 2 subjects, tombstone 2 evidence items: a version up each, as services do."""
    from tests.rawdb import connect  # the store is encrypted (issue 13): opened with its key

    conn = connect(folder / "fieldkit.db")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    with conn:
        for table, n in CHANGED.items():
            ids = [r[0] for r in conn.execute(f"SELECT id FROM {table} ORDER BY random() LIMIT {n}")]
            extra = ", deleted_at = :now" if table == "evidence_item" else ""
            extra += ", findings = findings || '（已补充）'" if table == "inspection" else ""
            extra += ", phone = '0539-7654321'" if table == "subject" else ""
            for record_id in ids:
                conn.execute(
                    f"UPDATE {table} SET version = version + 1, updated_at = :now{extra} WHERE id = :id",
                    {"now": now, "id": record_id},
                )
        conn.execute("CREATE TABLE bench_export_state AS SELECT * FROM export_state")
        conn.execute("CREATE TABLE bench_audit_end AS SELECT max(seq) AS seq FROM audit_log")
    conn.close()


def reset(folder: Path) -> None:
    """Back to the moment after change_ten, so each code under test exports the same 10."""
    from tests.rawdb import connect

    conn = connect(folder / "fieldkit.db")
    with conn:
        conn.execute("DELETE FROM export_state")
        conn.execute("INSERT INTO export_state SELECT * FROM bench_export_state")
        conn.execute("DELETE FROM audit_log WHERE seq > (SELECT seq FROM bench_audit_end)")
    conn.close()


CHILD = """
import json, resource, sys, time, tracemalloc
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
sys.path.insert(0, {root!r})
from pathlib import Path
import fieldkit.services.exchange
from fieldkit.services.context import open_context
code = {code!r}
if code:
    import importlib.util
    spec = importlib.util.spec_from_file_location("fieldkit.services.exchange_baseline", code)
    exchange = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = exchange  # dataclasses look their module up
    spec.loader.exec_module(exchange)
else:
    exchange = fieldkit.services.exchange
ctx = open_context(Path({folder!r}))
rss_open = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # imports and opening the store
if {traced!r}:
    tracemalloc.start()
started = time.perf_counter()
try:
    result = exchange.export_bundle(ctx, Path({out!r}), everything={everything!r})
except MemoryError:
    print(json.dumps({{"error": "MemoryError"}}))
    sys.exit(0)
seconds = time.perf_counter() - started
peak = tracemalloc.get_traced_memory()[1] if {traced!r} else 0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"s": seconds, "rss_mb": rss, "rss_open_mb": rss_open, "py_mb": peak / 2**20, "records": result.record_count,
                  "path": str(result.path)}}))
"""


PLAN_CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from fieldkit.services import exchange
from fieldkit.services.context import open_context
ctx = open_context(Path({folder!r}))
with ctx.sessions() as session:
    started = time.perf_counter()
    keys = list(exchange.changed_keys(session, exchange.plan_export(session)))
    seconds = time.perf_counter() - started
print(json.dumps({{"ms": seconds * 1000, "records": len(keys)}}))
"""


def measure_plan(folder: Path) -> dict[str, Any]:
    """Planning only (the current code), median of three fresh processes; nothing is written."""
    runs = []
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", PLAN_CHILD.format(root=str(ROOT), folder=str(folder))],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    runs.sort(key=lambda r: r["ms"])
    return runs[1]


def measure(
    folder: Path, out: Path, *, code: str = "", traced: bool, everything: bool = False
) -> dict[str, Any]:
    script = CHILD.format(
        limit=LIMIT_AS,
        root=str(ROOT),
        code=code,
        folder=str(folder),
        traced=traced,
        out=str(out),
        everything=everything,
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no output)"]
        return {"error": tail[0]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def record_list(path: str) -> list[tuple[str, str, int, str]]:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    return [
        (r["type"], r["id"], r["version"], r["sha256"])
        for r in manifest["records"]
        if r["type"] != "audit_log"
    ]


def run_code(folder: Path, base: Path, label: str, code: str) -> dict[str, Any]:
    """The 10-record export with one version of exchange.py: timed, then traced (from the same state)."""
    reset(folder)
    timed = measure(folder, base / f"usb-{label}-t", code=code, traced=False)
    reset(folder)
    traced = measure(folder, base / f"usb-{label}-m", code=code, traced=True)
    return {"timed": timed, "traced": traced}


def main() -> int:
    as_json = wants_json()
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--against", default="", help="git revision whose exchange.py to measure too")
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(dir=args.dir))
    folder = base / "store"
    try:
        seconds = build(folder, args.records)
        size = (folder / "fieldkit.db").stat().st_size / 2**20
        print(f"store: {args.records:,} records, {size:,.0f} MiB, built in {seconds:.0f} s")
        first = measure(folder, base / "usb-all", traced=False)
        print(f"export of everything (current code): {first}")
        change_ten(folder)
        planned = measure_plan(folder)
        print(
            f"planning the incremental export (current code, median of 3): {planned['ms']:.0f} ms, {planned['records']} records"
        )
        runs = {"current": run_code(folder, base, "current", "")}
        if args.against:
            source = subprocess.run(
                ["git", "show", f"{args.against}:fieldkit/services/exchange.py"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            baseline = base / "exchange_baseline.py"
            baseline.write_text(source, encoding="utf-8")
            runs[args.against] = run_code(folder, base, "baseline", str(baseline))
        print(f"{'code':12}{'s':>8}{'RSS MB':>9}{'(opened)':>9}{'Python peak MB':>16}{'records':>9}")
        for label, r in runs.items():
            t, m = r["timed"], r["traced"]
            if "error" in t or "error" in m:
                print(f"{label:12} failed: {t.get('error') or m.get('error')}")
                continue
            print(
                f"{label:12}{t['s']:>8.2f}{t['rss_mb']:>9.0f}{t['rss_open_mb']:>9.0f}{m['py_mb']:>16.1f}{t['records']:>9}"
            )
        if args.against and all("path" in r["timed"] for r in runs.values()):
            same = record_list(runs["current"]["timed"]["path"]) == record_list(
                runs[args.against]["timed"]["path"]
            )
            print(f"same records (type, id, version, SHA-256) in both bundles: {same}")
        cur = runs["current"]
        figures = []
        if "error" not in cur["timed"] and "error" not in cur["traced"]:
            label = f"{args.records // 1000}k"
            figures = [
                figure(
                    f"incremental export planning, 10 of {label} changed",
                    planned["ms"],
                    None,
                    "ms",
                    f"≤ {GOAL_PLAN_MS:g} ms",
                    planned["ms"] <= GOAL_PLAN_MS,
                ),
                figure(
                    f"incremental export, 10 of {label} changed",
                    cur["timed"]["s"],
                    None,
                    "s",
                    f"< {GOAL_S:g} s",
                    cur["timed"]["s"] < GOAL_S,
                ),
                figure(
                    f"incremental export, 10 of {label}: Python peak",
                    cur["traced"]["py_mb"],
                    None,
                    "MB",
                    f"< {GOAL_PY_MB:g} MB",
                    cur["traced"]["py_mb"] < GOAL_PY_MB,
                ),
                figure(f"incremental export, 10 of {label}: peak RSS", cur["timed"]["rss_mb"], None, "MB"),
            ]
            if "s" in first:
                figures.append(figure(f"export of all {label}", first["s"], None, "s"))
                figures.append(figure(f"export of all {label}: peak RSS", first["rss_mb"], None, "MB"))
        if as_json:
            emit("export_plan", figures)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
