"""kill -9 harness (issue 11.9): long writes killed at random moments, then the store is checked.

    python -m bench.kill_harness [--trials 100] [--seed 1] [--keep DIR]

Scenarios: evidence add (the CLI, a folder of files), export, encrypted export, import, encrypted
import, subject import. Each trial copies a prepared data dir, starts the write in a child process
(bench/kill_target.py), kills it with SIGKILL at a random moment of its measured duration, then
runs the next start's clean-up and checks:

- integrity: SQLite integrity_check and foreign_key_check;
- audit: the hash chain verifies;
- no visible partial state: a bundle on the stick is complete and verifies (or is a `.part`, which
  for an encrypted export holds only ciphertext, and which the next export removes); an import,
  a subject import are all or nothing; every stored file a record names is whole; nothing is
  left in evidence/.tmp, no decrypted copy, no stored file no record names, no evidence item a
  killed `evidence add` made without files.

The normal test suite runs a short version (tests/test_kill_harness.py); a full run is ≥ 100 trials.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("evidence_add", "export", "export_encrypted", "import", "import_encrypted", "subject_import")
SUBJECT_ROWS = 800
EVIDENCE_FILES = 16
EVIDENCE_FILE_SIZE = 1024 * 1024


@dataclass
class Base:
    """Prepared data dirs and inputs, made once per harness run."""

    root: Path
    laptop: Path
    office: Path
    inspection_id: str
    card: Path  # a folder of files for `evidence add`
    office_pub: Path
    office_key: Path
    bundle: Path
    sealed: Path
    csv: Path
    laptop_pem: str
    laptop_counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Trial:
    scenario: str
    delay: float
    outcome: str  # "killed" or "completed" (the write ended before the kill)
    problems: list[str]


def prepare(root: Path, *, demo: bool = True) -> Base:
    from fieldkit.domain.agency import AgencyDraft, OfficerDraft
    from fieldkit.services import exchange
    from fieldkit.services.context import open_context
    from fieldkit.services.demo import load_demo
    from fieldkit.services.setup import run_setup

    agency = AgencyDraft(
        full_name="临沂市兰山区市场监督管理局",
        short_name="兰",
        government_name="临沂市兰山区人民政府",
        unit="综合行政执法大队",
    )
    officers = [
        OfficerDraft("张建国", "37130219001", "综合行政执法大队"),
        OfficerDraft("李晓梅", "37130219002", ""),
    ]
    laptop = open_context(root / "laptop")
    run_setup(laptop, agency, officers, "A1")
    exchange.ensure_device_key(laptop)
    if demo:
        load_demo(laptop, seed=7)  # realistic volume: ~50 subjects, ~20 inspections, documents
    else:
        from fieldkit.domain.subjects import SubjectDraft
        from fieldkit.services import inspections, subjects

        subject = subjects.add_subject(
            laptop, SubjectDraft(name="临沂市金源家超市有限公司", address="兰山区人民路18号")
        )
        inspections.new_inspection(laptop, subject)
    from fieldkit.store.schema import InspectionRow

    with laptop.sessions() as session:
        inspection_id = str(session.query(InspectionRow.id).order_by(InspectionRow.created_at).first()[0])
    card = root / "card"
    card.mkdir()
    rng = random.Random(1)
    for i in range(EVIDENCE_FILES):
        (card / f"VID_{i:03d}.bin").write_bytes(rng.randbytes(EVIDENCE_FILE_SIZE))
    office = open_context(root / "office")
    run_setup(office, agency, officers, "OF")
    pem = exchange.ensure_device_key(laptop)
    exchange.trust_device(office, pem, "兰山 A1 号电脑")
    office_pub = root / "office.pub.pem"
    office_pub.write_text(exchange.office_keygen(office), encoding="utf-8")
    # The office's own copy (keys/office.key) is encrypted under its data key (issue 13.4); the
    # checks decrypt what lands on the stick with a plain copy kept outside the data dirs.
    from cryptography.hazmat.primitives import serialization

    from fieldkit.services import at_rest

    office_key = root / "office-private.pem"
    office_key.write_bytes(
        at_rest.office_private_key(office).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    # Evidence the bundles carry, so export and import move real bytes.
    from fieldkit.domain.evidence import EvidenceDraft
    from fieldkit.services import evidence

    item = evidence.add_evidence_item(laptop, uuid.UUID(inspection_id), EvidenceDraft(name="执法记录仪视频"))
    evidence.add_files(laptop, item, sorted(card.iterdir())[:8])
    shutil.copytree(root / "laptop", root / "laptop-pristine")  # before any export mark moves
    bundle = exchange.export_bundle(laptop, root / "bundles", everything=True).path
    sealed = exchange.export_bundle(laptop, root / "bundles", everything=True, encrypt_to=office_pub).path
    csv = root / "subjects.csv"
    lines = ["企业名称,经营场所,负责人,联系电话"]
    lines += [f"兰山区测试商户{i:05d},兰山区测试路{i}号,张{i},0539-8{i:06d}" for i in range(SUBJECT_ROWS)]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return Base(
        root=root,
        laptop=root / "laptop-pristine",
        office=root / "office",
        inspection_id=inspection_id,
        card=card,
        office_pub=office_pub,
        office_key=office_key,
        bundle=bundle,
        sealed=sealed,
        csv=csv,
        laptop_pem=pem,
        laptop_counts=_counts(root / "laptop"),
    )


SYNCED_TABLES = (
    "subject",
    "inspection",
    "document",
    "document_revision",
    "evidence_item",
    "evidence_file",
    "measure",
)


def _connect(data_dir: Path) -> sqlite3.Connection:
    """The store's database with its key (the harness's stores have no password: the provisional key)."""
    from fieldkit.services import access
    from fieldkit.store.db import connect_encrypted

    ring = access.load_keyring(data_dir)
    assert ring is not None and not ring.protected
    return connect_encrypted(str(data_dir / "fieldkit.db"), access.db_key(ring.open_provisional()))


def _counts(data_dir: Path) -> dict[str, int]:
    db = _connect(data_dir)
    try:
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in SYNCED_TABLES}
    finally:
        db.close()


def _command(base: Base, scenario: str, data: Path, out: Path) -> list[str]:
    if scenario == "evidence_add":
        return [base.inspection_id, str(base.card)]
    if scenario == "export":
        return [str(out)]
    if scenario == "export_encrypted":
        return [str(out), str(base.office_pub)]
    if scenario == "import":
        return [str(base.bundle)]
    if scenario == "import_encrypted":
        return [str(base.sealed), str(data / "keys" / "office.key")]
    return [str(base.csv)]


def _source(base: Base, scenario: str) -> Path:
    return base.office if scenario.startswith("import") else base.laptop


def run_child(base: Base, scenario: str, data: Path, out: Path, delay: float | None) -> tuple[str, float]:
    """Run the write; kill it `delay` s after it says GO (None: let it finish). Returns (outcome, seconds)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    kind = "import" if scenario.startswith("import") else scenario
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.kill_target", kind, str(data), *_command(base, scenario, data, out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "GO":
        _out, err = proc.communicate(timeout=60)
        raise RuntimeError(f"{scenario}: the child did not start: {line!r} {err[-2000:]}")
    start = time.perf_counter()
    if delay is None:
        out_text, err = proc.communicate(timeout=600)
        if proc.returncode != 0 or "DONE" not in out_text:
            raise RuntimeError(f"{scenario}: the calibration run failed: {err[-2000:]}")
        return "completed", time.perf_counter() - start
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    return ("killed" if proc.returncode == -signal.SIGKILL else "completed"), time.perf_counter() - start


