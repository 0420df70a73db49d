"""The store-using half of the form registry: each form's hooks, keyed by form id.

domain/formrules.py holds the pure half (procedure checks, what a draft is made from, which measures a
form acts on). Here: how a draft is filled from the records (`fill`), what is brought up to date before
it is printed for signature (`before_print`), what printing it does to the records (`after_finalise`), and
the pictures its `images` fields print (`images`). A form without an entry (a province's plain form, one
TOML file) gets PLAIN: pre-filled from its matter, images from the evidence store, nothing else.

documents.py and issuing.py ask `hooks_for`; the hook modules (evidence_docs, measure_docs) never import
documents.py, so registering them here makes no import cycle.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fieldkit.domain import forms as F
from fieldkit.domain.documents import Finalised
from fieldkit.services import evidence_docs, measure_docs
from fieldkit.services.context import Context

# (ctx, form_id, matter_id, the evidence item or measure picked, if any) -> values over the pre-fill
Fill = Callable[[Context, str, uuid.UUID, uuid.UUID | None], dict[str, Any]]
AfterFinalise = Callable[[Context, Finalised], object]
Images = Callable[[Context, F.FormDef, Mapping[str, Any]], dict[str, bytes]]


@dataclass(frozen=True)
class FormHooks:
    fill: Fill | None = None
    before_print: Fill | None = None  # values brought up to date while the document is still editable
    after_finalise: AfterFinalise | None = None  # after finalise, correct or reissue
    images: Images = evidence_docs.document_images


PLAIN = FormHooks()

_MEASURE_DOC = FormHooks(fill=measure_docs.fill, after_finalise=measure_docs.apply_printed)

HOOKS: Mapping[str, FormHooks] = {
    "zhengju_qingdan": FormHooks(
        fill=evidence_docs.fill_evidence_list,
        before_print=evidence_docs.fill_evidence_list,
        after_finalise=evidence_docs.freeze_evidence,
    ),
    "zhengju_tiqu": FormHooks(fill=evidence_docs.fill_extraction),
    "dianzi_shuju_tiqu": FormHooks(fill=evidence_docs.fill_electronic),
    "caiwu_qingdan": FormHooks(fill=evidence_docs.fill_goods_list),
    "fengtiao": FormHooks(fill=evidence_docs.fill_seal),
    "yanchang_qiangzhi": _MEASURE_DOC,
    "jiechu_qiangzhi": _MEASURE_DOC,
    "jiechu_baocun": _MEASURE_DOC,
}


def hooks_for(form_id: str) -> FormHooks:
    return HOOKS.get(form_id, PLAIN)
