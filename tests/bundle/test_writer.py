"""Writing bundles: round trip, deterministic bytes, member layout, atomicity, refusals, progress, cancel."""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import uuid
import zipfile
from pathlib import Path

import pytest

from fieldkit.bundle import (
    BundleWriteError,
    FileOut,
    NothingToExport,
    RecordOut,
    iter_records,
    open_file,
    verify_bundle,
    write_bundle,
)
from fieldkit.bundle.manifest import parse_manifest
from fieldkit.errors import Cancelled, FieldkitError

from .conftest import BUNDLE_ID, CREATED, DEVICE_ID, Device, Sample, sample


def _write(out: Path, device: Device, s: Sample, **kw: object) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    args: dict[str, object] = {
        "records": s.records,
        "files": s.files,
        "device": device.info,
        "officer": "张建国",
        "signing_key": device.key,
        "created_at": CREATED,
        "bundle_id": BUNDLE_ID,
    }
    args.update(kw)
    return write_bundle(out, **args).path  # type: ignore[arg-type]


def test_round_trip_gives_back_identical_records_and_bytes(written: tuple[Path, Sample, Device]) -> None:
    path, s, device = written
    report = verify_bundle(path, trusted_devices=device.trusted)
    assert report.ok, report.problems
    assert report.device_trusted and report.signature_valid
    back = list(iter_records(path, report))
    assert [(r.type, r.id, r.version, r.device_id, r.data) for r in back] == [
        (r.type, r.id, r.version, r.device_id, r.data) for r in s.records
    ]
    assert all(len(r.sha256) == 64 for r in back)
    assert report.manifest is not None
    assert {f.sha256 for f in report.manifest.files} == set(s.blobs)
    for sha, blob in s.blobs.items():
        with open_file(path, sha, report) as f:
            assert f.read() == blob
    roles = {f.sha256: f.role for f in report.manifest.files}
    assert roles[hashlib.sha256(b"%PDF-1.7 finalised " * 300).hexdigest()] == "pdf"


def test_name_layout_and_member_order(written: tuple[Path, Sample, Device]) -> None:
    path, s, _ = written
    assert re.fullmatch(r"fieldkit-A1-20260302-100000-3f2a9c01\.fkb", path.name)  # Beijing time
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    n_files = len(s.blobs)
    assert names[:n_files] == [f"files/{h}" for h in sorted(s.blobs)]
    assert names[n_files:-3] == [f"records/{r.type}/{r.id}/{r.version}.json" for r in s.records]
    assert names[-3:] == ["manifest.json", "SHA256SUMS", "manifest.sig"]
    assert all(i.compress_type == zipfile.ZIP_STORED for i in infos[:n_files])
    assert infos[-1].file_size == 64
    assert all(i.date_time == (2026, 3, 2, 10, 0, 0) for i in infos)


def test_manifest_lists_everything_with_sizes_and_hashes(written: tuple[Path, Sample, Device]) -> None:
    path, _s, device = written
    with zipfile.ZipFile(path) as zf:
        manifest = parse_manifest(zf.read("manifest.json"))
        sums = zf.read("SHA256SUMS").decode()
        record_bytes = {r.path: zf.read(r.path) for r in manifest.records}
    assert manifest.format_version == 2 and manifest.bundle_id == BUNDLE_ID
    assert manifest.device == device.info and manifest.officer == "张建国"
    assert manifest.created_at == "2026-03-02T02:00:00+00:00"
    for r in manifest.records:
        assert (
            hashlib.sha256(record_bytes[r.path]).hexdigest()
            == r.sha256
            == re.search(rf"^([0-9a-f]{{64}})  {re.escape(r.path)}$", sums, re.M).group(1)
        )  # type: ignore[union-attr]
    assert sums.count("\n") == len(manifest.records) + len(manifest.files) + 2


def test_the_same_input_gives_the_same_bytes(tmp_path: Path, device: Device) -> None:
    a = _write(tmp_path / "a", device, sample())
    b = _write(tmp_path / "b", device, sample())
    assert a.name == b.name and a.read_bytes() == b.read_bytes()


def test_the_same_content_listed_twice_is_one_member(tmp_path: Path, device: Device) -> None:
    s = sample()
    s.files = s.files + s.files[:2]
    path = _write(tmp_path / "out", device, s)
    with zipfile.ZipFile(path) as zf:
        assert len([n for n in zf.namelist() if n.startswith("files/")]) == len(s.blobs)


def test_a_file_whose_bytes_changed_stops_the_export_and_leaves_nothing(
    tmp_path: Path, device: Device
) -> None:
    s = sample()
    bad = s.files[0]
    s.files[0] = FileOut(
        bad.sha256, bad.size, lambda: io.BytesIO(b"\x00" * bad.size), bad.role, "现场照片 IMG_0012.jpg"
    )
    out = tmp_path / "out"
    with pytest.raises(BundleWriteError, match=r"现场照片 IMG_0012\.jpg.*SHA-256 不符") as err:
        _write(out, device, s)
    assert isinstance(err.value, FieldkitError)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(("delta", "words"), [(1, "比登记的"), (-1, "只有")])
def test_a_file_of_the_wrong_size_stops_the_export(
    tmp_path: Path, device: Device, delta: int, words: str
) -> None:
    s = sample()
    f = s.files[0]
    data = s.blobs[f.sha256]
    s.files[0] = FileOut(f.sha256, f.size - delta, lambda: io.BytesIO(data), f.role, "询问笔录.pdf")
    out = tmp_path / "out"
    with pytest.raises(BundleWriteError, match=f"询问笔录.pdf.*{words}"):
        _write(out, device, s)
    assert list(out.iterdir()) == []


