"""Inspection list at 100,000 rows: first paint, scroll to the end and RSS, against a bare QTableView.

Run by hand: `python bench/inspection_list.py [--rows 100000] [--json]`. Builds a throw-away store (a few
thousand subjects, the inspections inserted in bulk through SQLAlchemy Core with the check items, officers
and outcomes the demo gives), then in fresh processes, offscreen:
ours: the 检查 page (InspectionsPage over the lazy model) created, shown and painted; then scrolled to
the end (scrollToBottom, events processed until the last rows are fetched and painted); RSS after.
floor: a bare QTableView over a trivial QAbstractTableModel with as many rows, returning constant
strings, same columns, same steps, same application set-up (font, style sheet).
Goals (DESIGN §7, "no visible pause"; issue 14): first paint ≤ 300 ms, scroll to the end ≤ 50 ms; RSS < 200 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
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

SUBJECTS = 3000
VARIANTS = 48  # check lists per combination of domains
PAGE_SIZE = (1192, 800)  # the page inside the 1360×860 main window, beside the navigation
GOAL_PAINT_MS = 300.0  # issue 14
GOAL_SCROLL_MS = 50.0  # issue 14
GOAL_RSS_MB = 200.0


# ---- the store ------------------------------------------------------------------------------------
def build(folder: Path, rows: int) -> float:
    """A set-up store with SUBJECTS subjects and `rows` inspections; returns the seconds it took."""
    from sqlalchemy import Text, bindparam, insert

    from fieldkit.catalog import load_checklists
    from fieldkit.domain.agency import AgencyDraft, OfficerDraft
    from fieldkit.domain.checklists import CheckResult
    from fieldkit.domain.inspections import InspectionStatus, InspectionType, Outcome, checks_for_domains
    from fieldkit.services import setup
    from fieldkit.services.context import SHANGHAI, open_context
    from fieldkit.services.demo import demo_subjects
    from fieldkit.store import search
    from fieldkit.store.schema import InspectionRow, SubjectRow

    started = time.perf_counter()
    ctx = open_context(folder)
    setup.run_setup(
        ctx,
        AgencyDraft(full_name="临沂市兰山区市场监督管理局", short_name="兰", unit="综合行政执法大队"),
        [
            OfficerDraft("张建国", "37130219001", "综合行政执法大队"),
            OfficerDraft("李晓梅", "37130219002", "综合行政执法大队"),
            OfficerDraft("王喆", "37130219003", "食品药品稽查中队"),
            OfficerDraft("赵堃", "37130219004", "特种设备稽查中队"),
        ],
        "A1",
    )
    officers = [
        {"officer_id": str(o.id), "name": o.name, "cert_no": o.cert_no}
        for o in setup.load_settings(ctx).active_officers
    ]
    rng = random.Random(6)
    now = ctx.now()
    subjects = []
    for i, (d, domains) in enumerate(demo_subjects(rng, SUBJECTS)):
        subjects.append(
            (
                {
                    "id": uuid.uuid4(),
                    "device_id": ctx.device_id,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "name": d.name,
                    "subject_type": str(d.subject_type),
                    "uscc": d.uscc,
                    "legal_rep": d.legal_rep,
                    "address": d.address,
                    "phone": d.phone,
                    "license_no": d.license_no,
                    "search_rowid": i + 1,
                },
                domains,
            )
        )
    by_id = {d.id: d for d in load_checklists()}
    outcomes = [o for o in Outcome if o is not Outcome.NO_PROBLEM]
    types = [str(t) for t in list(InspectionType)[:4]]
    pools: dict[tuple[str, ...], list[tuple[str, bool]]] = {}

    def check_lists(domains: tuple[str, ...]) -> list[tuple[str, bool]]:
        """VARIANTS check lists of these domains as the demo fills them, as stored JSON text, with
        whether any item failed: the JSON (~27 KB each) is made once per variant, not per row."""
        if domains not in pools:
            checks = checks_for_domains([by_id[d] for d in domains if d in by_id])
            pool = []
            for v in range(VARIANTS):
                failed = set(rng.sample(range(len(checks)), min(2, len(checks)))) if v % 3 else set()
                entries = [
                    {
                        "domain_id": c.domain_id,
                        "code": c.code,
                        "group": c.group,
                        "text": c.text,
                        "basis": c.basis,
                        "result": str(
                            CheckResult.FAIL
                            if k in failed
                            else CheckResult.PASS
                            if rng.random() < 0.8
                            else CheckResult.NOT_APPLICABLE
                        ),
                        "note": "现场发现问题，已拍照取证" if k in failed else "",
                    }
                    for k, c in enumerate(checks)
                ]
                pool.append((json.dumps(entries), bool(failed)))  # what the JSON column type stores
            pools[domains] = pool
        return pools[domains]

    values: list[dict[str, Any]] = []
    for n in range(rows):
        subject, domains = subjects[rng.randrange(len(subjects))]
        checks_json, failing = rng.choice(check_lists(domains))
        draft = n % 20 == 0
        outcome = None if draft else rng.choice(outcomes) if failing else Outcome.NO_PROBLEM
        start = dt.datetime.combine(
            dt.date(2026, 3, 1) - dt.timedelta(days=rng.randrange(0, 3 * 365)),
            dt.time(rng.randrange(9, 17), rng.choice((0, 15, 30, 45))),
            SHANGHAI,
        )
        end = start + dt.timedelta(minutes=rng.choice((40, 60, 90)))
        values.append(
            {
                "id": uuid.uuid4(),
                "device_id": ctx.device_id,
                "version": rng.randint(1, 4),
                "created_at": start,
                "updated_at": end if not draft else start + dt.timedelta(minutes=5),
                "subject_id": subject["id"],
                "status": str(InspectionStatus.DRAFT if draft else InspectionStatus.COMPLETED),
                "inspection_type": rng.choice(types),
                "start_at": start,
                "end_at": None if draft else end,
                "place": subject["address"],
                "officers": rng.sample(officers, 2),
                "domains": [d for d in domains if d in by_id],
                "checks_json": checks_json,
                "findings": "检查发现问题，详见检查项目。"
                if failing
                else "经检查，该单位证照齐全，未发现违法违规行为。",
                "outcome": None if outcome is None else str(outcome),
                "outcome_note": "",
                "rectify_deadline": start.date() + dt.timedelta(days=15)
                if outcome is Outcome.RECTIFY
                else None,
                "completed_at": None if draft else end,
            }
        )
    # Core insert; the check lists go in as the JSON text made above
    insert_inspections = insert(InspectionRow.__table__).values(checks=bindparam("checks_json", type_=Text))
    with ctx.sessions.begin() as session:
        session.execute(insert(SubjectRow), [s for s, _ in subjects])
        search.index_subjects(session, [SubjectRow(**s) for s, _ in subjects])
        for start_row in range(0, rows, 10_000):
            session.execute(insert_inspections, values[start_row : start_row + 10_000])
    ctx.sessions.kw["bind"].dispose()
    return time.perf_counter() - started


# ---- the measured process -------------------------------------------------------------------------
def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(mode: str, folder: Path, rows: int) -> dict[str, float]:
    """Create, show and paint the view, then scroll to the end; print what it took as JSON."""
    import gc

    from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt
    from PySide6.QtWidgets import QAbstractItemView, QTableView

    from fieldkit.ui.app import create_application

    app = create_application([sys.argv[0]])

    class PaintCounter(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.paints = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.paints += 1
            return False

    def until(done: Any, limit_s: float = 30.0) -> None:
        deadline = time.perf_counter() + limit_s
        while not done():
            app.processEvents()
            if time.perf_counter() > deadline:
                raise RuntimeError("the view did not paint")

    extra: dict[str, float] = {}
    if mode.startswith("ours"):
        from fieldkit.services import list_orders
        from fieldkit.services.context import open_context

        t = time.perf_counter()
        from fieldkit.ui.widgets.inspections_page import InspectionsPage

        extra["import_ms"] = (time.perf_counter() - t) * 1000
        ctx = open_context(folder)
        if (
            "@" in mode
        ):  # ours@failed: the page opens in the order remembered for it, by 不符合项 (most first)
            key = mode.split("@", 1)[1]
            list_orders.remember_list_order(ctx, "inspections", key, key in ("start", "failed"))
        started = time.perf_counter()
        widget: Any = InspectionsPage(ctx)
        widget.resize(*PAGE_SIZE)
        widget.show()
        widget.page_shown()
        table, model = widget.table, widget.model
    else:

        class Trivial(QAbstractTableModel):
            def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
                return 0 if parent.isValid() else rows

            def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
                return 0 if parent.isValid() else 9

            def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
                return "临沂市兰山区某某超市有限公司" if role == Qt.ItemDataRole.DisplayRole else None

            def headerData(
                self, section: int, orientation: Any, role: int = Qt.ItemDataRole.DisplayRole
            ) -> Any:
                return "列" if role == Qt.ItemDataRole.DisplayRole else None

        started = time.perf_counter()
        table = widget = QTableView()
        model = Trivial(table)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(30)
        table.resize(*PAGE_SIZE)
        table.show()
    counter = PaintCounter()
    table.viewport().installEventFilter(counter)
    until(lambda: counter.paints > 0)
    first_paint = time.perf_counter() - started
    if model.rowCount() != rows:
        raise RuntimeError(f"{model.rowCount()} rows shown, {rows} expected")

    fetched_before = getattr(model, "fetch_count", 0)
    painted = counter.paints
    started = time.perf_counter()
    table.scrollToBottom()
    until(lambda: counter.paints > painted)
    if mode.startswith("ours"):
        until(lambda: rows - 1 in model._cache)  # the last row was fetched (it is painted by now)
    scroll = time.perf_counter() - started
    last = model.index(rows - 1, 1).data()
    if mode.startswith("ours") and not last:
        raise RuntimeError("the last row has no subject name")
    app.processEvents()
    gc.collect()
    return {
        "first_paint_ms": first_paint * 1000,
        "scroll_ms": scroll * 1000,
        "rss_mb": _rss_mb(),
        "pages_fetched": float(getattr(model, "fetch_count", 0) - fetched_before),
        **extra,
    }


def run_child(mode: str, folder: Path, rows: int) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--dir", str(folder), "--rows", str(rows)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{mode} child failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    as_json = wants_json()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes of each; medians reported")
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)  # ours, floor, ours@<sort key>
    parser.add_argument(
        "--sorts",
        default="failed,subject,officers",
        help="also time first paint with the list sorted by these keys (services.inspections.SORT_KEYS)",
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.dir, args.rows)))
        return 0
    folder = Path(tempfile.mkdtemp(prefix="fieldkit-bench-list-"))
    try:
        print(f"building {args.rows:,} inspections over {SUBJECTS:,} subjects …", flush=True)
        seconds = build(folder, args.rows)
        size = (folder / "fieldkit.db").stat().st_size / 1024 / 1024
        print(f"built in {seconds:.1f} s, database {size:.0f} MiB")
        sorted_modes = [f"ours@{k}" for k in args.sorts.split(",") if k]
        runs: dict[str, list[dict[str, float]]] = {"ours": [], "floor": [], **{m: [] for m in sorted_modes}}
        for _ in range(args.repeat):  # alternate, so a busy machine slows both alike
            for mode in runs:
                runs[mode].append(run_child(mode, folder, args.rows))
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    def med(mode: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[mode])

    print(f"median of {args.repeat} fresh processes each, {args.rows:,} rows, offscreen")
    print(f"{'':36}{'first paint ms':>15}{'scroll ms':>11}{'RSS MB':>8}{'pages':>7}")
    for mode, label in (
        ("floor", "floor: QTableView, trivial model"),
        ("ours", "ours: 检查 page, lazy model"),
    ):
        print(
            f"{label:36}{med(mode, 'first_paint_ms'):>15.0f}{med(mode, 'scroll_ms'):>11.1f}"
            f"{med(mode, 'rss_mb'):>8.0f}{med(mode, 'pages_fetched'):>7.0f}"
        )
    for mode in sorted_modes:
        label = f"ours, sorted by {mode.split('@')[1]}"
        print(
            f"{label:36}{med(mode, 'first_paint_ms'):>15.0f}{med(mode, 'scroll_ms'):>11.1f}"
            f"{med(mode, 'rss_mb'):>8.0f}{med(mode, 'pages_fetched'):>7.0f}"
        )
    print(
        f"(ours: importing the page's modules beforehand took {med('ours', 'import_ms'):.0f} ms, not counted)"
    )
    paint, scroll, rss = med("ours", "first_paint_ms"), med("ours", "scroll_ms"), med("ours", "rss_mb")
    print(
        f"goals: first paint ≤ {GOAL_PAINT_MS:.0f} ms, scroll ≤ {GOAL_SCROLL_MS:.0f} ms, RSS < {GOAL_RSS_MB:.0f} MB"
    )
    if as_json:
        n = f"{args.rows // 1000}k" if args.rows >= 1000 else str(args.rows)
        emit(
            "inspection_list",
            [
                figure(
                    f"list of {n}: first paint",
                    paint,
                    med("floor", "first_paint_ms"),
                    "ms",
                    f"≤ {GOAL_PAINT_MS:.0f} ms",
                    paint <= GOAL_PAINT_MS,
                ),
                figure(
                    f"list of {n}: scroll to end",
                    scroll,
                    med("floor", "scroll_ms"),
                    "ms",
                    f"≤ {GOAL_SCROLL_MS:.0f} ms",
                    scroll <= GOAL_SCROLL_MS,
                ),
                *(
                    figure(
                        f"list of {n} sorted by {mode.split('@')[1]}: first paint",
                        med(mode, "first_paint_ms"),
                        med("floor", "first_paint_ms"),
                        "ms",
                        f"≤ {GOAL_PAINT_MS:.0f} ms",
                        med(mode, "first_paint_ms") <= GOAL_PAINT_MS,
                    )
                    for mode in sorted_modes
                ),
                figure(
                    f"list of {n}: RSS after scrolling",
                    rss,
                    med("floor", "rss_mb"),
                    "MB",
                    f"< {GOAL_RSS_MB:.0f} MB",
                    rss < GOAL_RSS_MB,
                ),
            ],
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
