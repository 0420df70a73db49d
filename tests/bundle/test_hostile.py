"""A corpus of hostile and broken bundles: each is refused with a specific problem and nothing is extracted."""

from __future__ import annotations

import hashlib
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fieldkit.bundle import Limits, VerifyReport, public_key_pem, reader, verify_bundle
from fieldkit.bundle.envelope import encrypt_bundle
from fieldkit.bundle.keys import generate_office_key

from .conftest import Device, Sample, make_device, rebuild

Written = tuple[Path, Sample, Device]


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


class Reads(list[str]):
    """Names of the members verify reads data of, and how many uncompressed bytes it got from them."""

    produced = 0


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Reads:
    reads = Reads()
    real = reader._member_chunks

    def spy(fp: Any, info: zipfile.ZipInfo, offset: int, limit: int) -> Iterator[bytes]:
        reads.append(info.filename)
        for chunk in real(fp, info, offset, limit):
            reads.produced += len(chunk)
            yield chunk

    monkeypatch.setattr(reader, "_member_chunks", spy)
    return reads


def refuse(path: Path, trusted: Any, work: Path, limits: Limits | None = None) -> list[str]:
    """Verify from an empty working dir; assert refusal and that no file appeared anywhere."""
    cwd = work / "cwd"
    cwd.mkdir(exist_ok=True)
    before = _tree(work)
    old = os.getcwd()
    os.chdir(cwd)
    try:
        report: VerifyReport = verify_bundle(path, trusted_devices=trusted, limits=limits or Limits())
    finally:
        os.chdir(old)
    assert not report.ok
    assert report.problems
    assert _tree(work) == before, "verify must never write or extract anything"
    return report.problems


def has(problems: list[str], *words: str) -> bool:
    return any(all(w in p for w in words) for p in problems)


def _file_member(s: Sample, size: int | None = None) -> tuple[str, bytes]:
    sha = (
        next(h for h, b in s.blobs.items() if size is None or len(b) == size)
        if size
        else max(s.blobs, key=lambda h: len(s.blobs[h]))
    )
    return f"files/{sha}", s.blobs[sha]


def test_a_changed_byte_in_a_file_member(written: Written, tmp_path: Path) -> None:
    path, s, device = written
    name, data = _file_member(s)
    bad = rebuild(path, tmp_path / "bad.fkb", replace={name: data[:-1] + b"?"})
    problems = refuse(bad, device.trusted, tmp_path)
    assert problems == [p for p in problems if name in p] and has(problems, name, "SHA-256 与清单不符")


def test_a_changed_record(written: Written, tmp_path: Path) -> None:
    path, _s, device = written
    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if n.startswith("records/"))
        data = zf.read(name)
    bad = rebuild(path, tmp_path / "bad.fkb", replace={name: data.replace(b"150000", b"150009")})
    problems = refuse(bad, device.trusted, tmp_path)
    assert len(problems) == 1 and has(problems, name, "SHA-256 与清单不符")


