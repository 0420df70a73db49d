"""The catalog as a whole: one error type, one TOML reader, one cache, and the same paths when frozen."""

from __future__ import annotations

import ast
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fieldkit import catalog, paths
from fieldkit.catalog import Cache, CatalogError
from fieldkit.catalog.errors import CHECKLIST_FILE, FORM_FILE, HOLIDAY_FILE, PHRASES_FILE_KIND
from fieldkit.errors import FieldkitError

REPO = Path(__file__).resolve().parents[2]

FORM = """\
id = "demo"
title = "演示通知书"
code = "演示"
kind = "notice"

[[fields]]
key = "party_name"
label = "当事人"
type = "text"

[[blocks]]
type = "grid"
rows = ["party_name"]
"""

CHECKLIST = """\
id = "demo"
name = "演示"
order = 5
version = "2026.1"

[[items]]
code = "D-01"
group = "资质"
text = "是否持证"
"""

HOLIDAYS = """\
year = 2027
source = "国务院办公厅关于 2027 年部分节假日安排的通知"
holidays = [2027-01-01]
workdays = []
"""

PHRASES = """\
[[groups]]
form = "demo"
name = "开场"
phrases = ["你好。"]
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# One entry per loader: its kind label, the file it reads, a good text, and how to load a folder.
Loader = Callable[[Path, Cache], Any]
LOADERS: dict[str, tuple[str, str, str, Loader]] = {
    "forms": (FORM_FILE, "demo.toml", FORM, lambda d, c: catalog.load_formdefs(d, cache=c)),
    "checklists": (CHECKLIST_FILE, "demo.toml", CHECKLIST, lambda d, c: catalog.load_checklists(d, cache=c)),
    "holidays": (
        HOLIDAY_FILE,
        "2027.toml",
        HOLIDAYS,
        lambda d, c: catalog.load_calendar(d, cache=c),
    ),
    "phrases": (
        PHRASES_FILE_KIND,
        "phrases.toml",
        PHRASES,
        lambda d, c: catalog.load_phrases("demo", d, cache=c),
    ),
}

# (loader, replace this, with this, the key the error must name)
MISTAKES = [
    ("forms", 'code = "演示"', 'code = "演示', "第 3 行"),
    ("forms", 'title = "演示通知书"\n', "", "title"),
    ("forms", 'kind = "notice"', "kind = 3", "kind"),
    ("checklists", 'name = "演示"', 'name = "演示', "第 2 行"),
    ("checklists", 'version = "2026.1"\n', "", "version"),
    ("checklists", "order = 5", 'order = "5"', "order"),
    ("holidays", "workdays = []", "workdays = [,]", "第 4 行"),
    ("holidays", "workdays = []\n", "", "workdays"),
    ("holidays", "year = 2027", 'year = "2027"', "year"),
    ("phrases", 'name = "开场"', 'name = "开场', "第 3 行"),
    ("phrases", 'name = "开场"\n', "", "groups[0].name"),
    ("phrases", 'phrases = ["你好。"]', 'phrases = "你好。"', "groups[0].phrases"),
]


@pytest.mark.parametrize(("loader", "old", "new", "key"), MISTAKES, ids=[f"{m[0]}-{m[3]}" for m in MISTAKES])
def test_each_loader_names_file_and_key_in_one_error_type(
    tmp_path: Path, loader: str, old: str, new: str, key: str
) -> None:
    what, name, good, load = LOADERS[loader]
    assert old in good
    write(tmp_path, name, good.replace(old, new, 1))
    with pytest.raises(CatalogError) as info:
        load(tmp_path, Cache())
    err = info.value
    assert isinstance(err, FieldkitError)
    assert (err.what, err.file, err.key) == (what, name, key)
    assert str(err) == f"{what} {name}：{key}：{err.problem}"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.problem), err.problem


@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_every_loader_reads_through_the_one_reader(tmp_path: Path, loader: str) -> None:
    """A byte order mark is accepted and a file in another encoding refused the same way everywhere."""
    what, name, good, load = LOADERS[loader]
    write(tmp_path, name, "\ufeff".encode() + good.encode())
    assert load(tmp_path, Cache())
    write(tmp_path, name, good.encode("gbk"))
    with pytest.raises(CatalogError) as info:
        load(tmp_path, Cache())
    assert (info.value.what, info.value.file, info.value.key) == (what, name, "")
    assert "UTF-8" in info.value.problem


def test_end_of_file_is_named_when_tomllib_gives_no_line(tmp_path: Path) -> None:
    write(tmp_path, "demo.toml", 'id = "demo"\nblocks = [')
    with pytest.raises(CatalogError) as info:
        catalog.load_formdefs(tmp_path, cache=Cache())
    assert info.value.key == "文件末尾" and "TOML" in info.value.problem


def test_an_error_without_a_file_says_only_key_and_problem() -> None:
    with pytest.raises(CatalogError) as info:
        catalog.parse_holiday_doc({"year": 2027})
    assert str(info.value) == "source：缺少此项"


# ── the cache ──


@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_second_load_is_served_from_the_cache(tmp_path: Path, loader: str) -> None:
    _, name, good, load = LOADERS[loader]
    write(tmp_path, name, good)
    cache = Cache()
    first = load(tmp_path, cache)
    second = load(tmp_path, cache)
    assert cache.loads == 1
    assert second == first
    if loader == "holidays":
        assert second is first  # a WorkCalendar is read-only and shared as it is
    elif loader == "forms":
        assert second["demo"] is first["demo"]  # the dict is the caller's own, the FormDef shared
    else:
        assert second[0] is first[0]


def test_the_cached_object_itself_is_returned(tmp_path: Path) -> None:
    cache = Cache()
    calls: list[int] = []

    def load() -> object:
        calls.append(1)
        return object()

    first = cache.get("kind", (tmp_path,), (), load)
    assert cache.get("kind", (tmp_path,), (), load) is first
    assert calls == [1]
    assert cache.get("kind", (tmp_path,), (("x", 1, 1),), load) is not first  # another stamp: read again


@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_an_edited_file_is_read_again(tmp_path: Path, loader: str) -> None:
    _, name, good, load = LOADERS[loader]
    path = write(tmp_path, name, good)
    cache = Cache()
    load(tmp_path, cache)
    path.write_text(good + "\n# 改过\n", encoding="utf-8")
    load(tmp_path, cache)
    assert cache.loads == 2


def test_invalidate_reloads_what_the_stamp_cannot_see(tmp_path: Path) -> None:
    """An edit of the same size within the clock's resolution keeps the stamp: invalidate() is for that."""
    path = write(tmp_path, "demo.toml", FORM)
    cache = Cache()
    assert catalog.load_formdef("demo", tmp_path, cache=cache).title == "演示通知书"
    before = path.stat()
    path.write_text(FORM.replace("演示通知书", "示范通知书"), encoding="utf-8")  # same length in bytes
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert catalog.load_formdef("demo", tmp_path, cache=cache).title == "演示通知书"  # stale, as designed
    cache.invalidate()
    assert catalog.load_formdef("demo", tmp_path, cache=cache).title == "示范通知书"


