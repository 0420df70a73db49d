"""Before a re-run of setup saves anything: the list of what changes, and the new-series warning."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from fieldkit.services.setup import SetupPlan
from fieldkit.ui import strings
from fieldkit.ui.theme import set_role


class SetupConfirmDialog(QDialog):
    """Accepting is the explicit action: when the 文号 identity is locked, its button says that it
    starts a new number series (docs/numbering.md), so nobody does it by pressing Enter on 保存."""

    def __init__(self, plan: SetupPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(strings.SETUP_CONFIRM_TITLE)
        self.setMinimumWidth(520)
        heading = QLabel(strings.SETUP_CONFIRM_HEADING)
        set_role(heading, "sectionTitle")
        self.changes_label = QLabel("\n".join(f"• {line}" for line in plan.lines()))
        self.changes_label.setWordWrap(True)
        self.series_label = QLabel(strings.new_series_warning(plan.issued))
        self.series_label.setWordWrap(True)
        set_role(self.series_label, "error")
        self.series_label.setVisible(plan.needs_new_series)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(
            strings.SETUP_CONFIRM_NEW_SERIES if plan.needs_new_series else strings.SETUP_CONFIRM_SAVE
        )
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(strings.CANCEL)
        if plan.needs_new_series:  # Enter cancels: a new series takes a click on its own button
            self.ok_button.setAutoDefault(False)
            cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.changes_label)
        layout.addWidget(self.series_label)
        layout.addWidget(buttons)
