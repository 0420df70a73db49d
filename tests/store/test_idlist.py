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
