"""Local store: SQLAlchemy models, engine, migrations, search."""
