"""What a media file says about itself (type, size, EXIF capture time, GPS, camera) and thumbnails."""

# Evidence is often damaged (a card pulled out mid-write, a phone's odd JPEG): nothing here raises
# on bad input. A corrupt image is still evidence and gets stored; it only gets exif_status
# "unreadable" and no thumbnail. Both functions take a path or an open binary file, so the service
# can read a stored file through EvidenceStore.open() and never needs its path on disk.

from __future__ import annotations

import datetime as dt
import io
import logging
import math
import mimetypes
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from PIL import ExifTags, Image, ImageOps

log = logging.getLogger(__name__)

# China has had no daylight saving time since 1991; a fixed offset needs no tz database on Windows.
SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

ExifStatus = Literal["ok", "none", "unreadable"]
MediaKind = Literal["image", "video", "audio", "document", "other"]

_TAG_MAKE = 0x010F
_TAG_MODEL = 0x0110
_TAG_ORIENTATION = 0x0112
_TAG_DATETIME_ORIGINAL = 0x9003
_TAG_DATETIME_DIGITIZED = 0x9004
_TAG_OFFSET_TIME_ORIGINAL = 0x9011
_TAG_OFFSET_TIME_DIGITIZED = 0x9012
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4

_DOCUMENT_MIMES = {
    "application/pdf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/ofd",  # 国家标准版式文档 (electronic invoices)
}
# Formats phones and body cameras write that mimetypes may not know on every OS.
_EXTRA_TYPES = {
    ".heic": "image/heic",
    ".heif": "image/heif",
    ".mts": "video/mp2t",
    ".m2ts": "video/mp2t",
    ".3gp": "video/3gpp",
    ".amr": "audio/amr",
    ".m4a": "audio/mp4",
    ".ofd": "application/ofd",
}


@dataclass(frozen=True)
class MediaInfo:
    mime: str | None  # e.g. "image/jpeg"; from the content for images, else from the file name
    kind: MediaKind
    width: int | None = None
    height: int | None = None
    taken_at: dt.datetime | None = None  # always aware; see taken_at_assumed_tz
    taken_at_assumed_tz: bool = False  # the camera gave no offset: read as Beijing time
    gps_lat: float | None = None  # decimal degrees, south negative
    gps_lon: float | None = None  # decimal degrees, west negative
    camera_make: str | None = None
    camera_model: str | None = None
    orientation: int | None = None  # EXIF orientation 1–8
    exif_status: ExifStatus = "none"


def read_media_info(src: Path | BinaryIO, name: str | None = None) -> MediaInfo:
    """Type, pixel size and EXIF of `src`; never raises for bad content.

    Args:
        src: a path, or a binary file opened for reading (it is read from its current position and
            left open).
        name: the original file name, to guess the type of a file object that is not an image.
    """
    guessed = _guess_mime(name if name is not None else (src.name if isinstance(src, Path) else None))
    try:
        img = Image.open(src)
    except (
        Image.UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        # Not an image Pillow knows, or one too broken to open. A file that claims to be an image
        # (by name) but cannot be opened is damaged evidence: say so.
        if isinstance(exc, FileNotFoundError | PermissionError):
            log.warning("cannot read %s: %s", src, exc)
        status: ExifStatus = "unreadable" if _kind(guessed) == "image" else "none"
        return MediaInfo(mime=guessed, kind=_kind(guessed), exif_status=status)
    with img:
        mime = Image.MIME.get(img.format or "") or guessed
        width, height = img.size
        try:
            exif = img.getexif()
            if not exif:
                # An EXIF block Pillow could not parse (it only warns) is damaged, not absent.
                status = "unreadable" if img.info.get("exif") else "none"
                return MediaInfo(mime=mime, kind="image", width=width, height=height, exif_status=status)
            return _from_exif(exif, mime, width, height)
        except Exception:  # Pillow raises many types on crafted or damaged EXIF (struct.error, …)
            log.info("unreadable EXIF in %s", name or src, exc_info=True)
            return MediaInfo(mime=mime, kind="image", width=width, height=height, exif_status="unreadable")


def thumbnail_jpeg(src: Path | BinaryIO, max_side: int = 256) -> bytes | None:
    """A JPEG thumbnail (EXIF orientation applied) no larger than max_side × max_side, in memory
    (~20 KB), so it goes straight into the encrypted store and never sits on disk in the clear.

    Returns None for non-images and images that cannot be decoded.
    """
    try:
        with Image.open(src) as img:
            img.thumbnail((max_side * 2, max_side * 2))  # decodes a JPEG at a reduced scale (draft)
            thumb = ImageOps.exif_transpose(img)
            thumb.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            thumb = _to_rgb(thumb)
            out = io.BytesIO()
            thumb.save(out, "JPEG", quality=85, optimize=True)
            return out.getvalue()
    except Exception:  # any decode failure means "no thumbnail", never a crash (see module comment)
        log.info("no thumbnail for %s", src, exc_info=True)
        return None


def make_thumbnail(src: Path | BinaryIO, out_path: Path, max_side: int = 256) -> bool:
    """Write a JPEG thumbnail to `out_path` (outside the data dir: tools and tests).

    Returns False, writing nothing, for non-images and images that cannot be decoded.
    """
    data = thumbnail_jpeg(src, max_side)
    if data is None:
        return False
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_path.parent, prefix=".thumb-", suffix=".jpg")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _from_exif(exif: Image.Exif, mime: str | None, width: int, height: int) -> MediaInfo:
    exif_ifd = exif.get_ifd(ExifTags.IFD.Exif)
    taken_at, assumed = _taken_at(exif_ifd)
    lat, lon = _gps(exif.get_ifd(ExifTags.IFD.GPSInfo))
    orientation = exif.get(_TAG_ORIENTATION)
    return MediaInfo(
        mime=mime,
        kind="image",
        width=width,
        height=height,
        taken_at=taken_at,
        taken_at_assumed_tz=assumed,
        gps_lat=lat,
        gps_lon=lon,
        camera_make=_text(exif.get(_TAG_MAKE)),
        camera_model=_text(exif.get(_TAG_MODEL)),
        orientation=orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else None,
        exif_status="ok",
    )


