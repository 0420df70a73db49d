"""What a print needs to know from this laptop's settings, handed in by the caller (services), never read here.

Printing is given its options as an argument so that the same input always gives the same PDF, whatever data
dir, environment or settings file the process happens to see (issue 12 §8).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class FontChoice(StrEnum):
    """`[printing] font` of settings.toml."""

    BUNDLED = "bundled"  # the serif CJK face shipped in resources/fonts
    SYSTEM = "system"  # the system 仿宋/宋体 (Windows), else the bundled face


@dataclass(frozen=True)
class SystemFont:
    path: Path
    subfont_index: int = 0  # the face inside a .ttc collection


@dataclass(frozen=True)
class PrintOptions:
    """Hashable and comparable, so a font choice made for one set of options is never reused for another."""

    font: FontChoice = FontChoice.BUNDLED
    system_fonts: tuple[SystemFont, ...] = ()  # tried in this order when `font` is SYSTEM