def test_invalidating_a_folder_keeps_the_others(tmp_path: Path) -> None:
    write(tmp_path / "a", "demo.toml", FORM)
    write(tmp_path / "b", "demo.toml", FORM)
    cache = Cache()
    catalog.load_formdefs(tmp_path / "a", cache=cache)
    catalog.load_formdefs(tmp_path / "b", cache=cache)
    cache.invalidate(tmp_path / "a")
    assert len(cache) == 1
    catalog.load_formdefs(tmp_path / "b", cache=cache)
    assert cache.loads == 2  # b came from the cache
    cache.invalidate(tmp_path)  # a folder holding both
    assert len(cache) == 0


def test_a_failed_load_caches_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "demo.toml", FORM.replace("kind = ", "kind = 3 #"))
    cache = Cache()
    with pytest.raises(CatalogError):
        catalog.load_formdefs(tmp_path, cache=cache)
    assert len(cache) == 0
    path.write_text(FORM, encoding="utf-8")
    assert list(catalog.load_formdefs(tmp_path, cache=cache)) == ["demo"]


def test_holiday_cache_is_keyed_by_the_office_folder_too(tmp_path: Path) -> None:
    """Two data dirs (e.g. after a settings change) never share a calendar."""
    cache = Cache()
    write(tmp_path / "one" / "holidays", "2027.toml", HOLIDAYS)
    with_2027 = catalog.load_calendar(catalog.office_holidays_dir(tmp_path / "one"), cache=cache)
    without = catalog.load_calendar(catalog.office_holidays_dir(tmp_path / "two"), cache=cache)
    assert with_2027.covered(2027) and not without.covered(2027)
    # the office folder appearing later is seen without an invalidate()
    write(tmp_path / "two" / "holidays", "2027.toml", HOLIDAYS)
    assert catalog.load_calendar(catalog.office_holidays_dir(tmp_path / "two"), cache=cache).covered(2027)


