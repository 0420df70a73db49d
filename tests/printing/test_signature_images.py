"""Handwritten signatures drawn on their signature lines: in signature blocks and the 笔录 page footer."""

from __future__ import annotations

import io
import re

import pypdf
from PIL import Image, ImageDraw
from reportlab.lib.units import mm

from fieldkit.printing.flowables import SIGNATURE_MAX_H
from fieldkit.printing.pdf import FOOTER_SIGNERS_BASE, SIGNER_PITCH
from fieldkit.printing.samples import long_qa
from tests.examples import EXAMPLES
from tests.printing.conftest import render

DO_IMAGE = re.compile(rb"([\d.]+) 0 0 ([\d.]+) ([\d.-]+) ([\d.-]+) cm\s*/(\S+) Do")


def signature_png(width: int = 480, height: int = 160, *, wobble: int = 0) -> bytes:
    """Ink on a transparent background, with some empty margin (the renderer crops it away)."""
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    points = [(30, 120), (90, 30), (150, 130 - wobble), (230, 40 + wobble), (320, 125), (440, 60)]
    draw.line(points, fill=(16, 36, 62), width=7)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def images_on_pages(data: bytes) -> list[list[tuple[float, float, float, float]]]:
    """Per page: (width, height, x, y) of every image XObject drawn on it, in points."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        content = page.get_contents().get_data()
        drawn = []
        for w, h, x, y, name in DO_IMAGE.findall(content):
            xobject = xobjects.get("/" + name.decode())
            if xobject is not None and xobject.get_object()["/Subtype"] == "/Image":
                drawn.append((float(w), float(h), float(x), float(y)))
        pages.append(drawn)
    return pages


def test_a_signature_is_drawn_in_the_footer_of_every_page_of_a_record(formdefs):
    formdef = formdefs["xunwen_bilu"]
    values = {**EXAMPLES["xunwen_bilu"], "qa": long_qa(14)}
    png = signature_png()
    data, result = render(formdef, values, signatures={"被询问人（签名）": png, "询问人（签名）": [png, png]})
    pages = images_on_pages(data)
    assert result.pages == len(pages) > 1
    lowest = FOOTER_SIGNERS_BASE - 2  # the blank of the lowest footer line
    for drawn in pages:
        assert len(drawn) == 3  # one party, two officers; none for the recorder
        for _w, h, _x, y in drawn:
            assert h <= SIGNER_PITCH  # never up into the line above
            assert lowest - 1 * mm <= y <= lowest + 3 * SIGNER_PITCH
    # the two officers' signatures sit side by side on one line, the party's on the line above
    first, second, party = sorted(pages[0], key=lambda d: (d[3], d[2]))
    assert abs(first[3] - second[3]) < 1 and first[2] + first[0] < second[2]
    assert party[3] > first[3] + SIGNER_PITCH / 2


def test_a_signature_block_gets_its_signature(formdefs):
    formdef = formdefs["zeling_gaizheng"]
    data, _ = render(
        formdef, EXAMPLES["zeling_gaizheng"], signatures={"当事人（签名或者盖章）": signature_png()}
    )
    ((w, h, _x, _y),) = images_on_pages(data)[0]
    assert 0 < h <= SIGNATURE_MAX_H and w > h  # aspect ratio kept (the PNG is wide)
    assert abs(w / h - (440 - 30 + 7) / (130 - 30 + 7)) < 0.3  # cropped to the ink


def test_without_usable_signatures_the_pdf_is_unchanged_and_output_is_deterministic(formdefs):
    for form_id in ("xunwen_bilu", "zeling_gaizheng", "xianchang_bilu"):
        formdef = formdefs[form_id]
        plain, _ = render(formdef, EXAMPLES[form_id])
        for signatures in (
            None,
            {},
            {"不存在的人（签名）": signature_png()},
            {"当事人（签名）": b"not a png"},
        ):
            assert render(formdef, EXAMPLES[form_id], signatures=signatures)[0] == plain, signatures
        label = formdef.page_footer.signers[0].label if formdef.page_footer else "当事人（签名或者盖章）"
        signed = render(formdef, EXAMPLES[form_id], signatures={label: signature_png()})[0]
        assert signed != plain
        assert render(formdef, EXAMPLES[form_id], signatures={label: signature_png()})[0] == signed
        assert len(pypdf.PdfReader(io.BytesIO(signed)).pages) == len(pypdf.PdfReader(io.BytesIO(plain)).pages)


def test_a_blank_form_never_shows_a_signature(formdefs):
    formdef = formdefs["xianchang_bilu"]
    blank, _ = render(formdef, {}, blank=True)
    assert render(formdef, {}, blank=True, signatures={"当事人（签名）": signature_png()})[0] == blank
