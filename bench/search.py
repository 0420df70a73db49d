"""Subject search at 100,000 rows: median ms for 2-, 3- and 6-character queries (goal ≤ 100 ms).

Run by hand: `python bench/search.py [--rows 100000] [--json]`. Builds a throw-away store in a temp dir.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from bench.results import emit, figure, wants_json
from fieldkit.services.context import open_context
from fieldkit.services.demo import demo_subjects
from fieldkit.store import search
from fieldkit.store.schema import SubjectRow

QUERIES = {
    2: ["超市", "张三", "小吃", "药房", "91"],
    3: ["水果店", "人民路", "王建国", "有限公", "371"],
    6: ["金华家超市有", "大药房连锁有", "山东省临沂市", "餐饮管理有限", "9137130"],
}


def build(rows: int, folder: Path) -> float:
    ctx = open_context(folder)
    rng = random.Random(1)
    drafts = demo_subjects(rng, 2000)  # realistic names/addresses, varied below
    started = time.perf_counter()
    now = ctx.now()
    values = []
    for i in range(rows):
        d, _ = drafts[i % len(drafts)]
        values.append(
            {
                "id": uuid.uuid4(),
                "device_id": ctx.device_id,
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "name": d.name.replace("临沂市", rng.choice(["临沂市", "兰山区", "罗庄区", "河东区"]))
                + f"{i}",
                "subject_type": str(d.subject_type),
                "uscc": None,
                "legal_rep": d.legal_rep,
                "address": d.address,
                "phone": d.phone,
                "license_no": d.license_no,
                "search_rowid": i + 1,
            }
        )
    with ctx.sessions.begin() as session:
        session.execute(insert(SubjectRow), values)
        for start in range(0, rows, 5000):
            chunk = [SubjectRow(**v) for v in values[start : start + 5000]]
            search.index_subjects(session, chunk)
    return time.perf_counter() - started


def main() -> int:
    as_json = wants_json()
    figures = []
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        build_s = build(args.rows, Path(tmp))
        ctx = open_context(Path(tmp))
        print(f"built {args.rows:,} subjects + FTS in {build_s:.1f} s")
        print(f"{'chars':>5} {'median ms':>10} {'max ms':>8} {'matches (median)':>17}   goal ≤ 100 ms")
        for length, queries in QUERIES.items():
            times, counts = [], []
            for q in queries:
                for _ in range(args.repeat):
                    with ctx.sessions() as session:
                        t = time.perf_counter()
                        ids = search.search_subject_ids(session, q)
                        times.append((time.perf_counter() - t) * 1000)
                counts.append(len(ids))
            print(
                f"{length:>5} {statistics.median(times):>10.1f} {max(times):>8.1f} {statistics.median(counts):>17}"
            )
            ms = statistics.median(times)
            figures.append(
                figure(
                    f"search {length} chars in {args.rows // 1000}k: median",
                    ms,
                    None,
                    "ms",
                    "≤ 100 ms",
                    ms <= 100,
                )
            )
    if as_json:
        emit("search", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
