"""A whole visit through the widgets: first-run setup on a laptop, a subject, an inspection with a
不符合 item, 笔录, photos, a 责令改正通知书 refused then printed, a bundle exported and imported at the
office — and the office ends up with the same records and the same stored PDF.

Every step is what an officer does with the mouse and keyboard; the only shortcuts are the native file
dialogs (Qt cannot drive them offscreen), answered here by patching QFileDialog's static functions, and
the print dialog, skipped by handing the editor a QPrinter that writes a PDF file. The stores are read
only to assert.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QWizard
from pytestqt.qtbot import QtBot

from fieldkit.domain.access import Role
from fieldkit.domain.checklists import CheckResult
from fieldkit.domain.documents import DocState
from fieldkit.domain.evidence import EvidenceKind
from fieldkit.domain.inspections import InspectionStatus, Outcome
from fieldkit.domain.subjects import SubjectType
from fieldkit.services import access, documents, evidence, inspections, subjects
from fieldkit.services.context import Context, open_context
from fieldkit.services.exchange import ImportReport
from fieldkit.services.setup import is_set_up, load_settings
from fieldkit.ui.dialogs.setup_wizard import SetupWizard
from fieldkit.ui.dialogs.subject_dialog import SubjectDialog
from fieldkit.ui.main_window import MainWindow
from fieldkit.ui.models.checkable_list import CheckableListModel
from fieldkit.ui.widgets.date_input import DateInput
from fieldkit.ui.widgets.document_editor import DocumentEditor
from fieldkit.ui.widgets.documents_page import DocumentsPage
from fieldkit.ui.widgets.exchange_page import ExchangePage
from fieldkit.ui.widgets.form_fields import ChoiceField, DateField, TextAreaField, TextField
from fieldkit.ui.widgets.lock_screen import LockScreen
from fieldkit.ui.widgets.qa_editor import QAEditor
from fieldkit.ui.widgets.subjects_page import SubjectsPage
from tests.conftest import Clock
from tests.rawdb import TEST_PASSWORD
from tests.ui.conftest import fill_admin, valid_uscc
from tests.ui.keys import type_text
from tests.ui.photos import make_photo

TIMEOUT = 30_000
SUBJECT = "临沂市金源家超市有限公司"
QA = [
    ("你与当事人是什么关系？", "我是店长，负责日常经营。"),
    ("货架上的过期酸奶是谁负责下架的？", "是店员负责，没有及时下架。"),
]
OFFICERS = [
    ("张建国", "37130219001", "综合行政执法大队"),
    ("李晓梅", "37130219002", "综合行政执法大队"),
    ("王喆", "37130219003", "食品药品稽查中队"),
]


PAGES = {"1": "dashboard", "2": "inspections", "3": "documents", "4": "subjects", "5": "exchange"}


def nav(qtbot: QtBot, window: MainWindow, key: str) -> None:
    """The n-th entry of the navigation on the left, clicked (Ctrl+<n> needs the window active)."""
    item = window.nav.item(int(key) - 1)
    rect = window.nav.visualItemRect(item)
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_key() == PAGES[key]


def tick(model: CheckableListModel, key: str) -> None:
    """What a click on the check box does."""
    row = next(r for r in range(model.rowCount()) if model.choice(r).key == key)
    model.setData(model.index(row), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)


def set_date(qtbot: QtBot, edit: DateInput, day: dt.date) -> None:
    """Typed as an officer would: 8 digits, then Enter."""
    edit.line.clear()
    qtbot.keyClicks(edit.line, f"{day:%Y%m%d}")
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    assert edit.value() == day


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    return printer


def first_run_setup(qtbot: QtBot, ctx: Context, device_code: str) -> None:
    """The wizard a fresh data dir opens with (run_gui), filled through its fields."""
    assert not is_set_up(ctx)
    wizard = SetupWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    form = wizard.agency_page.form
    type_text(form.full_name, "临沂市兰山区市场监督管理局")
    type_text(form.short_name, "兰")
    type_text(form.government, "临沂市兰山区人民政府")
    type_text(form.unit, "综合行政执法大队")
    type_text(form.phone, "0539-8123456")
    wizard.next()
    assert wizard.currentPage() is wizard.officers_page
    model = wizard.officers_page.model  # the officers table: one cell edit per column
    for row, values in enumerate(OFFICERS):
        for column, value in enumerate(values):
            model.setData(model.index(row, column), value)
    wizard.next()
    fill_admin(wizard)
    assert wizard.currentPage() is wizard.device_page
    qtbot.keyClicks(wizard.device_page.code_edit, device_code.lower())
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert is_set_up(ctx) and load_settings(ctx).device_code == device_code


def main_window(qtbot: QtBot, ctx: Context) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def answer_file_dialogs(monkeypatch: pytest.MonkeyPatch, answers: list[object]) -> None:
    """The native file dialogs, answered in order (Qt cannot drive them offscreen)."""

    def answer(*_args: object, **_kwargs: object) -> tuple[object, str]:
        return answers.pop(0), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(answer))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(answer))


def new_document(qtbot: QtBot, window: MainWindow, form_id: str) -> DocumentEditor:
    """文书… in the inspection editor → 新建文书 (the form chosen, the inspection given) → 新建."""
    nav(qtbot, window, "2")
    editor = window.inspections_page().editor
    qtbot.mouseClick(editor.document_button, Qt.MouseButton.LeftButton)
    page = window.page("documents")
    assert isinstance(page, DocumentsPage) and window.current_key() == "documents"
    dialog = page.new_dialog
    assert dialog is not None and dialog.isVisible() and dialog.matter_id == editor.inspection_id
    # the linked matter as its kind describes it: 检查, the party, the type's label, the day
    assert (
        dialog.inspection_label.text().startswith("检查 ") and "routine" not in dialog.inspection_label.text()
    )
    dialog.select_form(form_id)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    doc = page.editor.document
    assert page.stack.currentWidget() is page.editor and doc is not None and doc.form_id == form_id
    assert doc.matter_id == editor.inspection_id
    return page.editor


def test_a_whole_visit_from_first_run_to_the_office(
    qtbot: QtBot,
    fk_app: QApplication,
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started = time.monotonic()
    laptop = open_context(tmp_path / "laptop", clock=clock)
    office = open_context(tmp_path / "office", clock=clock)
    today = laptop.today()

    # ---- 1. first run on the laptop ------------------------------------------------------------
    first_run_setup(qtbot, laptop, "A1")
    window = main_window(qtbot, laptop)
    assert window.device_label.text() == "本机编号：A1"

    # ---- 2. find the subject (added first: the store is empty) ---------------------------------
    nav(qtbot, window, "4")
    page = window.page("subjects")
    assert isinstance(page, SubjectsPage) and page.search.model.rowCount() == 0
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(SubjectDialog)
    assert dialog is not None and dialog.isVisible()
    type_text(dialog.edits["name"], SUBJECT)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(SubjectType.ENTERPRISE))
    type_text(dialog.edits["uscc"], valid_uscc(11))
    type_text(dialog.edits["legal_rep"], "赵堃")
    type_text(dialog.edits["address"], "山东省临沂市兰山区人民路1号")
    dialog.buttons.accepted.emit()  # 保存
    assert dialog.saved_id is not None and not dialog.isVisible()
    subject_id = dialog.saved_id

    page.search.search_edit.setFocus()
    page.search.search_edit.clear()
    type_text(page.search.search_edit, "金源")  # two characters find it
    qtbot.waitUntil(lambda: page.search.model.rowCount() == 1, timeout=3000)
    table = page.search.table
    rect = table.visualRect(page.search.model.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.search.selected_id() == subject_id and page.inspect_button.isEnabled()

    # ---- 3. new inspection: two officers, two domains, one 不符合 by keyboard -----------------------
    qtbot.mouseClick(page.inspect_button, Qt.MouseButton.LeftButton)
    assert window.current_key() == "inspections"
    editor = window.inspections_page().editor
    inspection_id = editor.inspection_id
    assert inspection_id is not None
    assert editor.form.subject_label.text() == SUBJECT
    assert editor.form.place_edit.text() == "山东省临沂市兰山区人民路1号"  # from the subject
    officers = load_settings(laptop).active_officers
    tick(editor.form.officer_model, str(officers[0].id))
    tick(editor.form.officer_model, str(officers[1].id))
    assert not editor.form.officer_warning.isVisibleTo(editor)
    tick(editor.form.domain_model, "food_business")
    tick(editor.form.domain_model, "price_display")
    checks = editor.checks.table
    checks.setFocus()
    checks.selectRow(0)
    qtbot.keyClick(checks, Qt.Key.Key_1)  # 符合
    qtbot.keyClick(checks, Qt.Key.Key_2)  # 不符合
    qtbot.keyClick(checks, Qt.Key.Key_3)  # 不涉及
    assert [editor.check_model.entry(r).result for r in range(3)] == [
        CheckResult.PASS,
        CheckResult.FAIL,
        CheckResult.NOT_APPLICABLE,
    ]
    failed = editor.check_model.entry(1)
    assert editor.outcome.failed_label.text().startswith("不符合项 1 项：1. " + failed.text[:10])
    clock.advance(minutes=50)  # the visit took a while: an inspection of no duration is refused
    qtbot.mouseClick(editor.form.now_button, Qt.MouseButton.LeftButton)
    type_text(editor.outcome.findings_edit, "货架上有超过保质期的酸奶 12 盒，已责令下架。")
    assert editor.save_now()

    # ---- 4. 现场笔录 and 询问笔录 through 文书… ------------------------------------------------------
    bilu = new_document(qtbot, window, "xianchang_bilu")
    assert bilu.document is not None and bilu.form is not None
    xianchang_id = bilu.document.id
    assert bilu.document.values["place"] == "山东省临沂市兰山区人民路1号"  # from the inspection
    findings = bilu.form.field("findings")
    assert isinstance(findings, TextAreaField)
    findings.edit.setFocus()
    type_text(findings.edit, "经检查，该店货架上陈列超过保质期的酸奶 12 盒。")
    assert bilu.save_now()

    xunwen = new_document(qtbot, window, "xunwen_bilu")
    assert xunwen.document is not None and xunwen.form is not None
    xunwen_id = xunwen.document.id
    qa = xunwen.form.field("qa")
    assert isinstance(qa, QAEditor)
    for i, (q, a) in enumerate(QA):
        type_text(qa.pairs[i].q_edit, q)
        type_text(qa.pairs[i].a_edit, a)
        if i < len(QA) - 1:  # Ctrl+Enter: the next pair
            qtbot.keyClick(qa.pairs[i].a_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [p.number_label.text() for p in qa.pairs] == ["第 1 组", "第 2 组"]
    expected_qa = [{"q": q, "a": a} for q, a in QA]
    qtbot.waitUntil(  # no button: the autosave keeps it
        lambda: documents.load_document(laptop, xunwen_id).values.get("qa") == expected_qa, timeout=5000
    )

    # ---- 5. three photos as evidence, through the evidence panel --------------------------------
    nav(qtbot, window, "2")
    qtbot.mouseClick(editor.evidence_button, Qt.MouseButton.LeftButton)
    evidence_dialog = editor.evidence_dialog
    assert evidence_dialog is not None and evidence_dialog.isVisible()
    panel = evidence_dialog.evidence
    qtbot.mouseClick(panel.add_item_button, Qt.MouseButton.LeftButton)
    item_dialog = panel.dialog
    assert item_dialog is not None and item_dialog.isVisible()
    type_text(item_dialog.name_edit, "货架现场照片")
    item_dialog.kind_combo.setCurrentIndex(item_dialog.kind_combo.findData(EvidenceKind.AUDIOVISUAL))
    item_dialog.buttons.accepted.emit()  # 确定
    assert panel.dialog is None and panel.selected_id() is not None
    card = tmp_path / "card"
    card.mkdir()
    photos = [
        make_photo(card / f"IMG_{i + 1:04d}.jpg", dt.datetime(2026, 3, 2, 9, 41 + i), seed=i)
        for i in range(3)
    ]
    answer_file_dialogs(monkeypatch, [[str(p) for p in photos]])
    with qtbot.waitSignal(panel.files_added, timeout=TIMEOUT) as added:
        qtbot.mouseClick(panel.add_files_button, Qt.MouseButton.LeftButton)  # 添加文件…
    assert added.args[0].added == 3 and not added.args[0].failed
    assert panel.file_model.rowCount() == 3
    [item] = evidence.list_evidence(laptop, inspection_id)
    assert sorted(f.sha256 for f in item.files) == sorted(
        hashlib.sha256(p.read_bytes()).hexdigest() for p in photos
    )
    if panel.report_dialog is not None:
        panel.report_dialog.close()
    evidence_dialog.close()

    # ---- 6. 责令改正通知书 with a deadline: refused for the missing date, then printed --------------
    zeling = new_document(qtbot, window, "zeling_gaizheng")
    assert zeling.document is not None and zeling.form is not None
    zeling_id = zeling.document.id
    for key, text in (
        ("facts", "在经营场所销售超过保质期的“某某牌”酸奶12盒"),
        ("violated", "《中华人民共和国食品安全法》第三十四条第（十）项"),
        ("basis", "《中华人民共和国行政处罚法》第二十八条第一款"),
        ("requirements", "立即将超过保质期的食品下架并销毁，建立临期食品检查制度。"),
    ):
        widget = zeling.form.field(key)
        assert isinstance(widget, TextField | TextAreaField)
        widget.edit.setFocus()
        type_text(widget.edit, text)
    mode = zeling.form.field("correction_mode")
    assert isinstance(mode, ChoiceField)
    mode.buttons["限期改正"].click()  # a deadline … which is not filled in yet

    refused_pdf = tmp_path / "refused.pdf"
    zeling.print_document(printer=pdf_printer(refused_pdf))
    problems = zeling.printing.problems_dialog
    assert problems is not None and problems.isVisible()
    messages = problems.messages()
    assert any(m.startswith("限期改正的截止日期：") for m in messages), messages
    assert problems.print_anyway_button is None  # a hard problem: no 仍然打印
    assert zeling.form.errors.label("correction_deadline").isVisibleTo(zeling)
    problems.reject()
    assert documents.load_document(laptop, zeling_id).status == DocState.DRAFT
    assert not refused_pdf.exists()

    deadline = today + dt.timedelta(days=10)
    deadline_field = zeling.form.field("correction_deadline")
    assert isinstance(deadline_field, DateField)
    set_date(qtbot, deadline_field.edit, deadline)
    zeling.printing.open_signatures_after_print = False
    printed_pdf = tmp_path / "责令改正通知书.pdf"
    with qtbot.waitSignal(zeling.printed, timeout=TIMEOUT) as printed:
        zeling.print_document(printer=pdf_printer(printed_pdf))
    result = printed.args[0]
    assert result.action == "finalise"
    assert printed_pdf.read_bytes().startswith(b"%PDF") and printed_pdf.stat().st_size > 10_000
    final = documents.load_document(laptop, zeling_id)
    assert final.status == DocState.FINAL and final.values["correction_deadline"] == deadline.isoformat()
    assert final.number is not None and final.number.startswith("兰市监责改〔2026〕A1-")
    assert hashlib.sha256(documents.stored_pdf(laptop, zeling_id)).hexdigest() == result.pdf_sha256

    # ---- 7. complete the inspection: 责令改正 with the same deadline -----------------------------
    nav(qtbot, window, "2")
    for action in editor.checks.all_pass_menu.actions():
        action.trigger()  # 未填项全部符合
    editor.outcome.radios[Outcome.RECTIFY].click()
    set_date(qtbot, editor.outcome.deadline_edit, deadline)
    qtbot.mouseClick(editor.complete_button, Qt.MouseButton.LeftButton)
    record = inspections.load_inspection(laptop, inspection_id)
    assert record.status is InspectionStatus.COMPLETED, editor.problems_banner.text()
    assert [o.name for o in record.draft.officers] == [officers[0].name, officers[1].name]
    assert record.draft.domains == ("food_business", "price_display")
    assert [c.result for c in record.draft.checks].count(CheckResult.FAIL) == 1

    # ---- 8. export on the laptop ---------------------------------------------------------------
    nav(qtbot, window, "5")
    exchange_page = window.page("exchange")
    assert isinstance(exchange_page, ExchangePage)
    usb = tmp_path / "usb"
    usb.mkdir()
    exchange_page.folder_edit.setText(str(usb))
    with qtbot.waitSignal(exchange_page.export_finished, timeout=TIMEOUT) as exported:
        qtbot.mouseClick(exchange_page.export_button, Qt.MouseButton.LeftButton)
    bundle = exported.args[0].path
    assert bundle.parent == usb and bundle.suffix == ".fkb"
    device_pem = usb / "A1.pub.pem"  # the laptop's key goes to the office on the same stick
    assert exchange_page.device_key.save_to(device_pem)
    laptop_fingerprint = exchange_page.device_key.fingerprint_label.text()
    window.close()

    # ---- 9. the office: its own first run, trust the laptop, import ----------------------------
    first_run_setup(qtbot, office, "OF")
    office_window = main_window(qtbot, office)
    # Import and trust are the 办公室's work (issue 13.1): the administrator gives 李晓梅 that role and a
    # password, and she switches in at the lock screen.
    li = access.officer_id_by_cert(office, "37130219002")
    access.set_password(office, li, TEST_PASSWORD, role=Role.OFFICE)
    assert office_window.lock("switch")
    cover = LockScreen.of(office_window)
    assert cover is not None
    cover.form.officer_combo.setCurrentIndex(cover.form.officer_combo.findText("李晓梅"))
    type_text(cover.form.password_edit, TEST_PASSWORD)
    qtbot.keyClick(cover.form.password_edit, Qt.Key.Key_Return)
    assert office.actor == "李晓梅" and not office_window.lock_controller.is_locked()
    nav(qtbot, office_window, "5")
    office_page = office_window.page("exchange")
    assert isinstance(office_page, ExchangePage)
    office_page.show_tab(1)
    qtbot.mouseClick(office_page.trust_button, Qt.MouseButton.LeftButton)  # 登记设备…
    trust = office_page.trust_dialog
    assert trust is not None and trust.isVisible()
    trust.load_file(device_pem)
    assert trust.fingerprint_label.text() == laptop_fingerprint  # compared with the laptop's screen
    trust.name_edit.setText("兰山所 A1 号电脑")
    trust.buttons.accepted.emit()
    assert not trust.isVisible() and office_page.device_model.rowCount() == 1

    answer_file_dialogs(monkeypatch, [str(bundle)])
    with qtbot.waitSignal(office_page.import_finished, timeout=TIMEOUT) as imported:
        qtbot.mouseClick(office_page.import_button, Qt.MouseButton.LeftButton)  # 导入数据包…
    report = imported.args[0]
    assert isinstance(report, ImportReport), report
    assert report.inserted > 0 and not report.conflicts
    report_dialog = office_page.report_dialog
    assert report_dialog is not None and report_dialog.origin.text().startswith(
        "来自 A1 号设备，导出人 张建国"
    )
    report_dialog.close()

    # ---- 10. the same records, the same PDF ----------------------------------------------------
    assert inspections.inspection_ids(office) == [inspection_id]
    here, there = (
        inspections.load_inspection(laptop, inspection_id),
        inspections.load_inspection(office, inspection_id),
    )
    assert (there.status, there.draft, there.subject_name) == (here.status, here.draft, here.subject_name)
    assert subjects.get_subject(office, subject_id).draft == subjects.get_subject(laptop, subject_id).draft

    def docs(ctx: Context) -> dict[uuid.UUID, tuple[object, ...]]:
        out = {}
        for listed in documents.list_documents(ctx, inspection_id):
            d = documents.load_document(ctx, listed.id)
            out[d.id] = (
                d.form_id,
                d.status,
                d.number,
                d.revision,
                d.values,
                [r.pdf_sha256 for r in d.revisions],
            )
        return out

    laptop_docs, office_docs = docs(laptop), docs(office)
    assert set(laptop_docs) == {xianchang_id, xunwen_id, zeling_id}
    assert office_docs == laptop_docs
    assert office_docs[xunwen_id][4]["qa"] == expected_qa  # type: ignore[index]
    office_pdf = documents.stored_pdf(office, zeling_id)
    assert hashlib.sha256(office_pdf).hexdigest() == result.pdf_sha256
    assert office_pdf == documents.stored_pdf(laptop, zeling_id)

    def files(ctx: Context) -> list[tuple[str, str, int]]:
        return sorted(
            (f.sha256, f.original_name, f.size)
            for i in evidence.list_evidence(ctx, inspection_id)
            for f in i.files
        )

    assert files(office) == files(laptop) and len(files(office)) == 3
    assert evidence.verify_files(office) == []
    office_window.close()
    assert time.monotonic() - started < 60
