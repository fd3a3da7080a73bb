"""A publish confirmed after its timeout, then retried with the same Idempotency-Key: one task,
one analysis, one alert (docs/api-contract.md).

The broker is reached through a loopback TCP proxy that holds back what the API sends: the
publish gets no confirm, the API answers 503, and only then does the message reach the queue.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from api.main import create_app
from tests.conftest import make_settings
from tests.support.amqp import count, purge_all
from tests.support.fake_nestjs import FakeNestJS
from tests.support.servers import ServerThread
from tests.support.tcp_proxy import HoldingProxy
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SECRET = "segredo-de-teste-com-32-bytes-ou-mais!!"
CHEST_PAIN = {
    "paciente_id": "550e8400-e29b-41d4-a716-446655440077",
    "queixa": "Estou com dor no peito forte desde cedo",
}


def test_retry_after_a_late_confirm_reuses_the_task_and_alerts_once(
    tmp_path: Path, broker_url: str, vhost_prefix: str
) -> None:
    broker = urlsplit(broker_url)
    direct = make_settings(tmp_path, rabbitmq_url=broker_url, vhost_prefix=vhost_prefix)
    purge_all(direct)
    with HoldingProxy(broker.hostname or "127.0.0.1", broker.port or 5672) as proxy:
        settings = make_settings(
            tmp_path,
            rabbitmq_url=f"amqp://guest:guest@127.0.0.1:{proxy.port}/",
            vhost_prefix=vhost_prefix,
            publish_timeout_s=1.0,
        )
        key = {"Idempotency-Key": "pedido-77"}
        with (
            ServerThread(create_app(settings)) as server,
            httpx.Client(
                base_url=server.url, headers={"Authorization": "Bearer chave-a"}, timeout=30
            ) as client,
        ):
            proxy.hold()
            first = client.post("/api/clinico/consulta/", json=CHEST_PAIN, headers=key)
            assert first.status_code == 503, first.text
            assert "Retry-After" in first.headers
            proxy.release()
            # The first publish reaches the queue after its 503.
            wait_until(lambda: count(direct, "clinico", "eventos") == 1, timeout=15, message="late publish")

            answers: list[httpx.Response] = []

            def retried() -> bool:
                answers.append(client.post("/api/clinico/consulta/", json=CHEST_PAIN, headers=key))
                return answers[-1].status_code != 503

            wait_until(retried, timeout=20, interval=0.3, message="the retry to be accepted")
            retry = answers[-1]
            assert retry.status_code == 202, retry.text
            task_id = retry.json()["task_id"]
            # Two messages in the queue now; the worker below shows they are copies of one task.
            wait_until(lambda: count(direct, "clinico", "eventos") == 2, timeout=10)
            again = client.post("/api/clinico/consulta/", json=CHEST_PAIN, headers=key)
            assert again.status_code == 200
            assert again.json()["task_id"] == task_id

    with FakeNestJS(jwt_secret=SECRET) as nestjs:
        log = tmp_path / "worker.log"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "RABBITMQ_URL": broker_url,
            "VHOST_PREFIX": vhost_prefix,
            "DATABASE_URL": direct.database_url,
            "BACKEND_URL": nestjs.url,
            "BACKEND_JWT_SECRET": SECRET,
            "LOG_FORMAT": "json",
        }
        worker = subprocess.Popen(
            [sys.executable, "-m", "workers", "--vhost", "fluxo_clinico", "--concurrency", "2"],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        try:
            with (
                ServerThread(create_app(direct)) as server,
                httpx.Client(
                    base_url=server.url, headers={"Authorization": "Bearer chave-a"}, timeout=30
                ) as client,
            ):

                def finished() -> dict | None:
                    view = client.get(f"/api/clinico/status/{task_id}").json()
                    return view if view["status"] == "completed" else None

                view = wait_until(finished, timeout=60, message="the task to complete")
                wait_until(
                    lambda: "duplicate_delivery_skipped" in log.read_text(),
                    timeout=30,
                    message="the second copy to be skipped",
                )
                assert count(direct, "clinico", "eventos") == 0
                assert len(view["alerts"]) == 1
                # Stored completed in the batch's transaction, the alert is posted right after
                # (docs/workers.md): it reads pending for a moment, then delivered.
                wait_until(
                    lambda: (
                        client.get(f"/api/clinico/status/{task_id}").json()["alerts"][0]["delivery"]
                        == "delivered"
                    ),
                    timeout=30,
                    message="the alert to be delivered",
                )
                assert nestjs.created_count == 1
                # One analysis: the task is among the completed tasks of exactly one batch.
                events = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
                completed = [e for e in events if task_id in e.get("task_ids", ())]
                assert [e["event"] for e in completed] == ["tasks_completed"]
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(60)
