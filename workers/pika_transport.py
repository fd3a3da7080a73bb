"""`PikaTransport`: the `Transport` (workers/transport.py) on a pika connection for one vhost. It
knows nothing of tasks: reconnect, consume, ack, publish.

Why this shape: work may run for minutes on other threads (a crew). The thread that calls `run()`
owns the BlockingConnection and only pumps `process_data_events`, so heartbeats keep flowing. Other
threads hand it their acks, nacks and publishes with `add_callback_threadsafe`, pika's only
thread-safe call. Acks need no answer, so they queue up and go out together in one wake-up of
the connection thread, as one `multiple=True` ack where the channel's outstanding tags allow it.
Publishes wait for the broker's confirm, so what a caller acks after a publish is never lost
between the two.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pika
import pika.exceptions

from shared.config import Settings, vhost_url
from shared.logs import get_logger
from workers import pika_writes
from workers.pika_thread import AckQueue, Confirms, ThreadCalls, publish_replies
from workers.transport import ConnectionUnavailable, Delivery, OnBatch

T = TypeVar("T")
log = get_logger("workers.transport")  # the name operators filter on; kept from before the split
# One send() per turn of the I/O loop, not one per frame (workers/pika_writes.py).
pika_writes.install()


@dataclass(frozen=True)
class _Subscription:
    queue: str
    prefetch: int
    on_batch: OnBatch
    waiting: list[Delivery] = field(default_factory=list)


class PikaTransport:
    def __init__(
        self,
        settings: Settings,
        vhost: str,
        *,
        connection_name: str,
        heartbeat_s: int = 30,
        shutdown_grace_s: float = 30.0,
        declare: Callable[[Any], None] | None = None,
    ) -> None:
        self.settings = settings
        self.vhost = vhost
        self.connection_name = connection_name
        self.heartbeat_s = heartbeat_s
        self.shutdown_grace_s = shutdown_grace_s
        self.declare = declare
        self.connected = threading.Event()
        self.log = log.bind(vhost=vhost)
        self._subs: list[_Subscription] = []
        self._stop = threading.Event()
        self._conn: pika.BlockingConnection | None = None
        # Confirmed publishes, settled by the broker's confirm without blocking this thread.
        self._confirms = Confirms(self.log)
        self._reply_ch: Any = None
        self._consumers: list[tuple[Any, str]] = []
        self._generation = 0
        self._calls = ThreadCalls()
        self._inflight = 0
        self._inflight_lock = threading.Lock()
        self._acks = AckQueue(self.log)

    # --- public state -------------------------------------------------------------------------

    @property
    def generation(self) -> int:
        """Grows by one with every new connection; a delivery of an older one can no longer be acked."""
        return self._generation

    @property
    def is_open(self) -> bool:
        conn = self._conn
        return conn is not None and conn.is_open

    @property
    def inflight(self) -> int:
        with self._inflight_lock:
            return self._inflight

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def wait_stopping(self, timeout: float) -> bool:
        return self._stop.wait(timeout)

    def subscribe(self, queue: str, prefetch: int, on_batch: OnBatch) -> None:
        """Consume `queue` on its own channel (own prefetch) from the next connect on.
        `on_batch` gets the deliveries that arrived in one read from the socket, on the connection
        thread: it must hand the work off at once, and every delivery must end in exactly one of
        ack / nack / publish_then_ack."""
        self._subs.append(_Subscription(queue, prefetch, on_batch))

    # --- lifecycle ----------------------------------------------------------------------------

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        delay = 0.5
        try:
            while not self._stop.is_set():
                try:
                    self._connect()
                    delay = 0.5
                    self._serve()
                except (pika.exceptions.AMQPError, OSError, ConnectionUnavailable) as exc:
                    self.log.warning("connection_lost", error=repr(exc), retry_in_s=round(delay, 1))
                    self._on_disconnect()
                    # Waiting on the stop event keeps shutdown responsive during backoff.
                    self._stop.wait(delay)
                    delay = min(delay * 2, 30.0)
        finally:
            self._on_disconnect()

    def _connect(self) -> None:
        params = []
        for url in self.settings.rabbitmq_urls:
            p = pika.URLParameters(vhost_url(url, self.vhost))
            p.heartbeat = self.heartbeat_s
            p.blocked_connection_timeout = 60
            p.connection_attempts = 1
            p.socket_timeout = self.settings.broker_connect_timeout_s
            p.client_properties = {"connection_name": self.connection_name}
            params.append(p)
        # pika tries the nodes of the list in order.
        self._conn = pika.BlockingConnection(params)
        self._generation += 1
        self._acks.reset()
        if self.declare is not None:
            ch = self._conn.channel()
            self.declare(ch)
            ch.close()
        self._confirms.open(self._conn)
        # Answers to waiting publishers (direct reply-to) are transient by nature: no confirm
        # round trip, and one that finds its requester gone is simply dropped by the broker.
        self._reply_ch = self._conn.channel()
        gen = self._generation
        self._consumers = []
        for sub in self._subs:
            ch = self._conn.channel()
            ch.basic_qos(prefetch_count=sub.prefetch)
            tag = ch.basic_consume(sub.queue, self._callback(gen, sub))
            self._consumers.append((ch, tag))
        self.connected.set()
        self.log.info(
            "consuming", queues=[s.queue for s in self._subs], prefetch=[s.prefetch for s in self._subs]
        )

    def _callback(self, gen: int, sub: _Subscription) -> Callable[[Any, Any, Any, bytes], None]:
        def on_message(ch: Any, method: Any, props: Any, body: bytes) -> None:
            with self._inflight_lock:
                self._inflight += 1
            self._acks.outstanding.setdefault(ch.channel_number, set()).add(method.delivery_tag)
            sub.waiting.append(Delivery(gen, ch, method.delivery_tag, props, body, sub.queue))

        return on_message

    def _hand_over(self) -> None:
        """After each read: one hand-off per queue for all that arrived, not one per message."""
        for sub in self._subs:
            if sub.waiting:
                batch = sub.waiting[:]
                sub.waiting.clear()
                sub.on_batch(batch)

    def _serve(self) -> None:
        assert self._conn is not None
        cancelled = False
        drain_deadline = 0.0
        while True:
            self._conn.process_data_events(time_limit=self._acks.wait_limit(0.2))
            self._hand_over()
            self._acks.flush_held(self._generation)
            if not self._stop.is_set():
                continue
            if not cancelled:
                # Stop deliveries first; what the broker already sent is finished or handed back
                # once. Without the cancel a handed-back message would come straight back, each
                # round trip counting against the queue's delivery limit.
                for ch, tag in self._consumers:
                    try:
                        ch.basic_cancel(tag)
                    except (pika.exceptions.AMQPError, OSError) as exc:
                        self.log.warning("cancel_failed", error=repr(exc))
                cancelled = True
                drain_deadline = time.monotonic() + self.shutdown_grace_s
                self.log.info("draining", inflight=self.inflight)
            if self.inflight == 0:
                break
            if time.monotonic() > drain_deadline:
                # Closing the connection makes the broker requeue what is still unacked.
                self.log.warning("shutdown_grace_expired", inflight=self.inflight)
                break
        # Acks queued by work that finished just now go out before the connection closes.
        self._acks.flush(self._generation, force=True)
        with contextlib.suppress(pika.exceptions.AMQPError, OSError):
            self._conn.close()

    def _on_disconnect(self) -> None:
        self.connected.clear()
        for sub in self._subs:
            # Read but never handed over: the broker requeues them with the connection.
            self._settled(len(sub.waiting))
            sub.waiting.clear()
        self._acks.void()
        conn, self._conn = self._conn, None
        if conn is not None and conn.is_open:
            try:
                conn.close()
            except Exception as exc:  # already broken
                self.log.debug("close_failed", error=repr(exc))
        self._confirms.reset()
        self._calls.fail_all()

    # --- settling deliveries (any thread) -------------------------------------------------------

    def _settled(self, n: int = 1) -> None:
        with self._inflight_lock:
            self._inflight -= n

    def ack(self, delivery: Delivery) -> None:
        self.ack_many([delivery])

    def ack_many(self, deliveries: list[Delivery]) -> None:
        """Ack without waiting: acks that pile up go out in one wake-up of the connection thread.
        A lost connection voids them (the broker requeues; the task store dedupes)."""
        if not deliveries:
            return
        if not self._acks.put(deliveries, self._settled):
            return
        conn = self._conn
        try:
            if conn is None or not conn.is_open:
                raise ConnectionUnavailable("not connected to RabbitMQ")
            conn.add_callback_threadsafe(lambda: self._acks.flush(self._generation))
        except (pika.exceptions.ConnectionWrongStateError, ConnectionUnavailable) as exc:
            self._acks.unschedule()
            self.log.warning("ack_lost_connection", error=str(exc))

    def nack(self, delivery: Delivery, requeue: bool = True) -> None:
        def do() -> None:
            if self._usable(delivery):
                delivery.channel.basic_nack(delivery.tag, requeue=requeue)
                self._forget(delivery)

        try:
            self._settle_on_connection(do)
        finally:
            self._settled()

    def publish_then_ack(
        self, delivery: Delivery, exchange: str, routing_key: str, body: bytes, props: Any
    ) -> str:
        """Publish (confirmed, mandatory), then ack `delivery`; if the broker refuses the publish,
        the delivery goes back to its queue instead of being lost. Returns what happened."""

        def start(finish: Callable[[str | BaseException], None]) -> None:
            if not self._usable(delivery):
                finish("stale")
                return

            def confirmed(exc: BaseException | None) -> None:
                if not self._usable(delivery):
                    finish("lost")  # the broker requeues it with its connection
                else:
                    finish(self._acks.settle_republished(delivery, exc, exchange, routing_key))

            assert self._conn is not None  # this runs on the connection thread
            self._confirms.publish(self._conn, exchange, routing_key, body, props, confirmed)

        try:
            return self._calls.start(self._conn, start, 60.0)
        except ConnectionUnavailable as exc:
            self.log.warning("ack_lost_connection", error=str(exc))
            return "lost"
        finally:
            self._settled()

    def _usable(self, delivery: Delivery) -> bool:
        return delivery.generation == self._generation and delivery.channel.is_open

    def _forget(self, delivery: Delivery) -> None:
        self._acks.forget(delivery)

    def _settle_on_connection(self, fn: Callable[[], T]) -> T | None:
        try:
            return self.call(fn)
        except ConnectionUnavailable as exc:
            self.log.warning("ack_lost_connection", error=str(exc))
            return None

    # --- publishing (any thread) ----------------------------------------------------------------

    def publish(self, exchange: str, routing_key: str, body: bytes, props: Any) -> None:
        """Publish persistent and mandatory with a broker confirm. Raises when not confirmed."""

        def start(finish: Callable[[BaseException | None], None]) -> None:
            assert self._conn is not None  # this runs on the connection thread
            self._confirms.publish(self._conn, exchange, routing_key, body, props, finish)

        self._calls.start(self._conn, start, 60.0)

    def send_replies(self, replies: list[tuple[str, str, bytes]], acks: list[Delivery]) -> None:
        """(reply_to, correlation_id, body) each, then `acks` (as `ack_many`), in one wake-up of the
        connection thread without waiting: an answer that cannot go out costs its requester a 202."""
        if not replies:
            self.ack_many(acks)
            return
        if acks:
            self._acks.put(acks, self._settled)  # flushed below, after the replies

        def do() -> None:
            publish_replies(self._reply_ch, replies, self.log)
            if acks:
                self._acks.flush(self._generation)

        conn = self._conn
        try:
            if conn is None or not conn.is_open:
                raise ConnectionUnavailable("not connected to RabbitMQ")
            conn.add_callback_threadsafe(do)
        except (pika.exceptions.ConnectionWrongStateError, ConnectionUnavailable) as exc:
            self._acks.unschedule()
            self.log.warning("reply_not_sent", error=str(exc))

    def call(self, fn: Callable[[], T], timeout: float = 60.0) -> T:
        """Run `fn` on the connection thread and wait for its result."""
        return self._calls.call(self._conn, fn, timeout)
