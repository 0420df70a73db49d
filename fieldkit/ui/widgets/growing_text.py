"""A plain-text editor as tall as its text (between a few lines and a limit, then it scrolls)."""

from __future__ import annotations

from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QPlainTextDocumentLayout, QPlainTextEdit, QSizePolicy, QWidget


class GrowingTextEdit(QPlainTextEdit):
    """Long answers and findings stay readable in one scrolling page instead of boxes in boxes."""

    def __init__(self, min_lines: int = 2, max_lines: int = 16, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._min_lines = min_lines
        self._max_lines = max_lines
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.document().documentLayout().documentSizeChanged.connect(self._on_document_size_changed)
        self._fit()

    def line_count(self) -> int:
        """Wrapped lines of the text, counted up to one past the limit. QPlainTextEdit lays blocks out
        lazily (its documentSize() guesses one line per block not yet shown), so each block is laid
        out here first."""
        layout = self.document().documentLayout()
        lines = 0
        block = self.document().begin()
        while block.isValid() and lines <= self._max_lines:
            if isinstance(layout, QPlainTextDocumentLayout):
                layout.ensureBlockLayout(block)
            lines += max(1, block.lineCount())
            block = block.next()
        return lines

    def _on_document_size_changed(self, _size: QSizeF) -> None:
        self._fit()

    def _fit(self) -> None:
        shown = max(self._min_lines, min(self.line_count(), self._max_lines))
        margins = self.contentsMargins()
        frame = 2 * self.frameWidth() if self.frameShape() != QFrame.Shape.NoFrame else 0
        height = (
            shown * self.fontMetrics().lineSpacing()
            + int(2 * self.document().documentMargin())
            + margins.top()
            + margins.bottom()
            + frame
        )
        if self.height() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()  # a narrower editor wraps into more lines
