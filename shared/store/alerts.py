"""Alert rows: one per (task, alert key), `pending` until delivered or failed for good.

The alert dispatcher (workers/alert_dispatch.py, docs/alerts.md) registers an alert before its
first delivery attempt, so an alert survives a crash, and records each outcome here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

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
            .where(_key(task_id, alert_key), task_alerts.c.delivery == "pending")
            .values(**values)
        )
        return bool(res.rowcount)

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
