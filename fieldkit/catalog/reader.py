"""The one TOML reader of the catalog: bytes → UTF-8 text → TOML table, each failure a CatalogError."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from fieldkit import paths
from fieldkit.catalog.errors import CatalogError

_TOML_POS_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END_RE = re.compile(r"\s*\(at end of document\)\s*$")


def read_toml(path: Path, *, what: str, file: str | None = None) -> tuple[dict[str, Any], str]:
    """The parsed document and its text (loaders that point at lines need the text).

    Args:
        path: the file.
        what: the kind of file, named first in an error (errors.FORM_FILE, …).
        file: how an error names the file; default `display(path)`.

    Raises:
        CatalogError: unreadable, not UTF-8, or not TOML (naming the line when tomllib gives it).
    """
    file = display(path) if file is None else file
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(file, "", f"无法读取（{exc.strerror or exc}）", what=what) from exc
    try:
        # utf-8-sig: Windows editors may save a byte order mark, which TOML itself would reject
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(file, "", "不是 UTF-8 编码的文本，请用编辑器另存为 UTF-8", what=what) from exc
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        key, problem = _toml_problem(str(exc))
        raise CatalogError(file, key, problem, what=what) from exc


def _toml_problem(detail: str) -> tuple[str, str]:
    """(key, problem) for tomllib's message: the line becomes the key, the column goes into the problem."""
    if m := _TOML_POS_RE.search(detail):
        return f"第 {m.group(1)} 行", f"TOML 格式错误（第 {m.group(2)} 列）：{detail[: m.start()]}"
    if m := _TOML_END_RE.search(detail):
        return "文件末尾", f"TOML 格式错误：{detail[: m.start()]}"
    return "", f"TOML 格式错误：{detail}"


def display(path: Path, *, folder: bool = False) -> str:
    """How a message names a file or folder.

    Shipped data is named relative to the program ("forms/checklists/food_business.toml"), the same
    in a frozen build as in the repository. Other files are named by their name, as the officer who
    wrote them knows them ("2027.toml"); other folders in full, since a folder's name alone does not
    find it.
    """
    try:
        return path.resolve().relative_to(paths.bundle_dir().resolve()).as_posix()
    except ValueError:
        return str(path) if folder else path.name
