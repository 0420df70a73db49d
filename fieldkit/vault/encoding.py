"""Base64 for key material in JSON files."""

from __future__ import annotations

import base64
import binascii

from fieldkit.vault.errors import VaultError


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise VaultError("密钥文件已损坏（应为 base64 文本）")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise VaultError("密钥文件已损坏（base64 无法解码）") from exc
