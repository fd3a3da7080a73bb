"""Schema migrations of the task store (Alembic), on SQLite and PostgreSQL; the command line is
`python -m shared.migrate`.

`shared.provision`, `make run` and every process opening a `Store` run the upgrade; it does nothing
when the schema is current. A database created before migrations existed (by `create_all`) is
adopted: stamped at the first revision, whose schema it has, then upgraded; its rows are kept.
Tables are never created on a database that already has them outside of a revision.

Processes starting together (the API, four worker processes) migrate one at a time: PostgreSQL
through an advisory lock held for the migration's transaction, SQLite through the same lock file
the store's writers use.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from shared.store.schema import metadata

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
BASELINE = "0001"
# The schema `create_all` made before migrations existed: what a database must have to be adopted.
BASELINE_TABLES = {
    "tasks": {
        "task_id", "tenant_id", "domain", "task_type", "status", "progress", "generation", "attempts",
        "created_at", "updated_at", "result", "error", "idempotency_key", "request_hash", "correlation_id",
    },
    "task_alerts": {
        "task_id", "alert_key", "type", "severity", "message", "body", "delivery", "attempts",
        "backend_alert_id", "last_error", "parked", "created_at", "updated_at",
    },
}  # fmt: skip
# Any constant shared by every process of this project; pg_advisory_xact_lock takes a bigint.
PG_LOCK_KEY = 0x7467775F6D6967  # "tgw_mig"


class MigrationError(RuntimeError):
    pass


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Keep revision files named by their id (0002_...), as the first one is.
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise MigrationError(f"no revisions found in {MIGRATIONS_DIR}")
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


@contextlib.contextmanager
def _sqlite_lock(engine: Engine) -> Iterator[None]:
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        yield
        return
    # The file the store's writer thread locks (shared.store.writer): writers of other
    # processes wait while the schema changes.
    fd = os.open(os.path.abspath(path) + "-writelock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _adopt_if_unversioned(conn: Connection, cfg: Config) -> bool:
    """Stamp a pre-migrations database at the baseline. True when it did."""
    inspector = sa.inspect(conn)
    tables = set(inspector.get_table_names())
    if "alembic_version" in tables or not tables & BASELINE_TABLES.keys():
        return False
    for table, columns in BASELINE_TABLES.items():
        found = {c["name"] for c in inspector.get_columns(table)} if table in tables else set()
        missing = columns - found
        if missing:
            raise MigrationError(
                f"table {table!r} exists but lacks columns {sorted(missing)} of the first revision; "
                "this database was not created by this project, refusing to adopt it"
            )
    command.stamp(cfg, BASELINE)
    return True


def upgrade_engine(engine: Engine) -> str:
    """Bring the schema to the head revision. Returns what happened, for the operator."""
    head = head_revision()
    lock = _sqlite_lock(engine) if engine.dialect.name == "sqlite" else contextlib.nullcontext()
    with lock, engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})
        before = current_revision(conn)
        if before == head:
            return f"schema is current ({head})"
        cfg = alembic_config(conn)
        adopted = _adopt_if_unversioned(conn, cfg)
        if adopted:
            log.warning("adopted a database created before migrations: stamped %s", BASELINE)
            before = BASELINE
        command.upgrade(cfg, "head")
    if adopted:
        return f"adopted the existing tables at {BASELINE}, upgraded to {head}"
    if before is None:
        return f"created the schema at {head}"
    return f"upgraded from {before} to {head}"


def model_differences(conn: Connection) -> list[Any]:
    """What autogenerate would put in a new revision: [] when the models match the database."""
    ctx = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(ctx, metadata))
