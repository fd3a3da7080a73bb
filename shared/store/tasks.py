"""Task rows: creation by the API (idempotent), the publish-unconfirmed mark, and reads.

Each function here returns an *op*, `(Connection) -> result`, that the facade hands to the writer
thread (writes) or runs on a pooled connection (reads); none of them opens a transaction itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from shared.store import alerts
from shared.store.alerts import alert_view
from shared.store.driver import ManyInsert
from shared.store.schema import TASK_COLUMNS, aware, task_alerts, tasks
from shared.store.writer import BatchableInsert

PUBLISH_UNCONFIRMED = "publish not confirmed by the broker; retry with the same Idempotency-Key: "


def publish_unconfirmed(task: dict[str, Any]) -> bool:
    """The task's row exists but its message may never have reached the queue."""
    return task["status"] == "queued" and str(task.get("error") or "").startswith(PUBLISH_UNCONFIRMED)


@dataclass(frozen=True)
class CreateOutcome:
    kind: Literal["created", "existing", "conflict"]
    task: dict[str, Any] | None = None


CREATED = CreateOutcome("created", None)


class Statements:
    """The statements a worker or the API runs per task, built once per engine and executed with
    the row as parameters: `.values(**row)` per call builds a new statement (bind parameters,
    cache key) each time, ~6x the CPU of the insert itself."""

    def __init__(self, engine: Engine) -> None:
        self.insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        self.insert_task = self.insert(tasks).on_conflict_do_nothing()
        self.insert_task_returning = self.insert_task.returning(tasks.c.task_id)
        # The API's runs of new tasks, one driver executemany per group commit: SQLAlchemy's
        # parameter processing of each row was ~30 % of the writer's time (docs/operations.md).
        self.insert_task_many = ManyInsert(self.insert_task)
        # A rules batch's alert rows, one driver executemany (shared.store.batches).
        self.insert_alerts_many = ManyInsert(self.insert(task_alerts).on_conflict_do_nothing())
        self._transitions: dict[tuple[bool, bool], Any] = {}
        self._start: Any = None

    def start(self) -> Any:
        """`processing` for a batch: as `transition(True, False)`, but `attempts` is at least
        `:b_min_attempts`, the deliveries the message has had at its retry level (a run killed
        before anything of it was stored still counts once its redelivery starts)."""
        stmt = self._start
        if stmt is None:
            counted = tasks.c.attempts + 1
            floor = sa.bindparam("b_min_attempts", type_=tasks.c.attempts.type)
            stmt = self.transition(True, False).values(
                attempts=sa.case((counted >= floor, counted), else_=floor)
            )
            self._start = stmt
        return stmt

    def transition(self, processing: bool, set_result: bool) -> Any:
        """`UPDATE tasks SET ... WHERE task_id = :id AND progress < :new`, built once per shape:
        a worker runs two of these per task."""
        key = (processing, set_result)
        stmt = self._transitions.get(key)
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
            self._transitions[key] = stmt
        return stmt


class NewTaskInsert(BatchableInsert):
    """Creation of a task without an idempotency key: batchable by the writer."""

    __slots__ = ("single_stmt",)

    def __init__(self, row: dict[str, Any], single_stmt: Any, many_stmt: Any) -> None:
        super().__init__(row, many_stmt, CREATED)
        self.single_stmt = single_stmt

    def __call__(self, conn: Connection) -> CreateOutcome:
        # RETURNING rather than rowcount: psycopg reports -1 for INSERT ... ON CONFLICT.
        if conn.execute(self.single_stmt, self.row).first() is not None:
            return CREATED
        # The row is there already: a worker got the message of another producer first.
        existing = select_task(conn, self.row["task_id"])
        return CreateOutcome("existing", task_dict(existing._mapping) if existing is not None else None)


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
    payload: dict[str, Any] | orjson.Fragment | None = None,
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


