"""Schema migrations of the task store (Alembic), on SQLite and PostgreSQL.

    python -m shared.migrate                  bring DATABASE_URL's schema to the latest revision
    python -m shared.migrate current          print the database's revision
    python -m shared.migrate check            exit 1 if the database is behind or the models in
                                              shared/store.py differ from the revisions
    python -m shared.migrate revision -m MSG  (developers) write a new revision from the models

`shared.provision`, `make run` and every process opening a `Store` run the upgrade; it does nothing
when the schema is current. A database created before migrations existed (by `create_all`) is
adopted: stamped at the first revision, whose schema it has, then upgraded; its rows are kept.
Tables are never created on a database that already has them outside of a revision.

Processes starting together (the API, four worker processes) migrate one at a time: PostgreSQL
through an advisory lock held for the migration's transaction, SQLite through the same lock file
the store's writers use.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import logging
import os
import sys
import tempfile
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

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
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
    # The file the store's writer thread locks (shared.store._SqliteWriteLock): writers of other
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


def upgrade(url: str) -> str:
    from shared.store import make_engine

    engine = make_engine(url)
    try:
        return upgrade_engine(engine)
    finally:
        engine.dispose()


def model_differences(conn: Connection) -> list[Any]:
    """What autogenerate would put in a new revision: [] when the models match the database."""
    from shared.conversations import metadata  # the store's metadata with the conversation tables

    ctx = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(ctx, metadata))


def _revision(message: str) -> None:
    # Autogenerate against a scratch SQLite database at head, so no real database is needed.
    from shared.store import make_engine

    script = ScriptDirectory.from_config(alembic_config())
    next_id = f"{len(list(script.walk_revisions())) + 1:04d}"
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/scratch.db")
        upgrade_engine(engine)
        with engine.begin() as conn:
            command.revision(alembic_config(conn), message=message, autogenerate=True, rev_id=next_id)
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shared.migrate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "action", nargs="?", default="upgrade", choices=["upgrade", "current", "check", "revision"]
    )
    parser.add_argument("-m", "--message", help="revision message (with `revision`)")
    parser.add_argument("--database-url", help="default: DATABASE_URL")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)

    if args.action == "revision":
        if not args.message:
            parser.error("revision needs -m MESSAGE")
        _revision(args.message)
        return 0

    from shared.config import get_settings
    from shared.store import make_engine

    url = args.database_url or get_settings().database_url
    engine = make_engine(url)
    shown = engine.url.render_as_string(hide_password=True)
    try:
        if args.action == "upgrade":
            print(f"{shown}: {upgrade_engine(engine)}")
            return 0
        with engine.connect() as conn:
            current = current_revision(conn)
            if args.action == "current":
                print(current or "none (empty or pre-migrations database)")
                return 0
            head = head_revision()
            problems = []
            if current != head:
                problems.append(f"database at {current}, latest revision is {head}")
            elif diffs := model_differences(conn):
                problems.append(f"models differ from the revisions: {diffs}")
        if problems:
            print(f"{shown}: " + "; ".join(problems))
            return 1
        print(f"{shown}: at {head}, models match")
        return 0
    except (MigrationError, sa.exc.SQLAlchemyError) as exc:
        print(f"migration failed: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