def test_a_changed_manifest_breaks_the_signature(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    bad = rebuild(
        path,
        tmp_path / "bad.fkb",
        edit_manifest=lambda m: m.replace("张建国".encode(), "李晓梅".encode()),
        fix_sums=True,
    )
    problems = refuse(bad, device.trusted, tmp_path)
    assert len(problems) == 1 and has(problems, "签名无效")


def test_a_flipped_signature_byte(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    with zipfile.ZipFile(path) as zf:
        sig = bytearray(zf.read("manifest.sig"))
    sig[10] ^= 1
    bad = rebuild(path, tmp_path / "bad.fkb", replace={"manifest.sig": bytes(sig)}, fix_sums=True)
    assert refuse(bad, device.trusted, tmp_path) == [
        p for p in refuse(bad, device.trusted, tmp_path) if "签名无效" in p
    ]


def test_a_missing_signature(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    bad = rebuild(path, tmp_path / "bad.fkb", drop=["manifest.sig"])
    assert has(refuse(bad, device.trusted, tmp_path), "缺少签名")


def test_a_signature_of_the_wrong_length(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    bad = rebuild(path, tmp_path / "bad.fkb", replace={"manifest.sig": b"\x00" * 63}, fix_sums=True)
    assert has(refuse(bad, device.trusted, tmp_path), "manifest.sig", "64 字节")


def test_a_signature_by_another_key(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    bad = rebuild(path, tmp_path / "bad.fkb", resign=make_device().key, fix_sums=True)
    problems = refuse(bad, device.trusted, tmp_path)
    assert len(problems) == 1 and has(problems, "签名无效", "别的密钥")


def test_an_unknown_device(written: Written, tmp_path: Path) -> None:
    path, _, _ = written
    stranger = make_device("B2")
    problems = refuse(path, stranger.trusted, tmp_path)
    assert len(problems) == 1 and has(problems, "未知设备", "编号 A1")


def test_a_device_known_by_id_with_another_key(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    other = make_device()
    problems = refuse(path, {device.info.device_id: public_key_pem(other.public)}, tmp_path)
    assert has(problems, "登记的公钥指纹", "不一致")


def test_no_trusted_list_means_not_checked(written: Written, tmp_path: Path) -> None:
    path, _, _ = written
    problems = refuse(path, None, tmp_path)
    assert len(problems) == 1 and has(problems, "未校验设备")


def test_a_device_trusted_by_pem_and_grouped_fingerprint_passes(written: Written) -> None:
    path, _, device = written
    from fieldkit.bundle import format_fingerprint

    trusted = {format_fingerprint(device.info.fingerprint): public_key_pem(device.public)}
    assert verify_bundle(path, trusted_devices=trusted).ok


@pytest.mark.parametrize("keep", [0.5, -10, -30])
def test_a_truncated_file(written: Written, tmp_path: Path, keep: float) -> None:
    path, _, device = written
    data = path.read_bytes()
    cut = int(len(data) * keep) if keep > 0 else len(data) + int(keep)
    bad = tmp_path / "bad.fkb"
    bad.write_bytes(data[:cut])
    problems = refuse(bad, device.trusted, tmp_path)
    assert len(problems) == 1 and has(problems, "截断")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "空的"),
        (b"hello", "只有 5 字节"),
        ("这不是 ZIP 文件\n".encode() * 100, "不是 ZIP 文件"),
        (os.urandom(5000), "不是 ZIP"),
    ],
)
def test_a_file_that_is_not_a_zip(tmp_path: Path, device: Device, content: bytes, words: str) -> None:
    bad = tmp_path / "bad.fkb"
    bad.write_bytes(content)
    problems = refuse(bad, device.trusted, tmp_path)
    assert len(problems) == 1 and has(problems, words)


def test_an_encrypted_bundle_is_told_to_be_decrypted_first(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    enc = encrypt_bundle(path, tmp_path / "b.fkb.enc", generate_office_key(tmp_path / "office.pem"))
    problems = refuse(enc, device.trusted, tmp_path)
    assert has(problems, "加密的包", "解密")


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (b'"format_version":2', b'"format_version":3', "未知的格式版本 3"),
        (b'"format":"fieldkit-bundle"', b'"format":"other-bundle"', "未知的包格式"),
    ],
)
def test_an_unknown_format_or_version(
    written: Written, tmp_path: Path, old: bytes, new: bytes, words: str
) -> None:
    path, _, device = written
    bad = rebuild(
        path,
        tmp_path / "bad.fkb",
        edit_manifest=lambda m: m.replace(old, new),
        resign=device.key,
        fix_sums=True,
    )
    problems = refuse(bad, device.trusted, tmp_path)
    assert problems == [p for p in problems if words in p] and len(problems) == 1


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("/etc/cron.d/evil", "绝对路径"),
        ("../../home/user/.bashrc", "上级目录"),
        ("records/../../evil.json", "上级目录"),
        ("..\\..\\evil.bat", "反斜杠"),
        ("C:/Windows/evil.dll", "盘符"),
        ("files/", "目录条目"),
        ("records//x.json", "空路径段"),
        ("records/\x07bell.json", "控制字符"),
    ],
)
def test_unsafe_member_names_are_refused_unopened(
    written: Written, tmp_path: Path, opened: Reads, name: str, words: str
) -> None:
    path, _, device = written
    bad = rebuild(path, tmp_path / "bad.fkb", add=[(name, b"#!/bin/sh\nrm -rf ~\n")])
    opened.clear()  # only what verify opens
    problems = refuse(bad, device.trusted, tmp_path)
    assert has(problems, words)
    assert name not in opened


