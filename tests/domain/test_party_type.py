"""The party type follows the USCC / 身份证号 (GB 32100 positions 1–2; REFERENCE §4.1)."""

from __future__ import annotations

import pytest

from fieldkit.domain.subjects import (
    SubjectDraft,
    SubjectType,
    derived_type,
    identifier_types,
    party_class,
    validate_subject,
)

ENTERPRISE = "91110000101623741K"
INDIVIDUAL = "92141182MA0KXXXX4B"
PERSON_ID = "11010519491231002X"


@pytest.mark.parametrize(
    ("uscc", "id_number", "expected"),
    [
        (ENTERPRISE, "", SubjectType.ENTERPRISE),
        (INDIVIDUAL, PERSON_ID, SubjectType.INDIVIDUAL_BUSINESS),  # the USCC decides, not the operator's ID
        ("93371302MA0000015T", "", SubjectType.COOPERATIVE),
        ("12371302MA00000156", "", SubjectType.OTHER_ORG),  # 1 机构编制: 事业单位
        ("", PERSON_ID, SubjectType.NATURAL_PERSON),
        ("", "", None),
        ("9137", "", None),  # too short to read: the checks on the code itself say so
    ],
)
def test_the_identifier_decides_the_type(uscc: str, id_number: str, expected: SubjectType | None) -> None:
    assert derived_type(uscc, id_number) is expected


def test_an_unknown_market_category_allows_any_organisation_but_no_person() -> None:
    allowed = identifier_types("99371302MA00000158", "")
    assert allowed is not None and SubjectType.NATURAL_PERSON not in allowed
    assert SubjectType.INDIVIDUAL_BUSINESS not in allowed


def test_a_type_against_the_identifier_is_refused_naming_the_codes() -> None:
    problems = validate_subject(
        SubjectDraft(name="汾阳市喆堃便利店", subject_type=SubjectType.ENTERPRISE, uscc=INDIVIDUAL)
    )
    [p] = [p for p in problems if p.field == "subject_type"]
    assert p.is_error and p.code == "subject_type.identifier"
    assert "第 1、2 位为「92」" in p.message and "登记管理部门代码 9" in p.message
    assert "应为个体工商户，不能选「企业」" in p.message
    person = SubjectDraft(name="张三", subject_type=SubjectType.ENTERPRISE, id_number=PERSON_ID)
    assert any("应为自然人" in p.message for p in validate_subject(person))
    right = SubjectDraft(
        name="汾阳市喆堃便利店", subject_type=SubjectType.INDIVIDUAL_BUSINESS, uscc=INDIVIDUAL
    )
    assert all(p.field != "subject_type" for p in validate_subject(right))


def test_party_classes_of_the_summary_cap() -> None:
    assert party_class(SubjectType.INDIVIDUAL_BUSINESS) == "个体工商户"
    assert party_class(SubjectType.NATURAL_PERSON) == "自然人"
    assert party_class(SubjectType.COOPERATIVE) == "法人或者其他组织"
