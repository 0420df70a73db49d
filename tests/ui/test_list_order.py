"""Lists in date order, newest first; a header click sorts (in SQL); each list remembers its order
across restarts; `inspections list` is newest first too."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QHeaderView
from pytestqt.qtbot import QtBot

from fieldkit.catalog import checklist_by_id
from fieldkit.cli import main
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.inspections import checks_for_domains
from fieldkit.services import inspections
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.ui.widgets.dashboard import DashboardPage
from fieldkit.ui.widgets.inspections_page import InspectionsPage
from tests.ui.conftest import add_subjects

DAY = dt.datetime(2026, 2, 10, 9, 0, tzinfo=SHANGHAI)
FAILED, SUBJECT, START = 4, 1, 0


def _visit(ctx: Context, subject: object, days: int, fails: int) -> uuid.UUID:
    inspection_id = inspections.new_inspection(ctx, subject)  # type: ignore[arg-type]
    draft = inspections.load_inspection(ctx, inspection_id).draft
    checks = list(checks_for_domains([checklist_by_id("price_display")]))
    for i in range(fails):
        checks[i] = replace(checks[i], result=CheckResult.FAIL)
    draft = replace(
        draft, start_at=DAY + dt.timedelta(days=days), domains=("price_display",), checks=tuple(checks)
    )
    inspections.save_draft(ctx, inspection_id, draft)
    return inspection_id


@pytest.fixture
def visits(set_up_ctx: Context) -> list[uuid.UUID]:
    """Made in the order 2月12日, 2月10日, 2月20日 (with 2, 0 and 1 不符合 items)."""
    a, b, c = add_subjects(set_up_ctx, ["丙超市", "甲药店", "乙餐馆"])
    return [_visit(set_up_ctx, a, 2, 2), _visit(set_up_ctx, b, 0, 0), _visit(set_up_ctx, c, 10, 1)]


def click_header(qtbot: QtBot, header: QHeaderView, section: int) -> None:
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def page(qtbot: QtBot, ctx: Context) -> InspectionsPage:
    widget = InspectionsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    widget.page_shown()
    return widget


def shown(model: object, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]  # type: ignore[attr-defined]


def test_the_inspections_page_is_newest_first_and_every_header_sorts(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, visits: list[uuid.UUID]
) -> None:
    first = page(qtbot, set_up_ctx)
    assert shown(first.model, START) == ["2026-02-20 09:00", "2026-02-12 09:00", "2026-02-10 09:00"]
    header = first.table.horizontalHeader()
    assert header.isSortIndicatorShown() and header.sortIndicatorSection() == START
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    click_header(qtbot, header, FAILED)  # first click: most 不符合 first
    assert [first.model.item_at(r).failed_count for r in range(3)] == [2, 1, 0]
    click_header(qtbot, header, FAILED)
    assert [first.model.item_at(r).failed_count for r in range(3)] == [0, 1, 2]
    click_header(qtbot, header, SUBJECT)  # 丙 < 乙 < 甲 (code point order)
    assert shown(first.model, SUBJECT) == ["丙超市", "乙餐馆", "甲药店"]
    for section in range(first.model.columnCount()):  # every column sorts without an error
        click_header(qtbot, header, section)
        assert first.model.rowCount() == 3

    click_header(qtbot, header, SUBJECT)
    if header.sortIndicatorOrder() != Qt.SortOrder.DescendingOrder:
        click_header(qtbot, header, SUBJECT)
    assert shown(first.model, SUBJECT) == ["甲药店", "乙餐馆", "丙超市"]

    again = page(qtbot, set_up_ctx)  # a restart: the page opens in the order chosen last
    assert shown(again.model, SUBJECT) == ["甲药店", "乙餐馆", "丙超市"]
    assert again.table.horizontalHeader().sortIndicatorSection() == SUBJECT
    assert again.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_every_sortable_header_shows_its_title_and_arrow_whole(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, visits: list[uuid.UUID]
) -> None:
    # Found under Xvfb: 「不符合项」 at 80 px had the sort arrow over its last character.
    dash = DashboardPage(set_up_ctx)
    qtbot.addWidget(dash)
    dash.resize(1300, 900)
    dash.show()
    dash.refresh()
    tables = [page(qtbot, set_up_ctx).table, dash.drafts_table, dash.recent_table]
    qtbot.wait(10)  # the sorters fit the headers once the pages have set their widths
    for table in tables:
        header = table.horizontalHeader()
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            title = table.model().headerData(section, Qt.Orientation.Horizontal)
            needed = header.sectionSizeFromContents(section).width()
            assert header.sectionSize(section) >= needed, (title, header.sectionSize(section), needed)


def test_dashboard_lists_are_newest_first_sort_and_remember_their_own_order(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, visits: list[uuid.UUID]
) -> None:
    dash = DashboardPage(set_up_ctx)
    qtbot.addWidget(dash)
    dash.resize(1300, 900)
    dash.show()
    dash.refresh()
    assert dash.drafts_model.ids() == [visits[2], visits[0], visits[1]]
    header = dash.drafts_table.horizontalHeader()
    click_header(qtbot, header, FAILED)
    assert dash.drafts_model.ids() == [visits[0], visits[2], visits[1]]

    inspections_page = page(qtbot, set_up_ctx)  # the 检查 page keeps its own (default) order
    assert inspections_page.model.ids() == [visits[2], visits[0], visits[1]]
    restarted = DashboardPage(set_up_ctx)
    qtbot.addWidget(restarted)
    restarted.refresh()
    assert restarted.drafts_model.ids() == [visits[0], visits[2], visits[1]]


def test_the_cli_lists_newest_first_and_sorts(
    capsys: pytest.CaptureFixture[str], set_up_ctx: Context, visits: list[uuid.UUID], tmp_path: Path
) -> None:
    data = str(set_up_ctx.data_dir)
    assert main(["--data-dir", data, "inspections", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in listed] == [str(visits[2]), str(visits[0]), str(visits[1])]
    assert main(["--data-dir", data, "inspections", "list", "--json", "--sort", "不符合", "--asc"]) == 0
    assert [i["failed_count"] for i in json.loads(capsys.readouterr().out)] == [0, 1, 2]
    assert main(["--data-dir", data, "inspections", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2026-02-20 09:00") and lines[2].startswith("2026-02-10 09:00")


def test_the_subject_list_sorts_by_any_column_and_remembers(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    from fieldkit.ui.widgets.subject_search import SubjectSearch

    add_subjects(set_up_ctx, ["丙超市", "甲药店", "乙餐馆"])  # USCCs in the order made: 丙 < 甲 < 乙

    def search() -> SubjectSearch:
        widget = SubjectSearch(set_up_ctx)
        qtbot.addWidget(widget)
        widget.resize(1200, 500)
        widget.show()
        widget.refresh()
        return widget

    first = search()
    assert shown(first.model, 0) == ["丙超市", "乙餐馆", "甲药店"]  # by name (code point order)
    click_header(qtbot, first.table.horizontalHeader(), 2)  # 统一社会信用代码
    assert shown(first.model, 0) == ["丙超市", "甲药店", "乙餐馆"]
    click_header(qtbot, first.table.horizontalHeader(), 2)
    assert shown(first.model, 0) == ["乙餐馆", "甲药店", "丙超市"]
    assert shown(search().model, 0) == ["乙餐馆", "甲药店", "丙超市"]  # remembered


def test_the_documents_page_remembers_its_order(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, visits: list[uuid.UUID]
) -> None:
    from fieldkit.services import documents
    from fieldkit.ui.widgets.documents_page import DocumentsPage

    for form_id in ("zeling_gaizheng", "xianchang_bilu", "xunwen_bilu"):
        documents.create_document(set_up_ctx, form_id, visits[0])

    def docs_page() -> DocumentsPage:
        widget = DocumentsPage(set_up_ctx)
        qtbot.addWidget(widget)
        widget.resize(1200, 600)
        widget.show()
        widget.page_shown()
        return widget

    first = docs_page()
    click_header(qtbot, first.table.horizontalHeader(), 0)  # 文书名称, A→Z
    titles = shown(first.proxy, 0)
    assert titles == sorted(titles)
    click_header(qtbot, first.table.horizontalHeader(), 0)
    assert shown(first.proxy, 0) == sorted(titles, reverse=True)
    assert shown(docs_page().proxy, 0) == sorted(titles, reverse=True)


def test_short_lists_sort_through_a_proxy_and_keep_the_right_selection(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    from fieldkit.domain.evidence import EvidenceDraft
    from fieldkit.services import evidence
    from fieldkit.ui.widgets.evidence_panel import EvidencePanel
    from fieldkit.ui.widgets.list_sorter import natural_key

    assert sorted(["剩 12 个工作日", "剩 6 个工作日", "剩 2 个工作日"], key=natural_key) == [
        "剩 2 个工作日",
        "剩 6 个工作日",
        "剩 12 个工作日",
    ]
    inspection_id = inspections.new_inspection(set_up_ctx)
    for name in ("乙 进货单", "丙 现场照片", "甲 询问录音"):
        evidence.add_evidence_item(set_up_ctx, inspection_id, EvidenceDraft(name=name))

    def evidence_panel() -> EvidencePanel:
        widget = EvidencePanel(set_up_ctx, inspection_id)
        qtbot.addWidget(widget)
        widget.resize(1200, 600)
        widget.show()
        widget.reload()
        return widget

    first = evidence_panel()
    header = first.table.horizontalHeader()
    click_header(qtbot, header, 1)  # 名称: 丙 < 乙 < 甲
    click_header(qtbot, header, 1)  # and back: 甲 first
    view = first.table.model()
    assert [view.index(r, 1).data() for r in range(3)] == ["甲 询问录音", "乙 进货单", "丙 现场照片"]
    first.table.selectRow(0)
    assert first.selected().draft.name == "甲 询问录音"  # the row shown, not the model's row 0
    again = evidence_panel()
    view = again.table.model()
    assert [view.index(r, 1).data() for r in range(3)] == ["甲 询问录音", "乙 进货单", "丙 现场照片"]


def test_the_inspection_picker_is_newest_first_and_sorts(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, visits: list[uuid.UUID]
) -> None:
    from fieldkit.ui.dialogs.inspection_picker import InspectionPickerDialog

    picker = InspectionPickerDialog(set_up_ctx)
    qtbot.addWidget(picker)
    picker.show()
    assert picker.model.ids() == [visits[2], visits[0], visits[1]]
    assert picker.selected_id() == visits[2]
    click_header(qtbot, picker.table.horizontalHeader(), FAILED)
    assert picker.model.ids() == [visits[0], visits[2], visits[1]]
