"""POST /api/v1/agent/message end to end: API → RabbitMQ (direct reply-to) → worker → NestJS.

A slow worker, no worker, an API restart: each test starts its own worker.
Each module has its own worker on fluxo_clinico: a module-scoped worker of another module would
answer this module's requests.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.store import Store
from tests.integration.agent_stack import (
    AUTH,
    SECRET,
    agent_settings,
    api,
    clinico_worker,
    message,
    worker_env,
)
from tests.support.amqp import purge_all
from tests.support.fake_nestjs import FakeNestJS
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]


@pytest.fixture(scope="module")
def nestjs() -> Iterator[FakeNestJS]:
    with FakeNestJS(jwt_secret=SECRET) as server:
        yield server


def delivered(status: dict[str, Any]) -> bool:
    """The task's alerts are delivered: `completed` is stored before the alert's POST."""
    return bool(status["alerts"]) and all(a["delivery"] == "delivered" for a in status["alerts"])


def test_a_worker_stuck_in_a_slow_handler_gets_a_202_in_time_and_the_task_completes_later(
    tmp_path: Path, broker_url: str, vhost_prefix: str, nestjs: FakeNestJS
) -> None:
    settings = agent_settings(tmp_path, broker_url, vhost_prefix, nestjs, agent_reply_timeout_s=1.0)
    purge_all(settings)
    env = worker_env(nestjs, WORKER_EXTRA_HANDLERS="tests.support.slow_mensagem", SLOW_MENSAGEM_S="10")
    with clinico_worker(settings, tmp_path / "worker.log", **env), api(settings) as (_, client):
        started = time.monotonic()
        answer = client.post("/api/v1/agent/message", json=message("to com muita falta de ar"))
        elapsed = time.monotonic() - started

        assert answer.status_code == 202, (answer.json(), elapsed)
        # Well before the 10 s handler ends, with room for a loaded 2-core box.
        assert elapsed < settings.agent_reply_timeout_s + 5
        url = answer.headers["Location"]
        assert answer.json()["status_url"] == url
        done = wait_until(
            lambda: (s := client.get(url).json())["status"] == "completed" and delivered(s) and s,
            timeout=30,
            message="done",
        )
        assert done["result"]["resposta"]["severity"] == "CRITICAL"
        assert done["alerts"][0]["delivery"] == "delivered"


def test_with_no_worker_running_the_request_gets_202_and_the_task_completes_when_a_worker_starts(
    tmp_path: Path, broker_url: str, vhost_prefix: str, nestjs: FakeNestJS
) -> None:
    settings = agent_settings(tmp_path, broker_url, vhost_prefix, nestjs, agent_reply_timeout_s=0.5)
    purge_all(settings)
    with api(settings) as (_, client):
        answer = client.post("/api/v1/agent/message", json=message("desmaiei agora há pouco"))
        assert answer.status_code == 202
        url = answer.headers["Location"]
        assert client.get(url).json()["status"] == "queued"

        with clinico_worker(settings, tmp_path / "worker.log", **worker_env(nestjs)):
            done = wait_until(
                lambda: (s := client.get(url).json())["status"] == "completed" and delivered(s) and s,
                timeout=30,
                message="done",
            )
    assert done["result"]["resposta"]["shouldAlert"] is True
    assert done["alerts"][0]["delivery"] == "delivered"


def test_nothing_is_lost_when_the_api_restarts_while_requests_wait(
    tmp_path: Path, broker_url: str, vhost_prefix: str, nestjs: FakeNestJS
) -> None:
    settings = agent_settings(tmp_path, broker_url, vhost_prefix, nestjs, agent_reply_timeout_s=5.0)
    purge_all(settings)
    bodies = [message(f"to com falta de ar, mensagem {i}") for i in range(6)]
    keys = [str(uuid.uuid4()) for _ in bodies]

    def send(url: str, body: dict[str, Any], key: str) -> int | str:
        try:
            with httpx.Client(base_url=url, headers=AUTH, timeout=30) as c:
                return c.post(
                    "/api/v1/agent/message", json=body, headers={"Idempotency-Key": key}
                ).status_code
        except httpx.HTTPError as exc:
            return type(exc).__name__

    store = Store(settings.database_url)
    try:
        with ThreadPoolExecutor(len(bodies)) as pool:
            with api(settings) as (server, _):
                waiting = [pool.submit(send, server.url, b, k) for b, k in zip(bodies, keys, strict=True)]
                wait_until(
                    lambda: server.config.app.state.replies.waiting == len(bodies),
                    timeout=15,
                    message="every request waiting for its reply",
                )
            # The API is gone; the requests ended one way or another (202 or a cut connection).
            outcomes = [f.result(timeout=30) for f in waiting]
        assert all(o in (202, "RemoteProtocolError", "ReadError", "ConnectError") for o in outcomes), outcomes

        with (
            clinico_worker(settings, tmp_path / "worker.log", **worker_env(nestjs)),
            api(settings) as (_, client),
        ):
            # The backend retries with the same Idempotency-Key: each gets its original task's reply.
            def retried() -> list[dict[str, Any]] | None:
                answers = [
                    client.post("/api/v1/agent/message", json=b, headers={"Idempotency-Key": k})
                    for b, k in zip(bodies, keys, strict=True)
                ]
                # A replay of a task not answered yet gets its state (200 too): wait for every reply.
                bodies_now = [a.json() for a in answers]
                return bodies_now if all("shouldAlert" in b for b in bodies_now) else None

            replies = wait_until(retried, timeout=60, message="every task completed")
        assert all(
            r["shouldAlert"] and r["alerts"][0]["delivery"] in ("pending", "delivered") for r in replies
        )
        assert len({r["taskId"] for r in replies}) == len(bodies)
    finally:
        store.close()
