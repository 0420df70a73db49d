"""Edits one inspection draft; every edit is saved within 1.5 s, on focus change, page switch and close
(widgets/autosave.py)."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fieldkit.catalog import load_checklists
from fieldkit.domain.checklists import ChecklistDomain
from fieldkit.domain.inspections import (
    STATUS_LABELS,
    CheckEntry,
    InspectionDraft,
    InspectionStatus,
    OfficerRef,
    checks_for_domains,
    failed_checks,
)
from fieldkit.domain.problems import Problem
from fieldkit.errors import FieldkitError, ValidationFailed
from fieldkit.services import inspections, recovery
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.setup import load_settings
from fieldkit.services.subjects import get_subject
from fieldkit.ui import strings
from fieldkit.ui.dialogs.subject_picker import SubjectPickerDialog
from fieldkit.ui.errors import confirm, problems_text, show_error
from fieldkit.ui.models.check_table import CheckTableModel
from fieldkit.ui.models.checkable_list import Choice
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.autosave import Autosaver
from fieldkit.ui.widgets.banner import Banner
from fieldkit.ui.widgets.check_table_view import ChecksPanel
from fieldkit.ui.widgets.conflict_banner import BUSY_WAIT_MS, ConflictBanner
from fieldkit.ui.widgets.inspection_form import InspectionForm
from fieldkit.ui.widgets.outcome_panel import OutcomePanel
from fieldkit.ui.widgets.saved_label import SavedLabel

if TYPE_CHECKING:
    from fieldkit.ui.dialogs.evidence_dialog import EvidenceDialog

log = logging.getLogger(__name__)


class InspectionEditor(QWidget):
    autosaved = Signal(object)  # dt.datetime of the save (aware)
    close_requested = Signal()  # 返回列表 / after deleting
    record_changed = Signal()  # completed, reopened or deleted: lists should re-read
    document_created = Signal(object)  # uuid.UUID of a 证据清单/清单/封条 draft made from 证据与措施
    new_document_requested = Signal(object)  # uuid.UUID of this inspection: draft a 文书 for it

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._id: uuid.UUID | None = None
        self._status = InspectionStatus.DRAFT
        self._foreign = False  # another laptop's inspection, imported here: shown, never changed
        self._subject_id: str | None = None
        self._subject_address = ""
        self._officers: dict[str, OfficerRef] = {}
        self._domains: dict[str, ChecklistDomain] = {}
        self._stash: dict[tuple[str, str], CheckEntry] = {}  # results of domains unchecked meanwhile
        self._version = 0  # of the record as loaded or last saved here: saves carry it (issue 11.5)
        self._picker: SubjectPickerDialog | None = None
        self.evidence_dialog: EvidenceDialog | None = None
        self._build()

    # ---- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel(strings.editor_heading(""))
        set_role(self.heading, "pageTitle")
        self.status_label = QLabel()
        set_role(self.status_label, "hint")
        self.saved_label = SavedLabel()
        self.back_button = QPushButton(strings.BACK_TO_LIST)
        self.back_button.clicked.connect(self._on_back_clicked)
        self.evidence_button = QPushButton(strings.EDITOR_EVIDENCE)
        self.evidence_button.setToolTip(strings.EDITOR_EVIDENCE_TIP)
        self.evidence_button.clicked.connect(lambda: self.open_evidence(0))
        self.measures_button = QPushButton(strings.EDITOR_MEASURES)
        self.measures_button.setToolTip(strings.EDITOR_MEASURES_TIP)
        self.measures_button.clicked.connect(lambda: self.open_evidence(1))
        self.document_button = QPushButton(strings.EDITOR_DOCUMENT)
        self.document_button.setToolTip(strings.EDITOR_DOCUMENT_TIP)
        self.document_button.clicked.connect(self._on_document_clicked)
        self.delete_button = QPushButton(strings.INSPECTION_DELETE_DRAFT)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.reopen_button = QPushButton(strings.EDITOR_REOPEN)
        self.reopen_button.clicked.connect(self._on_reopen_clicked)
        self.complete_button = QPushButton(strings.EDITOR_COMPLETE)
        self.complete_button.setProperty("primary", True)
        self.complete_button.clicked.connect(self._on_complete_clicked)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(8)
        top.addWidget(self.heading, 1)
        top.addWidget(self.status_label)
        top.addWidget(self.saved_label)
        top.addSpacing(12)
        top.addWidget(self.evidence_button)
        top.addWidget(self.measures_button)
        top.addWidget(self.document_button)
        top.addSpacing(12)
        top.addWidget(self.delete_button)
        top.addWidget(self.reopen_button)
        top.addWidget(self.complete_button)

        self.recovery_banner = Banner("warning", dismissable=True)
        self.problems_banner = Banner("error")
        self.info_banner = Banner("info")
        self.conflict_banner = ConflictBanner()
        self.autosaver: Autosaver[InspectionDraft] = Autosaver(
            self,
            banner=self.conflict_banner,
            saved_label=self.saved_label,
            now=self._ctx.now,
            snapshot=self.build_draft,
            store=self._store,
            writable=self._writable,
            typed_text=self._typed_text,
            reopen=self._reopen_theirs,
            log=log,
        )
        self.autosaver.saved.connect(self.autosaved)

        self.form = InspectionForm(now=self._ctx.now)
        self.form.edited.connect(self._on_any_edited)
        self.form.pick_subject_requested.connect(self._on_pick_subject_requested)
        self.form.now_requested.connect(self._on_now_requested)
        self.form.domain_model.checked_changed.connect(self._on_domains_checked_changed)
        errors = self.form.errors
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.form)
        scroll.setMinimumWidth(380)

        self.check_model = CheckTableModel(self)
        self.check_model.entries_changed.connect(self._on_checks_changed)
        self.checks = ChecksPanel(self.check_model)
        self.checks.all_pass_requested.connect(self._on_all_pass_requested)
        errors.register("checks", self.checks.table, self.checks.error_label)
        self.outcome = OutcomePanel(errors)
        self.outcome.set_today(self._ctx.today())
        self.outcome.edited.connect(self._on_any_edited)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.checks)
        right.addWidget(self.outcome)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([560, 300])
        right.setChildrenCollapsible(False)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([400, 900])
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(top)
        layout.addWidget(self.recovery_banner)
        layout.addWidget(self.conflict_banner)
        layout.addWidget(self.info_banner)
        layout.addWidget(self.problems_banner)
        layout.addWidget(split, 1)

    # ---- opening and closing --------------------------------------------------------------------
    @property
    def inspection_id(self) -> uuid.UUID | None:
        return self._id

    record_id = inspection_id  # the name the list/editor page uses (widgets/list_page.py)

    @property
    def picker(self) -> SubjectPickerDialog | None:
        """The subject picker while it is open."""
        return self._picker

    def open_inspection(self, inspection_id: uuid.UUID, *, recovered: bool = False) -> None:
        if self._id is not None:  # never drop what was typed in the one open before
            if self._id == inspection_id:
                self.save_now()
            else:
                self.close_inspection()
        record = inspections.load_inspection(self._ctx, inspection_id)
        self._id = inspection_id
        self._status = record.status
        self._foreign = record.foreign
        self._version = record.version
        self._stash = {}
        self._load_choices(record.draft)
        self._fill(record.draft, record.subject_name)
        self.autosaver.loaded()
        self.problems_banner.hide()
        self.form.errors.clear()
        self.recovery_banner.hide()
        if recovered:
            saved = record.updated_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
            self.recovery_banner.show_text(strings.recovery_banner(saved))
        self._apply_status()
        if record.status is InspectionStatus.DRAFT and not record.foreign:
            recovery.remember_open_matter(self._ctx, inspection_id)

    def close_inspection(self) -> None:
        """Save what is typed, then forget the draft (a clean close is not a crash to recover from)."""
        if self._id is None:
            return
        self.autosaver.close()  # with a conflict unresolved, the typed words go to the clipboard
        if self._status is InspectionStatus.DRAFT and not self._ctx.read_only and not self._foreign:
            try:
                if inspections.discard_if_blank(self._ctx, self._id, wait_ms=BUSY_WAIT_MS):
                    self.record_changed.emit()  # an empty draft (Ctrl+N, then back) is not kept
            except Exception as exc:  # busy or failing database: an empty draft merely stays listed
                log.warning("could not check whether draft %s was empty: %s", self._id, exc)
        self._id = None
        recovery.remember_open_matter(self._ctx, None)

    close_record = close_inspection

    def discard(self) -> None:
        """The open draft was deleted: forget it without saving."""
        self.autosaver.stop()
        self._id = None
        recovery.remember_open_matter(self._ctx, None)

    def _load_choices(self, draft: InspectionDraft) -> None:
        try:
            domains = load_checklists()
        except FieldkitError as exc:
            log.error("checklists unavailable: %s", exc)
            domains = []
            self.info_banner.show_text(f"{strings.EDITOR_CHECKLIST_ERROR}{exc}")
        self._domains = {d.id: d for d in domains}
        choices = [Choice(d.id, d.name, d.description) for d in domains]
        choices += [Choice(i, i) for i in draft.domains if i not in self._domains]
        self.form.domain_model.set_choices(choices, draft.domains)
        self.checks.set_domains([self._domains[i] for i in draft.domains if i in self._domains])

        active = load_settings(self._ctx).active_officers
        self._officers = {str(o.id): OfficerRef(str(o.id), o.name, o.cert_no) for o in active}
        officer_choices = [Choice(str(o.id), strings.officer_entry(o.name, o.cert_no)) for o in active]
        for ref in draft.officers:  # officers of that day stay listed even if deactivated since
            if ref.officer_id not in self._officers:
                self._officers[ref.officer_id] = ref
                officer_choices.append(
                    Choice(ref.officer_id, strings.inactive_officer_entry(ref.name, ref.cert_no))
                )
        self.form.officer_model.set_choices(officer_choices, [o.officer_id for o in draft.officers])

    def _fill(self, draft: InspectionDraft, subject_name: str) -> None:
        with self.autosaver.loading():
            self._subject_id = draft.subject_id
            self._subject_address = ""
            self.form.set_subject_name(subject_name)
            self.heading.setText(strings.editor_heading(subject_name))
            self.form.set_inspection_type(draft.inspection_type)
            self.form.set_times(draft.start_at, draft.end_at)
            self.form.place_edit.setText(draft.place)
            self.form.update_officer_warning()
            self.check_model.set_entries(draft.checks, {d.id: d.name for d in self._domains.values()})
            self.outcome.findings_edit.setPlainText(draft.findings)
            self.outcome.set_outcome(draft.outcome)
            self.outcome.set_deadline(draft.rectify_deadline)
            self.outcome.note_edit.setPlainText(draft.outcome_note)
            self._update_failed()

    def _apply_status(self) -> None:
        read_only = self._status is InspectionStatus.COMPLETED or self._ctx.read_only or self._foreign
        self.status_label.setText(STATUS_LABELS[self._status])
        self.form.set_read_only(read_only)
        self.check_model.set_read_only(read_only)
        self.checks.set_read_only(read_only)
        self.outcome.set_read_only(read_only)
        self.complete_button.setVisible(not read_only)
        self.delete_button.setVisible(not read_only)
        self.reopen_button.setVisible(read_only)
        if self._ctx.read_only:  # a data dir that cannot be written (issue 11.6)
            self.complete_button.setVisible(False)
            self.delete_button.setVisible(False)
            self.reopen_button.setVisible(False)
            self.info_banner.set_kind("warning")
            self.info_banner.show_text(strings.READ_ONLY_STATUS)
        elif self._foreign:  # a device writes only its own records (issue 11.1)
            self.complete_button.setVisible(False)
            self.delete_button.setVisible(False)
            self.reopen_button.setVisible(False)
            self.info_banner.set_kind("info")
            self.info_banner.show_text(strings.EDITOR_FOREIGN_BANNER)
        elif read_only:
            self.info_banner.set_kind("info")
            self.info_banner.show_text(strings.EDITOR_COMPLETED_BANNER)
        else:
            self.info_banner.hide()

    # ---- the draft ------------------------------------------------------------------------------
    def build_draft(self) -> InspectionDraft:
        """Read every widget now, so a save never misses the last keystroke."""
        start, end = self.form.times()
        return InspectionDraft(
            subject_id=self._subject_id,
            inspection_type=self.form.inspection_type(),
            start_at=start,
            end_at=end,
            place=self.form.place_edit.text(),
            officers=tuple(self._officers[k] for k in self.form.officer_model.checked_keys()),
            domains=tuple(self.form.domain_model.checked_keys()),
            checks=self.check_model.entries(),
            findings=self.outcome.findings_edit.toPlainText(),
            outcome=self.outcome.outcome(),
            outcome_note=self.outcome.note_edit.toPlainText(),
            rectify_deadline=self.outcome.deadline(),
        )

    def save_now(self) -> bool:
        """Autosave: one small transaction, only when something changed. Never raises."""
        return self.autosaver.save_now()

    def take_theirs(self) -> None:
        """Show the version saved elsewhere; what was typed here goes to the clipboard first."""
        if self._id is not None:
            self.autosaver.take_theirs()

    def _writable(self) -> bool:
        return (
            self._id is not None
            and self._status is InspectionStatus.DRAFT
            and not self._ctx.read_only
            and not self._foreign
        )

    def _store(self, draft: InspectionDraft) -> bool:
        assert self._id is not None
        changed = inspections.save_draft(
            self._ctx, self._id, draft, base_version=self._version, wait_ms=BUSY_WAIT_MS
        )
        self._version += int(changed)
        return changed

    def _typed_text(self) -> str:
        """The officer's own words in this draft (kept on the clipboard in a conflict)."""
        mine = self.build_draft()
        return "\n\n".join(t for t in (mine.place, mine.findings, mine.outcome_note) if t.strip())

    def _reopen_theirs(self) -> None:
        if self._id is not None:
            inspection_id, self._id = self._id, None  # reload without saving over theirs
            self.open_inspection(inspection_id)

    # ---- slots ----------------------------------------------------------------------------------
    def _on_any_edited(self) -> None:
        if self._id is not None and self.autosaver.edited():  # saves 1.5 s after the last edit
            self._recheck_problems()

    def _recheck_problems(self) -> None:
        """While 还不能完成检查 is shown, it follows the edits: a fixed problem goes at once, and the
        banner with it when none is left (the cursor stays where the officer is typing)."""
        if self.problems_banner.isHidden() or self._id is None or self._status is not InspectionStatus.DRAFT:
            return
        problems = inspections.completion_problems(self._ctx, self.build_draft())
        if problems:
            self.show_problems(problems, focus=False)
        else:
            self.problems_banner.hide()
            self.form.errors.clear()

    def _on_checks_changed(self) -> None:
        self._update_failed()
        self._on_any_edited()

    def _update_failed(self) -> None:
        failed = failed_checks(InspectionDraft(checks=self.check_model.entries()))
        self.outcome.set_failed([c.text for c in failed])

    def _on_domains_checked_changed(self) -> None:
        for entry in self.check_model.entries():
            self._stash[(entry.domain_id, entry.code)] = entry
        chosen = self.form.domain_model.checked_keys()
        known = [self._domains[i] for i in chosen if i in self._domains]
        checks = list(checks_for_domains(known, self._stash.values()))
        # Items of a domain no longer in the lists (an old edition) stay as they were.
        checks += [
            e
            for e in self.check_model.entries()
            if e.domain_id in chosen and e.domain_id not in self._domains
        ]
        self.check_model.set_entries(checks)
        self.checks.set_domains(known)
        self._update_failed()
        self._on_any_edited()

    def _on_all_pass_requested(self, domain_id: str) -> None:
        self.check_model.pass_unanswered(domain_id)

    def _on_now_requested(self) -> None:
        self.form.set_times(self.form.times()[0], self._ctx.now().replace(second=0, microsecond=0))
        self._on_any_edited()

    def _on_pick_subject_requested(self) -> None:
        self._picker = SubjectPickerDialog(self._ctx, self)
        self._picker.accepted.connect(self._on_picker_accepted)
        self._picker.open()

    def _on_picker_accepted(self) -> None:
        if self._picker is not None and self._picker.chosen_id is not None:
            self.set_subject(self._picker.chosen_id)
        self._picker = None

    def set_subject(self, subject_id: uuid.UUID) -> None:
        subject = get_subject(self._ctx, subject_id).draft
        place = self.form.place_edit.text().strip()
        # The place follows the subject unless the officer typed another one.
        if not place or place == self._subject_address:
            self.form.place_edit.setText(subject.address)
        self._subject_id = str(subject_id)
        self._subject_address = subject.address
        self.form.set_subject_name(subject.name)
        self.heading.setText(strings.editor_heading(subject.name))
        self._on_any_edited()
        self.save_now()

    def _on_back_clicked(self) -> None:
        self.close_inspection()
        self.close_requested.emit()

    def _on_document_clicked(self) -> None:
        if self.inspection_id is not None:
            self.save_now()
            self.new_document_requested.emit(self.inspection_id)

    def _on_delete_clicked(self) -> None:
        if self._id is None or not confirm(self, strings.CONFIRM_DELETE_DRAFT):
            return
        self.autosaver.stop()
        try:
            inspections.delete_draft(self._ctx, self._id)
        except FieldkitError as exc:
            show_error(self, exc)
            return
        self.discard()
        self.record_changed.emit()
        self.close_requested.emit()

    def _on_complete_clicked(self) -> None:
        self.complete()

    def complete(self) -> bool:
        if self._id is None:
            return False
        if not self._typed_dates_accepted():
            return False
        self.save_now()
        try:
            inspections.complete_inspection(self._ctx, self._id, self.build_draft())
        except ValidationFailed as exc:
            self.show_problems(exc.problems)
            return False
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        self.problems_banner.hide()
        self.form.errors.clear()
        self.open_inspection(self._id)
        recovery.remember_open_matter(self._ctx, None)
        self.record_changed.emit()
        return True

    def _typed_dates_accepted(self) -> bool:
        """A refused typed date (e.g. 2026-02-30) is not completed over: the officer fixes it first."""
        inputs = (self.form.start_edit, self.form.end_edit, self.outcome.deadline_edit)
        refused = [e for e in inputs if e.isVisibleTo(self) and not e.commit()]
        if not refused:
            return True
        lines = "\n".join(f"• {e.error()}" for e in refused)
        self.problems_banner.show_text(f"{strings.EDITOR_PROBLEMS_TITLE}\n{lines}")
        refused[0].setFocus()
        return False

    def show_problems(self, problems: list[Problem], *, focus: bool = True) -> None:
        first, _unplaced = self.form.errors.show(problems, focus=focus)
        self.problems_banner.show_text(f"{strings.EDITOR_PROBLEMS_TITLE}\n{problems_text(problems)}")
        if focus and first is self.checks.table:
            row = next((i for i, e in enumerate(self.check_model.entries()) if e.result is None), 0)
            self.checks.table.selectRow(row)
            self.checks.table.scrollTo(
                self.check_model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter
            )

    def _on_reopen_clicked(self) -> None:
        if self._id is None:
            return
        reason, ok = QInputDialog.getText(self, strings.EDITOR_REOPEN, strings.EDITOR_REOPEN_PROMPT)
        if not ok:
            return
        try:
            inspections.reopen_inspection(self._ctx, self._id, reason)
        except FieldkitError as exc:
            show_error(self, exc)
            return
        self.open_inspection(self._id)
        self.record_changed.emit()

    def open_evidence(self, tab: int = 0) -> EvidenceDialog | None:
        """证据与措施 of the open inspection, in a window beside the editor (0: 证据, 1: 措施)."""
        from fieldkit.ui.dialogs.evidence_dialog import EvidenceDialog

        if self._id is None:
            return None
        self.save_now()  # the evidence defaults (place, officers) come from the saved inspection
        if self.evidence_dialog is None or self.evidence_dialog.matter_id != self._id:
            if self.evidence_dialog is not None:
                self.evidence_dialog.close()
                self.evidence_dialog.deleteLater()
            self.evidence_dialog = EvidenceDialog(
                self._ctx,
                self._id,
                self,
                subject_name=self.form.subject_label.text() if self._subject_id else "",
                place=self.form.place_edit.text(),
            )
            self.evidence_dialog.document_created.connect(self.document_created)
        self.evidence_dialog.show_tab(tab)
        return self.evidence_dialog
