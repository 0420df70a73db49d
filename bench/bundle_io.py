"""Bundle export and verify of ~1 GB of evidence against `sha256sum` + `zip -0` (the floor), with peak RSS.

Run by hand: `python bench/bundle_io.py [--mib 1024] [--dir /tmp/x] [--repeat 2] [--json]`. Generates
photo- and video-sized files of random bytes plus 2,000 records in a temp dir, warms the page cache, then times
in the same run: the floor (`sha256sum` over the files, `zip -0` of them) and ours (write_bundle with
fsync, verify_bundle), each in a child process so its peak RSS is its own. Best of --repeat runs.
Goals: ours ≥ 0.8× the floor's throughput; peak RSS < 200 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.results import emit, figure, wants_json

MiB = 1024 * 1024
PHOTO = 4 * MiB
VIDEO = 100 * MiB
RECORDS = 2000
RECORD_BENCH = 10_000


def generate(folder: Path, total_mib: int) -> None:
    """Random (incompressible) files: three 'videos' of 100 MiB, the rest 4 MiB 'photos'."""
    files = folder / "evidence"
    files.mkdir(parents=True)
    rng = random.Random(5)
    sizes = [VIDEO] * min(3, total_mib // 300) if total_mib >= 300 else []
    rest = total_mib * MiB - sum(sizes)
    sizes += [PHOTO] * (rest // PHOTO)
    index = []
    for i, size in enumerate(sizes):
        path = files / f"{i:04d}.{'mp4' if size == VIDEO else 'jpg'}"
        h = hashlib.sha256()
        with open(path, "wb") as f:
            left = size
            while left:
                block = rng.randbytes(min(left, 8 * MiB))
                h.update(block)
                f.write(block)
                left -= len(block)
        index.append({"path": str(path), "size": size, "sha256": h.hexdigest()})
    (folder / "index.json").write_text(json.dumps(index))


def warm(folder: Path) -> None:
    for p in sorted((folder / "evidence").iterdir()):
        with open(p, "rb") as f:
            while f.read(8 * MiB):
                pass


def timed(cmd: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def child(mode: str, folder: Path) -> None:
    """Run one export or verify in this process; print seconds and peak RSS as JSON."""
    import resource

    from fieldkit.bundle import DeviceInfo, FileOut, RecordOut, fingerprint, verify_bundle, write_bundle
    from fieldkit.bundle.keys import load_private_key

    key = load_private_key(folder / "device.pem")
    public = key.public_key()
    device = DeviceInfo("bench-device", "B1", "测试电脑", fingerprint(public))
    if mode == "records":
        child_records(folder, key, device)
        return
    if mode == "export":
        index = json.loads((folder / "index.json").read_text())
        files = [
            FileOut(
                e["sha256"],
                e["size"],
                functools.partial(open, e["path"], "rb"),
                "evidence",
                Path(e["path"]).name,
            )
            for e in index
        ]
        rng = random.Random(7)
        records = (
            RecordOut(
                "evidence_item",
                uuid.UUID(int=rng.getrandbits(128), version=4),
                1,
                "bench-device",
                {
                    "title": f"现场照片 {i}",
                    "note": "货架上摆放的过期食品，生产日期模糊" * 3,
                    "amount_fen": i * 100,
                },
            )
            for i in range(RECORDS)
        )
        out = folder / "out"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        started = time.perf_counter()
        result = write_bundle(
            out,
            records=records,
            files=files,
            device=device,
            officer="张建国",
            signing_key=key,
            created_at=dt.datetime.now(dt.UTC),
        )
        seconds = time.perf_counter() - started
        (folder / "bundle.txt").write_text(str(result.path))
        extra = {"bytes": result.bytes}
    else:
        path = Path((folder / "bundle.txt").read_text())
        started = time.perf_counter()
        report = verify_bundle(path, trusted_devices={device.fingerprint: public})
        seconds = time.perf_counter() - started
        assert report.ok, report.problems
        extra = {"bytes": path.stat().st_size}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux → MiB
    print(json.dumps({"seconds": seconds, "rss_mib": rss, **extra}))


def child_records(folder: Path, key: Any, device: Any) -> None:
    """10,000 records of a typical size, no files: what an office import of a busy week looks like."""
    import resource

    from fieldkit.bundle import RecordOut, iter_records, verify_bundle, write_bundle

    rng = random.Random(11)
    records = [
        RecordOut(
            "inspection",
            uuid.UUID(int=rng.getrandbits(128), version=4),
            rng.randint(1, 5),
            "bench-device",
            {
                "subject_name": f"临沂市兰山区第{i}号超市有限公司",
                "amount_fen": i * 100,
                "items": [{"code": f"SP-{k:02d}", "ok": k % 3 != 0, "note": None} for k in range(5)],
                "updated_at": "2026-03-02T02:00:00+00:00",
            },
        )
        for i in range(RECORD_BENCH)
    ]
    out = folder / "records-out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    started = time.perf_counter()
    result = write_bundle(
        out,
        records=records,
        files=[],
        device=device,
        officer="张建国",
        signing_key=key,
        created_at=dt.datetime.now(dt.UTC),
    )
    write = time.perf_counter() - started
    started = time.perf_counter()
    report = verify_bundle(result.path, trusted_devices={device.fingerprint: key.public_key()})
    verify = time.perf_counter() - started
    assert report.ok, report.problems
    started = time.perf_counter()
    assert sum(1 for _ in iter_records(result.path, report)) == RECORD_BENCH
    read = time.perf_counter() - started
    shutil.rmtree(out, ignore_errors=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"write": write, "verify": verify, "iter": read, "rss_mib": rss}))


def run_child(mode: str, folder: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--dir", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    as_json = wants_json()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=1024, help="evidence size in MiB (default 1024)")
    parser.add_argument("--dir", type=Path, help="work dir (default: a temp dir, removed afterwards)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best is reported")
    parser.add_argument("--child", choices=["export", "verify", "records"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.dir)
        return 0
    for tool in ("sha256sum", "zip"):
        if shutil.which(tool) is None:
            print(f"需要 {tool}（Debian: apt-get install coreutils zip）", file=sys.stderr)
            return 2

    from fieldkit.bundle.keys import generate_device_key

    folder = args.dir or Path(tempfile.mkdtemp(prefix="fieldkit-bench-"))
    try:
        if not (folder / "index.json").exists():
            print(f"generating {args.mib} MiB of evidence in {folder} …", flush=True)
            generate(folder, args.mib)
        if not (folder / "device.pem").exists():
            generate_device_key(folder / "device.pem")
        names = sorted(p.name for p in (folder / "evidence").iterdir())
        data_bytes = sum((folder / "evidence" / n).stat().st_size for n in names)
        floor_sha, floor_zip, unzip_t, ours_export, ours_verify, openssl_sha = [], [], [], [], [], []
        rss_export, rss_verify = 0.0, 0.0
        for _ in range(args.repeat):
            warm(folder)
            floor_sha.append(timed(["sha256sum", *names], folder / "evidence"))
            if shutil.which("openssl"):
                openssl_sha.append(timed(["openssl", "dgst", "-sha256", *names], folder / "evidence"))
            zip_path = folder / "floor.zip"
            zip_path.unlink(missing_ok=True)
            floor_zip.append(timed(["zip", "-0", "-q", str(zip_path), *names], folder / "evidence"))
            unzip_t.append(timed(["unzip", "-tq", str(zip_path)], folder))
            zip_path.unlink()
            warm(folder)
            e = run_child("export", folder)
            ours_export.append(e["seconds"])
            rss_export = max(rss_export, e["rss_mib"])
            v = run_child("verify", folder)
            ours_verify.append(v["seconds"])
            rss_verify = max(rss_verify, v["rss_mib"])
        mib = data_bytes / MiB

        def rate(seconds: list[float]) -> float:
            return mib / min(seconds)

        floor_export = min(floor_sha) + min(floor_zip)
        print(f"evidence: {len(names)} files, {mib:.0f} MiB, {RECORDS} records; best of {args.repeat}")
        print(f"floor  sha256sum           {min(floor_sha):6.2f} s  {rate(floor_sha):7.0f} MiB/s")
        print(f"floor  zip -0              {min(floor_zip):6.2f} s  {rate(floor_zip):7.0f} MiB/s")
        print(
            f"floor  unzip -t            {min(unzip_t):6.2f} s  {rate(unzip_t):7.0f} MiB/s  (for reference)"
        )
        print(f"floor  sha256sum + zip -0  {floor_export:6.2f} s  {mib / floor_export:7.0f} MiB/s")
        if openssl_sha:
            print(
                f"ref    openssl dgst -sha256  {min(openssl_sha):6.2f} s  {rate(openssl_sha):7.0f} MiB/s"
                "  (SHA-NI hashing alone: a stricter bound than the floor)"
            )
        print(
            f"ours   export (with fsync) {min(ours_export):6.2f} s  {rate(ours_export):7.0f} MiB/s  peak RSS {rss_export:.0f} MiB"
        )
        print(
            f"ours   verify              {min(ours_verify):6.2f} s  {rate(ours_verify):7.0f} MiB/s  peak RSS {rss_verify:.0f} MiB"
        )
        print(f"ratio  export / (sha256sum + zip -0)   {floor_export / min(ours_export):.2f}  (goal ≥ 0.8)")
        print(f"ratio  verify / sha256sum              {min(floor_sha) / min(ours_verify):.2f}  (goal ≥ 0.8)")
        print(
            f"ratio  verify / (sha256sum + unzip -t) {(min(floor_sha) + min(unzip_t)) / min(ours_verify):.2f}"
        )
        if openssl_sha:
            print(
                f"ratio  verify / openssl dgst           {min(openssl_sha) / min(ours_verify):.2f}  (for reference)"
            )
        r = run_child("records", folder)
        print(
            f"records  {RECORD_BENCH} small records: write {r['write']:.2f} s ({RECORD_BENCH / r['write']:.0f}/s), "
            f"verify {r['verify']:.2f} s ({RECORD_BENCH / r['verify']:.0f}/s), "
            f"iter_records {r['iter']:.2f} s; peak RSS {r['rss_mib']:.0f} MiB"
        )
        ok = floor_export / min(ours_export) >= 0.8 and min(floor_sha) / min(ours_verify) >= 0.8
        ok = ok and max(rss_export, rss_verify) < 200
        print("goals met" if ok else "GOALS NOT MET")
        if as_json:
            size = f"{mib / 1024:.0f} GiB" if mib >= 1024 else f"{mib:.0f} MiB"
            export, verify = rate(ours_export), rate(ours_verify)
            floor_e, floor_v, rss = mib / floor_export, rate(floor_sha), max(rss_export, rss_verify)
            emit(
                "bundle_io",
                [
                    figure(
                        f"bundle layer export {size}",
                        export,
                        floor_e,
                        "MiB/s",
                        "ratio ≥ 0.8",
                        export >= 0.8 * floor_e,
                    ),
                    figure(
                        f"bundle layer verify {size}",
                        verify,
                        floor_v,
                        "MiB/s",
                        "ratio ≥ 0.8",
                        verify >= 0.8 * floor_v,
                    ),
                    figure("bundle layer: peak RSS", rss, None, "MB", "< 200 MB", rss < 200),
                ],
            )
        return 0 if ok else 1
    finally:
        if args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
