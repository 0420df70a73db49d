"""The document lifecycle and the correction rule (domain/documents.py) and the substantive marks in forms/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fieldkit.catalog import CatalogError, load_formdef, load_formdefs
from fieldkit.domain import documents as D
from fieldkit.domain import forms as F


def test_each_state_allows_only_its_actions() -> None:
    assert D.allowed_actions("draft") == {D.Action.EDIT, D.Action.PRINT, D.Action.DELETE}
    assert D.Action.CORRECT in D.allowed_actions("final") and D.Action.REISSUE in D.allowed_actions("final")
    assert D.Action.EDIT not in D.allowed_actions("final")
    assert D.allowed_actions("void") == {D.Action.REPRINT}
    # a draft that holds a number (a used numbered blank) is accounted for: voided, never deleted
    numbered = D.allowed_actions("draft", numbered_draft=True)
    assert D.Action.DELETE not in numbered and D.Action.VOID in numbered
    assert D.Action.USE_BLANK in D.allowed_actions("blank") and D.Action.EDIT not in D.allowed_actions(
        "blank"
    )
    assert "已作废" in D.refusal("void", D.Action.EDIT) and "重印" in D.refusal("void", D.Action.EDIT)


def test_every_form_marks_the_party_facts_basis_penalty_measures_and_items() -> None:
    forms = load_formdefs()
    for formdef in forms.values():
        for fd in formdef.fields:
            if fd.source == "subject.name" or fd.type in (F.FieldType.TABLE, F.FieldType.OFFICERS):
                assert fd.substantive, f"{formdef.id}.{fd.key}"
        assert D.substantive_keys(formdef), formdef.id
    expected = {
        "dangchang_chufa": {"party_name", "facts", "violated", "basis", "penalty_kinds", "fine"},
        "zeling_gaizheng": {"party_name", "facts", "basis", "correction_mode", "correction_deadline"},
        "qiangzhi_cuoshi": {"party_name", "matter", "basis", "measure", "period_days", "list_number"},
        "xianxing_baocun": {"party_name", "matter", "list_number", "storage_place"},
        "caiwu_qingdan": {"party_name", "items"},
        "yanchang_qiangzhi": {"party_name", "measure", "decision_number", "reason", "new_end"},
        "jiechu_qiangzhi": {"party_name", "measure", "decision_number", "ground", "scope"},
        "jiechu_baocun": {"party_name", "preservation_number", "list_number", "scope"},
    }
    for form_id, keys in expected.items():
        assert keys <= set(D.substantive_keys(forms[form_id])), form_id
    # what a slip of the pen may still fix
    assert not forms["dangchang_chufa"].field("phone").substantive
    assert not forms["dangchang_chufa"].field("address").substantive


def test_the_mark_is_read_and_checked_on_load(tmp_path: Path) -> None:
    def parse(text: str) -> F.FormDef:
        (tmp_path / "t.toml").write_text(text, encoding="utf-8")
        return load_formdef("t", tmp_path)

    base = 'id = "t"\ntitle = "测试"\ncode = "测"\nversion = 1\nnumbered = false\nkind = "form"\n'
    field = '[[fields]]\nkey = "a"\nlabel = "甲"\ntype = "text"\n'
    blocks = '[[blocks]]\ntype = "grid"\nrows = ["a"]\n'
    assert parse(base + field + "substantive = true\n" + blocks).field("a").substantive
    assert not parse(base + field + blocks).field("a").substantive
    with pytest.raises(CatalogError, match="substantive"):
        parse(base + field + 'substantive = "是"\n' + blocks)


def test_changes_and_the_clerical_rule() -> None:
    formdef = load_formdefs()["dangchang_chufa"]
    before = {"fine": 50000, "phone": "13905391234", "penalty_kinds": ["警告", "罚款"], "statement": ""}
    after = {"fine": 300000, "phone": "13905391235", "penalty_kinds": ["罚款", "警告"]}
    found = D.changes(formdef, before, after)
    assert [(c.key, c.substantive) for c in found] == [("phone", False), ("fine", True)]
    assert found[1].before == "¥500.00（大写：伍佰元整）"
    problems = D.clerical_problems(formdef, before, after)
    assert [p.field for p in problems] == ["fine"] and "重新作出" in problems[0].message
    assert not D.clerical_problems(formdef, before, {**after, "fine": 50000})

    corrections = D.corrections_of(
        formdef,
        [
            (1, dt.date(2026, 3, 2), "", before),
            (2, dt.date(2026, 3, 3), "电话笔误", {**before, "phone": "1"}),
        ],
    )
    note = D.correction_note(corrections[0])
    assert note.startswith("更正说明（第 2 版）：本文书于2026年3月3日更正笔误，文号不变。")
    assert "「联系电话」原为“13905391234”，更正为“1”" in note and note.endswith("更正理由：电话笔误。")


# ---- transition(): the state after each allowed action, a clear refusal otherwise --------------------


def test_every_allowed_action_leads_to_a_state_and_no_other_action_does() -> None:
    for state in D.DocState:
        for numbered in (False, True):
            for action in D.Action:
                if D.is_allowed(state, action, numbered_draft=numbered):
                    assert isinstance(D.transition(state, action, numbered_draft=numbered), D.DocState)
                else:
                    with pytest.raises(D.TransitionRefused):
                        D.transition(state, action, numbered_draft=numbered)


def test_transitions_of_the_lifecycle() -> None:
    assert D.transition("draft", D.Action.PRINT) is D.DocState.FINAL
    assert D.transition("final", D.Action.CORRECT) is D.DocState.CORRECTING
    assert D.transition("correcting", D.Action.PRINT) is D.DocState.FINAL
    assert D.transition("correcting", D.Action.CANCEL_CORRECTION) is D.DocState.FINAL
    assert D.transition("final", D.Action.VOID) is D.DocState.VOID
    assert D.transition("blank", D.Action.USE_BLANK) is D.DocState.DRAFT
    assert D.transition("draft", D.Action.VOID, numbered_draft=True) is D.DocState.VOID


def test_a_refused_transition_names_the_state_and_the_action() -> None:
    with pytest.raises(D.TransitionRefused) as refused:
        D.transition("void", D.Action.EDIT)
    assert (refused.value.state, refused.value.action) == (D.DocState.VOID, D.Action.EDIT)
    assert str(refused.value) == "该文书已作废，不能修改（可以：重印）"
    with pytest.raises(D.TransitionRefused, match="该文书草稿，不能删除"):
        D.transition("draft", D.Action.DELETE, numbered_draft=True)  # its number must be accounted for
