"""Ids as SQLite stores them (32 hex digits), made into uuid.UUID only when one is read.

Building 100,000 uuid.UUID objects took ~0.4–0.75 s of the 检查 list's first paint at 100k rows, most of
it (profile in docs/performance.md); a lazy list model reads one page of 200 at a time, so the rest is
never needed as objects.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import overload


class IdList(Sequence[uuid.UUID]):
    """A read-only sequence of ids over their hex strings."""

    __slots__ = ("_hex",)

    def __init__(self, hexes: Sequence[str]) -> None:
        self._hex = list(hexes)

    def __len__(self) -> int:
        return len(self._hex)

    @overload
    def __getitem__(self, index: int) -> uuid.UUID: ...

    @overload
    def __getitem__(self, index: slice) -> list[uuid.UUID]: ...

    def __getitem__(self, index: int | slice) -> uuid.UUID | list[uuid.UUID]:
        if isinstance(index, slice):
            return [uuid.UUID(hex=h) for h in self._hex[index]]
        return uuid.UUID(hex=self._hex[index])

    def __iter__(self) -> Iterator[uuid.UUID]:
        return (uuid.UUID(hex=h) for h in self._hex)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, uuid.UUID) and value.hex in self._hex

    def index(self, value: object, start: int = 0, stop: int | None = None) -> int:
        if not isinstance(value, uuid.UUID):
            raise ValueError(f"{value!r} is not in the list")
        return self._hex.index(value.hex, start, len(self._hex) if stop is None else stop)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdList):
            return self._hex == other._hex
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    def __hash__(self) -> int:  # a mutable-looking sequence: not hashable, like list
        raise TypeError("unhashable type: 'IdList'")

    def __repr__(self) -> str:
        return f"IdList({len(self._hex)} ids)"
