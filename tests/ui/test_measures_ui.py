"""Measures through the dialog and panel, and what the 工作台 shows as due (overdue red, soon orange)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.domain.inspections import InspectionType
from fieldkit.domain.measures import GoodsLine, MeasureDraft, MeasureKind, MeasureStatus
from fieldkit.services import inspections, measures
from fieldkit.services.context import Context
from fieldkit.ui.models.due_table import DUE_SOON_FG, OVERDUE_FG
from fieldkit.ui.models.measure_table import LAPSED_FG, MeasureTableModel
from fieldkit.ui.widgets.dashboard import DashboardPage
from fieldkit.ui.widgets.measures_panel import MeasuresPanel
from tests.ui.conftest import add_subjects

FG = Qt.ItemDataRole.ForegroundRole


@pytest.fixture
def inspection(set_up_ctx: Context) -> uuid.UUID:
    (subject,) = add_subjects(set_up_ctx, ["临沂市金源家超市有限公司"])
    return inspections.new_inspection(set_up_ctx, subject)  # type: ignore[arg-type]


@pytest.fixture
def panel(qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, inspection: uuid.UUID) -> MeasuresPanel:
    widget = MeasuresPanel(set_up_ctx, inspection, place="兰山区人民路18号")
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def dashboard(qtbot: QtBot, ctx: Context) -> DashboardPage:
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.refresh()
    return page


def test_a_preservation_with_two_goods_lines_is_saved_and_shown_as_due(
    qtbot: QtBot, panel: MeasuresPanel, set_up_ctx: Context
) -> None:
    dialog = panel.new_measure()
    dialog.set_kind(MeasureKind.PRESERVATION)
    assert "7 个工作日" in dialog.due_label.text()
    assert not dialog.seal_view.text()  # a hold gets no 封条
    dialog.buttons.accepted.emit()  # nothing typed in the goods list yet
    assert dialog.isVisible()
    assert "物品清单" in dialog.errors.label("items").text()

    goods = dialog.goods_model
    for column, value in enumerate(("金龙鱼食用调和油", "5L/桶", "20251103", "益海嘉里", "桶", "12")):
        goods.setData(goods.index(0, column), value)
    goods.add_row()
    for column, value in enumerate(("鲁花花生油", "5L/桶", "20250620", "鲁花集团", "桶", "3")):
        goods.setData(goods.index(1, column), value)
    goods.add_row()  # a blank row left at the end is not a line
    assert dialog.storage_edit.text() == "兰山区人民路18号"
    dialog.storage_edit.setText("当事人仓库（就地保存）")
    dialog.reason_edit.setPlainText("涉嫌经营超过保质期的食用油，证据可能灭失")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()

    [saved] = measures.list_measures(set_up_ctx, panel.matter_id)
    assert saved.kind is MeasureKind.PRESERVATION and len(saved.items) == 2
    assert saved.items[1] == GoodsLine("鲁花花生油", "5L/桶", "20250620", "鲁花集团", "桶", "3")
    assert panel.model.rowCount() == 1 and panel.model.index(0, 0).data() == "先行登记保存"
    assert panel.model.index(0, 3).data() == "进行中"
    assert (
        panel.goods_model.rowCount() == 2 and panel.goods_title.text() == "物品清单（先行登记保存，共 2 项）"
    )

    page = dashboard(qtbot, set_up_ctx)
    model = page.due.model
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == saved.due.isoformat()  # type: ignore[union-attr]
    assert model.index(0, 1).data().startswith("先行登记保存")
    assert model.index(0, 2).data() == "临沂市金源家超市有限公司"
    assert model.index(0, 3).data() == "剩 7 个工作日"
    assert "第五十六条" in model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(page.open_matter_requested) as blocker:
        page.due.table.doubleClicked.emit(model.index(0, 1))
    assert blocker.args[0] == panel.matter_id


def test_overdue_is_red_and_due_soon_orange(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, inspection: uuid.UUID
) -> None:
    ctx = set_up_ctx
    oil = (GoodsLine("食用油", unit="桶", quantity="2"),)
    for decided in (dt.date(2026, 2, 2), dt.date(2026, 2, 24), ctx.today()):  # 春节 holidays between
        measures.add_measure(
            ctx, inspection, MeasureDraft(MeasureKind.PRESERVATION, decided, storage_place="仓库", items=oil)
        )
    measures.add_measure(
        ctx, inspection, MeasureDraft(MeasureKind.SEIZE, ctx.today(), storage_place="局仓库", items=oil)
    )

    model = dashboard(qtbot, ctx).due.model
    rows = [model.item_at(r) for r in range(model.rowCount())]
    urgencies = [item.urgency for item in rows if item is not None]
    assert urgencies[0] == "overdue" and "due_soon" in urgencies and "open" in urgencies
    for row, item in enumerate(rows):
        assert item is not None
        colour = model.index(row, 3).data(FG)
        expected = {"overdue": OVERDUE_FG, "due_soon": DUE_SOON_FG}.get(item.urgency)
        assert colour == expected, (item.title, item.urgency)
    assert model.index(0, 3).data().startswith("已逾期")

    panel = MeasuresPanel(ctx, inspection)
    qtbot.addWidget(panel)
    lapsed = next(r for r in range(panel.model.rowCount()) if panel.model.index(r, 1).data() == "2026-02-02")
    assert panel.model.index(lapsed, MeasureTableModel.STATUS_COLUMN).data() == "已逾期自动解除"
    assert panel.model.index(lapsed, MeasureTableModel.STATUS_COLUMN).data(FG) == LAPSED_FG


def test_a_seizure_is_extended_once_then_released(
    qtbot: QtBot, panel: MeasuresPanel, set_up_ctx: Context, inspection: uuid.UUID
) -> None:
    dialog = panel.new_measure()
    dialog.set_kind(MeasureKind.SEIZE)
    assert "查封、扣押" in dialog.due_label.text() and "封　条" in dialog.seal_view.text()
    dialog.set_lines([GoodsLine("三无电动自行车充电器", unit="个", quantity="40")])
    dialog.storage_edit.setText("兰山区市场监管局涉案财物仓库")
    with qtbot.waitSignal(panel.measures_changed):
        dialog.buttons.accepted.emit()
    [seized] = measures.list_measures(set_up_ctx, inspection)
    assert seized.seal_text.startswith("临沂市兰山区市场监督管理局")

    assert panel.extend(seized.id, "需检测，情况复杂，经负责人批准延长")
    assert panel.model.index(0, 2).data().endswith("（已延长）")
    assert "已延长" in panel.banner.text()
    assert panel.end(seized.id, MeasureStatus.RELEASED, "经检测合格，予以解除")
    assert panel.model.index(0, 3).data() == f"已解除（{set_up_ctx.today().isoformat()}）"
    assert dashboard(qtbot, set_up_ctx).due.model.rowCount() == 0


def test_a_recheck_is_marked_done_from_the_due_list(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, inspection: uuid.UUID
) -> None:
    ctx = set_up_ctx
    oil = (GoodsLine("食用油", unit="桶", quantity="2"),)
    measures.add_measure(
        ctx, inspection, MeasureDraft(MeasureKind.SEIZE, ctx.today(), storage_place="仓库", items=oil)
    )
    measures.add_follow_up(
        ctx, inspection, InspectionType.RECHECK, ctx.today() + dt.timedelta(days=3), "改正期限届满后复查"
    )
    card = dashboard(qtbot, ctx).due
    assert card.model.rowCount() == 2
    recheck = next(r for r in range(2) if card.model.item_at(r).kind == InspectionType.RECHECK)  # type: ignore[union-attr]
    card.table.selectRow(1 - recheck)
    assert not card.done_button.isEnabled()  # a measure ends on its own screen
    card.table.selectRow(recheck)
    assert card.done_button.isEnabled()
    assert card.close_task(card.selected(), "已整改到位")  # type: ignore[arg-type]
    assert card.model.rowCount() == 1 and card.model.item_at(0).kind == "seize"  # type: ignore[union-attr]


def test_no_seal_is_offered_for_a_preservation(
    panel: MeasuresPanel, set_up_ctx: Context, inspection: uuid.UUID
) -> None:
    """Issue 10.9: the dialog says 先行登记保存 carries no 封条, so the panel must not offer 「打印封条」."""
    oil = (GoodsLine("食用油", unit="桶", quantity="2"),)
    kept = measures.add_measure(
        set_up_ctx,
        inspection,
        MeasureDraft(MeasureKind.PRESERVATION, set_up_ctx.today(), storage_place="仓库", items=oil),
    )
    sealed = measures.add_measure(
        set_up_ctx,
        inspection,
        MeasureDraft(MeasureKind.SEAL, set_up_ctx.today(), storage_place="局仓库", items=oil),
    )
    panel.reload()
    panel.select(kept)
    assert panel.print_list_button.isEnabled() and not panel.print_seal_button.isEnabled()
    assert "不另印封条" in panel.print_seal_button.toolTip()
    panel.select(sealed)
    assert panel.print_seal_button.isEnabled() and panel.print_seal_button.toolTip() == ""


def test_extension_and_release_documents_are_drafted_from_the_selected_measure(
    qtbot: QtBot, panel: MeasuresPanel, set_up_ctx: Context, inspection: uuid.UUID
) -> None:
    from fieldkit.services import documents

    seizure = measures.add_measure(
        set_up_ctx,
        inspection,
        MeasureDraft(
            MeasureKind.SEIZE,
            set_up_ctx.today(),
            storage_place="本局涉案财物仓库",
            items=(GoodsLine("燃气灶", quantity="3"),),
        ),
    )
    panel.reload()
    panel.select(seizure)
    assert panel.extend_doc_button.isEnabled() and panel.release_doc_button.isEnabled()
    with qtbot.waitSignal(panel.document_created) as created:
        panel.extend_doc_button.click()
    doc = documents.load_document(set_up_ctx, created.args[0])
    assert (
        doc.form_id == "yanchang_qiangzhi" and doc.values["original_date"] == set_up_ctx.today().isoformat()
    )
    with qtbot.waitSignal(panel.document_created) as created:
        panel.release_doc_button.click()
    assert documents.load_document(set_up_ctx, created.args[0]).form_id == "jiechu_qiangzhi"
    due = dashboard(qtbot, set_up_ctx).due.model
    tip = due.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "办理文书：延长行政强制措施期限决定书、解除行政强制措施决定书" in tip
