"""Loading form definitions: the shipped ones are clean, and every kind of mistake is named precisely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fieldkit import paths
from fieldkit.catalog import CatalogError, check_forms, load_formdef, load_formdefs, load_phrases
from fieldkit.domain.forms import FieldType, FormKind, Option
from fieldkit.errors import FieldkitError

GOOD = """\
id = "demo"
title = "演示通知书"
code = "演示"
version = 2
numbered = true
kind = "notice"
copies_note = "本文书一式两份。"

[[fields]]
key = "party_name"
label = "当事人"
type = "text"
required = true
source = "subject.name"

[[fields]]
key = "mode"
label = "改正期限"
type = "choice"
options = ["立即改正", { value = "限期改正", text = "于{deadline}前改正" }]

[[fields]]
key = "deadline"
label = "截止日期"
type = "date"
not_past = true

[[fields]]
key = "items"
label = "物品"
type = "table"
columns = [{ key = "name", label = "名称", required = true }, { key = "qty", label = "数量", type = "integer" }]

[[blocks]]
type = "header"

[[blocks]]
type = "grid"
rows = ["party_name"]

[[blocks]]
type = "notice"
text = ["{party_name}：责令你（单位）{mode}。本局名称：{agency.name}。字面花括号：{{示例}}"]

[[blocks]]
type = "table"
field = "items"

