"""Alert rows: one per (task, alert key), `pending` until delivered or failed for good.

The alert dispatcher (workers/alert_dispatch.py, docs/alerts.md) registers an alert before its
first delivery attempt, so an alert survives a crash, and records each outcome here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from shared.store.driver import DriverStatement
from shared.store.schema import DELIVERY_STATES, now, task_alerts


def _key(task_id: str, alert_key: str) -> Any:
    return sa.and_(task_alerts.c.task_id == task_id, task_alerts.c.alert_key == alert_key)


def register(
    insert: Any, task_id: str, alert_key: str, *, type: str, severity: str, message: str, body: dict[str, Any]
) -> Callable[[Connection], dict[str, Any]]:
    """`insert`: the dialect's `insert` (it has ON CONFLICT DO NOTHING)."""

    def op(conn: Connection) -> dict[str, Any]:
        ts = now()
        conn.execute(
            insert(task_alerts)
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
        row = conn.execute(sa.select(task_alerts).where(_key(task_id, alert_key))).one()
        return dict(row._mapping)

    return op


# Optional columns an update may set, and their bind parameters.
_SETTABLE = ("delivery", "backend_alert_id", "last_error", "parked")
# (dialect, the optional columns set) -> the UPDATE compiled once (`DriverStatement`). Building
# and compiling the statement per call cost the store's writer about 1 ms of CPU per delivered
# alert, about as much as the HTTP POST itself (docs/agent-message.md, "Eighth session").
_updates: dict[tuple[str, tuple[str, ...]], DriverStatement] = {}


def _update_stmt(dialect: Any, columns: tuple[str, ...]) -> DriverStatement:
    key = (dialect.name, columns)
    found = _updates.get(key)
    if found is None:
        c = task_alerts.c
        values: dict[str, Any] = {
            "updated_at": sa.bindparam("b_updated_at", type_=c.updated_at.type),
            "attempts": c.attempts + sa.bindparam("b_attempts_delta", type_=c.attempts.type),
        }
        for name in columns:
            values[name] = sa.bindparam(f"b_{name}", type_=c[name].type)
        stmt = (
            sa.update(task_alerts)
            .where(
                c.task_id == sa.bindparam("b_task_id", type_=c.task_id.type),
                c.alert_key == sa.bindparam("b_alert_key", type_=c.alert_key.type),
                c.delivery == "pending",
            )
            .values(**values)
        )
        found = _updates[key] = DriverStatement(stmt, dialect)
    return found


def update(
    task_id: str,
    alert_key: str,
    *,
    delivery: str | None = None,
    attempts_delta: int = 0,
    backend_alert_id: str | None = None,
    last_error: str | None = None,
    parked: bool | None = None,
) -> Callable[[Connection], bool]:
    if delivery is not None and delivery not in DELIVERY_STATES:
        raise ValueError(f"unknown delivery state {delivery!r}")
    given = {
        "delivery": delivery,
        "backend_alert_id": backend_alert_id,
        "last_error": last_error,
        "parked": parked,
    }
    columns = tuple(name for name in _SETTABLE if given[name] is not None)

    def op(conn: Connection) -> bool:
        stmt = _update_stmt(conn.dialect, columns)
        row: dict[str, Any] = {
            "b_task_id": task_id,
            "b_alert_key": alert_key,
            "b_updated_at": now(),
            "b_attempts_delta": attempts_delta,
        }
        for name in columns:
            row[f"b_{name}"] = given[name]
        return bool(conn.exec_driver_sql(stmt.sql, stmt.params(row)).rowcount)

    return op


def get(task_id: str, alert_key: str) -> Callable[[Connection], dict[str, Any] | None]:
    def fn(conn: Connection) -> dict[str, Any] | None:
        row = conn.execute(sa.select(task_alerts).where(_key(task_id, alert_key))).first()
        return dict(row._mapping) if row is not None else None

    return fn


def of_task(task_id: str) -> Callable[[Connection], list[dict[str, Any]]]:
    def fn(conn: Connection) -> list[dict[str, Any]]:
        rows = conn.execute(
            sa.select(task_alerts)
            .where(task_alerts.c.task_id == task_id)
            .order_by(task_alerts.c.created_at, task_alerts.c.alert_key)
        ).all()
        return [dict(r._mapping) for r in rows]

    return fn


def alert_view(m: Any) -> dict[str, Any]:
    """An alert as the status API shows it."""
    return {
        "type": m["type"],
        "severity": m["severity"],
        "message": m["message"],
        "delivery": m["delivery"],
        "attempts": m["attempts"],
        "backend_alert_id": m["backend_alert_id"],
        "last_error": m["last_error"],
    }
