"""Canonical JSON for records: sorted keys, UTF-8, no insignificant whitespace, no floats."""

from __future__ import annotations

import datetime as dt
import json
import re
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
    record = record if type(record) is dict else dict(record)
    try:
        _check(record, 0)
    except _Bad as bad:
        raise CanonicalJsonError(bad.where(), bad.message) from None
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # Rare: find which string holds the lone surrogate, to name it.
        try:
            _find_unencodable(record)
        except _Bad as bad:
            raise CanonicalJsonError(bad.where(), bad.message) from None
        raise CanonicalJsonError("", "含有无法用 UTF-8 编码的字符") from None


def parse_canonical(data: bytes) -> dict[str, Any]:
    """Parse bytes that must be canonical JSON of an object; refuse anything else.

    Refuses invalid UTF-8, duplicate keys, floats, NaN/Infinity and any formatting other than the
    canonical one (so the SHA-256 of a record is a function of its content alone).
    """
    try:
        value = _DECODER.decode(data.decode("utf-8"))
        ok = type(value) is dict and _canonical_form(data, value)
    except (UnicodeDecodeError, json.JSONDecodeError, _NotCanonical, _Bad, RecursionError):
        ok = False
    if ok:
        return value
    # The fast path failed: parse again strictly, only to say precisely what is wrong.
    value = loads_strict(data)
    if not isinstance(value, dict):
        raise CanonicalJsonError("", "顶层必须是 JSON 对象")
    canonical_json(value)
    raise CanonicalJsonError("", "不是规范格式（键未排序、含多余空白或转义方式不同）")


# Checking the bytes instead of writing the parsed value out again and comparing (issue 14: every
# record of an import passes here). The parse itself refuses what canonical_json would not write:
# floats and NaN/Infinity, integers outside 64 bits or spelt "-0", duplicate or unsorted keys (each
# object's keys strictly increasing by code point, as sort_keys orders them). What is left to see is
# in the bytes: whitespace between tokens, and escapes other than the ones json.dumps(ensure_ascii=False)
# writes (\" \\ \b \f \n \r \t, and \u00xx in lower case for the other control characters).
# tests/bundle/test_canonical.py holds this equal to "parse, write canonically, compare".
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_CANONICAL_ESCAPE = re.compile(rb'\\(?:["\\bfnrt]|u00(?:0[0-7bef]|1[0-9a-f]))')


class _NotCanonical(Exception):
    """Raised inside the fast parse; the slow path then says what is wrong."""


def _parse_int(text: str) -> int:
    value = int(text)
    if text == "-0" or not INT_MIN <= value <= INT_MAX:
        raise _NotCanonical
    return value


def _refuse(text: str) -> Any:
    raise _NotCanonical


def _sorted_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _NotCanonical  # a duplicate key
    keys = list(value)
    if keys != sorted(keys):
        raise _NotCanonical
    return value


_DECODER = json.JSONDecoder(
    parse_float=_refuse, parse_int=_parse_int, parse_constant=_refuse, object_pairs_hook=_sorted_object
)


def _canonical_form(data: bytes, value: dict[str, Any]) -> bool:
    """Whether the bytes `value` was parsed from (by _DECODER) are its canonical form."""
    if data.count(b"{") + data.count(b"[") > MAX_DEPTH:
        _check(value, 0)  # nested deep enough to be refused: walk it (raises _Bad)
    if b"\t" in data or b"\n" in data or b"\r" in data:
        return False  # a JSON string cannot hold them raw: they are whitespace between tokens
    if b" " in data and b" " in _STRING.sub(b"", data):
        return False
    return b"\\" not in data or b"\\" not in _CANONICAL_ESCAPE.sub(b"", data)


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
    except RecursionError:  # the C parser's guard against thousands of nested [ or {
        raise CanonicalJsonError("", f"嵌套层数过深（超过 {MAX_DEPTH} 层）") from None


class _Bad(Exception):
    """A value that cannot be written; the path is collected while the walk unwinds (cheap when all is well)."""

    def __init__(self, message: str):
        self.message = message
        self.path: list[str | int] = []

    def where(self) -> str:
        out = ""
        for step in reversed(self.path):
            out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
        return out


def _check(value: Any, depth: int) -> None:
    # Exact-type fast paths first: this walk runs for every record exported and imported.
    t = type(value)
    if t is str or t is bool or value is None:
        return
    if t is int:
        if not INT_MIN <= value <= INT_MAX:
            raise _Bad(f"整数 {value} 超出 64 位有符号整数范围")
        return
    if depth >= MAX_DEPTH:
        raise _Bad(f"嵌套超过 {MAX_DEPTH} 层")
    if t is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise _Bad(f"对象的键必须是字符串，实为 {type(key).__name__} {key!r}")
            ti = type(item)
            if ti is str or ti is bool or item is None:
                continue
            try:
                _check(item, depth + 1)
            except _Bad as bad:
                bad.path.append(key)
                raise
        return
    if t is list:
        for i, item in enumerate(value):
            ti = type(item)
            if ti is str or ti is bool or item is None:
                continue
            try:
                _check(item, depth + 1)
            except _Bad as bad:
                bad.path.append(i)
                raise
        return
    _check_other(value)


def _check_other(value: Any) -> None:
    if isinstance(value, float):
        raise _Bad(f"不允许小数 {value!r}：金额请用整数“分”，其他小数请先转为字符串")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        raise _Bad(f"日期时间 {value!r} 须先转为 ISO 8601 字符串（带时区）")
    if isinstance(value, str):  # a str subclass (StrEnum) is written as its text
        return
    if isinstance(value, int):  # bool subclasses and IntEnum are written as numbers
        if not INT_MIN <= value <= INT_MAX:
            raise _Bad(f"整数 {value} 超出 64 位有符号整数范围")
        return
    if isinstance(value, Mapping | list):
        raise _Bad(f"嵌套的 {type(value).__name__} 须先转为 dict / list")
    # Tuples, sets, UUIDs, Decimals, bytes…: each would come back as something else, or not at all.
    raise _Bad(f"不支持的类型 {type(value).__name__}（只允许对象、数组、字符串、整数、布尔、null）")


def _find_unencodable(value: Any) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise _Bad(f"字符串含无法编码的字符（位置 {exc.start}，孤立代理项）") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            try:
                _find_unencodable(key)
                _find_unencodable(item)
            except _Bad as bad:
                bad.path.append(key)
                raise
    elif isinstance(value, list):
        for i, item in enumerate(value):
            try:
                _find_unencodable(item)
            except _Bad as bad:
                bad.path.append(i)
                raise


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
