"""Subjects: add, edit, delete, search (1-, 2-, 3+-character queries), USCC warnings."""

from __future__ import annotations

import pytest

from fieldkit.domain.subjects import SubjectDraft, SubjectType
from fieldkit.errors import NotFound, ValidationFailed
from fieldkit.services.context import Context
from fieldkit.services.subjects import (
    add_subject,
    delete_subject,
    get_subject,
    search_subject_ids,
    subject_items,
    update_subject,
)
from fieldkit.store import audit

SUPERMARKET = SubjectDraft(
    name="临沂市金源家超市有限公司",
    uscc="91110000101623741K",
    legal_rep="王喆",
    address="山东省临沂市兰山区人民路18号",
    phone="0539-8123456",
)


def names(ctx: Context, query: str) -> list[str]:
    return [s.name for s in subject_items(ctx, search_subject_ids(ctx, query))]


def test_added_subject_is_found_by_every_kind_of_query(ctx: Context) -> None:
    add_subject(ctx, SUPERMARKET)
    add_subject(
        ctx,
        SubjectDraft(name="兰山区张记小吃店", subject_type=SubjectType.INDIVIDUAL_BUSINESS, legal_rep="张三"),
    )
    assert names(ctx, "超市") == ["临沂市金源家超市有限公司"]  # 2 characters: trigram alone finds nothing
    assert names(ctx, "超") == ["临沂市金源家超市有限公司"]
    assert names(ctx, "张三") == ["兰山区张记小吃店"]  # a two-character person's name
    assert names(ctx, "金源家超市") == ["临沂市金源家超市有限公司"]
    assert names(ctx, "91110000101623741K") == ["临沂市金源家超市有限公司"]
    assert names(ctx, "741k") == ["临沂市金源家超市有限公司"]  # case-insensitive, partial code
    assert names(ctx, "人民路") == ["临沂市金源家超市有限公司"]  # address
    assert names(ctx, "王喆") == ["临沂市金源家超市有限公司"]  # legal representative, rare character
    assert names(ctx, "兰山 小吃") == ["兰山区张记小吃店"]  # every term must match
    assert len(names(ctx, "")) == 2
    assert names(ctx, "不存在的名字") == []


def test_query_with_fts_syntax_characters_is_searched_literally(ctx: Context) -> None:
    add_subject(ctx, SubjectDraft(name='"星光" 商行 AND OR'))
    assert names(ctx, '"星光"') == ['"星光" 商行 AND OR']
    assert names(ctx, "AND") == ['"星光" 商行 AND OR']
    assert names(ctx, "*") == names(ctx, "")


def test_edit_reindexes_and_delete_hides(ctx: Context) -> None:
    subject_id = add_subject(ctx, SUPERMARKET)
    update_subject(ctx, subject_id, SubjectDraft(name="临沂市佳美便利店", uscc=SUPERMARKET.uscc))
    assert names(ctx, "超市") == []
    assert names(ctx, "便利") == ["临沂市佳美便利店"]
    assert get_subject(ctx, subject_id).version == 2
    delete_subject(ctx, subject_id)
    assert names(ctx, "便利") == []
    with pytest.raises(NotFound):
        update_subject(ctx, subject_id, SUPERMARKET)


def test_wrong_check_character_needs_a_reason(ctx: Context) -> None:
    real_but_failing = SubjectDraft(name="厦门某公司", uscc="91350211M0000XUF46")
    with pytest.raises(ValidationFailed) as refused:
        add_subject(ctx, real_but_failing)
    assert [p.code for p in refused.value.problems] == ["uscc.check_char"]
    assert refused.value.problems[0].message.startswith("统一社会信用代码")
    subject_id = add_subject(
        ctx, SubjectDraft(name="厦门某公司", uscc="91350211M0000XUF46", uscc_note="与营业执照原件核对一致")
    )
    assert get_subject(ctx, subject_id).draft.uscc_note == "与营业执照原件核对一致"


def test_wrong_length_is_an_error_that_no_reason_overrides(ctx: Context) -> None:
    with pytest.raises(ValidationFailed) as refused:
        add_subject(ctx, SubjectDraft(name="某公司", uscc="9111000010162374", uscc_note="理由"))
    assert any(p.is_error and p.field == "uscc" for p in refused.value.problems)


def test_every_bad_field_is_reported_at_once_in_chinese(ctx: Context) -> None:
    with pytest.raises(ValidationFailed) as refused:
        add_subject(ctx, SubjectDraft(name=" ", uscc="ABC", id_number="123", phone="abc"))
    fields = {p.field for p in refused.value.problems}
    assert {"name", "uscc", "id_number", "phone"} <= fields
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p.message) for p in refused.value.problems)


def test_duplicate_uscc_is_refused(ctx: Context) -> None:
    add_subject(ctx, SUPERMARKET)
    with pytest.raises(ValidationFailed, match="已登记"):
        add_subject(ctx, SubjectDraft(name="另一家", uscc=" 91110000101623741k "))


def test_full_width_code_is_normalised(ctx: Context) -> None:
    subject_id = add_subject(ctx, SubjectDraft(name="某公司", uscc="９１１１００００１０１６２３７４１Ｋ"))
    assert get_subject(ctx, subject_id).draft.uscc == "91110000101623741K"


def test_changes_are_audited_in_an_intact_chain(ctx: Context) -> None:
    subject_id = add_subject(ctx, SUPERMARKET)
    update_subject(ctx, subject_id, SubjectDraft(name="改名后", uscc=SUPERMARKET.uscc))
    delete_subject(ctx, subject_id)
    with ctx.sessions() as session:
        assert audit.verify_chain(session) is None
        actions = [r.action for r in session.query(audit.AuditRow).order_by(audit.AuditRow.seq)]
    assert actions == ["create", "change", "delete"]
