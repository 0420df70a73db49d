"""Screenshots of the 文书 screens (list, editors, print problems, preview, signatures), for screenshots.py.

Also runs on its own, on fresh demo data:

    xvfb-run -a -s "-screen 0 1440x900x24" env QT_QPA_PLATFORM=xcb python tools/screenshots_documents.py [OUT_DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEvent, QPointF, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from fieldkit.services import documents  # noqa: E402
from fieldkit.services.context import Context, open_context  # noqa: E402
from fieldkit.services.demo import load_demo  # noqa: E402
from fieldkit.ui.app import create_application  # noqa: E402
from fieldkit.ui.main_window import MainWindow  # noqa: E402
from fieldkit.ui.widgets.documents_page import DocumentsPage  # noqa: E402
from fieldkit.ui.widgets.qa_editor import QAEditor  # noqa: E402
from fieldkit.ui.widgets.signature_pad import SignaturePad  # noqa: E402

WINDOW_SIZE = (1400, 860)

QA = [
    ("请介绍一下你的基本情况以及与当事人的关系。", "我叫王喆堃，是这家超市的店长，负责日常经营和进货。"),
    (
        "执法人员在你店检查时发现的“某某牌”酸奶是从何处购进的？",
        "是从临沂市兰山区某某商贸有限公司购进的，每周送一次货，有送货单。\n送货单在收银台抽屉里，可以提供。",
    ),
    ("你店何时购进的上述酸奶？购进了多少？进价是多少？", "2月20日购进24盒，进价每盒4.5元，已经卖出12盒。"),
    ("你是否知道上述酸奶已经超过保质期？", ""),
]


def _find(ctx: Context, form_id: str, status: str | None = None) -> Any:
    """A demo document of the form, in `status` when there is one; a draft is made when none is left."""
    found = [d for d in documents.list_documents(ctx) if d.form_id == form_id]
    chosen = next((d.id for d in found if status is None or d.status == status), None)
    if chosen is None and status == "draft" and found:
        source = documents.load_document(ctx, found[0].id)
        chosen = documents.create_document(ctx, form_id, source.matter_id)
        documents.save_values(ctx, chosen, source.values)
    if chosen is None:
        raise LookupError(f"演示数据中没有{form_id}")
    return chosen


def _drag(pad: SignaturePad, points: list[tuple[float, float]]) -> None:
    left, none, mods = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    for i, (x, y) in enumerate(points):
        pos = QPointF(x, y)
        glob = QPointF(pad.mapToGlobal(pos.toPoint()))
        if i == 0:
            event = QMouseEvent(QEvent.Type.MouseButtonPress, pos, glob, left, left, mods)
        elif i == len(points) - 1:
            event = QMouseEvent(QEvent.Type.MouseButtonRelease, pos, glob, left, none, mods)
        else:
            event = QMouseEvent(QEvent.Type.MouseMove, pos, glob, none, left, mods)
        QApplication.sendEvent(pad, event)


def _write_name(pad: SignaturePad) -> None:
    """Something like a hurried signature: a loop, a long stroke and a tick."""
    import math

    _drag(pad, [(90 + 70 * t / 40 + 25 * math.sin(t / 3), 130 - 45 * math.sin(t / 6)) for t in range(0, 60)])
    _drag(pad, [(200 + 6 * i, 95 + 40 * math.sin(i / 5) + i) for i in range(45)])
    _drag(pad, [(470 + 4 * i, 150 - 2.5 * i * (1 if i < 10 else -1.2)) for i in range(20)])


def shoot_screen(shooter: Any, window: QWidget, name: str) -> None:
    """The screen under the window: unlike grab(), this shows open menus (they are windows of their own)."""
    shooter.settle(300)
    rect = window.geometry()
    screen = window.screen()
    pixmap = screen.grabWindow(0, rect.x(), rect.y(), rect.width(), rect.height())
    path = shooter.out / f"{name}.png"
    if not pixmap.save(str(path)):
        raise RuntimeError(f"cannot save {path}")
    shooter.saved.append(path)
    print(path)


def document_shots(shooter: Any, ctx: Context) -> None:
    """shooter: tools/screenshots.Shooter (settle() and shoot(widget, name))."""
    window = MainWindow(ctx)
    window.resize(*WINDOW_SIZE)
    window.show()
    page = window.show_page("documents")
    assert isinstance(page, DocumentsPage)
    page.select(_find(ctx, "zeling_gaizheng"))
    shooter.shoot(window, "60-documents-page")

    dialog = page.ask_new_document()
    dialog.select_form("xunwen_bilu")
    shooter.shoot(dialog, "61-new-document")
    dialog.reject()

    editor = page.open_document(_find(ctx, "xianchang_bilu", "draft"))
    shooter.shoot(window, "62-editor-xianchang-bilu")
    assert editor.form is not None
    findings = editor.form.field("findings")
    editor.scroll.ensureWidgetVisible(findings, 0, 40)
    button = getattr(findings, "phrase_button", None)
    if button is not None:
        menu = button.menu()
        menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
        shooter.settle(200)
        group = menu.actions()[2]
        menu.setActiveAction(group)
        sub = group.menu()
        sub.popup(menu.mapToGlobal(menu.actionGeometry(group).topRight()))
        sub.setActiveAction(sub.actions()[0])
        shoot_screen(shooter, window, "63-editor-phrases")
        sub.hide()
        menu.hide()

    # A 询问笔录 being written: a copy of the demo's, with the Q&A typed so far.
    final = documents.load_document(ctx, _find(ctx, "xunwen_bilu", "final"))
    draft_id = documents.create_document(ctx, "xunwen_bilu", final.matter_id)
    documents.save_values(
        ctx, draft_id, {**final.values, "qa": [{"q": q, "a": a} for q, a in QA], "sequence": 2}
    )
    editor = page.open_document(draft_id)
    assert editor.form is not None
    qa = editor.form.field("qa")
    assert isinstance(qa, QAEditor)
    qa.pairs[-1].q_edit.setFocus()
    shooter.settle()
    editor.scroll.verticalScrollBar().setValue(editor.scroll.verticalScrollBar().maximum())
    shooter.shoot(window, "64-editor-xunwen-bilu-qa")

    # 当场处罚 of ¥500 to a person: over the 行政处罚法 第五十一条 limit, and 当场收缴 reminders.
    penalty_id = documents.create_document(ctx, "dangchang_chufa", final.matter_id)
    values = documents.load_document(ctx, penalty_id).values
    documents.save_values(
        ctx,
        penalty_id,
        {
            **values,
            "party_type": "自然人",
            "penalty_kinds": ["罚款"],
            "fine": 50_000,
            "payment_method": "当场收缴",
            "facts": "在经营场所销售超过保质期的酸奶 12 盒",
        },
    )
    editor = page.open_document(penalty_id)
    editor.print_document()
    problems = editor.printing.problems_dialog
    assert problems is not None
    shooter.shoot(problems, "65-print-problems")
    problems.reject()
    shooter.settle()
    shooter.shoot(window, "66-editor-problems-under-fields")

    # Only reminders (先行登记保存: decide within seven working days): 仍然打印 is offered. Shot only when the
    # demo's notice has reminders and nothing worse (printing it otherwise would open the print dialog).
    preservation = _find(ctx, "xianxing_baocun")
    found = documents.check_document(ctx, preservation)
    if found and not any(p.is_error for p in found):
        editor = page.open_document(preservation)
        editor.print_document()
        problems = editor.printing.problems_dialog
        assert problems is not None and problems.print_anyway_button is not None
        shooter.shoot(problems, "65b-print-warnings-only")
        problems.reject()

    editor = page.open_document(draft_id)
    editor.printing.preview()
    end = dt.datetime.now() + dt.timedelta(seconds=30)
    while editor.printing.preview_dialog is None and dt.datetime.now() < end:
        shooter.app.processEvents()
    preview = editor.printing.preview_dialog
    assert preview is not None
    shooter.shoot(preview, "67-preview")
    preview.set_zoom(0.5)
    shooter.shoot(preview, "67b-preview-50")
    preview.reject()

    editor = page.open_document(_find(ctx, "caiwu_qingdan", "final"))
    shooter.shoot(window, "68-editor-final-table")

    correction_shots(shooter, ctx, window, page)

    editor = page.open_document(_find(ctx, "xunwen_bilu", "final"))  # names from the record
    signatures = editor.printing.open_signatures()
    assert signatures is not None
    party = signatures.rows[0]
    party.state_buttons["refused"].click()
    signatures.save()  # refused without a witness: the service says what is missing
    shooter.shoot(signatures, "70-signatures-refused")
    signatures.rows[1].capture_button.click()
    pad_dialog = signatures.pad_dialog
    assert pad_dialog is not None
    shooter.settle()
    _write_name(pad_dialog.pad)
    shooter.shoot(pad_dialog, "71-signature-pad")
    pad_dialog.ok_button.click()
    party.witness_edit.setText("赵堃（隔壁商户负责人）")
    party.note_edit.setText("拒绝在笔录上签名，已全程录像")
    shooter.shoot(signatures, "72-signatures")
    signatures.reject()

    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from fieldkit.ui import strings
    from fieldkit.ui.pdf_printer import prepare_printer

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare_printer(printer, "询问笔录")
    print_dialog = QPrintDialog(printer, window)
    print_dialog.setWindowTitle(strings.DOC_PRINT_DIALOG_TITLE)
    print_dialog.show()
    shooter.shoot(print_dialog, "73-print-dialog")
    print_dialog.reject()
    window.close()


def correction_shots(shooter: Any, ctx: Context, window: QWidget, page: DocumentsPage) -> None:
    """A 现场笔录 taken over from an inspection that found problems; 更正 of a printed notice (the two
    paths), a 笔误 correction with the substantive fields locked; the numbered blanks ledger."""
    from fieldkit.domain.checklists import CheckResult
    from fieldkit.services import inspections, measures

    with_measures = {m.matter_id for m in measures.list_measures(ctx)}
    candidates = [
        i.id
        for i in inspections.recent_inspections(ctx, 50)
        if any(c.result is CheckResult.FAIL for c in inspections.load_inspection(ctx, i.id).draft.checks)
    ]
    failing = next((i for i in candidates if i in with_measures), candidates[0] if candidates else None)
    if failing is not None:
        if failing not in with_measures:  # show a measure taken over as a ticked box
            from fieldkit.domain.measures import GoodsLine, MeasureDraft, MeasureKind

            measures.add_measure(
                ctx,
                failing,
                MeasureDraft(
                    MeasureKind.PRESERVATION,
                    decided_on=ctx.today(),
                    storage_place="当事人仓库",
                    items=(GoodsLine("涉嫌无3C认证的电热水壶", quantity="6", unit="台"),),
                ),
            )
        record_id = documents.create_document(ctx, "xianchang_bilu", failing)
        editor = page.open_document(record_id)
        assert editor.form is not None
        editor.scroll.ensureWidgetVisible(editor.form.field("findings"), 0, 200)
        shooter.shoot(window, "62b-editor-xianchang-from-inspection")

    numbered = next(d.id for d in documents.list_documents(ctx) if d.status == "final" and d.number)
    editor = page.open_document(numbered)
    dialog_seen: list[QWidget] = []

    def shoot_choice() -> None:
        dialog = editor.correction_dialog
        if dialog is not None:
            shooter.shoot(dialog, "69-correction-choice")
            dialog_seen.append(dialog)
            dialog.clerical_button.click()

    QTimer.singleShot(300, shoot_choice)
    editor.start_correction()
    shooter.settle()
    editor.scroll.verticalScrollBar().setValue(0)
    shooter.shoot(window, "69b-editor-correcting-locked")
    editor.cancel_correction(confirmed=True)

    blanks = page.open_numbered_blanks()
    ids = documents.issue_numbered_blanks(ctx, "dangchang_chufa", 4)
    documents.void_document(ctx, ids[1], "填写错误，已撕毁")
    documents.use_numbered_blank(ctx, ids[0])
    blanks.refresh()
    shooter.shoot(blanks, "69c-numbered-blanks")
    blanks.reject()


def main() -> int:
    from tools.screenshots import Shooter

    parser = argparse.ArgumentParser(description="文书界面截图（演示数据）")
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([sys.argv[0]])
    shooter = Shooter(app, out)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(Path(tmp) / "demo")
        load_demo(ctx)
        document_shots(shooter, ctx)
        ctx.sessions.kw["bind"].dispose()
    QTimer.singleShot(0, app.quit)
    app.exec()
    print(f"{len(shooter.saved)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
