"""Check-item lists: every shipped file loads and is complete; every kind of bad file is refused clearly."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from fieldkit.catalog import (
    CatalogError,
    checklist_by_id,
    checklists_dir,
    load_checklist_file,
    load_checklists,
)
from fieldkit.domain.checklists import CheckItem, ChecklistDomain, CheckResult
from fieldkit.errors import FieldkitError

REQUIRED_DOMAINS = {
    "food_business": "食品经营",
    "drug_retail": "药品零售",
    "special_equipment": "特种设备使用",
    "measuring_instruments": "计量器具",
    "price_display": "价格公示",
    "advertising": "广告",
    "product_quality": "产品质量",
}
CJK = re.compile(r"[\u4e00-\u9fff]")

VALID = """\
id = "demo"
name = "演示"
order = 5
version = "2026.1"
description = "演示用"
basis = "《演示法》"

[[items]]
code = "D-01"
group = "资质"
text = "是否持证"
basis = "《演示法》第一条"
hint = "看证"

[[items]]
code = "D-02"
group = "资质"
text = "是否公示"
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# ── shipped data ──


def test_every_shipped_file_loads() -> None:
    files = sorted(checklists_dir().glob("*.toml"))
    domains = load_checklists()
    assert {p.stem for p in files} == {d.id for d in domains}
    assert len(domains) >= len(REQUIRED_DOMAINS)


@pytest.mark.parametrize(("domain_id", "name"), sorted(REQUIRED_DOMAINS.items()))
def test_required_domain_exists_with_at_least_15_items(domain_id: str, name: str) -> None:
    domain = checklist_by_id(domain_id)
    assert domain.name == name
    assert 15 <= len(domain.items) <= 30
    assert domain.version and domain.description and domain.basis


def test_item_codes_are_unique_across_all_shipped_lists() -> None:
    codes = [item.code for domain in load_checklists() for item in domain.items]
    assert len(codes) == len(set(codes))


def test_each_shipped_list_uses_one_code_prefix() -> None:
    prefixes: dict[str, str] = {}
    for domain in load_checklists():
        own = {item.code.split("-")[0] for item in domain.items}
        assert len(own) == 1, domain.id
        prefixes[domain.id] = own.pop()
    assert len(set(prefixes.values())) == len(prefixes)


def test_shipped_text_is_chinese_and_cites_a_basis() -> None:
    for domain in load_checklists():
        assert CJK.search(domain.name) and CJK.search(domain.description)
        for item in domain.items:
            assert CJK.search(item.group) and CJK.search(item.text), item.code
            assert item.basis.startswith("《") or CJK.search(item.basis), item.code
            assert not item.hint or CJK.search(item.hint), item.code


def test_shipped_lists_are_sorted_by_order_then_id() -> None:
    domains = load_checklists()
    assert [(d.order, d.id) for d in domains] == sorted((d.order, d.id) for d in domains)


def test_groups_keep_file_order() -> None:
    food = checklist_by_id("food_business")
    assert food.groups[0] == "经营资质"
    assert all(item.group in food.groups for item in food.items)
    assert sum(len(food.items_in_group(g)) for g in food.groups) == len(food.items)
    assert food.item("SP-01").group == "经营资质"
    with pytest.raises(KeyError):
        food.item("NO-SUCH")


def test_unknown_domain_id_is_refused() -> None:
    with pytest.raises(CatalogError, match="no_such_domain"):
        checklist_by_id("no_such_domain")


def test_check_results_store_codes_and_show_the_chinese_labels() -> None:
    """Issue 12 §4 changed this contract: the labels were the stored values."""
    assert [r.value for r in CheckResult] == ["pass", "fail", "not_applicable"]
    assert [r.label for r in CheckResult] == ["符合", "不符合", "不涉及"]
    assert CheckResult("not_applicable") is CheckResult.NOT_APPLICABLE
    assert CheckResult.from_text("不涉及") is CheckResult.NOT_APPLICABLE


def test_values_are_frozen() -> None:
    domain = checklist_by_id("price_display")
    with pytest.raises(dataclasses.FrozenInstanceError):
        domain.name = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        domain.items[0].text = "x"  # type: ignore[misc]


