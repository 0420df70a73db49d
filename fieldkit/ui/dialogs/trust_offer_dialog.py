"""Office: a sound bundle from a laptop not registered yet — compare the fingerprint, then trust it here."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldkit.bundle import keys
from fieldkit.errors import FieldkitError
from fieldkit.services import exchange
from fieldkit.services.context import Context
from fieldkit.services.exchange import TrustOffer
from fieldkit.ui import strings
from fieldkit.ui.theme import set_role


class TrustOfferDialog(QDialog):
    """Shows who the bundle says it is; 登记并导入 only once the officer ticks that the fingerprints match."""

    def __init__(self, ctx: Context, offer: TrustOffer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self.offer = ctx, offer
        self.fingerprint: str | None = None
        self.setWindowTitle(strings.OFFER_TITLE)
        self.setMinimumWidth(640)
        intro = QLabel(strings.OFFER_INTRO)
        intro.setWordWrap(True)
        set_role(intro, "hint")
        self.name_edit = QLineEdit(offer.name)
        code = QLabel(offer.device_code)
        set_role(code, "sectionTitle")
        officer = QLabel(offer.officer)
        # Four groups a line, four lines: read aloud group by group against the laptop's screen.
        groups = keys.format_fingerprint(offer.fingerprint).split(" ")
        self.fingerprint_label = QLabel(
            "\n".join(" ".join(groups[i : i + 4]) for i in range(0, len(groups), 4))
        )
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(font.pointSize() + 3)
        self.fingerprint_label.setFont(font)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        form.addRow(strings.OFFER_NAME, self.name_edit)
        form.addRow(strings.OFFER_CODE, code)
        form.addRow(strings.OFFER_OFFICER, officer)
        form.addRow(strings.KEY_FINGERPRINT, self.fingerprint_label)
        self.confirm_check = QCheckBox(strings.OFFER_CONFIRM)
        self.error_label = QLabel()
        set_role(self.error_label, "error")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(strings.OFFER_OK)
        self.ok_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(strings.CANCEL)
        self.confirm_check.toggled.connect(self.ok_button.setEnabled)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.confirm_check)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def save(self) -> bool:
        if not self.confirm_check.isChecked():
            return False
        try:
            self.fingerprint = exchange.trust_offered(self._ctx, self.offer, self.name_edit.text())
        except FieldkitError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return False
        return True

    def _on_buttons_accepted(self) -> None:
        if self.save():
            self.accept()
