"""Signature lines come from the form's blocks; handwritten signatures are stored by hash, PNG only."""

from __future__ import annotations

import hashlib

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.printing.formdefs import load_formdef
from fieldkit.services.context import Context
from fieldkit.services.signatures import (
    PNG_MAGIC,
    SignatureLine,
    read_signature_image,
    signature_lines,
    store_signature_image,
)

OFFICERS = [{"name": "张建国", "cert_no": "1"}, {"name": "李晓梅", "cert_no": "2"}]


def test_a_record_lists_each_footer_line_with_the_names_it_knows() -> None:
    formdef = load_formdef("xunwen_bilu")
    values = {"officers": OFFICERS, "recorder": "李晓梅", "name": "赵昇艳"}
    assert signature_lines(formdef, values) == [
        SignatureLine("被询问人（签名）", "赵昇艳"),
        SignatureLine("询问人（签名）", "张建国"),
        SignatureLine("询问人（签名）", "李晓梅"),
        SignatureLine("记录人（签名）", "李晓梅"),
    ]


def test_the_witness_line_is_optional() -> None:
    lines = signature_lines(load_formdef("xianchang_bilu"), {"officers": OFFICERS})
    assert [(line.role, line.optional) for line in lines] == [
        ("当事人（签名）", False),
        ("检查人员（签名）", False),
        ("检查人员（签名）", False),
        ("见证人（签名）", True),
    ]


def test_a_signature_png_is_stored_by_its_hash(set_up_ctx: Context) -> None:
    png = PNG_MAGIC + b"\x00" * 64
    sha = store_signature_image(set_up_ctx, png)
    assert sha == hashlib.sha256(png).hexdigest()
    assert read_signature_image(set_up_ctx, sha) == png
    with pytest.raises(FieldkitError, match="PNG"):
        store_signature_image(set_up_ctx, b"GIF89a")
