"""Evidence through the panel: a camera card imported as a job, cancel, drag and drop, reasons, verify."""

from __future__ import annotations

import datetime as dt
import os
import stat
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QPixmap
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldkit.domain.evidence import EvidenceDraft, EvidenceKind
from fieldkit.errors import Cancelled
from fieldkit.services import evidence, inspections
from fieldkit.services.context import Context
from fieldkit.services.evidence import AddFilesReport
from fieldkit.ui.models.evidence_tables import EvidenceFileTableModel
from fieldkit.ui.widgets.evidence_panel import EvidencePanel
from tests.ui.conftest import add_subjects
from tests.ui.photos import camera_card, make_photo

JOB_TIMEOUT = 30_000


def new_inspection(ctx: Context) -> uuid.UUID:
    (subject,) = add_subjects(ctx, ["临沂市金源家超市有限公司"])
    return inspections.new_inspection(ctx, subject)  # type: ignore[arg-type]


@pytest.fixture
def panel(qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context) -> EvidencePanel:
    widget = EvidencePanel(set_up_ctx, new_inspection(set_up_ctx))
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    return widget


def add_item(panel: EvidencePanel, ctx: Context, name: str = "现场照片") -> uuid.UUID:
    item_id = evidence.add_evidence_item(ctx, panel.matter_id, EvidenceDraft(name=name))
    panel.reload()
    panel.select(item_id)
    return item_id


def test_a_camera_card_is_imported_with_thumbnails_and_exif(
    qtbot: QtBot, panel: EvidencePanel, set_up_ctx: Context, tmp_path: Path
) -> None:
    item_id = add_item(panel, set_up_ctx)
    card = camera_card(tmp_path / "card", 5)
    with qtbot.waitSignal(panel.files_added, timeout=JOB_TIMEOUT) as blocker:
        panel.start_add_files(item_id, [card])
    report = blocker.args[0]
    assert isinstance(report, AddFilesReport) and report.added == 5 and not report.failed

    model = panel.file_model
    assert model.rowCount() == 5
    for row in range(5):
        thumb = model.index(row, 0).data(Qt.ItemDataRole.DecorationRole)
        assert isinstance(thumb, QPixmap) and not thumb.isNull() and thumb.width() <= 96
    assert model.index(0, 0).data() == "IMG_0001.jpg"
    assert model.index(0, 2).data() == "2026-03-02 09:41:00"  # EXIF capture time, Beijing time
    assert model.index(0, 3).data().startswith("北纬 35.05")
    assert model.index(0, 4).data() == "HUAWEI Mate 60"
    sha = evidence.list_evidence(set_up_ctx, panel.matter_id)[0].files[0].sha256
    assert model.index(0, EvidenceFileTableModel.HASH_COLUMN).data() == sha[:16]
    assert sha in model.index(0, EvidenceFileTableModel.HASH_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, EvidenceFileTableModel.EXIF_COLUMN).data() == "正常"
    assert panel.model.index(0, 5).data().startswith("5 个")

    panel.file_table.selectRow(0)
    panel.copy_selected_hashes()
    assert QApplication.clipboard().text() == sha
    dialog = panel.report_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.banner.text().startswith("新增 5 个文件")

    # The same card again: nothing stored twice.
    with qtbot.waitSignal(panel.files_added, timeout=JOB_TIMEOUT) as blocker:
        panel.start_add_files(item_id, [card])
    assert blocker.args[0].added == 0 and blocker.args[0].already_attached == 5
    assert panel.file_model.rowCount() == 5


def test_a_broken_jpeg_is_kept_and_marked_exif_unreadable(
    qtbot: QtBot, panel: EvidencePanel, set_up_ctx: Context, tmp_path: Path
) -> None:
    item_id = add_item(panel, set_up_ctx)
    good = make_photo(tmp_path / "IMG_0001.jpg", dt.datetime(2026, 3, 2, 9, 0))
    broken = tmp_path / "IMG_0002.jpg"
    broken.write_bytes(good.read_bytes()[:300])  # cut inside the EXIF block
    with qtbot.waitSignal(panel.files_added, timeout=JOB_TIMEOUT):
        panel.start_add_files(item_id, [good, broken])
    exif = [panel.file_model.index(r, EvidenceFileTableModel.EXIF_COLUMN).data() for r in range(2)]
    assert exif == ["正常", "不可读"]
    unreadable = panel.file_model.index(1, EvidenceFileTableModel.EXIF_COLUMN)
    assert unreadable.data(Qt.ItemDataRole.ForegroundRole).name() == "#b3261e"
    assert "EXIF" in unreadable.data(Qt.ItemDataRole.ToolTipRole)
    assert not isinstance(panel.file_model.index(1, 0).data(Qt.ItemDataRole.DecorationRole), QPixmap)


