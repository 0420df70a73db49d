"""Alembic environment: runs on the connection handed in by fieldkit.store.db.migrate."""

from alembic import context
from sqlalchemy import create_engine

from fieldkit.store.db import include_object
from fieldkit.store.schema import Base

config = context.config


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:  # `alembic` run by hand against a file: -x url=sqlite:///path
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    with create_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
else:
    _run(connection)
