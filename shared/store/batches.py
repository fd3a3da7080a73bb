"""One transaction for a rules-stage batch: statuses, results and alert rows written together
(docs/workers.md, "One transaction per batch").

A first delivery whose rules finish within the batch is written straight from `queued` (or
`retrying`) to `completed`, with its result and its alerts, with no separate `processing` write.
The status API never shows a state moving backwards because:

- every status write, this one included, is `UPDATE ... WHERE progress < :new` (see
  `shared.store.schema`), and `completed` has the terminal progress;
- a task is only written when its row's progress is still below this delivery's `processing`
  progress (`BatchTask.guard`): the very test the separate `processing` write made, taken here
  under the row lock (`FOR UPDATE` on PostgreSQL; SQLite has one writer);
- a reader sees the batch's commit whole or not at all: never `completed` without its result or
  its alerts.

A task with alerts is written `completed` with its alert rows (`pending`: the rows exist before
the HTTP call, as always); their delivery states are later writes of the dispatcher's, and the
message is acked once they are settled (workers/stages/rules.py). `BatchTask.prepare` runs first
in the transaction for a task the batch writes (an agent message's alert episodes).

`BatchTask.also`: writes a handler asked to commit with its task's `completed` (the conversation's
record of an agent message, `TaskContext.on_complete`). They run in the batch's transaction only
for a task this batch completes; a task written `processing` takes them to its later `completed`.
Those that insert one row (`RowInsert`) go out as one statement per table for the whole batch
(one round trip on PostgreSQL however many agent messages the batch holds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from shared.store.driver import DriverStatement
from shared.store.pipeline import PgBatch, grouped
from shared.store.schema import TASK_COLUMNS, TERMINAL, now, task_alerts, tasks
from shared.store.tasks import Statements, task_dict


@dataclass
class BatchTask:
    """One task of a rules batch. `guard`: the row's progress must be below it for the task to be
    this delivery's (its `processing` progress, or one above when this delivery's `processing` was
    stored already). `status`/`progress`: what is written. `count_attempt`: `attempts + 1` (False
    when the `processing` write counted it). `ensure`: the row to create if the task is missing.
    `alerts`: `Store.register_alert` arguments, with `task_id` and `alert_key`. `also`: writes
    committed with the task's `completed` (run only when this batch completes it)."""

    task_id: str
    guard: int
    status: str
    progress: int
    count_attempt: bool = True
    result: Any = None
    ensure: dict[str, Any] | None = None
    alerts: list[dict[str, Any]] = field(default_factory=list)
    also: list[Callable[[Connection], Any]] = field(default_factory=list)
    # Run first in the transaction, only for a task this batch writes, before its status, result
    # and alerts: it may still change `result` and `alerts` (an agent message's episodes are
    # decided here, docs/agent-message.md). Run in `prepare_order` order across the batch, so
    # that two transactions lock the rows it locks in the same order.
    prepare: Callable[[Connection], None] | None = None
    prepare_order: str = ""


class RowInsert:
    """A write of `BatchTask.also` that inserts one row: the batch runs those of one statement
    together, as one executemany. Alone it is an op like any other: `op(conn)`."""

    __slots__ = ("row", "stmt")

    def __init__(self, stmt: Any, row: dict[str, Any]) -> None:
        self.stmt = stmt
        self.row = row

    def __call__(self, conn: Connection) -> None:
        conn.execute(self.stmt, self.row)


def run_also(conn: Connection, ops: list[Callable[[Connection], Any]]) -> None:
    """`ops` in one transaction, the `RowInsert`s of one statement and one set of columns as one
    executemany, compiled once per process (`DriverStatement`): `conn.execute` compiled the
    parameters of every row again, which cost an agent message more CPU on SQLite than the
    batch's status update (docs/agent-message.md, "Sixth session")."""
    rows: dict[tuple[int, tuple[str, ...]], tuple[Any, list[dict[str, Any]]]] = {}
    for op in ops:
        if isinstance(op, RowInsert):
            rows.setdefault((id(op.stmt), tuple(op.row)), (op.stmt, []))[1].append(op.row)
        else:
            op(conn)
    for (_, keys), (stmt, params) in rows.items():
        _row_insert(conn, stmt, keys).executemany(conn, params)


# (id of the statement, dialect, columns) -> (the statement, kept so that its id stays its own;
# the statement compiled for those columns).
_row_inserts: dict[tuple[int, str, tuple[str, ...]], tuple[Any, DriverStatement]] = {}


def _row_insert(conn: Connection, stmt: Any, keys: tuple[str, ...]) -> DriverStatement:
    key = (id(stmt), conn.dialect.name, keys)
    found = _row_inserts.get(key)
    if found is None:
        found = _row_inserts[key] = (stmt, DriverStatement(stmt, conn.dialect, column_keys=list(keys)))
    return found[1]


