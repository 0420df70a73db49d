"""Check-item lists (forms/checklists/*.toml) read and checked into ChecklistDomain values."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from fieldkit import paths
from fieldkit.catalog.cache import SHARED, Cache, stamp, toml_files
from fieldkit.catalog.errors import CHECKLIST_FILE, CatalogError
from fieldkit.catalog.reader import display, read_toml
from fieldkit.domain.checklists import CheckItem, ChecklistDomain

log = logging.getLogger(__name__)

DOMAIN_KEYS = ("id", "name", "order", "version", "description", "basis", "items")
ITEM_KEYS = ("code", "group", "text", "basis", "hint")
# Ids name files and codes are stored in every inspection and bundle, so both stay plain ASCII.
_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
_ITEMS_HEADER_RE = re.compile(r"^\s*\[\[\s*items\s*\]\]")


def _error(problem: str, *, file: str = "", key: str = "") -> CatalogError:
    return CatalogError(file, key, problem, what=CHECKLIST_FILE)


def checklists_dir() -> Path:
    """The shipped lists: forms/checklists."""
    return paths.forms_dir() / "checklists"


def load_checklists(folder: Path | None = None, *, cache: Cache = SHARED) -> list[ChecklistDomain]:
    """Every domain in `folder` (default: forms/checklists), sorted by `order`, then `id`.

    Cached per folder until a file changes; the list is the caller's own, the domains are frozen.

    Raises:
        CatalogError: the folder is missing, or any file in it is invalid (the first problem found).
    """
    return list(_load_folder(_resolve(folder), cache))


def checklist_by_id(domain_id: str, folder: Path | None = None, *, cache: Cache = SHARED) -> ChecklistDomain:
    """The domain with this id, e.g. "food_business"; CatalogError if there is none."""
    resolved = _resolve(folder)
    for domain in _load_folder(resolved, cache):
        if domain.id == domain_id:
            return domain
    raise _error(f"没有 id 为“{domain_id}”的检查事项清单", file=display(resolved, folder=True))


def load_checklist_file(path: Path) -> ChecklistDomain:
    """Parse and validate one file on its own (no cache; the id-equals-file-name rule is checked too)."""
    domain = _parse_file(path)
    _check_id_matches_stem(path, domain)
    return domain


def _resolve(folder: Path | None) -> Path:
    return (folder if folder is not None else checklists_dir()).resolve()


def _load_folder(folder: Path, cache: Cache) -> tuple[ChecklistDomain, ...]:
    if not folder.is_dir():
        raise _error("检查事项清单目录不存在", file=display(folder, folder=True))
    files = toml_files(folder)
    return cache.get("checklists", (folder,), stamp(files), lambda: _read_folder(folder, files))


def _read_folder(folder: Path, files: list[Path]) -> tuple[ChecklistDomain, ...]:
    parsed = [(path, _parse_file(path)) for path in files]
    # Duplicates are checked before the file-name rule: the usual cause is a copied file whose id
    # was not changed, and naming the other file says so more plainly.
    seen: dict[str, Path] = {}
    for path, domain in parsed:
        if domain.id in seen:
            raise _error(
                f"“{domain.id}”与 {display(seen[domain.id])} 的 id 重复", file=display(path), key="id"
            )
        seen[domain.id] = path
    for path, domain in parsed:
        _check_id_matches_stem(path, domain)
    domains = sorted((domain for _, domain in parsed), key=lambda d: (d.order, d.id))
    log.debug("loaded %d checklists from %s", len(domains), folder)
    return tuple(domains)


def _check_id_matches_stem(path: Path, domain: ChecklistDomain) -> None:
    if domain.id != path.stem:
        raise _error(
            f"应与文件名一致（文件名为 {path.stem}，id 为 {domain.id}）", file=display(path), key="id"
        )


def _parse_file(path: Path) -> ChecklistDomain:
    file = display(path)
    data, source = read_toml(path, what=CHECKLIST_FILE, file=file)
    return _parse_domain(data, file, _item_lines(source))


def _item_lines(source: str) -> list[int]:
    """Line numbers of the `[[items]]` headers, so item errors can point into the file."""
    return [n for n, line in enumerate(source.splitlines(), start=1) if _ITEMS_HEADER_RE.match(line)]


def _parse_domain(data: dict[str, Any], file: str, item_lines: list[int]) -> ChecklistDomain:
    _reject_unknown_keys(data, DOMAIN_KEYS, file, prefix="")
    domain_id = _required_str(data, "id", file)
    if not _ID_RE.match(domain_id):
        raise _error("只能使用小写英文字母、数字和下划线，并以字母开头", file=file, key="id")
    name = _required_str(data, "name", file)
    order = data.get("order")
    if order is None:
        raise _error("缺少此项（界面排序用的整数）", file=file, key="order")
    if not isinstance(order, int) or isinstance(order, bool):
        raise _error(f"应为整数，实为{_type_name(order)}", file=file, key="order")
    version = _required_str(data, "version", file)
    description = _optional_str(data, "description", file)
    basis = _optional_str(data, "basis", file)

    raw_items = data.get("items")
    if raw_items is None:
        raise _error("缺少此项（至少需要一个 [[items]] 检查事项）", file=file, key="items")
    if not isinstance(raw_items, list) or not all(isinstance(i, dict) for i in raw_items):
        raise _error("应写成 [[items]] 表数组", file=file, key="items")
    if not raw_items:
        raise _error("不能为空，至少需要一个检查事项", file=file, key="items")

    items: list[CheckItem] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(raw_items, start=1):
        item = _parse_item(raw, index, file, item_lines)
        if item.code in first_index:
            raise _error(
                f"“{item.code}”与 items[{first_index[item.code]}] 重复{_line_note(index, item_lines)}",
                file=file,
                key=f"items[{index}].code",
            )
        first_index[item.code] = index
        items.append(item)

    return ChecklistDomain(
        id=domain_id,
        name=name,
        order=order,
        version=version,
        description=description,
        basis=basis,
        items=tuple(items),
    )


def _parse_item(raw: dict[str, Any], index: int, file: str, item_lines: list[int]) -> CheckItem:
    prefix = f"items[{index}]."
    note = _line_note(index, item_lines)
    try:
        _reject_unknown_keys(raw, ITEM_KEYS, file, prefix=prefix)
        code = _required_str(raw, "code", file, prefix=prefix)
        if not _CODE_RE.match(code):
            raise _error(
                f"“{code}”不合规：只能使用英文字母、数字、点、下划线和连字符，最长 32 个字符",
                file=file,
                key=f"{prefix}code",
            )
        return CheckItem(
            code=code,
            group=_required_str(raw, "group", file, prefix=prefix),
            text=_required_str(raw, "text", file, prefix=prefix),
            basis=_optional_str(raw, "basis", file, prefix=prefix),
            hint=_optional_str(raw, "hint", file, prefix=prefix),
        )
    except CatalogError as exc:
        if not note:
            raise
        raise _error(exc.problem + note, file=exc.file, key=exc.key) from None


def _line_note(index: int, item_lines: list[int]) -> str:
    """Items are counted from 1, i.e. the N-th [[items]] block; give its line when it can be found."""
    if 0 < index <= len(item_lines):
        return f"（第 {item_lines[index - 1]} 行起的 [[items]]）"
    return ""


def _reject_unknown_keys(table: dict[str, Any], allowed: tuple[str, ...], file: str, *, prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise _error(f"未知的键（可用的键：{'、'.join(allowed)}）", file=file, key=f"{prefix}{key}")


def _required_str(table: dict[str, Any], key: str, file: str, *, prefix: str = "") -> str:
    if key not in table:
        raise _error("缺少此项", file=file, key=f"{prefix}{key}")
    value = table[key]
    if not isinstance(value, str):
        raise _error(f"应为文本（字符串），实为{_type_name(value)}", file=file, key=f"{prefix}{key}")
    value = value.strip()
    if not value:
        raise _error("不能为空", file=file, key=f"{prefix}{key}")
    return value


def _optional_str(table: dict[str, Any], key: str, file: str, *, prefix: str = "") -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise _error(f"应为文本（字符串），实为{_type_name(value)}", file=file, key=f"{prefix}{key}")
    return value.strip()


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "小数"
    if isinstance(value, str):
        return "文本"
    if isinstance(value, list):
        return "数组"
    if isinstance(value, dict):
        return "表"
    return "日期时间"
