"""Office: register a laptop by its public key (a PEM file or pasted text) and a name; fingerprint shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError, ValidationFailed
from fieldkit.services import exchange, exchange_views
from fieldkit.services.context import Context
from fieldkit.ui import strings
from fieldkit.ui.dialogs.buttons import ok_cancel
from fieldkit.ui.dialogs.subject_dialog import required_label
from fieldkit.ui.theme import set_role


class TrustDeviceDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.fingerprint: str | None = None
        self.setWindowTitle(strings.TRUST_TITLE)
        self.setMinimumWidth(680)
        intro = QLabel(strings.TRUST_INTRO)
        intro.setWordWrap(True)
        set_role(intro, "hint")
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(strings.TRUST_FILE_PH)
        self.file_edit.setReadOnly(True)
        self.browse_button = QPushButton(strings.BROWSE)
        self.browse_button.clicked.connect(self._on_browse_clicked)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        self.pem_edit = QPlainTextEdit()
        self.pem_edit.setPlaceholderText(strings.TRUST_PEM_PH)
        self.pem_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.pem_edit.setFixedHeight(96)
        self.pem_edit.textChanged.connect(self._on_pem_changed)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(strings.TRUST_NAME_PH)
        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(6)
        self.code_edit.setPlaceholderText(strings.TRUST_CODE_PH)
        self.fingerprint_label = QLabel(strings.TRUST_NO_KEY)
        self.fingerprint_label.setWordWrap(True)
        self.fingerprint_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        set_role(self.fingerprint_label, "hint")
        self.error_label = QLabel()
        set_role(self.error_label, "error")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        form.addRow(strings.TRUST_FILE, file_row)
        form.addRow(QLabel(required_label(strings.KEY_PEM)), self.pem_edit)
        form.addRow(strings.KEY_FINGERPRINT, self.fingerprint_label)
        form.addRow(strings.TRUST_NAME, self.name_edit)
        form.addRow(strings.DEVICE_CODE, self.code_edit)
        self.buttons = ok_cancel(self, strings.TRUST_OK, self._on_buttons_accepted)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _on_browse_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, strings.TRUST_FILE, "", strings.KEY_FILE_FILTER)
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="ascii", errors="replace")
        except OSError as exc:
            self._show_error(strings.file_unreadable(str(path), exc.strerror or str(exc)))
            return
        self.file_edit.setText(str(path))
        self.pem_edit.setPlainText(text)
        if not self.name_edit.text().strip():
            self.name_edit.setText(path.stem)

    def _on_pem_changed(self) -> None:
        pem = self.pem_edit.toPlainText().strip()
        if not pem:
            self.fingerprint_label.setText(strings.TRUST_NO_KEY)
            return
        try:
            self.fingerprint_label.setText(exchange_views.fingerprint_of_pem(pem))
            set_role(self.fingerprint_label, "example")
        except FieldkitError:
            self.fingerprint_label.setText(strings.TRUST_BAD_KEY)
            set_role(self.fingerprint_label, "error")
        self.fingerprint_label.style().unpolish(self.fingerprint_label)
        self.fingerprint_label.style().polish(self.fingerprint_label)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def save(self) -> bool:
        try:
            self.fingerprint = exchange.trust_device(
                self._ctx,
                self.pem_edit.toPlainText(),
                self.name_edit.text(),
                device_code=self.code_edit.text().strip() or None,
            )
        except ValidationFailed as exc:
            self._show_error("\n".join(p.message for p in exc.problems))
            return False
        except FieldkitError as exc:
            self._show_error(str(exc))
            return False
        return True

    def _on_buttons_accepted(self) -> None:
        if self.save():
            self.accept()