@dataclass
class BatchAnswer:
    """`applied`: the task was this delivery's and is written; else `current` is its row (a
    duplicate: completed already, or a later delivery has it). `alerts`: the stored row of each
    of its alerts by alert key (a task that ran before finds the rows of that run)."""

    applied: bool
    current: dict[str, Any] | None = None
    alerts: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class TaskState:
    """What a rules batch reads of a task before it runs: whose it is (the tenant check,
    workers/trust.py), the latest replay generation issued and how far it has got."""

    tenant_id: str
    generation: int
    progress: int


# One statement text whatever the batch's size: `IN` with one bound parameter per id made
# SQLAlchemy render and re-number the statement on every call (`_process_parameters_for_postcompile`
# was 15 % of a drain's CPU). SQLite takes the ids as one JSON array, PostgreSQL as one array.
# Run as driver SQL: no statement to compile or look up in the cache per batch.
_STATE = "SELECT task_id, tenant_id, generation, progress FROM tasks "
_BY_IDS = {
    "sqlite": "WHERE task_id IN (SELECT value FROM json_each(?))",
    "postgresql": "WHERE task_id = ANY(%(ids)s)",
}
_LOCKED = " ORDER BY task_id FOR UPDATE"


def _state_rows(conn: Connection, ids: list[str], lock: bool) -> Any:
    dialect = conn.dialect.name
    if dialect == "sqlite":
        # SQLite has one writer and no row locks.
        return conn.exec_driver_sql(_STATE + _BY_IDS[dialect], (orjson.dumps(ids).decode(),))
    # PostgreSQL: in task id order, so that two processes that each hold a copy of the same
    # tasks never deadlock.
    return conn.exec_driver_sql(_STATE + _BY_IDS[dialect] + (_LOCKED if lock else ""), {"ids": ids})


def batch_state(conn: Connection, ids: list[str]) -> dict[str, TaskState]:
    """The state of those of `ids` that exist: one statement for a whole batch."""
    if not ids:
        return {}
    return {r[0]: TaskState(r[1], int(r[2]), int(r[3])) for r in _state_rows(conn, ids, False)}


def progress_of(conn: Connection, ids: list[str], *, lock: bool = False) -> dict[str, int]:
    """The progress of those of `ids` that exist; their rows locked on PostgreSQL with `lock`."""
    return {r[0]: int(r[3]) for r in _state_rows(conn, sorted(set(ids)), lock)}


def record(stmts: Statements, items: list[BatchTask]) -> Any:
    """The op writing a batch: one select of the rows (locked), one multi-row statement per kind
    of write, one multi-row insert of the alerts. Answers in the order of `items`. On PostgreSQL
    the locked select goes out with `BEGIN` and the writes with `COMMIT` (shared.store.pipeline)."""

    def op(conn: Connection) -> list[BatchAnswer]:
        with PgBatch.open(conn) as pg:
            return _record(conn, pg, stmts, items)

    return op


def _record(
    conn: Connection, pg: PgBatch | None, stmts: Statements, items: list[BatchTask]
) -> list[BatchAnswer]:
    ids = sorted({it.task_id for it in items})
    found = pg.lock_rows(ids) if pg is not None else progress_of(conn, ids, lock=True)
    missing: dict[str, dict[str, Any]] = {}
    for it in items:
        if it.task_id not in found and it.ensure is not None:
            missing.setdefault(it.task_id, it.ensure)
    if missing:
        conn.execute(stmts.insert_task, list(missing.values()))
        found.update((task_id, 0) for task_id in missing)
    ours = _ours(items, found)
    for it in sorted((it for it in ours.values() if it.prepare), key=lambda it: it.prepare_order):
        assert it.prepare is not None
        it.prepare(conn)
    refused = sorted({it.task_id for it in items} - set(ours))
    current: dict[str, dict[str, Any]] = {}
    if refused:
        rows = conn.execute(sa.select(*TASK_COLUMNS).where(tasks.c.task_id.in_(refused)))
        current = {r.task_id: task_dict(r._mapping) for r in rows}
    ts = now()
    also = [extra for it in ours.values() if it.status in TERMINAL for extra in it.also]
    if pg is not None and _pipelines(ours, found, also):
        stored = _write_pipelined(conn, pg, stmts, ours, also, ts)
    else:
        _write_statuses(conn, stmts, ours.values(), ts)
        run_also(conn, also)
        stored = _write_alerts(conn, stmts, ours, found, ts)
        if pg is not None:
            pg.commit()
    answers = []
    for it in items:
        if ours.get(it.task_id) is it:
            alerts = {a["alert_key"]: stored[(it.task_id, a["alert_key"])] for a in it.alerts}
            answers.append(BatchAnswer(True, None, alerts))
        else:
            answers.append(BatchAnswer(False, current.get(it.task_id) or {"missing": True}))
    return answers