def create(stmts: Statements, row: dict[str, Any]) -> Callable[[Connection], CreateOutcome]:
    if row.get("idempotency_key") is None:
        return NewTaskInsert(row, stmts.insert_task_returning, stmts.insert_task_many)

    key = row["idempotency_key"]

    def by_key(conn: Connection) -> CreateOutcome | None:
        existing = conn.execute(
            sa.select(*TASK_COLUMNS).where(
                tasks.c.tenant_id == row["tenant_id"], tasks.c.idempotency_key == key
            )
        ).first()
        if existing is None:
            return None
        same = existing.request_hash == row["request_hash"]
        return CreateOutcome("existing" if same else "conflict", task_dict(existing._mapping))

    def op(conn: Connection) -> CreateOutcome:
        known = by_key(conn)
        if known is not None:
            return known
        # RETURNING rather than rowcount: psycopg reports -1 for INSERT ... ON CONFLICT.
        if conn.execute(stmts.insert_task_returning, row).first() is not None:
            return CREATED
        # Lost a race with another API process holding the same idempotency key.
        known = by_key(conn)
        if known is None:
            raise RuntimeError(f"task {row['task_id']} already exists")
        return known

    return op


def discard(task_id: str) -> Callable[[Connection], bool]:
    def op(conn: Connection) -> bool:
        res = conn.execute(sa.delete(tasks).where(tasks.c.task_id == task_id, tasks.c.status == "queued"))
        return bool(res.rowcount)

    return op


# A task whose publish was not confirmed (timeout, broker gone, nack) while the client sent an
# Idempotency-Key: the row stays, marked in `error` while it is still `queued` (the worker's
# first status update clears `error`), so the client's retry reuses its task_id
# (docs/api-contract.md).


def mark_unconfirmed(task_id: str, reason: str) -> Callable[[Connection], bool]:
    def op(conn: Connection) -> bool:
        res = conn.execute(
            sa.update(tasks)
            .where(tasks.c.task_id == task_id, tasks.c.status == "queued")
            .values(error=f"{PUBLISH_UNCONFIRMED}{reason}"[:2000])
        )
        return bool(res.rowcount)

    return op


def clear_unconfirmed(task_id: str) -> Callable[[Connection], bool]:
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


# --- reads ----------------------------------------------------------------------------------------


def select_task(conn: Connection, task_id: str) -> Any:
    return conn.execute(sa.select(*TASK_COLUMNS).where(tasks.c.task_id == task_id)).first()


def owners(task_ids: list[str]) -> Callable[[Connection], dict[str, tuple[str, int]]]:
    """Task id -> (tenant, generation) of those the store holds: one query for a whole batch."""

    def fn(conn: Connection) -> dict[str, tuple[str, int]]:
        rows = conn.execute(
            sa.select(tasks.c.task_id, tasks.c.tenant_id, tasks.c.generation).where(
                tasks.c.task_id.in_(task_ids)
            )
        )
        return {str(r.task_id): (str(r.tenant_id), int(r.generation)) for r in rows}

    return fn


def get(task_id: str) -> Callable[[Connection], dict[str, Any] | None]:
    def fn(conn: Connection) -> dict[str, Any] | None:
        row = select_task(conn, task_id)
        return task_dict(row._mapping) if row is not None else None

    return fn


def view(
    task_id: str, tenant_id: str | None, domain: str | None
) -> Callable[[Connection], dict[str, Any] | None]:
    """The status API's view of a task: its row and its alerts, if the tenant and domain match."""

    def fn(conn: Connection) -> dict[str, Any] | None:
        row = select_task(conn, task_id)
        if row is None:
            return None
        if tenant_id is not None and row.tenant_id != tenant_id:
            return None
        if domain is not None and row.domain != domain:
            return None
        task = task_dict(row._mapping)
        task["alerts"] = [alert_view(a) for a in alerts.of_task(task_id)(conn)]
        return task

    return fn


def task_dict(m: Any) -> dict[str, Any]:
    return {
        "task_id": m["task_id"],
        "tenant_id": m["tenant_id"],
        "domain": m["domain"],
        "task_type": m["task_type"],
        "status": m["status"],
        "attempts": m["attempts"],
        "progress": m["progress"],
        "generation": m["generation"],
        "created_at": aware(m["created_at"]),
        "updated_at": aware(m["updated_at"]),
        "result": m["result"],
        "error": m["error"],
        "idempotency_key": m["idempotency_key"],
        "request_hash": m["request_hash"],
        "correlation_id": m["correlation_id"],
    }
