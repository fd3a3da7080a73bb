"""What the /ops console reads and changes in the task store (tenant-scoped)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from shared.store import Store
from shared.store.schema import now, task_alerts, tasks

MAX_ROWS = 200


class OpsQueries:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def recent_tasks(
        self,
        tenant: str | None,
        *,
        status: str | None = None,
        domain: str | None = None,
        task_type: str | None = None,
        reason: str | None = None,
        limit: int = 50,
        newest_by: str = "created_at",
    ) -> list[dict[str, Any]]:
        """Newest first; `tenant` None means every tenant (an operator from OPS_USERS). `reason`
        keeps the tasks whose error starts with it (the worker writes `<reason>: <detail>`).
        `newest_by="updated_at"` orders by the last change (for dead letters: when they died)."""
        query = sa.select(
            tasks.c.task_id,
            tasks.c.tenant_id,
            tasks.c.domain,
            tasks.c.task_type,
            tasks.c.status,
            tasks.c.attempts,
            tasks.c.created_at,
            tasks.c.updated_at,
            tasks.c.error,
        )
        if tenant is not None:
            query = query.where(tasks.c.tenant_id == tenant)
        if status:
            query = query.where(tasks.c.status == status)
        if domain:
            query = query.where(tasks.c.domain == domain)
        if task_type:
            query = query.where(tasks.c.task_type == task_type)
        if reason:
            query = query.where(tasks.c.error.startswith(f"{reason}:", autoescape=True))
        query = query.order_by(tasks.c[newest_by].desc()).limit(min(max(limit, 1), MAX_ROWS))

        def fn(conn: Connection) -> list[dict[str, Any]]:
            return [dict(r._mapping) for r in conn.execute(query)]

        return await self.store._aread(fn)

    async def dead_lettered(self, tenant: str | None, task_ids: list[str]) -> dict[str, str]:
        """{task_id: domain} of those tasks that are dead-lettered and the viewer's to replay."""
        query = sa.select(tasks.c.task_id, tasks.c.domain).where(
            tasks.c.task_id.in_(task_ids[:MAX_ROWS]), tasks.c.status == "dead_lettered"
        )
        if tenant is not None:
            query = query.where(tasks.c.tenant_id == tenant)

        def fn(conn: Connection) -> dict[str, str]:
            return {r.task_id: r.domain for r in conn.execute(query)}

        return await self.store._aread(fn)

    async def known(self, task_ids: list[str]) -> set[str]:
        """Which of these ids have a task row (every tenant's: for global operators only)."""
        ids = [t for t in task_ids if t]
        if not ids:
            return set()

        def fn(conn: Connection) -> set[str]:
            return {r[0] for r in conn.execute(sa.select(tasks.c.task_id).where(tasks.c.task_id.in_(ids)))}

        return await self.store._aread(fn)

    async def alerts_needing_attention(self, tenant: str | None, limit: int = 50) -> list[dict[str, Any]]:
        """Alerts that failed for good or wait parked in the broker for a delayed retry."""
        query = (
            sa.select(
                task_alerts.c.task_id,
                task_alerts.c.alert_key,
                task_alerts.c.type,
                task_alerts.c.severity,
                task_alerts.c.delivery,
                task_alerts.c.parked,
                task_alerts.c.attempts,
                task_alerts.c.last_error,
                task_alerts.c.updated_at,
                tasks.c.domain,
                tasks.c.tenant_id,
            )
            .join(tasks, tasks.c.task_id == task_alerts.c.task_id)
            .where(
                sa.or_(
                    task_alerts.c.delivery == "failed",
                    sa.and_(task_alerts.c.delivery == "pending", task_alerts.c.parked.is_(True)),
                )
            )
            .order_by(task_alerts.c.updated_at.desc())
            .limit(limit)
        )
        if tenant is not None:
            query = query.where(tasks.c.tenant_id == tenant)

        def fn(conn: Connection) -> list[dict[str, Any]]:
            return [dict(r._mapping) for r in conn.execute(query)]

        return await self.store._aread(fn)

    async def task(self, task_id: str, tenant: str | None) -> dict[str, Any] | None:
        """The task's view with its alert rows and its stored request payload (unmasked: the page
        masks it), or None when unknown or another tenant's."""
        view = await self.store.aget_task_view(task_id, tenant_id=tenant)
        if view is not None:

            def fn(conn: Connection) -> tuple[list[dict[str, Any]], Any]:
                alerts = [
                    dict(r._mapping)
                    for r in conn.execute(
                        sa.select(task_alerts)
                        .where(task_alerts.c.task_id == task_id)
                        .order_by(task_alerts.c.created_at, task_alerts.c.alert_key)
                    )
                ]
                payload = conn.execute(sa.select(tasks.c.payload).where(tasks.c.task_id == task_id)).scalar()
                return alerts, payload

            view["alert_rows"], view["payload"] = await self.store._aread(fn)
        return view

    async def reopen_alert(self, task_id: str, alert_key: str) -> dict[str, Any] | None:
        """A failed alert back to `pending` (an operator asked for one more delivery); returns the
        row, or None if the alert is delivered or unknown."""

        def op(conn: Connection) -> dict[str, Any] | None:
            conn.execute(
                sa.update(task_alerts)
                .where(
                    task_alerts.c.task_id == task_id,
                    task_alerts.c.alert_key == alert_key,
                    task_alerts.c.delivery == "failed",
                )
                .values(delivery="pending", parked=True, updated_at=now())
            )
            row = conn.execute(
                sa.select(task_alerts).where(
                    task_alerts.c.task_id == task_id, task_alerts.c.alert_key == alert_key
                )
            ).first()
            if row is None or row.delivery != "pending":
                return None
            return dict(row._mapping)

        return await self.store._awrite(op)
