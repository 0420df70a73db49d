"""生僻字 in the app (issue 9.3): preview and print set them; what no font has blocks printing; search, sort."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldkit.domain.documents import DocState
from fieldkit.domain.subjects import SubjectDraft
from fieldkit.services import documents as docs
from fieldkit.services.context import Context, open_context
from fieldkit.services.subjects import add_subject, search_subject_ids, subject_items
from tests import rawdb
from tests.conftest import Clock
from tests.services.test_documents import make_inspection, rectification

RARE_NAME = "䶮𫖯𬌗𬍛㘵五金店"


def names(ctx: Context, query: str) -> list[str]:
    return [s.name for s in subject_items(ctx, search_subject_ids(ctx, query))]


def test_preview_and_print_set_rare_characters(set_up_ctx: Context) -> None:
    document_id = rectification(set_up_ctx, make_inspection(set_up_ctx))
    values = docs.load_document(set_up_ctx, document_id).values
    docs.save_values(set_up_ctx, document_id, {**values, "party_name": RARE_NAME})
    assert not [p for p in docs.check_document(set_up_ctx, document_id) if p.code == "print.glyph_missing"]
    preview = docs.preview(set_up_ctx, document_id)  # the on-screen preview shows this PDF
    assert b"FieldKitHanExtA-Regular" in preview.pdf
    printed = docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    assert printed.action == "finalise" and b"FieldKitHanExtA-Regular" in printed.pdf


def test_a_character_no_font_has_blocks_printing_naming_field_and_character(set_up_ctx: Context) -> None:
    document_id = rectification(set_up_ctx, make_inspection(set_up_ctx))
    values = docs.load_document(set_up_ctx, document_id).values
    docs.save_values(set_up_ctx, document_id, {**values, "party_name": "临沂市\ue000记商行"})  # a 造字 (PUA)
    problems = [p for p in docs.check_document(set_up_ctx, document_id) if p.code == "print.glyph_missing"]
    assert [(p.field, p.is_error) for p in problems] == [("party_name", True)]
    assert "U+E000" in problems[0].message and "无法打印" in problems[0].message
    with pytest.raises(docs.PrintBlocked) as blocked:
        docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    assert any(p.code == "print.glyph_missing" for p in blocked.value.hard)
    doc = docs.load_document(set_up_ctx, document_id)
    assert doc.status == DocState.DRAFT and doc.number is None  # nothing finalised, no number used


def test_rare_names_are_found_by_one_two_and_three_character_queries(ctx: Context) -> None:
    for name in (RARE_NAME, "张𬌗小吃店", "\U00031350记商行", "李\U0002ebf0店", "\ue000记水产", "张三小吃"):
        add_subject(ctx, SubjectDraft(name=name))
    assert names(ctx, "䶮") == [RARE_NAME]
    assert names(ctx, "𬌗") == [RARE_NAME, "张𬌗小吃店"]
    assert names(ctx, "张𬌗") == ["张𬌗小吃店"]
    assert names(ctx, "𫖯𬌗𬍛") == [RARE_NAME]  # trigram
    # Ext H and Ext I are newer than Python's own Unicode tables; a 造字 is a private-use character
    assert names(ctx, "\U00031350") == ["\U00031350记商行"]
    assert names(ctx, "李\U0002ebf0") == ["李\U0002ebf0店"]
    assert names(ctx, "\ue000") == ["\ue000记水产"]


def test_rare_names_sort_by_code_point_like_everything_else(ctx: Context) -> None:
    # one order in SQL and in Python: 㘵 (Ext A) < 张 (URO) < （ (U+FF08) < 𫖯 (Ext C), not UTF-16 order
    chosen = ["𫖯氏五金店", "（个体）李四", "张三小吃", "㘵山水产", "\U00031350记商行", "张𬌗小吃店"]
    for name in chosen:
        add_subject(ctx, SubjectDraft(name=name))
    assert names(ctx, "") == sorted(chosen)
    assert names(ctx, "")[:3] == ["㘵山水产", "张三小吃", "张𬌗小吃店"]


def test_subjects_indexed_before_are_found_after_the_upgrade(tmp_path: Path, clock: Clock) -> None:
    import re

    ctx = open_context(tmp_path / "old", clock=clock)
    add_subject(ctx, SubjectDraft(name="\ue000记水产"))
    add_subject(ctx, SubjectDraft(name="张三小吃"))
    ctx.sessions.kw["bind"].dispose()
    # the store as the earlier release left it: grams made with \w alone, schema at 0008
    with rawdb.connect(tmp_path / "old" / "fieldkit.db") as conn:
        for rowid, name in conn.execute("SELECT search_rowid, name FROM subject").fetchall():
            runs = re.findall(r"\w+", name)
            old = " ".join(
                sorted({g for r in runs for g in [*r, *(r[i : i + 2] for i in range(len(r) - 1))]})
            )
            conn.execute("UPDATE subject_gram SET grams = ? WHERE rowid = ?", (old, rowid))
        conn.execute("UPDATE alembic_version SET version_num = '0008'")
    assert names(ctx, "\ue000") == []  # (the query is fixed; the old index lacks the character)
    ctx = open_context(tmp_path / "old", clock=clock)
    assert names(ctx, "\ue000") == ["\ue000记水产"]
    assert names(ctx, "张三") == ["张三小吃"]


def test_an_agency_name_no_font_has_blocks_finalising_and_uses_no_number(set_up_ctx: Context) -> None:
    from dataclasses import replace

    from fieldkit.services.setup import load_settings, update_agency

    document_id = rectification(set_up_ctx, make_inspection(set_up_ctx))
    agency = load_settings(set_up_ctx).agency
    update_agency(set_up_ctx, replace(agency, full_name="临沂市兰山区市场监督管理\ue000局"), "A1")
    with pytest.raises(docs.PrintBlocked) as blocked:
        docs.print_document(set_up_ctx, document_id, accept_warnings=True)
    [problem] = blocked.value.hard
    assert (
        problem.code == "print.glyph_missing"
        and "本局全称" in problem.message
        and "U+E000" in problem.message
    )
    doc = docs.load_document(set_up_ctx, document_id)
    assert doc.status == DocState.DRAFT and doc.number is None  # the number allocation rolled back
