"""Ids as SQLite stores them (32 hex digits), made into uuid.UUID only when one is read.

Building 100,000 uuid.UUID objects took ~0.4–0.75 s of the 检查 list's first paint at 100k rows, most of
it (profile in docs/performance.md); a lazy list model reads one page of 200 at a time, so the rest is
never needed as objects. Since issue 14 the hex text is not even a list of strings: the ids come from
SQLite as one string, end to end, and an id is cut out of it when read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import overload

HEX = 32  # an id as SQLite stores it


class IdList(Sequence[uuid.UUID]):
    """A read-only sequence of ids over their hex strings, packed end to end in one str.

    One string of 32 hex digits per id (3.2 MB for 100,000) instead of a list of 100,000 str objects:
    SQLite hands it over in one piece (inspections.inspection_id_list: group_concat), nothing per row
    is made in Python and the GUI thread's garbage collector has no 100,000 row tuples to walk.
    """

    __slots__ = ("_packed",)

    def __init__(self, hexes: Sequence[str] | str) -> None:
        if isinstance(hexes, str):
            packed = hexes
        else:
            packed = "".join(hexes)
            if len(packed) != HEX * len(hexes):
                raise ValueError("an id is not 32 hex digits")
        if len(packed) % HEX:
            raise ValueError("packed ids are not a whole number of 32 hex digits")
        self._packed = packed

    def __len__(self) -> int:
        return len(self._packed) // HEX

    @overload
    def __getitem__(self, index: int) -> uuid.UUID: ...

    @overload
    def __getitem__(self, index: slice) -> list[uuid.UUID]: ...

    def __getitem__(self, index: int | slice) -> uuid.UUID | list[uuid.UUID]:
        if isinstance(index, slice):
            return [self._at(i) for i in range(len(self))[index]]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("IdList index out of range")
        return self._at(index)

    def _at(self, i: int) -> uuid.UUID:
        return uuid.UUID(hex=self._packed[i * HEX : (i + 1) * HEX])

    def __iter__(self) -> Iterator[uuid.UUID]:
        packed = self._packed
        return (uuid.UUID(hex=packed[i : i + HEX]) for i in range(0, len(packed), HEX))

    def __contains__(self, value: object) -> bool:
        try:
            self.index(value)
        except ValueError:
            return False
        return True

    def index(self, value: object, start: int = 0, stop: int | None = None) -> int:
        if not isinstance(value, uuid.UUID):
            raise ValueError(f"{value!r} is not in the list")
        n = len(self)
        begin, end, _ = slice(start, stop).indices(n)
        at = self._packed.find(value.hex, begin * HEX, end * HEX)
        while at != -1 and at % HEX:  # found across two ids: look on from there
            at = self._packed.find(value.hex, at + 1, end * HEX)
        if at == -1:
            raise ValueError(f"{value!r} is not in the list")
        return at // HEX

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdList):
            return self._packed == other._packed
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    def __hash__(self) -> int:  # a mutable-looking sequence: not hashable, like list
        raise TypeError("unhashable type: 'IdList'")

    def __repr__(self) -> str:
        return f"IdList({len(self)} ids)"
