"""An in-memory `Transport` (workers/transport.py) for consumer tests without RabbitMQ.

Like dramatiq's `StubBroker`: queues are lists, a publish to the default exchange lands in the
named queue, a publish to a delay exchange (task retries, parked alerts) waits in `delayed` until
the test calls `release_delayed()` (the broker would after the delay), and a `nack(requeue=True)`
comes back with `x-delivery-count` one higher, as from a quorum queue. Every settlement is
recorded, so a test can assert what the consumer did with each delivery.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

import pika

from shared import topology
from workers.transport import Delivery, OnBatch

# Where the broker sends a message once its delay queue's TTL runs out.
_AFTER_DELAY = {
    topology.RETRY_EXCHANGE: topology.EVENTS_QUEUE,
    topology.ALERTS_DELAY_EXCHANGE: topology.ALERTS_QUEUE,
}


@dataclass(frozen=True)
class Published:
    exchange: str
    routing_key: str
    body: bytes
    properties: Any

    @property
    def headers(self) -> dict[str, Any]:
        return getattr(self.properties, "headers", None) or {}


class MemoryTransport:
    def __init__(self) -> None:
        self.connected = threading.Event()
        self.acked: list[Delivery] = []
        self.nacked: list[tuple[Delivery, bool]] = []
        self.published: list[Published] = []  # every publish, in order (republishes included)
        self.delayed: list[Published] = []  # waiting in a delay queue
        self.replies: list[tuple[str, str, bytes]] = []
        self._subs: dict[str, OnBatch] = {}
        self._inbox: queue.SimpleQueue[Delivery] = queue.SimpleQueue()
        self._tags = itertools.count(1)
        self._lock = threading.Lock()
        self._inflight = 0
        self._stop = threading.Event()

    # --- what a test does -------------------------------------------------------------------------

    def deliver(
        self, queue_name: str, body: bytes, headers: dict[str, Any] | None = None, **props: Any
    ) -> None:
        properties = pika.BasicProperties(
            content_type="application/json", delivery_mode=2, headers=dict(headers or {}), **props
        )
        self._inbox.put(Delivery(1, None, next(self._tags), properties, body, queue_name))

    def release_delayed(self) -> int:
        """Let every delayed message's delay run out now; returns how many came back."""
        with self._lock:
            due, self.delayed = self.delayed, []
        for p in due:
            self.deliver(_AFTER_DELAY[p.exchange], p.body, p.headers, **_props_of(p.properties))
        return len(due)

    def published_to(self, exchange: str) -> list[Published]:
        with self._lock:
            return [p for p in self.published if p.exchange == exchange]

    @property
    def settled(self) -> int:
        with self._lock:
            return len(self.acked) + len(self.nacked)

    # --- the Transport protocol ---------------------------------------------------------------------

    @property
    def generation(self) -> int:
        return 1

    @property
    def is_open(self) -> bool:
        return self.connected.is_set()

    @property
    def inflight(self) -> int:
        with self._lock:
            return self._inflight

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def wait_stopping(self, timeout: float) -> bool:
        return self._stop.wait(timeout)

    def subscribe(self, queue: str, prefetch: int, on_batch: OnBatch) -> None:
        self._subs[queue] = on_batch

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        self.connected.set()
        try:
            while not self._stop.is_set():
                try:
                    first = self._inbox.get(timeout=0.02)
                except queue.Empty:
                    continue
                batch = [first]
                while True:
                    try:
                        batch.append(self._inbox.get_nowait())
                    except queue.Empty:
                        break
                for name in dict.fromkeys(d.queue for d in batch):
                    mine = [d for d in batch if d.queue == name]
                    with self._lock:
                        self._inflight += len(mine)
                    self._subs[name](mine)
            deadline = time.monotonic() + 30
            while self.inflight and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            self.connected.clear()

    def ack(self, delivery: Delivery) -> None:
        self.ack_many([delivery])

    def ack_many(self, deliveries: list[Delivery]) -> None:
        with self._lock:
            self.acked.extend(deliveries)
            self._inflight -= len(deliveries)

    def nack(self, delivery: Delivery, requeue: bool = True) -> None:
        with self._lock:
            self.nacked.append((delivery, requeue))
            self._inflight -= 1
        if requeue and not self._stop.is_set():
            count = int(delivery.headers.get("x-delivery-count") or 0) + 1
            headers = {**delivery.headers, "x-delivery-count": count}
            self.deliver(delivery.queue, delivery.body, headers, **_props_of(delivery.properties))

    def publish_then_ack(
        self, delivery: Delivery, exchange: str, routing_key: str, body: bytes, props: Any
    ) -> str:
        self.publish(exchange, routing_key, body, props)
        self.ack(delivery)
        return "acked"

    def publish(self, exchange: str, routing_key: str, body: bytes, props: Any) -> None:
        message = Published(exchange, routing_key, body, props)
        with self._lock:
            self.published.append(message)
            if exchange in _AFTER_DELAY:
                self.delayed.append(message)
        if exchange == "" and routing_key in self._subs:
            self.deliver(routing_key, body, message.headers, **_props_of(props))

    def send_replies(self, replies: list[tuple[str, str, bytes]], acks: list[Delivery]) -> None:
        with self._lock:
            self.replies.extend(replies)
        self.ack_many(acks)


def _props_of(properties: Any) -> dict[str, Any]:
    return {
        name: getattr(properties, name, None)
        for name in ("message_id", "correlation_id", "type", "reply_to")
        if getattr(properties, name, None) is not None
    }
