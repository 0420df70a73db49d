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

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QFormLayout, QMessageBox, QWidget  # noqa: E402

from fieldkit import __version__  # noqa: E402
from fieldkit.domain.checklists import CheckResult  # noqa: E402
from fieldkit.domain.inspections import Outcome  # noqa: E402
from fieldkit.services import inspections, subjects  # noqa: E402
from fieldkit.services.context import SHANGHAI, Context, open_context  # noqa: E402
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
from fieldkit.ui.widgets.date_input import DateInput  # noqa: E402

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
    if wizard.admin_page is not None:  # 管理员与登录密码 (issue 13.1)
        wizard.admin_page.fields.new_edit.setText("lanshan-2026")
        wizard.admin_page.fields.again_edit.setText("lanshan-2027")
        wizard.admin_page.validatePage()
        shooter.shoot(wizard, "03b-setup-admin")
        wizard.admin_page.fields.again_edit.setText("lanshan-2026")
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
    from fieldkit.catalog import checklist_by_id
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
        start_at=ctx.now().replace(second=0, microsecond=0) - dt.timedelta(hours=1),  # an hour's visit
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
    settings = window.show_page("settings")
    shooter.shoot(window, "14-settings")
    # a re-run of setup says what it changes and asks; after numbers, only as a new 文号 series
    settings.agency_form.short_name.setText("临兰")  # type: ignore[attr-defined]
    settings.save()  # type: ignore[attr-defined]
    confirm = settings.confirm_dialog  # type: ignore[attr-defined]
    shooter.shoot(confirm, "15-settings-confirm")
    confirm.reject()
    settings.load()  # type: ignore[attr-defined]

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
    file_dialog_shot(shooter, base, parent, csv)
    date_shots(shooter, ctx, parent)

    report = import_subjects(ctx, csv)
    report_dialog = ImportReportDialog(report, csv.name, parent)
    report_dialog.show()
    shooter.shoot(report_dialog, "32-import-report")
    report_dialog.close()


