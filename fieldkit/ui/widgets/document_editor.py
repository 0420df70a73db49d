"""Edits one 文书 in a form generated from its definition; autosaves; previews, prints and signs it."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldkit.catalog import load_formdef, load_phrases
from fieldkit.domain import documents as D
from fieldkit.domain import forms as F
from fieldkit.domain.problems import Problem
from fieldkit.errors import FieldkitError
from fieldkit.services import documents, references, signatures
from fieldkit.services.context import SHANGHAI, Context
from fieldkit.services.documents import Document
from fieldkit.services.setup import load_settings
from fieldkit.ui import strings
from fieldkit.ui.dialogs.correction_choice import CLERICAL, REISSUE, CorrectionChoiceDialog
from fieldkit.ui.document_print import PrintFlow
from fieldkit.ui.errors import confirm, problems_text, show_error
from fieldkit.ui.print_controller import PrintController
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.autosave import Autosaver
from fieldkit.ui.widgets.banner import Banner
from fieldkit.ui.widgets.conflict_banner import BUSY_WAIT_MS, ConflictBanner
from fieldkit.ui.widgets.document_form import DocumentForm
from fieldkit.ui.widgets.form_fields import FormEnv
from fieldkit.ui.widgets.saved_label import SavedLabel

log = logging.getLogger(__name__)

RECHECK_MS = 300  # while the pre-print problems are shown, they follow the edits this soon
BANNER_PROBLEMS = 4  # the rest are under their fields and in the print-problems dialog


class DocumentEditor(QWidget):
    autosaved = Signal(object)  # dt.datetime of the save (aware)
    close_requested = Signal()  # 返回列表 / after deleting
    record_changed = Signal()  # status, number or revision changed: lists should re-read
    printed = Signal(object)  # PrintResult, after every page went to the printer

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._id: uuid.UUID | None = None
        self._doc: Document | None = None
        self._formdef: F.FormDef | None = None
        self.form: DocumentForm | None = None
        self.correction_dialog: CorrectionChoiceDialog | None = None
        self.printing = PrintController(ctx, self, before=self.save_now, prepare_print=self._before_print)
        self.printing.problems_found.connect(self._on_flow_problems_found)
        self.printing.field_requested.connect(self._on_flow_field_requested)
        self.printing.finalised.connect(self._on_flow_finalised)
        self.printing.printed.connect(self.printed)
        self.printing.print_ended.connect(self._apply_status)
        self.printing.changed.connect(self.reload)
        self.printing.message.connect(self._on_printing_message)

        self._build()
        self._recheck_timer = QTimer(self)
        self._recheck_timer.setSingleShot(True)
        self._recheck_timer.setInterval(RECHECK_MS)
        self._recheck_timer.timeout.connect(self.save_now)  # a save re-checks while problems are shown

    # ---- layout ---------------------------------------------------------------------------------
    def _button(self, text: str, slot: Any, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        if tip:
            button.setToolTip(tip)
        return button

    def _build(self) -> None:
        self.back_button = self._button(strings.BACK_TO_LIST, self._on_back_clicked)
        self.heading = QLabel()
        set_role(self.heading, "pageTitle")
        self.number_label = QLabel()
        set_role(self.number_label, "hint")
        self.status_label = QLabel()
        set_role(self.status_label, "hint")
        self.saved_label = SavedLabel()
        printing = self.printing
        self.preview_button = self._button(
            strings.DOC_PREVIEW, lambda: printing.preview(), strings.DOC_PREVIEW_TIP
        )
        self.save_pdf_button = self._button(strings.DOC_SAVE_PDF, lambda: printing.save_pdf())
        self.print_button = self._button(strings.DOC_PRINT, self._on_print_clicked, strings.DOC_PRINT_TIP)
        self.print_button.setProperty("primary", True)
        self.signatures_button = self._button(strings.DOC_SIGNATURES, lambda: printing.open_signatures())
        self.scan_button = self._button(strings.DOC_ATTACH_SCAN, lambda: printing.attach_scan())
        self.signed_copy_button = QPushButton(strings.DOC_SIGNED_COPY)
        self.signed_copy_button.setToolTip(strings.DOC_SIGNED_COPY_TIP)
        signed_menu = QMenu(self.signed_copy_button)
        signed_menu.addAction(strings.DOC_SIGNED_COPY_PREVIEW, lambda: printing.preview_signed_copy())
        signed_menu.addAction(strings.DOC_SIGNED_COPY_SAVE, lambda: printing.save_signed_copy())
        self.signed_copy_button.setMenu(signed_menu)
        self.correct_button = self._button(
            strings.DOC_CORRECT, self._on_correct_clicked, strings.DOC_CORRECT_TIP
        )
        self.receipt_button = self._button(
            strings.DOC_RECEIPT, self._on_receipt_clicked, strings.DOC_RECEIPT_TIP
        )
        self.cancel_correction_button = self._button(
            strings.DOC_CANCEL_CORRECTION, self._on_cancel_correction_clicked
        )
        self.reissue_button = self._button(
            strings.DOC_SWITCH_TO_REISSUE, self._on_reissue_clicked, strings.DOC_SWITCH_TO_REISSUE_TIP
        )
        self.void_button = self._button(strings.DOC_VOID, self._on_void_clicked)
        self.delete_button = self._button(strings.INSPECTION_DELETE_DRAFT, self._on_delete_clicked)

        title_box = QVBoxLayout()
        title_box.setSpacing(0)
        title_row = QHBoxLayout()
        title_row.addWidget(self.heading)
        title_row.addSpacing(10)
        title_row.addWidget(self.status_label)
        title_row.addStretch(1)
        title_box.addLayout(title_row)
        sub_row = QHBoxLayout()
        sub_row.addWidget(self.number_label)
        sub_row.addSpacing(12)
        sub_row.addWidget(self.saved_label)
        sub_row.addStretch(1)
        title_box.addLayout(sub_row)
        top = QHBoxLayout()
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(10)
        top.addLayout(title_box, 1)
        actions = (
            self.delete_button,
            self.void_button,
            self.cancel_correction_button,
            self.reissue_button,
            self.correct_button,
            self.scan_button,
            self.receipt_button,
            self.signed_copy_button,
            self.signatures_button,
            self.save_pdf_button,
            self.preview_button,
            self.print_button,
        )
        for button in actions:
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

        self.info_banner = Banner("info")
        self.problems_banner = Banner("error")
        self.conflict_banner = ConflictBanner()
        self.autosaver: Autosaver[dict[str, Any]] = Autosaver(
            self,
            banner=self.conflict_banner,
            saved_label=self.saved_label,
            now=self._ctx.now,
            snapshot=self._values,
            store=self._store,
            writable=self._writable,
            typed_text=self._typed_text,
            reopen=self._reopen_theirs,
            log=log,
        )
        self.autosaver.saved.connect(self._on_autosaved)
        self.description = QLabel()
        self.description.setWordWrap(True)
        set_role(self.description, "hint")

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._holder = QWidget()
        self._holder_layout = QHBoxLayout(self._holder)
        self._holder_layout.setContentsMargins(8, 8, 8, 8)
        self._holder_layout.addStretch(1)
        self._holder_layout.addStretch(1)
        self.scroll.setWidget(self._holder)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(top)
        layout.addWidget(self.conflict_banner)
        layout.addWidget(self.info_banner)
        layout.addWidget(self.problems_banner)
        layout.addWidget(self.description)
        layout.addWidget(self.scroll, 1)

        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, activated=self._on_print_clicked)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self._on_save_shortcut)

    # ---- opening and closing --------------------------------------------------------------------
    @property
    def document_id(self) -> uuid.UUID | None:
        return self._id

    record_id = document_id  # the name the list/editor page uses (widgets/list_page.py)

    @property
    def document(self) -> Document | None:
        return self._doc

    def open_document(self, document_id: uuid.UUID) -> None:
        if self._id is not None:  # never drop what was typed in the one open before
            self.save_now()
        doc = documents.load_document(self._ctx, document_id)
        formdef = load_formdef(doc.form_id)
        rebuild = self.form is None or self._formdef is None or self._formdef.id != formdef.id
        # Set first: a new form's reference fields ask for their choices as they are built.
        self._id, self._doc, self._formdef = document_id, doc, formdef
        self.printing.set_document(doc)
        if rebuild:
            self._build_form(formdef)
        assert self.form is not None
        with self.autosaver.loading():
            self.form.set_values(doc.values)
            self.form.errors.clear()
        self.autosaver.loaded()
        self.problems_banner.hide()
        self._apply_status()
        self.scroll.verticalScrollBar().setValue(0)

    def _build_form(self, formdef: F.FormDef) -> None:
        if self.form is not None:
            self._holder_layout.removeWidget(self.form)
            self.form.hide()  # deleteLater waits for the event loop; it must not show meanwhile
            self.form.deleteLater()
        try:
            phrases = load_phrases(formdef.id)
        except FieldkitError as exc:  # a broken phrases.toml must not stop the editing
            log.error("phrases unavailable: %s", exc)
            phrases = ()
        active = load_settings(self._ctx).active_officers
        env = FormEnv(
            officers=[(o.name, o.cert_no) for o in active],
            phrases=phrases,
            now=lambda: self._ctx.now().astimezone(SHANGHAI).replace(tzinfo=None),
            references=self._reference_choices,
        )
        self.form = DocumentForm(formdef, env)
        self.form.edited.connect(self._on_form_edited)
        # Centred, as wide as FORM_MAX_WIDTH allows: the stretches on both sides take the rest.
        self._holder_layout.insertWidget(1, self.form, 100)
        self.form.show()  # the layout would only show it from the event loop

    def _reference_choices(self, fd: F.FieldDef) -> list[tuple[str, str, str]]:
        """The numbers a cross-reference field of the open document may cite (services/references)."""
        if self._formdef is None or self._doc is None:
            return []
        try:
            choices = references.reference_choices(
                self._ctx,
                self._formdef.id,
                fd.key,
                document_id=self._doc.id,
                matter_id=self._doc.matter_id,
            )
        except FieldkitError as exc:  # e.g. not set up yet: nothing to cite
            log.warning("reference choices unavailable: %s", exc)
            return []
        return [(c.number, c.label, c.title) for c in choices]

    def reload(self) -> None:
        if self._id is not None:
            self.open_document(self._id)

    def _typed_text(self) -> str:
        """The officer's words in this form, field by field (kept on the clipboard in a conflict)."""
        if self.form is None or self._formdef is None:
            return ""
        lines = []
        for key, value in self.form.values().items():
            if isinstance(value, str) and value.strip():
                field = self._formdef.field(key) if self._formdef.has_field(key) else None
                lines.append(f"{field.label if field is not None else key}：{value}")
        return "\n".join(lines)

    def take_theirs(self) -> None:
        """Show the version saved elsewhere; what was typed here goes to the clipboard first."""
        if self._id is not None:
            self.autosaver.take_theirs()

    def _reopen_theirs(self) -> None:
        if self._id is not None:
            document_id, self._id = self._id, None  # reload without saving over theirs
            self.open_document(document_id)

    def close_document(self) -> None:
        """Save what is typed, then forget the document."""
        if self._id is None:
            return
        self.autosaver.close()  # with a conflict unresolved, the typed words go to the clipboard
        self._forget()

    close_record = close_document

    def _forget(self) -> None:
        self._id, self._doc = None, None
        self.printing.set_document(None)

    def is_read_only(self) -> bool:
        return self._doc is None or not self._doc.allows(D.Action.EDIT) or self._ctx.read_only

    def locked_fields(self) -> list[str]:
        """The substantive fields: 更正笔误 may not change them (domain/documents.py)."""
        return list(D.substantive_keys(self._formdef)) if self._formdef is not None else []

    def _apply_status(self) -> None:
        """What is offered follows the lifecycle (domain/documents.allowed_actions), never a status
        compared here; the state's label and banner say where the document stands."""
        doc = self._doc
        if doc is None:
            return
        assert self.form is not None and self._formdef is not None
        state = D.DocState(doc.status)
        allows = doc.allows
        read_only = self.is_read_only()
        self.form.set_read_only(read_only)
        correcting = allows(D.Action.CANCEL_CORRECTION)  # a 笔误 correction is being drafted
        locked = self.locked_fields() if correcting else []
        for key in locked:  # 更正笔误 keeps the substantive content as printed
            self.form.field(key).set_read_only(True)
        self.heading.setText(doc.title)
        self.status_label.setText(strings.doc_state_label(state))
        self.number_label.setText(strings.doc_number_line(doc.number, self._formdef.numbered))
        self.description.setText(self._formdef.description)
        self.description.setVisible(bool(self._formdef.description) and not read_only)
        last = doc.revisions[-1] if doc.revisions else None
        text, tip = strings.DOC_PRINT_BUTTON[state]
        self.print_button.setText(text)
        self.print_button.setToolTip(tip)
        signable = allows(D.Action.SIGN)  # printed for signature and in force
        self.signatures_button.setVisible(signable)
        self.scan_button.setVisible(signable)
        signed_copy = signatures.signed_copy_attachment(last) if signable else None
        self.signed_copy_button.setVisible(signed_copy is not None)
        self.correct_button.setVisible(allows(D.Action.CORRECT))
        self.reissue_button.setVisible(correcting and allows(D.Action.REISSUE))  # else via 更正
        self.receipt_button.setVisible(signable and self._formdef.kind is not F.FormKind.RECEIPT)
        self.cancel_correction_button.setVisible(correcting)
        self.void_button.setVisible(allows(D.Action.VOID))
        self.delete_button.setVisible(allows(D.Action.DELETE))
        self._show_state_banner(doc, state, locked, signed_copy)

    def _show_state_banner(
        self, doc: Document, state: D.DocState, locked: list[str], signed_copy: object | None
    ) -> None:
        assert self._formdef is not None
        last = doc.revisions[-1] if doc.revisions else None
        match state:
            case D.DocState.FINAL if last is not None:
                self.info_banner.set_kind("info")
                text = strings.doc_final_banner(last.revision, doc.number)
                scans = [a for a in last.attachments if a is not signed_copy]
                summary = strings.doc_sign_summary(len(last.signatures), len(scans))
                if signed_copy is not None:
                    summary += f"\n{strings.DOC_SIGNED_COPY_READY}"
                self.info_banner.show_text(f"{text}\n{summary}")
            case D.DocState.VOID:
                self.info_banner.set_kind("warning")
                self.info_banner.show_text(strings.doc_void_banner(doc.void_reason, doc.number))
            case D.DocState.CORRECTING if last is not None:
                self.info_banner.set_kind("warning")
                labels = [self._formdef.field(k).label for k in locked]
                self.info_banner.show_text(strings.doc_correcting_banner(last.revision, labels))
            case D.DocState.BLANK:
                self.info_banner.set_kind("info")
                self.info_banner.show_text(strings.doc_blank_banner(doc.number))
            case D.DocState.DRAFT if doc.number is not None and not doc.revisions:
                self.info_banner.set_kind("info")
                self.info_banner.show_text(strings.doc_used_blank_banner(doc.number))
            case D.DocState.DRAFT if doc.replaces_id is not None:
                self.info_banner.set_kind("warning")
                self.info_banner.show_text(strings.doc_reissue_banner(doc.replaces))
            case _:
                self.info_banner.hide()

    # ---- saving -------------------------------------------------------------------------------
    def save_now(self) -> bool:
        """Autosave: one small transaction, only when something changed. Never raises."""
        self._recheck_timer.stop()
        return self.autosaver.save_now()

    def _writable(self) -> bool:
        return self._id is not None and self.form is not None and not self.is_read_only()

    def _values(self) -> dict[str, Any]:
        return self.form.values() if self.form is not None else {}

    def _store(self, values: dict[str, Any]) -> bool:
        assert self._id is not None and self._doc is not None
        changed = documents.save_values(
            self._ctx, self._id, values, base_version=self._doc.version, wait_ms=BUSY_WAIT_MS
        )
        if changed:
            self._doc = dataclasses.replace(self._doc, version=self._doc.version + 1)
        return changed

    def _on_autosaved(self, when: object) -> None:
        self.autosaved.emit(when)
        if not self.problems_banner.isHidden():
            self._recheck_problems()

    def _on_form_edited(self) -> None:
        edited = self._id is not None and self.autosaver.edited()  # saves 1.5 s after the last edit
        if edited and not self.problems_banner.isHidden():
            self._recheck_timer.start()  # a fixed problem goes soon, not at the next 打印

    def _recheck_problems(self) -> None:
        """While the pre-print problems are shown they follow the saved edits: a fixed problem goes
        from under its field, and the banner when none is left (the cursor stays where it is)."""
        if self._id is None or self._doc is None:
            return
        if not self._doc.allows(D.Action.PRINT):  # only what is still to be printed is checked
            return
        try:
            problems = documents.check_document(self._ctx, self._id)
        except FieldkitError:
            log.exception("could not re-check document %s", self._id)
            return
        if problems:
            self.show_problems(problems, focus=False)
        else:
            self.problems_banner.hide()
            if self.form is not None:
                self.form.errors.clear()

    def _on_save_shortcut(self) -> None:
        self.save_now()

    # ---- problems -----------------------------------------------------------------------------
    def show_problems(self, problems: list[Problem], *, focus: bool = True) -> None:
        if self.form is None:
            return
        _first, _unplaced = self.form.errors.show(problems, focus=focus)
        shown = problems[:BANNER_PROBLEMS]
        text = f"{strings.DOC_PROBLEMS_BANNER}\n{problems_text(shown)}"
        if len(problems) > len(shown):
            text += f"\n{strings.doc_more_problems(len(problems) - len(shown))}"
        self.problems_banner.show_text(text)

    def _on_printing_message(self, text: str) -> None:
        self.saved_label.setText(text)

    def _on_flow_field_requested(self, key: str) -> None:
        if self.form is not None and (target := self.form.focus_field(key)) is not None:
            self.scroll.ensureWidgetVisible(target, 40, 80)

    # ---- printing (print_controller.py) --------------------------------------------------------
    def print_document(
        self, printer: QPrinter | None = None, *, reason: str | None = None
    ) -> PrintFlow | None:
        """打印 (finalises a draft) or 重印. A test passes its QPrinter to skip the print dialog."""
        return self.printing.print_document(printer, reason=reason) if self._doc is not None else None

    def _before_print(self) -> None:
        self.problems_banner.hide()
        if self.form is not None:
            self.form.errors.clear()
            self.form.set_read_only(True)  # what is printed is what was saved; typing waits till the end

    def _on_flow_problems_found(self, problems: object) -> None:
        if isinstance(problems, list):
            self.show_problems(problems)

    def _on_flow_finalised(self, _result: object) -> None:
        self.reload()
        self.record_changed.emit()

    # ---- correction, void, delete -------------------------------------------------------------
    def start_correction(self, mode: str | None = None) -> bool:
        """更正: the officer chooses 更正笔误 (same number) or 重新作出 (new number, old one voided);
        a test passes `mode` (CLERICAL or REISSUE) instead of clicking in the dialog."""
        if self._id is None or self._doc is None or self._formdef is None:
            return False
        if mode is None:
            labels = [self._formdef.field(k).label for k in self.locked_fields()]
            dialog = CorrectionChoiceDialog(labels, self)
            self.correction_dialog = dialog
            try:
                if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
                    return False
                mode = dialog.choice
            finally:
                self.correction_dialog = None
                dialog.deleteLater()
        if mode == REISSUE:
            return self.reissue()
        if mode != CLERICAL:
            return False
        document_id = self._id
        return self._change(lambda: documents.start_correction(self._ctx, document_id))

    def reissue(self) -> bool:
        """重新作出: open the new draft that replaces this document (printing it voids this one)."""
        if (document_id := self._id) is None:
            return False
        self.save_now()
        return self._change(lambda: documents.reissue_document(self._ctx, document_id))

    def make_receipt(self) -> bool:
        """制作送达回证: a receipt for this printed document, its title, number and party filled in."""
        if (document_id := self._id) is None:
            return False
        return self._change(lambda: documents.create_receipt(self._ctx, document_id))

    def cancel_correction(self, *, confirmed: bool = False) -> bool:
        if (document_id := self._id) is None:
            return False
        if not confirmed and not confirm(self, strings.DOC_CANCEL_CORRECTION_CONFIRM):
            return False
        self.autosaver.stop()
        return self._change(lambda: documents.cancel_correction(self._ctx, document_id))

    def void(self, reason: str | None = None) -> bool:
        if (document_id := self._id) is None or self._doc is None:
            return False
        if reason is None:
            text, ok = QInputDialog.getMultiLineText(
                self, strings.DOC_VOID_TITLE, strings.doc_void_prompt(self._doc.number)
            )
            if not ok:
                return False
            reason = text
        return self._change(lambda: documents.void_document(self._ctx, document_id, reason))

    def _change(self, change: Callable[[], uuid.UUID | None]) -> bool:
        """Run one service change of the open document. A refusal is shown and changes nothing;
        otherwise the editor shows the document the change returns (a new draft), else this one
        re-read, and the lists re-read too."""
        try:
            opened = change()
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        if opened is not None:
            self.open_document(opened)
        else:
            self.reload()
        self.record_changed.emit()
        return True

    def _on_delete_clicked(self) -> None:
        if self._id is None or not confirm(self, strings.DOC_CONFIRM_DELETE):
            return
        self.autosaver.stop()
        try:
            documents.delete_draft(self._ctx, self._id)
        except FieldkitError as exc:
            show_error(self, exc)
            return
        self._forget()
        self.record_changed.emit()
        self.close_requested.emit()

    def discard(self) -> None:
        """The open draft was deleted elsewhere: forget it without saving."""
        self.autosaver.stop()
        self._forget()

    # ---- button slots -------------------------------------------------------------------------
    def _on_back_clicked(self) -> None:
        self.close_document()
        self.close_requested.emit()

    def _on_print_clicked(self) -> None:
        self.print_document()

    def _on_correct_clicked(self) -> None:
        self.start_correction()

    def _on_receipt_clicked(self) -> None:
        self.make_receipt()

    def _on_reissue_clicked(self) -> None:
        self.reissue()

    def _on_cancel_correction_clicked(self) -> None:
        self.cancel_correction()

    def _on_void_clicked(self) -> None:
        self.void()
