"""Encryption at rest, what it costs (issue 13.7): the encrypted store against a plain one of the same data,
in the same run.

Run by hand: `python bench/security.py [--parts start,unlock,inserts,search,list,evidence] [--json]`.

Every part builds throw-away stores in a temp dir. "ours" is the store as FieldKit keeps it: SQLCipher
4 (AES-256 pages, HMAC-SHA512 per page) opened with the raw data key (store/db.make_engine). The floor is
the same data in a plaintext SQLite file — made from the encrypted one by `sqlcipher_export`, so the
schema, migrations, rows and indexes are the same — opened by SQLAlchemy with the same SQLite build
(sqlcipher3's library without a key; the stdlib's sqlite3 is an older SQLite) and the same connection
pragmas (WAL, synchronous NORMAL, foreign keys). Both sides are wrapped in a services Context, so the
same services functions run on both; they alternate, so a busy machine slows both alike.

- start: a fresh process that opens the store and shows the main window (ours: the real path — keyring,
  argon2id of the password, unwrap, SQLCipher, login audited; floor: a Context on the plaintext copy, no
  keyring, no login), from interpreter start to the window shown. Goal: ≤ +150 ms.
- unlock: argon2id derive + unwrap (keyring) + opening the database with the key and its first query,
  in ms; the floor is opening the plaintext copy and the same query.
- inserts: 10,000 subjects added one by one through services.subjects.add_subject (each a transaction
  with its audit entry and search index): the page cipher on writes. No goal in the issue.
- search: 100,000 subjects, services.subjects.search_subject_ids + the first page of items
  (SubjectTableModel.PAGE, what the 当事人 list shows), 2/3/6-character queries. Goal: ratio ≤ 1.3.
- list: 100,000 inspections: the 检查 page's first page (inspection_id_list + the first page of items
  with their origin, InspectionTableModel.PAGE, on a freshly opened engine: the SQLite page cache cold,
  the OS's warm), the same again (a refresh), the scroll to the end (the last page) and the first page
  by 当事人. Goal: ratio ≤ 1.3.
- evidence: adding and verifying ~1 GiB of files through EvidenceStore, encrypted files against plain
  ones (see `evidence_stores`). Goal: ≥ 0.8× the plain throughput.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import inspect
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
sys.path.insert(0, str(ROOT))

from bench.results import emit, figure, wants_json  # noqa: E402

PARTS = ("start", "unlock", "inserts", "search", "list", "evidence")
PASSWORD = "bench-2026-口令"  # the throw-away stores' officer password
GOAL_START_MS = 150.0
GOAL_RATIO = 1.3
GOAL_EVIDENCE = 0.8
SETTLE_S = 0.3


# ---- the two stores -------------------------------------------------------------------------------
def encrypted_sessions(db_file: Path, key: bytes) -> Any:
    from sqlalchemy.orm import sessionmaker

    from fieldkit.store.db import make_engine

    return sessionmaker(make_engine(db_file, key), expire_on_commit=False)


def plain_sessions(db_file: Path) -> Any:
    """A plaintext SQLite file through SQLAlchemy, with the store's connection pragmas and the same
    SQLite library (sqlcipher3 without a key is plain SQLite 3.53)."""
    import sqlcipher3
    from sqlalchemy import create_engine, event
    from sqlalchemy.orm import sessionmaker

    from fieldkit.store import db

    engine = create_engine(f"sqlite:///{db_file}", module=sqlcipher3)
    event.listen(engine, "connect", db._on_connect)  # the store's own pragmas, not a copy of them
    return sessionmaker(engine, expire_on_commit=False)


def new_plain_store(db_file: Path) -> Any:
    """A fresh plaintext store, migrated by the same Alembic scripts (a new file needs no backup or key)."""
    from fieldkit.store import db

    sessions = plain_sessions(db_file)
    db.migrate(sessions.kw["bind"], db_file, db_file.parent / "backups", b"")
    return sessions


def new_encrypted_store(db_file: Path, key: bytes) -> Any:
    from fieldkit.store.db import open_store

    return open_store(db_file, key)


def export_plain(db_file: Path, key: bytes, plain_file: Path) -> None:
    """SQLCipher's own way to a plaintext copy: ATTACH with an empty key, sqlcipher_export."""
    import sqlcipher3

    from fieldkit.store.db import connect_encrypted

    plain_file.unlink(missing_ok=True)
    conn = connect_encrypted(str(db_file), key)
    try:
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(plain_file),))
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    plain = sqlcipher3.connect(str(plain_file))
    try:
        plain.execute(f"PRAGMA user_version={int(version)}")
        plain.execute("PRAGMA journal_mode=WAL")
        plain.commit()
    finally:
        plain.close()


