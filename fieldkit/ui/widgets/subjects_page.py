"""当事人: search, add, edit, delete subjects, import the office's list, start an inspection."""

from __future__ import annotations

import uuid
from functools import partial
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fieldkit.errors import Cancelled, FieldkitError
from fieldkit.services.context import Context
from fieldkit.services.subject_import import ImportReport, import_subjects
from fieldkit.services.subjects import delete_subject, get_subject
from fieldkit.ui import strings
from fieldkit.ui.dialogs.import_report import ImportReportDialog
from fieldkit.ui.dialogs.subject_dialog import SubjectDialog
from fieldkit.ui.errors import confirm, show_error, show_message
from fieldkit.ui.jobs import JobRunner
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.banner import Banner
from fieldkit.ui.widgets.page import Page
from fieldkit.ui.widgets.subject_search import SubjectSearch


class SubjectsPage(Page):
    new_inspection_requested = Signal(object)  # subject uuid.UUID
    import_finished = Signal(object)  # ImportReport (tests and the status bar listen)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._dialog: SubjectDialog | None = None
        self._runner: JobRunner | None = None
        self._import_name = ""
        self._import_path = Path()
        title = QLabel(strings.SUBJECTS_TITLE)
        set_role(title, "pageTitle")
        self.banner = Banner("info", dismissable=True)
        self.search = SubjectSearch(ctx)
        self.search.activated.connect(self._on_search_activated)
        self.search.selection_changed.connect(self._on_selection_changed)
        self.add_button = QPushButton(strings.SUBJECT_ADD)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.edit_button = QPushButton(strings.SUBJECT_EDIT)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.delete_button = QPushButton(strings.SUBJECT_DELETE)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.import_button = QPushButton(strings.SUBJECT_IMPORT)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.inspect_button = QPushButton(strings.SUBJECT_NEW_INSPECTION)
        self.inspect_button.setProperty("primary", True)
        self.inspect_button.clicked.connect(self._on_inspect_clicked)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.import_button)
        head.addWidget(self.add_button)
        actions = QHBoxLayout()
        actions.addWidget(self.edit_button)
        actions.addWidget(self.delete_button)
        actions.addStretch(1)
        actions.addWidget(self.inspect_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addLayout(head)
        layout.addWidget(self.banner)
        layout.addWidget(self.search, 1)
        layout.addLayout(actions)
        self._on_selection_changed()

    # ---- Page ---------------------------------------------------------------------------------
    def page_shown(self) -> None:
        self.search.refresh()

    def focus_search(self) -> bool:
        self.search.search_edit.setFocus()
        self.search.search_edit.selectAll()
        return True

    # ---- slots --------------------------------------------------------------------------------
    def _on_selection_changed(self) -> None:
        chosen = self.search.selected_id() is not None
        for button in (self.edit_button, self.delete_button, self.inspect_button):
            button.setEnabled(chosen)

    def _on_search_activated(self, subject_id: uuid.UUID) -> None:
        self.open_subject_dialog(subject_id)

    def _on_add_clicked(self) -> None:
        self.open_subject_dialog(None)

    def _on_edit_clicked(self) -> None:
        if (subject_id := self.search.selected_id()) is not None:
            self.open_subject_dialog(subject_id)

    def open_subject_dialog(self, subject_id: uuid.UUID | None) -> SubjectDialog:
        """Window-modal but not blocking (open, not exec): the list refreshes when it is saved."""
        self._dialog = SubjectDialog(self._ctx, subject_id, self)
        self._dialog.accepted.connect(self._on_dialog_accepted)
        self._dialog.open()
        return self._dialog

    def _on_dialog_accepted(self) -> None:
        saved = self._dialog.saved_id if self._dialog else None
        self.search.refresh()
        if saved is not None:
            self.search.select_id(saved)

    def _on_delete_clicked(self) -> None:
        subject_id = self.search.selected_id()
        if subject_id is None:
            show_message(self, strings.SELECT_SUBJECT_FIRST)
            return
        try:
            name = get_subject(self._ctx, subject_id).draft.name
            if not confirm(self, strings.confirm_delete_subject(name)):
                return
            delete_subject(self._ctx, subject_id)
        except FieldkitError as exc:
            show_error(self, exc)
        self.search.refresh()

    def _on_inspect_clicked(self) -> None:
        if (subject_id := self.search.selected_id()) is not None:
            self.new_inspection_requested.emit(subject_id)

    # ---- import -------------------------------------------------------------------------------
    def _on_import_clicked(self) -> None:
        self.choose_import_file()

    def choose_import_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, strings.IMPORT_FILE_TITLE, "", strings.IMPORT_FILE_FILTER
        )
        if path:
            self.start_import(Path(path))

    def start_import(self, path: Path, *, accept_warnings: bool = False) -> JobRunner:
        """Runs the import on the write pool; progress appears after ~0.5 s, with 取消. Rows with only
        warnings are held back until the officer asks again with accept_warnings (the report's button)."""
        self._import_path = path
        self._import_name = path.name
        self.banner.hide()
        job = partial(import_subjects, self._ctx, path, accept_warnings=accept_warnings)
        self._runner = JobRunner(self, job, strings.IMPORT_PROGRESS)
        self._runner.finished.connect(self._on_import_finished)
        self._runner.failed.connect(self._on_import_failed)
        self.import_button.setEnabled(False)
        self._runner.start()
        return self._runner

    def _on_import_finished(self, report: object) -> None:
        self._runner = None
        self.import_button.setEnabled(True)
        self.search.refresh()
        assert isinstance(report, ImportReport)
        self.import_finished.emit(report)
        dialog = ImportReportDialog(report, self._import_name, self)
        path = self._import_path
        dialog.keep_held_requested.connect(lambda: self.start_import(path, accept_warnings=True))
        dialog.open()
        self.report_dialog = dialog

    def _on_import_failed(self, exc: object) -> None:
        self._runner = None
        self.import_button.setEnabled(True)
        self.import_finished.emit(exc)
        if isinstance(exc, Cancelled):
            self.banner.show_text(strings.IMPORT_CANCELLED)
        elif isinstance(exc, BaseException):
            show_error(self, exc)
