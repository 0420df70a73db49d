"""Two officers means two different registered officers with their 执法证号 (行政处罚法第四十二条)."""

from __future__ import annotations

from fieldkit.domain.roster import NamedOfficer, RosterEntry, named_officers, roster_problems

ROSTER = [
    RosterEntry("1", "张建国", "37130219001"),
    RosterEntry("2", "李晓梅", "37130219002"),
    RosterEntry("3", "王喆", "37130219003", active=False),
]


def codes(officers: list[NamedOfficer]) -> list[str]:
    return [p.code for p in roster_problems(officers, ROSTER, "officers", "执法人员")]


def test_two_registered_officers_pass() -> None:
    assert codes([NamedOfficer("张建国", "37130219001"), NamedOfficer("李晓梅", "37130219002", "2")]) == []


def test_the_same_officer_twice_is_refused_by_id_or_by_certificate() -> None:
    assert codes([NamedOfficer("张建国", "37130219001"), NamedOfficer("张建国", "37130219001")]) == [
        "officers.duplicate"
    ]
    assert codes(
        [NamedOfficer("张建国", "37130219001", "1"), NamedOfficer("张建国", "37130219001", "1")]
    ) == ["officers.duplicate"]


def test_a_name_not_on_the_roster_is_refused_with_the_article() -> None:
    problems = roster_problems(
        [NamedOfficer("张建国", "37130219001"), NamedOfficer("赵六", "99999")], ROSTER, "officers", "执法人员"
    )
    assert [p.code for p in problems] == ["officers.not_on_roster"]
    assert "赵六（执法证号 99999）不在本局执法人员名单中" in problems[0].message
    assert "行政处罚法第四十二条" in problems[0].message and problems[0].is_error


def test_a_certificate_that_is_not_the_officers_own_is_refused() -> None:
    problems = roster_problems(
        [NamedOfficer("张建国", "37130219001"), NamedOfficer("赵六", "37130219002")], ROSTER, "o", "执法人员"
    )
    assert [p.code for p in problems] == ["officers.cert_mismatch"]
    assert "执法证号 37130219002 在名单中登记为李晓梅，不是赵六" in problems[0].message


def test_a_mismatch_message_says_whose_number_it_is_and_what_the_officer_holds() -> None:
    """张建国 with 李晓梅's number: not "张建国的执法证号应为 37130219002（李晓梅），现为「37130219002」"."""
    (problem,) = roster_problems(
        [NamedOfficer("张建国", "37130219002"), NamedOfficer("王喆", "")], ROSTER[:2], "o", "执法人员"
    )[:1]
    assert (
        "执法证号 37130219002 在名单中登记为李晓梅，不是张建国；张建国的执法证号为 37130219001"
        in problem.message
    )
    (stale,) = roster_problems([NamedOfficer("李晓梅", "1", "2")], ROSTER, "o", "执法人员")
    assert "李晓梅的执法证号应为名单登记的 37130219002，现为「1」" in stale.message


def test_a_deactivated_officer_is_refused() -> None:
    assert codes([NamedOfficer("张建国", "37130219001"), NamedOfficer("王喆", "37130219003")]) == [
        "officers.inactive"
    ]


def test_named_officers_reads_stored_values_and_ignores_junk() -> None:
    assert named_officers([{"name": " 张建国 ", "cert_no": "37130219001"}, "x", None]) == [
        NamedOfficer("张建国", "37130219001")
    ]
    assert named_officers(None) == []
