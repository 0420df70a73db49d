"""复议机关 and party type are derived, not typed: settings and the party's identifiers fill them."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from fieldkit.domain.agency import IndividualCap
from fieldkit.domain.subjects import SubjectDraft, SubjectType
from fieldkit.errors import ValidationFailed
from fieldkit.services import documents as docs
from fieldkit.services.context import Context
from fieldkit.services.setup import load_settings, update_agency
from fieldkit.services.subjects import add_subject
from tests.conftest import TEST_AGENCY
from tests.examples import EXAMPLES
from tests.services.test_documents import make_inspection

INDIVIDUAL_USCC = "92141182MA0KXXXX5A"


def summary_decision(ctx: Context, inspection_id: object, **changes: object) -> object:
    document_id = docs.create_document(ctx, "dangchang_chufa", inspection_id)  # type: ignore[arg-type]
    values = docs.load_document(ctx, document_id).values
    sample = {**EXAMPLES["dangchang_chufa"], "decided_at": "2026-03-02T09:30"}  # the test clock's day
    docs.save_values(ctx, document_id, {**sample, **values, **changes})
    return document_id


def individual_inspection(ctx: Context) -> object:
    subject_id = add_subject(
        ctx,
        SubjectDraft(
            name="临沂市喆堃便利店",
            subject_type=SubjectType.INDIVIDUAL_BUSINESS,
            uscc=INDIVIDUAL_USCC,
            legal_rep="张昇犇",
            address="兰山区人民路20号",
        ),
    )
    inspection_id = make_inspection(ctx)
    with ctx.sessions.begin() as session:  # the same visit, at the shop next door
        from fieldkit.store.schema import InspectionRow

        session.get(InspectionRow, inspection_id).subject_id = subject_id  # type: ignore[union-attr]
    return inspection_id


def text_of(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


def test_the_review_body_is_the_agencys_government_and_cannot_be_typed_per_document(
    set_up_ctx: Context,
) -> None:
    document_id = summary_decision(
        set_up_ctx, make_inspection(set_up_ctx), government="淄博市市场监督管理局", fine=20_000
    )
    assert docs.load_document(set_up_ctx, document_id).values["government"] == "临沂市兰山区人民政府"
    result = docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    text = text_of(result.pdf)
    assert "向临沂市兰山区人民政府申请行政复议" in text and "淄博市市场监督管理局" not in text


def test_settings_refuse_an_upper_level_or_non_government_review_body(set_up_ctx: Context) -> None:
    for wrong, why in (
        ("临沂市人民政府", "不是「临沂市人民政府」"),
        ("临沂市市场监督管理局", "复议机关应为本级人民政府"),
    ):
        with pytest.raises(ValidationFailed, match=why):
            update_agency(set_up_ctx, replace(TEST_AGENCY, government_name=wrong), "A1")
    update_agency(set_up_ctx, replace(TEST_AGENCY, government_name="兰山区人民政府"), "A1")
    assert load_settings(set_up_ctx).agency.government_name == "兰山区人民政府"


def test_an_individual_business_is_printed_as_one_and_takes_the_citizen_cap(set_up_ctx: Context) -> None:
    inspection_id = individual_inspection(set_up_ctx)
    document_id = summary_decision(set_up_ctx, inspection_id, party_type="法人或者其他组织", fine=300_000)
    values = docs.load_document(set_up_ctx, document_id).values
    assert values["party_type"] == "个体工商户" and values["uscc"] == INDIVIDUAL_USCC
    with pytest.raises(docs.PrintBlocked) as blocked:
        docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    [limit] = [p for p in blocked.value.hard if p.code == "preprint.summary.fine_limit"]
    assert "当事人为个体工商户，按本局设置适用公民的限额" in limit.message and "¥200.00" in limit.message
    # an agency whose province treats 个体工商户 as an organisation says so in its settings
    update_agency(set_up_ctx, replace(TEST_AGENCY, individual_cap=IndividualCap.ORGANISATION), "A1")
    assert not [p for p in docs.check_document(set_up_ctx, document_id) if p.is_error]
    assert docs.print_document(set_up_ctx, document_id, accept_warnings=True).number


def test_a_type_against_the_code_is_refused_for_the_subject_itself(set_up_ctx: Context) -> None:
    with pytest.raises(ValidationFailed, match="应为个体工商户"):
        add_subject(
            set_up_ctx,
            SubjectDraft(name="临沂市某便利店", subject_type=SubjectType.ENTERPRISE, uscc=INDIVIDUAL_USCC),
        )


def test_a_document_without_a_party_is_held_to_its_own_codes(set_up_ctx: Context) -> None:
    """No inspection, so nothing to derive from: what was entered stays, and the check refuses it."""
    document_id = docs.create_document(set_up_ctx, "dangchang_chufa")
    docs.save_values(
        set_up_ctx, document_id, {**EXAMPLES["dangchang_chufa"], "party_type": "法人或者其他组织"}
    )
    codes = {p.code for p in docs.check_document(set_up_ctx, document_id)}
    assert "preprint.party_type.identifier" in codes
