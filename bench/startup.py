"""Cold start: `fieldkit selftest` against a bare PySide6 window shown and closed (median of 5).

Run by hand: `python bench/startup.py [--runs 5] [--json]`. Goal: ratio ≤ 1.5. Both run as fresh processes,
offscreen.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import emit, figure, wants_json  # noqa: E402

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1200, 800); w.show(); app.processEvents(); w.close()
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def main(runs: int = 5) -> int:
    as_json = wants_json()
    if "--runs" in sys.argv:
        runs = int(sys.argv[sys.argv.index("--runs") + 1])
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        fk = [sys.executable, "-m", "fieldkit", "--data-dir", str(data)]
        subprocess.run([*fk, "demo"], env=env, check=True, capture_output=True, cwd=ROOT)
        timed([*fk, "selftest"], env)  # the first run compiles .pyc files; not counted
        bare = [timed([sys.executable, "-c", BARE], env) for _ in range(runs)]
        ours = [timed([*fk, "selftest"], env) for _ in range(runs)]
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"{'':28}{'median s':>10}{'min s':>8}")
    print(f"{'bare PySide6 window':28}{b:>10.3f}{min(bare):>8.3f}")
    print(f"{'fieldkit selftest':28}{o:>10.3f}{min(ours):>8.3f}")
    print(f"ratio {o / b:.2f}  (goal ≤ 1.5)")
    if as_json:
        emit(
            "startup", [figure("cold start: selftest vs bare window", o, b, "s", "ratio ≤ 1.5", o / b <= 1.5)]
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
