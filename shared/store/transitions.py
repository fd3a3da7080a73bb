"""Task status transitions by the workers: forward-only moves, a batch's `processing` and
`completed` writes, the LLM stage's result enrichment, and an operator's replay.

See `shared.store.schema` for the `progress` numbers that keep a status from moving backwards.
Like `shared.store.tasks`, each function returns an op the facade hands to the writer thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from shared.store.batches import run_also
from shared.store.schema import GEN, STATUSES, TASK_COLUMNS, TERMINAL, TERMINAL_STAGE, now, tasks
from shared.store.tasks import Statements, select_task, task_dict


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


def transition(
    stmts: Statements,
    task_id: str,
    status: str,
    progress: int,
    *,
    result: Any = None,
    error: str | None = None,
    ensure: dict[str, Any] | None = None,
    set_result: bool | None = None,
    count_attempt: bool | None = None,
) -> Callable[[Connection], dict[str, Any] | None]:
    """Move one task forward; the op answers None when applied, else the current row. `ensure`:
    the row to create if the task is missing; `set_result` (default: when completing) stores
    `result`; `count_attempt` (default: for `processing`) adds one to `attempts`: a run whose
    `processing` was never written (shared.store.batches) counts with its `retrying` or
    `dead_lettered` write."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    if set_result is None:
        set_result = status == "completed"
    if count_attempt is None:
        count_attempt = status == "processing"

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
        stmt = stmts.transition(count_attempt, set_result)
        res = conn.execute(stmt, params)
        if res.rowcount == 1:
            return None
        if ensure is not None:
            # The row is normally there (the API stores it before publishing); only a message
            # published some other way needs it created, so try the update first.
            conn.execute(stmts.insert_task, ensure)
            if conn.execute(stmt, params).rowcount == 1:
                return None
        row = select_task(conn, task_id)
        return task_dict(row._mapping) if row is not None else {"missing": True}

    return op


def start_many(
    stmts: Statements, items: list[tuple[str, int, dict[str, Any] | None]]
) -> Callable[[Connection], list[tuple[bool, dict[str, Any] | None]]]:
    """`processing` for a worker's batch, in one statement per kind instead of one per task."""

    def op(conn: Connection) -> list[tuple[bool, dict[str, Any] | None]]:
        ids = list(dict.fromkeys(task_id for task_id, _, _ in items))
        query = sa.select(tasks.c.task_id, tasks.c.progress).where(tasks.c.task_id.in_(ids))
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        found = {r.task_id: int(r.progress) for r in conn.execute(query)}
        missing = {task_id: ensure for task_id, _, ensure in items if task_id not in found and ensure}
        if missing:
            conn.execute(stmts.insert_task, list(missing.values()))
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
                        # attempt_key = retry_count * 1000 + delivery_count + 1 (workers/stages/rules.py)
                        "b_min_attempts": (progress % GEN) // 2 % 1000,
                    }
                )
        if params:
            conn.execute(stmts.start(), params)
        refused = [task_id for task_id, _, _ in items if task_id not in applied]
        current: dict[str, dict[str, Any]] = {}
        if refused:
            rows = conn.execute(sa.select(*TASK_COLUMNS).where(tasks.c.task_id.in_(refused)))
            current = {r.task_id: task_dict(r._mapping) for r in rows}
        out: list[tuple[bool, dict[str, Any] | None]] = []
        first: set[str] = set()
        for task_id, _, _ in items:
            if task_id in applied and task_id not in first:
                first.add(task_id)
                out.append((True, None))
            else:
                out.append((False, current.get(task_id) or {"missing": True}))
        return out

    return op


def complete_many(
    stmts: Statements, items: list[tuple[str, int, Any]], also: list[Callable[[Connection], Any]]
) -> Callable[[Connection], Any]:
    """`completed` + result for a worker's batch, in one statement, and `also` in the same
    transaction."""
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
    stmt = stmts.transition(False, True)

    def op(conn: Connection) -> None:
        conn.execute(stmt, params)
        run_also(conn, also)

    return op


def enrich_result(task_id: str, result: dict[str, Any], only_if_estado: str) -> Callable[[Connection], bool]:
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

    return op


def replay(task_id: str) -> Callable[[Connection], int | None]:
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

    return op
