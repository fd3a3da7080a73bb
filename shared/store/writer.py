"""The store's one writer thread, and the lock that serialises writers across processes.

All writes go through one writer thread that commits whatever has queued up in one transaction
("group commit"). SQLite allows a single writer; many threads fighting for its lock spend their
time in busy-waits, while one thread committing batches keeps throughput high on SQLite and
saves round trips on PostgreSQL. Reads use the connection pool directly (`shared.store.facade`).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from shared.store.checkpoint import (
    WalCheckpointer,
    checkpoints_off_commit,
    raise_autocheckpoint,
    restart_checkpoint,
)

T = TypeVar("T")


class StoreUnavailable(RuntimeError):
    """The database did not answer; callers map it to 503 (API) or a requeue (worker)."""


class _SqliteWriteLock:
    """Serialises the write transactions of every process on one SQLite file (API workers, vhost
    workers) before SQLite has to: a writer that finds SQLite's lock taken sleeps in SQLite's busy
    handler for 1, 2, 5 ... up to 100 ms per try, which with two or more writing processes turns
    into latency spikes of seconds. Here the wait is a short poll on an advisory lock next to the
    database; after SQLite's own busy timeout the writer goes on and lets SQLite decide, as before.
    (A separate file, never the database: closing a descriptor of the database file would drop
    SQLite's own POSIX locks in this process.)"""

    POLL_S = 0.0005

    def __init__(self, db_path: str, timeout_s: float) -> None:
        self.path = db_path + "-writelock"
        self.timeout_s = timeout_s
        self.fd: int | None = None

    def __enter__(self) -> None:

        if self.fd is None:
            try:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                return  # read-only directory or similar: rely on SQLite alone
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return
                time.sleep(self.POLL_S)

    def __exit__(self, *exc: object) -> None:

        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def write_lock(engine: Engine) -> Any:
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        if path and path != ":memory:" and not path.startswith("file:"):
            return _SqliteWriteLock(os.path.abspath(path), timeout_s=10.0)
    return None


def _settle_on_loop(fut: asyncio.Future[Any], value: Any, exc: BaseException | None) -> None:
    """Complete an asyncio future (an `_awrite` of the event loop) from the writer thread."""
    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting any more
        fut.get_loop().call_soon_threadsafe(_settle, fut, value, exc)


def _settle_all(settled: list[tuple[asyncio.Future[Any], Any, BaseException | None]]) -> None:
    for fut, value, exc in settled:
        _settle(fut, value, exc)


def _settle(fut: asyncio.Future[Any], value: Any, exc: BaseException | None) -> None:
    if fut.done():  # the awaiting request was cancelled
        return
    if exc is not None:
        fut.set_exception(exc)
    else:
        fut.set_result(value)


# A concurrent Future (a thread's `_write`) or an asyncio future of an event loop (`_awrite`, put
# as it is: no wrapper object per request), completed on its own loop.
Settable = Future[Any] | asyncio.Future[Any]


class BatchableInsert:
    """An op the writer may run together with the ops of the same kind next to it in its queue,
    as one `many_stmt.executemany(conn, rows)` over their `row`s (`shared.store.driver.ManyInsert`),
    each then answered `batched_result`. Alone it runs as any op: `__call__(conn)`."""

    __slots__ = ("batched_result", "many_stmt", "row")

    def __init__(self, row: dict[str, Any], many_stmt: Any, batched_result: Any) -> None:
        self.row = row
        self.many_stmt = many_stmt
        self.batched_result = batched_result

    def __call__(self, conn: Connection) -> Any:
        raise NotImplementedError


class Writer(threading.Thread):
    """One thread, one connection, group commit."""

    MAX_BATCH = 512

    def __init__(self, engine: Engine) -> None:
        super().__init__(name="store-writer", daemon=True)
        self.engine = engine
        self.lock = write_lock(engine)
        # Kept for the writer's life: a pool checkout, its reset and (PostgreSQL) its pre-ping per
        # group commit cost as much as a small batch's statements. Dropped after an error.
        self._conn: Connection | None = None
        self.q: queue.SimpleQueue[tuple[Callable[[Connection], Any], Settable] | None] = queue.SimpleQueue()
        # SQLite's WAL checkpoints off the group commit (shared/store/checkpoint.py).
        self.checkpointer = WalCheckpointer(engine) if checkpoints_off_commit(engine) else None

    def start(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.start()
        super().start()

    def submit(self, op: Callable[[Connection], T]) -> Future[T]:
        fut: Future[T] = Future()
        self.q.put((op, fut))
        return fut

    def stop(self) -> None:
        self.q.put(None)
        self.join(timeout=10)
        if self.checkpointer is not None:
            self.checkpointer.stop()
        if not self.is_alive():
            self._drop()
            if self.lock is not None:
                self.lock.close()

    def _connection(self) -> Connection:
        conn = self._conn
        if conn is None or conn.closed or conn.invalidated:
            conn = self._conn = self.engine.connect()
            if self.checkpointer is not None:
                raise_autocheckpoint(conn)
                conn.commit()
        return conn

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def run(self) -> None:
        stopping = False
        while not stopping:
            item = self.q.get()
            if item is None:
                break
            batch = [item]
            while len(batch) < self.MAX_BATCH:
                try:
                    nxt = self.q.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    stopping = True
                    break
                batch.append(nxt)
            self._run_batch(batch)
            if self.checkpointer is not None and self.checkpointer.restart_due:
                self._restart_wal(self.checkpointer)

    def _restart_wal(self, checkpointer: WalCheckpointer) -> None:
        """Between two group commits, after the batch's answers went out (shared/store/checkpoint.py)."""
        try:
            restart_checkpoint(self._connection())
        except Exception:
            self._drop()  # SQLite's own checkpoint in the commit remains; tried again later
        checkpointer.restart_due = False
        checkpointer.wrote.set()

    def _run_batch(self, batch: list[tuple[Callable[[Connection], Any], Settable]]) -> None:
        try:
            results: list[Any] = []
            conn = self._connection()
            with self.lock or contextlib.nullcontext(), conn.begin():
                i = 0
                while i < len(batch):
                    op = batch[i][0]
                    if isinstance(op, BatchableInsert):
                        # A run of plain task creations (the API under load) is one executemany:
                        # per-row statement execution cost more of the GIL than the event loop
                        # could spare. Task ids are fresh UUIDs; a row that exists already (the
                        # worker of another producer's message) is left as it is, as alone.
                        j = i + 1
                        while j < len(batch) and isinstance(batch[j][0], BatchableInsert):
                            j += 1
                        if j - i > 1:
                            op.many_stmt.executemany(conn, [b[0].row for b in batch[i:j]])  # type: ignore[attr-defined]
                            results.extend([op.batched_result] * (j - i))
                            i = j
                            continue
                    results.append(op(conn))
                    i += 1
        except Exception:
            # A broken connection is not used again; the ops run alone on a new one.
            self._drop()
            if len(batch) == 1:
                self._fail(batch[0][1])
                return
            # One op broke the shared transaction: run each alone so only it fails.
            for single in batch:
                self._run_batch([single])
            return
        if self.checkpointer is not None:
            self.checkpointer.wrote.set()
        # The asyncio futures of one event loop (the API's requests) are settled by one
        # callback on that loop: one hand-off per group commit, not one per request.
        by_loop: dict[
            asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], Any, BaseException | None]]
        ] = {}
        for (_op, fut), res in zip(batch, results, strict=True):
            if isinstance(fut, asyncio.Future):
                by_loop.setdefault(fut.get_loop(), []).append((fut, res, None))
            else:
                fut.set_result(res)
        for loop, settled in by_loop.items():
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting any more
                loop.call_soon_threadsafe(_settle_all, settled)

    @staticmethod
    def _fail(fut: Settable) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
            err: BaseException = StoreUnavailable(str(exc.orig) if exc.orig else str(exc))
        else:
            err = exc if exc is not None else RuntimeError("store write failed")
        if isinstance(fut, asyncio.Future):
            _settle_on_loop(fut, None, err)
        else:
            fut.set_exception(err)
