"""The 文书 models pass Qt's model tester; table rows keep money as int fen; yuan text parses exactly."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from fieldkit.domain import forms as F
from fieldkit.domain.documents import DocState
from fieldkit.domain.problems import Problem, Severity
from fieldkit.services.documents import DocumentListItem
from fieldkit.ui.models.document_table import DocumentFilterProxy, DocumentTableModel
from fieldkit.ui.models.form_table import FormTableModel
from fieldkit.ui.models.problem_table import ProblemTableModel
from fieldkit.ui.money import fen_to_yuan_text, yuan_text_to_fen

COLUMNS = (
    F.Column("name", "名称", required=True),
    F.Column("quantity", "数量", F.FieldType.INTEGER),
    F.Column("price", "单价", F.FieldType.MONEY),
    F.Column("made_on", "生产日期", F.FieldType.DATE),
)


def item(title: str, status: str, n: int) -> DocumentListItem:
    return DocumentListItem(
        uuid.uuid4(),
        "f",
        title,
        f"兰市监责改〔2026〕A1-{n}号" if n else None,
        status,
        n,
        None,
        "某超市",
        dt.datetime(2026, 3, 2, n, tzinfo=dt.UTC),
    )


def test_document_table_and_its_filter(qtmodeltester: ModelTester) -> None:
    model = DocumentTableModel()
    model.set_items([item("责令改正通知书", DocState.FINAL, 1), item("现场笔录", DocState.DRAFT, 0)])
    qtmodeltester.check(model)
    assert model.index(1, 1).data() == "—" and model.index(1, 4).data() == "未定稿"
    assert model.index(0, 4).data() == "第 1 版"
    proxy = DocumentFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_status(DocState.DRAFT)
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data() == "现场笔录"
    proxy.set_status(None)
    proxy.set_text("A1-1")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data() == "责令改正通知书"


def test_form_table_edits_typed_cells(qtmodeltester: ModelTester) -> None:
    model = FormTableModel(COLUMNS)
    qtmodeltester.check(model)
    row = model.insert_row()
    for column, text in enumerate(("酸奶", "12", "3.5", "2026-02-01")):
        assert model.setData(model.index(row, column), text)
    model.insert_row(0)
    assert model.setData(model.index(0, 0), "面包")
    assert model.rows() == [
        {"name": "面包"},
        {"name": "酸奶", "quantity": 12, "price": 350, "made_on": "2026-02-01"},
    ]
    assert model.index(1, 2).data() == "¥3.50" and model.index(1, 2).data(Qt.ItemDataRole.EditRole) == "3.50"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "名称＊"
    assert model.move_row(1, -1) == 0 and model.rows()[0]["name"] == "酸奶"
    model.setData(model.index(1, 0), "")
    assert model.rows() == [{"name": "酸奶", "quantity": 12, "price": 350, "made_on": "2026-02-01"}]
    qtmodeltester.check(model)


def test_problem_table_puts_hard_problems_first(qtmodeltester: ModelTester) -> None:
    model = ProblemTableModel(
        [
            Problem("fine", "w", "罚款：超过 100 元应当场收缴（行政处罚法第六十八条）", Severity.WARNING),
            Problem("facts", "form.required", "违法行为：必须填写"),
        ]
    )
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(2)] == ["不可打印", "提醒"]
    assert model.index(0, 1).data() == "违法行为：必须填写"


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("0", 0),
        ("0.1", 10),
        ("0.07", 7),
        ("150.5", 15050),
        ("3000", 300000),
        ("1,234.56", 123456),
        (".5", 50),
    ],
)
def test_yuan_text_becomes_exact_fen(text: str, fen: int) -> None:
    assert yuan_text_to_fen(text) == fen
    assert yuan_text_to_fen(fen_to_yuan_text(fen)) == fen


@pytest.mark.parametrize("text", ["", ".", "1.234", "abc", "1.2.3", "-5"])
def test_malformed_yuan_text_is_no_amount(text: str) -> None:
    assert yuan_text_to_fen(text) is None
