"""Setup re-runs: the 机关简称 and 本机编号 are locked once a 文号 exists; every re-run lists its changes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fieldkit.domain.agency import OfficerDraft
from fieldkit.services import documents as docs
from fieldkit.services.context import Context
from fieldkit.services.setup import (
    IdentityLocked,
    load_settings,
    number_series_history,
    plan_setup,
    run_setup,
    save_officer,
    set_officer_active,
    update_agency,
)
from fieldkit.store import audit
from tests.conftest import TEST_AGENCY, TEST_OFFICERS
from tests.services.test_documents import make_inspection, rectification


def issue_number(ctx: Context) -> str:
    document_id = rectification(ctx, make_inspection(ctx))
    number = docs.print_document(ctx, document_id, accept_warnings=True).number
    assert number
    return number


def test_device_code_and_short_name_change_freely_before_any_number(set_up_ctx: Context) -> None:
    update_agency(set_up_ctx, replace(TEST_AGENCY, short_name="临兰"), "A2")
    settings = load_settings(set_up_ctx)
    assert (settings.agency.short_name, settings.device_code) == ("临兰", "A2")
    with set_up_ctx.sessions() as session:
        entry = session.query(audit.AuditRow).filter(audit.AuditRow.action == "identity").one()
    assert entry.detail["from"] == {"short_name": "兰", "device_code": "A1"}
    assert "本机编号：「A1」→「A2」" in entry.detail["changes"]


@pytest.mark.parametrize(
    ("short_name", "code", "field"), [("临兰", "A1", "agency.short_name"), ("兰", "A2", "device_code")]
)
def test_identity_is_locked_once_a_number_is_issued(
    set_up_ctx: Context, short_name: str, code: str, field: str
) -> None:
    number = issue_number(set_up_ctx)
    with pytest.raises(IdentityLocked) as refused:
        update_agency(set_up_ctx, replace(TEST_AGENCY, short_name=short_name), code)
    assert [p.field for p in refused.value.problems] == [field]
    assert f"本机已开具 1 个文号（最近一个：{number}）" in str(refused.value)
    assert "新的文号序列" in str(refused.value)
    with pytest.raises(IdentityLocked):  # the whole setup is refused the same way
        run_setup(set_up_ctx, replace(TEST_AGENCY, short_name=short_name), TEST_OFFICERS, code)
    settings = load_settings(set_up_ctx)
    assert (settings.agency.short_name, settings.device_code) == ("兰", "A1")


def test_other_settings_still_change_after_numbers_exist(set_up_ctx: Context) -> None:
    issue_number(set_up_ctx)
    update_agency(set_up_ctx, replace(TEST_AGENCY, phone="0539-8000000"), "a1")
    assert load_settings(set_up_ctx).agency.phone == "0539-8000000"


def test_a_new_series_keeps_the_old_numbers_and_never_repeats_one(set_up_ctx: Context) -> None:
    first = issue_number(set_up_ctx)
    update_agency(set_up_ctx, TEST_AGENCY, "A2", new_series=True)
    second = issue_number(set_up_ctx)
    update_agency(set_up_ctx, replace(TEST_AGENCY, short_name="临兰"), "A2", new_series=True)
    third = issue_number(set_up_ctx)
    # back to the first code: its serials go on where they stopped
    update_agency(set_up_ctx, TEST_AGENCY, "A1", new_series=True)
    fourth = issue_number(set_up_ctx)
    assert [first, second, third, fourth] == [
        "兰市监责改〔2026〕A1-1号",
        "兰市监责改〔2026〕A2-1号",
        "临兰市监责改〔2026〕A2-2号",
        "兰市监责改〔2026〕A1-2号",
    ]
    assert {d.number for d in docs.list_documents(set_up_ctx)} == {first, second, third, fourth}
    history = number_series_history(set_up_ctx)
    assert [(h["short_name"], h["device_code"], h["issued"]) for h in history] == [
        ("兰", "A1", 1),
        ("兰", "A2", 2),
        ("临兰", "A2", 3),
    ]
    with set_up_ctx.sessions() as session:
        entries = session.query(audit.AuditRow).filter(audit.AuditRow.action == "new_series").all()
        assert len(entries) == 3 and audit.verify_chain(session) is None


def test_plan_lists_every_change_and_saves_nothing(set_up_ctx: Context) -> None:
    officers = [
        *TEST_OFFICERS[:2],
        replace(TEST_OFFICERS[2], name="王哲"),
        TEST_OFFICERS[0].__class__("赵敏", "37130219009"),
    ]
    plan = plan_setup(set_up_ctx, replace(TEST_AGENCY, phone="0539-1"), officers, "B9")
    assert not plan.first_time and not plan.locked
    assert plan.lines() == [
        "联系电话：「0539-8123456」→「0539-1」",
        "本机编号：「A1」→「B9」",
        "执法人员（37130219003）：「王喆」→「王哲」",
        "执法人员：新增「赵敏（37130219009）」",
    ]
    assert load_settings(set_up_ctx).device_code == "A1"
    assert plan_setup(set_up_ctx, TEST_AGENCY, TEST_OFFICERS, "A1").changes == ()


def test_first_setup_has_nothing_to_confirm(ctx: Context) -> None:
    plan = plan_setup(ctx, TEST_AGENCY, TEST_OFFICERS, "A1")
    assert plan.first_time and plan.changes == () and plan.issued == 0


def test_adding_and_changing_an_officer_is_audited_with_before_and_after(set_up_ctx: Context) -> None:
    officer_id = save_officer(set_up_ctx, OfficerDraft("赵敏", "37130219009", "稽查中队"), actor="张建国")
    save_officer(set_up_ctx, OfficerDraft("赵敏", "37130219010", "稽查中队"), officer_id, actor="张建国")
    set_officer_active(set_up_ctx, officer_id, False, actor="张建国")
    with set_up_ctx.sessions() as session:
        entries = (
            session.query(audit.AuditRow)
            .filter(audit.AuditRow.record_id == str(officer_id))
            .order_by(audit.AuditRow.seq)
            .all()
        )
        assert audit.verify_chain(session) is None
    assert [(e.action, e.actor) for e in entries] == [
        ("create", "张建国"),
        ("change", "张建国"),
        ("deactivate", "张建国"),
    ]
    assert entries[0].detail["name"] == "赵敏" and entries[0].detail["cert_no"] == "37130219009"
    assert entries[1].detail["before"]["cert_no"] == "37130219009"
    assert entries[1].detail["after"]["cert_no"] == "37130219010"
    assert entries[2].detail["after"]["active"] is False