# ── loading and caching ──


def test_valid_file_loads_with_defaults_for_optional_keys(tmp_path: Path) -> None:
    write(tmp_path, "demo.toml", VALID)
    [domain] = load_checklists(tmp_path)
    assert domain == ChecklistDomain(
        id="demo",
        name="演示",
        order=5,
        version="2026.1",
        description="演示用",
        basis="《演示法》",
        items=(
            CheckItem("D-01", "资质", "是否持证", "《演示法》第一条", "看证"),
            CheckItem("D-02", "资质", "是否公示", "", ""),
        ),
    )


def test_load_is_cached_per_folder_and_an_edit_is_seen(tmp_path: Path) -> None:
    # issue 12 §5: one cache policy for all catalog data, the forms' one — an edited file is read again
    # on the next load (checklists kept a stale copy until someone called clear_cache())
    write(tmp_path, "demo.toml", VALID)
    first = load_checklists(tmp_path)
    assert load_checklists(tmp_path)[0] is first[0]
    write(tmp_path, "demo.toml", VALID.replace("演示用", "改过"))
    assert load_checklists(tmp_path)[0].description == "改过"


def test_returned_list_can_be_changed_without_touching_the_cache(tmp_path: Path) -> None:
    write(tmp_path, "demo.toml", VALID)
    load_checklists(tmp_path).clear()
    assert len(load_checklists(tmp_path)) == 1


def test_domains_sort_by_order_then_id(tmp_path: Path) -> None:
    write(tmp_path, "b.toml", VALID.replace('"demo"', '"b"').replace("order = 5", "order = 1"))
    write(tmp_path, "a.toml", VALID.replace('"demo"', '"a"').replace("order = 5", "order = 1"))
    write(tmp_path, "z.toml", VALID.replace('"demo"', '"z"').replace("order = 5", "order = 0"))
    assert [d.id for d in load_checklists(tmp_path)] == ["z", "a", "b"]


def test_byte_order_mark_from_windows_editors_is_accepted(tmp_path: Path) -> None:
    write(tmp_path, "demo.toml", "\ufeff".encode() + VALID.encode())
    assert load_checklists(tmp_path)[0].id == "demo"


def test_empty_folder_has_no_lists(tmp_path: Path) -> None:
    assert load_checklists(tmp_path) == []


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="目录不存在") as info:
        load_checklists(tmp_path / "nowhere")
    assert "nowhere" in str(info.value)


def test_error_is_a_fieldkit_error_with_parts(tmp_path: Path) -> None:
    path = write(tmp_path, "demo.toml", VALID.replace('name = "演示"\n', ""))
    with pytest.raises(FieldkitError) as info:
        load_checklist_file(path)
    err = info.value
    assert isinstance(err, CatalogError)
    assert err.key == "name" and err.problem == "缺少此项"
    assert err.what == "检查事项清单文件"  # one error type for the catalog, one message shape (issue 12 §5)
    assert str(err) == f"检查事项清单文件 {err.file}：name：缺少此项"


# ── bad files: each names the file and the key ──

