"""The store's side of the console home page: per domain what is waiting, what went through in
the last hour and how fast, and the alerts that wait or failed. Read queries only, each bounded
by an index (docs/operations.md, "Home page"), scoped to the viewer's tenant when it has one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from shared import topology
from shared.store import Store
from shared.store.schema import task_alerts, tasks

WINDOW_MIN = 60
# p95 of 202 → completed over the last 15 minutes, from at most this many tasks per page view.
LATENCY_WINDOW = timedelta(minutes=15)
LATENCY_SAMPLE = 2000
ALERT_LATENCY_SAMPLE = 5000
WAITING = ("queued", "processing", "retrying", "dead_lettered")
FINISHED = ("completed", "failed", "dead_lettered")


@dataclass
class DomainFigures:
    counts: dict[str, int] = field(default_factory=dict)
    oldest_queued: datetime | None = None
    accepted: list[int] = field(default_factory=lambda: [0] * WINDOW_MIN)
    completed: list[int] = field(default_factory=lambda: [0] * WINDOW_MIN)
    failed: list[int] = field(default_factory=lambda: [0] * WINDOW_MIN)
    p95_s: float | None = None
    p95_sample: int = 0
    last_completed: datetime | None = None
    parked_alerts: int = 0
    failed_alerts_last_hour: int = 0

    def per_second(self, series: list[int], minutes: int = 5) -> float:
        """The rate over the last `minutes` whole minutes plus the current one."""
        return sum(series[-minutes:]) / (60.0 * minutes)


@dataclass
class AlertFigures:
    parked: int = 0
    oldest_parked: datetime | None = None
    failed: int = 0
    failed_last_hour: int = 0
    delivered_last_hour: int = 0
    p95_s: float | None = None
    p95_by_minute: list[float | None] = field(default_factory=lambda: [None] * WINDOW_MIN)


@dataclass
class Snapshot:
    at: datetime
    domains: dict[str, DomainFigures]
    alerts: AlertFigures

    @property
    def minutes(self) -> list[datetime]:
        """The start of each chart bucket, oldest first."""
        last = self.at.replace(second=0, microsecond=0)
        return [last - timedelta(minutes=WINDOW_MIN - 1 - i) for i in range(WINDOW_MIN)]


def p95(values: list[float]) -> float | None:
    """Nearest-rank 95th percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite aggregates (min, max) come back as text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _minute(col: Any, dialect: str) -> Any:
    """'YYYY-MM-DD HH:MM' in UTC: the chart bucket of a timestamp, computed by the database."""
    if dialect == "postgresql":
        return sa.func.to_char(sa.func.timezone("UTC", col), "YYYY-MM-DD HH24:MI")
    return sa.func.substr(col, 1, 16)  # SQLite keeps UTC timestamps as ISO text


