"""What the consumer needs of a message broker, and nothing of tasks: the `Transport` protocol.

`workers.pika_transport.PikaTransport` implements it on RabbitMQ; the tests' in-memory transport
(tests/support/memory_transport.py) implements it in a few lists, so the consumer's handling of
acks, retries, dead-letters, parked alerts and the LLM hand-off is tested without a broker, the
way dramatiq's `StubBroker` and FastStream's `TestRabbitBroker` do it.

Contract, whatever the implementation:
- `subscribe` before `run`; `on_batch` gets deliveries on the transport's own thread and must
  hand the work off at once;
- every delivery ends in exactly one of `ack`/`ack_many`, `nack` or `publish_then_ack`, from any
  thread;
- `publish_then_ack` and `publish` return only once the broker confirmed the publish; a refused
  `publish_then_ack` puts the delivery back in its queue instead of losing it;
- `run` blocks until `stop`, then returns once in-flight deliveries are settled or given back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import pika

from shared import topology


class ConnectionUnavailable(RuntimeError):
    """The connection is down; unacked deliveries will be redelivered."""


@dataclass(frozen=True)
class Delivery:
    generation: int
    channel: Any
    tag: int
    properties: Any
    body: bytes
    queue: str

    @property
    def headers(self) -> dict[str, Any]:
        """The message's headers, plus the broker-validated publisher (docs/security.md)."""
        headers = getattr(self.properties, "headers", None) or {}
        user = getattr(self.properties, "user_id", None)
        if user is None and topology.H_VERIFIED_USER not in headers:
            return headers
        headers = {k: v for k, v in headers.items() if k != topology.H_VERIFIED_USER}
        if user is not None:
            headers[topology.H_VERIFIED_USER] = user
        return headers


OnBatch = Callable[[list[Delivery]], None]


class Transport(Protocol):
    connected: threading.Event

    @property
    def generation(self) -> int: ...

    @property
    def is_open(self) -> bool: ...

    @property
    def inflight(self) -> int: ...

    @property
    def stopping(self) -> bool: ...

    def wait_stopping(self, timeout: float) -> bool: ...

    def subscribe(self, queue: str, prefetch: int, on_batch: OnBatch) -> None: ...

    def run(self) -> None: ...

    def stop(self) -> None: ...

    def ack(self, delivery: Delivery) -> None: ...

    def ack_many(self, deliveries: list[Delivery]) -> None: ...

    def nack(self, delivery: Delivery, requeue: bool = True) -> None: ...

    def publish_then_ack(
        self, delivery: Delivery, exchange: str, routing_key: str, body: bytes, props: Any
    ) -> str: ...

    def publish(self, exchange: str, routing_key: str, body: bytes, props: Any) -> None: ...

    def send_replies(self, replies: list[tuple[str, str, bytes]], acks: list[Delivery]) -> None:
        """The replies, then `acks` (as `ack_many`), without waiting for either."""


def confirmed_publisher(transport: Transport) -> Callable[[str, str, bytes, dict[str, Any]], None]:
    """`publish(exchange, routing_key, body, headers)`: persistent JSON, confirmed by the broker
    (raises otherwise), from any thread. What the alert dispatcher parks alerts with."""

    def publish(exchange: str, routing_key: str, body: bytes, headers: dict[str, Any]) -> None:
        props = pika.BasicProperties(
            content_type="application/json",
            delivery_mode=2,
            headers=headers or {},
            timestamp=int(time.time()),
        )
        transport.publish(exchange, routing_key, body, props)

    return publish
