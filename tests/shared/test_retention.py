"""Retention (TASK_RETENTION_DAYS) on SQLite and PostgreSQL: finished tasks older than the limit go
with their alerts; recent ones, unfinished ones and those with an alert still to deliver stay."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from api.main import create_app
from shared import retention
from shared.config import Settings
from shared.store import Store, now, progress_for
from shared.store.schema import tasks
from tests.support.samples import BY_PATH
from tests.support.servers import ServerThread
from tests.support.wait import wait_until

ROOT = Path(__file__).resolve().parents[2]
DAYS = 30


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    yield s
    s.close()


def _task(store: Store, status: str, age_days: float, alerts: dict[str, str] | None = None) -> str:
    """A task in `status`, last updated `age_days` ago, with alerts {alert_key: delivery}."""
    task_id = str(uuid.uuid4())
    created = now() - timedelta(days=age_days + 1)
    store.create_task(
        Store.new_task_row(
            task_id=task_id, tenant_id="hospital_a", domain="clinico", task_type="consulta",
            created_at=created, correlation_id="c", idempotency_key=None, request_hash=None,
        )
    )  # fmt: skip
    if status != "queued":
        store.transition(task_id, status, progress_for(status), result={"ok": True})
    for key, delivery in (alerts or {}).items():
        store.register_alert(task_id, key, type="sinal_vital", severity="alta", message="m", body={})
        if delivery == "parked":
            store.update_alert(task_id, key, attempts_delta=5, parked=True, last_error="backend down")
        elif delivery != "pending":
            store.update_alert(task_id, key, delivery=delivery, attempts_delta=1)
    _age(store, task_id, age_days)
    return task_id


def _age(store: Store, task_id: str, age_days: float) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(tasks)
            .where(tasks.c.task_id == task_id)
            .values(updated_at=now() - timedelta(days=age_days))
        )


def _cutoff() -> datetime:
    return now() - timedelta(days=DAYS)


def test_old_finished_tasks_are_purged_with_their_alerts(store: Store) -> None:
    old = [
        _task(store, "completed", 45, {"a1": "delivered", "a2": "failed"}),
        _task(store, "failed", 31),
        _task(store, "dead_lettered", 400),
    ]
    report = retention.purge(store.engine, _cutoff())
    assert (report.tasks, report.alerts, report.kept_undelivered) == (3, 2, 0)
    for task_id in old:
        assert store.get_task_view(task_id) is None
        assert store.list_alerts(task_id) == []


def test_recent_and_unfinished_tasks_are_kept(store: Store) -> None:
    recent = _task(store, "completed", 29, {"a1": "delivered"})
    running = _task(store, "processing", 90)
    waiting = _task(store, "queued", 90)
    report = retention.purge(store.engine, _cutoff())
    assert report.tasks == 0
    assert store.get_task(recent)["status"] == "completed"
    assert len(store.list_alerts(recent)) == 1
    assert store.get_task(running)["status"] == "processing"
    assert store.get_task(waiting)["status"] == "queued"


def test_task_with_a_parked_alert_is_kept_until_the_alert_is_delivered(store: Store) -> None:
    parked = _task(store, "completed", 60, {"ok": "delivered", "stuck": "parked"})
    report = retention.purge(store.engine, _cutoff())
    assert (report.tasks, report.kept_undelivered) == (0, 1)
    assert {a["delivery"] for a in store.list_alerts(parked)} == {"delivered", "pending"}

    store.update_alert(parked, "stuck", delivery="delivered", parked=False)
    _age(store, parked, 60)
    report = retention.purge(store.engine, _cutoff())
    assert (report.tasks, report.alerts, report.kept_undelivered) == (1, 2, 0)
    assert store.get_task(parked) is None


def test_dry_run_counts_without_deleting(store: Store) -> None:
    doomed = [_task(store, "completed", 40, {"a": "delivered"}), _task(store, "failed", 50)]
    _task(store, "completed", 40, {"p": "pending"})
    _task(store, "completed", 1)

    dry = retention.purge(store.engine, _cutoff(), dry_run=True)

    assert (dry.dry_run, dry.tasks, dry.alerts, dry.kept_undelivered) == (True, 2, 1, 1)
    assert "would delete 2 finished task(s)" in dry.describe()
    assert all(store.get_task(t) is not None for t in doomed)
    assert len(store.list_alerts(doomed[0])) == 1


def test_purge_goes_in_batches_until_everything_old_is_gone(store: Store) -> None:
    ids = [_task(store, "completed", 35) for _ in range(7)]
    report = retention.purge(store.engine, _cutoff(), batch_size=3)
    assert report.tasks == 7
    assert all(store.get_task(t) is None for t in ids)


def test_purged_task_status_url_answers_404(settings: Settings, tmp_path: Path) -> None:
    endpoint = BY_PATH["/api/clinico/consulta/"]
    with (
        ServerThread(create_app(settings)) as api,
        httpx.Client(base_url=api.url, headers={"Authorization": "Bearer chave-a"}, timeout=15) as client,
    ):
        accepted = client.post(endpoint.path, json=endpoint.payload())
        assert accepted.status_code == 202
        task_id, status_url = accepted.json()["task_id"], accepted.json()["status_url"]
        store = Store(settings.database_url)
        try:
            store.transition(task_id, "completed", progress_for("completed"), result={"ok": True})
            _age(store, task_id, DAYS + 1)
        finally:
            store.close()
        assert client.get(status_url).status_code == 200

        dry = _retention_cli(settings, "--dry-run")
        assert "would delete 1 finished task(s)" in dry.stdout
        assert client.get(status_url).status_code == 200
        done = _retention_cli(settings)
        assert "deleted 1 finished task(s)" in done.stdout

        assert client.get(status_url).status_code == 404


def _retention_cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DATABASE_URL": settings.database_url}
    proc = subprocess.run(
        [sys.executable, "-m", "shared.retention", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def test_retention_zero_days_keeps_everything(store: Store, store_url: str) -> None:
    kept = _task(store, "completed", 3650)
    settings = Settings(_env_file=None, database_url=store_url, task_retention_days=0)  # type: ignore[call-arg]
    assert retention.run(settings) is None
    assert store.get_task(kept) is not None


@pytest.mark.slow
def test_worker_supervisor_purges_old_tasks_when_it_starts(settings: Settings, tmp_path: Path) -> None:
    store = Store(settings.database_url)
    try:
        old = _task(store, "completed", DAYS + 5, {"a": "delivered"})
        recent = _task(store, "completed", 2)
        log = tmp_path / "workers.log"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "RABBITMQ_URL": settings.rabbitmq_url,
            "VHOST_PREFIX": settings.vhost_prefix,
            "DATABASE_URL": settings.database_url,
            "TASK_RETENTION_DAYS": str(DAYS),
            "LOG_FORMAT": "json",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "workers", "--vhost", "fluxo_clinico"],
            cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_until(lambda: store.get_task(old) is None, timeout=60, message="the old task purged")
            wait_until(lambda: '"retention_purge"' in log.read_text(), timeout=10, message="a purge log line")
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(60) == 0
        assert store.get_task(recent) is not None
        assert store.list_alerts(old) == []
    finally:
        store.close()
