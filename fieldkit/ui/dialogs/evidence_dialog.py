"""证据与措施 of one inspection, in a window beside the editor: tabs for the evidence and the measures."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from fieldkit.services.context import Context
from fieldkit.ui import strings
from fieldkit.ui.screen_fit import resize_to_screen
from fieldkit.ui.theme import set_role
from fieldkit.ui.widgets.evidence_panel import EvidencePanel
from fieldkit.ui.widgets.measures_panel import MeasuresPanel

EVIDENCE_TAB, MEASURES_TAB = 0, 1


class EvidenceDialog(QDialog):
    """Not modal: the officer can keep the inspection editor open beside it."""

    measures_changed = Signal()
    document_created = Signal(object)  # uuid.UUID

    def __init__(
        self,
        ctx: Context,
        matter_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        subject_name: str = "",
        place: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(strings.evidence_window_title(subject_name))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        resize_to_screen(self, 1240, 800)
        heading = QLabel(strings.evidence_window_title(subject_name))
        set_role(heading, "pageTitle")
        self.evidence = EvidencePanel(ctx, matter_id)
        self.measures = MeasuresPanel(ctx, matter_id, place=place)
        self.measures.measures_changed.connect(self.measures_changed)
        self.evidence.document_created.connect(self.document_created)
        self.measures.document_created.connect(self.document_created)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.evidence, strings.TAB_EVIDENCE)
        self.tabs.addTab(self.measures, strings.TAB_MEASURES)
        close = QPushButton(strings.CLOSE)
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

    @property
    def matter_id(self) -> uuid.UUID:
        return self.evidence.matter_id

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self.show()
        self.raise_()
        self.activateWindow()