def store_key(data_dir: Path, password: str | None = None) -> bytes:
    """The database key of a bench data dir: provisional, or unlocked with the officer's password."""
    from fieldkit.services import access

    ring = access.load_keyring(data_dir)
    assert ring is not None
    if not ring.protected:
        return access.db_key(ring.open_provisional())
    assert password is not None
    return access.db_key(ring.unlock(sorted(ring.officers)[0], password))


def context(sessions: Any, data_dir: Path) -> Any:
    from fieldkit.services.context import Context, get_meta

    with sessions() as session:
        device_id = get_meta(session, "device_id") or "bench-device"
    return Context(sessions=sessions, device_id=device_id, data_dir=data_dir)


def pair(data_dir: Path, password: str | None = None) -> tuple[Any, Any]:
    """(ours, plain): Contexts on the data dir's encrypted store and on a plaintext copy of it."""
    db_file = data_dir / "fieldkit.db"
    key = store_key(data_dir, password)
    plain_dir = data_dir.parent / (data_dir.name + "-plain")
    plain_dir.mkdir(exist_ok=True)
    export_plain(db_file, key, plain_dir / "fieldkit.db")
    ours = context(encrypted_sessions(db_file, key), data_dir)
    plain = context(plain_sessions(plain_dir / "fieldkit.db"), plain_dir)
    return ours, plain


def reopened(ctx: Any) -> Any:
    """The same Context with its pooled connections closed: the next query opens a new one, with an
    empty SQLite page cache (the OS's file cache stays warm)."""
    ctx.sessions.kw["bind"].dispose()
    return ctx


def size_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / MIB


def med(values: list[float]) -> float:
    return statistics.median(values)