def _taken_at(exif_ifd: dict[int, object]) -> tuple[dt.datetime | None, bool]:
    # DateTimeOriginal is when the shutter fired; IFD0 DateTime is when the file was last changed
    # (an editor rewrites it), so it is not evidence of capture time and is not used.
    for tag, offset_tag in (
        (_TAG_DATETIME_ORIGINAL, _TAG_OFFSET_TIME_ORIGINAL),
        (_TAG_DATETIME_DIGITIZED, _TAG_OFFSET_TIME_DIGITIZED),
    ):
        text = _text(exif_ifd.get(tag))
        if not text:
            continue
        try:
            naive = dt.datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:
            continue
        offset = _offset(_text(exif_ifd.get(offset_tag)))
        if offset is not None:
            return naive.replace(tzinfo=offset), False
        return naive.replace(tzinfo=SHANGHAI), True
    return None, False


def _offset(text: str | None) -> dt.timezone | None:
    """An EXIF offset such as +08:00 as a timezone; None if missing or malformed."""
    if not text or len(text) != 6 or text[0] not in "+-" or text[3] != ":":
        return None
    try:
        hours, minutes = int(text[1:3]), int(text[4:6])
    except ValueError:
        return None
    if hours > 14 or minutes > 59:
        return None
    sign = 1 if text[0] == "+" else -1
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _gps(gps: dict[int, object]) -> tuple[float | None, float | None]:
    lat = _degrees(gps.get(_GPS_LAT), gps.get(_GPS_LAT_REF), "S", 90)
    lon = _degrees(gps.get(_GPS_LON), gps.get(_GPS_LON_REF), "W", 180)
    if lat is None or lon is None or (lat == 0 and lon == 0):  # 0,0 is what cameras write without a fix
        return None, None
    return lat, lon


def _degrees(value: object, ref: object, negative_ref: str, limit: float) -> float | None:
    if not isinstance(value, tuple | list) or len(value) != 3:
        return None
    try:
        d, m, s = (float(part) for part in value)  # IFDRational
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = d + m / 60 + s / 3600
    if not math.isfinite(result) or result > limit:
        return None
    if _text(ref) == negative_ref:
        result = -result
    return round(result, 7)


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", "").strip()
    return value or None


def _guess_mime(name: str | None) -> str | None:
    if not name:
        return None
    suffix = Path(name).suffix.lower()
    return _EXTRA_TYPES.get(suffix) or mimetypes.guess_type(name, strict=False)[0]


def _kind(mime: str | None) -> MediaKind:
    if not mime:
        return "other"
    major = mime.split("/", 1)[0]
    if major in ("image", "video", "audio"):
        return major  # type: ignore[return-value]
    if mime in _DOCUMENT_MIMES or mime.startswith("text/"):
        return "document"
    return "other"


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode == "RGB":
        return img
    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))  # transparent screenshots on white
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img.convert("RGB")
