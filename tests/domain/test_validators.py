"""Tests for the field validators: REFERENCE §4.4 examples, each rule, and generated codes."""

from __future__ import annotations

import re
import string
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fieldkit.domain.problems import Problem, Severity, errors, warnings
from fieldkit.domain.validators import (
    PROVINCE_CODES,
    USCC_ALPHABET,
    id_birth_date,
    id_check_char,
    id_sex,
    normalize_code,
    normalize_phone,
    org_code_check_char,
    uscc_check_char,
    validate_id_number,
    validate_length,
    validate_phone,
    validate_required,
    validate_uscc,
)

TODAY = date(2025, 6, 1)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def assert_well_formed(problems: list[Problem], label: str, field: str) -> None:
    for problem in problems:
        assert problem.message.startswith(f"{label}："), problem.message
        assert CHINESE.search(problem.message.removeprefix(f"{label}：")), problem.message
        assert problem.field == field


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def uscc(problems_text: str) -> list[Problem]:
    problems = validate_uscc(problems_text)
    assert_well_formed(problems, "统一社会信用代码", "uscc")
    return problems


def id_number(text: str, today: date = TODAY) -> list[Problem]:
    problems = validate_id_number(text, today=today)
    assert_well_formed(problems, "身份证号码", "id_number")
    return problems


def phone(text: str) -> list[Problem]:
    problems = validate_phone(text)
    assert_well_formed(problems, "联系电话", "phone")
    return problems


def to_fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# --- REFERENCE §4.4 verified examples -----------------------------------------------------------------

VALID_USCCS = [
    "91110000101623741K",
    "911101066976941872",
    "91350200776049653A",
    "91440101MA5CJQ4N59",
    "9135021359498494XQ",
]


@pytest.mark.parametrize("code", VALID_USCCS)
def test_verified_uscc_examples_pass(code: str) -> None:
    assert uscc(code) == []
    assert uscc_check_char(code[:17]) == code[17]
    assert org_code_check_char(code[8:16]) == code[16]


def test_uscc_sum_for_quanjude_matches_reference() -> None:
    assert uscc_check_char("91110000101623741") == "K"


@pytest.mark.parametrize(("code", "expected"), [("91350211M0000XUF46", "R"), ("91350203M0001QAY9B", "9")])
def test_real_codes_failing_the_check_give_only_a_check_warning(code: str, expected: str) -> None:
    problems = uscc(code)
    assert errors(problems) == []
    assert codes(problems) == ["uscc.check_char"]
    assert problems[0].severity is Severity.WARNING
    assert f"校验位应为“{expected}”，实为“{code[17]}”" in problems[0].message


def test_verified_id_example_passes() -> None:
    assert id_number("11010519491231002X") == []
    assert id_check_char("11010519491231002") == "X"
    assert id_birth_date("11010519491231002X") == date(1949, 12, 31)
    assert id_sex("11010519491231002X") == "女"


def test_standard_1880_id_example_has_valid_check_but_predates_1900() -> None:
    # The widely quoted GB 11643 example is born 1880-01-01: its check digit is right, but the
    # brief's "not before 1900" rule refuses it.
    assert id_check_char("44052418800101001") == "4"
    assert id_sex("440524188001010014") == "男"
    assert codes(id_number("440524188001010014")) == ["id.birth_too_early"]


# --- 统一社会信用代码 rules -----------------------------------------------------------------------------


def test_uscc_wrong_length_message() -> None:
    problems = uscc("91110000101623741")
    assert [p.message for p in problems] == ["统一社会信用代码：应为 18 位，实为 17 位"]
    assert problems[0].is_error


def test_uscc_forbidden_letter_names_position_and_character() -> None:
    problems = uscc("9111I000101623741K")
    assert [p.message for p in problems] == [
        "统一社会信用代码：第 5 位“I”不是允许的字符（不使用 I、O、S、V、Z）"
    ]
    assert problems[0].code == "uscc.char"
    assert problems[0].is_error