def _pipelines(ours: dict[str, BatchTask], found: dict[str, int], also: list[Any]) -> bool:
    """Whether the batch's writes can go out as one pipeline: only one-row inserts among the
    handlers' writes, and no alerts of an earlier run to read back."""
    return all(isinstance(op, RowInsert) for op in also) and not any(
        it.alerts and found[task_id] > 0 for task_id, it in ours.items()
    )


def _write_pipelined(
    conn: Connection,
    pg: PgBatch,
    stmts: Statements,
    ours: dict[str, BatchTask],
    also: list[Any],
    ts: Any,
) -> dict[tuple[str, str], dict[str, Any]]:
    """`_write_statuses`, `run_also` and `_write_alerts` (of tasks that never ran before), in the
    same order, then `COMMIT`: one round trip."""
    for (count_attempt, done), params in _status_params(ours.values(), ts).items():
        pg.add(_transition(conn, stmts, count_attempt, done), params)
    inserts: dict[tuple[int, tuple[str, ...]], tuple[Any, list[dict[str, Any]]]] = {}
    for op in also:
        inserts.setdefault((id(op.stmt), tuple(op.row)), (op.stmt, []))[1].append(op.row)
    for (_, keys), (stmt, rows) in inserts.items():
        pg.add(_row_insert(conn, stmt, keys), rows)
    alert_rows = _alert_rows(ours, ts)
    for compiled, rows in grouped(
        alert_rows, lambda keys: stmts.insert_alerts_many.compiled(conn.dialect, keys)
    ):
        pg.add(compiled, rows)
    pg.commit_writes()
    stored: dict[tuple[str, str], dict[str, Any]] = {}
    for row in alert_rows:  # a key twice: the first row is the one stored
        stored.setdefault((row["task_id"], row["alert_key"]), row)
    return stored


def _ours(items: list[BatchTask], found: dict[str, int]) -> dict[str, BatchTask]:
    """The tasks this batch writes: present and below their guard (a task id twice: the first)."""
    ours: dict[str, BatchTask] = {}
    for it in items:
        if it.task_id not in ours and found.get(it.task_id, it.guard) < it.guard:
            ours[it.task_id] = it
    return ours


_driver: dict[tuple[str, bool, bool], DriverStatement] = {}


def _transition(conn: Connection, stmts: Statements, count_attempt: bool, done: bool) -> DriverStatement:
    key = (conn.dialect.name, count_attempt, done)
    stmt = _driver.get(key)
    if stmt is None:
        stmt = _driver[key] = DriverStatement(stmts.transition(count_attempt, done), conn.dialect)
    return stmt


def _status_params(items: Any, ts: Any) -> dict[tuple[bool, bool], list[dict[str, Any]]]:
    """The status update's parameters by shape (count the attempt?, terminal?)."""
    shapes: dict[tuple[bool, bool], list[dict[str, Any]]] = {}
    for it in items:
        done = it.status in TERMINAL
        params = {
            "b_task_id": it.task_id,
            "b_status": it.status,
            "b_progress": it.progress,
            "b_updated_at": ts,
            "b_error": None,
        }
        if done:
            params["b_result"] = it.result
        shapes.setdefault((it.count_attempt, done), []).append(params)
    return shapes


def _write_statuses(conn: Connection, stmts: Statements, items: Any, ts: Any) -> None:
    for (count_attempt, done), params_list in _status_params(items, ts).items():
        # executemany: psycopg 3 pipelines it, one round trip for the whole list.
        _transition(conn, stmts, count_attempt, done).executemany(conn, params_list)


def _alert_rows(ours: dict[str, BatchTask], ts: Any) -> list[dict[str, Any]]:
    return [
        {**alert, "delivery": "pending", "attempts": 0, "parked": False, "created_at": ts, "updated_at": ts}
        for it in ours.values()
        for alert in it.alerts
    ]


def _write_alerts(
    conn: Connection, stmts: Statements, ours: dict[str, BatchTask], found: dict[str, int], ts: Any
) -> dict[tuple[str, str], dict[str, Any]]:
    rows = _alert_rows(ours, ts)
    stored: dict[tuple[str, str], dict[str, Any]] = {}
    if not rows:
        return stored
    stmts.insert_alerts_many.executemany(conn, rows)
    # A task at progress 0 (queued) never ran: its alert rows are the ones just inserted. One that
    # ran before may have rows of that run (delivered, parked): those stand.
    again = [task_id for task_id, it in ours.items() if it.alerts and found[task_id] > 0]
    if again:
        query = sa.select(task_alerts).where(task_alerts.c.task_id.in_(again))
        stored = {(r.task_id, r.alert_key): dict(r._mapping) for r in conn.execute(query)}
    for row in rows:
        stored.setdefault((row["task_id"], row["alert_key"]), row)
    return stored
