"""Messages published straight into `eventos` cannot borrow a tenant (docs/security.md).

The attacks of issue 17, against the real API, broker and `python -m workers`: a producer reuses
tenant A's finished task id while claiming tenant B, invents a task for `tenant-evil`, or forges a
replay generation. Each is dead-lettered as `untrusted_tenant` (or ignored), A's task is
unchanged and the backend receives no alert; an onboarded producer still gets its own tenant's
tasks processed."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pika
import pytest

from shared import provision, topology
from shared.config import Settings, vhost_url
from shared.messages import Envelope
from tests.integration.conftest import running_stack
from tests.support.amqp import take_all
from tests.support.fake_nestjs import FakeNestJS
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]

SECRET = "segredo-de-teste-com-32-bytes-ou-mais!!"
CRITICA = "estou com dor no peito muito forte e falta de ar"


@pytest.fixture(scope="module")
def producer(vhost_prefix: str) -> Iterator[tuple[str, str]]:
    """A producer onboarded for hospital_a: its own broker user, the API's permissions."""
    name, password = f"{vhost_prefix}hl7a", secrets.token_urlsafe(12)
    admin = provision.CtlAdmin()
    admin.put_user(name, password, [])
    admin.set_permissions(
        topology.vhost_for("clinico", vhost_prefix), name, provision.ROLE_PERMISSIONS["api"]
    )
    yield name, password
    admin.delete_user(name)


@dataclass
class Stack:
    client: httpx.Client
    nestjs: FakeNestJS
    settings: Settings
    workers_log: Path


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, broker_url: str, vhost_prefix: str, producer: tuple[str, str]
) -> Iterator[Stack]:
    nestjs = FakeNestJS(jwt_secret=SECRET).start()
    try:
        tmp = tmp_path_factory.mktemp("forged")
        with running_stack(
            tmp,
            broker_url,
            vhost_prefix,
            vhosts=("fluxo_clinico",),
            BACKEND_URL=nestjs.url,
            BACKEND_JWT_SECRET=SECRET,
            API_KEYS="chave-a=hospital_a,chave-b=hospital_b",
            BROKER_PRODUCERS=f"{producer[0]}=hospital_a",
        ) as (client, settings):
            yield Stack(client, nestjs, settings, tmp / "workers.log")
    finally:
        nestjs.stop()


def _publish_as(
    settings: Settings,
    user: tuple[str, str] | None,
    body: dict[str, Any],
    headers: dict[str, Any] | None = None,
) -> None:
    url = settings.rabbitmq_urls[0]
    if user is not None:
        host = url.split("@", 1)[1]
        url = f"amqp://{user[0]}:{user[1]}@{host}"
    vhost = topology.vhost_for("clinico", settings.vhost_prefix)
    conn = pika.BlockingConnection(pika.URLParameters(vhost_url(url, vhost)))
    try:
        ch = conn.channel()
        ch.confirm_delivery()
        ch.basic_publish(
            topology.EVENTS_EXCHANGE,
            topology.EVENTS_ROUTING_KEY,
            json.dumps(body).encode(),
            pika.BasicProperties(
                delivery_mode=2,
                content_type="application/json",
                message_id=body["task_id"],
                type="clinico.consulta",
                headers=headers or {},
                user_id=user[0] if user is not None else None,
            ),
            mandatory=True,
        )
    finally:
        conn.close()


def _envelope(task_id: str, tenant: str, queixa: str = CRITICA) -> dict[str, Any]:
    env = Envelope(
        domain="clinico",
        task_type="consulta",
        tenant_id=tenant,
        payload={"paciente_id": str(uuid.uuid4()), "queixa": queixa},
    )
    return {**json.loads(env.to_json_bytes()), "task_id": task_id}


def _dead_letters(settings: Settings, n: int) -> list[tuple[Any, bytes]]:
    found: list[tuple[Any, bytes]] = []

    def arrived() -> bool:
        found.extend(take_all(settings, "clinico", topology.DLQ_QUEUE))
        return len(found) >= n

    wait_until(arrived, timeout=30, message=f"{n} dead-lettered message(s)")
    return found


