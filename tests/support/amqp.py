"""Small pika helpers for tests: read, purge and publish on a test vhost."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pika
import pika.exceptions

from shared import topology
from shared.config import Settings, vhost_url


@contextmanager
def channel(settings: Settings, domain: str) -> Iterator[Any]:
    vhost = topology.vhost_for(domain, settings.vhost_prefix)
    conn = pika.BlockingConnection(pika.URLParameters(vhost_url(settings.rabbitmq_urls[0], vhost)))
    try:
        yield conn.channel()
    finally:
        if conn.is_open:
            conn.close()


def purge(settings: Settings, domain: str, *queues: str) -> None:
    with channel(settings, domain) as ch:
        for q in queues or (topology.EVENTS_QUEUE, topology.DLQ_QUEUE, topology.ALERTS_QUEUE):
            ch.queue_purge(q)


def purge_all(settings: Settings) -> None:
    for domain in topology.all_domains():
        purge(settings, domain)


def take_all(settings: Settings, domain: str, queue: str = topology.EVENTS_QUEUE) -> list[tuple[Any, bytes]]:
    """Remove and return every message currently in the queue: [(properties, body)]."""
    out = []
    with channel(settings, domain) as ch:
        while True:
            method, props, body = ch.basic_get(queue, auto_ack=True)
            if method is None:
                return out
            out.append((props, body))


def count(settings: Settings, domain: str, queue: str) -> int:
    with channel(settings, domain) as ch:
        return int(ch.queue_declare(queue, passive=True).method.message_count)


def publish_raw(
    settings: Settings, domain: str, body: bytes, *, properties: pika.BasicProperties | None = None
) -> None:
    with channel(settings, domain) as ch:
        ch.confirm_delivery()
        ch.basic_publish(
            topology.EVENTS_EXCHANGE,
            topology.EVENTS_ROUTING_KEY,
            body,
            # As the gateway's broker user by default (the worker trusts it for any tenant).
            properties
            or pika.BasicProperties(
                delivery_mode=2, content_type="application/json", user_id=settings.broker_user
            ),
            mandatory=True,
        )