def check(base: Base, scenario: str, data: Path, out: Path, before: dict[str, int]) -> list[str]:
    """Everything a user could see after the next start; an empty list means all is well."""
    from fieldkit.bundle import verify_bundle
    from fieldkit.bundle._io import discard_abandoned_parts
    from fieldkit.bundle.envelope import MAGIC, decrypt_bundle
    from fieldkit.bundle.keys import fingerprint, load_device_public_key, load_office_private_key
    from fieldkit.services import evidence, housekeeping
    from fieldkit.services.context import open_context
    from fieldkit.store import audit
    from fieldkit.store.db import check_integrity

    problems: list[str] = []
    ctx = open_context(data)
    problems += [f"integrity: {p}" for p in check_integrity(ctx.sessions.kw["bind"])]
    with ctx.sessions() as session:
        broken = audit.verify_chain(session)
    if broken is not None:
        problems.append(f"audit: {broken.reason}")
    housekeeping.clean_at_start(ctx, orphan_age=0)  # the next start (as if a few minutes later)
    tmp = data / "evidence" / ".tmp"
    if tmp.is_dir() and any(tmp.iterdir()):
        problems.append(f"left in evidence/.tmp: {sorted(p.name for p in tmp.iterdir())}")
    if list(data.glob("import-*")):
        problems.append("a decrypted copy of a bundle is left in the data dir")
    referenced = housekeeping.referenced_hashes(ctx)
    orphans = [h for h in evidence.store(ctx).iter_hashes() if h not in referenced]
    if orphans:
        problems.append(f"{len(orphans)} stored files no record names")
    problems += [f"evidence: {p.message}" for p in evidence.verify_files(ctx)]
    after = _counts(data)
    if scenario.startswith("import"):
        untouched = all(after[t] == before[t] for t in SYNCED_TABLES)
        whole = all(after[t] == base.laptop_counts[t] for t in SYNCED_TABLES)
        if not (untouched or whole):
            problems.append(f"a partial import is visible: {after} (before {before})")
    elif scenario == "subject_import":
        if after["subject"] not in (before["subject"], before["subject"] + SUBJECT_ROWS):
            problems.append(
                f"a partial subject import: {after['subject'] - before['subject']} of {SUBJECT_ROWS}"
            )
    elif scenario == "evidence_add":
        db = _connect(data)
        try:
            empty = db.execute(
                "SELECT count(*) FROM evidence_item i WHERE i.deleted_at IS NULL AND i.name = ? AND NOT EXISTS "
                "(SELECT 1 FROM evidence_file f WHERE f.item_id = i.id)",
                (base.card.name,),
            ).fetchone()[0]
        finally:
            db.close()
        if empty:
            problems.append("an evidence item the killed `evidence add` made is left without files")
    elif scenario.startswith("export") and out.exists():
        key = load_office_private_key(base.office_key)
        for path in sorted(out.iterdir()):
            if path.name.endswith(".part"):
                head = path.read_bytes()[:4096]
                if scenario == "export_encrypted" and head and not MAGIC.startswith(head[:6]):
                    problems.append(f"plaintext on the stick: {path.name} starts {head[:4]!r}")
                continue
            plain = path
            if path.name.endswith(".enc"):
                plain = out.parent / (path.name + ".plain.fkb")
                try:
                    decrypt_bundle(path, plain, key)
                except Exception as exc:
                    problems.append(f"{path.name} does not decrypt: {exc}")
                    continue
            elif scenario == "export_encrypted":
                problems.append(f"plaintext bundle on the stick: {path.name}")
            report = verify_bundle(
                plain, trusted_devices={fingerprint(load_device_public_key(base.laptop_pem)): base.laptop_pem}
            )
            if not report.ok:
                problems.append(f"{path.name} is on the stick but does not verify: {report.problems[:3]}")
        discard_abandoned_parts(out, older_than=0)  # the next export into this folder (minutes later)
        if any(p.name.endswith(".part") for p in out.iterdir()):
            problems.append("a killed export's .part is not removed by the next export")
    ctx.sessions.kw["bind"].dispose()
    return problems