def test_uscc_other_bad_characters_are_listed_together() -> None:
    problems = uscc("91110000-0162374中K")
    assert codes(problems) == ["uscc.char"]
    assert "第 9 位“-”、第 17 位“中”" in problems[0].message


def test_uscc_wrong_length_and_bad_character_are_both_reported() -> None:
    assert codes(uscc("91O1")) == ["uscc.length", "uscc.char"]


def test_uscc_region_must_be_digits() -> None:
    first17 = "911A0000101623741"
    problems = uscc(first17 + uscc_check_char(first17))
    assert codes(problems) == ["uscc.region_digits"]
    assert "第 4 位为“A”" in problems[0].message
    assert problems[0].is_error


def test_uscc_unknown_province_is_a_warning() -> None:
    first17 = "91990000101623741"
    problems = uscc(first17 + uscc_check_char(first17))
    assert codes(problems) == ["uscc.region"]
    assert problems[0].severity is Severity.WARNING
    assert "“99”" in problems[0].message


def test_uscc_check_char_message_matches_brief() -> None:
    problems = uscc("911100001016237413")
    assert [p.message for p in problems] == [
        "统一社会信用代码：校验位应为“K”，实为“3”（部分真实登记的代码校验不通过，可填写理由后保留）"
    ]
    assert problems[0].code == "uscc.check_char"


def test_uscc_embedded_org_code_check_is_a_warning() -> None:
    first17 = "91110000101623742"  # the organisation code 10162374-1 with its check changed to 2
    problems = uscc(first17 + uscc_check_char(first17))
    assert codes(problems) == ["uscc.org_code_check"]
    assert problems[0].severity is Severity.WARNING
    assert "应为“1”，实为“2”" in problems[0].message


def test_org_code_check_maps_10_to_x_and_11_to_0() -> None:
    assert org_code_check_char("59498494") == "X"  # from 9135021359498494XQ
    # Weighted sum 0 → 11 − 0 = 11 → '0'.
    assert org_code_check_char("00000000") == "0"


def test_uscc_lower_case_and_spaces_are_accepted() -> None:
    assert uscc("  91440101ma5cjq4n59 ") == []
    assert uscc("9144 0101 MA5C JQ4N 59") == []


def test_empty_uscc_is_left_to_validate_required() -> None:
    assert uscc("") == []
    assert uscc(" \u3000 ") == []


def test_custom_field_and_label_are_used() -> None:
    problems = validate_uscc("123", field="party_uscc", label="当事人统一社会信用代码")
    assert_well_formed(problems, "当事人统一社会信用代码", "party_uscc")
    assert problems


@pytest.mark.parametrize(("helper", "bad"), [(uscc_check_char, "9111"), (uscc_check_char, "I" * 17)])
def test_check_helpers_refuse_malformed_input(helper, bad: str) -> None:
    with pytest.raises(ValueError):
        helper(bad)


def test_id_and_org_helpers_refuse_malformed_input() -> None:
    with pytest.raises(ValueError):
        id_check_char("1101051949123100X")
    with pytest.raises(ValueError):
        org_code_check_char("1016237")


# --- 统一社会信用代码 properties ------------------------------------------------------------------------

uscc_char = st.sampled_from(USCC_ALPHABET)
digit = st.sampled_from(string.digits)


@st.composite
def uscc_first17(draw: st.DrawFn) -> str:
    """Any 17 characters that respect the layout (positions 3-8 digits)."""
    return (
        "".join(draw(st.lists(uscc_char, min_size=2, max_size=2)))
        + "".join(draw(st.lists(digit, min_size=6, max_size=6)))
        + "".join(draw(st.lists(uscc_char, min_size=9, max_size=9)))
    )


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    """A code that passes every check: known province and a correct embedded organisation code."""
    head = "".join(draw(st.lists(uscc_char, min_size=2, max_size=2)))
    region = draw(st.sampled_from(sorted(PROVINCE_CODES))) + "".join(
        draw(st.lists(digit, min_size=4, max_size=4))
    )
    org8 = "".join(draw(st.lists(uscc_char, min_size=8, max_size=8)))
    first17 = head + region + org8 + org_code_check_char(org8)
    return first17 + uscc_check_char(first17)


