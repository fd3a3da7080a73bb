"""The NestJS backend goes away: alerts are parked in RabbitMQ, survive restarts, arrive once."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from tests.integration.conftest import running_stack
from tests.support.fake_nestjs import FakeNestJS
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]

SECRET = "segredo-de-teste-com-32-bytes-ou-mais!!"
FAST_ALERTS = {
    "ALERT_MAX_ATTEMPTS": "2",
    "ALERT_INLINE_BUDGET_S": "1",
    "ALERT_TIMEOUT_S": "1",
    "ALERT_BACKOFF_BASE_S": "0.05",
    "ALERT_RETRY_DELAYS_S": "1,2,4",
}


def _post_critical(client, n: int) -> list[str]:
    urls = []
    for i in range(n):
        resp = client.post(
            "/api/clinico/consulta/",
            json={"paciente_id": str(uuid.uuid4()), "queixa": f"Vomitei sangue hoje ({i})"},
        )
        assert resp.status_code == 202
        urls.append(httpx.URL(resp.json()["status_url"]).path)  # the API's port changes on restart
    return urls


def _alerts(client, urls: list[str]) -> list[dict]:
    return [a for url in urls for a in client.get(url).json()["alerts"]]


def test_backend_down_30s_then_up_every_alert_delivered_exactly_once(
    tmp_path, broker_url, vhost_prefix
) -> None:
    nestjs = FakeNestJS(jwt_secret=SECRET).start()
    try:
        with running_stack(
            tmp_path,
            broker_url,
            vhost_prefix,
            BACKEND_URL=nestjs.url,
            BACKEND_JWT_SECRET=SECRET,
            **FAST_ALERTS,
        ) as (client, _):
            nestjs.mode = "down"
            down_at = time.monotonic()
            urls = _post_critical(client, 6)
            # The tasks complete while the backend is down: their alerts are parked, not lost.
            wait_until(lambda: all(client.get(u).json()["status"] == "completed" for u in urls), timeout=30)
            assert all(a["delivery"] == "pending" for a in _alerts(client, urls))
            wait_until(lambda: time.monotonic() - down_at >= 30, timeout=40, interval=0.5)
            nestjs.mode = "ok"

            wait_until(
                lambda: all(a["delivery"] == "delivered" for a in _alerts(client, urls)),
                timeout=60,
                interval=0.5,
                message="every parked alert delivered",
            )
            alerts = _alerts(client, urls)
            assert len(alerts) == 6
            assert all(a["attempts"] >= 3 for a in alerts), "tried inline, then from the parking queue"
            assert nestjs.created_count == 6, "exactly one alert per finding at the backend"
            assert len(nestjs.alerts) == 6
    finally:
        nestjs.stop()


def test_a_parked_alert_survives_a_worker_restart(tmp_path, broker_url, vhost_prefix) -> None:
    nestjs = FakeNestJS(jwt_secret=SECRET).start()
    env = {
        "BACKEND_URL": nestjs.url,
        "BACKEND_JWT_SECRET": SECRET,
        **FAST_ALERTS,
        "ALERT_RETRY_DELAYS_S": "3",
    }
    try:
        nestjs.mode = "down"
        with running_stack(tmp_path, broker_url, vhost_prefix, **env) as (client, _):
            urls = _post_critical(client, 2)
            wait_until(lambda: all(client.get(u).json()["status"] == "completed" for u in urls), timeout=30)
        # Workers stopped (SIGTERM, exit 0) with the alerts still parked in RabbitMQ.
        nestjs.mode = "ok"
        with running_stack(tmp_path, broker_url, vhost_prefix, purge=False, **env) as (client, _):
            wait_until(
                lambda: all(a["delivery"] == "delivered" for a in _alerts(client, urls)),
                timeout=60,
                interval=0.5,
                message="parked alerts delivered after the restart",
            )
        assert nestjs.created_count == 2
    finally:
        nestjs.stop()
