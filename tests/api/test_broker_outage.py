"""The broker stops, refuses or cannot route: 503 with Retry-After within 10 s, then recovery."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from api.main import create_app
from shared import provision
from shared.provision import HttpAdmin
from tests.conftest import throwaway_settings
from tests.support.amqp import channel, count, take_all
from tests.support.samples import ENDPOINTS
from tests.support.servers import ServerThread
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]

CONSULTA = ENDPOINTS[0]


def test_broker_down_gives_503_then_the_api_recovers_by_itself(throwaway_broker, tmp_path: Path) -> None:
    settings = throwaway_settings(throwaway_broker, tmp_path)
    provision.provision(settings)
    with (
        ServerThread(create_app(settings)) as server,
        httpx.Client(base_url=server.url, headers={"Authorization": "Bearer chave-a"}, timeout=30) as client,
    ):
        first = client.post(CONSULTA.path, json=CONSULTA.payload())
        assert first.status_code == 202
        assert client.get("/health/ready").status_code == 200

        throwaway_broker.stop()
        try:
            started = time.monotonic()
            resp = client.post(CONSULTA.path, json=CONSULTA.payload())
            elapsed = time.monotonic() - started
            assert resp.status_code == 503, resp.text
            assert int(resp.headers["Retry-After"]) > 0
            assert "broker unavailable" in resp.json()["detail"]
            assert elapsed < 10
            again = client.post(CONSULTA.path, json=CONSULTA.payload())
            assert again.status_code == 503
            ready = client.get("/health/ready")
            assert ready.status_code == 503
            assert ready.json()["checks"]["store"] == "ok"
        finally:
            throwaway_broker.start()

        # No restart of the API: the next requests reconnect on their own.
        accepted: list[str] = []
        uncertain = 0  # a 503 while the broker comes back may be a publish confirmed too late

        def accepted_again() -> bool:
            nonlocal uncertain
            resp = client.post(CONSULTA.path, json=CONSULTA.payload())
            if resp.status_code == 202:
                accepted.append(resp.json()["task_id"])
                return True
            uncertain += 1
            return False

        wait_until(accepted_again, timeout=30, interval=0.5, message="the API to accept tasks again")
        wait_until(lambda: client.get("/health/ready").status_code == 200, timeout=10)
        # The task accepted before the outage survived the restart (quorum queue, persistent);
        # the ones refused while the broker was down were never enqueued.
        queued = {props.message_id for props, _ in take_all(settings, "clinico")}
        assert {first.json()["task_id"], accepted[0]} <= queued
        assert len(queued) <= 2 + uncertain
        # A refused task was also forgotten by the store: its status is not pretending it exists.


def test_unroutable_message_is_503_and_leaves_no_task(throwaway_broker, tmp_path: Path) -> None:
    settings = throwaway_settings(throwaway_broker, tmp_path)
    provision.provision(settings)
    with channel(settings, "clinico") as ch:
        ch.queue_unbind("eventos", "eventos", routing_key="eventos")
    with (
        ServerThread(create_app(settings)) as server,
        httpx.Client(base_url=server.url, headers={"Authorization": "Bearer chave-a"}, timeout=30) as client,
    ):
        key = {"Idempotency-Key": "unroutable-1"}
        resp = client.post(CONSULTA.path, json=CONSULTA.payload(), headers=key)
        assert resp.status_code == 503
        assert "route" in resp.json()["detail"]
        with channel(settings, "clinico") as ch:
            ch.queue_bind("eventos", "eventos", routing_key="eventos")
        # The refused attempt did not burn the key: the retry is accepted as a new task.
        retry = client.post(CONSULTA.path, json=CONSULTA.payload(), headers=key)
        assert retry.status_code == 202
        assert count(settings, "clinico", "eventos") == 1


def test_full_queue_nack_is_503(throwaway_broker, tmp_path: Path) -> None:
    settings = throwaway_settings(throwaway_broker, tmp_path)
    provision.provision(settings)
    vhost = f"{settings.vhost_prefix}fluxo_clinico"
    # Above provisioning's own eventos policy (priority 1): one policy applies to a queue.
    HttpAdmin(settings.rabbitmq_management_url).set_policy(
        vhost, "tiny", "^eventos$", {"max-length": 1, "overflow": "reject-publish"}, priority=2
    )
    with (
        ServerThread(create_app(settings)) as server,
        httpx.Client(base_url=server.url, headers={"Authorization": "Bearer chave-a"}, timeout=30) as client,
    ):
        # Policies apply asynchronously; wait until the limit bites.
        wait_until(
            lambda: client.post(CONSULTA.path, json=CONSULTA.payload()).status_code == 503,
            timeout=15,
            interval=0.2,
            message="reject-publish to refuse a message",
        )
        queued = count(settings, "clinico", "eventos")
        resp = client.post(CONSULTA.path, json=CONSULTA.payload())
        assert resp.status_code == 503
        assert "refused" in resp.json()["detail"]
        assert "Retry-After" in resp.headers
        assert count(settings, "clinico", "eventos") == queued, "a refused task must not be enqueued"
