"""Drafting a 文书 from the 证据 and 措施 panels: the service call, a refusal shown, the draft named."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from fieldkit.errors import FieldkitError
from fieldkit.services import documents
from fieldkit.services.context import Context
from fieldkit.ui import strings
from fieldkit.ui.errors import show_error
from fieldkit.ui.widgets.banner import Banner


def draft_document(
    parent: QWidget, ctx: Context, banner: Banner, create: Callable[[], uuid.UUID]
) -> uuid.UUID | None:
    """Run `create` (a service drafting the 文书); its id with the banner naming the draft, or None
    after the refusal was shown (nothing drafted)."""
    try:
        document_id = create()
        title = documents.load_document(ctx, document_id).title
    except FieldkitError as exc:
        show_error(parent, exc)
        return None
    banner.set_kind("info")
    banner.show_text(strings.document_created(title))
    return document_id
