"""Evidence file store: hashing, encryption, dedup, refusals, tamper detection, flat memory, folder scans."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fieldkit.errors import Cancelled
from fieldkit.store import evidence_files
from fieldkit.store.evidence_files import (
    CHUNK,
    ENCRYPTED_MARK,
    TEMP_DIR,
    DiskFull,
    EvidenceFileError,
    EvidenceStore,
    InvalidHash,
    SourceChanged,
    SourceUnreadable,
    StoredFileMissing,
    scan_folder,
)
from fieldkit.vault import stream

TWO_GIB_OF_ZEROS_SHA256 = "a7c744c13cc101ed66c29f672f92455547889cc586ce6d44fe76ae824958ea51"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
KEY = bytes(range(32))  # the files key (services/at_rest.files_of derives it from the data key)


@pytest.fixture
def store(tmp_path: Path) -> EvidenceStore:
    return EvidenceStore(tmp_path / "evidence", KEY)


def make_file(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def temp_files(store: EvidenceStore) -> list[Path]:
    tmp = store.root / TEMP_DIR
    return list(tmp.iterdir()) if tmp.exists() else []


def stored_files(store: EvidenceStore) -> list[Path]:
    return [p for p in store.root.rglob("*") if p.is_file() and TEMP_DIR not in p.parts]


# --- adding -------------------------------------------------------------------------------------


def test_a_file_is_stored_under_its_sha256_sharded_and_read_only(store, tmp_path):
    data = os.urandom(3 * CHUNK + 17)
    src = make_file(tmp_path / "card", "IMG_0001.JPG", data)
    result = store.add_file(src)
    sha = hashlib.sha256(data).hexdigest()
    assert result.sha256 == sha
    assert result.size == len(data)
    assert not result.existed
    assert result.stored_path == store.root / sha[:2] / sha[2:4] / sha == store.path_of(sha)
    on_disk = result.stored_path.read_bytes()
    assert on_disk.startswith(stream.MAGIC) and len(on_disk) == stream.encrypted_size(len(data))
    assert data[:4096] not in on_disk  # encrypted, not a copy
    with store.open(sha) as f:
        assert f.read() == data
    assert not result.stored_path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert temp_files(store) == []


def test_the_same_content_added_twice_is_stored_once(store, tmp_path):
    data = b"the same photo" * 1000
    first = store.add_file(make_file(tmp_path / "a", "IMG_0001.JPG", data))
    second = store.add_file(make_file(tmp_path / "b", "copy of photo.jpg", data))
    assert second.existed and not first.existed
    assert second.sha256 == first.sha256 and second.stored_path == first.stored_path
    assert stored_files(store) == [first.stored_path]
    assert temp_files(store) == []


def test_the_original_is_never_modified(store, tmp_path):
    data = os.urandom(2 * CHUNK + 5)
    src = make_file(tmp_path / "card", "MOV_0001.MP4", data)
    old = 1_600_000_000_000_000_000  # 2020-09-13
    os.utime(src, ns=(old, old))
    mode = src.stat().st_mode
    store.add_file(src)
    store.add_file(src)
    assert src.read_bytes() == data
    assert src.stat().st_mtime_ns == old
    assert src.stat().st_mode == mode


def test_an_empty_file_is_stored(store, tmp_path):
    result = store.add_file(make_file(tmp_path, "empty.txt", b""))
    assert result.sha256 == EMPTY_SHA256 and result.size == 0
    assert store.verify(EMPTY_SHA256)


def test_progress_reports_bytes_up_to_the_size(store, tmp_path):
    data = os.urandom(3 * CHUNK + 1)
    calls: list[tuple[int, int]] = []
    store.add_file(
        make_file(tmp_path, "v.mp4", data), progress=lambda done, total: calls.append((done, total))
    )
    assert calls[0] == (0, len(data))
    assert calls[-1] == (len(data), len(data))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert len(calls) == 5  # the start and one per chunk


def test_cancel_leaves_no_temp_file_and_stores_nothing(store, tmp_path):
    src = make_file(tmp_path, "big.mp4", os.urandom(4 * CHUNK))
    seen: list[int] = []
    with pytest.raises(Cancelled, match=r"已取消添加文件：big\.mp4"):
        store.add_file(src, progress=lambda done, total: seen.append(done), cancelled=lambda: len(seen) > 2)
    assert temp_files(store) == []
    assert stored_files(store) == []
    assert list(store.iter_hashes()) == []


def test_a_missing_source_is_refused_clearly(store, tmp_path):
    with pytest.raises(SourceUnreadable, match="找不到文件") as exc:
        store.add_file(tmp_path / "nope.jpg")
    assert exc.value.path == tmp_path / "nope.jpg"


def test_a_folder_is_not_a_file(store, tmp_path):
    (tmp_path / "DCIM").mkdir()
    with pytest.raises(SourceUnreadable, match="不是普通文件"):
        store.add_file(tmp_path / "DCIM")
    assert temp_files(store) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission_is_refused(store, tmp_path):
    src = make_file(tmp_path, "secret.jpg", b"x")
    src.chmod(0)
    with pytest.raises(SourceUnreadable, match="没有读取权限"):
        store.add_file(src)


def test_a_source_that_vanishes_during_the_copy_is_refused(store, tmp_path):
    src = make_file(tmp_path, "card.mp4", os.urandom(3 * CHUNK))

    def pull_the_card(done: int, total: int) -> None:
        if done == CHUNK:
            src.unlink()

    with pytest.raises(SourceChanged, match="文件在复制过程中被移除"):
        store.add_file(src, progress=pull_the_card)
    assert temp_files(store) == [] and stored_files(store) == []


def test_a_source_still_being_written_is_refused(store, tmp_path):
    src = make_file(tmp_path, "recording.mp4", os.urandom(3 * CHUNK))

    def camera_still_writing(done: int, total: int) -> None:
        if done == CHUNK:
            with src.open("ab") as f:
                f.write(b"more frames")

    with pytest.raises(SourceChanged, match="文件在复制过程中被修改"):
        store.add_file(src, progress=camera_still_writing)
    assert temp_files(store) == [] and stored_files(store) == []


def test_a_full_disk_gives_a_clear_message_and_leaves_nothing(store, tmp_path, monkeypatch):
    src = make_file(tmp_path, "video.mp4", os.urandom(2 * CHUNK))
    real_write = os.write

    def write(fd: int, data: bytes) -> int:
        if os.name == "posix" and TEMP_DIR in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    if not Path("/proc/self/fd").exists():
        pytest.skip("needs /proc to tell the store's temp file from other writes")
    monkeypatch.setattr(evidence_files.os, "write", write)
    with pytest.raises(DiskFull) as exc:
        store.add_file(src)
    monkeypatch.undo()
    assert str(exc.value) == "磁盘空间不足，无法保存证据文件“video.mp4”（2.0 MB），请清理磁盘后重试"
    assert temp_files(store) == [] and stored_files(store) == []


# --- reading and verifying ------------------------------------------------------------------------


def test_open_reads_the_stored_bytes(store, tmp_path):
    data = os.urandom(1000)
    sha = store.add_file(make_file(tmp_path, "a.bin", data)).sha256
    with store.open(sha) as f:
        assert f.read() == data
    assert store.has(sha) and store.size_of(sha) == 1000


def test_unknown_and_invalid_hashes(store):
    with pytest.raises(StoredFileMissing, match="证据库中缺少文件"):
        store.open("0" * 64)
    with pytest.raises(InvalidHash):
        store.path_of("../../etc/passwd")
    with pytest.raises(InvalidHash):
        store.path_of("AB" * 32)  # upper case is not how the store names files
    assert not store.verify("0" * 64)


def test_iter_hashes_lists_stored_files_in_order(store, tmp_path):
    shas = {store.add_file(make_file(tmp_path, f"{i}.bin", os.urandom(100))).sha256 for i in range(20)}
    (store.root / TEMP_DIR).mkdir(exist_ok=True)
    (store.root / TEMP_DIR / "add-leftover.part").write_bytes(b"half")
    assert list(store.iter_hashes()) == sorted(shas)


def test_tampering_with_a_stored_file_is_detected(store, tmp_path):
    good = store.add_file(make_file(tmp_path, "good.jpg", os.urandom(5000)))
    bad = store.add_file(make_file(tmp_path, "bad.jpg", os.urandom(5000)))
    assert store.verify(bad.sha256)
    bad.stored_path.chmod(0o644)
    with bad.stored_path.open("r+b") as f:
        f.seek(100)
        f.write(b"\x00")
    assert not store.verify(bad.sha256)
    assert store.verify(good.sha256)
    problems = store.verify_all()
    assert [(p.kind, p.sha256, p.path) for p in problems] == [("changed", bad.sha256, bad.stored_path)]
    assert problems[0].message.startswith(f"证据文件已被改动：{bad.sha256}")


def test_verify_all_names_missing_and_unexpected_files(store, tmp_path):
    kept = store.add_file(make_file(tmp_path, "a.jpg", b"a" * 300))
    lost = store.add_file(make_file(tmp_path, "b.jpg", b"b" * 300))
    lost.stored_path.unlink()
    stray = kept.stored_path.parent / "notes.txt"
    stray.write_text("someone left this here")
    assert not store.verify(lost.sha256)
    problems = store.verify_all(expected=[kept.sha256, lost.sha256])
    assert {(p.kind, p.sha256) for p in problems} == {("missing", lost.sha256), ("unexpected", "")}
    missing = next(p for p in problems if p.kind == "missing")
    assert missing.message == f"证据文件缺失：{lost.sha256}（应在 {lost.stored_path}）"


def test_verify_all_reports_progress_and_can_be_cancelled(store, tmp_path):
    for i in range(3):
        store.add_file(make_file(tmp_path, f"{i}.bin", os.urandom(CHUNK + i)))
    calls: list[tuple[int, int]] = []
    assert store.verify_all(lambda done, total: calls.append((done, total))) == []
    total = 3 * CHUNK + 3
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    with pytest.raises(Cancelled):
        store.verify_all(cancelled=lambda: True)


def test_a_damaged_stored_file_is_restored_by_adding_the_original_again(store, tmp_path):
    src = make_file(tmp_path, "photo.jpg", os.urandom(4000))
    stored = store.add_file(src)
    stored.stored_path.chmod(0o644)
    stored.stored_path.write_bytes(b"truncated")
    assert not store.verify(stored.sha256)
    again = store.add_file(src)
    assert again.stored_path == stored.stored_path
    assert store.verify(stored.sha256)
    assert temp_files(store) == []


def test_discard_temp_files_cleans_up_after_a_crash(store):
    tmp = store.root / TEMP_DIR
    tmp.mkdir(parents=True)
    (tmp / "add-1.part").write_bytes(b"half a video")
    assert store.discard_temp_files() == 1
    assert temp_files(store) == []


def test_an_empty_or_absent_store_verifies_clean(store):
    assert list(store.iter_hashes()) == []
    assert store.verify_all() == []


# --- a 2 GB file with flat memory ---------------------------------------------------------------

MEMORY_PROBE = textwrap.dedent(
    """
    import json, resource, sys
    from pathlib import Path
    from fieldkit.store.evidence_files import EvidenceStore
    store = EvidenceStore(Path(sys.argv[2]), bytes(32))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = store.add_file(Path(sys.argv[1]))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"sha256": result.sha256, "size": result.size, "grew_kib": after - before}))
    """
)


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux")
def test_a_2gb_file_is_added_with_flat_memory(tmp_path):
    import json

    big = tmp_path / "body_camera.mp4"
    try:
        with big.open("wb") as f:
            f.truncate(2 * 1024**3)
    except OSError as exc:
        pytest.skip(f"file system refuses a 2 GB sparse file: {exc}")
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(big), str(tmp_path / "evidence")],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    report = json.loads(out.stdout)
    assert report["sha256"] == TWO_GIB_OF_ZEROS_SHA256
    assert report["size"] == 2 * 1024**3
    assert report["grew_kib"] < 50 * 1024, f"peak RSS grew by {report['grew_kib']} KiB"
    store = EvidenceStore(tmp_path / "evidence", bytes(32))
    stored = store.path_of(TWO_GIB_OF_ZEROS_SHA256)
    assert stored.stat().st_size == stream.encrypted_size(2 * 1024**3)
    assert store.size_of(TWO_GIB_OF_ZEROS_SHA256) == 2 * 1024**3


# --- scanning a camera card -----------------------------------------------------------------------


def test_scan_folder_lists_files_sorted_without_system_files(tmp_path):
    card = tmp_path / "card"
    wanted = [
        card / "DCIM" / "100CANON" / "IMG_0001.JPG",
        card / "DCIM" / "100CANON" / "IMG_0002.JPG",
        card / "DCIM" / "101CANON" / "MVI_0003.MP4",
        card / "现场照片" / "营业执照.jpg",
    ]
    unwanted = [
        card / "DCIM" / "100CANON" / "Thumbs.db",
        card / "DCIM" / "100CANON" / "._IMG_0001.JPG",
        card / ".DS_Store",
        card / "desktop.ini",
        card / "Desktop.ini",
        card / ".Trashes" / "501" / "old.jpg",
        card / "System Volume Information" / "IndexerVolumeGuid",
        card / "$RECYCLE.BIN" / "deleted.jpg",
    ]
    for path in wanted + unwanted:
        make_file(path.parent, path.name, b"x")
    (card / "empty_folder").mkdir()
    if os.name == "posix":
        (card / "link.jpg").symlink_to(wanted[0])
        (card / "loop").symlink_to(card)
    assert scan_folder(card) == sorted(wanted)


def test_scan_folder_of_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(SourceUnreadable, match="文件夹不存在或无法访问"):
        scan_folder(tmp_path / "no card")


def test_scan_folder_handles_ten_thousand_files(tmp_path):
    folder = tmp_path / "many"
    for i in range(100):
        sub = folder / f"{i:03d}"
        sub.mkdir(parents=True)
        for j in range(100):
            (sub / f"IMG_{j:04d}.JPG").touch()
    files = scan_folder(folder)
    assert len(files) == 10_000
    assert files[0] == folder / "000" / "IMG_0000.JPG"
    assert files == sorted(files)


# --- encryption at rest (issue 13.4) --------------------------------------------------------------


def test_a_stored_file_reads_back_at_any_offset_like_a_file(store, tmp_path):
    data = os.urandom(2 * CHUNK + 999)
    sha = store.add_file(make_file(tmp_path, "v.mp4", data)).sha256
    with store.open(sha) as f:
        assert f.seekable()
        f.seek(CHUNK - 10)
        assert f.read(20) == data[CHUNK - 10 : CHUNK + 10]
        assert f.seek(-5, os.SEEK_END) == len(data) - 5
        assert f.read() == data[-5:]
        f.seek(3)
        assert f.tell() == 3 and f.read(4) == data[3:7]
    assert store.size_of(sha) == len(data)


def test_another_key_cannot_read_the_files(store, tmp_path):
    sha = store.add_bytes(b"a party's ID card photo", name="id.jpg").sha256
    other = EvidenceStore(store.root, bytes(32))
    with pytest.raises(EvidenceFileError, match="密钥不符"):
        other.open(sha)
    assert not other.verify(sha)
    [problem] = other.verify_all()
    assert problem.kind == "unreadable" and "无法解密" in problem.message


def test_a_file_cut_at_a_chunk_boundary_or_lengthened_is_changed(store, tmp_path):
    data = os.urandom(2 * CHUNK + 5)
    stored = store.add_file(make_file(tmp_path, "v.mp4", data))
    blob = stored.stored_path.read_bytes()
    stored.stored_path.chmod(0o644)
    one_chunk = stream.HEADER_SIZE + CHUNK + stream.TAG
    for damaged in (blob[: one_chunk * 1 + CHUNK + stream.TAG], blob + blob[stream.HEADER_SIZE :][:100]):
        stored.stored_path.write_bytes(damaged)
        assert not store.verify(stored.sha256)
        assert [p.kind for p in store.verify_all()] == ["changed"]


def test_plaintext_files_of_an_old_store_are_read_then_encrypted_in_place(tmp_path):
    old = EvidenceStore(tmp_path / "evidence", None)  # as a store made before encryption
    photo, video = os.urandom(5000), os.urandom(CHUNK + 3)
    a = old.add_bytes(photo, name="a.jpg")
    b = old.add_bytes(video, name="b.mp4")
    assert a.stored_path.read_bytes() == photo
    store = EvidenceStore(tmp_path / "evidence", KEY)
    assert store.plain_files_left()
    with store.open(a.sha256) as f:
        assert f.read() == photo  # still readable before the conversion
    calls: list[tuple[int, int]] = []
    done = store.encrypt_plain_files(lambda n, total: calls.append((n, total)))
    assert (done.files, done.bytes) == (2, len(photo) + len(video))
    assert calls[0] == (0, done.bytes) and calls[-1] == (done.bytes, done.bytes)
    for stored, data in ((a, photo), (b, video)):
        on_disk = stored.stored_path.read_bytes()
        assert on_disk.startswith(stream.MAGIC) and data[:1000] not in on_disk
        assert not stored.stored_path.stat().st_mode & stat.S_IWUSR
        with store.open(stored.sha256) as f:
            assert f.read() == data
    assert store.verify_all() == [] and temp_files(store) == []
    assert not store.plain_files_left() and (store.root / ENCRYPTED_MARK).exists()
    assert store.encrypt_plain_files().files == 0


def test_an_encryption_killed_midway_leaves_every_file_whole_and_goes_on_next_time(tmp_path, monkeypatch):
    old = EvidenceStore(tmp_path / "evidence", None)
    files = {old.add_bytes(os.urandom(3000 + i), name=f"{i}.jpg").sha256 for i in range(3)}
    store = EvidenceStore(tmp_path / "evidence", KEY)
    real_replace = os.replace
    calls = []

    def dies_on_the_second(src, dst):  # type: ignore[no-untyped-def]
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt  # killed between writing the copy and renaming it
        return real_replace(src, dst)

    monkeypatch.setattr(evidence_files.os, "replace", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        store.encrypt_plain_files()
    monkeypatch.setattr(evidence_files.os, "replace", real_replace)
    assert temp_files(store) == []
    assert all(store.verify(sha) for sha in files) and store.plain_files_left()
    assert store.encrypt_plain_files().files == 2
    assert all(store.verify(sha) for sha in files) and not store.plain_files_left()


def test_a_store_without_a_key_keeps_files_plain_and_refuses_encrypted_ones(tmp_path):
    plain = EvidenceStore(tmp_path / "evidence", None)
    stored = plain.add_bytes(b"plain", name="p.txt")
    assert stored.stored_path.read_bytes() == b"plain" and plain.verify(stored.sha256)
    sealed = EvidenceStore(tmp_path / "evidence", KEY).add_bytes(b"sealed", name="s.txt")
    with pytest.raises(EvidenceFileError, match="需要登录"):
        plain.open(sealed.sha256)
