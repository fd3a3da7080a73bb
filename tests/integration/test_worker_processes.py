"""`python -m workers` as real processes: kill -9, restarts, SIGTERM with work in flight."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from shared.config import Settings
from shared.store import Store
from tests.support.amqp import count, purge_all
from tests.support.wait import wait_until
from tests.workers.conftest import envelope, publish

pytestmark = [pytest.mark.broker, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


class Supervisor:
    def __init__(self, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.proc = proc
        self.log = log

    def events(self, name: str) -> list[dict]:
        out = []
        for line in self.log.read_text(errors="replace").splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if item.get("event") == name:
                out.append(item)
        return out

    def child_pids(self) -> list[int]:
        return [e["pid"] for e in self.events("child_started")]


@pytest.fixture
def run_workers(settings: Settings, tmp_path: Path) -> Iterator[Callable[..., Supervisor]]:
    purge_all(settings)
    started: list[Supervisor] = []

    def run(*args: str, **env_extra: str) -> Supervisor:
        log = tmp_path / f"workers-{len(started)}.log"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "RABBITMQ_URL": settings.rabbitmq_url,
            "VHOST_PREFIX": settings.vhost_prefix,
            "DATABASE_URL": settings.database_url,
            "RETRY_DELAYS_S": "1,2",
            "ALERT_RETRY_DELAYS_S": "1,2",
            "LOG_FORMAT": "json",
            "WORKER_EXTRA_HANDLERS": "tests.support.scripted_handlers",
            "TEST_HANDLER_LOG": str(tmp_path / "runs.log"),
            **env_extra,
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "workers", *args],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        sup = Supervisor(proc, log)
        started.append(sup)
        wait_until(lambda: sup.events("consuming"), timeout=30, message="a worker consuming")
        return sup

    yield run
    for sup in started:
        if sup.proc.poll() is None:
            sup.proc.send_signal(signal.SIGTERM)
            try:
                sup.proc.wait(60)
            except subprocess.TimeoutExpired:
                sup.proc.kill()


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    s = Store(settings.database_url)
    yield s
    s.close()


def _status(store: Store, task_id: str) -> str | None:
    task = store.get_task(task_id)
    return task["status"] if task else None


def test_kill_9_mid_handler_redelivers_and_the_task_completes_once(
    settings: Settings, store: Store, run_workers, tmp_path: Path
) -> None:
    sup = run_workers("--vhost", "fluxo_clinico", "--concurrency", "2")
    marker = tmp_path / "handler-started"
    task_id = publish(settings, envelope(f"sleep-once:{marker}:60"), store=store)

    # The handler creates the file, then writes its pid: wait for the pid, not the file.
    victim = int(
        wait_until(
            lambda: marker.exists() and marker.read_text().strip(), timeout=15, message="the handler to start"
        )
    )
    assert victim in sup.child_pids()
    os.kill(victim, signal.SIGKILL)

    wait_until(lambda: _status(store, task_id) == "completed", timeout=40, interval=0.2)
    task = store.get_task(task_id)
    assert task["attempts"] == 2, "picked up twice: before the kill and after the redelivery"
    runs = (tmp_path / "runs.log").read_text().splitlines()
    assert sum(1 for r in runs if r.startswith(task_id) and r.endswith("done")) == 1
    assert len(sup.child_pids()) == 2, "the supervisor started a new child"
    assert sup.events("child_died")[0]["exitcode"] == -signal.SIGKILL
    assert count(settings, "clinico", "eventos") == 0


def test_supervisor_restarts_a_killed_child_and_keeps_the_others(
    settings: Settings, store: Store, run_workers
) -> None:
    sup = run_workers("--vhost", "clinico", "--vhost", "fluxo_exames")
    wait_until(lambda: len(sup.events("consuming")) == 2, timeout=30)
    first = sup.child_pids()
    os.kill(first[0], signal.SIGKILL)

    wait_until(lambda: len(sup.child_pids()) == 3, timeout=15, message="a replacement child")
    wait_until(lambda: len(sup.events("consuming")) == 3, timeout=30)
    os.kill(first[1], 0)  # the other child was left alone
    # The replacement does real work.
    task_id = publish(settings, envelope("ok"), store=store)
    wait_until(lambda: _status(store, task_id) == "completed", timeout=15)


def test_sigterm_with_work_in_flight_loses_nothing_and_exits_0(
    settings: Settings, store: Store, run_workers, tmp_path: Path
) -> None:
    sup = run_workers("--vhost", "fluxo_clinico", "--concurrency", "2")
    running = [publish(settings, envelope("sleep:3"), store=store) for _ in range(2)]
    waiting = [publish(settings, envelope("ok"), store=store) for _ in range(3)]
    runs = tmp_path / "runs.log"
    wait_until(lambda: runs.exists() and runs.read_text().count(" start") >= 2, timeout=15)

    sup.proc.send_signal(signal.SIGTERM)
    assert sup.proc.wait(60) == 0

    for task_id in running:
        assert _status(store, task_id) == "completed", "in-flight work finished before exit"
    for task_id in waiting:
        status = _status(store, task_id)
        assert status in ("queued", "completed"), status
    unfinished = [t for t in waiting if _status(store, t) != "completed"]
    # The rest is back in the queue (requeued by the stopping worker).
    wait_until(
        lambda: count(settings, "clinico", "eventos") == len(unfinished),
        timeout=10,
        message=f"{len(unfinished)} requeued messages",
    )

    # A new worker picks up exactly what was left; nothing was lost.
    run_workers("--vhost", "fluxo_clinico")
    for task_id in running + waiting:
        wait_until(lambda t=task_id: _status(store, t) == "completed", timeout=15)


def test_kill_9_halfway_through_a_drain_completes_every_task_and_duplicates_no_alert(
    settings: Settings, store_url: str, run_workers
) -> None:
    """On SQLite and PostgreSQL, with one store transaction per batch (docs/workers.md)."""
    import uuid

    import pika
    import sqlalchemy as sa

    from shared import topology
    from tests.support.amqp import channel
    from tests.support.fake_nestjs import FakeNestJS
    from tests.workers.conftest import envelope as make_envelope

    n = int(os.environ.get("KILL9_TASKS", "2000"))
    secret = "segredo-de-teste-com-32-bytes-ou-mais!!"
    alerting: set[str] = set()
    task_ids: list[str] = []
    with channel(settings, "exames") as ch:
        ch.confirm_delivery()
        for i in range(n):
            # Every 20th has critically low platelets: a rules alert to deliver.
            plaquetas = 8000 if i % 20 == 0 else 250000
            env = make_envelope(
                "",
                domain="exames",
                task_type="hemograma",
                payload={"paciente_id": str(uuid.uuid4()), "resultados": {"plaquetas_mm3": plaquetas}},
            )
            task_ids.append(str(env.task_id))
            if plaquetas == 8000:
                alerting.add(str(env.task_id))
            ch.basic_publish(
                topology.EVENTS_EXCHANGE,
                topology.EVENTS_ROUTING_KEY,
                env.to_json_bytes(),
                pika.BasicProperties(
                    delivery_mode=2, content_type="application/json", user_id=settings.broker_user
                ),
                mandatory=True,
            )

    def completed() -> int:
        with store.engine.connect() as c:
            return int(
                c.execute(sa.text("SELECT count(*) FROM tasks WHERE status = 'completed'")).scalar_one()
            )

    def undelivered() -> int:
        with store.engine.connect() as c:
            query = sa.text("SELECT count(*) FROM task_alerts WHERE delivery <> 'delivered'")
            return int(c.execute(query).scalar_one())

    with FakeNestJS(jwt_secret=secret) as nestjs, contextlib.closing(Store(store_url)) as store:
        sup = run_workers(
            "--vhost",
            "fluxo_exames",
            BACKEND_URL=nestjs.url,
            BACKEND_JWT_SECRET=secret,
            NO_PROXY="127.0.0.1",
            DATABASE_URL=store_url,
        )
        wait_until(lambda: completed() >= n // 2, timeout=120, interval=0.02, message="half of the drain")
        os.kill(sup.child_pids()[0], signal.SIGKILL)
        wait_until(lambda: len(sup.child_pids()) == 2, timeout=15, message="a replacement child")
        wait_until(lambda: completed() == n, timeout=180, interval=0.2, message="every task completed")
        wait_until(
            lambda: nestjs.created_count >= len(alerting), timeout=60, message="every alert at the backend"
        )
        wait_until(lambda: undelivered() == 0, timeout=30, message="every alert recorded as delivered")

        with store.engine.connect() as c:
            statuses = dict(c.execute(sa.text("SELECT status, count(*) FROM tasks GROUP BY status")).all())
            alert_rows = c.execute(sa.text("SELECT task_id, delivery FROM task_alerts")).all()
        assert statuses == {"completed": n}
        assert {r.task_id for r in alert_rows} == alerting and len(alert_rows) == len(alerting)
        assert nestjs.created_count == len(alerting), "no alert was created twice at the backend"
        assert len(nestjs.alerts) == len(alerting)
        assert {r.delivery for r in alert_rows} == {"delivered"}
    assert count(settings, "exames", "eventos") == 0
    assert count(settings, "exames", "eventos.dlq") == 0
