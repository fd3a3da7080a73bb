"""What other threads hand to a pika connection's own thread (pika's connection is not
thread-safe; `add_callback_threadsafe` is its one call that is):

- `AckQueue`: acks need no answer, so they pile up and go out together in one wake-up of the
  connection thread, as one `multiple=True` ack per channel where the outstanding tags allow it;
  acks above a tag still being worked on wait for it a little (`HOLD_S`) to go out with it;
- `ThreadCalls`: a call whose result the caller waits for (a nack, a publish's confirm), failed
  at once when the connection is lost instead of waiting for its timeout;
- `Confirms`: confirmed publishes settled by the broker's `Basic.Ack`, without running the
  connection's I/O loop until it comes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

import pika
import pika.exceptions
from pika.adapters.blocking_connection import ReturnedMessage

from workers.transport import ConnectionUnavailable, Delivery

T = TypeVar("T")


def publish_replies(ch: Any, replies: list[tuple[str, str, bytes]], log: Any) -> None:
    """Connection thread: (reply_to, correlation_id, body) each on the reply channel `ch`. The
    channel's own (asynchronous) publish only queues the frames, which the connection thread's
    loop writes on its next turn, with the acks queued after them: BlockingChannel.basic_publish
    ran the I/O loop until the socket had taken each reply (docs/agent-message.md, "Sixth session")."""
    if ch is None or not ch.is_open:
        return
    publish = ch._impl.basic_publish
    for reply_to, correlation_id, body in replies:
        props = pika.BasicProperties(content_type="application/json", correlation_id=correlation_id)
        try:
            publish("", reply_to, body, props)
        except (pika.exceptions.AMQPError, OSError) as exc:
            log.warning("reply_not_sent", error=repr(exc))
            return


class AckQueue:
    # How long the acks of a batch that finished before an older one of its channel wait for it,
    # to go out with it as one `multiple=True` ack instead of one `basic.ack` (and one flush of the
    # socket) each: a drain sent about 0.23 of them per task (docs/workers.md, "Acks held for
    # the older batch"). Short, because held acks keep their messages in the prefetch window.
    HOLD_S = 0.05

    def __init__(self, log: Any) -> None:
        self.log = log
        self._acks: list[Delivery] = []
        self._lock = threading.Lock()
        self._scheduled = False
        # Connection thread only: unsettled tags per channel, to know when multiple=True is safe.
        self.outstanding: dict[int, set[int]] = {}
        # Connection thread only: channel number -> (channel, tags done but not acked, held since).
        self.held: dict[int, tuple[Any, set[int], float]] = {}

    def reset(self) -> None:
        """A new connection: no tag of the old one is outstanding or held any more."""
        self.outstanding, self.held = {}, {}

    def put(self, deliveries: list[Delivery], settled: Callable[[int], None]) -> bool:
        """Queue the acks; True when the caller must schedule a flush (none is pending)."""
        with self._lock:
            self._acks.extend(deliveries)
            # Counted out only once queued: the shutdown drain flushes queued acks before closing.
            settled(len(deliveries))
            if self._scheduled:
                return False
            self._scheduled = True
            return True

    def unschedule(self) -> None:
        with self._lock:
            self._scheduled = False

    def void(self) -> None:
        """The broker requeues whatever a lost connection left unacked; these acks are void."""
        with self._lock:
            self._acks, self._scheduled = [], False
        self.held = {}

    def forget(self, delivery: Delivery) -> None:
        self.outstanding.get(delivery.channel.channel_number, set()).discard(delivery.tag)

    def settle_republished(
        self, delivery: Delivery, exc: BaseException | None, exchange: str, routing_key: str
    ) -> str:
        """Connection thread, on the confirm of `delivery`'s republish: ack it, or put it back
        when the broker refused the publish. The channel's own ack and nack only queue the frame:
        this runs inside pika's read of the confirm, where BlockingChannel's would run the I/O
        loop again."""
        if exc is None:
            delivery.channel._impl.basic_ack(delivery.tag)
            self.forget(delivery)
            return "acked"
        if isinstance(exc, (pika.exceptions.UnroutableError, pika.exceptions.NackError)):
            self.log.error("republish_refused", error=repr(exc), exchange=exchange, routing_key=routing_key)
        delivery.channel._impl.basic_nack(delivery.tag, requeue=True)
        self.forget(delivery)
        return "requeued"

    def flush(self, generation: int, *, force: bool = False) -> None:
        """Connection thread: the queued and held acks, one `multiple=True` ack per channel up to
        the first tag still being worked on; those above it are held for up to `HOLD_S` (all sent
        at once with `force`: the connection is about to close)."""
        with self._lock:
            acks, self._acks, self._scheduled = self._acks, [], False
        by_channel: dict[int, tuple[Any, set[int]]] = {}
        for d in acks:
            if d.generation != generation or not d.channel.is_open:
                continue  # the broker already requeued it when that connection died
            by_channel.setdefault(d.channel.channel_number, (d.channel, set()))[1].add(d.tag)
        held, self.held = self.held, {}
        for number, (ch, tags, _since) in held.items():
            if ch.is_open:
                by_channel.setdefault(number, (ch, set()))[1].update(tags)
        now = time.monotonic()
        for number, (ch, tags) in by_channel.items():
            outstanding = self.outstanding.get(number, set())
            others = outstanding - tags
            floor = min(others) if others else None
            # multiple=True acks every unacked tag up to N: safe only below the first tag that is
            # still being worked on.
            below = sorted(t for t in tags if floor is None or t < floor)
            rest = {t for t in tags if floor is not None and t > floor}
            since = held[number][2] if number in held else now
            send_rest = force or now - since >= self.HOLD_S
            # The channel's own (asynchronous) ack only queues the frame: the connection thread's
            # loop writes it on its next turn, with the replies queued before it.
            # BlockingChannel.basic_ack ran the I/O loop until the socket had taken each ack
            # (docs/agent-message.md, "Sixth session").
            ack = ch._impl.basic_ack
            try:
                if below:
                    ack(below[-1], multiple=len(below) > 1)
                if rest and send_rest:
                    for t in sorted(rest):
                        ack(t)
            except (pika.exceptions.AMQPError, OSError) as exc:
                self.log.warning("ack_lost_connection", error=repr(exc))
                return
            outstanding.difference_update(below)
            if rest and send_rest:
                outstanding.difference_update(rest)
            elif rest:
                self.held[number] = (ch, rest, since)

    def wait_limit(self, limit: float) -> float:
        """How long the connection thread may wait for events: `limit`, or less when a held
        ack falls due sooner."""
        if not self.held:
            return limit
        oldest = min(since for _ch, _tags, since in self.held.values())
        return max(0.0, min(limit, oldest + self.HOLD_S - time.monotonic()))

    def flush_held(self, generation: int) -> None:
        """Connection thread, after each read: held acks go out once their channel's older tags
        are settled (acked, nacked, republished) or once they are due."""
        if self.held:
            self.flush(generation)


class ThreadCalls:
    def __init__(self) -> None:
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def call(self, conn: pika.BlockingConnection | None, fn: Callable[[], T], timeout: float) -> T:
        """Run `fn` on the connection thread and wait for its result."""
        if conn is None or not conn.is_open:
            raise ConnectionUnavailable("not connected to RabbitMQ")
        fut: Future[T] = Future()

        def run() -> None:
            if fut.done():
                return
            try:
                fut.set_result(fn())
            except BaseException as exc:
                fut.set_exception(exc)
            finally:
                with self._lock:
                    self._pending.discard(fut)

        return self._submit(conn, fut, run, timeout)

    def start(
        self,
        conn: pika.BlockingConnection | None,
        fn: Callable[[Callable[[T | BaseException], None]], None],
        timeout: float,
    ) -> T:
        """Run `fn(finish)` on the connection thread and wait until it calls `finish` with the
        result (or an exception), from that thread, later: `fn` itself does not wait."""
        if conn is None or not conn.is_open:
            raise ConnectionUnavailable("not connected to RabbitMQ")
        fut: Future[T] = Future()

        def finish(value: T | BaseException) -> None:
            with self._lock:
                self._pending.discard(fut)
            if fut.done():
                return  # failed already with the connection
            if isinstance(value, BaseException):
                fut.set_exception(value)
            else:
                fut.set_result(value)

        def run() -> None:
            if fut.done():
                return
            try:
                fn(finish)
            except BaseException as exc:
                finish(exc)

        return self._submit(conn, fut, run, timeout)

    def _submit(
        self, conn: pika.BlockingConnection, fut: Future[T], run: Callable[[], None], timeout: float
    ) -> T:
        """Hand `run` to the connection thread and wait for `fut`, which `run` settles."""
        with self._lock:
            self._pending.add(fut)
        try:
            conn.add_callback_threadsafe(run)
        except pika.exceptions.ConnectionWrongStateError as exc:
            with self._lock:
                self._pending.discard(fut)
            raise ConnectionUnavailable(str(exc)) from exc
        try:
            return fut.result(timeout)
        except FutureTimeout as exc:
            raise ConnectionUnavailable("RabbitMQ did not answer in time") from exc

    def fail_all(self) -> None:
        """The connection is gone: every waiting caller gets ConnectionUnavailable now."""
        with self._lock:
            pending, self._pending = self._pending, set()
        for fut in pending:
            if not fut.done():
                fut.set_exception(ConnectionUnavailable("connection to RabbitMQ lost"))


class Confirms:
    """Confirmed publishes that do not block the connection thread (connection thread only).

    `BlockingChannel.basic_publish` in confirm mode runs pika's I/O loop until the broker's
    `Basic.Ack` arrives: meanwhile the deliveries read are not handed over, and the other threads'
    calls (a batch's replies and acks, another publish) run nested inside that loop. Here a
    publish only queues its frames and registers `done` under its confirm sequence number;
    `Basic.Ack`/`Nack` settle it, with the exceptions BlockingChannel raises (`NackError`,
    `UnroutableError` for a mandatory publish the broker returned), so callers see the same
    outcomes (docs/agent-message.md, "Seventh session").

    A `Basic.Return` does not say which publish it returns: it comes before that publish's
    confirm, so it marks the oldest unconfirmed publish of the same exchange, routing key and body
    (two such publishes are routed alike)."""

    def __init__(self, log: Any) -> None:
        self.log = log
        self._ch: Any = None
        self._seq = 0
        # sequence number -> (done, exchange, routing key, body, returned message or None)
        self._pending: dict[int, list[Any]] = {}

    def open(self, conn: pika.BlockingConnection) -> None:
        """A confirm-mode channel of our own callbacks; waits for `Confirm.SelectOk`."""
        ch = conn.channel()
        ready: list[bool] = []
        ch._impl.confirm_delivery(ack_nack_callback=self._on_confirm, callback=lambda _f: ready.append(True))
        ch._flush_output(lambda: bool(ready))  # BlockingChannel.confirm_delivery's own wait
        ch._impl.add_on_return_callback(self._on_return)
        ch._impl.add_on_close_callback(self._on_close)
        self._ch, self._seq = ch, 0

    def publish(
        self,
        conn: pika.BlockingConnection,
        exchange: str,
        routing_key: str,
        body: bytes,
        props: Any,
        done: Callable[[BaseException | None], None],
    ) -> None:
        """Connection thread: publish (mandatory); `done(None)` once confirmed, `done(exc)` when
        nacked, returned, or lost with the channel or connection."""
        try:
            if self._ch is None or not self._ch.is_open:
                self.open(conn)  # closed by the broker (a publish to a missing exchange): reopen
            self._ch._impl.basic_publish(exchange, routing_key, body, props, mandatory=True)
        except (pika.exceptions.AMQPError, OSError) as exc:
            done(exc)
            return
        self._seq += 1
        self._pending[self._seq] = [done, exchange, routing_key, body, None]

    def _on_confirm(self, frame: Any) -> None:
        method = frame.method
        tag = method.delivery_tag
        tags = [t for t in self._pending if t <= tag] if method.multiple else [tag]
        nacked = isinstance(method, pika.spec.Basic.Nack)
        for t in tags:
            entry = self._pending.pop(t, None)
            if entry is None:
                continue
            done, returned = entry[0], entry[4]
            if nacked:
                done(pika.exceptions.NackError([returned] if returned is not None else []))
            elif returned is not None:
                done(pika.exceptions.UnroutableError([returned]))
            else:
                done(None)

    def _on_return(self, _ch: Any, method: Any, props: Any, body: bytes) -> None:
        key = (method.exchange, method.routing_key, body)
        for entry in self._pending.values():
            if entry[4] is None and (entry[1], entry[2], entry[3]) == key:
                entry[4] = ReturnedMessage(method, props, body)
                return

    def _on_close(self, ch: Any, reason: BaseException) -> None:
        if self._ch is None or ch is not self._ch._impl:
            return  # a channel already replaced
        self.fail_all(ConnectionUnavailable(f"publish channel closed: {reason!r}"))

    def reset(self) -> None:
        """The connection is gone: its channel with it."""
        self.fail_all(ConnectionUnavailable("connection to RabbitMQ lost"))
        self._ch = None

    def fail_all(self, exc: BaseException) -> None:
        """The channel or the connection is gone: every unconfirmed publish fails (the caller
        requeues; nothing it published is counted as confirmed)."""
        pending, self._pending = self._pending, {}
        for done, *_rest in pending.values():
            done(exc)
