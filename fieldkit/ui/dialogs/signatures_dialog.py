"""签名情况: for each signature line, 已签名 / 拒绝签名 / 未到场 with the witness, and a handwritten copy."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldkit.catalog import load_formdef
from fieldkit.errors import FieldkitError, ValidationFailed
from fieldkit.services import documents, signatures
from fieldkit.services.context import Context
from fieldkit.services.documents import SIGNATURE_STATES, SignatureRecord
from fieldkit.services.signatures import SignatureLine
from fieldkit.ui import strings
from fieldkit.ui.errors import problems_text, show_error
from fieldkit.ui.screen_fit import resize_to_screen
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.banner import Banner
from fieldkit.ui.widgets.signature_pad import SignaturePadDialog

log = logging.getLogger(__name__)

NOT_RECORDED = ""  # the fourth choice of an optional line (e.g. 见证人 when none was needed)
THUMB_HEIGHT = 34
THUMB_WIDTH = 130


class SignatureRow:
    """The widgets of one signature line (one row of the dialog's grid)."""

    def __init__(self, line: SignatureLine, existing: Mapping[str, Any] | None) -> None:
        self.line = line
        self.role_label = QLabel(line.role)
        self.role_label.setWordWrap(True)
        self.name_edit = QLineEdit(str((existing or {}).get("name") or line.name))
        self.name_edit.setPlaceholderText(strings.SIGN_NAME_PLACEHOLDER)
        self.states = QWidget()
        self.group = QButtonGroup(self.states)
        self.state_buttons: dict[str, QRadioButton] = {}
        states = [*SIGNATURE_STATES.items()]
        if line.optional:
            states.append((NOT_RECORDED, strings.SIGN_NOT_RECORDED))
        box = QHBoxLayout(self.states)
        box.setContentsMargins(0, 0, 0, 0)
        for i, (state, label) in enumerate(states):
            button = QRadioButton(label)
            self.group.addButton(button, i)
            self.state_buttons[state] = button
            box.addWidget(button)
        box.addStretch(1)
        state = str((existing or {}).get("state") or (NOT_RECORDED if line.optional else "signed"))
        self.state_buttons.get(state, next(iter(self.state_buttons.values()))).setChecked(True)
        self.witness_edit = QLineEdit(str((existing or {}).get("witness") or ""))
        self.witness_edit.setPlaceholderText(strings.SIGN_WITNESS_PLACEHOLDER)
        self.witness_edit.setMinimumWidth(220)
        # 拒签 is printed on the 签名版 with its time and this note (行政处罚法第五十二条)
        self.note_edit = QLineEdit(str((existing or {}).get("note") or ""))
        self.note_edit.setPlaceholderText(strings.SIGN_NOTE_PLACEHOLDER)
        self.note_edit.setMinimumWidth(220)
        self.at = str((existing or {}).get("at") or "")  # kept when saved again
        self.image_sha = str((existing or {}).get("image_sha256") or "")
        self.png = b""  # captured in this dialog, not stored yet
        self.thumb = QLabel()
        self.thumb.setFixedSize(THUMB_WIDTH, THUMB_HEIGHT)
        self.capture_button = QPushButton(strings.SIGN_CAPTURE)
        self.group.buttonToggled.connect(self._on_state_toggled)
        self._on_state_toggled()

    def state(self) -> str:
        return next((s for s, b in self.state_buttons.items() if b.isChecked()), NOT_RECORDED)

    def _on_state_toggled(self, *_args: object) -> None:
        refused_or_absent = self.state() in ("refused", "absent")
        self.witness_edit.setEnabled(refused_or_absent)
        self.note_edit.setEnabled(refused_or_absent)
        self.capture_button.setEnabled(self.state() == "signed")

    def show_image(self, image: QImage) -> None:
        if image.isNull():
            self.thumb.clear()
            return
        scaled = image.scaled(
            THUMB_WIDTH,
            THUMB_HEIGHT,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.thumb.setPixmap(QPixmap.fromImage(scaled))


class SignaturesDialog(QDialog):
    def __init__(self, ctx: Context, document_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._id = document_id
        doc = documents.load_document(ctx, document_id)
        formdef = load_formdef(doc.form_id)
        last = doc.revisions[-1] if doc.revisions else None
        existing = {}
        for record in last.signatures if last else ():
            existing.setdefault(record.get("role"), []).append(record)
        self.setWindowTitle(strings.SIGN_TITLE)

        intro = QLabel(strings.sign_intro(doc.title, doc.number, last.revision if last else 0))
        intro.setWordWrap(True)
        set_role(intro, "sectionTitle")
        hint = QLabel(strings.SIGN_HINT)
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.error_banner = Banner("error")

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        for column, title in enumerate(
            (
                strings.SIGN_COL_ROLE,
                strings.SIGN_COL_NAME,
                strings.SIGN_COL_STATE,
                strings.SIGN_COL_WITNESS,
                strings.SIGN_COL_NOTE,
                "",
            )
        ):
            if title:
                head = QLabel(title)
                set_role(head, "sectionTitle")
                grid.addWidget(head, 0, column)
        self.rows: list[SignatureRow] = []
        for line in signatures.signature_lines(formdef, doc.values):
            earlier = existing.get(line.role) or []
            row = SignatureRow(line, earlier.pop(0) if earlier else None)
            row.capture_button.clicked.connect(lambda _c=False, r=row: self._on_capture_clicked(r))
            row.witness_edit.textChanged.connect(self._on_row_edited)
            row.note_edit.textChanged.connect(self._on_row_edited)
            row.group.buttonToggled.connect(self._on_row_edited)
            if row.image_sha:
                self._load_thumb(row)
            r = len(self.rows) + 1
            grid.addWidget(row.role_label, r, 0)
            grid.addWidget(row.name_edit, r, 1)
            grid.addWidget(row.states, r, 2)
            grid.addWidget(row.witness_edit, r, 3)
            grid.addWidget(row.note_edit, r, 4)
            capture = QHBoxLayout()
            capture.setContentsMargins(0, 0, 0, 0)
            capture.addWidget(row.capture_button)
            capture.addWidget(row.thumb)
            grid.addLayout(capture, r, 5)
            self.rows.append(row)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 3)
        grid.setColumnStretch(3, 3)
        grid.setColumnStretch(4, 3)
        grid.setRowStretch(len(self.rows) + 1, 1)
        body = QWidget()
        body.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton(strings.SAVE)
        self.save_button.setProperty("primary", True)
        self.cancel_button = QPushButton(strings.CANCEL)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.pad_dialog: SignaturePadDialog | None = None
        self.signed_copy_sha: str | None = None  # of the 签名版 made when saving

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(hint)
        layout.addWidget(self.error_banner)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        resize_to_screen(self, 1380, 460)  # its buttons stay on a 1366-wide screen

    def _on_row_edited(self, *_args: object) -> None:
        self.error_banner.hide()  # what it said may be fixed now; 保存 checks again

    def _load_thumb(self, row: SignatureRow) -> None:
        try:
            data = signatures.read_signature_image(self._ctx, row.image_sha)
        except FieldkitError as exc:
            log.warning("signature image %s unreadable: %s", row.image_sha, exc)
            return
        row.show_image(QImage.fromData(data))

    def _on_capture_clicked(self, row: SignatureRow) -> None:
        self.pad_dialog = SignaturePadDialog(row.line.role, self)
        self.pad_dialog.accepted.connect(lambda r=row: self._on_pad_accepted(r))
        self.pad_dialog.open()

    def _on_pad_accepted(self, row: SignatureRow) -> None:
        if self.pad_dialog is not None and self.pad_dialog.png:
            row.png = self.pad_dialog.png
            row.show_image(QImage.fromData(row.png))
        self.pad_dialog = None

    def records(self) -> list[SignatureRecord]:
        """What is recorded (handwritten images stored first, to have their hashes)."""
        out = []
        for row in self.rows:
            state = row.state()
            if state == NOT_RECORDED:
                continue
            if row.png:
                row.image_sha = signatures.store_signature_image(self._ctx, row.png)
                row.png = b""
            out.append(
                SignatureRecord(
                    role=row.line.role,
                    name=row.name_edit.text().strip(),
                    state=state,
                    witness=row.witness_edit.text() if state in ("refused", "absent") else "",
                    image_sha256=row.image_sha if state == "signed" else "",
                    at=row.at if state in ("refused", "absent") else "",
                    note=row.note_edit.text() if state in ("refused", "absent") else "",
                )
            )
        return out

    def save(self) -> bool:
        """Record the signatures; on refusal the service's problems stay on screen. Handwritten
        signatures then go onto the signed copy (签名版) of the printed revision."""
        try:
            documents.record_signatures(self._ctx, self._id, self.records())
        except ValidationFailed as exc:
            self.error_banner.show_text(f"{strings.VALIDATION_INTRO}\n{problems_text(exc.problems)}")
            return False
        except FieldkitError as exc:
            show_error(self, exc)
            return False
        self.error_banner.hide()
        try:  # one form, well under a second: no worker needed
            self.signed_copy_sha = signatures.make_signed_copy(self._ctx, self._id)
        except FieldkitError as exc:  # the signatures are recorded all the same
            log.warning("no signed copy of %s: %s", self._id, exc)
            show_error(self, exc)
        return True

    def _on_save_clicked(self) -> None:
        if self.save():
            self.accept()
