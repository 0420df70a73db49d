"""EXIF capture time, GPS and camera from real JPEGs made with Pillow; thumbnails; damaged files."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from fieldkit.store.exif import SHANGHAI, make_thumbnail, read_media_info

# 临沂市兰山区 roughly: 35°06'14.76"N 118°21'23.04"E.
LAT = (IFDRational(35, 1), IFDRational(6, 1), IFDRational(1476, 100))
LON = (IFDRational(118, 1), IFDRational(21, 1), IFDRational(2304, 100))


def jpeg_bytes(
    size: tuple[int, int] = (640, 480),
    *,
    taken: str | None = "2024:03:15 10:30:45",
    offset: str | None = "+08:00",
    gps: tuple[str, tuple, str, tuple] | None = ("N", LAT, "E", LON),
    orientation: int | None = None,
    make: str | None = "HUAWEI",
    model: str | None = "ELE-AL00",
) -> bytes:
    img = Image.new("RGB", size, (200, 60, 40))
    img.paste((20, 20, 220), (0, 0, size[0] // 4, size[1]))  # a blue left edge, to check rotation
    exif = Image.Exif()
    if make:
        exif[0x010F] = make
    if model:
        exif[0x0110] = model
    if orientation:
        exif[0x0112] = orientation
    exif_ifd = exif.get_ifd(ExifTags.IFD.Exif)
    if taken:
        exif_ifd[0x9003] = taken  # DateTimeOriginal
    if offset:
        exif_ifd[0x9011] = offset  # OffsetTimeOriginal
    if gps:
        gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps_ifd[0] = b"\x02\x03\x00\x00"  # GPSVersionID 2.3
        gps_ifd[1], gps_ifd[2], gps_ifd[3], gps_ifd[4] = gps
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def plain_jpeg_bytes(size: tuple[int, int] = (320, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 10)).save(out, "JPEG")
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_jpeg_with_exif_time_offset_gps_and_camera(tmp_path):
    info = read_media_info(write(tmp_path, "IMG_0001.JPG", jpeg_bytes()))
    assert info.exif_status == "ok"
    assert (info.mime, info.kind, info.width, info.height) == ("image/jpeg", "image", 640, 480)
    assert info.taken_at == dt.datetime(2024, 3, 15, 10, 30, 45, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert info.taken_at.utcoffset() == dt.timedelta(hours=8)
    assert not info.taken_at_assumed_tz
    assert info.gps_lat == pytest.approx(35.1041, abs=1e-6)
    assert info.gps_lon == pytest.approx(118.3564, abs=1e-6)
    assert (info.camera_make, info.camera_model) == ("HUAWEI", "ELE-AL00")


def test_capture_time_without_offset_is_read_as_beijing_time(tmp_path):
    info = read_media_info(write(tmp_path, "a.jpg", jpeg_bytes(offset=None)))
    assert info.taken_at == dt.datetime(2024, 3, 15, 10, 30, 45, tzinfo=SHANGHAI)
    assert info.taken_at_assumed_tz
    assert info.taken_at.astimezone(dt.UTC).hour == 2


def test_capture_time_with_another_offset_keeps_it(tmp_path):
    info = read_media_info(write(tmp_path, "a.jpg", jpeg_bytes(offset="-05:00")))
    assert info.taken_at.utcoffset() == dt.timedelta(hours=-5)
    assert info.taken_at.astimezone(SHANGHAI) == dt.datetime(2024, 3, 15, 23, 30, 45, tzinfo=SHANGHAI)


def test_southern_and_western_coordinates_are_negative(tmp_path):
    info = read_media_info(write(tmp_path, "a.jpg", jpeg_bytes(gps=("S", LAT, "W", LON))))
    assert info.gps_lat == pytest.approx(-35.1041, abs=1e-6)
    assert info.gps_lon == pytest.approx(-118.3564, abs=1e-6)


def test_gps_without_a_fix_is_no_position(tmp_path):
    zero = (IFDRational(0, 1), IFDRational(0, 1), IFDRational(0, 1))
    info = read_media_info(write(tmp_path, "a.jpg", jpeg_bytes(gps=("N", zero, "E", zero))))
    assert info.exif_status == "ok"
    assert (info.gps_lat, info.gps_lon) == (None, None)


def test_exif_without_gps_or_time(tmp_path):
    info = read_media_info(write(tmp_path, "a.jpg", jpeg_bytes(gps=None, taken=None, offset=None)))
    assert info.exif_status == "ok"
    assert info.taken_at is None and info.gps_lat is None and info.gps_lon is None
    assert info.camera_make == "HUAWEI"


def test_blank_capture_time_is_no_time(tmp_path):
    info = read_media_info(write(tmp_path, "a.jpg", jpeg_bytes(taken="    :  :     :  :  ", offset=None)))
    assert info.exif_status == "ok" and info.taken_at is None


def test_jpeg_without_exif(tmp_path):
    info = read_media_info(write(tmp_path, "scan.jpg", plain_jpeg_bytes()))
    assert info.exif_status == "none"
    assert (info.mime, info.width, info.height) == ("image/jpeg", 320, 200)
    assert info.taken_at is None and info.camera_make is None


def test_a_truncated_jpeg_is_unreadable_and_never_raises(tmp_path):
    data = jpeg_bytes()
    info = read_media_info(write(tmp_path, "IMG_0002.JPG", data[:300]))  # cut inside the EXIF block
    assert info.exif_status == "unreadable"
    assert (info.mime, info.kind) == ("image/jpeg", "image")
    assert info.width is None and info.taken_at is None


def test_a_jpeg_cut_in_the_image_data_keeps_its_exif_but_has_no_thumbnail(tmp_path):
    data = jpeg_bytes(size=(800, 600))
    path = write(tmp_path, "IMG_0003.JPG", data[: len(data) * 2 // 3])
    info = read_media_info(path)
    assert info.exif_status == "ok" and info.taken_at is not None
    assert make_thumbnail(path, tmp_path / "thumb.jpg") is False
    assert not (tmp_path / "thumb.jpg").exists()


def test_a_damaged_exif_block_is_unreadable(tmp_path):
    data = bytearray(jpeg_bytes())
    start = data.find(b"Exif\x00\x00")
    data[start + 6 : start + 14] = b"XXXXXXXX"  # the TIFF header the EXIF block starts with
    info = read_media_info(write(tmp_path, "a.jpg", bytes(data)))
    assert info.exif_status == "unreadable"
    assert (info.width, info.height) == (640, 480)


def test_garbage_named_like_a_photo_is_unreadable(tmp_path):
    info = read_media_info(write(tmp_path, "IMG_0004.JPG", os.urandom(5000)))
    assert info.exif_status == "unreadable" and info.kind == "image"


def test_png_without_exif(tmp_path):
    out = io.BytesIO()
    Image.new("RGBA", (300, 100), (0, 0, 0, 0)).save(out, "PNG")
    path = write(tmp_path, "网店截图.png", out.getvalue())
    info = read_media_info(path)
    assert (info.mime, info.kind, info.width, info.height, info.exif_status) == (
        "image/png",
        "image",
        300,
        100,
        "none",
    )
    assert make_thumbnail(path, tmp_path / "t.jpg")
    with Image.open(tmp_path / "t.jpg") as thumb:
        assert thumb.format == "JPEG" and thumb.size == (256, 85)
        assert thumb.getpixel((10, 10)) == pytest.approx((255, 255, 255), abs=3)  # transparent → white


def test_non_images(tmp_path):
    pdf = read_media_info(write(tmp_path, "营业执照.pdf", b"%PDF-1.7\n%\xe2\xe3\n"))
    assert (pdf.mime, pdf.kind, pdf.exif_status) == ("application/pdf", "document", "none")
    video = read_media_info(write(tmp_path, "执法记录仪.MP4", os.urandom(4096)))
    assert (video.mime, video.kind, video.exif_status) == ("video/mp4", "video", "none")
    unknown = read_media_info(write(tmp_path, "data.xyz123", b"\x00" * 10))
    assert (unknown.mime, unknown.kind, unknown.exif_status) == (None, "other", "none")
    assert make_thumbnail(tmp_path / "执法记录仪.MP4", tmp_path / "t.jpg") is False
    assert make_thumbnail(tmp_path / "营业执照.pdf", tmp_path / "t.jpg") is False
    assert not (tmp_path / "t.jpg").exists()


def test_a_missing_file_does_not_raise(tmp_path):
    info = read_media_info(tmp_path / "gone.jpg")
    assert info.exif_status == "unreadable"
    assert make_thumbnail(tmp_path / "gone.jpg", tmp_path / "t.jpg") is False


def test_reads_from_an_open_file_and_leaves_it_open(tmp_path):
    path = write(tmp_path, "a.jpg", jpeg_bytes())
    with path.open("rb") as f:
        info = read_media_info(f, name="IMG_0001.JPG")
        assert not f.closed
    assert info.exif_status == "ok" and info.camera_model == "ELE-AL00"
    with path.open("rb") as f:
        assert make_thumbnail(f, tmp_path / "from_file.jpg")


def test_thumbnail_fits_the_box_and_applies_exif_orientation(tmp_path):
    # Orientation 6: the camera was turned; the picture must be rotated 90° clockwise to show upright.
    path = write(tmp_path, "a.jpg", jpeg_bytes(size=(1600, 1200), orientation=6))
    assert read_media_info(path).orientation == 6
    out = tmp_path / "thumbs" / "a.jpg"
    assert make_thumbnail(path, out)
    with Image.open(out) as thumb:
        assert thumb.size == (192, 256)
        top = thumb.convert("RGB").getpixel((96, 10))
        assert top[2] > 150 and top[0] < 100  # the blue left edge is now at the top
    assert [p.name for p in out.parent.iterdir()] == ["a.jpg"]  # no temp file left


def test_thumbnail_max_side(tmp_path):
    path = write(tmp_path, "a.jpg", jpeg_bytes(size=(1000, 500)))
    assert make_thumbnail(path, tmp_path / "t.jpg", max_side=128)
    with Image.open(tmp_path / "t.jpg") as thumb:
        assert thumb.size == (128, 64)
