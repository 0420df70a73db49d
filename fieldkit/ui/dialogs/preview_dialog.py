"""Every page of a document as images in a scrolling view, with zoom (buttons, list, Ctrl+wheel)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldkit.ui import strings
from fieldkit.ui.screen_fit import resize_to_screen
from fieldkit.ui.theme import set_role

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
DEFAULT_ZOOM = 1.0


class _PageScroll(QScrollArea):
    """Ctrl+wheel zooms instead of scrolling."""

    zoom_step = Signal(int)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_step.emit(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)


class PreviewDialog(QDialog):
    print_requested = Signal()

    def __init__(
        self,
        images: Sequence[QImage],
        title: str,
        note: str = "",
        *,
        can_print: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(strings.doc_preview_title(title))
        resize_to_screen(self, 1060, 860)
        self._images = list(images)
        self._zoom = DEFAULT_ZOOM

        self.zoom_out_button = QPushButton(strings.DOC_ZOOM_OUT)
        self.zoom_out_button.setToolTip(strings.DOC_ZOOM_OUT_TIP)
        self.zoom_out_button.clicked.connect(self._on_zoom_out_clicked)
        self.zoom_in_button = QPushButton(strings.DOC_ZOOM_IN)
        self.zoom_in_button.setToolTip(strings.DOC_ZOOM_IN_TIP)
        self.zoom_in_button.clicked.connect(self._on_zoom_in_clicked)
        self.zoom_combo = QComboBox()
        for zoom in ZOOMS:
            self.zoom_combo.addItem(strings.doc_zoom(zoom), zoom)
        self.zoom_combo.setCurrentIndex(ZOOMS.index(DEFAULT_ZOOM))
        self.zoom_combo.currentIndexChanged.connect(self._on_zoom_combo_changed)
        self.pages_label = QLabel(strings.doc_page_count(len(self._images)))
        set_role(self.pages_label, "hint")
        self.note_label = QLabel(note)
        set_role(self.note_label, "hint")
        self.note_label.setVisible(bool(note))
        self.print_button = QPushButton(strings.DOC_PRINT)
        self.print_button.setProperty("primary", True)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.print_button.setVisible(can_print)
        self.close_button = QPushButton(strings.CLOSE)
        self.close_button.clicked.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_combo)
        bar.addWidget(self.zoom_in_button)
        bar.addSpacing(12)
        bar.addWidget(self.pages_label)
        bar.addSpacing(12)
        bar.addWidget(self.note_label, 1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.close_button)

        self.page_labels: list[QLabel] = []
        pages = QWidget()
        pages.setObjectName("previewPages")
        pages.setStyleSheet("QWidget#previewPages { background: #8a939e; }")
        column = QVBoxLayout(pages)
        column.setContentsMargins(24, 24, 24, 24)
        column.setSpacing(18)
        for _image in self._images:
            label = QLabel()
            label.setFrameShape(QFrame.Shape.Box)
            label.setStyleSheet("QLabel { background: white; border: 1px solid #5d6670; }")
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.scroll = _PageScroll()
        self.scroll.setWidget(pages)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.zoom_step.connect(self._on_scroll_zoom_step)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)

        for keys, slot in (
            (QKeySequence.StandardKey.ZoomIn, self._on_zoom_in_clicked),
            (QKeySequence.StandardKey.ZoomOut, self._on_zoom_out_clicked),
        ):
            QShortcut(QKeySequence(keys), self, activated=slot)
        self.set_zoom(DEFAULT_ZOOM)

    @property
    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, zoom: float) -> None:
        self._zoom = zoom
        for image, label in zip(self._images, self.page_labels, strict=True):
            shown = (
                image
                if zoom == 1.0
                else image.scaledToWidth(
                    max(1, round(image.width() * zoom)), Qt.TransformationMode.SmoothTransformation
                )
            )
            label.setPixmap(QPixmap.fromImage(shown))
            label.setFixedSize(shown.width() + 2, shown.height() + 2)
        index = ZOOMS.index(zoom) if zoom in ZOOMS else -1
        if index >= 0 and self.zoom_combo.currentIndex() != index:
            self.zoom_combo.blockSignals(True)
            self.zoom_combo.setCurrentIndex(index)
            self.zoom_combo.blockSignals(False)
        self.zoom_out_button.setEnabled(zoom > ZOOMS[0])
        self.zoom_in_button.setEnabled(zoom < ZOOMS[-1])

    def _step(self, delta: int) -> None:
        current = min(range(len(ZOOMS)), key=lambda i: abs(ZOOMS[i] - self._zoom))
        target = max(0, min(len(ZOOMS) - 1, current + delta))
        if ZOOMS[target] != self._zoom:
            self.set_zoom(ZOOMS[target])

    def _on_zoom_in_clicked(self) -> None:
        self._step(+1)

    def _on_zoom_out_clicked(self) -> None:
        self._step(-1)

    def _on_scroll_zoom_step(self, delta: int) -> None:
        self._step(delta)

    def _on_zoom_combo_changed(self, index: int) -> None:
        zoom = self.zoom_combo.itemData(index)
        if isinstance(zoom, float):
            self.set_zoom(zoom)

    def _on_print_clicked(self) -> None:
        self.accept()
        self.print_requested.emit()
