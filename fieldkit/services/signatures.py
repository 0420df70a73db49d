"""Signature lines of a printed document and handwritten signature images kept in the file store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fieldkit.domain import forms as F
from fieldkit.errors import FieldkitError
from fieldkit.services.context import Context
from fieldkit.services.documents import file_store

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 2 * 1024 * 1024  # a captured signature is ~10–40 KB

# Words in a signer's label that mark the line of the officers (their names come from the officers field)
# and of a witness (a line that is only used when the party refused or was absent).
_OFFICER_WORDS = ("执法人员", "检查人员", "询问人", "提取人", "抽样人员", "记录人", "送达人")
_WITNESS_WORDS = ("见证人",)


@dataclass(frozen=True)
class SignatureLine:
    """One blank on the paper someone signs: its label (the SignatureRecord role) and a suggested name."""

    role: str
    name: str = ""
    optional: bool = False  # e.g. the witness line: recorded only when a witness signed


def signature_lines(formdef: F.FormDef, values: Mapping[str, Any]) -> list[SignatureLine]:
    """The signature lines of the form, in print order (SignatureBlock, PageFooterBlock, StripBlock),
    each signer repeated `count` times; officers' lines suggest the officers' names in order."""
    signers: list[F.Signer] = []
    seen: set[str] = set()
    for block in formdef.blocks:
        if not isinstance(block, F.SignatureBlock | F.PageFooterBlock | F.StripBlock):
            continue
        if not F.when_holds(formdef, block.when, values):
            continue
        for signer in block.signers:
            if signer.label not in seen:  # a 笔录's footer repeats the lines of its last page
                seen.add(signer.label)
                signers.append(signer)
    raw = values.get("officers") if formdef.has_field("officers") else None
    officers = [str(o.get("name") or "") for o in raw or [] if isinstance(o, Mapping)]
    recorder = str(values.get("recorder") or "")
    lines: list[SignatureLine] = []
    for signer in signers:
        for i in range(max(1, signer.count)):
            name = ""
            if signer.label.startswith("记录人"):
                name = recorder
            elif signer.label.startswith("被询问人"):
                name = str(values.get("name") or "") if formdef.has_field("name") else ""
            elif any(w in signer.label for w in _OFFICER_WORDS) and i < len(officers):
                name = officers[i]
            optional = any(w in signer.label for w in _WITNESS_WORDS)
            lines.append(SignatureLine(signer.label, name, optional))
    return lines


def store_signature_image(ctx: Context, png: bytes) -> str:
    """Keep a handwritten signature (PNG) in the content-addressed store; returns its SHA-256
    for SignatureRecord.image_sha256."""
    if not png.startswith(PNG_MAGIC):
        raise FieldkitError("手写签名图像格式不对（应为 PNG 图片）")
    if len(png) > MAX_SIGNATURE_BYTES:
        raise FieldkitError("手写签名图像过大，请清除后重新签写")
    return file_store(ctx).add_bytes(png, name="signature.png").sha256


def read_signature_image(ctx: Context, sha256: str) -> bytes:
    """The stored PNG of a signature, to show it again."""
    with file_store(ctx).open(sha256) as f:
        return f.read()