def test_a_file_that_cannot_be_opened_is_named(tmp_path: Path, device: Device) -> None:
    s = sample()
    f = s.files[0]

    def missing() -> io.BytesIO:
        raise FileNotFoundError(2, "No such file")

    s.files[0] = FileOut(f.sha256, f.size, missing, f.role, "丢失的照片.jpg")
    with pytest.raises(BundleWriteError, match=r"丢失的照片\.jpg"):
        _write(tmp_path / "out", device, s)


def test_a_float_in_a_record_is_refused_naming_the_record(tmp_path: Path, device: Device) -> None:
    s = sample()
    rid = uuid.UUID(int=99, version=4)
    s.records.append(RecordOut("measure", rid, 1, DEVICE_ID, {"fine": 10.5}))
    out = tmp_path / "out"
    with pytest.raises(BundleWriteError, match=rf"measure/{rid}.*data.fine.*小数"):
        _write(out, device, s)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("record", "words"),
    [
        (RecordOut("Bad-Type", uuid.UUID(int=5), 1, DEVICE_ID, {}), "类型名"),
        (RecordOut("inspection", uuid.UUID(int=5), -1, DEVICE_ID, {}), "版本号"),
        (RecordOut("inspection", uuid.UUID(int=5), 1, "", {}), "device_id"),
        (RecordOut("inspection", "not-a-uuid", 1, DEVICE_ID, {}), "不是 UUID"),  # type: ignore[arg-type]
    ],
)
def test_malformed_records_are_refused(tmp_path: Path, device: Device, record: RecordOut, words: str) -> None:
    s = sample()
    s.records.append(record)
    with pytest.raises(BundleWriteError, match=words):
        _write(tmp_path / "out", device, s)


def test_a_record_listed_twice_is_refused(tmp_path: Path, device: Device) -> None:
    s = sample()
    s.records.append(s.records[0])
    with pytest.raises(BundleWriteError, match="重复"):
        _write(tmp_path / "out", device, s)


def test_nothing_to_export_writes_no_empty_bundle(tmp_path: Path, device: Device) -> None:
    out = tmp_path / "out"
    with pytest.raises(NothingToExport):
        _write(out, device, Sample([], {}, []))
    assert list(out.iterdir()) == []


def test_a_key_that_is_not_the_devices_is_refused(tmp_path: Path, device: Device) -> None:
    from .conftest import make_device

    with pytest.raises(BundleWriteError, match="指纹"):
        _write(tmp_path / "out", device, sample(), signing_key=make_device().key)


def test_an_existing_bundle_is_never_overwritten(tmp_path: Path, device: Device) -> None:
    path = _write(tmp_path / "out", device, sample())
    before = path.read_bytes()
    with pytest.raises(FieldkitError, match="已存在"):
        _write(tmp_path / "out", device, sample())
    assert path.read_bytes() == before


def test_progress_counts_file_bytes_up_to_the_total(tmp_path: Path, device: Device) -> None:
    calls: list[tuple[int, int]] = []
    s = sample()
    _write(tmp_path / "out", device, s, progress=lambda d, t: calls.append((d, t)))
    total = sum(len(b) for b in s.blobs.values())
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(calls))


def test_cancel_removes_the_partial_file(tmp_path: Path, device: Device) -> None:
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)

    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        _write(out, device, sample(), progress=progress, cancelled=lambda: len(seen) > 2)
    assert list(out.iterdir()) == []


def test_an_error_from_the_record_source_removes_the_partial_file(tmp_path: Path, device: Device) -> None:
    def records():  # type: ignore[no-untyped-def]
        yield from sample().records[:2]
        raise RuntimeError("database went away")

    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        _write(out, device, sample(), records=records())
    assert list(out.iterdir()) == []


def test_big_records_are_stored_not_deflated(tmp_path: Path, device: Device) -> None:
    s = sample()
    s.records.append(RecordOut("note", uuid.UUID(int=7, version=4), 1, DEVICE_ID, {"text": "现" * 400_000}))
    path = _write(tmp_path / "out", device, s)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(f"records/note/{uuid.UUID(int=7, version=4)}/1.json")
    assert info.compress_type == zipfile.ZIP_STORED
    assert verify_bundle(path, trusted_devices=device.trusted).ok


def test_extra_export_information_travels_in_the_manifest(tmp_path: Path, device: Device) -> None:
    extra = {"scope": "incremental", "since": "2026-03-01T02:00:00+00:00", "inspection_count": 3}
    path = _write(tmp_path / "out", device, sample(), extra=extra)
    report = verify_bundle(path, trusted_devices=device.trusted)
    assert report.ok and report.manifest is not None and report.manifest.extra == extra
    assert report.manifest.generator.startswith("FieldKit ")


def test_extra_information_that_is_not_canonical_is_refused_before_writing(
    tmp_path: Path, device: Device
) -> None:
    out = tmp_path / "out"
    with pytest.raises(BundleWriteError, match=r"extra.*小数"):
        _write(out, device, sample(), extra={"ratio": 0.5})
    assert list(out.iterdir()) == []


def test_a_missing_output_folder_is_a_clear_error(tmp_path: Path, device: Device) -> None:
    s = sample()
    with pytest.raises(FieldkitError, match="无法在"):
        write_bundle(
            tmp_path / "no" / "such",
            records=s.records,
            files=s.files,
            device=device.info,
            officer="张建国",
            signing_key=device.key,
            created_at=CREATED,
        )