def test_cancel_mid_import_keeps_only_whole_files(
    qtbot: QtBot, panel: EvidencePanel, set_up_ctx: Context, tmp_path: Path
) -> None:
    item_id = add_item(panel, set_up_ctx, "执法记录仪视频")
    folder = tmp_path / "video"
    folder.mkdir()
    sources = {}
    for i in range(40):
        data = os.urandom(768 * 1024)
        (folder / f"REC_{i:03d}.mp4").write_bytes(data)
        sources[f"REC_{i:03d}.mp4"] = data
    with qtbot.waitSignal(panel.files_added, timeout=JOB_TIMEOUT) as blocker:
        runner = panel.start_add_files(item_id, [folder])
        qtbot.waitUntil(lambda: runner.last is not None and runner.last.files_done >= 3, timeout=JOB_TIMEOUT)
        runner.cancel()
    assert isinstance(blocker.args[0], Cancelled)

    [item] = evidence.list_evidence(set_up_ctx, panel.matter_id)
    assert 3 <= len(item.files) < 40
    store = evidence.store(set_up_ctx)
    for f in item.files:  # every attached file is whole and matches its source
        with store.open(f.sha256) as stored:
            assert store.verify(f.sha256) and stored.read() == sources[f.original_name]
    assert evidence.verify_files(set_up_ctx) == []
    assert store.discard_temp_files() == 0  # no half-copied file left behind
    assert panel.file_model.rowCount() == len(item.files)
    assert panel.banner.isVisible() and f"已添加 {len(item.files)} 个完整的文件" in panel.banner.text()


def test_files_dropped_on_an_empty_panel_go_to_a_new_item(
    qtbot: QtBot, panel: EvidencePanel, set_up_ctx: Context, tmp_path: Path
) -> None:
    card = camera_card(tmp_path / "card", 2)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(card))])
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    panel.dropEvent(drop)
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.name_edit.text() == "card"  # named after the dropped folder, to be corrected
    dialog.name_edit.setText("货架现场照片")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(EvidenceKind.AUDIOVISUAL))
    with qtbot.waitSignal(panel.files_added, timeout=JOB_TIMEOUT):
        dialog.buttons.accepted.emit()
    [item] = evidence.list_evidence(set_up_ctx, panel.matter_id)
    assert item.draft.name == "货架现场照片" and len(item.files) == 2
    assert item.draft.collected_by == ()  # no officers chosen on this draft inspection yet


def test_editing_a_finalised_item_asks_for_a_reason(
    qtbot: QtBot, panel: EvidencePanel, set_up_ctx: Context
) -> None:
    item_id = add_item(panel, set_up_ctx, "营业执照复印件")
    evidence.finalise_evidence(set_up_ctx, panel.matter_id)
    panel.reload()
    assert panel.model.index(0, 6).data() == "已定稿"

    dialog = panel.edit_item(item_id)
    assert dialog.final_banner.isVisible() and dialog.reason_edit.isVisibleTo(dialog)
    dialog.name_edit.setText("营业执照副本复印件")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible()  # refused: no reason given
    assert "变更理由" in dialog.errors.label("reason").text()
    assert evidence.list_evidence(set_up_ctx, panel.matter_id)[0].draft.name == "营业执照复印件"

    dialog.reason_edit.setText("更正名称：当事人提供的是副本")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    [item] = evidence.list_evidence(set_up_ctx, panel.matter_id)
    assert item.draft.name == "营业执照副本复印件" and item.version == 3
    assert panel.model.index(0, 1).data() == "营业执照副本复印件"


def test_verify_all_names_a_changed_file(
    qtbot: QtBot, panel: EvidencePanel, set_up_ctx: Context, tmp_path: Path
) -> None:
    item_id = add_item(panel, set_up_ctx)
    with qtbot.waitSignal(panel.files_added, timeout=JOB_TIMEOUT):
        panel.start_add_files(item_id, [camera_card(tmp_path / "card", 2)])
    with qtbot.waitSignal(panel.verify_finished, timeout=JOB_TIMEOUT) as blocker:
        panel.start_verify()
    assert blocker.args[0] == [] and "校验通过" in panel.banner.text()

    sha = evidence.list_evidence(set_up_ctx, panel.matter_id)[0].files[1].sha256
    stored = evidence.store(set_up_ctx).path_of(sha)
    stored.chmod(stat.S_IRUSR | stat.S_IWUSR)
    with stored.open("r+b") as f:
        f.seek(100)
        f.write(b"\x00\x01")
    with qtbot.waitSignal(panel.verify_finished, timeout=JOB_TIMEOUT) as blocker:
        panel.start_verify()
    assert len(blocker.args[0]) == 1
    dialog = panel.report_dialog
    assert dialog is not None and dialog.isVisible()
    [(kind, message, listed)] = dialog.lines()
    assert kind == "被改动" and listed == sha and sha[:12] in message


def test_printing_the_evidence_list_opens_the_draft_in_documents(
    qtbot: QtBot, fk_app: QApplication, set_up_ctx: Context, tmp_path: Path
) -> None:
    from fieldkit.services import documents
    from fieldkit.ui.main_window import MainWindow
    from fieldkit.ui.widgets.documents_page import DocumentsPage

    inspection_id = new_inspection(set_up_ctx)
    evidence.add_evidence_item(set_up_ctx, inspection_id, EvidenceDraft(name="现场照片"))
    window = MainWindow(set_up_ctx)
    qtbot.addWidget(window)
    window.show()
    editor = window.open_inspection(inspection_id)
    dialog = editor.open_evidence(0)
    assert dialog is not None and dialog.isVisible() and dialog.tabs.currentIndex() == 0
    assert editor.open_evidence(1) is dialog and dialog.tabs.currentIndex() == 1  # one window per inspection

    document_id = dialog.evidence.create_document("zhengju_qingdan")
    assert document_id is not None
    assert documents.load_document(set_up_ctx, document_id).form_id == "zhengju_qingdan"
    assert window.current_key() == "documents"
    page = window.page("documents")
    assert isinstance(page, DocumentsPage) and page.editor.document_id == document_id
    dialog.close()
