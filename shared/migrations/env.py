"""Alembic environment: always handed an open connection by `shared.migrate` (which holds the
migration lock on it), never a URL of its own."""

from __future__ import annotations

from alembic import context

from shared.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `python -m shared.migrate`, not the alembic command")

context.configure(
    connection=connection,
    target_metadata=metadata,
    compare_type=True,
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