def test_a_nul_in_a_member_name(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    bad = rebuild(path, tmp_path / "bad.fkb", add=[("notes.txtXexe", b"x")])
    bad.write_bytes(bad.read_bytes().replace(b"notes.txtXexe", b"notes.txt\x00exe"))
    assert has(refuse(bad, device.trusted, tmp_path), "NUL")


def test_duplicate_names(written: Written, tmp_path: Path, opened: Reads) -> None:
    path, s, device = written
    name, _data = _file_member(s)
    bad = rebuild(path, tmp_path / "bad.fkb", add=[(name, b"a different photo"), ("manifest.json", b"{}")])
    opened.clear()  # only what verify opens
    problems = refuse(bad, device.trusted, tmp_path)
    assert has(problems, name, "重复出现 2 次") and has(problems, "manifest.json", "重复")
    assert name not in opened and "manifest.json" not in opened


def test_names_that_differ_only_in_case(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    bad = rebuild(path, tmp_path / "bad.fkb", add=[("Manifest.JSON", b"{}")])
    assert has(refuse(bad, device.trusted, tmp_path), "大小写")


def test_a_missing_member(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if n.startswith("records/"))
    bad = rebuild(path, tmp_path / "bad.fkb", drop=[name])
    problems = refuse(bad, device.trusted, tmp_path)
    assert problems == [f"缺少成员 {name}（清单中列出，包中没有）"]


def test_a_missing_manifest_or_sums(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    assert has(
        refuse(rebuild(path, tmp_path / "a.fkb", drop=["manifest.json"]), device.trusted, tmp_path),
        "缺少成员 manifest.json",
    )
    assert has(
        refuse(rebuild(path, tmp_path / "b.fkb", drop=["SHA256SUMS"]), device.trusted, tmp_path),
        "缺少成员 SHA256SUMS",
    )


def test_an_extra_member(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    bad = rebuild(path, tmp_path / "bad.fkb", add=[("files/notes.txt", b"not listed anywhere")])
    problems = refuse(bad, device.trusted, tmp_path)
    assert problems == ["多出成员 files/notes.txt（清单中没有列出）"]


def test_sha256sums_that_disagree_with_the_manifest(written: Written, tmp_path: Path) -> None:
    path, s, device = written
    name, _ = _file_member(s)
    with zipfile.ZipFile(path) as zf:
        sums = zf.read("SHA256SUMS").decode()
    line = next(ln for ln in sums.splitlines() if ln.endswith(name))
    forged = sums.replace(line, "0" * 64 + "  " + name)
    problems = refuse(
        rebuild(path, tmp_path / "bad.fkb", replace={"SHA256SUMS": forged.encode()}), device.trusted, tmp_path
    )
    assert problems == [f"SHA256SUMS 中 {name} 的哈希与清单不一致"]
    unlisted = sums.replace(line + "\n", "")
    problems = refuse(
        rebuild(path, tmp_path / "b.fkb", replace={"SHA256SUMS": unlisted.encode()}), device.trusted, tmp_path
    )
    assert problems == [f"SHA256SUMS 没有列出 {name}"]


def test_a_member_bigger_than_declared_is_refused_without_reading_it(
    written: Written, tmp_path: Path, opened: Reads
) -> None:
    path, s, device = written
    name, data = _file_member(s)
    small = str(len(data) - 1000).encode()
    bad = rebuild(
        path,
        tmp_path / "bad.fkb",
        edit_manifest=lambda m: m.replace(
            f'"sha256":"{name[6:]}","size":{len(data)}'.encode(),
            f'"sha256":"{name[6:]}","size":'.encode() + small,
        ),
        resign=device.key,
        fix_sums=True,
    )
    opened.clear()  # only what verify opens
    problems = refuse(bad, device.trusted, tmp_path)
    assert problems == [
        f"成员 {name} 解压后为 {len(data)} 字节，超过清单声明的 {small.decode()} 字节（已拒绝，未解压）"
    ]
    assert name not in opened


def _patch_sizes(path: Path, name: str, size: int) -> None:
    """Make the ZIP headers lie: claim `size` as the uncompressed size of `name` (local and central)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
        start = zf.start_dir
    struct.pack_into("<L", data, info.header_offset + 22, size)
    at = data.index(b"PK\x01\x02" + data[start + 4 : start + 4], start)
    while True:
        n, m, k = struct.unpack_from("<3H", data, at + 28)
        if data[at + 46 : at + 46 + n] == name.encode():
            struct.pack_into("<L", data, at + 24, size)
            break
        at += 46 + n + m + k
    path.write_bytes(bytes(data))


def test_a_member_whose_data_inflates_past_its_headers_is_read_only_up_to_the_declared_size(
    written: Written, tmp_path: Path, opened: Reads
) -> None:
    path, _, device = written
    with zipfile.ZipFile(path) as zf:
        info = next(i for i in zf.infolist() if i.filename.startswith("records/"))
    bomb = b"\x00" * (50 * 1024 * 1024)
    bad = _deflated_copy(path, tmp_path / "bomb.fkb", info.filename, bomb)
    _patch_sizes(bad, info.filename, info.file_size)  # headers now agree with the manifest: a lie
    opened.clear()
    problems = refuse(bad, device.trusted, tmp_path)
    assert has(problems, info.filename, "超过")
    assert opened.produced < 2 * 1024 * 1024, f"inflated {opened.produced} bytes of a 50 MB bomb"


def _deflated_copy(src: Path, dest: Path, name: str, data: bytes) -> Path:
    """Copy of the bundle where member `name` holds `data`, deflated."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            if info.filename == name:
                info.compress_type = zipfile.ZIP_DEFLATED
                zout.writestr(info, data)
            else:
                zout.writestr(info, zin.read(info))
    return dest


def test_a_zip_bomb_member_is_refused_by_its_ratio_unopened(
    written: Written, tmp_path: Path, opened: Reads
) -> None:
    path, _, device = written
    zeros = b"\x00" * (50 * 1024 * 1024)
    name = f"files/{hashlib.sha256(zeros).hexdigest()}"
    bad = rebuild(path, tmp_path / "bad.fkb", add=[(name, zeros)], add_method=zipfile.ZIP_DEFLATED)
    assert bad.stat().st_size < 1024 * 1024
    opened.clear()  # only what verify opens
    problems = refuse(bad, device.trusted, tmp_path)
    assert has(problems, name, "压缩比", "压缩炸弹")
    assert name not in opened


def test_too_many_members(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    problems = refuse(path, device.trusted, tmp_path, Limits(max_members=5))
    assert problems == [p for p in problems if "成员过多" in p] and len(problems) == 1


def test_a_directory_claiming_ten_million_members_is_refused_before_parsing(
    tmp_path: Path, device: Device
) -> None:
    n = 10_000_000
    zip64_eocd = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, n, n, n * 46, 0)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, 0, 1)
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    bad = tmp_path / "bad.fkb"
    bad.write_bytes(zip64_eocd + locator + eocd)
    problems = refuse(bad, device.trusted, tmp_path)
    assert len(problems) == 1 and has(problems, "成员过多", "10000000")


def test_total_declared_size_over_the_limit(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    problems = refuse(path, device.trusted, tmp_path, Limits(max_total_size=1000))
    assert has(problems, "超过上限")


def test_data_hidden_before_the_first_member(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    bad = tmp_path / "bad.fkb"
    bad.write_bytes(b"MZ" + b"\x90" * 510 + path.read_bytes())
    assert has(refuse(bad, device.trusted, tmp_path), "512 字节未登记的数据")


def test_an_unsupported_compression_method(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    bad = rebuild(path, tmp_path / "bad.fkb", add=[("notes.bz", b"x" * 100)], add_method=zipfile.ZIP_BZIP2)
    assert has(refuse(bad, device.trusted, tmp_path), "不支持的压缩方式")


def test_a_deflated_file_member_is_refused(written: Written, tmp_path: Path) -> None:
    path, s, device = written
    name, data = _file_member(s)
    members = {name: data}
    bad = rebuild(
        path, tmp_path / "bad.fkb", drop=[name], add=list(members.items()), add_method=zipfile.ZIP_DEFLATED
    )
    assert has(refuse(bad, device.trusted, tmp_path), name, "不压缩")


def test_every_problem_is_reported_not_just_the_first(written: Written, tmp_path: Path) -> None:
    path, s, _device = written
    name, data = _file_member(s)
    with zipfile.ZipFile(path) as zf:
        record = next(n for n in zf.namelist() if n.startswith("records/"))
    bad = rebuild(
        path,
        tmp_path / "bad.fkb",
        replace={name: data[:-1] + b"?"},
        drop=[record],
        add=[("../evil", b"x"), ("extra.txt", b"y")],
    )
    problems = refuse(bad, make_device().trusted, tmp_path)
    for words in ("SHA-256 与清单不符", "缺少成员", "上级目录", "多出成员 extra.txt", "未知设备"):
        assert has(problems, words), words


def test_problems_are_capped_with_a_count(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    bad = rebuild(path, tmp_path / "bad.fkb", add=[(f"extra{i}.txt", b"y") for i in range(12)])
    problems = refuse(bad, device.trusted, tmp_path, Limits(max_problems=5))
    assert len(problems) == 6 and problems[-1] == "……另有 7 个问题未列出"


def test_deflate_stream_garbage_is_a_read_error_not_a_crash(written: Written, tmp_path: Path) -> None:
    path, _, device = written
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("manifest.json")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start : start + 40] = zlib.compress(b"junk")[2:][:40].ljust(40, b"\xff")
    bad = tmp_path / "bad.fkb"
    bad.write_bytes(bytes(data))
    assert has(refuse(bad, device.trusted, tmp_path), "manifest.json")
