"""Helpers for the printing tests: shipped definitions, rendering to bytes, extracting text and fonts."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Mapping
from typing import Any

import pypdf
import pytest

from fieldkit.catalog import load_formdefs
from fieldkit.domain.forms import FormDef
from fieldkit.printing.options import PrintOptions
from fieldkit.printing.pdf import DocumentMeta, RenderResult, render_pdf
from fieldkit.printing.samples import AGENCY, number_for

DOC_ID = "0b7c8d2e-1111-4a5b-9c3d-123456789abc"
HASH = "3f0a9c1d2b4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeef"


@pytest.fixture(scope="session")
def formdefs() -> dict[str, FormDef]:
    return load_formdefs()


def meta_for(formdef: FormDef, *, content_hash: str | None = HASH, number: bool = True) -> DocumentMeta:
    return DocumentMeta(
        agency_name=AGENCY,
        number=number_for(formdef.code) if formdef.numbered and number else None,
        doc_id=DOC_ID,
        content_hash=content_hash,
    )


def render(
    formdef: FormDef, values: Mapping[str, Any], *, meta: DocumentMeta | None = None, **kw: Any
) -> tuple[bytes, RenderResult]:
    out = io.BytesIO()
    kw.setdefault("options", PrintOptions())  # the bundled font, as a laptop without settings.toml prints
    result = render_pdf(formdef, values, out, meta=meta or meta_for(formdef), **kw)
    return out.getvalue(), result


def page_texts(data: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def squash(s: str) -> str:
    """Text without any whitespace (line breaks, spaces and the no-break spaces of blanks)."""
    return "".join(s.split())


def without_decoration(text: str, formdef: FormDef) -> str:
    """Squashed page text minus page numbers, running headers and the check code of the footer."""
    s = squash(text)
    s = re.sub(r"第\d+页共\d+页", "", s)
    s = re.sub(r"校验码[0-9a-f]{16}", "", s)
    return s.replace(f"{AGENCY}{formdef.title}（续页）", "")


def fonts_of(data: bytes) -> list[tuple[str, bool]]:
    """(BaseFont, embedded?) for every font used on any page."""
    out = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            embedded = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            out.append((str(font["/BaseFont"]), embedded))
    return out


@functools.cache
def shipped_render(form_id: str, blank: bool) -> tuple[bytes, RenderResult, tuple[str, ...]]:
    """The sample document (or its blank copy) of a shipped form, rendered once per test session."""
    from fieldkit.printing.samples import sample_images
    from tests.examples import EXAMPLES

    formdef = load_formdefs()[form_id]
    meta = meta_for(formdef, content_hash=None, number=False) if blank else meta_for(formdef)
    data, result = render(formdef, EXAMPLES[form_id], meta=meta, blank=blank, images=sample_images())
    return data, result, tuple(page_texts(data))
