"""SQLite's WAL checkpoints, moved off the writer's group commit (docs/operations.md, "Sixth
session": the WAL checkpoint in the commit).

By default SQLite checkpoints inside the commit that takes the WAL past 1,000 pages: that commit
copies every page of the WAL into the database file and waits for two `fdatasync`s (the WAL's,
then the database's), 10-60 ms on the box where the API was measured, while every request of the
group commit and every one queued behind it waits. Under the API's load (a page or more per task:
the primary key is a random UUID, so each row lands on its own index page) that was a stall every
quarter of a second, and it grew with the database.

Here a thread of its own runs `PRAGMA wal_checkpoint(PASSIVE)` on its own connection shortly after
each write: a passive checkpoint copies what it can and never blocks a writer (nor waits for one);
SQLite releases the GIL while it runs. The WAL only starts again from its beginning after a
checkpoint that left nothing behind it, which under a continuous load only the writer itself can
do: when a passive checkpoint finds `WAL_RESTART_PAGES` or more in the WAL, this thread pauses and
the writer runs one checkpoint between two group commits (`restart_due`). The passive ones have
copied nearly all of the WAL by then, so that one is short, and it comes 16 times less often than
SQLite's own. SQLite's checkpoint in the commit stays as a fallback, at `4 x WAL_RESTART_PAGES`.

Durability is what it was: a commit is in the WAL when it returns (`synchronous=NORMAL`); the
checkpoint only moves committed pages into the database file.
"""

from __future__ import annotations

import contextlib
import logging
import threading

import sqlalchemy as sa
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

# 16,384 pages of 4 KiB: the writer restarts the WAL at 64 MiB (the file is reused, not truncated).
WAL_RESTART_PAGES = 16_384


def checkpoints_off_commit(engine: Engine) -> bool:
    """Whether this engine gets a checkpoint thread: a SQLite database in a file (WAL mode)."""
    if engine.dialect.name != "sqlite":
        return False
    path = engine.url.database
    return bool(path) and path != ":memory:" and not str(path).startswith("file:")


def raise_autocheckpoint(conn: sa.Connection) -> None:
    """On the writer's connection, where every write of the process commits (shared.store.writer):
    SQLite's own checkpoint only if this thread and the writer's restarts fall behind."""
    conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={4 * WAL_RESTART_PAGES}")


def restart_checkpoint(conn: sa.Connection) -> None:
    """The writer's checkpoint between two group commits: with nothing appended behind it, the
    next write transaction starts the WAL again from its beginning."""
    conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    conn.commit()


class WalCheckpointer(threading.Thread):
    """Passive checkpoints shortly after writes, at most one per `INTERVAL_S`; `restart_due`
    when the WAL is long enough for the writer's restart."""

    INTERVAL_S = 0.05

    def __init__(self, engine: Engine) -> None:
        super().__init__(name="store-checkpoint", daemon=True)
        self.engine = engine
        self.wrote = threading.Event()
        self._stopping = threading.Event()
        self.passes = 0  # checkpoints run (tests, operators)
        # Set here, cleared by the writer once it has checkpointed on its own connection.
        self.restart_due = False

    def stop(self) -> None:
        self._stopping.set()
        self.wrote.set()
        self.join(timeout=10)

    def run(self) -> None:
        conn: sa.Connection | None = None
        try:
            while True:
                self.wrote.wait()
                if self._stopping.is_set():
                    return
                self.wrote.clear()
                if self.restart_due:
                    continue  # the writer's turn (a checkpoint here would only make it wait)
                try:
                    if conn is None:
                        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                    # fetchall: a statement left unfinished would hold a read mark on the WAL.
                    rows = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.passes += 1
                    if rows and rows[0][1] >= WAL_RESTART_PAGES:
                        self.restart_due = True
                except Exception:
                    # The writer's own checkpoint (4 x WAL_RESTART_PAGES) still bounds the WAL.
                    log.warning("store: passive WAL checkpoint failed", exc_info=True)
                    if conn is not None:
                        with contextlib.suppress(Exception):
                            conn.close()
                    conn = None
                if self._stopping.wait(self.INTERVAL_S):
                    return
        finally:
            if conn is not None:
                with contextlib.suppress(Exception):
                    conn.close()
