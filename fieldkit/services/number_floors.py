"""Floors of the 文号 series (issue 13.6): serials given out before a backup was restored are no longer
rows of the store, but were printed and handed over — numbering counts them as used, so a number is
never given out twice (程序规定第五十二条: 文书编有号码). Kept apart from services/documents so that
the backup module does not bring the PDF renderer with it."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldkit.store.schema import DocumentRow, LocalMetaRow

FLOORS_KEY = "numbering.floors"  # local_meta: {"code|year|device": highest serial ever issued}


def key(code: str, year: int, device_code: str) -> str:
    return f"{code}|{year}|{device_code}"


def floors(session: Session) -> dict[str, int]:
    row = session.get(LocalMetaRow, FLOORS_KEY)
    return {} if row is None else {k: int(v) for k, v in json.loads(row.value).items()}


def issued_serials(session: Session) -> dict[str, int]:
    """The highest serial of every (代字, year, device) series in this store, floors included."""
    out = dict(floors(session))
    rows = session.execute(
        select(
            DocumentRow.number_code,
            DocumentRow.number_year,
            DocumentRow.number_device,
            DocumentRow.number_seq,
        ).where(DocumentRow.number_seq.isnot(None))
    ).all()
    for code, year, device, seq in rows:
        if code and year and device and seq:
            k = key(code, year, device)
            out[k] = max(out.get(k, 0), int(seq))
    return out


def raise_floors(session: Session, serials: dict[str, int]) -> None:
    """Keep `serials` as floors of their series (a restore of an older backup)."""
    current = floors(session)
    for k, seq in serials.items():
        current[k] = max(current.get(k, 0), seq)
    text = json.dumps(dict(sorted(current.items())))
    row = session.get(LocalMetaRow, FLOORS_KEY)
    if row is None:
        session.add(LocalMetaRow(key=FLOORS_KEY, value=text))
    else:
        row.value = text
