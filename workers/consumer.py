"""One vhost's consumer: a pika BlockingConnection on this thread, handlers on a thread pool.

Why this shape: a handler may run for minutes (a CrewAI crew). The connection thread never runs
handler code; it only pumps `process_data_events`, so heartbeats keep flowing. Handler threads
hand their acks, nacks and publishes back to the connection thread with
`add_callback_threadsafe`, the only thread-safe call pika has, and wait for the result.

Per message (SPEC §6):
  parse → validate envelope → find handler → validate payload       (permanent error: DLQ now)
  store "processing" (attempt counted)   — refused when the task is already completed: ack, skip
  run handler; alerts it emits are delivered on other threads
  wait until every alert is delivered, failed for good, or durably parked
  store "completed" + result → ack
  transient error → store "retrying" → publish to a delay queue (dead-letters back) → ack
  after WORKER_MAX_RETRIES retries, or redelivered too often (crashes) → DLQ with the reason

Every publish here waits for the broker's confirm before the ack, so a message is never lost
between the two; a crash in between can only duplicate, and the store makes duplicates harmless.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import pika
import pika.exceptions
from prometheus_client import Counter, Histogram
from pydantic import ValidationError

from shared import topology
from shared.config import Settings, vhost_url
from shared.logs import get_logger
from shared.messages import Envelope
from shared.store import Store, StoreUnavailable, progress_for
from workers import observability
from workers.context import TaskContext
from workers.registry import HandlerNotFound, PermanentError, get_handler

T = TypeVar("T")
log = get_logger("workers.consumer")

TASKS = Counter("worker_tasks_total", "Messages handled by outcome", ["domain", "outcome"])
TASK_SECONDS = Histogram(
    "worker_task_seconds",
    "Handler run time",
    ["domain", "task_type"],
    buckets=(0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300),
)

ALERT_PREFETCH = 4
SHUTDOWN_GRACE_S = 30.0
_STRIP_ON_REPUBLISH = (
    "x-delivery-count",
    "x-death",
    "x-first-death-exchange",
    "x-first-death-queue",
    "x-first-death-reason",
    "x-last-death-exchange",
    "x-last-death-queue",
    "x-last-death-reason",
)


class ConnectionUnavailable(RuntimeError):
    """The consumer's connection is down; the caller's work will be redelivered."""


# --- outcomes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ack:
    note: str = "completed"


@dataclass(frozen=True)
class Requeue:
    note: str


@dataclass(frozen=True)
class Retry:
    delay_s: int
    retry_count: int
    error: str


@dataclass(frozen=True)
class DeadLetter:
    reason: str
    detail: str


Outcome = Ack | Requeue | Retry | DeadLetter


def _header_int(headers: dict[str, Any], name: str) -> int:
    try:
        return int(headers.get(name) or 0)
    except (TypeError, ValueError):
        return 0


def _short(text: str, limit: int = 1000) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


class VhostConsumer:
    def __init__(
        self,
        settings: Settings,
        vhost: str,
        *,
        store: Store | None = None,
        concurrency: int | None = None,
        prefetch: int | None = None,
        dispatcher: Any | None = None,
        shutdown_grace_s: float = SHUTDOWN_GRACE_S,
        heartbeat_s: int = 30,
    ) -> None:
        self.settings = settings
        self.vhost = vhost
        self.domain = topology.domain_for_vhost(vhost, settings.vhost_prefix)
        self.concurrency = concurrency or settings.worker_concurrency
        self.prefetch = max(prefetch or settings.worker_prefetch, self.concurrency)
        self.shutdown_grace_s = shutdown_grace_s
        self.heartbeat_s = heartbeat_s
        self.store = store or Store(settings.database_url)
        self._own_store = store is None
        self.dispatcher = dispatcher
        self.log = log.bind(vhost=vhost)
        self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix=f"handler-{self.domain}")
        self._alert_pool = ThreadPoolExecutor(ALERT_PREFETCH, thread_name_prefix=f"parked-{self.domain}")
        self._stop = threading.Event()
        self.connected = threading.Event()
        self._conn: pika.BlockingConnection | None = None
        self._consumers: list[tuple[Any, str]] = []
        self._consume_ch: Any = None
        self._alert_ch: Any = None
        self._pub_ch: Any = None
        self._conn_gen = 0
        self._pending: set[Future[Any]] = set()
        self._pending_lock = threading.Lock()
        self._inflight = 0
        self._inflight_lock = threading.Lock()
        # Plain acks of completed tasks, waiting for the connection thread (see _ack_soon).
        self._acks: list[tuple[int, Any, int]] = []
        self._acks_lock = threading.Lock()
        self._ack_flush_scheduled = False

    # --- lifecycle ----------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask the consumer to stop: no new messages, in-flight ones finish (or are requeued)."""
        self._stop.set()

    @property
    def inflight(self) -> int:
        with self._inflight_lock:
            return self._inflight

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
            self._pool.shutdown(wait=True, cancel_futures=False)
            self._alert_pool.shutdown(wait=True, cancel_futures=False)
            if self.dispatcher is not None and hasattr(self.dispatcher, "shutdown"):
                self.dispatcher.shutdown(wait=True)
            if self._own_store:
                self.store.close()
            self.log.info("consumer_stopped")

    def _connect(self) -> None:
        params = []
        for url in self.settings.rabbitmq_urls:
            p = pika.URLParameters(vhost_url(url, self.vhost))
            p.heartbeat = self.heartbeat_s
            p.blocked_connection_timeout = 60
            p.connection_attempts = 1
            p.socket_timeout = self.settings.broker_connect_timeout_s
            p.client_properties = {"connection_name": f"gateway-worker-{self.domain}"}
            params.append(p)
        # pika tries the nodes of the list in order.
        self._conn = pika.BlockingConnection(params)
        self._conn_gen += 1
        self._consume_ch = self._conn.channel()
        self._consume_ch.basic_qos(prefetch_count=self.prefetch)
        self._alert_ch = self._conn.channel()
        self._alert_ch.basic_qos(prefetch_count=ALERT_PREFETCH)
        self._pub_ch = self._conn.channel()
        self._pub_ch.confirm_delivery()
        self._declare_delay_queues()
        gen = self._conn_gen
        self._consumers = [
            (
                self._consume_ch,
                self._consume_ch.basic_consume(
                    topology.EVENTS_QUEUE, lambda ch, m, p, b: self._on_message(gen, ch, m, p, b)
                ),
            ),
            (
                self._alert_ch,
                self._alert_ch.basic_consume(
                    topology.ALERTS_QUEUE, lambda ch, m, p, b: self._on_parked_alert(gen, ch, m, p, b)
                ),
            ),
        ]
        self.connected.set()
        self.log.info(
            "consuming", queue=topology.EVENTS_QUEUE, concurrency=self.concurrency, prefetch=self.prefetch
        )

    def _declare_delay_queues(self) -> None:
        """Make sure the delay queues of *this* configuration exist before anything is parked or
        retried there. Provisioning creates them too, but RETRY_DELAYS_S / ALERT_RETRY_DELAYS_S
        may have changed since; their names carry the delay, so declaring is always safe."""
        assert self._conn is not None
        ch = self._conn.channel()
        for ex in (topology.RETRY_EXCHANGE, topology.ALERTS_DELAY_EXCHANGE):
            ch.exchange_declare(ex, exchange_type="direct", durable=True)
        for q in topology.queues(self.settings.retry_delays, self.settings.alert_retry_delays):
            if q.bind_exchange in (topology.RETRY_EXCHANGE, topology.ALERTS_DELAY_EXCHANGE):
                ch.queue_declare(q.name, durable=True, arguments=q.arguments)
                ch.queue_bind(q.name, q.bind_exchange, routing_key=q.bind_key)
        ch.close()

    def _serve(self) -> None:
        assert self._conn is not None
        cancelled = False
        drain_deadline = 0.0
        while True:
            self._conn.process_data_events(time_limit=0.2)
            if not self._stop.is_set():
                continue
            if not cancelled:
                # Stop deliveries first; what the broker already sent us is finished (running
                # handlers) or handed back once (not started yet, see _work). Without the cancel a
                # handed-back message would come straight back, each round trip counting against
                # the queue's delivery limit.
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
        # Acks queued by handlers that finished just now go out before the connection closes.
        self._flush_acks()
        with contextlib.suppress(pika.exceptions.AMQPError, OSError):
            self._conn.close()

    def _on_disconnect(self) -> None:
        self.connected.clear()
        with self._acks_lock:
            # The broker requeues whatever this connection left unacked; these acks are void.
            self._acks, self._ack_flush_scheduled = [], False
        conn, self._conn = self._conn, None
        if conn is not None and conn.is_open:
            try:
                conn.close()
            except Exception as exc:  # already broken
                self.log.debug("close_failed", error=repr(exc))
        with self._pending_lock:
            pending, self._pending = self._pending, set()
        for fut in pending:
            if not fut.done():
                fut.set_exception(ConnectionUnavailable("connection to RabbitMQ lost"))

    # --- running code on the connection thread ------------------------------------------------

    def _ack_soon(self, gen: int, ch: Any, tag: int) -> None:
        """Ack a completed task without waiting for it: its status is already stored, and
        nothing else depends on the ack. The handler thread goes straight on to its next message,
        and acks that pile up meanwhile go out in one wake-up of the connection thread instead of
        one round trip each (measured with bench/worker_drain.py). Shutdown flushes what is left
        before closing; a lost connection voids them (the broker requeues, the store dedupes)."""
        with self._acks_lock:
            self._acks.append((gen, ch, tag))
            if self._ack_flush_scheduled:
                return
            self._ack_flush_scheduled = True
        conn = self._conn
        try:
            if conn is None or not conn.is_open:
                raise ConnectionUnavailable("not connected to RabbitMQ")
            conn.add_callback_threadsafe(self._flush_acks)
        except (pika.exceptions.ConnectionWrongStateError, ConnectionUnavailable) as exc:
            with self._acks_lock:
                self._ack_flush_scheduled = False
            self.log.warning("ack_lost_connection", error=str(exc))

    def _flush_acks(self) -> None:
        """Connection thread: send the queued acks."""
        with self._acks_lock:
            acks, self._acks, self._ack_flush_scheduled = self._acks, [], False
        for gen, ch, tag in acks:
            if gen != self._conn_gen or not ch.is_open:
                continue  # the broker already requeued it when that connection died
            try:
                ch.basic_ack(tag)
            except (pika.exceptions.AMQPError, OSError) as exc:
                self.log.warning("ack_lost_connection", error=repr(exc))
                return

    def _call_on_connection(self, fn: Callable[[], T], timeout: float = 60.0) -> T:
        conn = self._conn
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
                with self._pending_lock:
                    self._pending.discard(fut)

        with self._pending_lock:
            self._pending.add(fut)
        try:
            conn.add_callback_threadsafe(run)
        except pika.exceptions.ConnectionWrongStateError as exc:
            with self._pending_lock:
                self._pending.discard(fut)
            raise ConnectionUnavailable(str(exc)) from exc
        try:
            return fut.result(timeout)
        except FutureTimeout as exc:
            raise ConnectionUnavailable("RabbitMQ did not answer in time") from exc

    def publish(
        self,
        exchange: str,
        routing_key: str,
        body: bytes,
        headers: dict[str, Any] | None = None,
        properties: pika.BasicProperties | None = None,
    ) -> None:
        """Publish with a broker confirm, from any thread. Raises when not confirmed."""
        props = properties or pika.BasicProperties(
            content_type="application/json",
            delivery_mode=2,
            headers=headers or {},
            timestamp=int(time.time()),
        )

        def do() -> None:
            self._pub_ch.basic_publish(exchange, routing_key, body, props, mandatory=True)

        self._call_on_connection(do)

    # --- deliveries -----------------------------------------------------------------------------

    def _on_message(self, gen: int, ch: Any, method: Any, props: Any, body: bytes) -> None:
        with self._inflight_lock:
            self._inflight += 1
        self._pool.submit(self._work, gen, ch, method.delivery_tag, props, body)

    def _work(self, gen: int, ch: Any, tag: int, props: Any, body: bytes) -> None:
        try:
            if self._stop.is_set():
                outcome: Outcome = Requeue("shutting down before the handler started")
            else:
                with observability.consume_span(self.vhost, props):
                    outcome = self._process(props, body)
            self._finish(gen, ch, tag, props, body, outcome)
        except Exception as exc:  # never let a bug kill the pool thread silently
            self.log.error("finish_failed", error=repr(exc), traceback=traceback.format_exc())
        finally:
            with self._inflight_lock:
                self._inflight -= 1

    def _finish(self, gen: int, ch: Any, tag: int, props: Any, body: bytes, outcome: Outcome) -> None:
        TASKS.labels(self.domain, type(outcome).__name__.lower()).inc()
        observability.task_finished(self.domain, props, type(outcome).__name__.lower())
        if isinstance(outcome, Ack):
            self._ack_soon(gen, ch, tag)
            return

        def do() -> str:
            if gen != self._conn_gen or not ch.is_open:
                # The broker already requeued it when that connection died.
                return "stale"
            if isinstance(outcome, Requeue):
                ch.basic_nack(tag, requeue=True)
                return "requeued"
            try:
                if isinstance(outcome, Retry):
                    self._pub_ch.basic_publish(
                        topology.RETRY_EXCHANGE,
                        topology.retry_queue_name(outcome.delay_s),
                        body,
                        self._republish_props(
                            props,
                            {
                                topology.H_RETRY_COUNT: outcome.retry_count,
                                "x-last-error": _short(outcome.error, 500),
                            },
                        ),
                        mandatory=True,
                    )
                elif isinstance(outcome, DeadLetter):
                    self._pub_ch.basic_publish(
                        topology.DLX_EXCHANGE,
                        topology.DLQ_ROUTING_KEY,
                        body,
                        self._republish_props(
                            props,
                            {
                                topology.H_DEAD_LETTER_REASON: outcome.reason,
                                topology.H_DEAD_LETTER_ERROR: _short(outcome.detail),
                                topology.H_DEAD_LETTER_AT: datetime.now(UTC).isoformat(),
                                topology.H_ORIGINAL_TYPE: getattr(props, "type", None) or "",
                            },
                            keep_delivery_count=True,
                        ),
                        mandatory=True,
                    )
            except (pika.exceptions.UnroutableError, pika.exceptions.NackError) as exc:
                # Not safely stored elsewhere: give it back to the queue instead of losing it.
                self.log.error("republish_refused", error=repr(exc))
                ch.basic_nack(tag, requeue=True)
                return "requeued"
            ch.basic_ack(tag)
            return "acked"

        try:
            self._call_on_connection(do)
        except ConnectionUnavailable as exc:
            self.log.warning("ack_lost_connection", error=str(exc))

    @staticmethod
    def _republish_props(
        props: Any, extra: dict[str, Any], keep_delivery_count: bool = False
    ) -> pika.BasicProperties:
        headers = {
            k: v
            for k, v in (getattr(props, "headers", None) or {}).items()
            if keep_delivery_count or k not in _STRIP_ON_REPUBLISH
        }
        headers.update(extra)
        return pika.BasicProperties(
            content_type=getattr(props, "content_type", None) or "application/json",
            content_encoding=getattr(props, "content_encoding", None),
            delivery_mode=2,
            message_id=getattr(props, "message_id", None),
            correlation_id=getattr(props, "correlation_id", None),
            type=getattr(props, "type", None),
            timestamp=getattr(props, "timestamp", None),
            app_id=getattr(props, "app_id", None),
            headers=headers,
        )

    # --- the task state machine ---------------------------------------------------------------

    def _process(self, props: Any, body: bytes) -> Outcome:
        headers = getattr(props, "headers", None) or {}
        retry_count = _header_int(headers, topology.H_RETRY_COUNT)
        delivery_count = _header_int(headers, "x-delivery-count")
        generation = _header_int(headers, topology.H_REPLAY_GENERATION)
        attempt_key = retry_count * 1000 + delivery_count + 1

        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            return self._dead_letter(
                None, None, "invalid_json", f"body is not JSON: {exc}", generation=generation
            )
        if not isinstance(data, dict):
            return self._dead_letter(
                None,
                None,
                "invalid_envelope",
                f"body is a JSON {type(data).__name__}, not an envelope object",
                generation=generation,
            )
        task_id = data.get("task_id") if isinstance(data.get("task_id"), str) else None
        if "schema_version" in data and data.get("schema_version") != 1:
            return self._dead_letter(
                task_id,
                None,
                "unsupported_schema_version",
                f"schema_version {data.get('schema_version')!r} is not supported (1 is)",
                generation=generation,
            )
        try:
            envelope = Envelope.model_validate(data)
        except ValidationError as exc:
            return self._dead_letter(task_id, None, "invalid_envelope", _errors(exc), generation=generation)
        task_id = str(envelope.task_id)
        if envelope.domain != self.domain:
            return self._dead_letter(
                task_id,
                envelope,
                "wrong_domain",
                f"domain {envelope.domain!r} sent to vhost {self.vhost}",
                generation=generation,
            )
        try:
            handler = get_handler(envelope.domain, envelope.task_type)
        except HandlerNotFound as exc:
            return self._dead_letter(task_id, envelope, "unknown_task_type", str(exc), generation=generation)
        try:
            payload = handler.payload_model.model_validate(envelope.payload)
        except ValidationError as exc:
            return self._dead_letter(
                task_id, envelope, "invalid_payload", _errors(exc), generation=generation
            )
        if delivery_count >= topology.WORKER_REDELIVERY_LIMIT:
            return self._dead_letter(
                task_id,
                envelope,
                "delivery_limit",
                f"delivered {delivery_count + 1} times without being acknowledged "
                "(the worker probably crashed or lost its connection while handling it)",
                generation=generation,
            )

        log_ = self.log.bind(
            task_id=task_id,
            task_type=envelope.task_type,
            attempt=attempt_key,
            tenant=envelope.tenant_id,
            correlation_id=envelope.correlation_id,
        )

        def store_down(exc: StoreUnavailable) -> Outcome:
            # Nothing can be recorded: retry later through the delay queue without a status.
            return self._retry_or_dead_letter(
                task_id,
                envelope,
                retry_count,
                attempt_key,
                generation,
                f"task store unavailable: {exc}",
                record=False,
            )

        try:
            applied, current = self.store.transition(
                task_id,
                "processing",
                progress_for("processing", attempt_key=attempt_key, generation=generation),
                ensure=_row_for(envelope),
            )
        except StoreUnavailable as exc:
            return store_down(exc)
        if not applied:
            status = (current or {}).get("status")
            log_.info("duplicate_delivery_skipped", current_status=status)
            return Ack(f"skipped: task already {status}")

        ctx = TaskContext(
            envelope=envelope,
            settings=self.settings,
            attempt=attempt_key,
            log=log_,
            emit=self._emitter(envelope),
        )
        started = time.perf_counter()
        try:
            with observability.handler_span(envelope.domain, envelope.task_type, task_id):
                result = handler.fn(ctx, payload)
        except PermanentError as exc:
            self._wait_alerts(ctx, log_)
            return self._dead_letter(
                task_id,
                envelope,
                "handler_permanent_error",
                f"{type(exc).__name__}: {exc}",
                generation=generation,
            )
        except Exception as exc:
            log_.warning("handler_failed", error=repr(exc), traceback=traceback.format_exc(limit=5))
            self._wait_alerts(ctx, log_)
            return self._retry_or_dead_letter(
                task_id, envelope, retry_count, attempt_key, generation, f"{type(exc).__name__}: {exc}"
            )
        finally:
            TASK_SECONDS.labels(self.domain, envelope.task_type).observe(time.perf_counter() - started)

        if not self._wait_alerts(ctx, log_):
            # An alert could be neither delivered nor parked (broker trouble): do not ack, so the
            # task runs again; its delivered alerts are not resent (store + Idempotency-Key).
            return Requeue("alerts could not be delivered or parked")
        try:
            self.store.transition(
                task_id, "completed", progress_for("completed", generation=generation), result=result
            )
        except StoreUnavailable as exc:
            return store_down(exc)
        log_.info("task_completed", seconds=round(time.perf_counter() - started, 3))
        return Ack()

    def _emitter(self, envelope: Envelope) -> Any:
        dispatcher = self.dispatcher
        if dispatcher is None:
            return None
        from workers.alert_dispatch import TaskInfo

        def emit(
            spec: Any, patient_id: str, conversation_id: str | None, message_id: str | None
        ) -> Future[str]:
            info = TaskInfo(
                task_id=str(envelope.task_id),
                tenant_id=envelope.tenant_id,
                patient_id=patient_id,
                conversation_id=conversation_id,
                message_id=message_id,
            )
            return dispatcher.emit(info, spec)  # type: ignore[no-any-return]

        return emit

    def _wait_alerts(self, ctx: TaskContext, log_: Any) -> bool:
        budget = self.settings.alert_inline_budget_s + 30
        ok = True
        for fut in ctx.alert_futures:
            try:
                state = fut.result(timeout=budget)
                log_.info("alert_settled", state=state)
            except Exception as exc:
                log_.error("alert_not_settled", error=repr(exc))
                ok = False
        return ok

    def _retry_or_dead_letter(
        self,
        task_id: str,
        envelope: Envelope,
        retry_count: int,
        attempt_key: int,
        generation: int,
        error: str,
        record: bool = True,
    ) -> Outcome:
        if retry_count >= self.settings.worker_max_retries:
            return self._dead_letter(
                task_id,
                envelope,
                "max_retries_exceeded",
                f"failed {retry_count + 1} times; last error: {error}",
                generation=generation,
            )
        delay = topology.retry_delay_for(retry_count + 1, self.settings.retry_delays)
        if record:
            try:
                self.store.transition(
                    task_id,
                    "retrying",
                    progress_for("retrying", attempt_key=attempt_key, generation=generation),
                    error=_short(error),
                )
            except StoreUnavailable as exc:
                self.log.warning("store_unavailable", task_id=task_id, error=str(exc))
        self.log.info(
            "task_retry_scheduled",
            task_id=task_id,
            retry=retry_count + 1,
            delay_s=delay,
            error=_short(error, 300),
        )
        return Retry(delay_s=delay, retry_count=retry_count + 1, error=error)

    def _dead_letter(
        self, task_id: str | None, envelope: Envelope | None, reason: str, detail: str, generation: int = 0
    ) -> DeadLetter:
        self.log.warning("task_dead_lettered", task_id=task_id, reason=reason, detail=_short(detail, 300))
        if task_id:
            try:
                # Only a task the store knows (or whose tenant we know) gets a status.
                self.store.transition(
                    task_id,
                    "dead_lettered",
                    progress_for("dead_lettered", generation=generation),
                    error=_short(f"{reason}: {detail}"),
                    ensure=_row_for(envelope) if envelope else None,
                )
            except StoreUnavailable as exc:
                self.log.warning("store_unavailable", task_id=task_id, error=str(exc))
            except Exception as exc:  # a malformed task_id must not stop dead-lettering
                self.log.warning("dead_letter_status_not_recorded", task_id=task_id, error=repr(exc))
        return DeadLetter(reason, detail)

    # --- parked alerts --------------------------------------------------------------------------

    def _on_parked_alert(self, gen: int, ch: Any, method: Any, props: Any, body: bytes) -> None:
        with self._inflight_lock:
            self._inflight += 1
        self._alert_pool.submit(self._work_parked, gen, ch, method.delivery_tag, body)

    def _work_parked(self, gen: int, ch: Any, tag: int, body: bytes) -> None:
        requeue = False
        try:
            if self._stop.is_set():
                requeue = True
            elif self.dispatcher is None:
                requeue = True
                self._stop.wait(5)  # nobody here can deliver it; do not spin on it
            else:
                self.dispatcher.handle_parked(body)
        except Exception as exc:
            self.log.error("parked_alert_failed", error=repr(exc))
            requeue = True
            self._stop.wait(1)  # the broker or store is in trouble; do not spin

        def do() -> None:
            if gen != self._conn_gen or not ch.is_open:
                return
            if requeue:
                ch.basic_nack(tag, requeue=True)
            else:
                ch.basic_ack(tag)

        try:
            self._call_on_connection(do)
        except ConnectionUnavailable as exc:
            self.log.warning("parked_ack_lost_connection", error=str(exc))
        finally:
            with self._inflight_lock:
                self._inflight -= 1


def _row_for(envelope: Envelope | None) -> dict[str, Any] | None:
    if envelope is None:
        return None
    return Store.new_task_row(
        task_id=str(envelope.task_id),
        tenant_id=envelope.tenant_id,
        domain=envelope.domain,
        task_type=envelope.task_type,
        created_at=envelope.created_at,
        correlation_id=envelope.correlation_id,
        idempotency_key=None,
        request_hash=None,
    )


def _errors(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:10]:
        loc = ".".join(str(x) for x in err.get("loc", ()))
        parts.append(f"{loc}: {err.get('msg')}")
    return "; ".join(parts)
