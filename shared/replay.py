"""Dead letters back to `eventos` (used by `python -m workers.replay` and the /ops console), and
a look at what waits in `eventos.dlq` without taking it away.

Each replayed message of a known task opens a new generation of its task in the store (status
`retrying`), so the worker runs it again even though it had reached a final status, and late
updates from the old attempt can no longer overwrite the new one. A message that never became a
task row (not JSON, no task id) is sent back as it is: the worker judges it again. Messages that
are not selected stay in the dead-letter queue in their order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel

from shared import topology
from shared.config import Settings, vhost_url
from shared.republish import replay_headers, republish_properties
from shared.store import Store


def _task_id(props: Any, body: bytes) -> str | None:
    if getattr(props, "message_id", None):
        return str(props.message_id)
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return str(data.get("task_id")) if isinstance(data, dict) and data.get("task_id") else None


def fingerprint(body: bytes) -> str:
    """Names a dead letter that has no task id (the console's links and buttons use it)."""
    return hashlib.sha256(body).hexdigest()[:20]


@dataclass(frozen=True)
class DeadLetter:
    """A message waiting in eventos.dlq, as the broker holds it."""

    fingerprint: str
    task_id: str | None
    body: bytes
    headers: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        # The worker names its reason; the broker's own (delivery_limit, rejected) otherwise.
        reason = self.headers.get(topology.H_DEAD_LETTER_REASON) or self.headers.get("x-first-death-reason")
        return _text(reason) if reason else "unknown"

    @property
    def error(self) -> str:
        return _text(self.headers.get(topology.H_DEAD_LETTER_ERROR) or "")


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


@contextmanager
def _dlq_channel(settings: Settings, vhost: str) -> Iterator[tuple[BlockingChannel, int]]:
    conn = pika.BlockingConnection(pika.URLParameters(vhost_url(settings.rabbitmq_urls[0], vhost)))
    try:
        ch = conn.channel()
        ch.confirm_delivery()
        yield ch, ch.queue_declare(topology.DLQ_QUEUE, passive=True).method.message_count
    finally:
        if conn.is_open:
            conn.close()


def peek(settings: Settings, vhost: str, limit: int = 100) -> list[DeadLetter]:
    """Up to `limit` messages from the head of eventos.dlq; every one stays there, in order."""
    found: list[DeadLetter] = []
    with _dlq_channel(settings, vhost) as (ch, waiting):
        tags: list[int] = []
        # Each message is seen once: they stay unacknowledged until the end, so basic_get does
        # not hand them out again.
        for _ in range(min(waiting, limit)):
            method, props, body = ch.basic_get(topology.DLQ_QUEUE, auto_ack=False)
            if method is None:
                break
            tags.append(method.delivery_tag)
            found.append(
                DeadLetter(
                    fingerprint=fingerprint(body),
                    task_id=_task_id(props, body),
                    body=body,
                    headers=dict(props.headers or {}),
                    properties={
                        "content_type": props.content_type,
                        "message_id": props.message_id,
                        "type": props.type,
                        "correlation_id": props.correlation_id,
                        "timestamp": props.timestamp,
                    },
                )
            )
        for tag in tags:
            ch.basic_nack(tag, requeue=True)
    return found


def move(settings: Settings, vhost: str, select: Callable[[str | None, str], bool], store: Store) -> int:
    """Move the messages of eventos.dlq for which `select(task_id, fingerprint)` holds back to
    eventos; returns how many moved."""
    with _dlq_channel(settings, vhost) as (ch, waiting):
        kept: list[int] = []
        replayed = 0
        for _ in range(waiting):
            method, props, body = ch.basic_get(topology.DLQ_QUEUE, auto_ack=False)
            if method is None:
                break
            task_id = _task_id(props, body)
            if not select(task_id, fingerprint(body)):
                kept.append(method.delivery_tag)
                continue
            headers = replay_headers(props.headers)
            generation = store.replay(task_id) if task_id else None
            if generation is not None:
                headers[topology.H_REPLAY_GENERATION] = generation
            ch.basic_publish(
                topology.EVENTS_EXCHANGE,
                topology.EVENTS_ROUTING_KEY,
                body,
                republish_properties(props, {}, headers=headers),
                mandatory=True,
            )
            ch.basic_ack(method.delivery_tag)
            replayed += 1
        for tag in kept:
            ch.basic_nack(tag, requeue=True)
        return replayed


def replay(settings: Settings, vhost: str, task_ids: set[str] | None, store: Store) -> int:
    """Move matching messages (all when task_ids is None) from eventos.dlq to eventos."""
    return move(settings, vhost, lambda task_id, _fp: task_ids is None or task_id in task_ids, store)