def file_dialog_shot(shooter: Shooter, base: Path, parent: QWidget, csv: Path) -> None:
    """Qt's own file dialog in Chinese: 查找范围, 文件类型 and the 修改日期 column as 2026/12/2."""
    (base / "名录-2026年11月.xlsx").write_bytes(b"")
    dialog = QFileDialog(parent, "选择市场主体名录文件", str(base), "名录文件 (*.xlsx *.csv)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.selectFile(str(csv))
    dialog.resize(760, 440)
    dialog.show()
    shooter.settle(600)  # the file system model fills in the background
    shooter.shoot(dialog, "37-qt-file-dialog")
    dialog.close()


def date_shots(shooter: Shooter, ctx: Context, parent: QWidget) -> None:
    """The typed date input: its calendar opened on an empty 改正期限 (today's month, not 2000), then
    an impossible date refused in place with the old value kept."""
    frame = QWidget(parent, Qt.WindowType.Window)
    frame.setWindowTitle("改正期限")
    layout = QFormLayout(frame)
    now = ctx.now().astimezone(SHANGHAI).replace(tzinfo=None)
    deadline = DateInput(with_time=False, label="改正期限", now=lambda: now)
    start = DateInput(with_time=True, label="检查开始时间", now=lambda: now)
    layout.addRow("检查开始时间", start)
    layout.addRow("改正期限", deadline)
    frame.resize(520, 150)
    frame.show()
    start.line.setText("20261218 1030")
    start.commit()
    deadline.open_calendar()
    shooter.shoot(deadline.popup, "35-calendar-popup")
    deadline.popup.hide()
    deadline.set_value(ctx.today() + dt.timedelta(days=15))
    deadline.line.setText("2026-02-30")
    deadline.commit()
    shooter.shoot(frame, "36-date-typed-refused")
    frame.close()


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
        evidence_shots(shooter, ctx, base)
        exchange_shots(shooter, ctx, base)
        from tools.screenshots_documents import document_shots  # 文书 (60–73)

        document_shots(shooter, ctx)
        ctx.sessions.kw["bind"].dispose()
        security_shots(shooter, base)
    QTimer.singleShot(0, app.quit)
    app.exec()
    print(f"{len(shooter.saved)} screenshots in {out}")
    return 0


# ---- 证据、措施、导出 ----------------------------------------------------------------------------------


def shop_photo(path: Path, n: int, taken_at: dt.datetime, size: tuple[int, int] = (1600, 1200)) -> Path:
    """A photo-like JPEG of a shop: shelves of labelled goods, a fridge showing 12℃, price tags; with EXIF."""
    import random

    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = random.Random(n)
    w, h = size
    font_path = str(ROOT / "resources" / "fonts" / "NotoSansSC-Regular.otf")
    big, small = ImageFont.truetype(font_path, 46), ImageFont.truetype(font_path, 26)
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    for y in range(h):  # warm ceiling light fading towards the floor
        shade = int(235 - 90 * y / h)
        draw.line((0, y, w, y), fill=(shade, shade - 8, shade - 22))
    goods = [
        "金龙鱼调和油",
        "鲁花花生油",
        "康师傅方便面",
        "旺旺雪饼",
        "蒙牛纯牛奶",
        "老干妈",
        "海天酱油",
        "娃哈哈",
    ]
    if n % 3 == 2:  # the fridge with its temperature display
        draw.rectangle(
            (w * 0.15, h * 0.08, w * 0.85, h * 0.95), fill=(205, 215, 222), outline=(90, 95, 100), width=8
        )
        for shelf in range(4):
            y = h * (0.25 + shelf * 0.18)
            draw.rectangle((w * 0.18, y, w * 0.82, y + 10), fill=(150, 160, 168))
            for i in range(6):
                x = w * 0.2 + i * w * 0.1
                colour = (250, 250, 245) if i % 2 else (60, 120, 200)
                draw.rectangle((x, y - h * 0.12, x + w * 0.07, y), fill=colour, outline=(70, 70, 70))
        draw.rectangle((w * 0.62, h * 0.11, w * 0.8, h * 0.19), fill=(20, 20, 20))
        draw.text((w * 0.64, h * 0.115), "12℃", font=big, fill=(255, 60, 40))
    else:
        for shelf in range(4):
            y = int(h * (0.22 + shelf * 0.2))
            draw.rectangle((0, y, w, y + 16), fill=(128, 96, 64))
            x = 20 + rng.randint(0, 40)
            while x < w - 160:
                bw = rng.randint(110, 190)
                bh = rng.randint(int(h * 0.09), int(h * 0.16))
                colour = (rng.randint(60, 230), rng.randint(40, 200), rng.randint(30, 180))
                draw.rectangle((x, y - bh, x + bw, y), fill=colour, outline=(35, 35, 35), width=2)
                draw.text((x + 8, y - bh + 10), rng.choice(goods)[:4], font=small, fill=(255, 255, 255))
                x += bw + rng.randint(6, 20)
            draw.rectangle((60, y + 18, 230, y + 62), fill=(255, 236, 90))
            draw.text(
                (70, y + 22), f"¥{rng.randint(3, 79)}.{rng.randint(0, 9)}0", font=small, fill=(180, 0, 0)
            )
    if n == 0:  # the licence on the wall
        draw.rectangle(
            (w * 0.6, h * 0.03, w * 0.95, h * 0.18), fill=(250, 246, 232), outline=(170, 30, 30), width=6
        )
        draw.text((w * 0.63, h * 0.06), "食品经营许可证", font=big, fill=(170, 30, 30))
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise(size, 18).convert("RGB")
    img = Image.blend(img, noise, 0.06)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "HUAWEI", "Mate 60 Pro"
    exif.get_ifd(0x8769)[0x9003] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    lat, lon = 35.0532 + n * 0.00002, 118.3417 + n * 0.00003
    exif.get_ifd(0x8825).update(
        {
            1: "N",
            2: (float(int(lat)), float(int(lat % 1 * 60)), round(lat * 3600 % 60, 2)),
            3: "E",
            4: (float(int(lon)), float(int(lon % 1 * 60)), round(lon * 3600 % 60, 2)),
        }
    )
    img.save(path, "JPEG", quality=88, exif=exif)
    return path


def wait_for(shooter: Shooter, signal: object, timeout_ms: int = 60_000) -> list[object]:
    """Process events until `signal` fires (a job reporting back); returns its arguments."""
    got: list[object] = []
    signal.connect(lambda *args: got.append(args))  # type: ignore[attr-defined]
    end = dt.datetime.now() + dt.timedelta(milliseconds=timeout_ms)
    while not got:
        if dt.datetime.now() > end:
            raise RuntimeError("job did not finish")
        shooter.app.processEvents()
    return list(got[0])  # type: ignore[arg-type]


def field_inspection(ctx: Context) -> object:
    """A visit with two officers at a supermarket, where the evidence and measures are taken."""
    from fieldkit.domain.inspections import OfficerRef

    subject_id = subjects.search_subject_ids(ctx, "超市")[0]
    inspection_id = inspections.new_inspection(ctx, subject_id)
    record = inspections.load_inspection(ctx, inspection_id)
    officers = load_settings(ctx).active_officers[:2]
    inspections.save_draft(
        ctx,
        inspection_id,
        replace(
            record.draft,
            officers=tuple(OfficerRef(str(o.id), o.name, o.cert_no) for o in officers),
            place=record.draft.place or "兰山区人民路18号",
            findings="货架上发现超过保质期的食用油 15 桶，冷藏柜温度 12℃。",
        ),
    )
    return inspection_id


def evidence_shots(shooter: Shooter, ctx: Context, base: Path) -> None:
    from fieldkit.domain.evidence import EvidenceDraft, EvidenceKind
    from fieldkit.domain.measures import GoodsLine, MeasureDraft, MeasureKind
    from fieldkit.services import evidence, measures
    from fieldkit.ui.transfer import Transfer, TransferRunner

    inspection_id = field_inspection(ctx)
    card = base / "card" / "DCIM" / "100HUAWEI"
    card.mkdir(parents=True)
    start = dt.datetime.now().replace(hour=9, minute=41, second=12, microsecond=0)
    for i in range(9):
        shop_photo(card / f"IMG_{20260302 + i:08d}.jpg", i, start + dt.timedelta(minutes=i, seconds=17 * i))
    broken = card / "IMG_20260399.jpg"
    broken.write_bytes((card / "IMG_20260302.jpg").read_bytes()[:300])  # written when the card was pulled
    licence = evidence.add_evidence_item(
        ctx,
        inspection_id,  # type: ignore[arg-type]
        EvidenceDraft(
            name="营业执照、食品经营许可证复印件",
            kind=EvidenceKind.DOCUMENTARY,
            source="当事人提供，经核对与原件一致",
            proves="当事人的主体资格和经营范围",
            quantity="2 页",
        ),
    )
    evidence.add_evidence_item(
        ctx,
        inspection_id,  # type: ignore[arg-type]
        EvidenceDraft(
            name="进货票据（食用油）",
            kind=EvidenceKind.DOCUMENTARY,
            source="当事人提供",
            proves="涉案食用油的进货来源和数量",
            quantity="3 页",
        ),
    )
    photos = evidence.add_evidence_item(
        ctx,
        inspection_id,  # type: ignore[arg-type]
        EvidenceDraft(
            name="现场照片（货架、冷藏柜）",
            kind=EvidenceKind.AUDIOVISUAL,
            source="执法人员现场拍摄",
            proves="当事人经营场所陈列超过保质期的食用油；冷藏柜温度不符合标示条件",
        ),
    )

    window = MainWindow(ctx)
    window.resize(*WINDOW_SIZE)
    window.show()
    editor = window.open_inspection(inspection_id)  # type: ignore[arg-type]
    dialog = editor.open_evidence(0)
    assert dialog is not None
    panel = dialog.evidence
    panel.select(photos)
    panel.start_add_files(photos, [base / "card", base / "card" / "IMG_vanished.jpg"])
    wait_for(shooter, panel.files_added)
    assert panel.report_dialog is not None
    shooter.shoot(panel.report_dialog, "42-evidence-add-report")
    panel.report_dialog.close()
    panel.file_table.selectRow(2)
    shooter.shoot(dialog, "40-evidence-panel")
    panel.file_table.selectRow(panel.file_model.rowCount() - 2)
    panel.file_table.scrollToBottom()  # the last photo was written as the card was pulled: EXIF 不可读
    shooter.shoot(dialog, "40b-evidence-exif-unreadable")

    runner = TransferRunner(dialog, lambda report, cancelled: None, "正在复制并校验证据文件…")
    runner._on_job_progress(412, 1000)
    runner._on_detail(Transfer(1_905_000_000, 4_620_000_000, 37, 124))
    runner._on_timer_timeout()  # as it shows after 0.5 s of a body-cam card
    assert runner.dialog is not None
    shooter.shoot(runner.dialog, "41-evidence-progress")
    runner._close()

    evidence.finalise_evidence(ctx, inspection_id)  # type: ignore[arg-type]
    panel.reload()
    panel.select(licence)
    item_dialog = panel.edit_item(licence)
    item_dialog.name_edit.setText("营业执照副本、食品经营许可证复印件")
    item_dialog.buttons.accepted.emit()
    shooter.shoot(item_dialog, "43-evidence-item-reason")
    item_dialog.reject()

    oil = [
        GoodsLine(
            "金龙鱼食用植物调和油",
            "5L/桶",
            "2025-03-11",
            "益海嘉里（兖州）粮油工业有限公司",
            "桶",
            "9",
            "",
            "已过保质期",
        ),
        GoodsLine(
            "鲁花5S压榨一级花生油", "5L/桶", "2025-02-20", "山东鲁花集团有限公司", "桶", "4", "", "已过保质期"
        ),
        GoodsLine("福临门大豆油", "1.8L/瓶", "2025-01-08", "中粮福临门食品营销有限公司", "瓶", "2", "", ""),
    ]
    today = ctx.today()
    measures.add_measure(
        ctx,
        inspection_id,  # type: ignore[arg-type]
        MeasureDraft(
            MeasureKind.PRESERVATION,
            today - dt.timedelta(days=22),
            "证据可能灭失",
            "当事人仓库",
            items=tuple(oil[:2]),
        ),
    )
    measures.add_measure(
        ctx,
        inspection_id,  # type: ignore[arg-type]
        MeasureDraft(
            MeasureKind.PRESERVATION,
            today - dt.timedelta(days=7),
            "证据可能灭失",
            "当事人仓库",
            items=tuple(oil),
        ),
    )
    measures.add_measure(
        ctx,
        inspection_id,  # type: ignore[arg-type]
        MeasureDraft(
            MeasureKind.SEIZE,
            today - dt.timedelta(days=3),
            "涉嫌经营超过保质期的食品",
            "局涉案财物仓库",
            items=tuple(oil[2:]),
        ),
    )
    dialog.measures.reload()
    dialog.show_tab(1)
    dialog.measures.table.selectRow(1)
    shooter.shoot(dialog, "45-measures-panel")

    measure_dialog = dialog.measures.new_measure()
    measure_dialog.set_kind(MeasureKind.SEIZE)
    measure_dialog.reason_edit.setPlainText("涉嫌经营超过保质期的食用油，经负责人批准实施扣押")
    measure_dialog.storage_edit.setText("兰山区市场监督管理局涉案财物仓库")
    measure_dialog.set_lines(oil)
    measure_dialog.goods_table.selectRow(1)
    shooter.shoot(measure_dialog, "44-measure-dialog")
    measure_dialog.set_lines([])
    measure_dialog.storage_edit.clear()
    measure_dialog.buttons.accepted.emit()
    shooter.shoot(measure_dialog, "44b-measure-dialog-problems")
    measure_dialog.reject()
    dialog.close()

    editor.close_inspection()
    window.show_page("dashboard")
    shooter.shoot(window, "46-dashboard-due")
    window.close()


def exchange_shots(shooter: Shooter, ctx: Context, base: Path) -> None:
    from fieldkit.domain.agency import OfficerDraft
    from fieldkit.services import exchange
    from fieldkit.services.setup import run_setup
    from fieldkit.ui.widgets.exchange_page import ExchangePage

    settings = load_settings(ctx)
    window = MainWindow(ctx)
    window.resize(*WINDOW_SIZE)
    window.show()
    laptop = window.show_page("exchange")
    assert isinstance(laptop, ExchangePage)
    usb = base / "U盘" / "FieldKit"
    laptop.folder_edit.setText(str(usb))
    laptop.start_export(usb)
    bundle = wait_for(shooter, laptop.export_finished)[0].path  # type: ignore[attr-defined]
    shooter.shoot(window, "47-exchange-export")
    laptop.start_export(usb)
    wait_for(shooter, laptop.export_finished)
    shooter.shoot(window, "47b-exchange-nothing-new")
    window.close()

    office = open_context(base / "office")
    run_setup(
        office,
        settings.agency,
        [OfficerDraft("刘芳", "37130219010", "法制科"), OfficerDraft("孙伟", "37130219011", "法制科")],
        "OF",
    )
    office_window = MainWindow(office)
    office_window.resize(*WINDOW_SIZE)
    office_window.show()
    page = office_window.show_page("exchange")
    assert isinstance(page, ExchangePage)
    page.show_tab(1)
    page.office_tabs.setCurrentIndex(2)
    # A damaged copy from a laptop not registered yet: every problem is listed.
    tampered = base / "tampered.fkb"
    data = bytearray(bundle.read_bytes())
    data[len(data) // 3] ^= 0xFF
    tampered.write_bytes(bytes(data))
    page.start_import(tampered)
    wait_for(shooter, page.import_finished)
    assert page.problems_dialog is not None
    shooter.shoot(page.problems_dialog, "50-bundle-refused")
    page.problems_dialog.close()
    # The sound bundle of the same laptop: offered for registration on the spot, fingerprint shown.
    page.start_verify(bundle)
    wait_for(shooter, page.verify_finished)
    assert page.trust_dialog is not None
    shooter.shoot(page.trust_dialog, "52b-trust-offer")
    page.trust_dialog.reject()

    trust = page.open_trust_dialog()
    pem = base / "A1.pub.pem"
    pem.write_text(exchange.ensure_device_key(ctx), encoding="ascii")
    trust.load_file(pem)
    trust.name_edit.setText("兰山所 A1 号电脑（张建国）")
    trust.code_edit.setText("A1")
    shooter.shoot(trust, "52-trust-device")
    trust.buttons.accepted.emit()
    page.generate_office_key()
    shooter.shoot(office_window, "48a-exchange-office-devices")
    page.office_tabs.setCurrentIndex(0)
    page.start_verify(bundle)  # what the import will do, counted as the import counts it
    wait_for(shooter, page.verify_finished)
    shooter.shoot(office_window, "48c-exchange-verified")

    page.start_import(bundle)
    wait_for(shooter, page.import_finished)
    assert page.report_dialog is not None
    shooter.shoot(page.report_dialog, "49-bundle-report")
    page.report_dialog.close()

    # The same 当事人 corrected on both sides: version 2 twice, different phone numbers.
    subject_id = subjects.search_subject_ids(ctx, "超市")[0]
    draft = subjects.get_subject(office, subject_id).draft
    subjects.update_subject(office, subject_id, replace(draft, phone="0539-8211001"))
    subjects.update_subject(ctx, subject_id, replace(draft, phone="13905397788", legal_rep="王喆堃"))
    second = exchange.export_bundle(ctx, usb, officer="张建国")
    page.start_import(second.path)
    wait_for(shooter, page.import_finished)
    assert page.report_dialog is not None
    shooter.shoot(page.report_dialog, "49b-bundle-report-conflict")
    page.report_dialog.close()
    page.office_tabs.setCurrentIndex(0)
    shooter.shoot(office_window, "48-exchange-import")
    page.office_tabs.setCurrentIndex(1)
    conflict = page.show_conflict(0)
    assert conflict is not None
    shooter.shoot(conflict, "51-conflict")
    conflict.close()
    office_window.show_page("inspections")  # imported records keep their origin: 来源设备
    shooter.shoot(office_window, "48b-office-inspections")
    office_window.close()
    office.sessions.kw["bind"].dispose()


# ---- 登录、锁定、密码与角色（issue 13.1、13.2）-------------------------------------------------------------
DEMO_PASSWORD = "lanshan-2026"


def security_shots(shooter: Shooter, base: Path) -> None:
    """The first password of a store from a previous release, the login dialog (right, wrong, waiting),
    the lock screen over a half-typed 笔录, a switch of officer, and 设置 as a 执法人员 sees it."""
    from fieldkit.services import access
    from fieldkit.ui.dialogs.password_dialog import PasswordDialog, PasswordMode
    from fieldkit.ui.login_dialog import LoginDialog
    from fieldkit.ui.widgets.lock_screen import LockScreen

    ctx = open_context(base / "secure")
    load_demo(ctx)
    first = PasswordDialog(ctx, PasswordMode.FIRST)
    first.fields.new_edit.setText(DEMO_PASSWORD)
    first.show()
    shooter.shoot(first, "80-first-password")
    first.fields.again_edit.setText(DEMO_PASSWORD)
    assert first.save()
    ids = {o.name: str(o.id) for o in load_settings(ctx).active_officers}
    access.set_password(ctx, ids["李晓梅"], DEMO_PASSWORD)
    access.set_password(ctx, ids["王喆"], DEMO_PASSWORD, role=access.Role.OFFICE)
    ctx.sessions.kw["bind"].dispose()

    dialog = LoginDialog(ctx.data_dir)
    dialog.form.officer_combo.setCurrentIndex(dialog.form.officer_combo.findText("张建国"))
    dialog.show()
    shooter.shoot(dialog, "81-login")
    dialog.form.password_edit.setText("lanshan2026")
    dialog.form.submit()
    shooter.shoot(dialog, "82-login-wrong")
    for _ in range(2):
        dialog.form.password_edit.setText("lanshan2026")
        dialog.form.submit()
    shooter.shoot(dialog, "83-login-wait")
    dialog.form.officer_combo.setCurrentIndex(dialog.form.officer_combo.findText("李晓梅"))
    dialog.form.password_edit.setText(DEMO_PASSWORD)
    assert dialog.form.submit() and dialog.ctx is not None
    secure = dialog.ctx
    dialog.close()

    window = MainWindow(secure)
    window.resize(*WINDOW_SIZE)
    window.show()
    editor = window.open_inspection(field_inspection(secure))  # type: ignore[arg-type]
    editor.outcome.findings_edit.setPlainText(
        "检查发现：冷藏柜温度显示 12℃，超出标签标示的贮存条件；负责人称已报"
    )
    shooter.shoot(window, "84-before-lock")
    window.lock("idle")
    shooter.shoot(window, "85-lock")
    cover = LockScreen.of(window)
    assert cover is not None
    cover.form.password_edit.setText(DEMO_PASSWORD)
    cover.form.submit()
    window.lock("switch")
    cover = LockScreen.of(window)
    assert cover is not None
    cover.form.officer_combo.setCurrentIndex(cover.form.officer_combo.findText("王喆"))
    shooter.shoot(window, "86-lock-switch")
    cover.form.password_edit.setText(DEMO_PASSWORD)
    cover.form.submit()
    window.show_page("settings")
    shooter.shoot(window, "87-settings-as-office")
    window.close()
    secure.sessions.kw["bind"].dispose()


if __name__ == "__main__":
    sys.exit(main())
