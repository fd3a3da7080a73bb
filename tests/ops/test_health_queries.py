"""The home page's figures and states, from the store (SQLite and PostgreSQL), without a browser."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from api.ops.health import WINDOW_MIN, HealthQueries, Snapshot, p95
from api.ops.verdict import alert_verdict, vhost_verdict
from shared import topology
from shared.messages import Envelope
from shared.queue_depths import QueueStats
from shared.store import GEN, Store
from tests.workers.conftest import create_row

NOW = datetime.now(UTC).replace(second=30, microsecond=0)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    yield s
    s.close()


def _task(
    store: Store, tenant: str, status: str, created: datetime, seconds: float = 1.0, domain: str = "clinico"
) -> str:
    env = Envelope(domain=domain, task_type="consulta", tenant_id=tenant, payload={}, created_at=created)
    create_row(store, env)
    task_id = str(env.task_id)
    if status != "queued":
        progress = GEN - 1 if status in ("completed", "failed", "dead_lettered") else 2

        def op(conn):  # type: ignore[no-untyped-def]
            from shared.store.schema import tasks

            conn.execute(
                tasks.update()
                .where(tasks.c.task_id == task_id)
                .values(status=status, progress=progress, updated_at=created + timedelta(seconds=seconds))
            )

        store._write(op)
    return task_id


def _snapshot(store: Store, tenant: str | None) -> Snapshot:
    return asyncio.run(HealthQueries(store).snapshot(tenant, at=NOW))


def test_figures_count_per_minute_per_domain_and_only_the_viewers_tenant(store: Store) -> None:
    for minute_ago in (0, 1, 1, 59):
        _task(store, "a", "completed", NOW - timedelta(minutes=minute_ago), seconds=2.0)
    _task(store, "a", "dead_lettered", NOW - timedelta(minutes=3))
    _task(store, "a", "queued", NOW - timedelta(minutes=2))
    _task(store, "a", "completed", NOW - timedelta(hours=3))  # outside the hour
    for _ in range(5):
        _task(store, "b", "completed", NOW - timedelta(minutes=1), seconds=9.0)
        _task(store, "b", "dead_lettered", NOW - timedelta(minutes=1), domain="exames")

    mine = _snapshot(store, "a")
    clinico = mine.domains["clinico"]
    assert sum(clinico.accepted) == 6 and sum(clinico.completed) == 4 and sum(clinico.failed) == 1
    assert clinico.accepted[-1] == 1 and clinico.accepted[-2] == 2 and clinico.accepted[0] == 1
    assert clinico.counts == {"dead_lettered": 1, "queued": 1}
    assert clinico.p95_s == pytest.approx(2.0) and clinico.p95_sample == 3  # the last 15 minutes
    assert clinico.last_completed is not None and clinico.last_completed >= NOW - timedelta(seconds=1)
    assert clinico.oldest_queued == NOW - timedelta(minutes=2)
    assert sum(mine.domains["exames"].failed) == 0, "hospital b's dead letters are not a's"
    assert len(mine.minutes) == WINDOW_MIN

    everyone = _snapshot(store, None)
    assert sum(everyone.domains["exames"].failed) == 5
    assert everyone.domains["clinico"].p95_s == pytest.approx(9.0)


def test_parked_and_failed_alerts_are_counted_and_delivery_latency_measured(store: Store) -> None:
    task = _task(store, "a", "completed", NOW - timedelta(minutes=5))
    other = _task(store, "b", "completed", NOW - timedelta(minutes=5))
    for key, tid in (("k1", task), ("k2", task), ("k3", other)):
        store.register_alert(tid, key, type="CRITICAL_SYMPTOM", severity="CRITICAL", message="m", body={})
    store.update_alert(task, "k1", parked=True, attempts_delta=1)
    store.update_alert(task, "k2", delivery="delivered", attempts_delta=1)
    store.update_alert(other, "k3", delivery="failed", attempts_delta=1)

    mine = _snapshot(store, "a")
    assert mine.alerts.parked == 1 and mine.alerts.failed == 0 and mine.alerts.delivered_last_hour == 1
    assert mine.domains["clinico"].parked_alerts == 1
    assert alert_verdict(mine.alerts).state == "amber"
    everyone = _snapshot(store, None)
    assert everyone.alerts.failed_last_hour == 1
    assert alert_verdict(everyone.alerts).state == "red"


def test_a_vhost_without_a_consumer_is_red_and_a_quiet_one_green(store: Store) -> None:
    figures = _snapshot(store, None).domains["clinico"]
    alive = {topology.EVENTS_QUEUE: QueueStats(0, None, 1), topology.LLM_QUEUE: QueueStats(0, None, 0)}
    assert vhost_verdict(figures, alive, None, llm_enabled=False, now=NOW).state == "green"
    assert vhost_verdict(figures, alive, None, llm_enabled=True, now=NOW).state == "amber"
    stopped = {**alive, topology.EVENTS_QUEUE: QueueStats(3, None, 0)}
    verdict = vhost_verdict(figures, stopped, None, llm_enabled=False, now=NOW)
    assert verdict.state == "red" and verdict.words == "Failing"
    assert "no worker consumes eventos" in verdict.reasons
    assert vhost_verdict(figures, None, "ConnectionRefused", llm_enabled=False, now=NOW).state == "red"


def test_p95_is_the_nearest_rank() -> None:
    assert p95([]) is None
    assert p95([1.0]) == 1.0
    assert p95([float(i) for i in range(1, 101)]) == 95.0
