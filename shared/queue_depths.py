"""Depth and consumers of each queue of a vhost (the topology in docs/topology.md), read the way
operators expect: through the management HTTP API when `RABBITMQ_MANAGEMENT_URL` is set, else
with AMQP passive declares (which report ready messages and consumers, not unacknowledged ones)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import httpx
import pika
import pika.exceptions

from shared import topology
from shared.config import Settings, vhost_url


@dataclass(frozen=True)
class QueueStats:
    ready: int
    # None when read over AMQP: a passive declare does not report unacknowledged messages.
    unacked: int | None
    consumers: int

    @property
    def messages(self) -> int:
        return self.ready + (self.unacked or 0)


def queue_names(settings: Settings) -> list[str]:
    return [
        q.name
        for q in topology.queues(settings.retry_delays, settings.alert_retry_delays, settings.followup_delays)
    ]


def vhost_queue_stats(
    settings: Settings, vhost: str, timeout_s: float = 5.0, names: list[str] | None = None
) -> dict[str, QueueStats]:
    """{queue: stats} for the topology's queues (or `names`) that exist in `vhost`."""
    names = names or queue_names(settings)
    if settings.rabbitmq_management_url:
        return _via_management(settings.rabbitmq_management_url, vhost, names, timeout_s)
    return _via_amqp(settings, vhost, names, timeout_s)


def vhost_depths(settings: Settings, vhost: str, timeout_s: float = 5.0) -> dict[str, int]:
    """{queue: messages} (management API: ready + unacknowledged; AMQP: ready)."""
    return {name: s.messages for name, s in vhost_queue_stats(settings, vhost, timeout_s).items()}


def _via_management(base: str, vhost: str, names: list[str], timeout_s: float) -> dict[str, QueueStats]:
    parts = urlsplit(base)
    auth = (parts.username or "guest", parts.password or "guest")
    root = f"{parts.scheme}://{parts.hostname}:{parts.port or 15672}{parts.path.rstrip('/')}"
    resp = httpx.get(
        f"{root}/api/queues/{quote(vhost, safe='')}",
        params={"columns": "name,messages,messages_ready,messages_unacknowledged,consumers"},
        auth=auth,
        timeout=timeout_s,
    )
    resp.raise_for_status()
    found = {
        q["name"]: QueueStats(
            ready=int(q.get("messages_ready") or 0),
            unacked=int(q.get("messages_unacknowledged") or 0),
            consumers=int(q.get("consumers") or 0),
        )
        for q in resp.json()
    }
    return {name: found[name] for name in names if name in found}


def _via_amqp(settings: Settings, vhost: str, names: list[str], timeout_s: float) -> dict[str, QueueStats]:
    params = pika.URLParameters(vhost_url(settings.rabbitmq_urls[0], vhost))
    params.socket_timeout = timeout_s
    params.blocked_connection_timeout = timeout_s
    params.connection_attempts = 1
    conn = pika.BlockingConnection(params)
    try:
        stats: dict[str, QueueStats] = {}
        ch = conn.channel()
        for name in names:
            try:
                method = ch.queue_declare(name, passive=True).method
            except pika.exceptions.ChannelClosedByBroker:
                ch = conn.channel()  # 404: not provisioned with this delay configuration
                continue
            stats[name] = QueueStats(
                ready=method.message_count, unacked=None, consumers=method.consumer_count
            )
        return stats
    finally:
        if conn.is_open:
            conn.close()