[[blocks]]
type = "seal"
"""


def write(folder: Path, text: str, name: str = "demo.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def only_error(folder: Path) -> CatalogError:
    errors = check_forms(folder)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def test_shipped_definitions_are_clean():
    assert check_forms() == []
    defs = load_formdefs()
    assert len(defs) == 18
    for form_id, formdef in defs.items():
        assert formdef.id == form_id
        assert (paths.forms_dir() / f"{form_id}.toml").exists()


def test_shipped_records_have_a_page_footer_and_decisions_a_seal():
    for formdef in load_formdefs().values():
        if formdef.kind == FormKind.RECORD:
            assert formdef.page_footer is not None
        if formdef.kind in (FormKind.DECISION, FormKind.NOTICE):
            assert any(type(b).__name__ == "SealBlock" for b in formdef.blocks), formdef.id
            assert formdef.numbered, formdef.id


def test_good_definition_loads_into_frozen_values(tmp_path):
    write(tmp_path, GOOD)
    assert check_forms(tmp_path) == []
    formdef = load_formdef("demo", tmp_path)
    assert formdef.version == 2 and formdef.numbered and formdef.kind == FormKind.NOTICE
    assert formdef.field("mode").options == (Option("立即改正"), Option("限期改正", "于{deadline}前改正"))
    assert formdef.field("items").columns[1].type == FieldType.INTEGER
    assert formdef.field_by_source("subject.name").key == "party_name"
    with pytest.raises(AttributeError):
        formdef.title = "别的"  # type: ignore[misc]


def test_example_values_are_read_only_and_copied_for_whoever_changes_them(tmp_path):
    write(tmp_path, GOOD + '\n[example]\nparty_name = "某某超市"\nitems = [{ name = "酸奶", qty = 12 }]\n')
    assert check_forms(tmp_path) == []
    formdef = load_formdef("demo", tmp_path)
    assert formdef.example == {"party_name": "某某超市", "items": [{"name": "酸奶", "qty": 12}]}
    with pytest.raises(TypeError):
        formdef.example["party_name"] = "别的"  # type: ignore[index]
    mine = formdef.example_values()
    mine["items"][0]["qty"] = 1
    assert formdef.example["items"][0]["qty"] == 12  # the shared definition is not changed


def test_a_definition_without_example_has_none(tmp_path):
    write(tmp_path, GOOD)
    formdef = load_formdef("demo", tmp_path)
    assert formdef.example == {} and formdef.example_values() == {}


def test_checklists_and_phrases_are_not_taken_for_forms(tmp_path):
    write(tmp_path, GOOD)
    (tmp_path / "checklists").mkdir()
    write(tmp_path / "checklists", "not = 'a form'", "food.toml")
    write(tmp_path, '[[groups]]\nform = "demo"\nname = "开场"\nphrases = ["你好。"]\n', "phrases.toml")
    assert list(load_formdefs(tmp_path)) == ["demo"]
    assert check_forms(tmp_path) == []


BAD = [
    # (what is wrong, replace this, with this, expected key, words in the problem)
    (
        "unknown field type",
        'type = "date"\nnot_past',
        'type = "dates"\nnot_past',
        "fields[deadline].type",
        "dates",
    ),
    ("missing label", 'label = "当事人"\n', "", "fields[party_name].label", "缺少"),
    ("unknown placeholder", "{party_name}：", "{party_nmae}：", "blocks[2:notice].text[0]", "party_nmae"),
    ("broken placeholder", "{party_name}：", "{party_name：", "blocks[2:notice].text[0]", "花括号"),
    ("unknown block type", 'type = "seal"', 'type = "stamp"', "blocks[4].type", "stamp"),
    ("duplicate key", 'key = "deadline"', 'key = "party_name"', "fields[party_name].key", "重复"),
    ("unknown top-level key", "numbered = true", "numbered = true\ncolour = 'red'", "colour", "未知"),
    (
        "unknown field key",
        "not_past = true",
        "not_past = true\nmandatory = true",
        "fields[deadline].mandatory",
        "未知",
    ),
    ("id not the file name", 'id = "demo"', 'id = "other"', "id", "文件名"),
    ("unknown kind", 'kind = "notice"', 'kind = "letter"', "kind", "letter"),
    (
        "unknown source",
        'source = "subject.name"',
        'source = "subject.nmae"',
        "fields[party_name].source",
        "预填来源",
    ),
    (
        "grid names an unknown field",
        'rows = ["party_name"]',
        'rows = ["party"]',
        "blocks[1:grid].rows[0]",
        "party",
    ),
    (
        "table block on a text field",
        'field = "items"',
        'field = "party_name"',
        "blocks[3:table].field",
        "table",
    ),
    (
        "choice without options",
        'options = ["立即改正", { value = "限期改正", text = "于{deadline}前改正" }]\n',
        "",
        "fields[mode].options",
        "选项",
    ),
    ("duplicate option", '["立即改正", {', '["立即改正", "立即改正", {', "fields[mode].options[1]", "重复"),
    (
        "money field written as text",
        'type = "date"\nnot_past = true',
        'type = "date"\nnot_past = "yes"',
        "fields[deadline].not_past",
        "true",
    ),
    (
        "example names no field of the form",
        'type = "seal"\n',
        'type = "seal"\n\n[example]\nparty_name = "某某超市"\nparty = "某某超市"\n',
        "example.party",
        "不是本表单的字段",
    ),
    ("example not a table", "numbered = true", 'numbered = true\nexample = "某某超市"', "example", "表格"),
    (
        "unknown notice style",
        'type = "notice"\n',
        'type = "notice"\nstyle = "fancy"\n',
        "blocks[2:notice].style",
        "fancy",
    ),
]


@pytest.mark.parametrize(("what", "old", "new", "key", "words"), BAD, ids=[b[0] for b in BAD])
def test_each_kind_of_mistake_names_file_key_and_problem(tmp_path, what, old, new, key, words):
    assert old in GOOD
    write(tmp_path, GOOD.replace(old, new, 1))
    errors = check_forms(tmp_path)
    assert len(errors) <= 2, [str(e) for e in errors]  # one mistake, not a flood of follow-up errors
    err = errors[0]
    assert isinstance(err, FieldkitError)
    assert (err.file, err.key) == ("demo.toml", key)
    assert words in err.problem
    assert "demo.toml" in str(err) and key in str(err) and err.problem in str(err)


def test_invalid_toml_names_the_line(tmp_path):
    write(tmp_path, GOOD.replace('code = "演示"', 'code = "演示'))
    err = only_error(tmp_path)
    assert err.file == "demo.toml"
    assert err.key == "第 3 行"
    assert "TOML" in err.problem


def test_unused_field_is_reported(tmp_path):
    write(tmp_path, GOOD + '\n[[fields]]\nkey = "forgotten"\nlabel = "遗漏"\ntype = "text"\n')
    err = only_error(tmp_path)
    assert err.key == "fields[forgotten]"
    assert "不会出现" in err.problem


def test_record_without_page_footer_is_refused(tmp_path):
    write(tmp_path, GOOD.replace('kind = "notice"', 'kind = "record"'))
    err = only_error(tmp_path)
    assert err.key == "blocks" and "page_footer" in err.problem


def test_all_problems_are_listed_at_once(tmp_path):
    write(tmp_path, GOOD.replace('type = "seal"', 'type = "stamp"').replace("{party_name}：", "{nobody}："))
    write(tmp_path, "id = 1\n", "second.toml")
    errors = check_forms(tmp_path)
    assert {e.file for e in errors} == {"demo.toml", "second.toml"}
    assert len(errors) >= 4


def test_loading_a_bad_folder_raises_the_first_problem(tmp_path):
    write(tmp_path, GOOD.replace('type = "seal"', 'type = "stamp"'))
    with pytest.raises(CatalogError) as info:
        load_formdefs(tmp_path)
    assert info.value.key == "blocks[4].type"


def test_reload_after_edit_sees_the_change(tmp_path):
    path = write(tmp_path, GOOD)
    assert load_formdef("demo", tmp_path).title == "演示通知书"
    path.write_text(GOOD.replace("演示通知书", "演示通知书（省版）"), encoding="utf-8")
    assert load_formdef("demo", tmp_path).title == "演示通知书（省版）"


def test_a_province_edits_wording_by_data_only(tmp_path):
    """Copy the shipped forms, change a notice and add a field: it loads, checks and prints."""
    folder = tmp_path / "forms"
    shutil.copytree(paths.forms_dir(), folder, ignore=shutil.ignore_patterns("checklists"))
    path = folder / "zeling_gaizheng.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("逾期不改正的，本局将依法处理。", "逾期不改正的，本局将依法从重处理。{extra}")
    text += '\n[[fields]]\nkey = "extra"\nlabel = "补充说明"\ntype = "text"\n'
    path.write_text(text, encoding="utf-8")
    assert check_forms(folder) == []
    formdef = load_formdef("zeling_gaizheng", folder)
    assert formdef.field("extra").label == "补充说明"


def test_phrases_for_both_records():
    for form_id in ("xianchang_bilu", "xunwen_bilu"):
        groups = load_phrases(form_id)
        assert len(groups) >= 3
        assert all(g.phrases for g in groups)
    assert load_phrases("songda_huizheng") == ()


def test_bad_phrases_file_is_reported(tmp_path):
    write(tmp_path, GOOD)
    write(tmp_path, '[[groups]]\nform = "demo"\nname = "开场"\nphrases = "不是数组"\n', "phrases.toml")
    err = only_error(tmp_path)
    assert (err.file, err.key) == ("phrases.toml", "groups[0].phrases")