@given(uscc_first17())
def test_computed_check_char_never_gives_errors_or_check_warning(first17: str) -> None:
    problems = uscc(first17 + uscc_check_char(first17))
    assert errors(problems) == []
    assert "uscc.check_char" not in codes(problems)


@given(valid_usccs())
def test_generated_valid_uscc_has_no_problems(code: str) -> None:
    assert uscc(code) == []


@given(valid_usccs(), uscc_char)
def test_changing_the_check_char_gives_exactly_a_check_warning(code: str, other: str) -> None:
    assume(other != code[17])
    problems = uscc(code[:17] + other)
    assert codes(problems) == ["uscc.check_char"]
    assert problems[0].severity is Severity.WARNING


@given(st.text())
def test_wrong_length_always_gives_length_error(text: str) -> None:
    normalized = normalize_code(text)
    assume(normalized and len(normalized) != 18)
    problems = uscc(text)
    assert "uscc.length" in codes(errors(problems))


@given(st.text())
def test_normalize_code_is_idempotent(text: str) -> None:
    once = normalize_code(text)
    assert normalize_code(once) == once


@given(valid_usccs(), st.data())
def test_fullwidth_lowercase_spaced_input_is_accepted(code: str, data: st.DataObject) -> None:
    typed = ""
    for c in code:
        c = data.draw(st.sampled_from([c, c.lower()]))
        c = data.draw(st.sampled_from([c, to_fullwidth(c)]))
        typed += c + data.draw(st.sampled_from(["", "", " ", "\u3000"]))
    assert normalize_code(typed) == code
    assert uscc(typed) == []


def test_normalize_code_examples() -> None:
    assert normalize_code(" ９１３５\u3000０２１１ｍａ ") == "91350211MA"
    assert normalize_code("a\u200bb") == "AB"


# --- 居民身份证号码 rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("1101051949123100", "id.length"),
        ("1101051949123100211", "id.length"),
        ("1101A519491231002X", "id.digits"),
        ("11010519491231002Y", "id.last_char"),
        ("11010519490231002X", "id.birth_date"),
        ("11010518991231002X", "id.birth_too_early"),
        ("110105194912310021", "id.check_char"),
        ("1101054912310A2", "id.digits"),
        ("110105491331002", "id.birth_date"),
    ],
)
def test_id_errors(number: str, code: str) -> None:
    problems = id_number(number)
    assert code in codes(errors(problems))


def test_id_bad_date_names_the_digits() -> None:
    first17 = "110105" + "19490230" + "002"
    problems = id_number(first17 + id_check_char(first17))
    assert problems[0].message == "身份证号码：第 7–14 位出生日期“19490230”不是有效日期"


def test_id_birth_after_today_is_an_error() -> None:
    first17 = "11010520250602002"
    problems = id_number(first17 + id_check_char(first17), today=date(2025, 6, 1))
    assert codes(problems) == ["id.birth_future"]
    assert "2025年6月2日" in problems[0].message
    first17_today = "11010520250601002"
    assert id_number(first17_today + id_check_char(first17_today), today=date(2025, 6, 1)) == []


def test_id_check_failure_is_an_error_not_a_warning() -> None:
    problems = id_number("110105194912310021")
    assert [p.message for p in problems] == ["身份证号码：校验位应为“X”，实为“1”，号码有误，请逐位核对"]
    assert problems[0].is_error


def test_id_unknown_province_is_a_warning() -> None:
    first17 = "99010519491231002"
    problems = id_number(first17 + id_check_char(first17))
    assert codes(problems) == ["id.region"]
    assert warnings(problems) == problems


def test_residence_permit_prefix_83_is_accepted() -> None:
    first17 = "83000019900101001"
    assert id_number(first17 + id_check_char(first17)) == []


