"""What the forms' examples share, kept in code: the made-up party, officers and agencies they tell of (the
demo data retells them of its own), the photos their 证据提取单 shows, and helpers for the tests.

Each form's example values are data: the `[example]` table of forms/<form_id>.toml (FormDef.example)."""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw

from fieldkit.catalog import load_formdef

AGENCY = "汾阳市市场监督管理局"
GOVERNMENT = "汾阳市人民政府"
OFFICERS = [
    {"name": "王建国", "cert_no": "14110201001"},
    {"name": "李晓燕", "cert_no": "14110201017"},
]
PARTY = {
    "party_name": "汾阳市喆堃便利店",
    "license_name": "营业执照",
    "uscc": "92141182MA0KXXXX4B",
    "address": "山西省汾阳市胜利街 128 号",
    "legal_rep": "张昇犇",
    "id_no": "141182198807150036",
    "phone": "13903581234",
}

# Photos of the 证据提取单 example: the original files' SHA-256 (made up) → thumbnails made by sample_images().
PHOTO_HASHES = {
    "IMG_20260305_095012.jpg": "5a1c3e7b9d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c",
    "IMG_20260305_095140.jpg": "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "IMG_20260305_095233.jpg": "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00",
    "IMG_20260305_095301.jpg": "9b8a7f6e5d4c3b2a19080706050403020100fedcba98765432100123456789ab",
}


@functools.cache
def sample_images() -> dict[str, bytes]:
    """Small JPEG 'photos' (a shelf with boxes, landscape and portrait) for the PHOTO_HASHES."""
    out: dict[str, bytes] = {}
    for i, sha in enumerate(PHOTO_HASHES.values()):
        size = (256, 192) if i != 2 else (144, 256)
        img = Image.new("RGB", size, (214 - 20 * i, 206, 190 + 10 * i))
        draw = ImageDraw.Draw(img)
        w, h = size
        for shelf in range(1, 4):
            y = h * shelf // 4
            draw.rectangle((0, y, w, y + 4), fill=(120, 90, 60))
            for k in range(6):
                x = 8 + k * (w - 16) // 6
                draw.rectangle(
                    (x, y - 30, x + (w - 16) // 6 - 6, y - 2), fill=(240, 240, 250), outline=(40, 80, 160)
                )
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", quality=80)
        out[sha] = buffer.getvalue()
    return out


def number_for(code: str) -> str:
    return f"汾市监{code}〔2026〕12号"


def long_qa(pairs: int = 60) -> list[dict[str, str]]:
    """Many long question/answer pairs (the 询问笔录 example's, repeated): a 询问笔录 of about ten pages."""
    qa = load_formdef("xunwen_bilu").example["qa"]
    out = []
    for i in range(pairs):
        base = qa[i % len(qa)]
        out.append({"q": f"（{i + 1}）{base['q']}", "a": base["a"] + "另外，" + base["a"] * 2})
    return out
