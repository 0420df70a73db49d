"""Bundles through the services: export + verify of an inspection with ~1 GB of evidence against
`sha256sum` + `zip -0` (the floor), and import of 10,000 records against raw SQLite bulk inserts.

Run by hand: `python bench/bundle.py [--mib 1024] [--records 10000] [--json]`. Each measured step runs in
its own process (`/usr/bin/time -f %M` gives its peak RSS). Goals: export and verify ≥ 0.8× the floor's
throughput, RSS < 200 MB, import ≤ 3× raw SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import emit, figure, wants_json  # noqa: E402

MiB = 1024 * 1024


def _timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MB, stdout."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, cwd=cwd, check=True
    )
    elapsed = time.perf_counter() - started
    rss_kb = int(done.stderr.strip().splitlines()[-1])
    return elapsed, rss_kb // 1024, done.stdout


def _fk(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "fieldkit", "--data-dir", str(data), *args]


def prepare_evidence(base: Path, mib: int) -> tuple[Path, str, Path]:
    laptop = base / "laptop"
    subprocess.run(_fk(laptop, "demo"), check=True, capture_output=True)
    inspection = json.loads(
        subprocess.run(
            _fk(laptop, "inspections", "list", "--json"), check=True, capture_output=True, text=True
        ).stdout
    )[0]["id"]
    card = base / "card"
    card.mkdir()
    rng = random.Random(7)
    left = mib * MiB
    n = 0
    while left > 0:
        size = min(left, 200 * MiB if n % 40 == 39 else rng.randrange(3 * MiB, 8 * MiB))
        with open(card / f"IMG_{n:04d}.JPG", "wb") as f:
            f.write(os.urandom(size))
        left -= size
        n += 1
    subprocess.run(_fk(laptop, "evidence", "add", inspection, str(card)), check=True, capture_output=True)
    return laptop, inspection, card


def bench_export(base: Path, mib: int) -> list[dict[str, object]]:
    laptop, inspection, card = prepare_evidence(base, mib)
    office = base / "office"
    subprocess.run(
        _fk(
            office,
            "setup",
            "--agency",
            "临沂市兰山区市场监督管理局",
            "--short",
            "兰",
            "--officer",
            "甲:1",
            "--officer",
            "乙:2",
            "--device-code",
            "OF",
        ),
        check=True,
        capture_output=True,
    )
    pem = subprocess.run(_fk(laptop, "device", "pubkey"), check=True, capture_output=True, text=True).stdout
    (base / "a1.pem").write_text(pem)
    subprocess.run(
        _fk(office, "office", "trust-device", str(base / "a1.pem"), "--name", "A1"),
        check=True,
        capture_output=True,
    )
    files = sorted(card.iterdir())
    subprocess.run(["cat", *map(str, files)], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
    floor_hash, _, _ = _timed(["sha256sum", *map(str, files)])
    floor_zip, _, _ = _timed(["zip", "-0", "-q", str(base / "floor.zip"), *map(str, files)])
    floor = floor_hash + floor_zip
    usb = base / "usb"
    t_export, rss_export, out = _timed(
        _fk(laptop, "export", "-o", str(usb), "--inspection", inspection, "--json")
    )
    bundle = Path(json.loads(out)["path"])
    t_verify, rss_verify, _ = _timed(_fk(office, "bundle", "verify", str(bundle)))
    size = bundle.stat().st_size / MiB
    print(f"evidence {size:,.0f} MiB in {len(files)} files")
    print(f"{'step':34}{'s':>8}{'MiB/s':>9}{'RSS MB':>8}")
    print(f"{'floor: sha256sum + zip -0':34}{floor:>8.2f}{size / floor:>9.0f}{'':>8}")
    print(f"{'fieldkit export --inspection':34}{t_export:>8.2f}{size / t_export:>9.0f}{rss_export:>8}")
    print(f"{'fieldkit bundle verify':34}{t_verify:>8.2f}{size / t_verify:>9.0f}{rss_verify:>8}")
    print(
        f"export+verify vs floor (goal ≥ 0.8): {floor / (t_export + t_verify):.2f}×  (export alone {floor / t_export:.2f}×)"
    )
    ours, rss, label = (
        size / (t_export + t_verify),
        max(rss_export, rss_verify),
        f"{size / 1024:.0f} GiB" if size >= 1000 else f"{size:.0f} MiB",
    )
    return [
        figure(
            f"service export+verify {label}",
            ours,
            size / floor,
            "MiB/s",
            "ratio ≥ 0.8",
            ours >= 0.8 * size / floor,
        ),
        figure(f"service export {label} (alone)", size / t_export, size / floor, "MiB/s"),
        figure("service export/verify: peak RSS", rss, None, "MB", "< 200 MB", rss < 200),
    ]


IMPORT_ONLY = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from fieldkit.services.context import open_context
from fieldkit.services import exchange
ctx = open_context(Path({office!r}))
t = time.perf_counter()
report = exchange.import_bundle(ctx, Path({bundle!r}))
print(time.perf_counter() - t, report.inserted)
"""


