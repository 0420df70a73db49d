"""IdList: ids kept as stored hex text, each a uuid.UUID when read; behaves as a sequence of ids."""

from __future__ import annotations

import uuid

import pytest

from fieldkit.store.idlist import IdList


def test_an_id_list_reads_like_a_list_of_uuids() -> None:
    ids = [uuid.uuid4() for _ in range(5)]
    lazy = IdList([i.hex for i in ids])
    assert len(lazy) == 5 and lazy[0] == ids[0] and lazy[-1] == ids[-1]
    assert lazy[1:3] == ids[1:3] and list(lazy) == ids and lazy == ids
    assert lazy.index(ids[3]) == 3 and ids[2] in lazy and uuid.uuid4() not in lazy
    with pytest.raises(ValueError):
        lazy.index(uuid.uuid4())
    with pytest.raises(ValueError):
        lazy.index("not an id")
    assert IdList([]) == [] and not IdList([])


def test_ids_packed_in_one_string_read_the_same() -> None:
    ids = [uuid.uuid4() for _ in range(7)]
    packed = IdList("".join(i.hex for i in ids))
    assert packed == IdList([i.hex for i in ids]) == ids and len(packed) == 7
    assert (
        packed[-1] == ids[-1] and packed[-7] == ids[0] and packed[::2] == ids[::2] and packed[5:] == ids[5:]
    )
    with pytest.raises(IndexError):
        packed[7]
    with pytest.raises(IndexError):
        packed[-8]
    assert packed.index(ids[4]) == 4 and packed.index(ids[4], 2, 5) == 4
    with pytest.raises(ValueError):
        packed.index(ids[4], 5)
    with pytest.raises(ValueError):
        IdList("abc")
    with pytest.raises(ValueError):
        IdList(["abc"])
    assert IdList("") == [] and len(IdList("")) == 0


def test_an_id_found_across_two_neighbours_is_not_taken_for_one_of_them() -> None:
    a, b = uuid.UUID(hex="0" * 16 + "12345678" * 2), uuid.UUID(hex="12345678" * 2 + "f" * 16)
    straddling = uuid.UUID(hex="12345678" * 4)  # a's second half followed by b's first half
    ids = IdList(a.hex + b.hex + straddling.hex)
    assert ids.index(straddling) == 2 and straddling in ids
    assert straddling not in IdList(a.hex + b.hex)
    with pytest.raises(ValueError):
        IdList(a.hex + b.hex).index(straddling)
