"""Values stored as an English code and shown by a Chinese label: the data keeps the code, screens and
documents show the label. Each member names both, so the label has one place (issue 12 §4)."""

from __future__ import annotations

import enum
from typing import Self


class Coded(enum.StrEnum):
    """A StrEnum whose members are written `CODE = "code", "标签"`; `str(member)` is the code."""

    label: str

    def __new__(cls, code: str, label: str) -> Self:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        return member

    @classmethod
    def from_text(cls, text: str) -> Self:
        """The member named by its code or its label (an office's sheet, an old bundle, a typed option).

        Raises ValueError for anything else."""
        text = text.strip()
        for member in cls:
            if text in (member.value, member.label):
                return member
        raise ValueError(f"{text!r} is not a {cls.__name__} code or label")

    @classmethod
    def label_of(cls, code: str) -> str:
        """The label of a stored code; a code this release does not know (a newer laptop's) as it came."""
        try:
            return cls(code).label
        except ValueError:
            return code

    @classmethod
    def labels(cls) -> tuple[str, ...]:
        return tuple(member.label for member in cls)
