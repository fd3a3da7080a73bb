"""A rules batch's transaction on PostgreSQL in two round trips (docs/agent-message.md, "perf-pg9").

psycopg sends `BEGIN` as a round trip of its own before a transaction's first statement, and each
statement (an executemany too) waits for its answer before the next goes out. A batch of ordinary
agent messages paid six round trips: its state read outside the transaction, then `BEGIN`, the
locked read, the status update, the conversation rows and `COMMIT`, each a wait for the server and
for the GIL back on a busy worker. Here, on the rules thread's own write connection:

- `BEGIN` and the locked read go out together (psycopg's pipeline mode; psycopg's autocommit is
  switched on for the op so that it leaves `BEGIN` to us): one round trip;
- what the transaction decides on the way (an episode claim, a missing row) runs as before, on
  the same connection, inside the same transaction;
- the status update, the handlers' rows, the alert rows and `COMMIT` go out together: one round
  trip. `COMMIT` runs only if every statement before it succeeded (PostgreSQL skips the rest of a
  pipeline after an error), so the batch is still all or nothing.

Nothing changes in what is written, in which order, or under which lock. A batch with a write that
is not a one-row insert, or with alerts of an earlier run to read back, takes the statement by
statement path and then commits (rare: a redelivery).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from shared.store.driver import DriverStatement

_LOCKED_STATE = (
    "SELECT task_id, tenant_id, generation, progress FROM tasks WHERE task_id = ANY(%(ids)s) "
    "ORDER BY task_id FOR UPDATE"
)
# libpq's transaction status: no transaction open.
_IDLE = 0


class PgBatch:
    """The driver connection of a PostgreSQL batch op, its transaction opened and committed by
    hand. Use `PgBatch.open(conn)` as a context manager: it answers None when the connection is
    not PostgreSQL's or already in a transaction (the caller then uses the statement by statement
    path inside SQLAlchemy's transaction), and on any error rolls back and puts psycopg's
    autocommit back before the error goes on, as SQLAlchemy's own error for the driver's."""

    def __init__(self, conn: Connection, raw: Any) -> None:
        self.conn = conn
        self.raw = raw
        self.writes: list[tuple[DriverStatement, list[dict[str, Any]]]] = []

    @classmethod
    @contextlib.contextmanager
    def open(cls, conn: Connection) -> Iterator[PgBatch | None]:
        if conn.dialect.name != "postgresql":
            yield None
            return
        raw = conn.connection.driver_connection
        if raw is None or raw.pgconn.transaction_status != _IDLE:
            yield None
            return
        batch = cls(conn, raw)
        try:
            raw.autocommit = True  # `BEGIN` is ours, sent with the locked read
            yield batch
        except conn.dialect.loaded_dbapi.Error as exc:
            batch._reset()
            raise sa.exc.DBAPIError.instance(
                None, None, exc, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect
            ) from exc
        except BaseException:
            batch._reset()
            raise
        # Committed: SQLAlchemy's commit then finds nothing open and sends nothing.
        raw.autocommit = False

    def _reset(self) -> None:
        # A broken connection refuses both; the store then drops it (StoreUnavailable).
        with contextlib.suppress(Exception):
            if self.raw.pgconn.transaction_status != _IDLE:
                self.raw.rollback()
        with contextlib.suppress(Exception):
            self.raw.autocommit = False

    def lock_rows(self, ids: list[str]) -> dict[str, int]:
        """`BEGIN` and the rows of `ids` locked in task id order (two processes holding copies of
        the same tasks never deadlock): their progress, one round trip."""
        with self.raw.pipeline():
            self.raw.execute("BEGIN")
            cur = self.raw.cursor()
            self._announce(cur, _LOCKED_STATE, {"ids": ids}, False)
            cur.execute(_LOCKED_STATE, {"ids": ids})
        return {r[0]: int(r[3]) for r in cur.fetchall()}

    def add(self, stmt: DriverStatement, rows: list[dict[str, Any]]) -> None:
        """A multi-row statement for `commit_writes`, in order."""
        if rows:
            self.writes.append((stmt, rows))

    def commit_writes(self) -> None:
        """The statements `add`ed, then `COMMIT`: one round trip."""
        with self.raw.pipeline():
            for stmt, rows in self.writes:
                cur, params = self.raw.cursor(), [stmt.params(r) for r in rows]
                self._announce(cur, stmt.sql, params, True)
                cur.executemany(stmt.sql, params)
            self.raw.execute("COMMIT")
        self.writes.clear()

    def _announce(self, cursor: Any, sql: str, params: Any, many: bool) -> None:
        # SQLAlchemy's `before_cursor_execute`, as for its own statements: what counts or traces
        # the store's statements (bench/roundtrips.py, tests) sees these too.
        conn = self.conn
        if conn._has_events or conn.engine._has_events:
            for fn in conn.dispatch.before_cursor_execute:
                fn(conn, cursor, sql, params, None, many)

    def commit(self) -> None:
        """`COMMIT` after a statement by statement write."""
        self.raw.execute("COMMIT")


def grouped(rows: list[dict[str, Any]], compiled: Callable[[tuple[str, ...]], DriverStatement]) -> Any:
    """`rows` by their set of columns, each with the statement compiled for it."""
    by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_keys.setdefault(tuple(row), []).append(row)
    return [(compiled(keys), group) for keys, group in by_keys.items()]