def _finished_task_of_a(client: httpx.Client) -> dict[str, Any]:
    accepted = client.post(
        "/api/clinico/consulta/", json={"paciente_id": str(uuid.uuid4()), "queixa": "tosse leve"}
    )
    assert accepted.status_code == 202
    url = accepted.json()["status_url"]
    return wait_until(
        lambda: (s := client.get(url).json())["status"] == "completed" and s, timeout=30, message="A's task"
    )


def test_a_forged_message_reusing_tenant_as_task_for_tenant_b_is_dead_lettered(
    stack: Stack, producer: tuple[str, str]
) -> None:
    client, nestjs, settings = stack.client, stack.nestjs, stack.settings
    before = _finished_task_of_a(client)
    sent = len(nestjs.requests)

    _publish_as(settings, producer, _envelope(before["task_id"], "hospital_b"))

    [(props, _body)] = _dead_letters(settings, 1)
    assert props.headers[topology.H_DEAD_LETTER_REASON] == "untrusted_tenant"
    after = client.get(f"/api/clinico/status/{before['task_id']}").json()
    assert after == before, "A's task is untouched"
    assert len(nestjs.requests) == sent, "no alert reached the backend"


def test_a_message_for_a_task_never_issued_claiming_an_unverified_tenant_is_dead_lettered(
    stack: Stack, producer: tuple[str, str]
) -> None:
    client, nestjs, settings = stack.client, stack.nestjs, stack.settings
    sent = len(nestjs.requests)
    invented, unsigned = str(uuid.uuid4()), str(uuid.uuid4())

    _publish_as(settings, producer, _envelope(invented, "tenant-evil"))  # a producer of hospital_a
    _publish_as(settings, None, _envelope(unsigned, "tenant-evil"), {"x-verified-broker-user": "guest"})

    reasons = {p.headers[topology.H_DEAD_LETTER_REASON] for p, _ in _dead_letters(settings, 2)}
    assert reasons == {"untrusted_tenant"}
    assert len(nestjs.requests) == sent and not any(
        r.headers.get("x-tenant-id") == "tenant-evil" for r in nestjs.requests
    )
    for task_id in (invented, unsigned):
        assert client.get(f"/api/clinico/status/{task_id}").status_code == 404


def test_an_onboarded_producer_gets_its_own_tenants_tasks_processed(
    stack: Stack, producer: tuple[str, str]
) -> None:
    client, nestjs, settings = stack.client, stack.nestjs, stack.settings
    task_id = str(uuid.uuid4())

    _publish_as(settings, producer, _envelope(task_id, "hospital_a"))

    status = wait_until(
        lambda: (
            (s := client.get(f"/api/clinico/status/{task_id}").json())["status"] == "completed"
            and s["alerts"]
            and s["alerts"][0]["delivery"] == "delivered"
            and s
        ),
        timeout=30,
        message="the producer's task completed with its alert delivered",
    )
    assert status["result"]["severidade"] == "CRITICAL"
    assert any(r.headers.get("x-tenant-id") == "hospital_a" for r in nestjs.requests)


def test_a_forged_replay_generation_does_not_run_a_finished_task_again(
    stack: Stack,
) -> None:
    client, nestjs, settings = stack.client, stack.nestjs, stack.settings
    before = _finished_task_of_a(client)
    sent = len(nestjs.requests)

    # As the gateway itself (guest here), with the right tenant: only the generation is forged.
    _publish_as(
        settings,
        None,
        _envelope(before["task_id"], "hospital_a"),
        {topology.H_REPLAY_GENERATION: 7},
    )

    log = stack.workers_log
    wait_until(
        lambda: any(
            '"duplicate_delivery_skipped"' in line and before["task_id"] in line
            for line in log.read_text().splitlines()
        ),
        timeout=30,
        message="the forged replay skipped as a duplicate",
    )
    after = client.get(f"/api/clinico/status/{before['task_id']}").json()
    assert after["result"] == before["result"] and after["status"] == "completed"
    assert len(nestjs.requests) == sent
