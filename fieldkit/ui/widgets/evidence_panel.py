"""证据 of one matter (an inspection's): items, the selected item's files with thumbnails, adding files as a job."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.formrules import rules_for
from fieldkit.domain.forms import FormGroup, form_order
from fieldkit.errors import Cancelled
from fieldkit.services import documents, evidence, evidence_views, issuing
from fieldkit.services.context import Context
from fieldkit.services.evidence import AddFilesReport, EvidenceItem
from fieldkit.services.evidence_views import AddProgress
from fieldkit.ui import strings
from fieldkit.ui.dialogs.evidence_item_dialog import EvidenceItemDialog
from fieldkit.ui.dialogs.problem_list import ProblemListDialog
from fieldkit.ui.errors import show_error
from fieldkit.ui.jobs import JobRunner, write_pool
from fieldkit.ui.models.evidence_tables import (
    THUMB_SIZE,
    EvidenceFileTableModel,
    EvidenceItemTableModel,
    HashRole,
)
from fieldkit.ui.theme import set_role
from fieldkit.ui.transfer import Report, Transfer, TransferRunner
from fieldkit.ui.widgets.matter_panel import MatterPanel
from fieldkit.ui.widgets.record_list import record_table

log = logging.getLogger(__name__)

ITEM_WIDTHS = (48, 240, 110, 200, 300, 110, 80)
FILE_WIDTHS = (290, 76, 150, 250, 150, 150)


class EvidencePanel(MatterPanel[EvidenceItem]):
    files_added = Signal(object)  # AddFilesReport, or the exception (Cancelled included)
    verify_finished = Signal(object)  # list[StoreProblem], or the exception

    TITLE = strings.EVIDENCE_ITEMS
    HINT = strings.EVIDENCE_DROP_HINT
    EMPTY = strings.EVIDENCE_EMPTY
    SORT_NAME = "evidence_items"
    WIDTHS = ITEM_WIDTHS
    STRETCH_COLUMN = 4  # 证明对象
    SPLIT_SIZES = (260, 420)

    def __init__(self, ctx: Context, matter_id: uuid.UUID, parent: QWidget | None = None) -> None:
        self._runner: JobRunner | None = None
        self._pending_drop: list[Path] = []
        self._adding: tuple[uuid.UUID, int] | None = None  # item, its file count before the job
        self.report_dialog: ProblemListDialog | None = None
        super().__init__(ctx, matter_id, parent)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        self.table.doubleClicked.connect(self._on_item_double_clicked)
        self.setAcceptDrops(True)

    # ---- MatterPanel --------------------------------------------------------------------------
    def make_model(self) -> EvidenceItemTableModel:
        return EvidenceItemTableModel(self)

    def list_records(self) -> Sequence[EvidenceItem]:
        return evidence.list_evidence(self._ctx, self.matter_id)

    def top_buttons(self) -> Sequence[QWidget]:
        self.add_item_button = QPushButton(strings.EVIDENCE_ADD_ITEM)
        self.add_item_button.setProperty("primary", True)
        self.add_item_button.clicked.connect(self._on_add_item_clicked)
        self.edit_item_button = QPushButton(strings.EDIT)
        self.edit_item_button.clicked.connect(self._on_edit_item_clicked)
        self.verify_button = QPushButton(strings.EVIDENCE_VERIFY_ALL)
        self.verify_button.clicked.connect(self._on_verify_clicked)
        self.print_button = QPushButton(strings.EVIDENCE_PRINT)
        menu = QMenu(self.print_button)
        offered = [f for f in documents.available_forms() if f.group is FormGroup.EVIDENCE]
        for form in sorted(offered, key=form_order):  # forms/*.toml: group = "evidence", order
            action = menu.addAction(strings.evidence_print(form.title, rules_for(form.id).needs_record))
            action.triggered.connect(lambda _checked=False, f=form.id: self.create_document(f))
        self.print_button.setMenu(menu)
        return (self.verify_button, self.print_button, self.edit_item_button, self.add_item_button)

    def build_details(self) -> QWidget:
        self.files_title = QLabel(strings.EVIDENCE_FILES)
        set_role(self.files_title, "sectionTitle")
        self.add_files_button = QPushButton(strings.EVIDENCE_ADD_FILES)
        self.add_files_button.clicked.connect(self._on_add_files_clicked)
        self.add_folder_button = QPushButton(strings.EVIDENCE_ADD_FOLDER)
        self.add_folder_button.clicked.connect(self._on_add_folder_clicked)
        self.copy_hash_button = QPushButton(strings.EVIDENCE_COPY_HASH)
        self.copy_hash_button.clicked.connect(self.copy_selected_hashes)
        files_bar = QHBoxLayout()
        files_bar.addWidget(self.files_title, 1)
        files_bar.addWidget(self.copy_hash_button)
        files_bar.addWidget(self.add_folder_button)
        files_bar.addWidget(self.add_files_button)

        self.file_model = EvidenceFileTableModel(
            partial(evidence_views.thumbnail_bytes, self._ctx),
            self,
            placeholder=self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon),
        )
        # Several files may be selected: 复制哈希 copies theirs.
        self.file_table = record_table(self.file_model, single=False, framed=False, row_height=None)
        self.file_table.setIconSize(THUMB_SIZE)
        self.file_table.verticalHeader().setDefaultSectionSize(THUMB_SIZE.height() + 8)
        for column, width in enumerate(FILE_WIDTHS):
            self.file_table.setColumnWidth(column, width)
        self.file_table.horizontalHeader().setSectionResizeMode(
            EvidenceFileTableModel.EXIF_COLUMN, QHeaderView.ResizeMode.Stretch
        )
        copy_action = QAction(strings.EVIDENCE_COPY_HASH, self.file_table)
        copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy_action.triggered.connect(self.copy_selected_hashes)
        self.file_table.addAction(copy_action)
        self.file_table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.files_empty = QLabel(strings.EVIDENCE_NO_FILES)
        set_role(self.files_empty, "hint")
        self.files_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 6, 0, 0)
        lower_layout.addLayout(files_bar)
        lower_layout.addWidget(self.files_empty)
        lower_layout.addWidget(self.file_table, 1)
        return lower

    def show_selected(self) -> None:
        item = self.selected()
        files = item.files if item is not None else ()
        self.file_model.set_files(files)
        self.files_empty.setVisible(not files)
        self.file_table.setVisible(bool(files))
        self.files_title.setText(
            strings.EVIDENCE_FILES
            if item is None
            else strings.files_of(item.draft.name, len(files), item.total_size)
        )
        for button in (self.add_files_button, self.add_folder_button, self.edit_item_button):
            button.setEnabled(item is not None)
        self.copy_hash_button.setEnabled(bool(files))

    def dialog_accepted(self, saved_id: uuid.UUID | None) -> None:
        if saved_id is not None and self._pending_drop:  # files dropped with no item selected
            paths, self._pending_drop = self._pending_drop, []
            self.start_add_files(saved_id, paths)  # they go to the new item

    def dialog_rejected(self) -> None:
        self._pending_drop = []

    # ---- items ----------------------------------------------------------------------------------
    def new_item(self, name: str = "") -> EvidenceItemDialog:
        """Opens the dialog (not modal to the app); the list reloads when it is saved."""
        dialog = EvidenceItemDialog(self._ctx, self.matter_id, None, self, name=name)
        self.open_dialog(dialog)
        return dialog

    def edit_item(self, item_id: uuid.UUID) -> EvidenceItemDialog:
        item = next(i for i in self.list_records() if i.id == item_id)
        dialog = EvidenceItemDialog(self._ctx, self.matter_id, item, self)
        self.open_dialog(dialog)
        return dialog

    def _on_add_item_clicked(self) -> None:
        self.new_item()

    def _on_edit_item_clicked(self) -> None:
        if (item_id := self.selected_id()) is not None:
            self.edit_item(item_id)

    def _on_item_double_clicked(self, *_args: object) -> None:
        self._on_edit_item_clicked()

    # ---- files ----------------------------------------------------------------------------------
    def _on_add_files_clicked(self) -> None:
        if (item_id := self.selected_id()) is None:
            return
        names, _filter = QFileDialog.getOpenFileNames(self, strings.EVIDENCE_CHOOSE_FILES)
        if names:
            self.start_add_files(item_id, [Path(n) for n in names])

    def _on_add_folder_clicked(self) -> None:
        if (item_id := self.selected_id()) is None:
            return
        folder = QFileDialog.getExistingDirectory(self, strings.EVIDENCE_CHOOSE_FOLDER)
        if folder:
            self.start_add_files(item_id, [Path(folder)])

    def start_add_files(
        self, item_id: uuid.UUID, paths: list[Path], pool: QThreadPool | None = None
    ) -> TransferRunner:
        """Copies the files into the evidence store on the write pool; 取消 keeps whole files only."""
        ctx = self._ctx

        def work(report: Report, cancelled: object) -> AddFilesReport:
            def counted(p: AddProgress) -> None:
                report(Transfer(p.done_bytes, p.total_bytes, p.files_done, p.files_total))

            return evidence_views.add_files_counted(
                ctx,
                item_id,
                paths,
                report=counted,
                cancelled=cancelled,  # type: ignore[arg-type]
            )

        self.banner.hide()
        self._adding = (item_id, self._file_count(item_id))
        runner = TransferRunner(self, work, strings.EVIDENCE_ADDING, pool or write_pool())
        runner.finished.connect(self._on_add_finished)
        runner.failed.connect(self._on_add_failed)
        self._runner = runner
        self._set_busy(True)
        runner.start()
        return runner

    def _file_count(self, item_id: uuid.UUID) -> int:
        item = self.model.record_at(self.model.row_of(item_id))
        return 0 if item is None else len(item.files)

    def _set_busy(self, busy: bool) -> None:
        for button in (self.add_files_button, self.add_folder_button, self.verify_button):
            button.setEnabled(not busy)
        self.setAcceptDrops(not busy)

    def _on_add_finished(self, report: object) -> None:
        self._runner = None
        self._adding = None
        self._set_busy(False)
        self.reload()
        assert isinstance(report, AddFilesReport)
        lines = [(Path(f["file"]).name, f["reason"]) for f in report.failed]
        dialog = ProblemListDialog(
            strings.EVIDENCE_ADD_REPORT_TITLE,
            strings.add_files_summary(
                report.added, report.bytes, report.already_attached, len(report.failed)
            ),
            (strings.COL_FILE, strings.COL_REASON),
            lines,
            self,
            kind="warning" if report.failed else "info",
            note=strings.EVIDENCE_ADD_NOTE,
            widths=(220,),
        )
        self.report_dialog = dialog
        dialog.open()
        self.files_added.emit(report)

    def _on_add_failed(self, exc: object) -> None:
        self._runner = None
        self._set_busy(False)
        self.reload()
        if isinstance(exc, Cancelled):
            item_id, before = self._adding or (None, 0)
            added = 0 if item_id is None else self._file_count(item_id) - before
            self.banner.set_kind("warning")
            self.banner.show_text(strings.add_files_cancelled(added))
        elif isinstance(exc, BaseException):
            show_error(self, exc)
        self._adding = None
        self.files_added.emit(exc)

    @property
    def runner(self) -> JobRunner | None:
        """The job running now (adding files or verifying), if any."""
        return self._runner

    def copy_selected_hashes(self) -> None:
        rows = self.file_table.selectionModel().selectedRows() or [
            self.file_model.index(r, 0) for r in range(self.file_model.rowCount())
        ]
        hashes = [str(self.file_model.data(i, HashRole)) for i in rows]
        if hashes:
            QApplication.clipboard().setText("\n".join(hashes))

    # ---- drag and drop --------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_dropped(paths)

    def add_dropped(self, paths: list[Path]) -> None:
        """Dropped files go to the selected item; with none selected a new item is made first."""
        item_id = self.selected_id()
        if item_id is not None:
            self.start_add_files(item_id, paths)
            return
        self._pending_drop = list(paths)
        self.new_item(name=paths[0].name if len(paths) == 1 and paths[0].is_dir() else "")

    # ---- verify ---------------------------------------------------------------------------------
    def _on_verify_clicked(self) -> None:
        self.start_verify()

    def start_verify(self, pool: QThreadPool | None = None) -> TransferRunner:
        """Re-hashes every stored file (a read: the global pool) and lists what is missing or changed."""
        ctx = self._ctx

        def work(report: Report, cancelled: object) -> list[object]:
            return evidence.verify_files(  # type: ignore[return-value]
                ctx,
                progress=lambda done, total: report(Transfer(done, total)),
                cancelled=cancelled,  # type: ignore[arg-type]
            )

        self.banner.hide()
        runner = TransferRunner(self, work, strings.EVIDENCE_VERIFYING, pool or QThreadPool.globalInstance())
        runner.finished.connect(self._on_verify_finished)
        runner.failed.connect(self._on_verify_failed)
        self._runner = runner
        self._set_busy(True)
        runner.start()
        return runner

    def _on_verify_finished(self, problems: object) -> None:
        self._runner = None
        self._set_busy(False)
        assert isinstance(problems, list)
        if not problems:
            self.banner.set_kind("info")
            self.banner.show_text(strings.EVIDENCE_VERIFY_OK)
        else:
            lines = [
                (strings.STORE_PROBLEM_KINDS.get(str(p.kind), str(p.kind)), p.message, p.sha256)
                for p in problems
            ]
            dialog = ProblemListDialog(
                strings.EVIDENCE_VERIFY_TITLE,
                strings.verify_problems_summary(len(problems)),
                (strings.COL_KIND, strings.COL_PROBLEM, strings.COL_SHA256),
                lines,
                self,
                widths=(90, 520),
            )
            self.report_dialog = dialog
            dialog.open()
        self.verify_finished.emit(problems)

    def _on_verify_failed(self, exc: object) -> None:
        self._runner = None
        self._set_busy(False)
        if isinstance(exc, Cancelled):
            self.banner.set_kind("warning")
            self.banner.show_text(strings.EVIDENCE_VERIFY_CANCELLED)
        elif isinstance(exc, BaseException):
            show_error(self, exc)
        self.verify_finished.emit(exc)

    # ---- documents ------------------------------------------------------------------------------
    def create_document(self, form_id: str) -> uuid.UUID | None:
        """A draft 证据清单 (or 提取单 / 电子数据笔录 of the selected item), handed on by document_created."""
        item_id = self.selected_id()
        if rules_for(form_id).needs_record and item_id is None:
            self.banner.set_kind("warning")
            self.banner.show_text(strings.EVIDENCE_SELECT_FIRST)
            return None
        return self.draft(lambda: issuing.new_document(self._ctx, form_id, self.matter_id, item_id=item_id))
