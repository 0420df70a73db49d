"""Memory of the idle main window (demo data dir, shown, events processed, gc) against a bare QMainWindow.

Run by hand: `python bench/idle_memory.py [--repeat 3] [--json]`. Makes a demo data dir, then in fresh
processes, offscreen: ours starts the GUI the way `fieldkit gui` does (application with font and style,
store opened, session begun, main window built and shown on the dashboard), processes events for a
moment, collects garbage and reads VmRSS; the floor does the same with a bare QApplication and an empty
QMainWindow of the same size. Goal: < 200 MB (the memory goal of the other benchmarks).
The same processes give the cold start to a shown main window: from starting the interpreter to the
window shown and its first events processed (DESIGN §7: under 1.5 s; issue 14: at most 2× the floor;
selftest in startup.py does more), and the CPU seconds the process used by then, which the load of a shared
machine disturbs much less than the wall clock. Ours quits cleanly (the session is ended as `fieldkit gui`
does), so every counted run is an ordinary start, not a start after a crash (which also looks for
orphaned files). The demo data dir has no officer password: no argon2 unlock (~0.1 s with one).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import emit, figure, wants_json  # noqa: E402

GOAL_MB = 200.0
GOAL_START_S = 1.5
GOAL_START_RATIO = 2.0  # issue 14: cold start at most 2× a bare PySide6 window (aim 1.5×)
SETTLE_S = 0.5  # events processed this long after showing: deferred work runs, the window is idle


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_s() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(mode: str, data_dir: Path) -> dict[str, float]:
    import gc

    if mode == "ours":
        from fieldkit.logs import setup_logging
        from fieldkit.services.context import open_context
        from fieldkit.ui.app import create_application, install_excepthooks, start_main_window

        setup_logging(data_dir / "logs")
        app = create_application([sys.argv[0]])
        install_excepthooks()
        ctx = open_context(data_dir)
        window = start_main_window(ctx)
    else:
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication([sys.argv[0]])
        window = QMainWindow()
        window.resize(1360, 860)
    window.show()
    app.processEvents()
    shown_at = time.monotonic()  # CLOCK_MONOTONIC: the parent's clock too, on Linux
    cpu_s = _cpu_s()
    deadline = time.perf_counter() + SETTLE_S
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.01)
    gc.collect()
    app.processEvents()
    out = {
        "rss_mb": _status_mb("VmRSS"),
        "peak_mb": _status_mb("VmHWM"),
        "shown_at": shown_at,
        "cpu_s": cpu_s,
    }
    window.close()
    if mode == "ours":
        from fieldkit.services import recovery

        recovery.end_session(ctx)  # a clean quit, as run_gui: the next run is not a start after a crash
    return out


def run_child(mode: str, data_dir: Path) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{mode} child failed:\n{out.stderr}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["start_s"] = result.pop("shown_at") - started
    return result


def main() -> int:
    as_json = wants_json()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes of each; medians reported")
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=["ours", "floor"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.dir)))
        return 0
    folder = Path(tempfile.mkdtemp(prefix="fieldkit-bench-idle-"))
    try:
        data = folder / "data"
        subprocess.run(
            [sys.executable, "-m", "fieldkit", "--data-dir", str(data), "demo"],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        runs: dict[str, list[dict[str, float]]] = {"ours": [], "floor": []}
        run_child("ours", data)  # not counted: the first run compiles .pyc files
        for _ in range(args.repeat):
            for mode in runs:
                runs[mode].append(run_child(mode, data))
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    def med(mode: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[mode])

    print(f"median of {args.repeat} fresh processes each, offscreen, after {SETTLE_S} s idle and gc")
    print(f"{'':40}{'RSS MB':>8}{'peak MB':>9}{'start s':>9}{'CPU s':>8}")
    for mode, label in (("floor", "floor: bare QMainWindow"), ("ours", "ours: main window on demo data")):
        print(
            f"{label:40}{med(mode, 'rss_mb'):>8.0f}{med(mode, 'peak_mb'):>9.0f}{med(mode, 'start_s'):>9.2f}"
            f"{med(mode, 'cpu_s'):>8.2f}"
        )
    ours, floor = med("ours", "rss_mb"), med("floor", "rss_mb")
    start, start_floor = med("ours", "start_s"), med("floor", "start_s")
    print(f"RSS ratio {ours / floor:.2f}  (goal < {GOAL_MB:.0f} MB)")
    cpu, cpu_floor = med("ours", "cpu_s"), med("floor", "cpu_s")
    print(
        f"cold start to a shown main window: {start:.2f} s, ratio {start / start_floor:.2f}"
        f"  (goal ≤ {GOAL_START_RATIO:.0f}× and < {GOAL_START_S} s); CPU {cpu:.2f} s, ratio {cpu / cpu_floor:.2f}"
    )
    if as_json:
        emit(
            "idle_memory",
            [
                figure("idle main window: RSS", ours, floor, "MB", f"< {GOAL_MB:.0f} MB", ours < GOAL_MB),
                figure(
                    "cold start: main window shown",
                    start,
                    start_floor,
                    "s",
                    f"ratio ≤ {GOAL_START_RATIO:.0f}",
                    start / start_floor <= GOAL_START_RATIO,
                ),
                figure(
                    "cold start: CPU to main window shown",
                    cpu,
                    cpu_floor,
                    "s",
                    f"ratio ≤ {GOAL_START_RATIO:.0f}",
                    cpu / cpu_floor <= GOAL_START_RATIO,
                ),
            ],
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