def bench_import(base: Path, records: int) -> list[dict[str, object]]:
    from sqlalchemy import insert

    from fieldkit.services import exchange
    from fieldkit.services.context import open_context
    from fieldkit.services.demo import demo_subjects
    from fieldkit.services.setup import run_setup
    from fieldkit.store.schema import SubjectRow
    from tests.conftest import TEST_AGENCY, TEST_OFFICERS

    laptop, office = open_context(base / "l10k"), open_context(base / "o10k")
    run_setup(laptop, TEST_AGENCY, TEST_OFFICERS, "A1")
    run_setup(office, TEST_AGENCY, TEST_OFFICERS, "OF")
    exchange.trust_device(office, exchange.ensure_device_key(laptop), "A1")
    drafts = demo_subjects(random.Random(3), 500)
    now = laptop.now()
    rows = []
    for i in range(records):
        d, _ = drafts[i % len(drafts)]
        rows.append(
            {
                "id": uuid.uuid4(),
                "device_id": laptop.device_id,
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "name": f"{d.name}{i}",
                "subject_type": str(d.subject_type),
                "uscc": None,
                "legal_rep": d.legal_rep,
                "address": d.address,
                "phone": d.phone,
                "license_no": d.license_no,
                "search_rowid": i + 1,
            }
        )
    with laptop.sessions.begin() as session:
        session.execute(insert(SubjectRow), rows)
    bundle = exchange.export_bundle(laptop, base / "usb10k").path
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            IMPORT_ONLY.format(root=str(ROOT), office=str(base / "o10k"), bundle=str(bundle)),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    ours, inserted = out.split()
    raw_db = base / "raw.db"
    conn = sqlite3.connect(raw_db)
    cols = [c for c in rows[0] if c != "search_rowid"]
    conn.execute(f"CREATE TABLE subject ({', '.join(cols)})")
    values = [tuple(str(r[c]) if not isinstance(r[c], str | int) else r[c] for c in cols) for r in rows]
    started = time.perf_counter()
    with conn:
        conn.executemany(f"INSERT INTO subject VALUES ({', '.join('?' * len(cols))})", values)
    raw = time.perf_counter() - started
    conn.close()
    print(
        f"import of {inserted} records: {float(ours):.2f} s; raw SQLite bulk insert of the same rows: {raw:.3f} s; ratio {float(ours) / raw:.1f}× (goal ≤ 3)"
    )
    label = f"{int(inserted) // 1000}k" if int(inserted) >= 1000 else inserted
    return [figure(f"import {label} records", float(ours), raw, "s", "ratio ≤ 3", float(ours) <= 3 * raw)]


def main() -> int:
    as_json = wants_json()
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(dir=args.dir))
    try:
        figures = bench_export(base, args.mib) + bench_import(base, args.records)
        if as_json:
            emit("bundle", figures)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
