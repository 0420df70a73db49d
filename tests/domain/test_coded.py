"""Codes, not labels, in the data (issue 12 §4): every coded enum has an ASCII code and one label."""

from __future__ import annotations

import re

import pytest

from fieldkit.bundle import compat
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.coded import Coded
from fieldkit.domain.evidence import EvidenceKind
from fieldkit.domain.inspections import FOLLOW_UP_KINDS, InspectionType, Outcome
from fieldkit.domain.measures import MeasureKind
from fieldkit.domain.subjects import SubjectType, type_problems

CODED = (SubjectType, InspectionType, Outcome, CheckResult, EvidenceKind, MeasureKind)
CODE = re.compile(r"[a-z][a-z_]*")


@pytest.mark.parametrize("enum", CODED, ids=lambda e: e.__name__)
def test_codes_are_ascii_and_labels_chinese_and_distinct(enum: type[Coded]) -> None:
    assert issubclass(enum, Coded)
    for member in enum:
        assert CODE.fullmatch(member.value), member.value
        assert str(member) == member.value == f"{member}"  # what the store and bundles write
        assert member.label and not member.label.isascii()
    assert len(set(enum.labels())) == len(enum)


@pytest.mark.parametrize("enum", CODED, ids=lambda e: e.__name__)
def test_from_text_reads_the_code_or_the_label(enum: type[Coded]) -> None:
    for member in enum:
        assert enum.from_text(member.value) is member
        assert enum.from_text(f" {member.label} ") is member
        assert enum(member.value) is member
    with pytest.raises(ValueError):
        enum.from_text("没有这一项")
    with pytest.raises(ValueError):
        enum(next(iter(enum)).label)  # a label is no longer a stored value


@pytest.mark.parametrize(
    ("enum", "v1"),
    [
        (SubjectType, compat.V1_SUBJECT_TYPE),
        (InspectionType, compat.V1_INSPECTION_TYPE),
        (Outcome, compat.V1_OUTCOME),
        (CheckResult, compat.V1_CHECK_RESULT),
        (EvidenceKind, compat.V1_EVIDENCE_KIND),
    ],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_every_label_the_previous_release_stored_reads_as_todays_code(
    enum: type[Coded], v1: dict[str, str]
) -> None:
    """The format-1 tables are written out in compat.py; today's labels are still those words."""
    assert {m.label: m.value for m in enum} == v1


def test_follow_up_kinds_are_the_visits_they_ask_for() -> None:
    assert {k.value: k.label for k in FOLLOW_UP_KINDS} == {"recheck": "复查", "follow_up": "回访"}
    assert {k.label: k.value for k in FOLLOW_UP_KINDS} == compat.V1_FOLLOW_UP_KIND


def test_a_type_problem_names_the_types_by_their_labels() -> None:
    (problem,) = type_problems(SubjectType.ENTERPRISE, "92110105MA01234567", "")
    assert "应为个体工商户" in problem.message and "不能选「企业」" in problem.message
    assert "individual" not in problem.message and "enterprise" not in problem.message