def test_id_lower_case_x_and_fullwidth_are_accepted() -> None:
    assert id_number("11010519491231002x") == []
    assert id_number(to_fullwidth("110105 19491231 002X")) == []


def test_old_15_digit_number_is_accepted_with_warning() -> None:
    problems = id_number("110105491231002")
    assert [p.message for p in problems] == ["身份证号码：旧15位号码，无校验位"]
    assert problems[0].severity is Severity.WARNING
    assert id_birth_date("110105491231002") == date(1949, 12, 31)
    assert id_sex("110105491231002") == "女"
    assert id_sex("110105491231001") == "男"


def test_empty_id_is_left_to_validate_required() -> None:
    assert id_number("") == []


def test_id_helpers_return_none_for_malformed_numbers() -> None:
    assert id_birth_date("1101051949") is None
    assert id_birth_date("11010519491331002X") is None
    assert id_sex("abc") is None
    assert id_sex("11010519491231002Y") is None


# --- 居民身份证号码 properties ------------------------------------------------------------------------


@given(
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(0, 9999),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(0, 999),
)
def test_generated_id_is_valid_and_sex_matches_parity(
    province: str, county: int, born: date, sequence: int
) -> None:
    first17 = f"{province}{county:04d}{born:%Y%m%d}{sequence:03d}"
    number = first17 + id_check_char(first17)
    assert id_number(number) == []
    assert id_birth_date(number) == born
    assert id_sex(number) == ("男" if sequence % 2 else "女")


@given(st.text(alphabet=string.digits, min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_any_wrong_check_char_is_an_id_error(first17: str, last: str) -> None:
    assume(last != id_check_char(first17))
    assert "id.check_char" in codes(errors(id_number(first17 + last)))


# --- 联系电话 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("010-12345678", "010-12345678"),
        ("(010)12345678", "010-12345678"),
        ("（0592）5123456转123", "0592-5123456转123"),
        ("0592 5123456", "0592-5123456"),
        ("0592-5123456-12", "0592-5123456转12"),
        ("05925123456", "0592-5123456"),
        ("01012345678", "010-12345678"),
        ("05925123456-12", "0592-5123456转12"),
        ("400-123-4567", "4001234567"),
        ("800 123 4567转2", "8001234567转2"),
        ("12315", "12315"),
        ("95588", "95588"),
        ("961234", "961234"),
        ("１３８１２３４５６７８", "13812345678"),
        ("13812345678、0592-5123456；12345", "13812345678、0592-5123456、12345"),
        ("13812345678，13912345678/010-12345678", "13812345678、13912345678、010-12345678"),
    ],
)
def test_valid_phone_numbers(text: str, normalized: str) -> None:
    assert phone(text) == []
    assert normalize_phone(text) == normalized


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("1381234567", "phone.mobile", "手机号应为 11 位，实为 10 位"),
        ("12012345678", "phone.mobile", "第 2 位应为 3–9"),
        ("13812345678转1", "phone.extension", "手机号不能带分机号"),
        ("+86 592 5123456", "phone.mobile", "+86"),
        ("0592-51234", "phone.local_number", "应为 7–8 位数字"),
        ("05921-5123456", "phone.area_code", "区号“05921”"),
        ("5123456", "phone.area_code", "缺少区号"),
        ("400123456", "phone.service", "应为 10 位，实为 9 位"),
        ("0592-5123456转abc", "phone.chars", "“a”"),
        ("0592-5123456转1234567", "phone.extension", "分机号"),
        ("tel 13812345678", "phone.chars", "“t”"),
        ("138+12345678", "phone.format", "格式无法识别"),
        ("123", "phone.format", "不是有效的电话号码"),
    ],
)
def test_invalid_phone_numbers(text: str, code: str, fragment: str) -> None:
    problems = phone(text)
    assert codes(problems) == [code]
    assert problems[0].is_error
    assert fragment in problems[0].message


