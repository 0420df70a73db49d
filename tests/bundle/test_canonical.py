"""Canonical JSON: one byte form per record, floats refused, round trip holds for any JSON value."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.bundle import CanonicalJsonError, canonical_json, parse_canonical
from fieldkit.bundle.canonical import INT_MAX, INT_MIN


def test_sorted_keys_compact_utf8_without_escapes() -> None:
    data = canonical_json({"b": 1, "a": {"d": [1, 2], "c": "临沂"}, "e": None, "f": True})
    assert data == '{"a":{"c":"临沂","d":[1,2]},"b":1,"e":null,"f":true}'.encode()


def test_key_order_of_the_input_does_not_matter() -> None:
    assert canonical_json({"x": 1, "y": 2, "中": 3}) == canonical_json({"中": 3, "y": 2, "x": 1})


def test_control_characters_and_quotes_are_escaped_once() -> None:
    data = canonical_json({"t": 'a"b\\c\n\u0001'})
    assert data == b'{"t":"a\\"b\\\\c\\n\\u0001"}'
    assert parse_canonical(data) == {"t": 'a"b\\c\n\u0001'}


def test_a_float_is_refused_naming_where_it_is() -> None:
    with pytest.raises(CanonicalJsonError) as err:
        canonical_json({"data": {"items": [{"amount": 12.5}]}})
    assert err.value.where == "data.items[0].amount"
    assert "小数" in str(err.value) and "分" in str(err.value)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (dt.datetime(2026, 3, 2, tzinfo=dt.UTC), "ISO"),
        (dt.date(2026, 3, 2), "ISO"),
        (uuid.uuid4(), "不支持的类型"),
        (Decimal("1.5"), "不支持的类型"),
        ((1, 2), "不支持的类型"),
        (b"bytes", "不支持的类型"),
        (float("nan"), "小数"),
        (2**63, "64 位"),
        (INT_MIN - 1, "64 位"),
        ("\ud800", "代理"),
    ],
)
def test_values_that_would_not_come_back_unchanged_are_refused(value: object, words: str) -> None:
    with pytest.raises(CanonicalJsonError, match=words):
        canonical_json({"v": value})


def test_non_string_keys_are_refused() -> None:
    with pytest.raises(CanonicalJsonError, match="键必须是字符串"):
        canonical_json({1: "a"})  # type: ignore[dict-item]


def test_the_64_bit_bounds_are_accepted() -> None:
    assert parse_canonical(canonical_json({"max": INT_MAX, "min": INT_MIN})) == {
        "max": INT_MAX,
        "min": INT_MIN,
    }


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'{"b":1,"a":2}', "规范"),
        (b'{"a": 1}', "规范"),
        (b'{"a":1}\n', "规范"),
        (b'{"a":"\\u4e34"}', "规范"),  # escaped where the canonical form has UTF-8
        (b'{"a":1,"a":2}', "重复"),
        (b'{"a":1.0}', "小数"),
        (b'{"a":NaN}', "非法数值"),
        (b"[1]", "对象"),
        (b'{"a":', "JSON"),
        (b'{"a":"\xff"}', "UTF-8"),
    ],
)
def test_parse_refuses_anything_but_the_canonical_form(data: bytes, words: str) -> None:
    with pytest.raises(CanonicalJsonError, match=words):
        parse_canonical(data)


# Explicit characters: plain st.text() makes hypothesis build a codec table first (~6 s on a fresh CI).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=INT_MIN, max_value=INT_MAX) | TEXT,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(TEXT, children, max_size=5),
    max_leaves=15,
)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(TEXT, JSON_VALUES, max_size=8))
def test_canonical_json_round_trips_and_is_a_fixed_point(record: dict[str, object]) -> None:
    data = canonical_json(record)
    assert json.loads(data.decode("utf-8")) == record
    assert parse_canonical(data) == record
    assert canonical_json(json.loads(data)) == data
    assert canonical_json(dict(reversed(list(record.items())))) == data


# parse_canonical checks the bytes it parsed instead of writing the value out again (issue 14); it must
# accept exactly what "parse, write canonically, compare" accepts.
def _round_trip_accepts(data: bytes) -> bool:
    try:
        value = json.loads(data.decode("utf-8"))
        return isinstance(value, dict) and canonical_json(value) == data
    except (UnicodeDecodeError, ValueError, CanonicalJsonError, RecursionError):
        return False


def _accepts(data: bytes) -> bool:
    try:
        parse_canonical(data)
    except CanonicalJsonError:
        return False
    return True


def _nested(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


@pytest.mark.parametrize(
    "data",
    [
        b'{"a":"x y","b c":[1,-1,0]}',  # spaces inside strings
        b'{"a":"x","b": 1}',
        b'{"a":"x" ,"b":1}',
        b'{"a":-0}',
        b'{"a":0}',
        b'{"a":1E2}',
        b'{"a":"\\b\\f\\n\\r\\t\\"\\\\"}',
        b'{"a":"\\u0008"}',  # written \b
        b'{"a":"\\u000b\\u000e\\u001f\\u0000"}',
        b'{"a":"\\u000B"}',  # upper-case hex
        b'{"a":"\\/"}',
        b'{"a":"\\u007f"}',
        b'{"a":"\x7f"}',
        b'{"a":"\\ud800"}',  # a lone surrogate cannot be written as UTF-8
        b'{"a":"\\\\u0041"}',  # an escaped backslash before u0041: text, not an escape
        b'{"a\\"b":1}',
        b'{"a":1,"a":1}',
        b'{"":1,"a":{}}',
        b'{"a":[],"b":{},"c":[{}]}',
        b'{"b":{"d":1,"c":2},"a":1}',
        b'{"a":{"d":1,"c":2}}',
        b'{"a":9223372036854775807,"b":-9223372036854775808}',
        b'{"a":9223372036854775808}',
        b'{"\xe4\xb8\xb4":1,"a":2}',
        b'{"a":2,"\xe4\xb8\xb4":1}',
        b'{"a":"\xe2\x80\xa8"}',
        _nested(63),
        _nested(64),
        _nested(65),
        b'{"a":"' + b"[" * 80 + b'"}',  # brackets in a string are not nesting
        b'{"a":' + b"[" * 63 + b"]" * 63 + b"}",
        b'{"a":' + b"[" * 64 + b"]" * 64 + b"}",
        b'\xef\xbb\xbf{"a":1}',
        b' {"a":1}',
        b'{"a":1} ',
        b'{"a":true,"b":false,"c":null}',
    ],
)
def test_the_byte_check_accepts_what_the_round_trip_accepts(data: bytes) -> None:
    assert _accepts(data) == _round_trip_accepts(data)


_VARIANTS = st.sampled_from(
    [
        {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")},
        {"sort_keys": True, "ensure_ascii": True, "separators": (",", ":")},
        {"sort_keys": False, "ensure_ascii": False, "separators": (",", ":")},
        {"sort_keys": True, "ensure_ascii": False},
        {"sort_keys": True, "ensure_ascii": False, "separators": (",", ": ")},
        {"sort_keys": True, "ensure_ascii": False, "indent": 1},
    ]
)
_SPLICES = st.sampled_from(
    [b" ", b"\\", b'\\"', b"\\/", b"\\u0041", b"\\u000b", b"\\u000B", b"\\b", b"-0", b"1.5", b",", b":", b'"']
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(TEXT, JSON_VALUES, max_size=6), _VARIANTS, _SPLICES, st.integers(min_value=0))
def test_the_byte_check_agrees_with_the_round_trip_on_other_spellings(
    record: dict[str, object], options: dict[str, object], splice: bytes, where: int
) -> None:
    data = json.dumps(record, **options).encode("utf-8")  # type: ignore[arg-type]
    assert _accepts(data) == _round_trip_accepts(data)
    at = where % (len(data) + 1)
    spliced = data[:at] + splice + data[at:]
    assert _accepts(spliced) == _round_trip_accepts(spliced)
