"""Bundles through the services: export + verify of an inspection with ~1 GB of evidence against
`sha256sum` + `zip -0` (the floor), and import of 10,000 records against raw SQLite bulk inserts.

Run by hand: `python bench/bundle.py [--mib 1024] [--records 10000] [--json]`. Each measured step runs in
its own process (`/usr/bin/time -f %M` gives its peak RSS). Goals: export and verify ≥ 0.8× the floor's
throughput, RSS < 200 MB, import ≤ 3× raw SQLite. The import is timed three times (fresh copies of the
office store, fresh processes; median) against three floors: the same rows by one sqlite3 executemany
into a bare table; the same with sqlcipher3 and the office store's key; and the import's own SQL — the
rows, already converted, into a copy of the office store (indexes, triggers, both search tables).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
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
    from fieldkit.store.db import connect_encrypted
    from fieldkit.store.schema import SubjectRow
    from tests.conftest import TEST_AGENCY, TEST_OFFICERS
    from tests.rawdb import key_of

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
    # Three imports, each into a fresh copy of the office store (fresh processes), median.
    pristine = base / "o10k-pristine"
    shutil.copytree(base / "o10k", pristine)
    times = []
    for n in range(IMPORT_RUNS):
        office_dir = base / f"o10k-{n}"
        shutil.copytree(pristine, office_dir)
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                IMPORT_ONLY.format(root=str(ROOT), office=str(office_dir), bundle=str(bundle)),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        seconds, inserted = out.split()
        times.append(float(seconds))
    ours = statistics.median(times)
    cols = [c for c in rows[0] if c != "search_rowid"]
    values = [tuple(str(r[c]) if not isinstance(r[c], str | int) else r[c] for c in cols) for r in rows]
    insert = f"INSERT INTO subject VALUES ({', '.join('?' * len(cols))})"
    raw = _timed_floor(sqlite3.connect(base / "raw.db"), cols, insert, values)
    # The same floor on an encrypted file with the office store's own key (SQLCipher since issue 13).
    key = key_of(pristine)
    cipher = _timed_floor(connect_encrypted(str(base / "raw-cipher.db"), key), cols, insert, values)
    sql_work = _timed_store_sql(pristine, key, rows)
    print(f"import of {inserted} records: {', '.join(f'{t:.2f}' for t in times)} s (median {ours:.2f} s)")
    print(f"floor, raw sqlite3 bulk insert of the same rows: {raw:.3f} s; ratio {ours / raw:.1f}× (goal ≤ 3)")
    print(f"floor, raw sqlcipher3 bulk insert, same key: {cipher:.3f} s; ratio {ours / cipher:.1f}×")
    print(
        f"the import's own SQL (sqlcipher3 into the office store: subject rows with its indexes, both search "
        f"tables; no Python per record): {sql_work:.3f} s; ratio {ours / sql_work:.1f}×"
    )
    label = f"{int(inserted) // 1000}k" if int(inserted) >= 1000 else inserted
    return [
        figure(f"import {label} records", ours, raw, "s", "ratio ≤ 3", ours <= 3 * raw),
        figure(f"import {label} records vs sqlcipher3", ours, cipher, "s", "ratio ≤ 3", ours <= 3 * cipher),
        figure(f"import {label} records vs its own SQL", ours, sql_work, "s"),
    ]


IMPORT_RUNS = 3


def _timed_floor(conn: Any, cols: list[str], insert: str, values: list[tuple[Any, ...]]) -> float:
    """One executemany of the rows into a bare table (no index), committed."""
    conn.execute(f"CREATE TABLE subject ({', '.join(cols)})")
    started = time.perf_counter()
    with conn:
        conn.executemany(insert, values)
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def _timed_store_sql(office: Path, key: bytes, rows: list[dict[str, Any]]) -> float:
    """What SQLite itself must do for the import: the same rows into a copy of the office store (its
    subject table with indexes and triggers, both search tables, WAL as the store runs), values made
    beforehand; nothing else (no verification, no checks, no merge)."""
    from fieldkit.store.db import connect_encrypted
    from fieldkit.store.search import FTS_COLUMNS, grams

    copy = office.parent / "o10k-sql"
    shutil.copytree(office, copy)
    conn = connect_encrypted(str(copy / "fieldkit.db"), key)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    first = conn.execute("SELECT coalesce(max(search_rowid), 0) + 1 FROM subject").fetchone()[0]
    stamp = "%Y-%m-%d %H:%M:%S.%f"
    subjects = [
        (
            r["name"],
            r["subject_type"],
            r["uscc"],
            "",
            r["legal_rep"],
            "",
            r["address"],
            r["phone"],
            r["license_no"],
            first + i,
            r["id"].hex,
            r["device_id"],
            r["version"],
            r["created_at"].astimezone(dt.UTC).strftime(stamp),
            r["updated_at"].astimezone(dt.UTC).strftime(stamp),
            None,
        )
        for i, r in enumerate(rows)
    ]
    fts = [(first + i, *(r[c] or "" for c in FTS_COLUMNS)) for i, r in enumerate(rows)]
    gram_rows = [(values[0], grams(values[1:])) for values in fts]
    started = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO subject (name, subject_type, uscc, uscc_note, legal_rep, id_number, address, phone,"
            " license_no, search_rowid, id, device_id, version, created_at, updated_at, deleted_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            subjects,
        )
        conn.executemany(
            "INSERT INTO subject_fts(rowid, name, uscc, address, legal_rep, phone, license_no)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            fts,
        )
        conn.executemany("INSERT INTO subject_gram(rowid, grams) VALUES (?, ?)", gram_rows)
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


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
