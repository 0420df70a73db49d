"""A public key to hand over: fingerprint to read aloud, the PEM text, 复制 and 保存为文件."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError
from fieldkit.ui import strings
from fieldkit.ui.errors import show_error
from fieldkit.ui.theme import set_role

LABEL_WIDTH = 96  # the exchange page's forms line up on it


def form_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setMinimumWidth(LABEL_WIDTH)
    return label


class KeyView(QWidget):
    def __init__(self, default_file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._default_name = default_file_name
        self.code_label = QLabel()
        self.fingerprint_label = QLabel()
        self.fingerprint_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint_label.setWordWrap(True)
        set_role(self.fingerprint_label, "example")
        self.pem_edit = QPlainTextEdit()
        self.pem_edit.setReadOnly(True)
        self.pem_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.pem_edit.setFixedHeight(84)
        self.copy_button = QPushButton(strings.KEY_COPY)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.save_button = QPushButton(strings.KEY_SAVE)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.saved_label = QLabel()
        set_role(self.saved_label, "saved")
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(14)
        self.form.addRow(form_label(strings.KEY_FINGERPRINT), self.fingerprint_label)
        self.form.addRow(form_label(strings.KEY_PEM), self.pem_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addLayout(buttons)

    def set_key(self, pem: str, fingerprint: str) -> None:
        self.pem_edit.setPlainText(pem.strip())
        self.fingerprint_label.setText(fingerprint)
        self.saved_label.clear()

    def pem(self) -> str:
        return self.pem_edit.toPlainText().strip() + "\n"

    def _on_copy_clicked(self) -> None:
        QApplication.clipboard().setText(self.pem())
        self.saved_label.setText(strings.KEY_COPIED)

    def _on_save_clicked(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, strings.KEY_SAVE_TITLE, self._default_name, strings.KEY_FILE_FILTER
        )
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> bool:
        try:
            path.write_text(self.pem(), encoding="ascii")
        except OSError as exc:
            show_error(self, FieldkitError(strings.key_save_failed(str(path), exc.strerror or str(exc))))
            return False
        self.saved_label.setText(strings.key_saved(str(path)))
        return True
