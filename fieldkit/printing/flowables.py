"""Small reportlab flowables and canvas helpers for official forms: spaced title, ruled lines, signatures."""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Callable, Mapping, Sequence

from PIL import Image
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer

from fieldkit.domain.forms import Signer
from fieldkit.printing.fonts import Fallback

log = logging.getLogger(__name__)

SIGNATURE_MAX_H = 12 * mm  # a handwritten signature is never drawn taller than this
SIGNATURE_GAP = 1.5 * mm  # kept free between a signature and the line above it
MAX_SIGNATURE_PIXELS = 4_000_000

# signer label → one handwritten signature per blank of that signer (None: that blank stays empty)
# per signer label, one entry per blank: a handwritten signature, a word written on the blank (e.g. 拒绝签名:
# the printed record of a refusal), or None
SignatureImages = Mapping[str, Sequence[ImageReader | str | None]]


def draw_tick(canvas: Canvas, kind: str, label: str | None) -> None:
    """Paragraph `<onDraw>` callback: a tick inside the box glyph that was just set (see markup.box)."""
    info = canvas._curr_tx_info  # set by reportlab's paragraph code around every onDraw callback
    tx = info["tx"]
    size = tx._fontsize or info["xs"].style.fontSize
    font = tx._fontname or info["xs"].style.fontName
    em = stringWidth("□", font, size)
    x = info["cur_x"] - em
    y = info["cur_y"]
    canvas.saveState()
    canvas.setLineWidth(size * 0.085)
    canvas.setLineJoin(1)
    canvas.setLineCap(1)
    path = canvas.beginPath()
    path.moveTo(x + em * 0.24, y + size * 0.34)
    path.lineTo(x + em * 0.43, y + size * 0.12)
    path.lineTo(x + em * 0.80, y + size * 0.66)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.restoreState()


def draw_runs(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    fallback: Fallback | None,
    *,
    right: bool = False,
) -> None:
    """drawString (or drawRightString, ending at x) with rare characters in the fallback fonts."""
    runs = fallback.runs(text) if fallback is not None else [(text, font)]
    runs = [(piece, font if f in (None, getattr(fallback, "body_font", font)) else f) for piece, f in runs]
    if right:
        x -= sum(stringWidth(piece, f, size) for piece, f in runs)
    for piece, f in runs:
        canvas.setFont(f, size)
        canvas.drawString(x, y, piece)
        x += stringWidth(piece, f, size)
    canvas.setFont(font, size)


class SpacedTitle(Flowable):
    """The document title, centred and letter-spaced ("现 场 笔 录") without spaces in the text itself."""

    def __init__(self, title: str, font: str, size: float, space_after: float = 4 * mm):
        super().__init__()
        self.title, self.font, self.size, self.space_after = title, font, size, space_after
        n = max(len(title), 1)
        # short titles are spread wide, long ones only a little, as on the printed 范本
        self.char_space = size * (0.6 if n <= 5 else 0.3 if n <= 8 else 0.1)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.avail_width = avail_width
        while self._text_width() > avail_width and self.char_space > 0:
            self.char_space = max(0.0, self.char_space - self.size * 0.05)
        return avail_width, self.size * 1.3 + self.space_after

    def _text_width(self) -> float:
        return stringWidth(self.title, self.font, self.size) + self.char_space * (len(self.title) - 1)

    def draw(self) -> None:
        c = self.canv
        t = c.beginText()
        t.setFont(self.font, self.size)
        t.setCharSpace(self.char_space)
        t.setTextOrigin((self.avail_width - self._text_width()) / 2, self.space_after + self.size * 0.25)
        t.textOut(self.title)
        c.drawText(t)


