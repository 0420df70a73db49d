"""Machine-readable results of one benchmark: a final JSON line that `python -m bench` collects."""

from __future__ import annotations

import json
import sys
from typing import Any

MARK = "BENCH-RESULT "


def figure(
    name: str,
    ours: float,
    floor: float | None,
    unit: str,
    goal: str = "",
    met: bool | None = None,
) -> dict[str, Any]:
    """One row of the table: `ratio` is always ours / floor (the goal says which way is better)."""
    ratio = ours / floor if floor else None
    return {
        "figure": name,
        "ours": ours,
        "floor": floor,
        "unit": unit,
        "ratio": ratio,
        "goal": goal,
        "met": met,
    }


def emit(bench: str, figures: list[dict[str, Any]]) -> None:
    """Print the figures as one line, after the benchmark's own human-readable output."""
    sys.stdout.flush()
    print(MARK + json.dumps({"bench": bench, "figures": figures}, ensure_ascii=False), flush=True)


def wants_json(argv: list[str] | None = None) -> bool:
    """`--json` on the command line (removed, so argparse-free scripts need not know about it)."""
    args = sys.argv if argv is None else argv
    if "--json" in args:
        args.remove("--json")
        return True
    return False
