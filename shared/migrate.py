"""Schema migrations of the task store (Alembic), on SQLite and PostgreSQL.

    python -m shared.migrate                  bring DATABASE_URL's schema to the latest revision
    python -m shared.migrate current          print the database's revision
    python -m shared.migrate check            exit 1 if the database is behind or the models in
                                              shared/store/schema.py differ from the revisions
    python -m shared.migrate revision -m MSG  (developers) write a new revision from the models

The migration itself is `shared.store.upgrade` (every process opening a `Store` runs it too); this
module is its command line.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from shared.config import get_settings
from shared.store.schema import make_engine
from shared.store.upgrade import (
    MigrationError,
    alembic_config,
    current_revision,
    head_revision,
    model_differences,
    upgrade_engine,
)

__all__ = [
    "MigrationError",
    "current_revision",
    "head_revision",
    "main",
    "model_differences",
    "upgrade",
    "upgrade_engine",
]


def upgrade(url: str) -> str:
    engine = make_engine(url)
    try:
        return upgrade_engine(engine)
    finally:
        engine.dispose()


def _revision(message: str) -> None:
    # Autogenerate against a scratch SQLite database at head, so no real database is needed.
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
