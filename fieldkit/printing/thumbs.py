"""Thumbnails on forms: decode the bytes the caller passed in (never the store) and draw them in a box."""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Mapping

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

log = logging.getLogger(__name__)

MAX_PIXELS = 40_000_000  # larger pictures are refused before decoding (a thumbnail is ~256 px)
MAX_SIDE = 1024  # larger pictures are scaled down first, so a full photo passed by mistake stays cheap
MISSING_TEXT = "（图片缺失）"
UNREADABLE_TEXT = "（图片无法显示）"


def load_picture(data: bytes) -> ImageReader | None:
    """An ImageReader for JPEG/PNG bytes, or None when they cannot be decoded.

    Decoding happens here once, so a broken picture prints as a labelled box instead of stopping the
    document. Re-encoding of oversize pictures is deterministic (same bytes in, same PDF out).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.format not in ("JPEG", "PNG") or img.width * img.height > MAX_PIXELS:
                    return None
                img.load()
                if max(img.size) <= MAX_SIDE and img.mode in ("RGB", "L"):
                    return ImageReader(io.BytesIO(data))
                small = _flatten(img)
                small.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                small.save(out, "JPEG", quality=85)
                return ImageReader(io.BytesIO(out.getvalue()))
    except Exception:  # any decoding problem means "cannot show it", never a failed print
        log.info("picture of %d bytes cannot be decoded", len(data), exc_info=True)
        return None


def _flatten(img: Image.Image) -> Image.Image:
    """RGB on white: transparent parts of a PNG would otherwise print black."""
    if img.mode in ("RGBA", "LA", "P", "PA"):
        rgba = img.convert("RGBA")
        out = Image.new("RGB", rgba.size, "white")
        out.paste(rgba, mask=rgba.getchannel("A"))
        return out
    return img.convert("RGB")


def load_pictures(images: Mapping[str, bytes] | None, wanted: set[str]) -> dict[str, ImageReader | None]:
    """The decoded pictures for the hashes a document shows; absent ones are not in the result."""
    if not images:
        return {}
    return {sha: load_picture(images[sha]) for sha in sorted(wanted) if sha in images}


class Thumb(Flowable):
    """A picture scaled into a fixed box; an empty framed box with a note when there is none."""

    def __init__(
        self,
        picture: ImageReader | None,
        width: float,
        height: float,
        *,
        note: str = MISSING_TEXT,
        font: str,
        size: float = 9,
        frame: bool = True,
    ):
        super().__init__()
        self.picture, self.box_w, self.box_h = picture, width, height
        self.note, self.font, self.size, self.frame = note, font, size, frame

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.box_w, self.box_h

    def draw(self) -> None:
        c = self.canv
        if self.picture is not None:
            iw, ih = self.picture.getSize()
            scale = min(self.box_w / iw, self.box_h / ih)
            w, h = iw * scale, ih * scale
            c.drawImage(self.picture, (self.box_w - w) / 2, (self.box_h - h) / 2, w, h)
            return
        c.saveState()
        if self.frame:
            c.setLineWidth(0.6)
            c.setDash(2, 2)
            c.rect(0, 0, self.box_w, self.box_h)
        c.setFont(self.font, self.size)
        c.setFillGray(0.35)
        w = stringWidth(self.note, self.font, self.size)
        c.drawString((self.box_w - w) / 2, self.box_h / 2 - self.size * 0.35, self.note)
        c.restoreState()
