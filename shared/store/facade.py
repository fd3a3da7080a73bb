"""`Store`: the one object the API and the workers hold. It owns the engine, the writer thread
and the prepared statements, and turns each call into an op of `shared.store.tasks`,
`shared.store.transitions`, `shared.store.batches` or `shared.store.alerts`: writes go through
the writer thread (group commit, `shared.store.writer`), reads through the connection pool. On
PostgreSQL a rules thread writes its batches on a connection of its own instead (no hand-off,
no checkout per batch): PostgreSQL takes concurrent writers, SQLite one.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from shared.store import alerts, batches, tasks, transitions
from shared.store.batches import BatchAnswer, BatchTask, TaskState
from shared.store.schema import make_engine
from shared.store.tasks import CreateOutcome, Statements
from shared.store.upgrade import upgrade_engine
from shared.store.writer import StoreUnavailable, Writer

T = TypeVar("T")


class Store:
    def __init__(self, url: str, *, create_schema: bool = True, pool_size: int = 8) -> None:
        self.url = url
        self.engine = make_engine(url, pool_size=pool_size)
        self._direct = self.engine.dialect.name == "postgresql"
        # Per thread: ("write" | "read") -> its connection (`_thread_conn`).
        self._local = threading.local()
        self._held: list[Connection] = []
        self._held_lock = threading.Lock()
        self._stmts = Statements(self.engine)
        if create_schema:
            # Alembic migrations, never create_all (docs/scale-out.md); a no-op when the schema
            # is current, serialised between processes starting together.
            upgrade_engine(self.engine)
        self._writer = Writer(self.engine)
        self._writer.start()

    # --- plumbing -----------------------------------------------------------------------------

    def close(self) -> None:
        self._writer.stop()
        with self._held_lock:
            held, self._held = self._held, []
        for conn in held:
            with contextlib.suppress(Exception):
                conn.close()
        self.engine.dispose()

    def _write(self, op: Callable[[Connection], T], timeout: float | None = 30) -> T:
        return self._writer.submit(op).result(timeout)

    def _thread_conn(self, kind: str) -> Connection:
        """This thread's own connection, kept for the life of the thread, so a batch costs no
        checkout and no pre-ping round trip: "write" on PostgreSQL (SQLite writes go through the
        writer thread), "read" on both. "read" is in autocommit: one statement, one round trip,
        and no snapshot held between batches."""
        conn: Connection | None = getattr(self._local, kind, None)
        if conn is None or conn.closed or conn.invalidated:
            conn = self.engine.connect()
            if kind == "read":
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            setattr(self._local, kind, conn)
            with self._held_lock:
                self._held.append(conn)
        return conn

    def _on_thread_conn(self, kind: str, op: Callable[[Connection], T]) -> T:
        conn = None
        try:
            conn = self._thread_conn(kind)
            if kind == "read":
                return op(conn)
            with conn.begin():
                return op(conn)
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            # Dropped: the next batch opens a new one (with a pre-ping).
            setattr(self._local, kind, None)
            if conn is not None:
                with contextlib.suppress(Exception):
                    conn.close()
            raise StoreUnavailable(str(exc.orig) if exc.orig else str(exc)) from exc

    def _batch_write(self, op: Callable[[Connection], T], timeout: float | None = 30) -> T:
        """A worker's batch in one transaction: on the calling thread's connection on
        PostgreSQL, through the writer on SQLite."""
        if self._direct:
            return self._on_thread_conn("write", op)
        return self._write(op, timeout)

    async def _awrite(self, op: Callable[[Connection], T]) -> T:
        # The writer completes an asyncio future straight through call_soon_threadsafe: cheaper
        # per call than a concurrent Future (a Condition each) wrapped with wrap_future.
        fut: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._writer.q.put((op, fut))
        return await fut

    def _read(self, fn: Callable[[Connection], T]) -> T:
        try:
            with self.engine.connect() as conn:
                return fn(conn)
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            raise StoreUnavailable(str(exc.orig) if exc.orig else str(exc)) from exc

    async def _aread(self, fn: Callable[[Connection], T]) -> T:
        return await asyncio.to_thread(self._read, fn)

    def ping(self) -> None:
        self._read(lambda c: c.execute(sa.text("SELECT 1")).scalar())

    async def aping(self) -> None:
        await self._aread(lambda c: c.execute(sa.text("SELECT 1")).scalar())

    # --- task creation (API) ------------------------------------------------------------------

    new_task_row = staticmethod(tasks.new_task_row)

    def create_task(self, row: dict[str, Any]) -> CreateOutcome:
        return self._write(tasks.create(self._stmts, row))

    async def acreate_task(self, row: dict[str, Any]) -> CreateOutcome:
        return await self._awrite(tasks.create(self._stmts, row))

    async def adiscard_task(self, task_id: str) -> bool:
        """Forget a task whose publish failed (the client got 503 and will retry)."""
        return await self._awrite(tasks.discard(task_id))

    async def amark_unconfirmed(self, task_id: str, reason: str) -> bool:
        return await self._awrite(tasks.mark_unconfirmed(task_id, reason))

    async def aclear_unconfirmed(self, task_id: str) -> bool:
        return await self._awrite(tasks.clear_unconfirmed(task_id))

    # --- status transitions (workers) ---------------------------------------------------------

    def transition(
        self, task_id: str, status: str, progress: int, **options: Any
    ) -> tuple[bool, dict[str, Any] | None]:
        """Move a task forward. Returns (applied, current row when not applied). `options`: those of
        `shared.store.transitions.transition` (result, error, ensure, set_result)."""
        current = self._write(transitions.transition(self._stmts, task_id, status, progress, **options))
        return current is None, current

    def start_many(
        self, items: list[tuple[str, int, dict[str, Any] | None]], timeout: float | None = 30
    ) -> list[tuple[bool, dict[str, Any] | None]]:
        """`processing` for a worker's batch: (task_id, progress, row to create if missing) each.
        Per item: (applied, current row when not applied), as `transition` answers. A task id
        twice in one batch applies once."""
        return self._batch_write(transitions.start_many(self._stmts, items), timeout)

    def complete_many(
        self,
        items: list[tuple[str, int, Any]],
        timeout: float | None = 30,
        also: list[Callable[[Connection], Any]] | None = None,
    ) -> None:
        """`completed` + result for a worker's batch, (task_id, progress, result) each, in one
        statement. A task that moved past `progress` meanwhile is left as it is. `also`: writes
        the handlers asked to commit with their task (`TaskContext.on_complete`)."""
        if items:
            self._batch_write(transitions.complete_many(self._stmts, items, also or []), timeout)

    def progress_of(self, ids: list[str]) -> dict[str, int]:
        """The progress of those of `ids` that exist: one statement, outside any transaction."""
        return {task_id: s.progress for task_id, s in self.batch_state(ids).items()}

    def batch_state(self, ids: list[str]) -> dict[str, TaskState]:
        """Tenant, generation and progress of those of `ids` that exist, read once before a
        rules batch runs its handlers (the tenant check; a task completed already is not run
        again): one statement outside any transaction, on the calling thread's own connection."""
        if not ids:
            return {}
        return self._on_thread_conn("read", functools.partial(batches.batch_state, ids=ids))

    def record_batch(self, items: list[BatchTask], timeout: float | None = 30) -> list[BatchAnswer]:
        """A rules batch's statuses, results and alerts in one transaction (shared.store.batches),
        answers in the order of `items`."""
        return self._batch_write(batches.record(self._stmts, items), timeout) if items else []

    def enrich_result(
        self, task_id: str, result: dict[str, Any], *, only_if_estado: str = "pendente"
    ) -> bool:
        """Replace the result of a completed task whose `analise_ia.estado` is still
        `only_if_estado` (the LLM stage, docs/workers.md). Status and progress stay as they are.
        Returns False, changing nothing, when another run of the stage got there first."""
        return self._write(transitions.enrich_result(task_id, result, only_if_estado))

    def replay(self, task_id: str) -> int | None:
        """Open a new generation for a task to run again.

        Returns the generation, or None if the task is unknown or completed."""
        return self._write(transitions.replay(task_id))

    # --- reads --------------------------------------------------------------------------------

    def get_task(self, task_id: str) -> dict[str, Any] | None:
        return self._read(tasks.get(task_id))

    def task_owners(self, task_ids: list[str]) -> dict[str, tuple[str, int]]:
        """(tenant, generation) of each task the store holds (the worker's tenant check)."""
        return self._read(tasks.owners(task_ids)) if task_ids else {}

    def get_task_view(
        self, task_id: str, *, tenant_id: str | None = None, domain: str | None = None
    ) -> dict[str, Any] | None:
        return self._read(tasks.view(task_id, tenant_id, domain))

    async def aget_task_view(
        self, task_id: str, *, tenant_id: str | None = None, domain: str | None = None
    ) -> dict[str, Any] | None:
        return await self._aread(tasks.view(task_id, tenant_id, domain))

    # --- alerts -------------------------------------------------------------------------------

    def register_alert(
        self, task_id: str, alert_key: str, *, type: str, severity: str, message: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        """Record an alert as pending unless it is already known; returns the stored row."""
        op = alerts.register(
            self._stmts.insert, task_id, alert_key, type=type, severity=severity, message=message, body=body
        )
        return self._write(op)

    def update_alert(self, task_id: str, alert_key: str, **changes: Any) -> bool:
        """Record a delivery outcome (`changes`: those of `shared.store.alerts.update`).
        `delivered` and `failed` are final: returns False if the alert had already reached one of
        them (the update is then ignored)."""
        return self._write(alerts.update(task_id, alert_key, **changes))

    def get_alert(self, task_id: str, alert_key: str) -> dict[str, Any] | None:
        return self._read(alerts.get(task_id, alert_key))

    def list_alerts(self, task_id: str) -> list[dict[str, Any]]:
        return self._read(alerts.of_task(task_id))
