"""Real JPEGs for the evidence tests: a camera card folder with capture time, camera and GPS in EXIF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PIL import Image, ImageDraw

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
MAKE, MODEL, DATETIME_ORIGINAL = 0x010F, 0x0110, 0x9003


def dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 2))


def make_photo(
    path: Path,
    taken_at: dt.datetime,
    *,
    size: tuple[int, int] = (640, 480),
    seed: int = 0,
    gps: tuple[float, float] | None = (35.0532, 118.3417),
) -> Path:
    """A JPEG that looks like a shop shelf (coloured boxes on shelves) with full EXIF."""
    w, h = size
    img = Image.new("RGB", size, (224 - seed * 7 % 40, 220, 210))
    draw = ImageDraw.Draw(img)
    for shelf in range(3):
        y = h // 4 + shelf * h // 4
        draw.rectangle((0, y, w, y + 8), fill=(120, 90, 60))
        for i in range(8):
            x = 10 + i * w // 8
            colour = ((seed * 53 + i * 37 + shelf * 71) % 200 + 30, (i * 91 + shelf * 13) % 200 + 30, 120)
            draw.rectangle((x, y - h // 6, x + w // 10, y), fill=colour, outline=(40, 40, 40))
    exif = Image.Exif()
    exif[MAKE] = "HUAWEI"
    exif[MODEL] = "Mate 60"
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    if gps is not None:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: dms(gps[0]), 3: "E", 4: dms(gps[1])})
    img.save(path, "JPEG", quality=85, exif=exif)
    return path


def camera_card(folder: Path, n: int, *, start: dt.datetime | None = None) -> Path:
    """`folder`/DCIM/100HUAWEI/IMG_0001.jpg … with capture times a minute apart."""
    photos = folder / "DCIM" / "100HUAWEI"
    photos.mkdir(parents=True, exist_ok=True)
    start = start or dt.datetime(2026, 3, 2, 9, 41)
    for i in range(n):
        make_photo(photos / f"IMG_{i + 1:04d}.jpg", start + dt.timedelta(minutes=i), seed=i)
    return folder
