"""Task store: tasks, their status history position and their alerts (SQLite or PostgreSQL).

Status never moves backwards, whatever order updates arrive in. Each status update carries a
`progress` number and is applied with `UPDATE ... WHERE progress < :new` (atomic on both
databases), so a late "processing" from a duplicate delivery can never overwrite "completed":

    progress = generation * GEN + stage
    stage    = 0 for queued
             = 2 * attempt_key     for processing   (attempt_key grows with every delivery
             = 2 * attempt_key + 1 for retrying      and every delayed retry of the message)
             = GEN - 1             for completed, failed, dead_lettered (terminal)

`generation` only grows when an operator replays a dead-lettered task (workers.replay).

All writes go through one writer thread that commits whatever has queued up in one transaction
("group commit"). SQLite allows a single writer; many threads fighting for its lock spend their
time in busy-waits, while one thread committing batches keeps throughput high on SQLite and
saves round trips on PostgreSQL. Reads use the connection pool directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

T = TypeVar("T")

GEN = 10**12
TERMINAL_STAGE = GEN - 1

STATUSES = ("queued", "processing", "retrying", "completed", "failed", "dead_lettered")
TERMINAL = frozenset({"completed", "failed", "dead_lettered"})
DELIVERY_STATES = ("pending", "delivered", "failed")

metadata = sa.MetaData()

_json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# A task created without its payload (tests, old rows) keeps SQL NULL rather than JSON 'null'.
_json_or_null = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")

tasks = sa.Table(
    "tasks",
    metadata,
    sa.Column("task_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(200), nullable=False),
    sa.Column("domain", sa.String(32), nullable=False),
    sa.Column("task_type", sa.String(32), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("progress", sa.BigInteger, nullable=False, default=0),
    sa.Column("generation", sa.Integer, nullable=False, default=0),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("result", _json, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("idempotency_key", sa.String(255), nullable=True),
    sa.Column("request_hash", sa.String(64), nullable=True),
    sa.Column("correlation_id", sa.String(200), nullable=True),
    # The validated request payload as the envelope carries it, for the /ops task page (masked
    # there). Never part of the status API; deleted with its row by retention.
    sa.Column("payload", _json_or_null, nullable=True),
    sa.UniqueConstraint("tenant_id", "idempotency_key", name="uq_tasks_tenant_idempotency"),
)
# Retention (shared.retention) looks finished tasks up by status and age.
sa.Index("ix_tasks_status_updated_at", tasks.c.status, tasks.c.updated_at)
# Every column but the payload: status reads and write checks never need it, and an ingestion
# payload can weigh megabytes.
_TASK_COLUMNS = tuple(c for c in tasks.c if c.name != "payload")

task_alerts = sa.Table(
    "task_alerts",
    metadata,
    sa.Column("task_id", sa.String(36), primary_key=True),
    sa.Column("alert_key", sa.String(200), primary_key=True),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("severity", sa.String(20), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("body", _json, nullable=False),
    sa.Column("delivery", sa.String(20), nullable=False, default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("backend_alert_id", sa.String(200), nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("parked", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
# The /ops console's reads (api/ops/health.py, api/ops/queries.py; migration 0005).
sa.Index("ix_tasks_created_at", tasks.c.created_at)
sa.Index("ix_tasks_tenant_created_at", tasks.c.tenant_id, tasks.c.created_at)
sa.Index("ix_tasks_tenant_status_updated_at", tasks.c.tenant_id, tasks.c.status, tasks.c.updated_at)
sa.Index("ix_task_alerts_delivery_updated_at", task_alerts.c.delivery, task_alerts.c.updated_at)


def now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def progress_for(status: str, *, attempt_key: int = 1, generation: int = 0) -> int:
    if status == "queued":
        stage = 0
    elif status == "processing":
        stage = 2 * attempt_key
    elif status == "retrying":
        stage = 2 * attempt_key + 1
    elif status in TERMINAL:
        stage = TERMINAL_STAGE
    else:
        raise ValueError(f"unknown status {status!r}")
    return generation * GEN + stage


PUBLISH_UNCONFIRMED = "publish not confirmed by the broker; retry with the same Idempotency-Key: "


def publish_unconfirmed(task: dict[str, Any]) -> bool:
    """The task's row exists but its message may never have reached the queue."""
    return task["status"] == "queued" and str(task.get("error") or "").startswith(PUBLISH_UNCONFIRMED)


