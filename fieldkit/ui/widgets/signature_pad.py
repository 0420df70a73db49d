"""A handwritten signature pad (mouse, pen with pressure, touch) that saves smooth strokes as a PNG."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fieldkit.ui import strings
from fieldkit.ui.theme import set_role

INK = QColor("#10243e")
BASE_WIDTH = 2.6  # pen width at mid pressure, in widget pixels
MOUSE_PRESSURE = 0.5
PNG_SCALE = 2  # the PNG has twice the pixels of the pad: sharp when printed small
PNG_MARGIN = 8


@dataclass
class Stroke:
    points: list[QPointF] = field(default_factory=list)
    pressures: list[float] = field(default_factory=list)

    def add(self, point: QPointF, pressure: float) -> None:
        if self.points and (self.points[-1] - point).manhattanLength() < 0.8:
            return  # jitter: no new segment
        self.points.append(QPointF(point))
        self.pressures.append(max(0.05, min(1.0, pressure)))


def _width(pressure: float) -> float:
    return BASE_WIDTH * (0.45 + 1.1 * pressure)


def draw_stroke(painter: QPainter, stroke: Stroke) -> None:
    """Quadratic curves through the midpoints of successive points (the usual ink smoothing), each
    piece with the width of its pressure, round caps so that the pieces join without seams."""
    pts, prs = stroke.points, stroke.pressures
    if not pts:
        return
    pen = QPen(INK, _width(prs[0]), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    if len(pts) == 1:
        painter.setPen(pen)
        painter.drawPoint(pts[0])
        return
    if len(pts) == 2:
        painter.setPen(pen)
        painter.drawLine(pts[0], pts[1])
        return
    start = pts[0]
    for i in range(1, len(pts) - 1):
        mid = (pts[i] + pts[i + 1]) / 2
        path = QPainterPath(start)
        path.quadTo(pts[i], mid)
        pen.setWidthF(_width((prs[i] + prs[i + 1]) / 2))
        painter.setPen(pen)
        painter.drawPath(path)
        start = mid
    pen.setWidthF(_width(prs[-1]))
    painter.setPen(pen)
    painter.drawLine(start, pts[-1])


class SignaturePad(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strokes: list[Stroke] = []
        self._current: Stroke | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMinimumSize(520, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # ---- state --------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not any(s.points for s in self.strokes)

    def clear(self) -> None:
        self.strokes = []
        self._current = None
        self.update()
        self.changed.emit()

    def _begin(self, point: QPointF, pressure: float) -> None:
        self._current = Stroke()
        self.strokes.append(self._current)
        self._current.add(point, pressure)
        self.update()

    def _extend(self, point: QPointF, pressure: float) -> None:
        if self._current is not None:
            self._current.add(point, pressure)
            self.update()

    def _end(self, point: QPointF, pressure: float) -> None:
        if self._current is not None:
            self._current.add(point, pressure)
            self._current = None
            self.update()
            self.changed.emit()

    # ---- input: mouse, pen, touch -------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), MOUSE_PRESSURE)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position(), MOUSE_PRESSURE)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._end(event.position(), MOUSE_PRESSURE)

    def tabletEvent(self, event: QTabletEvent) -> None:
        # Accepted, so Qt does not also send the synthesised mouse events.
        kind, pressure = event.type(), event.pressure()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position(), pressure)
        elif kind == QEvent.Type.TabletMove and self._current is not None:
            self._extend(event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease:
            self._end(event.position(), pressure)
        event.accept()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if isinstance(event, QTouchEvent) and kind in (
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TouchEnd,
        ):
            points = event.points()
            if points:
                point = points[0]
                pressure = point.pressure() if point.pressure() > 0 else MOUSE_PRESSURE
                if kind == QEvent.Type.TouchBegin:
                    self._begin(point.position(), pressure)
                elif kind == QEvent.Type.TouchUpdate:
                    self._extend(point.position(), pressure)
                else:
                    self._end(point.position(), pressure)
            event.accept()
            return True
        return super().event(event)

    # ---- drawing ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        baseline = self.height() - 48
        painter.setPen(QPen(QColor("#c5ccd6"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(24, baseline, self.width() - 24, baseline)
        if self.is_empty():
            painter.setPen(QColor("#9aa4b1"))
            painter.drawText(
                QRectF(0, 0, self.width(), baseline - 8),
                Qt.AlignmentFlag.AlignCenter,
                strings.SIGNATURE_PAD_HINT,
            )
        painter.setPen(QPen(QColor("#d5dbe3"), 1))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for stroke in self.strokes:
            draw_stroke(painter, stroke)
        painter.end()

    def bounding_rect(self) -> QRectF:
        rect = QRectF()
        for stroke in self.strokes:
            for point in stroke.points:
                rect = rect.united(
                    QRectF(point, point).adjusted(-BASE_WIDTH, -BASE_WIDTH, BASE_WIDTH, BASE_WIDTH)
                )
        return rect

    def to_image(self) -> QImage:
        """The ink on a transparent background, cropped to the strokes with a small margin."""
        box = self.bounding_rect().adjusted(-PNG_MARGIN, -PNG_MARGIN, PNG_MARGIN, PNG_MARGIN)
        width = max(1, round(box.width() * PNG_SCALE))
        height = max(1, round(box.height() * PNG_SCALE))
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.scale(PNG_SCALE, PNG_SCALE)
        painter.translate(-box.topLeft())
        for stroke in self.strokes:
            draw_stroke(painter, stroke)
        painter.end()
        return image

    def to_png(self) -> bytes:
        """PNG bytes of the signature; b"" when nothing was written."""
        if self.is_empty():
            return b""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.to_image().save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())


class SignaturePadDialog(QDialog):
    """清除 / 确定 / 取消 around a pad; `png` holds the result after 确定."""

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(strings.signature_pad_title(role))
        self.png = b""
        self.hint = QLabel(strings.signature_pad_intro(role))
        self.hint.setWordWrap(True)
        set_role(self.hint, "hint")
        self.pad = SignaturePad()
        self.pad.changed.connect(self._on_pad_changed)
        self.buttons = QDialogButtonBox()
        self.clear_button = QPushButton(strings.SIGNATURE_PAD_CLEAR)
        self.clear_button.clicked.connect(self.pad.clear)
        self.ok_button = QPushButton(strings.OK)
        self.ok_button.setProperty("primary", True)
        self.cancel_button = QPushButton(strings.CANCEL)
        self.buttons.addButton(self.clear_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.pad, 1)
        layout.addWidget(self.buttons)
        self.resize(680, 380)
        self._on_pad_changed()

    def _on_pad_changed(self) -> None:
        self.ok_button.setEnabled(not self.pad.is_empty())

    def _on_ok_clicked(self) -> None:
        self.png = self.pad.to_png()
        if self.png:
            self.accept()
