"""Many rows into one table through the driver's executemany (issue 14: an import of 10k records).

`session.execute(table.insert(), rows)` spends most of its time per row and per value in SQLAlchemy's
parameter machinery (about 15 µs a row for a subject, several times what SQLite needs to store it). Here
each value goes through its column type's own bind processor — the conversion SQLAlchemy applies, so the
stored bytes are the same — and the rows go to the driver as tuples in one executemany.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT every row (a mapping of column keys to Python values) in the session's transaction.
    SQLite's paramstyle only (qmark); another driver's rows go through table.insert().

    A column a row leaves out gets its scalar Python default, as with table.insert(); rows that leave
    out a column whose default is computed (a callable) are handed to table.insert() unchanged.
    """
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    conn = session.connection()
    dialect = conn.dialect
    for keys, group in groups.items():
        filled = _defaults_to_fill(table, keys)
        if filled is None or dialect.paramstyle != "qmark":
            session.execute(table.insert(), group)
            continue
        columns = [table.c[k] for k in keys] + filled
        defaults = tuple(c.default.arg for c in filled)  # type: ignore[union-attr]
        quote = dialect.identifier_preparer.quote
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        # Column by column: each converter mapped over its column at C speed, then zipped into rows.
        values = [[row[k] for row in group] for k in keys] + [[d] * len(group) for d in defaults]
        for i, column in enumerate(columns):
            convert = column.type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:
                values[i] = list(map(convert, values[i]))
        params = list(zip(*values, strict=True))
        conn.exec_driver_sql(sql, params)  # type: ignore[arg-type]  # a list of tuples: executemany


def _defaults_to_fill(table: Table, keys: tuple[str, ...]) -> list[Column[Any]] | None:
    """The left-out columns with a scalar Python default; None if one's default must be computed."""
    filled = []
    for column in table.c:
        if column.key in keys or column.default is None:
            continue
        if not column.default.is_scalar:
            return None
        filled.append(column)
    return filled
