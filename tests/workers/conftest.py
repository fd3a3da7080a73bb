from __future__ import annotations

import importlib
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pika
import pytest

from shared import topology
from shared.config import Settings
from shared.messages import Envelope
from shared.store import Store
from tests.support.amqp import channel, purge_all
from workers import registry
from workers.consumer import VhostConsumer
from workers.worker import build_consumer


@pytest.fixture
def scripted_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scripted test handlers (tests/support/scripted_handlers.py) for this test only."""
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    registry.load_handlers()
    importlib.reload(importlib.import_module("tests.support.scripted_handlers"))


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    s = Store(settings.database_url)
    yield s
    s.close()


@pytest.fixture
def start_consumer(
    settings: Settings, store: Store, scripted_handlers: None
) -> Iterator[Callable[..., VhostConsumer]]:
    """Start an in-process consumer for a domain; stopped (and joined) at the end of the test."""
    purge_all(settings)
    running: list[tuple[VhostConsumer, threading.Thread]] = []

    def start(domain: str = "clinico", settings_: Settings | None = None, **kw: Any) -> VhostConsumer:
        s = settings_ or settings
        # No alert delivery: these tests are about the consumer and its stages.
        consumer = build_consumer(
            s, topology.vhost_for(domain, s.vhost_prefix), store=store, alerts=False, **kw
        )
        thread = threading.Thread(target=consumer.run, daemon=True)
        thread.start()
        assert consumer.connected.wait(15), "consumer did not connect"
        running.append((consumer, thread))
        return consumer

    yield start
    for consumer, thread in running:
        consumer.stop()
        thread.join(30)
        assert not thread.is_alive(), "consumer did not stop"


def envelope(
    queixa: str,
    domain: str = "clinico",
    task_type: str = "consulta",
    payload: dict[str, Any] | None = None,
    tenant: str = "hospital_a",
) -> Envelope:
    return Envelope(
        domain=domain,
        task_type=task_type,
        tenant_id=tenant,
        payload=payload or {"paciente_id": str(uuid.uuid4()), "queixa": queixa},
    )


def create_row(store: Store, env: Envelope) -> None:
    """The task row as the API stores it before publishing."""
    store.create_task(
        Store.new_task_row(
            task_id=str(env.task_id),
            tenant_id=env.tenant_id,
            domain=env.domain,
            task_type=env.task_type,
            created_at=env.created_at,
            correlation_id=env.correlation_id,
            idempotency_key=None,
            request_hash=None,
        )
    )


def publish(
    settings: Settings,
    env: Envelope | bytes,
    *,
    domain: str = "clinico",
    headers: dict[str, Any] | None = None,
    store: Store | None = None,
) -> str | None:
    """Publish like the API does (store row first when a store is given)."""
    body = env.to_json_bytes() if isinstance(env, Envelope) else env
    if isinstance(env, Envelope) and store is not None:
        create_row(store, env)
    with channel(settings, domain) as ch:
        ch.confirm_delivery()
        ch.basic_publish(
            topology.EVENTS_EXCHANGE,
            topology.EVENTS_ROUTING_KEY,
            body,
            pika.BasicProperties(
                delivery_mode=2,
                content_type="application/json",
                message_id=str(env.task_id) if isinstance(env, Envelope) else None,
                headers=headers or {},
                # As the gateway's own broker user (RabbitMQ checks it): the worker trusts the tenant.
                user_id=settings.broker_user,
            ),
            mandatory=True,
        )
    return str(env.task_id) if isinstance(env, Envelope) else None