class HealthQueries:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def snapshot(self, tenant: str | None, at: datetime | None = None) -> Snapshot:
        at = at or datetime.now(UTC)
        return await self.store._aread(lambda conn: self._snapshot(conn, tenant, at))

    def _snapshot(self, conn: Connection, tenant: str | None, at: datetime) -> Snapshot:
        dialect = conn.dialect.name
        since = at.replace(second=0, microsecond=0) - timedelta(minutes=WINDOW_MIN - 1)
        buckets = {(since + timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M"): i for i in range(WINDOW_MIN)}
        domains = {d: DomainFigures() for d in topology.all_domains()}

        def scoped(query: Any) -> Any:
            return query.where(tasks.c.tenant_id == tenant) if tenant is not None else query

        # A global operator reads dead letters from the broker (eventos.dlq); counting a few
        # thousand dead_lettered rows per view would be the costliest query of the page.
        waiting = WAITING if tenant is not None else tuple(s for s in WAITING if s != "dead_lettered")
        for domain, status, n in conn.execute(
            scoped(
                sa.select(tasks.c.domain, tasks.c.status, sa.func.count())
                .where(tasks.c.status.in_(waiting))
                .group_by(tasks.c.domain, tasks.c.status)
            )
        ):
            if domain in domains:
                domains[domain].counts[status] = n
        for domain, oldest in conn.execute(
            scoped(
                sa.select(tasks.c.domain, sa.func.min(tasks.c.created_at))
                .where(tasks.c.status == "queued")
                .group_by(tasks.c.domain)
            )
        ):
            if domain in domains:
                domains[domain].oldest_queued = _aware(oldest)

        minute = _minute(tasks.c.created_at, dialect)
        for domain, bucket, n in conn.execute(
            scoped(
                sa.select(tasks.c.domain, minute, sa.func.count())
                .where(tasks.c.created_at >= since)
                .group_by(tasks.c.domain, minute)
            )
        ):
            if domain in domains and bucket in buckets:
                domains[domain].accepted[buckets[bucket]] += n
        minute = _minute(tasks.c.updated_at, dialect)
        for domain, status, bucket, n in conn.execute(
            scoped(
                sa.select(tasks.c.domain, tasks.c.status, minute, sa.func.count())
                .where(tasks.c.status.in_(FINISHED), tasks.c.updated_at >= since)
                .group_by(tasks.c.domain, tasks.c.status, minute)
            )
        ):
            if domain in domains and bucket in buckets:
                series = domains[domain].completed if status == "completed" else domains[domain].failed
                series[buckets[bucket]] += n

        durations: dict[str, list[float]] = {d: [] for d in domains}
        for domain, created, updated in conn.execute(
            scoped(
                sa.select(tasks.c.domain, tasks.c.created_at, tasks.c.updated_at)
                .where(tasks.c.status == "completed", tasks.c.updated_at >= at - LATENCY_WINDOW)
                .order_by(tasks.c.updated_at.desc())
                .limit(LATENCY_SAMPLE)
            )
        ):
            if domain in durations:
                durations[domain].append((_aware(updated) - _aware(created)).total_seconds())  # type: ignore[operator]
        for domain, figures in domains.items():
            figures.p95_s, figures.p95_sample = p95(durations[domain]), len(durations[domain])
            # Newest first along (status, updated_at): stops at the domain's latest completion.
            figures.last_completed = _aware(
                conn.execute(
                    scoped(
                        sa.select(tasks.c.updated_at)
                        .where(tasks.c.status == "completed", tasks.c.domain == domain)
                        .order_by(tasks.c.updated_at.desc())
                        .limit(1)
                    )
                ).scalar()
            )
        return Snapshot(at, domains, self._alerts(conn, tenant, at, since, domains, buckets))

    def _alerts(
        self,
        conn: Connection,
        tenant: str | None,
        at: datetime,
        since: datetime,
        domains: dict[str, DomainFigures],
        buckets: dict[str, int],
    ) -> AlertFigures:
        figures = AlertFigures()
        joined = task_alerts.join(tasks, tasks.c.task_id == task_alerts.c.task_id)

        def scoped(query: Any) -> Any:
            return query.where(tasks.c.tenant_id == tenant) if tenant is not None else query

        hour_ago = at - timedelta(hours=1)
        for domain, delivery, n, oldest, recent in conn.execute(
            scoped(
                sa.select(
                    tasks.c.domain,
                    task_alerts.c.delivery,
                    sa.func.count(),
                    sa.func.min(task_alerts.c.updated_at),
                    sa.func.sum(sa.case((task_alerts.c.updated_at >= hour_ago, 1), else_=0)),
                )
                .select_from(joined)
                .where(
                    sa.or_(
                        task_alerts.c.delivery == "failed",
                        sa.and_(task_alerts.c.delivery == "pending", task_alerts.c.parked.is_(True)),
                    )
                )
                .group_by(tasks.c.domain, task_alerts.c.delivery)
            )
        ):
            if delivery == "failed":
                figures.failed += n
                figures.failed_last_hour += int(recent or 0)
                if domain in domains:
                    domains[domain].failed_alerts_last_hour += int(recent or 0)
            else:
                figures.parked += n
                oldest = _aware(oldest)
                if oldest is not None and (figures.oldest_parked is None or oldest < figures.oldest_parked):
                    figures.oldest_parked = oldest
                if domain in domains:
                    domains[domain].parked_alerts += n

        by_minute: list[list[float]] = [[] for _ in range(WINDOW_MIN)]
        latencies: list[float] = []
        minute = _minute(task_alerts.c.updated_at, conn.dialect.name)
        for created, updated, bucket in conn.execute(
            scoped(
                sa.select(task_alerts.c.created_at, task_alerts.c.updated_at, minute)
                .select_from(joined)
                .where(task_alerts.c.delivery == "delivered", task_alerts.c.updated_at >= since)
                .order_by(task_alerts.c.updated_at.desc())
                .limit(ALERT_LATENCY_SAMPLE)
            )
        ):
            seconds = (_aware(updated) - _aware(created)).total_seconds()  # type: ignore[operator]
            latencies.append(seconds)
            if bucket in buckets:
                by_minute[buckets[bucket]].append(seconds)
        figures.delivered_last_hour = len(latencies)
        figures.p95_s = p95(latencies)
        figures.p95_by_minute = [p95(values) for values in by_minute]
        return figures
