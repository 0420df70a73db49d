"""The frozen build ships its fonts xz-compressed (build.spec, issue 14): `paths.font_file` unpacks each once
into the user's cache folder, and documents print from that copy exactly as from the plain file."""

from __future__ import annotations

import io
import lzma
import os
import shutil
import sys
from pathlib import Path

import pytest

from fieldkit import paths
from fieldkit.catalog import load_formdef
from fieldkit.printing import fonts
from fieldkit.printing.options import PrintOptions
from fieldkit.printing.pdf import DocumentMeta, render_pdf
from tests.examples import EXAMPLES

REPO_FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
META = DocumentMeta("汾阳市市场监督管理局", None, "doc", "0" * 64)


@pytest.fixture
def frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A frozen bundle whose resources/fonts holds `.xz` files (filled by each test), and a cache folder."""
    bundle, cache = tmp_path / "_internal", tmp_path / "cache"
    (bundle / "resources" / "fonts").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(paths.platformdirs, "user_cache_dir", lambda *a, **k: str(cache))
    return bundle / "resources" / "fonts", cache / paths.FONT_CACHE


def pack(source: Path, folder: Path) -> Path:
    out = folder / f"{source.name}.xz"
    out.write_bytes(lzma.compress(source.read_bytes(), preset=0))
    return out


def test_a_packed_font_is_unpacked_once_into_the_cache(frozen: tuple[Path, Path]) -> None:
    folder, cache = frozen
    source = REPO_FONTS / "FieldKitHanExtG.ttf"
    packed = pack(source, folder)
    first = paths.font_file(source.name)
    assert first.parent == cache and first.read_bytes() == source.read_bytes()
    written = first.stat().st_mtime_ns
    assert paths.font_file(source.name) == first and first.stat().st_mtime_ns == written  # not again
    assert [p.name for p in cache.iterdir()] == [first.name]  # no temporary file left behind
    # a new release's font (another size or time) replaces the copy of the earlier one
    os.utime(packed, ns=(packed.stat().st_atime_ns, packed.stat().st_mtime_ns + 10**9))
    second = paths.font_file(source.name)
    assert second != first and [p.name for p in cache.iterdir()] == [second.name]


def test_unpacking_one_font_leaves_the_others_copies(frozen: tuple[Path, Path]) -> None:
    folder, cache = frozen
    for name in ("FieldKitHanExtA.ttf", "FieldKitHanExtG.ttf"):
        pack(REPO_FONTS / name, folder)
    a, g = paths.font_file("FieldKitHanExtA.ttf"), paths.font_file("FieldKitHanExtG.ttf")
    assert sorted(cache.iterdir()) == sorted([a, g])


def test_an_unwritable_cache_unpacks_for_this_process_only(
    frozen: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder, cache = frozen
    cache.parent.mkdir(parents=True)
    cache.write_text("a file where the folder should be")  # mkdir fails, as on a read-only profile
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(tmp_path / "tmp"))
    source = REPO_FONTS / "FieldKitHanExtG.ttf"
    pack(source, folder)
    got = paths.font_file(source.name)
    assert got.is_relative_to(tmp_path / "tmp") and got.read_bytes() == source.read_bytes()


def test_a_font_neither_plain_nor_packed_is_missing(frozen: tuple[Path, Path]) -> None:
    with pytest.raises(FileNotFoundError, match="缺少资源文件"):
        paths.font_file("FieldKitHanExtG.ttf")


def test_a_damaged_packed_font_is_not_cached(frozen: tuple[Path, Path], tmp_path: Path) -> None:
    folder, cache = frozen
    (folder / "FieldKitHanExtG.ttf.xz").write_bytes(b"\xfd7zXZ\x00 not really")
    with pytest.raises(FileNotFoundError, match="无法解压字体文件"):
        paths.font_file("FieldKitHanExtG.ttf")
    assert not cache.exists() or not list(cache.iterdir())


def test_rare_characters_print_from_a_packed_fallback_font_byte_for_byte(
    frozen: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The body fonts plain, the Ext G font packed: the document is the same bytes as from the repository."""
    folder, _ = frozen
    formdef = load_formdef("xianchang_bilu", REPO_FONTS.parents[1] / "forms")
    values = dict(EXAMPLES["xianchang_bilu"], findings="当事人刘\U00030001在场。")

    def render() -> bytes:
        monkeypatch.setattr(fonts, "_ext_loaded", [])  # load the fallbacks again, from where they are now
        out = io.BytesIO()
        render_pdf(formdef, values, out, meta=META, options=PrintOptions())
        return out.getvalue()

    for name in (fonts.REGULAR_FILE, fonts.BOLD_FILE, "FieldKitHanExtA.ttf", "FieldKitHanExtB.ttf"):
        shutil.copy(REPO_FONTS / name, folder / name)
    pack(REPO_FONTS / "FieldKitHanExtG.ttf", folder)
    from_packed = render()
    assert b"FieldKitHanExtG-Regular" in from_packed
    monkeypatch.setattr(sys, "frozen", False)  # the repository's plain files
    assert render() == from_packed
