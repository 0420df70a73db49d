"""常用语: the phrase groups offered while writing a form (forms/phrases.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fieldkit import paths
from fieldkit.catalog.cache import SHARED, Cache, stamp
from fieldkit.catalog.errors import PHRASES_FILE_KIND, CatalogError
from fieldkit.catalog.reader import display, read_toml

PHRASES_FILE = "phrases.toml"
_GROUP_KEYS = ("form", "name", "phrases")


@dataclass(frozen=True)
class PhraseGroup:
    form: str
    name: str
    phrases: tuple[str, ...]


def load_phrases(
    form_id: str, folder: Path | None = None, *, cache: Cache = SHARED
) -> tuple[PhraseGroup, ...]:
    """The 常用语 groups offered when writing the given form (empty when there are none or no file).

    Raises:
        CatalogError: phrases.toml is wrong (the editor logs it and offers no phrases).
    """
    path = ((folder or paths.forms_dir()) / PHRASES_FILE).resolve()
    groups = cache.get("phrases", (path,), stamp([path]), lambda: read_phrases(path) if path.exists() else ())
    return tuple(g for g in groups if g.form == form_id)


def read_phrases(path: Path) -> tuple[PhraseGroup, ...]:
    """Every group in the file, checked; no cache."""
    file = display(path)

    def error(key: str, problem: str) -> CatalogError:
        return CatalogError(file, key, problem, what=PHRASES_FILE_KIND)

    doc, _ = read_toml(path, what=PHRASES_FILE_KIND, file=file)
    extra = set(doc) - {"groups"}
    if extra:
        raise error(sorted(extra)[0], "未知的设置项（只允许 [[groups]]）")
    groups = doc.get("groups", [])
    if not isinstance(groups, list):
        raise error("groups", "应为 [[groups]] 表格数组")
    out = []
    for i, g in enumerate(groups):
        where = f"groups[{i}]"
        if not isinstance(g, dict):
            raise error(where, "应为表格")
        extra = set(g) - set(_GROUP_KEYS)
        if extra:
            raise error(f"{where}.{sorted(extra)[0]}", f"未知的设置项（可用：{'、'.join(_GROUP_KEYS)}）")
        form, name, phrases = g.get("form"), g.get("name"), g.get("phrases")
        if not isinstance(form, str) or not form:
            raise error(f"{where}.form", "缺少适用的表单编号")
        if not isinstance(name, str) or not name:
            raise error(f"{where}.name", "缺少分组名称")
        if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and p for p in phrases):
            raise error(f"{where}.phrases", "应为非空的文字数组")
        out.append(PhraseGroup(form=form, name=name, phrases=tuple(phrases)))
    return tuple(out)
