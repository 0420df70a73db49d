"""The main window: registered pages, Chinese menus, shortcuts, status bar, dashboard drafts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from fieldkit import __version__
from fieldkit.services import inspections
from fieldkit.services.context import Context
from fieldkit.ui.main_window import MainWindow, PageSpec
from fieldkit.ui.strings import about_text
from fieldkit.ui.widgets.dashboard import DashboardPage
from fieldkit.ui.widgets.page import Page
from tests.ui.conftest import add_subjects


def make_window(qtbot: QtBot, ctx: Context) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_shortcuts_reach_every_page(qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context) -> None:
    window = make_window(qtbot, set_up_ctx)
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "工作台",
        "检查",
        "文书",
        "当事人",
        "数据交换",
        "设置",
    ]
    for key, name in (
        ("2", "inspections"),
        ("3", "documents"),
        ("4", "subjects"),
        ("5", "exchange"),
        ("6", "settings"),
        ("1", "dashboard"),
    ):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{key}"), Qt.KeyboardModifier.ControlModifier)
        assert window.current_key() == name
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "subjects"
    assert QApplication.focusWidget() is window.page("subjects").search.search_edit  # type: ignore[attr-defined]
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "inspections"
    assert window.inspections_page().editor.inspection_id is not None


def test_menus_status_bar_and_about_are_chinese(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    window = make_window(qtbot, set_up_ctx)
    assert [a.text() for a in window.menuBar().actions()] == ["文件(&F)", "查看(&V)", "帮助(&H)"]
    assert window.agency_label.text() == "执法机关：临沂市兰山区市场监督管理局"
    assert window.device_label.text() == "本机编号：A1"
    assert __version__ in about_text(__version__)


def test_a_page_can_be_registered(qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context) -> None:
    class Extra(Page):
        def __init__(self) -> None:
            super().__init__()
            QLabel("案件", self)

    window = make_window(qtbot, set_up_ctx)
    window.register_page(PageSpec("cases", "案件", Extra))
    n = window.nav.count()  # the new page is the last one: Ctrl+<n>
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_{n}"), Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "cases" and isinstance(window.page("cases"), Extra)


def test_dashboard_continues_a_draft_with_one_click(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    (subject,) = add_subjects(set_up_ctx, ["临沂市金源家超市有限公司"])
    draft_id = inspections.new_inspection(set_up_ctx, subject)  # type: ignore[arg-type]
    window = make_window(qtbot, set_up_ctx)
    dashboard = window.page("dashboard")
    assert isinstance(dashboard, DashboardPage)
    assert dashboard.counts.text().startswith("草稿 1 份")
    table = dashboard.drafts_table
    rect = table.visualRect(dashboard.drafts_model.index(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_key() == "inspections"
    assert window.inspections_page().editor.inspection_id == draft_id


def test_document_button_in_the_editor_asks_for_a_form_for_that_inspection(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    from fieldkit.ui.widgets.documents_page import DocumentsPage

    window = make_window(qtbot, set_up_ctx)
    editor = window.new_inspection()
    assert editor is not None and editor.inspection_id is not None
    qtbot.mouseClick(editor.document_button, Qt.MouseButton.LeftButton)
    page = window.page("documents")
    assert window.current_key() == "documents" and isinstance(page, DocumentsPage)
    assert page.new_dialog is not None and page.new_dialog.isVisible()


def test_the_operator_chosen_in_the_status_bar_signs_the_audit_trail(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    from fieldkit.services.setup import current_operator

    window = make_window(qtbot, set_up_ctx)
    combo = window.operator_combo
    assert combo.itemText(0) == "（请选择使用人）" and combo.count() == 4
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    assert current_operator(set_up_ctx) == combo.itemText(2)


def test_blank_form_prints_to_a_pdf_file(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    from fieldkit.ui.blank_print import print_blank

    window = make_window(qtbot, set_up_ctx)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "blank.pdf"
    printer.setOutputFileName(str(out))
    job = print_blank(window, set_up_ctx, "xianchang_bilu", printer)
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    assert out.stat().st_size > 10_000


def test_a_due_item_opens_its_matter_in_the_editor_of_its_kind(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context
) -> None:
    import datetime as dt

    from fieldkit.domain.inspections import InspectionType
    from fieldkit.services import measures

    (subject,) = add_subjects(set_up_ctx, ["临沂市金源家超市有限公司"])
    visit = inspections.new_inspection(set_up_ctx, subject)  # type: ignore[arg-type]
    measures.add_follow_up(
        set_up_ctx, visit, InspectionType.RECHECK, set_up_ctx.today() + dt.timedelta(days=3), "到期复查"
    )
    window = make_window(qtbot, set_up_ctx)
    dashboard = window.page("dashboard")
    assert isinstance(dashboard, DashboardPage) and dashboard.due.model.rowCount() == 1
    dashboard.due.table.doubleClicked.emit(dashboard.due.model.index(0, 1))
    assert window.current_key() == "inspections"
    assert window.inspections_page().editor.inspection_id == visit


def test_a_matter_whose_record_is_gone_is_refused_in_a_message_not_a_crash(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, monkeypatch
) -> None:
    import uuid

    from fieldkit.ui import main_window

    shown: list[str] = []
    monkeypatch.setattr(main_window, "show_error", lambda parent, exc: shown.append(str(exc)))
    window = make_window(qtbot, set_up_ctx)
    window._on_open_matter_requested(uuid.uuid4())
    assert shown == ["找不到该案卷"] and window.current_key() == "dashboard"