BAD_FILES = [
    pytest.param('id = "demo"\nname = "演示\n', "第 2 行", id="invalid-toml"),
    pytest.param(VALID.replace('id = "demo"\n', ""), "id", id="missing-id"),
    pytest.param(VALID.replace('name = "演示"', 'name = "  "'), "name", id="empty-name"),
    pytest.param(VALID.replace('version = "2026.1"\n', ""), "version", id="missing-version"),
    pytest.param(VALID.replace("order = 5\n", ""), "order", id="missing-order"),
    pytest.param(VALID.replace("order = 5", 'order = "5"'), "order", id="order-is-text"),
    pytest.param(VALID.replace("order = 5", "order = true"), "order", id="order-is-bool"),
    pytest.param(
        VALID.replace('description = "演示用"', "description = 3"), "description", id="description-type"
    ),
    pytest.param(VALID.split("[[items]]")[0], "items", id="missing-items"),
    pytest.param(VALID.split("[[items]]")[0] + "items = []\n", "items", id="empty-items"),
    pytest.param(VALID.split("[[items]]")[0] + 'items = ["a"]\n', "items", id="items-not-tables"),
    pytest.param(VALID.replace('code = "D-01"\n', ""), "items[1].code", id="missing-code"),
    pytest.param(VALID.replace('code = "D-02"', 'code = ""'), "items[2].code", id="empty-code"),
    pytest.param(VALID.replace('code = "D-01"', 'code = "D 01"'), "items[1].code", id="code-with-space"),
    pytest.param(VALID.replace('code = "D-01"', "code = 1"), "items[1].code", id="code-is-number"),
    pytest.param(VALID.replace('text = "是否公示"', 'text = ""'), "items[2].text", id="empty-text"),
    pytest.param(VALID.replace('text = "是否持证"\n', ""), "items[1].text", id="missing-text"),
    pytest.param(VALID.replace('text = "是否持证"', "text = [1]"), "items[1].text", id="text-is-array"),
    pytest.param(
        VALID.replace('group = "资质"\ntext = "是否公示"', 'text = "是否公示"'),
        "items[2].group",
        id="no-group",
    ),
    pytest.param(VALID.replace('hint = "看证"', "hint = 2"), "items[1].hint", id="hint-type"),
    pytest.param(VALID.replace('code = "D-02"', 'code = "D-01"'), "items[2].code", id="duplicate-code"),
    pytest.param(VALID.replace('id = "demo"', 'id = "other"'), "id", id="id-not-file-name"),
    pytest.param(VALID.replace('id = "demo"', 'id = "Demo-1"'), "id", id="id-not-ascii-snake"),
    pytest.param(VALID.replace("order = 5", "order = 5\ncolour = 1"), "colour", id="unknown-key"),
    pytest.param(VALID.replace('hint = "看证"', 'note = "看证"'), "items[1].note", id="unknown-item-key"),
]


@pytest.mark.parametrize(("text", "key"), BAD_FILES)
def test_bad_file_is_refused_naming_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    write(tmp_path, "demo.toml", text)
    with pytest.raises(CatalogError) as info:
        load_checklists(tmp_path)
    message = str(info.value)
    assert "demo.toml" in message
    assert key in message
    assert CJK.search(info.value.problem)


def test_duplicate_code_names_the_first_item_and_its_line(tmp_path: Path) -> None:
    write(tmp_path, "demo.toml", VALID.replace('code = "D-02"', 'code = "D-01"'))
    with pytest.raises(CatalogError) as info:
        load_checklists(tmp_path)
    assert info.value.key == "items[2].code"
    assert "与 items[1] 重复" in info.value.problem
    assert "第 15 行" in info.value.problem  # where the second [[items]] starts


def test_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    write(tmp_path, "demo.toml", VALID.replace("order = 5", "order = = 5"))
    with pytest.raises(CatalogError, match=r"demo\.toml：第 3 行：TOML 格式错误（第 \d+ 列）") as info:
        load_checklists(tmp_path)
    assert info.value.key == "第 3 行"  # the one TOML reader names the line as the key (issue 12 §5)


def test_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "demo.toml", VALID.encode("gbk"))
    with pytest.raises(CatalogError, match="UTF-8") as info:
        load_checklists(tmp_path)
    assert "demo.toml" in str(info.value)


def test_duplicate_domain_id_across_files_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, "demo.toml", VALID)
    write(tmp_path, "demo_copy.toml", VALID)
    with pytest.raises(CatalogError) as info:
        load_checklists(tmp_path)
    assert info.value.key == "id"
    assert "demo_copy.toml" in info.value.file
    assert "demo.toml" in info.value.problem and "重复" in info.value.problem


def test_one_bad_file_fails_the_whole_folder(tmp_path: Path) -> None:
    write(tmp_path, "demo.toml", VALID)
    write(
        tmp_path, "other.toml", VALID.replace('id = "demo"', 'id = "other"').replace("order = 5", "order = x")
    )
    with pytest.raises(CatalogError, match=r"other\.toml"):
        load_checklists(tmp_path)


def test_shipped_folder_is_named_relative_to_the_bundle() -> None:
    with pytest.raises(CatalogError) as info:
        checklist_by_id("no_such_domain")
    assert info.value.file == "forms/checklists"