def alternate(runs: int, work: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    """Each side `runs` times, taking turns (and swapping who goes first), so load hits both alike."""
    out: dict[str, list[float]] = {name: [] for name in work}
    names = list(work)
    for i in range(runs):
        for name in names if i % 2 == 0 else reversed(names):
            out[name].append(work[name]())
    return out


@contextlib.contextmanager
def timer() -> Iterator[list[float]]:
    box: list[float] = []
    started = time.perf_counter()
    yield box
    box.append((time.perf_counter() - started) * 1000)


# ---- start: a fresh process to the main window ----------------------------------------------------
def make_demo(folder: Path) -> tuple[Path, Path]:
    """A demo data dir whose first officer has a password (so a start needs a login), and a plaintext
    copy of it: the same files beside the store, the database exported, no keys."""
    from fieldkit.services import access
    from fieldkit.services.context import open_context

    data = folder / "data"
    subprocess.run(
        [sys.executable, "-m", "fieldkit", "--data-dir", str(data), "demo"],
        check=True,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    ctx = open_context(data)
    officer, _ = access.officers_with_login(ctx)[0]
    access.set_password(ctx, officer.officer_id, PASSWORD)
    ctx.sessions.kw["bind"].dispose()
    plain = folder / "plain"
    shutil.copytree(
        data,
        plain,
        ignore=lambda _d, names: [
            n for n in names if n in ("keys", "backups", "logs") or n.startswith("fieldkit.db")
        ],
    )
    export_plain(data / "fieldkit.db", store_key(data, PASSWORD), plain / "fieldkit.db")
    return data, plain


def start_child(mode: str, data_dir: Path) -> dict[str, float]:
    from fieldkit.logs import setup_logging
    from fieldkit.services import access, recovery
    from fieldkit.services.context import open_context
    from fieldkit.ui.app import create_application, install_excepthooks, start_main_window
    from fieldkit.vault.kdf import KdfParams

    setup_logging(data_dir / "logs")
    app = create_application([sys.argv[0]])
    install_excepthooks()
    kdf_s = 0.0
    derive = KdfParams.derive

    def timed_derive(params: KdfParams, password: str) -> bytes:
        nonlocal kdf_s
        started = time.perf_counter()
        try:
            return derive(params, password)
        finally:
            kdf_s += time.perf_counter() - started

    KdfParams.derive = timed_derive  # type: ignore[method-assign]
    t = time.perf_counter()
    if mode == "ours":
        officer = access.login_choices(data_dir)[0].name
        ctx = open_context(data_dir, credentials=access.PasswordLogin(officer, PASSWORD))
    else:
        from fieldkit.services.settings import load_local_settings

        ctx = dataclasses.replace(
            context(plain_sessions(data_dir / "fieldkit.db"), data_dir),
            settings=load_local_settings(data_dir),
        )
    opened = time.perf_counter()
    window = start_main_window(ctx)
    window.show()
    app.processEvents()
    shown_at = time.monotonic()  # CLOCK_MONOTONIC: the parent's clock too, on Linux
    built = time.perf_counter()
    deadline = time.perf_counter() + SETTLE_S
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.01)
    window.save_all()
    window.close()
    recovery.end_session(ctx)  # a clean quit: the next start is not a crash recovery
    return {
        "shown_at": shown_at,
        "open_ms": (opened - t) * 1000,
        "window_ms": (built - opened) * 1000,
        "kdf_ms": kdf_s * 1000,
    }


def run_start_child(mode: str, data_dir: Path) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
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
    result["start_ms"] = (result.pop("shown_at") - started) * 1000
    return result


def part_start(folder: Path, runs: int) -> list[dict[str, Any]]:
    data, plain = make_demo(folder)
    run_start_child("ours", data)  # not counted: the first start compiles .pyc files, fills the OS cache
    run_start_child("plain", plain)
    results: dict[str, list[dict[str, float]]] = {"ours": [], "plain": []}
    for i in range(runs):
        for mode in ("ours", "plain") if i % 2 == 0 else ("plain", "ours"):
            results[mode].append(run_start_child(mode, data if mode == "ours" else plain))

    def m(mode: str, key: str) -> float:
        return med([r[key] for r in results[mode]])

    for r in results["ours"]:
        r["no_kdf_ms"] = r["start_ms"] - r["kdf_ms"]
    print(f"start: median of {runs} fresh processes each, offscreen, demo data dir")
    print(f"{'':36}{'to window ms':>13}{'open ms':>9}{'of it argon2id':>16}{'window ms':>11}")
    for mode, label in (
        ("plain", "floor: plaintext store, no login"),
        ("ours", "ours: password login, SQLCipher"),
    ):
        print(
            f"{label:36}{m(mode, 'start_ms'):>13.0f}{m(mode, 'open_ms'):>9.0f}{m(mode, 'kdf_ms'):>16.0f}"
            f"{m(mode, 'window_ms'):>11.0f}"
        )
    ours, floor, no_kdf = m("ours", "start_ms"), m("plain", "start_ms"), m("ours", "no_kdf_ms")
    print(f"encryption adds {ours - floor:+.0f} ms to the cold start (goal ≤ +{GOAL_START_MS:.0f} ms),")
    print(f"of which argon2id {m('ours', 'kdf_ms'):.0f} ms; without it {no_kdf - floor:+.0f} ms")
    goal = f"≤ +{GOAL_START_MS:.0f} ms"
    return [
        figure("cold start to main window, login", ours, floor, "ms", goal, ours - floor <= GOAL_START_MS),
        figure("cold start less argon2id", no_kdf, floor, "ms", goal, no_kdf - floor <= GOAL_START_MS),
        figure("cold start: store open", m("ours", "open_ms"), m("plain", "open_ms"), "ms"),
    ]


# ---- unlock ---------------------------------------------------------------------------------------
def part_unlock(folder: Path, runs: int) -> list[dict[str, Any]]:
    from sqlalchemy import text

    from fieldkit.services import access
    from fieldkit.store.db import make_engine

    data, plain = make_demo(folder)
    officer = access.login_choices(data)[0]
    parts: dict[str, list[float]] = {"derive": [], "unwrap": [], "open": [], "total": []}

    def ours() -> float:
        """Keyring.unlock is argon2id + AES-GCM unwrap (+ the throttle file); the derive is timed alone
        just before, on the same parameters, to split the two."""
        ring = access.load_keyring(data)
        assert ring is not None
        login = ring.login_of(officer.officer_id)
        assert login is not None
        with timer() as derive:
            login.kdf.derive(PASSWORD)
        started = time.perf_counter()
        ring = access.load_keyring(data)
        assert ring is not None
        data_key = ring.unlock(officer.officer_id, PASSWORD)
        unlocked = time.perf_counter()
        engine = make_engine(data / "fieldkit.db", access.db_key(data_key))
        with engine.connect() as conn:
            conn.execute(text("SELECT value FROM local_meta WHERE key = 'device_id'")).scalar_one()
        done = time.perf_counter()
        engine.dispose()
        parts["derive"].append(derive[0])
        parts["unwrap"].append(max(0.0, (unlocked - started) * 1000 - derive[0]))
        parts["open"].append((done - unlocked) * 1000)
        total = (done - started) * 1000
        parts["total"].append(total)
        return total

    def floor() -> float:
        started = time.perf_counter()
        engine = plain_sessions(plain / "fieldkit.db").kw["bind"]
        with engine.connect() as conn:
            conn.execute(text("SELECT value FROM local_meta WHERE key = 'device_id'")).scalar_one()
        done = time.perf_counter()
        engine.dispose()
        return (done - started) * 1000

    ours(), floor()  # warm: imports, the OS cache
    for values in parts.values():
        values.clear()
    got = alternate(runs, {"ours": ours, "floor": floor})
    # and the services' own path, as the login screen calls it (throttle file included)
    whole = []
    for _ in range(runs):
        with timer() as t:
            access.unlock_keys(data, access.PasswordLogin(officer.name, PASSWORD), create=False)
        whole.append(t[0])
    print(f"unlock: median of {runs}")
    print(f"  argon2id derive (t=3, m=64 MiB, p=2)   {med(parts['derive']):7.1f} ms")
    print(f"  keyring, unwrap, throttle (the rest)   {med(parts['unwrap']):7.1f} ms")
    print(f"  SQLCipher open + first query           {med(parts['open']):7.1f} ms")
    print(f"  total                                  {med(parts['total']):7.1f} ms")
    print(f"  floor: plaintext open + first query    {med(got['floor']):7.1f} ms")
    print(f"  services.access.unlock_keys alone      {med(whole):7.1f} ms")
    return [
        figure("unlock: argon2id + unwrap + first query", med(got["ours"]), med(got["floor"]), "ms"),
        figure("unlock: argon2id derive alone", med(parts["derive"]), None, "ms"),
    ]


# ---- inserts --------------------------------------------------------------------------------------
def part_inserts(folder: Path, rows: int) -> list[dict[str, Any]]:
    from fieldkit.services.demo import demo_subjects
    from fieldkit.services.subjects import add_subject

    ours_dir, plain_dir = folder / "ins-ours", folder / "ins-plain"
    ours_dir.mkdir()
    plain_dir.mkdir()
    ours = context(new_encrypted_store(ours_dir / "fieldkit.db", os.urandom(32)), ours_dir)
    plain = context(new_plain_store(plain_dir / "fieldkit.db"), plain_dir)
    # The demo's names run out near a few thousand: past its 2,000 (each with its own credit code),
    # the same again under a numbered name, without the codes (a code already registered is refused).
    base = [d for d, _ in demo_subjects(random.Random(3), min(rows, 2000))]
    drafts = [
        d if i < len(base) else dataclasses.replace(d, name=f"{d.name}{i}", uscc="", id_number="")
        for i, d in ((i, base[i % len(base)]) for i in range(rows))
    ]
    chunk = 500
    times: dict[str, float] = {"ours": 0.0, "plain": 0.0}
    for n, start in enumerate(range(0, rows, chunk)):
        batch = drafts[start : start + chunk]
        for name in ("ours", "plain") if n % 2 == 0 else ("plain", "ours"):
            ctx = ours if name == "ours" else plain
            started = time.perf_counter()
            for d in batch:
                add_subject(ctx, d)
            times[name] += time.perf_counter() - started
    o, p = rows / times["ours"], rows / times["plain"]
    print(
        f"inserts: {rows:,} subjects through add_subject, one transaction each, chunks of {chunk} alternating"
    )
    print(f"  ours  {times['ours']:6.1f} s  {o:7.0f} /s   file {size_mib(ours_dir / 'fieldkit.db'):.0f} MiB")
    print(
        f"  plain {times['plain']:6.1f} s  {p:7.0f} /s   file {size_mib(plain_dir / 'fieldkit.db'):.0f} MiB"
    )
    n = f"{rows // 1000}k" if rows >= 1000 else str(rows)
    return [figure(f"{n} subject inserts (add_subject)", times["ours"], times["plain"], "s")]


# ---- search ---------------------------------------------------------------------------------------
def part_search(folder: Path, rows: int, repeat: int) -> list[dict[str, Any]]:
    from bench.search import QUERIES, build
    from fieldkit.services.subjects import search_subject_ids, subject_items
    from fieldkit.ui.models.subject_table import SubjectTableModel

    page = SubjectTableModel.PAGE  # the rows the 当事人 list fetches at a time

    data = folder / "search"
    build_s = build(rows, data)
    ours, plain = pair(data)
    print(
        f"search: built {rows:,} subjects + FTS in {build_s:.1f} s, {size_mib(data / 'fieldkit.db'):.0f} MiB"
    )

    def query(ctx: Any, q: str) -> Callable[[], float]:
        def run() -> float:
            with timer() as t:
                ids = search_subject_ids(ctx, q)
                subject_items(ctx, ids[:page])
            return t[0]

        return run

    for ctx in (ours, plain):  # warm: the schema is read, the first connection made
        query(ctx, "超市")()
    figures = []
    n = f"{rows // 1000}k" if rows >= 1000 else str(rows)
    print(f"{'chars':>7}{'ours ms':>10}{'plain ms':>10}{'ratio':>7}   median; goal ratio ≤ {GOAL_RATIO}")
    for length, queries in QUERIES.items():
        got: dict[str, list[float]] = {"ours": [], "plain": []}
        for q in queries:
            for name, values in alternate(repeat, {"ours": query(ours, q), "plain": query(plain, q)}).items():
                got[name].extend(values)
        o, p = med(got["ours"]), med(got["plain"])
        print(f"{length:>7}{o:>10.1f}{p:>10.1f}{o / p:>7.2f}")
        figures.append(
            figure(
                f"search {length} chars in {n} + first page",
                o,
                p,
                "ms",
                f"ratio ≤ {GOAL_RATIO}",
                o / p <= GOAL_RATIO,
            )
        )
    return figures


# ---- list -----------------------------------------------------------------------------------------
def part_list(folder: Path, rows: int, repeat: int) -> list[dict[str, Any]]:
    from bench.inspection_list import build
    from fieldkit.services.exchange_views import inspection_items_with_origin
    from fieldkit.services.inspections import inspection_id_list
    from fieldkit.ui.models.inspection_table import InspectionTableModel

    page = InspectionTableModel.PAGE  # the rows the 检查 list fetches at a time

    data = folder / "list"
    build_s = build(data, rows)
    t = time.perf_counter()
    ours, plain = pair(data)
    print(
        f"list: built {rows:,} inspections in {build_s:.0f} s ({size_mib(data / 'fieldkit.db'):.0f} MiB), "
        f"plaintext copy in {time.perf_counter() - t:.0f} s"
    )
    sides = {"ours": ours, "plain": plain}
    keys = ("cold", "warm", "scroll", "subject")
    results: dict[str, dict[str, list[float]]] = {key: {"ours": [], "plain": []} for key in keys}

    def first_page(ctx: Any, sort: str = "start") -> tuple[Any, float]:
        with timer() as t:
            ids = inspection_id_list(ctx, sort=sort)
            items = inspection_items_with_origin(ctx, ids[:page])
        assert len(items) == page
        return ids, t[0]

    def once(name: str, record: bool = True) -> None:
        ctx = reopened(sides[name])  # the page's first paint after a start: a cold SQLite cache
        ids, cold = first_page(ctx)
        with timer() as scroll:
            inspection_items_with_origin(ctx, ids[len(ids) - page :])
        _, warm = first_page(ctx)  # a refresh (a save, a filter cleared): the same pages again
        _, subject = first_page(ctx, "subject")
        if record:
            for key, value in zip(keys, (cold, warm, scroll[0], subject), strict=True):
                results[key][name].append(value)

    for name in sides:  # warm: the OS's file cache, imports
        once(name, record=False)
    for i in range(repeat):
        for name in ("ours", "plain") if i % 2 == 0 else ("plain", "ours"):
            once(name)
    n = f"{rows // 1000}k" if rows >= 1000 else str(rows)
    labels = {
        "cold": f"list of {n}: ids + first page, cold cache",
        "warm": f"list of {n}: ids + first page, refresh",
        "scroll": f"list of {n}: last page (scroll to end)",
        "subject": f"list of {n} by 当事人: ids + first page",
    }
    print(
        f"{'':48}{'ours ms':>9}{'plain ms':>10}{'ratio':>7}   median of {repeat}; goal ratio ≤ {GOAL_RATIO}"
    )
    figures = []
    for key, label in labels.items():
        o, p = med(results[key]["ours"]), med(results[key]["plain"])
        print(f"{label:48}{o:>9.1f}{p:>10.1f}{o / p:>7.2f}")
        figures.append(figure(label, o, p, "ms", f"ratio ≤ {GOAL_RATIO}", o / p <= GOAL_RATIO))
    return figures


# ---- evidence -------------------------------------------------------------------------------------
def evidence_stores(folder: Path) -> tuple[Any, Any, str]:
    """(ours, plain, note): EvidenceStore under a files key, and the same code with none. Before file
    encryption (issue 13.4) the store took no key: then both are the plain store, and the note says so."""
    from fieldkit.services import access
    from fieldkit.store.evidence_files import EvidenceStore
    from fieldkit.vault.keyring import subkey

    if "key" not in inspect.signature(EvidenceStore).parameters:
        note = "files NOT encrypted yet (both stores plain)"
        return EvidenceStore(folder / "ev-ours"), EvidenceStore(folder / "ev-plain"), note
    key = subkey(os.urandom(32), access.FILES_KEY_PURPOSE)
    return EvidenceStore(folder / "ev-ours", key), EvidenceStore(folder / "ev-plain", None), "encrypted files"


def part_evidence(folder: Path, mib: int) -> list[dict[str, Any]]:
    from bench.evidence_files import generate

    files = generate(folder / "card", mib)
    total = sum(f.stat().st_size for f in files) / MIB
    for f in files:  # warm the OS cache, so both read the sources from memory alike
        with f.open("rb") as fh:
            while fh.read(8 * MIB):
                pass
    ours, plain, note = evidence_stores(folder)
    stores = {"ours": ours, "plain": plain}
    add: dict[str, float] = {}
    verify: dict[str, float] = {}
    hashes: dict[str, list[str]] = {}
    for name in ("plain", "ours"):
        with timer() as t:
            hashes[name] = [stores[name].add_file(f).sha256 for f in files]
        add[name] = t[0] / 1000
    for name in ("ours", "plain"):
        with timer() as t:
            problems = stores[name].verify_all()
        verify[name] = t[0] / 1000
        assert not problems, problems[:3]
    assert hashes["ours"] == hashes["plain"], "the two stores name the files differently"
    print(f"evidence: {len(files)} files, {total:.0f} MiB, {note}")
    for name in ("ours", "plain"):
        print(
            f"  {name:6} add {total / add[name]:6.0f} MiB/s ({add[name]:.1f} s)"
            f"   verify_all {total / verify[name]:6.0f} MiB/s ({verify[name]:.1f} s)"
        )
    size = f"{total / 1024:.0f} GiB" if total >= 1024 else f"{total:.0f} MiB"
    suffix = "" if note == "encrypted files" else " (files not encrypted yet)"
    a, a0 = total / add["ours"], total / add["plain"]
    v, v0 = total / verify["ours"], total / verify["plain"]
    return [
        figure(
            f"evidence add {size}{suffix}",
            a,
            a0,
            "MiB/s",
            f"ratio ≥ {GOAL_EVIDENCE}",
            a / a0 >= GOAL_EVIDENCE,
        ),
        figure(
            f"evidence verify {size}{suffix}",
            v,
            v0,
            "MiB/s",
            f"ratio ≥ {GOAL_EVIDENCE}",
            v / v0 >= GOAL_EVIDENCE,
        ),
    ]


# ---- main -----------------------------------------------------------------------------------------
def main() -> int:
    as_json = wants_json()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, of {', '.join(PARTS)}")
    parser.add_argument(
        "--runs", type=int, default=5, help="fresh processes (start) and unlocks of each side"
    )
    parser.add_argument("--inserts", type=int, default=10_000)
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--inspections", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="timings of each query on each side")
    parser.add_argument("--mib", type=int, default=1024, help="evidence to add")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (python -m bench --quick)")
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=["ours", "plain"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(start_child(args.child, args.dir)))
        return 0
    if args.quick:
        args.runs, args.inserts, args.subjects, args.inspections, args.repeat, args.mib = (
            3,
            2000,
            20_000,
            10_000,
            3,
            128,
        )
    chosen = [p for p in args.parts.split(",") if p]
    unknown = set(chosen) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    print(f"load average before: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}", flush=True)
    figures: list[dict[str, Any]] = []
    for part in chosen:
        folder = Path(tempfile.mkdtemp(prefix=f"fieldkit-bench-sec-{part}-"))
        started = time.perf_counter()
        try:
            if part == "start":
                figures += part_start(folder, args.runs)
            elif part == "unlock":
                figures += part_unlock(folder, args.runs)
            elif part == "inserts":
                figures += part_inserts(folder, args.inserts)
            elif part == "search":
                figures += part_search(folder, args.subjects, args.repeat)
            elif part == "list":
                figures += part_list(folder, args.inspections, args.repeat)
            elif part == "evidence":
                figures += part_evidence(folder, args.mib)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        print(f"({part}: {time.perf_counter() - started:.0f} s, load average after {load})\n", flush=True)
    if as_json:
        emit("security", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
