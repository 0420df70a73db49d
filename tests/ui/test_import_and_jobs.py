"""Long work runs off the GUI thread with a delayed, cancellable progress dialog; imports show a report."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from fieldkit.errors import Cancelled
from fieldkit.services.context import Context
from fieldkit.services.subject_import import ImportReport
from fieldkit.ui.jobs import PROGRESS_DELAY_MS, JobRunner
from fieldkit.ui.widgets.subjects_page import SubjectsPage
from tests.ui.conftest import valid_uscc


def slow_work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> int:
    for done in range(1, 201):
        if cancelled():
            raise Cancelled("已取消")
        time.sleep(0.02)
        progress(done, 200)
    return 200


def test_quick_job_shows_no_dialog(qtbot: QtBot, fk_app: QApplication) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = JobRunner(parent, lambda progress, cancelled: threading.get_ident())
    with qtbot.waitSignal(runner.finished) as blocker:
        runner.start()
    assert blocker.args[0] != threading.get_ident()  # ran on a pool thread
    assert runner.dialog is None


def test_slow_job_shows_progress_and_can_be_cancelled(qtbot: QtBot, fk_app: QApplication) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    runner = JobRunner(parent, slow_work)
    with qtbot.waitSignal(runner.failed, timeout=10_000) as blocker:
        runner.start()
        qtbot.waitUntil(lambda: runner.dialog is not None, timeout=PROGRESS_DELAY_MS + 1000)
        dialog = runner.dialog
        assert dialog is not None and dialog.isVisible()
        qtbot.waitUntil(lambda: dialog.value() > 0)
        cancel = dialog.findChild(QPushButton)
        assert cancel.text() == "取消"
        cancel.click()
    assert isinstance(blocker.args[0], Cancelled)
    assert runner.dialog is None


def test_import_runs_as_a_job_and_reports_rejected_rows(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, tmp_path: Path
) -> None:
    csv = tmp_path / "名录.csv"
    csv.write_text(
        "企业名称,统一社会信用代码,经营场所\n"
        f"临沂市金源家超市有限公司,{valid_uscc(1)},兰山区人民路18号\n"
        ",911101066976941872,缺名称\n"
        f"兰山区张记小吃店,{valid_uscc(2, '92')},兰山区解放路6号\n",
        encoding="utf-8",
    )
    page = SubjectsPage(set_up_ctx)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.import_finished, timeout=10_000) as blocker:
        page.start_import(csv)
    report = blocker.args[0]
    assert isinstance(report, ImportReport) and report.accepted == 2
    assert page.search.model.rowCount() == 2
    dialog = page.report_dialog
    assert dialog.isVisible()
    assert dialog.summary.text().startswith("新增 2 户")
    rows = [[dialog.model.index(r, c).data() for c in range(4)] for r in range(dialog.model.rowCount())]
    assert rows[0][:3] == ["3", "拒绝", "名称（姓名）"]
    dialog.close()


def test_a_failing_check_character_is_kept_only_when_the_officer_says_so(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, tmp_path: Path
) -> None:
    """Issue 10.4: the GUI holds the row back like the CLI, and 「仍然导入待确认的行」 keeps it."""
    good = valid_uscc(1)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    csv = tmp_path / "名录.csv"
    csv.write_text(
        f"企业名称,统一社会信用代码,经营场所\n甲超市,{valid_uscc(2)},甲路1号\n乙商行,{bad},乙路2号\n",
        encoding="utf-8",
    )
    page = SubjectsPage(set_up_ctx)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.import_finished, timeout=10_000) as blocker:
        page.start_import(csv)
    report = blocker.args[0]
    assert isinstance(report, ImportReport) and report.accepted == 1 and len(report.held) == 1
    assert page.search.model.rowCount() == 1
    dialog = page.report_dialog
    assert "待确认未导入 1 行" in dialog.summary.text()
    rows = [[dialog.model.index(r, c).data() for c in range(4)] for r in range(dialog.model.rowCount())]
    assert rows == [["3", "待确认", "统一社会信用代码", rows[0][3]]] and rows[0][3].startswith("校验位应为")
    dialog.grab().save(str(tmp_path / "held.png"))
    assert (
        dialog.keep_held_button is not None and dialog.keep_held_button.text() == "仍然导入待确认的行（1 行）"
    )
    with qtbot.waitSignal(page.import_finished, timeout=10_000) as blocker:
        dialog.keep_held_button.click()
    again = blocker.args[0]
    assert isinstance(again, ImportReport) and (again.accepted, again.unchanged, again.held) == (1, 1, [])
    assert page.search.model.rowCount() == 2
    assert page.report_dialog.keep_held_button is None
    page.report_dialog.close()
