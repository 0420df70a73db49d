"""Adding a plain form is one TOML file: no code names it, and it is drafted, printed and reprinted
through the services and offered in 新建文书 in the order its file asks for (issue 12 §2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fieldkit import paths
from fieldkit.catalog import CatalogError, load_formdefs
from fieldkit.domain.formrules import RULES, rules_for
from fieldkit.domain.forms import FormGroup, form_order
from fieldkit.printing.options import PrintOptions
from fieldkit.services import documents as docs
from fieldkit.services import issuing
from fieldkit.services.context import Context
from fieldkit.services.form_views import sample_pdf
from fieldkit.services.formhooks import HOOKS, PLAIN, hooks_for
from tests.services.test_documents import make_inspection

# A notice a province adds: 责令限期提供材料通知书. Numbered, pre-filled from the inspection; placed
# right after the 询问通知书 (order 30) in 新建文书.
NEW_FORM = """
id = "xianqi_tigong"
title = "责令限期提供材料通知书"
code = "限提"
version = 1
numbered = true
kind = "notice"
order = 35
copies_note = "本通知书一式两份，一份送达当事人，一份归档。"

[[fields]]
key = "party_name"
label = "当事人"
type = "text"
required = true
substantive = true
source = "subject.name"

[[fields]]
key = "materials"
label = "需提供的材料"
type = "textarea"
required = true
substantive = true

[[fields]]
key = "notice_date"
label = "通知日期"
type = "date"
required = true
source = "today"

[[blocks]]
type = "header"

[[blocks]]
type = "grid"
rows = [["party_name"]]

[[blocks]]
type = "notice"
text = ["请你（单位）于收到本通知书之日起七日内向本局提供下列材料："]

[[blocks]]
type = "text"
field = "materials"

[[blocks]]
type = "seal"
date_field = "notice_date"
"""


@pytest.fixture
def forms_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped forms plus one new file, in a folder the app reads its forms from."""
    folder = tmp_path / "forms"
    shutil.copytree(paths.forms_dir(), folder)
    (folder / "xianqi_tigong.toml").write_text(NEW_FORM, encoding="utf-8")
    monkeypatch.setattr(paths, "forms_dir", lambda: folder)
    return folder


def test_a_plain_form_is_one_toml_file(forms_dir: Path, set_up_ctx: Context) -> None:
    ctx = set_up_ctx
    # no registry names it: it gets the defaults
    assert "xianqi_tigong" not in RULES and "xianqi_tigong" not in HOOKS
    assert hooks_for("xianqi_tigong") is PLAIN and not rules_for("xianqi_tigong").needs_record

    # offered in 新建文书 where its `order` puts it: after the 询问通知书, before the 证据提取单
    order = [f.id for f in sorted(docs.available_forms(), key=form_order)]
    assert (
        order.index("xunwen_tongzhi") + 1 == order.index("xianqi_tigong") == order.index("zhengju_tiqu") - 1
    )
    assert load_formdefs()["xianqi_tigong"].group is FormGroup.MATTER
    # no [example]: a trial print of it without values prints its blanks
    formdef = load_formdefs()["xianqi_tigong"]
    assert formdef.example == {}
    assert sample_pdf(formdef, agency="某某市市场监督管理局", options=PrintOptions())[1] >= 1

    # drafted from an inspection, as 新建文书 does
    inspection_id = make_inspection(ctx)
    document_id = issuing.new_document(ctx, "xianqi_tigong", inspection_id)  # type: ignore[arg-type]
    draft = docs.load_document(ctx, document_id)
    assert (
        draft.title == "责令限期提供材料通知书" and draft.values["party_name"] == "临沂市金源家超市有限公司"
    )
    assert {p.field for p in docs.check_document(ctx, document_id)} == {"materials"}  # all it lacks

    docs.save_values(ctx, document_id, {**draft.values, "materials": "近三个月的进货查验记录"})
    printed = issuing.print_for_signature(ctx, document_id, actor="张建国")
    assert printed.action == "finalise" and printed.number and "限提" in printed.number
    final = docs.load_document(ctx, document_id)
    assert final.status == "final" and final.revision == 1

    again = issuing.print_for_signature(ctx, document_id, actor="张建国")
    assert again.action == "reprint" and again.pdf == printed.pdf and again.number == printed.number


@pytest.mark.parametrize(
    ("line", "key", "problem"),
    [
        ("order = 0", "order", "正整数"),
        ('order = "first"', "order", "正整数"),
        ('group = "cases"', "group", "未知的分组"),
    ],
)
def test_a_wrong_order_or_group_names_the_file_and_key(
    forms_dir: Path, line: str, key: str, problem: str
) -> None:
    path = forms_dir / "xianqi_tigong.toml"
    path.write_text(NEW_FORM.replace("order = 35", line), encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        load_formdefs(forms_dir)
    assert (raised.value.file, raised.value.key) == ("xianqi_tigong.toml", key)
    assert problem in raised.value.problem and "xianqi_tigong.toml" in str(raised.value)