def test_each_number_in_a_list_is_checked() -> None:
    problems = phone("13812345678、0592-51234；12345")
    assert len(problems) == 1
    assert "“0592-51234”" in problems[0].message


def test_empty_phone_is_left_to_validate_required() -> None:
    assert phone("") == []
    assert phone(" 、 ") == []
    assert normalize_phone("") == ""


def test_invalid_parts_survive_normalize_phone() -> None:
    assert normalize_phone("138 1234 5678，abc") == "13812345678、abc"


separator = st.sampled_from(["、", "，", ",", ";", "；", "/", " / "])


@st.composite
def mobiles(draw: st.DrawFn) -> str:
    number = draw(st.sampled_from("3456789").map(lambda d: "1" + d)) + draw(
        st.text(alphabet=string.digits, min_size=9, max_size=9)
    )
    if draw(st.booleans()):
        sep = draw(st.sampled_from([" ", "-"]))
        number = sep.join([number[:3], number[3:7], number[7:]])
    return draw(st.sampled_from(["", "+86 ", "+86", "86"])) + number


@st.composite
def landlines(draw: st.DrawFn) -> str:
    area = draw(
        st.one_of(
            st.just("010"),
            st.sampled_from("0123456789").map(lambda d: "02" + d),
            st.text(alphabet=string.digits, min_size=2, max_size=2).flatmap(
                lambda rest: st.sampled_from("3456789").map(lambda d: "0" + d + rest)
            ),
        )
    )
    local = draw(st.sampled_from("23456789")) + draw(st.text(alphabet=string.digits, min_size=6, max_size=7))
    style = draw(st.sampled_from(["{a}-{l}", "({a}){l}", "（{a}）{l}", "{a} {l}", "{a}{l}"]))
    extension = draw(st.sampled_from(["", "转", "-"]))
    if extension:
        extension += draw(st.text(alphabet=string.digits, min_size=1, max_size=6))
    return style.format(a=area, l=local) + extension


service_numbers = st.one_of(
    st.tuples(st.sampled_from(["400", "800"]), st.text(alphabet=string.digits, min_size=7, max_size=7)).map(
        "".join
    ),
    st.tuples(
        st.sampled_from(["95", "96", "12"]), st.text(alphabet=string.digits, min_size=3, max_size=4)
    ).map("".join),
)


@given(st.lists(st.one_of(mobiles(), landlines(), service_numbers), min_size=1, max_size=4), st.data())
def test_generated_phone_numbers_pass(numbers: list[str], data: st.DataObject) -> None:
    text = numbers[0]
    for number in numbers[1:]:
        text += data.draw(separator) + number
    assert phone(text) == []
    normalized = normalize_phone(text)
    assert phone(normalized) == []
    assert normalize_phone(normalized) == normalized
    assert len(normalized.split("、")) == len(numbers)


@given(st.text(alphabet=string.ascii_letters, min_size=1))
def test_junk_letters_fail(text: str) -> None:
    problems = phone(text)
    assert problems
    assert all(p.is_error for p in problems)


@given(mobiles(), st.sampled_from(string.ascii_letters), st.data())
def test_a_letter_inside_a_number_fails(number: str, letter: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(number)))
    assert codes(phone(number[:at] + letter + number[at:])) == ["phone.chars"]


# --- required and length --------------------------------------------------------------------------------


def test_required() -> None:
    assert validate_required("张三", "name", "姓名") == []
    for blank in ["", "  ", "\u3000"]:
        problems = validate_required(blank, "name", "姓名")
        assert [p.message for p in problems] == ["姓名：必填"]
        assert problems[0].is_error
        assert problems[0].code == "required"


def test_length() -> None:
    assert validate_length("一二三", "name", "姓名", 3) == []
    assert validate_length(" 一二三 ", "name", "姓名", 3) == []
    problems = validate_length("一二三四", "name", "姓名", 3)
    assert_well_formed(problems, "姓名", "name")
    assert codes(problems) == ["too_long"]
    assert "3" in problems[0].message
    assert "4" in problems[0].message