class ClosingMark(Flowable):
    """The "（以下空白）" line after the last line of a 笔录. Where less than its line is left on the page,
    nothing can be written in anyway: it is left out rather than start a page of its own."""

    def __init__(self, para: Flowable):
        super().__init__()
        self.para = para

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.para.wrap(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return [Spacer(0, 0)]

    def draw(self) -> None:
        self.para.drawOn(self.canv, 0, 0)


class RuledLines(Flowable):
    """Empty lines to write on by hand; the first may start with a printed prefix such as "答："."""

    def __init__(
        self,
        n: int,
        font: str,
        size: float,
        leading: float,
        prefix: str = "",
        indent: float = 0,
        prefix_font: str = "",
    ):
        super().__init__()
        self.n, self.font, self.size, self.leading, self.prefix, self.indent = (
            n,
            font,
            size,
            leading,
            prefix,
            indent,
        )
        self.prefix_font = prefix_font or font

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.n * self.leading

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fit = int(avail_height // self.leading)
        if fit <= 0 or fit >= self.n:
            return []
        rest = RuledLines(self.n - fit, self.font, self.size, self.leading, indent=self.indent)
        first = RuledLines(
            fit, self.font, self.size, self.leading, self.prefix, self.indent, self.prefix_font
        )
        return [first, rest]

    def draw(self) -> None:
        c = self.canv
        c.setLineWidth(0.5)
        for i in range(self.n):
            y = (self.n - i - 1) * self.leading + self.leading * 0.22
            x0 = self.indent
            if i == 0 and self.prefix:
                c.setFont(self.prefix_font, self.size)
                c.drawString(0, y + 2, self.prefix)
                x0 = max(x0, stringWidth(self.prefix, self.prefix_font, self.size) + 2)
            c.line(x0, y, self.width, y)


def signer_line_width(signer: Signer, font: str, size: float) -> float:
    return stringWidth(signer.label + "：", font, size)


def load_signature(data: bytes) -> ImageReader | None:
    """A handwritten signature (PNG, ink on a transparent background) cropped to its ink, or None
    when the bytes are no usable picture. Transparency is kept, so the line shows through."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.format != "PNG" or img.width * img.height > MAX_SIGNATURE_PIXELS:
                    return None
                rgba = img.convert("RGBA")
        box = rgba.getchannel("A").getbbox()
        if box is None:  # nothing but transparent pixels
            return None
        return ImageReader(rgba.crop(box))
    except Exception:  # a broken signature never stops the document
        log.info("signature of %d bytes cannot be decoded", len(data), exc_info=True)
        return None


def draw_signature_image(
    canvas: Canvas, image: ImageReader, x: float, line_y: float, width: float, max_h: float
) -> None:
    """The signature scaled into the blank from x to x + width whose line is at line_y: aspect ratio
    kept, at most max_h tall, centred on the blank and standing on the line."""
    iw, ih = image.getSize()
    scale = min((width - 2) / iw, max_h / ih)
    w, h = iw * scale, ih * scale
    bottom = line_y - min(0.1 * h, 0.8 * mm)  # the ink's lowest strokes reach just below the line
    canvas.drawImage(image, x + (width - w) / 2, bottom, w, h, mask="auto")


def draw_signer(
    canvas: Canvas,
    x: float,
    y: float,
    width: float,
    signer: Signer,
    font: str,
    size: float,
    images: Sequence[ImageReader | str | None] = (),
    image_h: float = SIGNATURE_MAX_H,
) -> None:
    """One signature line: "label：______ ______    日期：____年__月__日" (y = baseline).

    `images[i]`, when given, is a handwritten signature drawn on the i-th blank, at most `image_h` tall."""
    canvas.setFont(font, size)
    canvas.drawString(x, y, signer.label + "：")
    left = x + signer_line_width(signer, font, size) + 1
    right = x + width
    canvas.setLineWidth(0.5)
    if signer.date:
        year_w, md_w = 13 * mm, 7 * mm
        unit = stringWidth("年", font, size)
        date_w = stringWidth("日期：", font, size) + year_w + 2 * md_w + 3 * unit
        dx = right - date_w
        canvas.drawString(dx, y, "日期：")
        dx += stringWidth("日期：", font, size)
        for w, ch in ((year_w, "年"), (md_w, "月"), (md_w, "日")):
            canvas.line(dx, y - 2, dx + w, y - 2)
            canvas.drawString(dx + w, y, ch)
            dx += w + unit
        right -= date_w + 4 * mm
    gap = 4 * mm
    seg = min((right - left - gap * (signer.count - 1)) / signer.count, 48 * mm)
    for i in range(signer.count):
        sx = left + i * (seg + gap)
        canvas.line(sx, y - 2, sx + seg, y - 2)
        image = images[i] if i < len(images) else None
        if isinstance(image, str):
            canvas.drawString(sx + 1 * mm, y, image)
        elif image is not None:
            draw_signature_image(canvas, image, sx, y - 2, seg, image_h)


class SignatureLines(Flowable):
    """Signature lines inside the text flow (e.g. the recipient's signature on a notice)."""

    def __init__(
        self,
        signers: Sequence[Signer],
        font: str,
        size: float,
        line_height: float = 10 * mm,
        images: SignatureImages | None = None,
    ):
        super().__init__()
        self.signers, self.font, self.size, self.line_height = list(signers), font, size, line_height
        self.images = images or {}

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, len(self.signers) * self.line_height

    def draw(self) -> None:
        for i, s in enumerate(self.signers):
            y = (len(self.signers) - i - 1) * self.line_height + self.line_height * 0.3
            # a signature stays below the line above: the signed copy keeps the unsigned copy's layout
            image_h = min(SIGNATURE_MAX_H, self.line_height - SIGNATURE_GAP)
            images = self.images.get(s.label, ())
            draw_signer(self.canv, 0, y, self.width, s, self.font, self.size, images, image_h)


class Strip(Flowable):
    """One 封条: a framed box of fixed height, its lines spread evenly from top to bottom.

    `make(scale)` builds the lines at a type scale; the largest scale whose lines fit is used, so long
    agency names or fill-ins shrink the type instead of running over the frame. If even the smallest
    does not fit, the strip grows rather than clip anything.
    """

    def __init__(self, make: Callable[[float], list[Flowable]], height: float, pad: float = 6 * mm):
        super().__init__()
        self.make, self.strip_h, self.pad = make, height, pad
        self.items: list[Flowable] = []
        self.heights: list[float] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        inner_w = avail_width - 2 * self.pad
        inner_h = self.strip_h - 2 * self.pad
        for scale in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5):
            self.items = self.make(scale)
            self.heights = [item.wrap(inner_w, inner_h)[1] for item in self.items]
            if sum(self.heights) <= inner_h:
                break
        self.height = max(self.strip_h, sum(self.heights) + 2 * self.pad)
        return avail_width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setLineWidth(1.6)
        c.rect(0, 0, self.width, self.height)
        c.setLineWidth(0.5)
        c.rect(1.6 * mm, 1.6 * mm, self.width - 3.2 * mm, self.height - 3.2 * mm)
        c.restoreState()
        free = self.height - 2 * self.pad - sum(self.heights)
        gap = free / (len(self.items) - 1) if len(self.items) > 1 else 0
        y = self.height - self.pad
        for item, h in zip(self.items, self.heights, strict=True):
            y -= h
            item.drawOn(c, self.pad, y)
            y -= gap


class CutLine(Flowable):
    """A dashed line across the text width with a note in its middle, to cut strips apart."""

    def __init__(self, height: float, font: str, note: str = "（沿此虚线剪开）", size: float = 8):
        super().__init__()
        self.line_h, self.font, self.note, self.size = height, font, note, size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.line_h

    def draw(self) -> None:
        c = self.canv
        y = self.line_h / 2
        w = stringWidth(self.note, self.font, self.size)
        left = (self.width - w) / 2 - 2 * mm
        c.saveState()
        c.setLineWidth(0.5)
        c.setStrokeGray(0.4)
        c.setDash(3, 2)
        c.line(0, y, left, y)
        c.line(left + w + 4 * mm, y, self.width, y)
        c.setFillGray(0.4)
        c.setFont(self.font, self.size)
        c.drawString(left + 2 * mm, y - self.size * 0.35, self.note)
        c.restoreState()