@dataclass(frozen=True)
class CreateOutcome:
    kind: Literal["created", "existing", "conflict"]
    task: dict[str, Any] | None = None


_CREATED = CreateOutcome("created", None)


class StoreUnavailable(RuntimeError):
    """The database did not answer; callers map it to 503 (API) or a requeue (worker)."""


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; accept the plain URL operators write.
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 10}, pool_size=16, max_overflow=16
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=8, max_overflow=8)


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
        import fcntl
        import time

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
        import fcntl

        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _write_lock(engine: Engine) -> Any:
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        if path and path != ":memory:" and not path.startswith("file:"):
            return _SqliteWriteLock(os.path.abspath(path), timeout_s=10.0)
    return None


class _LoopFuture:
    """What the writer needs of a future (set_result/set_exception), completing an asyncio
    future on its own event loop."""

    __slots__ = ("fut", "loop")

    def __init__(self, fut: asyncio.Future[Any]) -> None:
        self.fut = fut
        self.loop = fut.get_loop()

    def set_result(self, value: Any) -> None:
        self._call(value, None)

    def set_exception(self, exc: BaseException) -> None:
        self._call(None, exc)

    def _call(self, value: Any, exc: BaseException | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting any more
            self.loop.call_soon_threadsafe(_settle, self.fut, value, exc)


def _settle(fut: asyncio.Future[Any], value: Any, exc: BaseException | None) -> None:
    if fut.done():  # the awaiting request was cancelled
        return
    if exc is not None:
        fut.set_exception(exc)
    else:
        fut.set_result(value)


_Settable = Future[Any] | _LoopFuture


class _NewTaskInsert:
    """Creation of a task without an idempotency key: batchable by the writer."""

    __slots__ = ("many_stmt", "row", "single_stmt")

    def __init__(self, row: dict[str, Any], single_stmt: Any, many_stmt: Any) -> None:
        self.row = row
        self.single_stmt = single_stmt
        self.many_stmt = many_stmt

    def __call__(self, conn: Connection) -> CreateOutcome:
        # RETURNING rather than rowcount: psycopg reports -1 for INSERT ... ON CONFLICT.
        if conn.execute(self.single_stmt, self.row).first() is not None:
            return _CREATED
        # The row is there already: a worker got the message of another producer first.
        existing = conn.execute(
            sa.select(*_TASK_COLUMNS).where(tasks.c.task_id == self.row["task_id"])
        ).first()
        return CreateOutcome("existing", _task_dict(existing._mapping) if existing is not None else None)


class _Writer(threading.Thread):
    """One thread, one connection, group commit."""

    MAX_BATCH = 512

    def __init__(self, engine: Engine) -> None:
        super().__init__(name="store-writer", daemon=True)
        self.engine = engine
        self.lock = _write_lock(engine)
        self.q: queue.SimpleQueue[tuple[Callable[[Connection], Any], _Settable] | None] = queue.SimpleQueue()

    def submit(self, op: Callable[[Connection], T]) -> Future[T]:
        fut: Future[T] = Future()
        self.q.put((op, fut))
        return fut

    def stop(self) -> None:
        self.q.put(None)
        self.join(timeout=10)
        if self.lock is not None and not self.is_alive():
            self.lock.close()

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

    def _run_batch(self, batch: list[tuple[Callable[[Connection], Any], _Settable]]) -> None:
        try:
            results: list[Any] = []
            with self.lock or contextlib.nullcontext(), self.engine.begin() as conn:
                i = 0
                while i < len(batch):
                    op = batch[i][0]
                    if isinstance(op, _NewTaskInsert):
                        # A run of plain task creations (the API under load) is one executemany:
                        # per-row statement execution cost more of the GIL than the event loop
                        # could spare. Task ids are fresh UUIDs; a row that exists already (the
                        # worker of another producer's message) is left as it is, as alone.
                        j = i + 1
                        while j < len(batch) and isinstance(batch[j][0], _NewTaskInsert):
                            j += 1
                        if j - i > 1:
                            conn.execute(op.many_stmt, [b[0].row for b in batch[i:j]])  # type: ignore[attr-defined]
                            results.extend([_CREATED] * (j - i))
                            i = j
                            continue
                    results.append(op(conn))
                    i += 1
        except Exception:
            if len(batch) == 1:
                self._fail(batch[0][1])
                return
            # One op broke the shared transaction: run each alone so only it fails.
            for single in batch:
                self._run_batch([single])
            return
        for (_op, fut), res in zip(batch, results, strict=True):
            fut.set_result(res)

    @staticmethod
    def _fail(fut: _Settable) -> None:
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
            err: BaseException = StoreUnavailable(str(exc.orig) if exc.orig else str(exc))
        else:
            err = exc if exc is not None else RuntimeError("store write failed")
        fut.set_exception(err)


class Store:
    def __init__(self, url: str, *, create_schema: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        # Built once and executed with the row as parameters: `.values(**row)` per call builds a
        # new statement (bind parameters, cache key) each time, ~6x the CPU of the insert itself.
        self._insert_task = self._insert(tasks).on_conflict_do_nothing()
        self._insert_task_returning = self._insert_task.returning(tasks.c.task_id)
        self._transition_stmts: dict[tuple[bool, bool], Any] = {}
        if create_schema:
            self._create_schema()
        self._writer = _Writer(self.engine)
        self._writer.start()

    # --- plumbing -----------------------------------------------------------------------------

    def _create_schema(self) -> None:
        # Alembic migrations, never create_all (SPEC §11); a no-op when the schema is current,
        # serialised between processes starting together (see shared.migrate).
        from shared.migrate import upgrade_engine

        upgrade_engine(self.engine)

    def close(self) -> None:
        self._writer.stop()
        self.engine.dispose()

    def _write(self, op: Callable[[Connection], T], timeout: float | None = 30) -> T:
        return self._writer.submit(op).result(timeout)

    async def _awrite(self, op: Callable[[Connection], T]) -> T:
        # The writer completes an asyncio future straight through call_soon_threadsafe: cheaper
        # per call than a concurrent Future (a Condition each) wrapped with wrap_future.
        fut: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._writer.q.put((op, _LoopFuture(fut)))
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

    def _op_create(self, row: dict[str, Any]) -> Callable[[Connection], CreateOutcome]:
        if row.get("idempotency_key") is None:
            return _NewTaskInsert(row, self._insert_task_returning, self._insert_task)

        key = row["idempotency_key"]

        def by_key(conn: Connection) -> Any:
            return conn.execute(
                sa.select(*_TASK_COLUMNS).where(
                    tasks.c.tenant_id == row["tenant_id"], tasks.c.idempotency_key == key
                )
            ).first()

        def op(conn: Connection) -> CreateOutcome:
            existing = by_key(conn)
            if existing is not None:
                task = _task_dict(existing._mapping)
                same = existing.request_hash == row["request_hash"]
                return CreateOutcome("existing" if same else "conflict", task)
            # RETURNING rather than rowcount: psycopg reports -1 for INSERT ... ON CONFLICT.
            if conn.execute(self._insert_task_returning, row).first() is not None:
                return _CREATED
            # Lost a race with another API process holding the same idempotency key.
            existing = by_key(conn)
            if existing is None:
                raise RuntimeError(f"task {row['task_id']} already exists")
            task = _task_dict(existing._mapping)
            same = existing.request_hash == row["request_hash"]
            return CreateOutcome("existing" if same else "conflict", task)

        return op

    @staticmethod
    def new_task_row(
        *,
        task_id: str,
        tenant_id: str,
        domain: str,
        task_type: str,
        created_at: datetime,
        correlation_id: str | None,
        idempotency_key: str | None,
        request_hash: str | None,
        payload: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        # Every row carries every key, payload included: the writer inserts runs of rows with
        # one executemany, which needs the same parameters in each.
        return {
            "task_id": task_id,
            "tenant_id": tenant_id,
            "domain": domain,
            "task_type": task_type,
            "status": "queued",
            "progress": 0,
            "generation": 0,
            "attempts": 0,
            "created_at": created_at,
            "updated_at": created_at,
            "correlation_id": correlation_id,
            "idempotency_key": idempotency_key,
            "request_hash": request_hash,
            "payload": payload,
        }

    def create_task(self, row: dict[str, Any]) -> CreateOutcome:
        return self._write(self._op_create(row))

    async def acreate_task(self, row: dict[str, Any]) -> CreateOutcome:
        return await self._awrite(self._op_create(row))

    def _op_discard(self, task_id: str) -> Callable[[Connection], bool]:
        def op(conn: Connection) -> bool:
            res = conn.execute(sa.delete(tasks).where(tasks.c.task_id == task_id, tasks.c.status == "queued"))
            return bool(res.rowcount)

        return op

    async def adiscard_task(self, task_id: str) -> bool:
        """Forget a task whose publish failed (the client got 503 and will retry)."""
        return await self._awrite(self._op_discard(task_id))

    # A task whose publish was not confirmed (timeout, broker gone, nack) while the client sent an
    # Idempotency-Key: the row stays, marked in `error` while it is still `queued` (the worker's
    # first status update clears `error`), so the client's retry reuses its task_id (SPEC §5).

    def _op_mark_unconfirmed(self, task_id: str, reason: str) -> Callable[[Connection], bool]:
        def op(conn: Connection) -> bool:
            res = conn.execute(
                sa.update(tasks)
                .where(tasks.c.task_id == task_id, tasks.c.status == "queued")
                .values(error=f"{PUBLISH_UNCONFIRMED}{reason}"[:2000])
            )
            return bool(res.rowcount)

        return op

    async def amark_unconfirmed(self, task_id: str, reason: str) -> bool:
        return await self._awrite(self._op_mark_unconfirmed(task_id, reason))

    def _op_clear_unconfirmed(self, task_id: str) -> Callable[[Connection], bool]:
        def op(conn: Connection) -> bool:
            res = conn.execute(
                sa.update(tasks)
                .where(
                    tasks.c.task_id == task_id,
                    tasks.c.status == "queued",
                    tasks.c.error.startswith(PUBLISH_UNCONFIRMED, autoescape=True),
                )
                .values(error=None)
            )
            return bool(res.rowcount)

        return op

    async def aclear_unconfirmed(self, task_id: str) -> bool:
        return await self._awrite(self._op_clear_unconfirmed(task_id))

    # --- status transitions (workers) ---------------------------------------------------------

    def _op_transition(
        self,
        task_id: str,
        status: str,
        progress: int,
        *,
        result: Any = None,
        error: str | None = None,
        ensure: dict[str, Any] | None = None,
        set_result: bool = False,
    ) -> Callable[[Connection], dict[str, Any] | None]:
        def op(conn: Connection) -> dict[str, Any] | None:
            params: dict[str, Any] = {
                "b_task_id": task_id,
                "b_status": status,
                "b_progress": progress,
                "b_updated_at": now(),
                "b_error": error,
            }
            if set_result:
                params["b_result"] = result
            stmt = self._transition_stmt(status == "processing", set_result)
            res = conn.execute(stmt, params)
            if res.rowcount == 1:
                return None
            if ensure is not None:
                # The row is normally there (the API stores it before publishing); only a message
                # published some other way needs it created, so try the update first.
                conn.execute(self._insert_task, ensure)
                if conn.execute(stmt, params).rowcount == 1:
                    return None
            row = conn.execute(sa.select(*_TASK_COLUMNS).where(tasks.c.task_id == task_id)).first()
            return _task_dict(row._mapping) if row is not None else {"missing": True}

        return op

    def _transition_stmt(self, processing: bool, set_result: bool) -> Any:
        """`UPDATE tasks SET ... WHERE task_id = :id AND progress < :new`, built once per shape
        (see `_insert_task`): a worker runs two of these per task."""
        key = (processing, set_result)
        stmt = self._transition_stmts.get(key)
        if stmt is None:
            values: dict[str, Any] = {
                "status": sa.bindparam("b_status", type_=tasks.c.status.type),
                "progress": sa.bindparam("b_progress", type_=tasks.c.progress.type),
                "updated_at": sa.bindparam("b_updated_at", type_=tasks.c.updated_at.type),
                "error": sa.bindparam("b_error", type_=tasks.c.error.type),
            }
            if processing:
                values["attempts"] = tasks.c.attempts + 1
            if set_result:
                values["result"] = sa.bindparam("b_result", type_=tasks.c.result.type)
            stmt = (
                sa.update(tasks)
                .where(
                    tasks.c.task_id == sa.bindparam("b_task_id", type_=tasks.c.task_id.type),
                    tasks.c.progress < sa.bindparam("b_progress", type_=tasks.c.progress.type),
                )
                .values(**values)
            )
            self._transition_stmts[key] = stmt
        return stmt

    def transition(
        self,
        task_id: str,
        status: str,
        progress: int,
        *,
        result: Any = None,
        error: str | None = None,
        ensure: dict[str, Any] | None = None,
        set_result: bool | None = None,
    ) -> tuple[bool, dict[str, Any] | None]:
        """Move a task forward. Returns (applied, current row when not applied)."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        if set_result is None:
            set_result = status == "completed"
        current = self._write(
            self._op_transition(
                task_id, status, progress, result=result, error=error, ensure=ensure, set_result=set_result
            )
        )
        return current is None, current

    def start_many(
        self, items: list[tuple[str, int, dict[str, Any] | None]], timeout: float | None = 30
    ) -> list[tuple[bool, dict[str, Any] | None]]:
        """`processing` for a worker's batch: (task_id, progress, row to create if missing) each,
        in one statement per kind instead of one per task. Per item: (applied, current row when
        not applied), as `transition` answers. A task id twice in one batch applies once."""

        def op(conn: Connection) -> list[tuple[bool, dict[str, Any] | None]]:
            ids = list(dict.fromkeys(task_id for task_id, _, _ in items))
            query = sa.select(tasks.c.task_id, tasks.c.progress).where(tasks.c.task_id.in_(ids))
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            found = {r.task_id: int(r.progress) for r in conn.execute(query)}
            missing = {task_id: ensure for task_id, _, ensure in items if task_id not in found and ensure}
            if missing:
                conn.execute(self._insert_task, list(missing.values()))
                found.update((task_id, 0) for task_id in missing)
            applied: set[str] = set()
            params = []
            ts = now()
            for task_id, progress, _ in items:
                if task_id in found and task_id not in applied and found[task_id] < progress:
                    applied.add(task_id)
                    params.append(
                        {
                            "b_task_id": task_id,
                            "b_status": "processing",
                            "b_progress": progress,
                            "b_updated_at": ts,
                            "b_error": None,
                        }
                    )
            if params:
                conn.execute(self._transition_stmt(True, False), params)
            refused = [task_id for task_id, _, _ in items if task_id not in applied]
            current: dict[str, dict[str, Any]] = {}
            if refused:
                rows = conn.execute(sa.select(*_TASK_COLUMNS).where(tasks.c.task_id.in_(refused)))
                current = {r.task_id: _task_dict(r._mapping) for r in rows}
            out: list[tuple[bool, dict[str, Any] | None]] = []
            first: set[str] = set()
            for task_id, _, _ in items:
                if task_id in applied and task_id not in first:
                    first.add(task_id)
                    out.append((True, None))
                else:
                    out.append((False, current.get(task_id) or {"missing": True}))
            return out

        return self._write(op, timeout)

    def complete_many(self, items: list[tuple[str, int, Any]], timeout: float | None = 30) -> None:
        """`completed` + result for a worker's batch, (task_id, progress, result) each, in one
        statement. A task that moved past `progress` meanwhile is left as it is."""
        if not items:
            return
        ts = now()
        params = [
            {
                "b_task_id": task_id,
                "b_status": "completed",
                "b_progress": progress,
                "b_updated_at": ts,
                "b_error": None,
                "b_result": result,
            }
            for task_id, progress, result in items
        ]
        stmt = self._transition_stmt(False, True)
        self._write(lambda conn: conn.execute(stmt, params), timeout)

    def enrich_result(
        self, task_id: str, result: dict[str, Any], *, only_if_estado: str = "pendente"
    ) -> bool:
        """Replace the result of a completed task whose `analise_ia.estado` is still
        `only_if_estado` (the LLM stage, SPEC §6). Status and progress stay as they are. Returns
        False, changing nothing, when another run of the stage got there first."""

        def op(conn: Connection) -> bool:
            query = sa.select(tasks.c.status, tasks.c.result).where(tasks.c.task_id == task_id)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            row = conn.execute(query).first()
            if row is None or row.status != "completed":
                return False
            current = row.result if isinstance(row.result, dict) else {}
            ia = current.get("analise_ia")
            if not isinstance(ia, dict) or ia.get("estado") != only_if_estado:
                return False
            conn.execute(
                sa.update(tasks).where(tasks.c.task_id == task_id).values(result=result, updated_at=now())
            )
            return True

        return self._write(op)

    def replay(self, task_id: str) -> int | None:
        """Open a new generation for a task to run again.

        Returns the generation, or None if the task is unknown or completed."""

        def op(conn: Connection) -> int | None:
            row = conn.execute(
                sa.select(tasks.c.status, tasks.c.generation).where(tasks.c.task_id == task_id)
            ).first()
            # A completed task is never run again; anything else (normally dead_lettered, but
            # also a task the broker dead-lettered while the store still said processing) is.
            if row is None or row.status == "completed":
                return None
            gen = int(row.generation) + 1
            conn.execute(
                sa.update(tasks)
                .where(tasks.c.task_id == task_id)
                .values(status="retrying", generation=gen, progress=gen * GEN + 1, updated_at=now())
            )
            return gen

        return self._write(op)

    # --- reads --------------------------------------------------------------------------------

    def get_task(self, task_id: str) -> dict[str, Any] | None:
        def fn(conn: Connection) -> dict[str, Any] | None:
            row = conn.execute(sa.select(*_TASK_COLUMNS).where(tasks.c.task_id == task_id)).first()
            return _task_dict(row._mapping) if row is not None else None

        return self._read(fn)

    def _view(
        self, task_id: str, tenant_id: str | None, domain: str | None
    ) -> Callable[[Connection], dict[str, Any] | None]:
        def fn(conn: Connection) -> dict[str, Any] | None:
            row = conn.execute(sa.select(*_TASK_COLUMNS).where(tasks.c.task_id == task_id)).first()
            if row is None:
                return None
            if tenant_id is not None and row.tenant_id != tenant_id:
                return None
            if domain is not None and row.domain != domain:
                return None
            task = _task_dict(row._mapping)
            alerts = conn.execute(
                sa.select(task_alerts)
                .where(task_alerts.c.task_id == task_id)
                .order_by(task_alerts.c.created_at, task_alerts.c.alert_key)
            ).all()
            task["alerts"] = [_alert_view(a._mapping) for a in alerts]
            return task

        return fn

    def get_task_view(
        self, task_id: str, *, tenant_id: str | None = None, domain: str | None = None
    ) -> dict[str, Any] | None:
        return self._read(self._view(task_id, tenant_id, domain))

    async def aget_task_view(
        self, task_id: str, *, tenant_id: str | None = None, domain: str | None = None
    ) -> dict[str, Any] | None:
        return await self._aread(self._view(task_id, tenant_id, domain))

    # --- alerts -------------------------------------------------------------------------------

    def register_alert(
        self, task_id: str, alert_key: str, *, type: str, severity: str, message: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        """Record an alert as pending unless it is already known; returns the stored row."""

        def op(conn: Connection) -> dict[str, Any]:
            ts = now()
            conn.execute(
                self._insert(task_alerts)
                .values(
                    task_id=task_id,
                    alert_key=alert_key,
                    type=type,
                    severity=severity,
                    message=message,
                    body=body,
                    delivery="pending",
                    attempts=0,
                    parked=False,
                    created_at=ts,
                    updated_at=ts,
                )
                .on_conflict_do_nothing()
            )
            row = conn.execute(
                sa.select(task_alerts).where(
                    task_alerts.c.task_id == task_id, task_alerts.c.alert_key == alert_key
                )
            ).one()
            return dict(row._mapping)

        return self._write(op)

    def update_alert(
        self,
        task_id: str,
        alert_key: str,
        *,
        delivery: str | None = None,
        attempts_delta: int = 0,
        backend_alert_id: str | None = None,
        last_error: str | None = None,
        parked: bool | None = None,
    ) -> bool:
        """Record a delivery outcome. `delivered` and `failed` are final: returns False if the
        alert had already reached one of them (the update is then ignored)."""
        if delivery is not None and delivery not in DELIVERY_STATES:
            raise ValueError(f"unknown delivery state {delivery!r}")

        def op(conn: Connection) -> bool:
            values: dict[str, Any] = {
                "updated_at": now(),
                "attempts": task_alerts.c.attempts + attempts_delta,
            }
            if delivery is not None:
                values["delivery"] = delivery
            if backend_alert_id is not None:
                values["backend_alert_id"] = backend_alert_id
            if last_error is not None:
                values["last_error"] = last_error
            if parked is not None:
                values["parked"] = parked
            res = conn.execute(
                sa.update(task_alerts)
                .where(
                    task_alerts.c.task_id == task_id,
                    task_alerts.c.alert_key == alert_key,
                    task_alerts.c.delivery == "pending",
                )
                .values(**values)
            )
            return bool(res.rowcount)

        return self._write(op)

    def get_alert(self, task_id: str, alert_key: str) -> dict[str, Any] | None:
        def fn(conn: Connection) -> dict[str, Any] | None:
            row = conn.execute(
                sa.select(task_alerts).where(
                    task_alerts.c.task_id == task_id, task_alerts.c.alert_key == alert_key
                )
            ).first()
            return dict(row._mapping) if row is not None else None

        return self._read(fn)

    def list_alerts(self, task_id: str) -> list[dict[str, Any]]:
        def fn(conn: Connection) -> list[dict[str, Any]]:
            rows = conn.execute(
                sa.select(task_alerts)
                .where(task_alerts.c.task_id == task_id)
                .order_by(task_alerts.c.created_at, task_alerts.c.alert_key)
            ).all()
            return [dict(r._mapping) for r in rows]

        return self._read(fn)


def _task_dict(m: Any) -> dict[str, Any]:
    return {
        "task_id": m["task_id"],
        "tenant_id": m["tenant_id"],
        "domain": m["domain"],
        "task_type": m["task_type"],
        "status": m["status"],
        "attempts": m["attempts"],
        "progress": m["progress"],
        "generation": m["generation"],
        "created_at": _aware(m["created_at"]),
        "updated_at": _aware(m["updated_at"]),
        "result": m["result"],
        "error": m["error"],
        "idempotency_key": m["idempotency_key"],
        "request_hash": m["request_hash"],
        "correlation_id": m["correlation_id"],
    }


def _alert_view(m: Any) -> dict[str, Any]:
    return {
        "type": m["type"],
        "severity": m["severity"],
        "message": m["message"],
        "delivery": m["delivery"],
        "attempts": m["attempts"],
        "backend_alert_id": m["backend_alert_id"],
        "last_error": m["last_error"],
    }
