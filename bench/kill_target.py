"""The process the kill -9 harness kills: one long write, announced with "GO" on stdout.

Usage: python -m bench.kill_target SCENARIO DATA_DIR ARG…   (see bench/kill_harness.py)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    scenario, data_dir, *args = argv
    data = Path(data_dir)
    from fieldkit.services.context import open_context

    if scenario == "evidence_add":
        from fieldkit.cli import main as cli

        print("GO", flush=True)
        start = time.perf_counter()
        code = cli(["--data-dir", str(data), "evidence", "add", args[0], args[1], "--json"])
        print(f"DONE {time.perf_counter() - start:.3f} {code}", flush=True)
        return 0
    ctx = open_context(data)
    if scenario in ("export", "export_encrypted"):
        from fieldkit.services import exchange

        key = Path(args[1]) if scenario == "export_encrypted" else None
        print("GO", flush=True)
        start = time.perf_counter()
        exchange.export_bundle(ctx, Path(args[0]), everything=True, encrypt_to=key, officer="张建国")
    elif scenario == "import":
        from fieldkit.services import exchange_views

        print("GO", flush=True)
        start = time.perf_counter()
        exchange_views.import_file(ctx, Path(args[0]), key_path=Path(args[1]) if len(args) > 1 else None)
    elif scenario == "subject_import":
        from fieldkit.services.subject_import import import_subjects

        print("GO", flush=True)
        start = time.perf_counter()
        import_subjects(ctx, Path(args[0]))
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    print(f"DONE {time.perf_counter() - start:.3f} 0", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
