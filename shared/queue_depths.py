"""Depth of each queue of a vhost (docs/topology.md), read the way operators expect: through the
management HTTP API when `RABBITMQ_MANAGEMENT_URL` is set, else with AMQP passive declares."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import httpx
import pika
import pika.exceptions

from shared import topology
from shared.config import Settings, vhost_url


def queue_names(settings: Settings) -> list[str]:
    return [q.name for q in topology.queues(settings.retry_delays, settings.alert_retry_delays)]


def vhost_depths(settings: Settings, vhost: str, timeout_s: float = 5.0) -> dict[str, int]:
    """{queue: messages} for the topology's queues that exist in `vhost` (management API: ready +
    unacknowledged; AMQP: ready, which is all a passive declare reports)."""
    if settings.rabbitmq_management_url:
        return _via_management(settings.rabbitmq_management_url, vhost, queue_names(settings), timeout_s)
    return _via_amqp(settings, vhost, queue_names(settings), timeout_s)


def _via_management(base: str, vhost: str, names: list[str], timeout_s: float) -> dict[str, int]:
    parts = urlsplit(base)
    auth = (parts.username or "guest", parts.password or "guest")
    root = f"{parts.scheme}://{parts.hostname}:{parts.port or 15672}{parts.path.rstrip('/')}"
    resp = httpx.get(
        f"{root}/api/queues/{quote(vhost, safe='')}",
        params={"columns": "name,messages"},
        auth=auth,
        timeout=timeout_s,
    )
    resp.raise_for_status()
    found = {q["name"]: int(q.get("messages") or 0) for q in resp.json()}
    return {name: found[name] for name in names if name in found}


def _via_amqp(settings: Settings, vhost: str, names: list[str], timeout_s: float) -> dict[str, int]:
    params = pika.URLParameters(vhost_url(settings.rabbitmq_urls[0], vhost))
    params.socket_timeout = timeout_s
    params.blocked_connection_timeout = timeout_s
    params.connection_attempts = 1
    conn = pika.BlockingConnection(params)
    try:
        depths: dict[str, int] = {}
        ch = conn.channel()
        for name in names:
            try:
                depths[name] = ch.queue_declare(name, passive=True).method.message_count
            except pika.exceptions.ChannelClosedByBroker:
                ch = conn.channel()  # 404: not provisioned with this delay configuration
        return depths
    finally:
        if conn.is_open:
            conn.close()
