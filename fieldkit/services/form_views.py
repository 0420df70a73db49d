"""What commands and screens show of the form definitions: titles, the check of every definition, and
trial prints of a definition (no store needed: `fieldkit forms …` and `render` work before set-up)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from fieldkit.catalog import check_forms as catalog_problems
from fieldkit.catalog import load_formdefs
from fieldkit.domain import forms as F
from fieldkit.printing.options import PrintOptions
from fieldkit.printing.pdf import DocumentMeta, render_pdf


def form_title(form_id: str) -> str:
    """The form's title, or its id when no definition has it (a record from a newer release)."""
    formdef = load_formdefs().get(form_id)
    return formdef.title if formdef is not None else form_id


def numbered_forms() -> frozenset[str]:
    """The forms that get a 文号 when first printed (a 笔录 or 清单 never has one)."""
    return frozenset(f.id for f in load_formdefs().values() if f.numbered)


def check_forms() -> tuple[int, list[str]]:
    """How many definitions there are, and every problem found in them (file and key named)."""
    problems = [str(problem) for problem in catalog_problems()]
    return len(load_formdefs()), problems


def sample_pdf(
    formdef: F.FormDef,
    values: Mapping[str, Any] | None = None,
    *,
    agency: str,
    number: str | None = None,
    draft: bool = False,
    options: PrintOptions,
) -> tuple[bytes, int]:
    """A trial print of a definition with the given values, for whoever edits the forms: the PDF and
    its page count. It is unchecked, unnumbered by the series and on no record, so every page says so
    (样张, or 草稿 with `draft`): it can never pass for a document served on a party (行政处罚法第五十二条).
    `values`: None prints the definition's own `[example]` (a form without one prints its blank lines).
    `options`: the data dir's print settings (services.settings.load_local_settings), as a real print has."""
    buffer = io.BytesIO()
    meta = DocumentMeta(agency_name=agency, number=number, doc_id="render", stamp="" if draft else "样张")
    values = formdef.example if values is None else values
    result = render_pdf(formdef, values, buffer, meta=meta, options=options, draft=draft)
    return buffer.getvalue(), result.pages