def run_trials(
    trials: int,
    *,
    seed: int = 1,
    work: Path | None = None,
    demo: bool = True,
    scenarios: tuple[str, ...] = SCENARIOS,
    report: Callable[[str], None] = print,
) -> list[Trial]:
    rng = random.Random(seed)
    own = work is None
    root = Path(tempfile.mkdtemp(prefix="fieldkit-kill-")) if work is None else work
    try:
        started = time.perf_counter()
        base = prepare(root / "base", demo=demo)
        report(f"prepared in {time.perf_counter() - started:.1f} s")
        durations: dict[str, float] = {}
        for scenario in scenarios:  # how long each write takes when it is not killed
            data, out = _fresh(base, scenario, root / "calibrate" / scenario)
            durations[scenario] = run_child(base, scenario, data, out, None)[1]
            leftover = check(base, scenario, data, out, _counts(_source(base, scenario)))
            if leftover:
                raise RuntimeError(f"{scenario}: even an uninterrupted run fails the checks: {leftover}")
        report("durations: " + ", ".join(f"{k} {v:.2f} s" for k, v in durations.items()))
        results: list[Trial] = []
        for n in range(trials):
            scenario = scenarios[n % len(scenarios)]
            delay = rng.uniform(0.0, durations[scenario] * 1.1)
            data, out = _fresh(base, scenario, root / "trials" / f"{n:04d}")
            before = _counts(data)
            outcome, elapsed = run_child(base, scenario, data, out, delay)
            if outcome == "completed":
                # The calibration run may have been slow (a cold start, a busy machine): a write that
                # finished before its kill shows how long it really takes, so later kills land inside it.
                durations[scenario] = min(durations[scenario], elapsed)
            problems = check(base, scenario, data, out, before)
            results.append(Trial(scenario, delay, outcome, problems))
            mark = "OK " if not problems else "BAD"
            report(f"{mark} #{n:03d} {scenario:16s} kill at {delay:5.2f} s: {outcome}; {'; '.join(problems)}")
            shutil.rmtree(root / "trials" / f"{n:04d}", ignore_errors=True)
        return results
    finally:
        if own:
            shutil.rmtree(root, ignore_errors=True)


def _fresh(base: Base, scenario: str, where: Path) -> tuple[Path, Path]:
    where.mkdir(parents=True, exist_ok=True)
    data = where / "data"
    shutil.copytree(_source(base, scenario), data)
    return data, where / "usb"


def summary(results: list[Trial]) -> dict[str, object]:
    by = Counter((t.scenario, t.outcome) for t in results)
    return {
        "trials": len(results),
        "killed": sum(t.outcome == "killed" for t in results),
        "completed_before_kill": sum(t.outcome == "completed" for t in results),
        "failed_checks": sum(bool(t.problems) for t in results),
        "by_scenario": {f"{s}/{o}": c for (s, o), c in sorted(by.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="kill -9 harness: random kills of long writes, then checks")
    parser.add_argument("--trials", type=int, default=120)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    results = run_trials(args.trials, seed=args.seed, work=args.keep)
    print(json.dumps(summary(results), ensure_ascii=False, indent=2))
    return 0 if not any(t.problems for t in results) else 1


if __name__ == "__main__":
    sys.exit(main())
