"""Yuan as typed ("12.5") to int fen and back, by string arithmetic: money never passes through a float."""

from __future__ import annotations

import re

# Up to 12 digits of yuan (a billion-yuan fine is unheard of) and at most two decimals.
YUAN_PATTERN = r"\d{0,12}(\.\d{0,2})?"
_YUAN_RE = re.compile(r"(\d{0,12})(?:\.(\d{0,2}))?")


def yuan_text_to_fen(text: str) -> int | None:
    """Yuan text to fen: "150.5" → 15050, "0.05" → 5; None for empty or malformed text."""
    match = _YUAN_RE.fullmatch(text.strip().replace(",", "").replace("，", ""))
    if match is None:
        return None
    whole, cents = match.group(1), match.group(2) or ""
    if not whole and not cents:
        return None
    return int(whole or "0") * 100 + int(cents.ljust(2, "0"))


def fen_to_yuan_text(fen: int) -> str:
    """15050 → "150.50" (what the yuan input shows)."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan}.{cents:02d}"
