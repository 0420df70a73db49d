"""Canonical JSON for records: sorted keys, UTF-8, no insignificant whitespace, no floats."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from fieldkit.bundle.errors import CanonicalJsonError

# Integers must survive a trip through SQLite / PostgreSQL bigint on the other side.
INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
MAX_DEPTH = 64


def canonical_json(record: Mapping[str, Any]) -> bytes:
    """Return the one byte form of `record`: keys sorted by code point, `,`/`:` separators, UTF-8.

    Only dict (str keys), list, str, int (signed 64-bit), bool and None are accepted. Floats are
    refused because money is integer fen and a float has no single textual form; datetimes must
    already be ISO strings. The result parses back (json.loads) to a value equal to `record`.

    Raises:
        CanonicalJsonError: naming the path of the first value that cannot be written.
    """
    if not isinstance(record, Mapping):
        raise CanonicalJsonError("", f"记录必须是 JSON 对象（dict），实为 {type(record).__name__}")
    _check(record, "", 0)
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate slipped past the walk (should not happen)
        raise CanonicalJsonError("", "含有无法用 UTF-8 编码的字符") from exc


def parse_canonical(data: bytes) -> dict[str, Any]:
    """Parse bytes that must be canonical JSON of an object; refuse anything else.

    Refuses invalid UTF-8, duplicate keys, floats, NaN/Infinity and any formatting other than the
    canonical one (so the SHA-256 of a record is a function of its content alone).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CanonicalJsonError("", f"不是有效的 UTF-8（第 {exc.start} 字节）") from exc
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_float=_refuse_float,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as exc:
        raise CanonicalJsonError(
            "", f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）"
        ) from exc
    if not isinstance(value, dict):
        raise CanonicalJsonError("", "顶层必须是 JSON 对象")
    if canonical_json(value) != data:
        raise CanonicalJsonError("", "不是规范格式（键未排序、含多余空白或转义方式不同）")
    return value


def loads_strict(data: bytes) -> Any:
    """Parse JSON (any formatting) refusing duplicate keys, floats and NaN; for manifest.json."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CanonicalJsonError("", f"不是有效的 UTF-8（第 {exc.start} 字节）") from exc
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_float=_refuse_float,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as exc:
        raise CanonicalJsonError(
            "", f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）"
        ) from exc


def _check(value: Any, where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise CanonicalJsonError(where, f"嵌套超过 {MAX_DEPTH} 层")
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            raise CanonicalJsonError(where, f"整数 {value} 超出 64 位有符号整数范围")
        return
    if isinstance(value, str):
        _check_text(value, where)
        return
    if isinstance(value, float):
        raise CanonicalJsonError(where, f"不允许小数 {value!r}：金额请用整数“分”，其他小数请先转为字符串")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        raise CanonicalJsonError(where, f"日期时间 {value!r} 须先转为 ISO 8601 字符串（带时区）")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalJsonError(where, f"对象的键必须是字符串，实为 {type(key).__name__} {key!r}")
            _check_text(key, where)
            _check(item, f"{where}.{key}" if where else key, depth + 1)
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            _check(item, f"{where}[{i}]", depth + 1)
        return
    # Tuples, sets, UUIDs, Decimals, bytes…: each would come back as something else, or not at all.
    raise CanonicalJsonError(
        where, f"不支持的类型 {type(value).__name__}（只允许对象、数组、字符串、整数、布尔、null）"
    )


def _check_text(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CanonicalJsonError(where, f"字符串含无法编码的字符（位置 {exc.start}，孤立代理项）") from exc


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            # Two parsers could pick different values for one key: refuse rather than guess.
            raise CanonicalJsonError("", f"对象中键“{key}”重复")
        result[key] = value
    return result


def _refuse_float(text: str) -> Any:
    raise CanonicalJsonError("", f"含小数 {text}（金额应为整数“分”）")


def _refuse_constant(text: str) -> Any:
    raise CanonicalJsonError("", f"含非法数值 {text}")
