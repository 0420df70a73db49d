"""Save PNG screenshots of every screen on demo data, to look at them (and to show them in docs/).

Run under a virtual X server so the real xcb platform (fonts, style) is used:

    xvfb-run -a -s "-screen 0 1440x900x24" env QT_QPA_PLATFORM=xcb python tools/screenshots.py [OUT_DIR]

OUT_DIR defaults to docs/screenshots/. The data lives in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QDate, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QCalendarWidget, QMessageBox, QWidget  # noqa: E402

from fieldkit import __version__  # noqa: E402
from fieldkit.domain.checklists import CheckResult  # noqa: E402
from fieldkit.domain.inspections import Outcome  # noqa: E402
from fieldkit.services import inspections, subjects  # noqa: E402
from fieldkit.services.context import Context, open_context  # noqa: E402
from fieldkit.services.demo import load_demo  # noqa: E402
from fieldkit.services.setup import load_settings  # noqa: E402
from fieldkit.services.subject_import import import_subjects  # noqa: E402
from fieldkit.ui.app import create_application  # noqa: E402
from fieldkit.ui.dialogs.import_report import ImportReportDialog  # noqa: E402
from fieldkit.ui.dialogs.setup_wizard import SetupWizard  # noqa: E402
from fieldkit.ui.dialogs.subject_dialog import SubjectDialog  # noqa: E402
from fieldkit.ui.jobs import JobRunner  # noqa: E402
from fieldkit.ui.main_window import MainWindow  # noqa: E402
from fieldkit.ui.strings import about_text  # noqa: E402

WINDOW_SIZE = (1400, 860)


class Shooter:
    def __init__(self, app: QApplication, out: Path) -> None:
        self.app = app
        self.out = out
        self.saved: list[Path] = []

    def settle(self, ms: int = 150) -> None:
        end = dt.datetime.now() + dt.timedelta(milliseconds=ms)
        while dt.datetime.now() < end:
            self.app.processEvents()

    def shoot(self, widget: QWidget, name: str) -> None:
        self.settle()
        path = self.out / f"{name}.png"
        if not widget.grab().save(str(path)):
            raise RuntimeError(f"cannot save {path}")
        self.saved.append(path)
        print(path)


def wizard_shots(shooter: Shooter, base: Path) -> None:
    ctx = open_context(base / "fresh")
    wizard = SetupWizard(ctx)
    wizard.show()
    shooter.shoot(wizard, "01-setup-agency-empty")
    form = wizard.agency_page.form
    form.full_name.setText("临沂市兰山区市场监督管理局")
    form.short_name.setText("兰")
    form.government.setText("临沂市兰山区人民政府")
    form.unit.setText("综合行政执法大队")
    form.phone.setText("0539-8123456")
    shooter.shoot(wizard, "02-setup-agency")
    wizard.next()
    model = wizard.officers_page.model
    for row, (name, cert, unit) in enumerate(
        [("张建国", "37130219001", "综合行政执法大队"), ("王喆", "37130219003", "食品药品稽查中队")]
    ):
        for column, value in enumerate((name, cert, unit)):
            model.setData(model.index(row, column), value)
    shooter.shoot(wizard, "03-setup-officers")
    wizard.next()
    wizard.device_page.code_edit.setText("B7")
    shooter.shoot(wizard, "04-setup-device")
    wizard.device_page.code_edit.setText("一号")
    wizard.device_page.validatePage()
    shooter.shoot(wizard, "05-setup-device-error")
    wizard.close()


def editor_draft(ctx: Context) -> object:
    """A visit written half-way: two domains, some 不符合 items, 责令改正 chosen."""
    subject_id = subjects.search_subject_ids(ctx, "超市")[0]
    inspection_id = inspections.new_inspection(ctx, subject_id)
    record = inspections.load_inspection(ctx, inspection_id)
    from fieldkit.checklists import checklist_by_id
    from fieldkit.domain.inspections import OfficerRef, checks_for_domains

    domains = [checklist_by_id("food_business"), checklist_by_id("price_display")]
    checks = list(checks_for_domains(domains))
    for i, entry in enumerate(checks[:12]):
        result = CheckResult.FAIL if i in (2, 7) else CheckResult.PASS
        note = "冷藏柜温度 12℃，超出标示范围" if i == 7 else ("许可证未悬挂" if i == 2 else "")
        checks[i] = replace(entry, result=result, note=note)
    officers = load_settings(ctx).active_officers[:2]
    draft = replace(
        record.draft,
        officers=tuple(OfficerRef(str(o.id), o.name, o.cert_no) for o in officers),
        domains=tuple(d.id for d in domains),
        checks=tuple(checks),
        findings="检查发现：1. 营业执照、食品经营许可证未在经营场所醒目位置悬挂；2. 冷藏柜温度显示 12℃，"
        "超出标签标示的贮存条件。负责人王喆堃在场，已当场调整温控设置。",
        outcome=Outcome.RECTIFY,
        rectify_deadline=ctx.today() + dt.timedelta(days=15),
    )
    inspections.save_draft(ctx, inspection_id, draft)
    return inspection_id


def main_window_shots(shooter: Shooter, ctx: Context) -> None:
    window = MainWindow(ctx)
    window.resize(*WINDOW_SIZE)
    window.show()
    shooter.shoot(window, "10-dashboard")
    window.show_page("inspections")
    shooter.shoot(window, "11-inspections")
    page = window.show_page("subjects")
    shooter.shoot(window, "12-subjects")
    page.search.search_edit.setText("超市")  # type: ignore[attr-defined]
    shooter.settle(400)
    shooter.shoot(window, "13-subjects-search-2-chars")
    window.show_page("settings")
    shooter.shoot(window, "14-settings")

    inspection_id = editor_draft(ctx)
    editor = window.open_inspection(inspection_id)  # type: ignore[arg-type]
    editor.checks.table.selectRow(12)
    shooter.shoot(window, "20-editor-draft")
    editor.outcome.radios[Outcome.NO_PROBLEM].click()
    editor.complete()
    shooter.shoot(window, "21-editor-refused")
    editor.outcome.radios[Outcome.RECTIFY].click()
    editor.open_inspection(inspection_id, recovered=True)
    shooter.shoot(window, "22-editor-recovered")
    editor.recovery_banner.hide()
    editor.form.set_times(*editor.form.times()[:1], ctx.now())
    for action in editor.checks.all_pass_menu.actions():
        action.trigger()
    editor.complete()
    shooter.shoot(window, "23-editor-completed")

    editor_page = window.new_inspection()
    assert editor_page is not None
    editor_page.form.pick_button.click()
    picker = editor_page.picker
    assert picker is not None
    picker.search.search_edit.setText("果")
    shooter.settle(400)
    picker.search.select_row(0)
    shooter.shoot(picker, "24-subject-picker")
    picker.reject()
    editor_page.close_inspection()

    runner = JobRunner(window, lambda progress, cancelled: None, "正在导入名录…")
    runner._on_job_progress(8200, 20000)
    runner._on_timer_timeout()  # the dialog as it appears after 0.5 s of work
    assert runner.dialog is not None
    shooter.shoot(runner.dialog, "25-progress-dialog")
    runner._close()
    window.close()


def dialog_shots(shooter: Shooter, ctx: Context, base: Path) -> None:
    parent = QWidget()
    parent.resize(*WINDOW_SIZE)
    dialog = SubjectDialog(ctx, parent=parent)
    dialog.edits["name"].setText("临沂市喆堃鲜果超市有限公司")
    dialog.edits["uscc"].setText("91371302MA3C8UX410")
    dialog.edits["legal_rep"].setText("赵堃")
    dialog.edits["address"].setText("山东省临沂市兰山区解放路6号")
    dialog.edits["phone"].setText("0539-812345")
    dialog.show()
    shooter.shoot(dialog, "30-subject-dialog")
    dialog.buttons.accepted.emit()
    shooter.shoot(dialog, "31-subject-dialog-problems")
    dialog.close()

    csv = base / "兰山区市场主体名录.csv"
    csv.write_text(
        "企业名称,统一社会信用代码,负责人,经营场所,联系电话\n"
        "临沂市金源家超市有限公司,91110000101623741K,王喆,兰山区人民路18号,13905391234\n"
        "兰山区张记小吃店,92371302MA3C8UX41U,张三,兰山区解放路6号,0539-8123456\n"
        ",911101066976941872,缺名称,,\n"
        "短代码公司,9111000010162374,,,\n"
        "重复代码公司,91110000101623741K,,,\n"
        "兰山区李记水果店,,李四,兰山区和平路3号,1390539\n",
        encoding="utf-8",
    )
    about = QMessageBox(QMessageBox.Icon.Information, "关于 FieldKit", about_text(__version__), parent=parent)
    about.setStandardButtons(QMessageBox.StandardButton.Ok)
    about.show()
    shooter.shoot(about, "33-about-box")
    about.close()
    confirm = QMessageBox(QMessageBox.Icon.Question, "请确认", "确定删除这份检查草稿吗？", parent=parent)
    confirm.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    confirm.show()
    shooter.shoot(confirm, "34-qt-standard-buttons")
    confirm.close()
    calendar = QCalendarWidget()
    calendar.setSelectedDate(QDate(2026, 12, 12))
    calendar.show()
    shooter.shoot(calendar, "35-calendar-popup")
    calendar.close()

    report = import_subjects(ctx, csv)
    report_dialog = ImportReportDialog(report, csv.name, parent)
    report_dialog.show()
    shooter.shoot(report_dialog, "32-import-report")
    report_dialog.close()


def main() -> int:
    parser = argparse.ArgumentParser(description="界面截图（演示数据）")
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([sys.argv[0]])
    shooter = Shooter(app, out)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        wizard_shots(shooter, base)
        ctx = open_context(base / "demo")
        load_demo(ctx)
        main_window_shots(shooter, ctx)
        dialog_shots(shooter, ctx, base)
        ctx.sessions.kw["bind"].dispose()
    QTimer.singleShot(0, app.quit)
    app.exec()
    print(f"{len(shooter.saved)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
