"""Signature lines come from the form's blocks; handwritten signatures are stored by hash, PNG only, and
put on a signed copy (签名版) of the printed revision, which itself stays frozen."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest

from fieldkit.catalog import load_formdef
from fieldkit.errors import FieldkitError
from fieldkit.services import documents as docs
from fieldkit.services.context import Context
from fieldkit.services.documents import SignatureRecord
from fieldkit.services.setup import load_settings, update_agency
from fieldkit.services.signatures import (
    PNG_MAGIC,
    SignatureLine,
    make_signed_copy,
    read_signature_image,
    signature_lines,
    signed_copy_attachment,
    signed_copy_pdf,
    store_signature_image,
)
from tests.printing.test_signature_images import signature_png
from tests.services.test_documents import make_inspection, rectification

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


def image_count(pdf: bytes) -> int:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return sum(
        1
        for page in reader.pages
        for x in page["/Resources"].get("/XObject", {}).values()
        if x.get_object()["/Subtype"] == "/Image"
    )


def texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def signed(ctx: Context, document_id: object, png: bytes, *, state: str = "signed") -> None:
    sha = store_signature_image(ctx, png) if png else ""
    record = SignatureRecord(
        "当事人（签名或者盖章）", "张三", state, "李四" if state != "signed" else "", sha
    )
    docs.record_signatures(ctx, document_id, [record])  # type: ignore[arg-type]


def test_a_signed_copy_is_kept_next_to_the_frozen_pdf(set_up_ctx: Context, tmp_path: Path) -> None:
    ctx = set_up_ctx
    document_id = rectification(ctx, make_inspection(ctx))
    with pytest.raises(docs.DocumentLocked):
        make_signed_copy(ctx, document_id)  # type: ignore[arg-type]
    first = docs.print_document(ctx, document_id, accept_warnings=True)
    assert signed_copy_pdf(ctx, document_id) is None  # type: ignore[arg-type]
    scan = tmp_path / "签收.jpg"
    scan.write_bytes(b"scan of the paper")
    docs.attach_scan(ctx, document_id, scan)  # type: ignore[arg-type]

    signed(ctx, document_id, signature_png())
    sha = make_signed_copy(ctx, document_id)  # type: ignore[arg-type]
    assert sha is not None
    copy = signed_copy_pdf(ctx, document_id)  # type: ignore[arg-type]
    assert copy is not None and hashlib.sha256(copy).hexdigest() == sha
    doc = docs.load_document(ctx, document_id)  # type: ignore[arg-type]
    last = doc.revisions[-1]
    assert last.pdf_sha256 == first.pdf_sha256  # the frozen PDF is untouched …
    assert docs.print_document(ctx, document_id).pdf == first.pdf  # … and is what a reprint gives
    assert signed_copy_attachment(last) == {
        "sha256": sha,
        "name": "责令改正通知书（签名版）.pdf",
        "size": len(copy),
        "kind": "signed_copy",
    }
    assert [a["name"] for a in last.attachments] == ["签收.jpg", "责令改正通知书（签名版）.pdf"]
    # the same document (number, check code, every word) with the signature on it
    assert image_count(first.pdf) == 0 and image_count(copy) == 1
    assert texts(copy) == texts(first.pdf)
    assert doc.number and doc.number in texts(copy)[0]


def test_recording_again_replaces_the_signed_copy(set_up_ctx: Context) -> None:
    ctx = set_up_ctx
    document_id = rectification(ctx, make_inspection(ctx))
    docs.print_document(ctx, document_id, accept_warnings=True)
    signed(ctx, document_id, signature_png())
    first = make_signed_copy(ctx, document_id)  # type: ignore[arg-type]
    assert make_signed_copy(ctx, document_id) == first  # type: ignore[arg-type]  # deterministic
    signed(ctx, document_id, signature_png(wobble=30))
    second = make_signed_copy(ctx, document_id)  # type: ignore[arg-type]
    assert second not in (None, first)
    attachments = docs.load_document(ctx, document_id).revisions[-1].attachments  # type: ignore[arg-type]
    assert [a["sha256"] for a in attachments] == [second]
    # refused after all: the copy now records the refusal instead of a signature (行政处罚法第五十二条)
    signed(ctx, document_id, b"", state="refused")
    third = make_signed_copy(ctx, document_id)  # type: ignore[arg-type]
    assert third not in (None, first, second)
    attachments = docs.load_document(ctx, document_id).revisions[-1].attachments  # type: ignore[arg-type]
    assert [a["sha256"] for a in attachments] == [third]
    # signed on paper only: nothing to draw, so no signed copy
    signed(ctx, document_id, b"")
    assert make_signed_copy(ctx, document_id) is None  # type: ignore[arg-type]
    assert signed_copy_pdf(ctx, document_id) is None  # type: ignore[arg-type]
    assert docs.load_document(ctx, document_id).revisions[-1].attachments == ()  # type: ignore[arg-type]


def test_the_signed_copy_names_the_agency_of_the_frozen_pdf(set_up_ctx: Context) -> None:
    ctx = set_up_ctx
    document_id = rectification(ctx, make_inspection(ctx))
    first = docs.print_document(ctx, document_id, accept_warnings=True)
    settings = load_settings(ctx)
    update_agency(ctx, replace(settings.agency, full_name="临沂市兰山区市场监督管理局（新）"), "A1")
    signed(ctx, document_id, signature_png())
    make_signed_copy(ctx, document_id)  # type: ignore[arg-type]
    copy = signed_copy_pdf(ctx, document_id)  # type: ignore[arg-type]
    assert copy is not None and texts(copy) == texts(first.pdf)
