"""Form values: checked per field type, formatted the way official documents write them."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldkit.domain import forms as F
from fieldkit.domain.forms import Column, FieldDef, FieldType, FormDef, FormKind, Option, TextBlock

TODAY = dt.date(2026, 3, 5)


def form(*fields: FieldDef) -> FormDef:
    blocks = tuple(TextBlock(field=f.key) for f in fields)
    return FormDef("t", "测试", "测", 1, False, FormKind.NOTICE, tuple(fields), blocks)


NAME = FieldDef("name", "当事人", FieldType.TEXT, required=True, max_len=10)
FINE = FieldDef("fine", "罚款金额", FieldType.MONEY, max=300_000, upper=True)
DEADLINE = FieldDef("deadline", "改正期限", FieldType.DATE, not_past=True)
WHEN = FieldDef("when", "检查时间", FieldType.DATETIME)
MODE = FieldDef("mode", "改正方式", FieldType.CHOICE, options=(Option("立即改正"), Option("限期改正")))
KINDS = FieldDef(
    "kinds", "处罚种类", FieldType.CHOICE, options=(Option("警告"), Option("罚款")), multiple=True
)
DAYS = FieldDef("days", "期限（日）", FieldType.INTEGER, min=1)
AGREE = FieldDef("agree", "同意电子送达", FieldType.BOOL)
OFFICERS = FieldDef("officers", "执法人员", FieldType.OFFICERS)
QA = FieldDef("qa", "询问内容", FieldType.QA)
ITEMS = FieldDef(
    "items",
    "物品清单",
    FieldType.TABLE,
    columns=(Column("name", "名称", required=True), Column("qty", "数量", FieldType.INTEGER)),
)
SIGN = FieldDef("sign", "收件人签名", FieldType.SIGNATURE, required=True)
ALL = form(NAME, FINE, DEADLINE, WHEN, MODE, KINDS, DAYS, AGREE, OFFICERS, QA, ITEMS, SIGN)


def messages(values: dict) -> list[str]:
    return [p.message for p in F.validate_values(ALL, {"name": "张三", **values}, TODAY)]


def test_good_values_pass():
    values = {
        "name": "汾阳市喆堃便利店",
        "fine": 50_000,
        "deadline": "2026-03-12",
        "when": "2026-03-05T09:30",
        "mode": "限期改正",
        "kinds": ["警告", "罚款"],
        "days": 30,
        "agree": True,
        "officers": [
            {"name": "王建国", "cert_no": "14110201001"},
            {"name": "李晓燕", "cert_no": "14110201017"},
        ],
        "qa": [{"q": "你叫什么名字？", "a": "张三。"}],
        "items": [{"name": "酸奶", "qty": 12}],
    }
    assert F.validate_values(ALL, values, TODAY) == []


def test_required_field_missing_names_the_label():
    problems = F.validate_values(ALL, {"name": "  "}, TODAY)
    assert [(p.field, p.code, p.message) for p in problems] == [("name", "form.required", "当事人：必须填写")]


def test_signature_is_never_required_on_screen():
    """A signature is written by hand on paper, so an empty one is no problem before printing."""
    assert all(p.field != "sign" for p in F.validate_values(ALL, {}, TODAY))


def test_text_in_a_money_field():
    assert messages({"fine": "二百元"}) == ["罚款金额：应为金额（以分为单位的整数），实为 “二百元”"]
    assert messages({"fine": 12.5}) == ["罚款金额：应为金额（以分为单位的整数），实为 float"]
    assert messages({"fine": True})[0].startswith("罚款金额：应为金额")
    assert messages({"fine": -1}) == ["罚款金额：金额不能为负数"]
    assert messages({"fine": 300_001}) == ["罚款金额：不能大于 ¥3,000.00"]


def test_deadline_in_the_past():
    assert messages({"deadline": "2026-03-04"}) == ["改正期限：期限 2026年3月4日 已早于今天（2026年3月5日）"]
    assert messages({"deadline": "2026-03-05"}) == []
    assert messages({"deadline": "3月4日"}) == ["改正期限：无法识别的日期“3月4日”（格式如 2026-03-05）"]
    assert messages({"when": "昨天"})[0].startswith("检查时间：无法识别的日期")


def test_unknown_choice():
    assert messages({"mode": "明天改"}) == ["改正方式：没有选项“明天改”，可选：立即改正、限期改正"]
    assert messages({"mode": ["立即改正", "限期改正"]}) == ["改正方式：只能选一项，现选了 2 项"]
    assert messages({"kinds": ["警告", "吊销执照"]}) == ["处罚种类：没有选项“吊销执照”，可选：警告、罚款"]
    assert messages({"kinds": [1]}) == ["处罚种类：应为选项文字"]


def test_too_long_and_integer_limits():
    assert messages({"name": "一二三四五六七八九十甲"}) == ["当事人：最多 10 字，现有 11 字"]
    assert messages({"days": 0}) == ["期限（日）：不能小于 1"]
    assert messages({"days": "三十"}) == ["期限（日）：应为整数，实为“三十”"]
    assert messages({"agree": "是"}) == ["同意电子送达：应为“是”或“否”"]


def test_malformed_table_rows():
    assert messages({"items": [{"qty": 1}]}) == ["物品清单：第 1 行缺少“名称”"]
    assert messages({"items": ["酸奶"]}) == ["物品清单：第 1 行格式不对（应为各列的值）"]
    assert messages({"items": [{"name": "酸奶", "price": 3}]}) == ["物品清单：第 1 行有未知列 price"]
    assert messages({"items": [{"name": "酸奶", "qty": "十二"}]}) == [
        "物品清单：第 1 行“数量”：应为整数，实为“十二”"
    ]
    assert messages({"items": "酸奶 12 盒"}) == ["物品清单：应为多行列表"]


def test_malformed_officers_and_qa():
    assert messages({"officers": [{"name": ""}]}) == ["执法人员：第 1 名执法人员缺少姓名"]
    assert messages({"officers": ["王建国"]}) == ["执法人员：第 1 名执法人员的格式不对（应有姓名和执法证号）"]
    assert messages({"qa": [{"q": "", "a": "答"}]}) == ["询问内容：第 1 组问答缺少问题"]
    assert messages({"qa": [{"question": "问"}]}) == ["询问内容：第 1 组问答格式不对（应只有“问”和“答”）"]


@pytest.mark.parametrize(
    ("fen", "upper"),
    [
        (0, "零元整"),
        (5, "伍分"),
        (50, "伍角整"),
        (100, "壹元整"),
        (20_000, "贰佰元整"),
        (300_000, "叁仟元整"),
        (123_456, "壹仟贰佰叁拾肆元伍角陆分"),
        (100_005, "壹仟元零伍分"),
        (1_000_500, "壹万零伍元整"),
        (10_000_000, "壹拾万元整"),
        (100_010_000, "壹佰万零壹佰元整"),
        (1_000_000_000_00, "壹拾亿元整"),
    ],
)
def test_money_in_capitals(fen, upper):
    assert F.money_upper(fen) == upper


def test_money_and_dates_as_printed():
    assert F.format_money(123_456_78) == "¥123,456.78"
    assert F.format_money(50_000) == "¥500.00"
    assert F.format_scalar(FINE, 50_000) == "¥500.00（大写：伍佰元整）"
    assert F.format_scalar(DEADLINE, "2026-03-12") == "2026年3月12日"
    assert F.format_scalar(WHEN, "2026-03-05T09:05") == "2026年3月5日9时05分"
    assert F.format_scalar(OFFICERS, [{"name": "王建国", "cert_no": "1"}]) == "王建国（执法证号：1）"
    assert F.format_scalar(AGREE, False) == "否"
    assert F.format_scalar(NAME, None) == ""


def test_templates_split_into_text_and_placeholders():
    assert F.split_template("{party}：于{agency.name}，{{字面}}") == [
        ("ph", "party"),
        ("text", "：于"),
        ("ph", "agency.name"),
        ("text", "，"),
        ("text", "{"),
        ("text", "字面"),
        ("text", "}"),
    ]
    with pytest.raises(ValueError, match="花括号"):
        F.split_template("{party：")
    with pytest.raises(ValueError, match="写法"):
        F.split_template("{当事人}")


def test_placeholders_resolve_by_key_source_or_context():
    gov = FieldDef("government", "复议机关", FieldType.TEXT, source="agency.government")
    f = form(NAME, gov)
    assert F.resolve_placeholder(f, "name") is NAME
    assert F.resolve_placeholder(f, "agency.government") is gov
    assert F.resolve_placeholder(f, "agency.name") == "agency.name"
    assert F.resolve_placeholder(f, "agency.court") is None


def test_block_conditions():
    f = form(MODE, KINDS, AGREE, NAME)
    assert F.when_holds(f, None, {})
    assert F.when_holds(f, "name", {"name": "张三"})
    assert not F.when_holds(f, "name", {"name": ""})
    assert F.when_holds(f, "kinds=罚款", {"kinds": ["警告", "罚款"]})
    assert not F.when_holds(f, "kinds=罚款", {"kinds": ["警告"]})
    assert F.when_holds(f, "agree=true", {"agree": True})
    assert not F.when_holds(f, "agree", {"agree": False})
    assert not F.when_holds(f, "nosuch=1", {})