def test_importing_a_holiday_file_is_seen_by_the_next_load(tmp_path: Path) -> None:
    cache = Cache()
    data = tmp_path / "data"
    office = catalog.office_holidays_dir(data)
    assert not catalog.load_calendar(office, cache=cache).covered(2027)
    catalog.import_holiday_file(write(tmp_path, "下载.toml", HOLIDAYS), data, cache=cache)
    assert catalog.load_calendar(office, cache=cache).covered(2027)


def test_the_programs_cache_can_be_invalidated(tmp_path: Path) -> None:
    write(tmp_path, "demo.toml", FORM)
    catalog.load_formdefs(tmp_path)
    loads = catalog.SHARED.loads
    catalog.load_formdefs(tmp_path)
    assert catalog.SHARED.loads == loads
    catalog.invalidate(tmp_path)
    catalog.load_formdefs(tmp_path)
    assert catalog.SHARED.loads == loads + 1


# ── the packaged program ──


def _spec_datas() -> list[tuple[str, str]]:
    spec = (REPO / "build.spec").read_text(encoding="utf-8")
    for node in ast.parse(spec).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "DATAS" for t in node.targets):
            return ast.literal_eval(node.value)  # type: ignore[no-any-return]
    raise AssertionError("build.spec has no DATAS")


def _spec_keep() -> Callable[[tuple[str, str, str]], bool]:
    spec = (REPO / "build.spec").read_text(encoding="utf-8")
    wanted = [
        node
        for node in ast.parse(spec).body
        if (isinstance(node, ast.FunctionDef) and node.name == "keep")
        or (isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "DROP" for t in node.targets))
    ]
    namespace: dict[str, Any] = {}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), "build.spec", "exec"), namespace)
    return namespace["keep"]  # type: ignore[no-any-return]


CATALOG_DIRS = ["forms", "forms/checklists", "resources/holidays"]


def test_build_spec_ships_every_catalog_file_where_the_catalog_looks() -> None:
    datas = _spec_datas()
    keep = _spec_keep()
    for rel in CATALOG_DIRS:
        covering = [(src, dest) for src, dest in datas if rel == src or rel.startswith(f"{src}/")]
        assert covering, f"build.spec DATAS ships nothing of {rel}"
        src, dest = covering[0]
        assert dest == src, f"{src} lands at {dest} in the bundle, the catalog looks at {src}"
        for path in (REPO / rel).glob("*.toml"):
            dest_path = path.relative_to(REPO).as_posix()
            assert keep((dest_path, str(path), "DATA")), f"build.spec's keep() drops {dest_path}"


def test_a_frozen_build_loads_the_catalog_from_its_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lay out the bundle as build.spec's DATAS say (fonts left out) and load everything from there."""
    bundle = tmp_path / "_internal"
    for src, dest in _spec_datas():
        if (REPO / src).is_dir() and src in ("forms", "resources"):
            shutil.copytree(REPO / src, bundle / dest, ignore=shutil.ignore_patterns("fonts"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert paths.bundle_dir() == bundle
    cache = Cache()
    assert sorted(catalog.load_formdefs(cache=cache)) == sorted(
        catalog.load_formdefs(REPO / "forms", cache=cache)
    )
    assert [d.id for d in catalog.load_checklists(cache=cache)] == [
        d.id for d in catalog.load_checklists(REPO / "forms" / "checklists", cache=cache)
    ]
    assert (
        catalog.load_calendar(cache=cache).years
        == catalog.load_calendar(shipped=REPO / "resources" / "holidays", cache=cache).years
    )
    assert catalog.load_phrases("xianchang_bilu", cache=cache)
    # shipped files are named relative to the bundle, as in the repository
    with pytest.raises(CatalogError) as info:
        catalog.checklist_by_id("no_such_domain", cache=cache)
    assert info.value.file == "forms/checklists"
    (bundle / "forms" / "checklists" / "food_business.toml").write_text("id = ", encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        catalog.load_checklists(cache=cache)
    assert info.value.file == "forms/checklists/food_business.toml"


# ── its place in the layers ──


def test_catalog_imports_only_domain_paths_errors_and_itself() -> None:
    """Below services (DESIGN §2, issue 12 §5): printing and services import the catalog, never the reverse."""
    allowed = ("fieldkit.catalog", "fieldkit.domain", "fieldkit.paths", "fieldkit.errors")
    for path in sorted((REPO / "fieldkit" / "catalog").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = (
                    [node.module] if node.module != "fieldkit" else [f"fieldkit.{a.name}" for a in node.names]
                )
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.split(".")[0] == "fieldkit":
                    assert name.startswith(allowed), f"{path.name} imports {name}"
