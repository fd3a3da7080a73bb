"""One vhost's worker: a `PikaTransport` feeding the two stages and the parked alerts (SPEC §6).

    eventos     ──> rules pool (WORKER_CONCURRENCY)  TaskProcessor      → ack / retry / DLQ / forward
    eventos.ia  ──> LLM pool (WORKER_LLM_CONCURRENCY) LlmStageProcessor → ack (result enriched)
    alertas     ──> parked-alert pool                 AlertDispatcher.handle_parked

Each queue has its own channel, prefetch and threads, so a crew that takes a minute, or an LLM
endpoint that never answers, holds only LLM threads: a nurse's rules alert never waits for them.
Outcomes go out as: Ack → batched ack; Retry → publish to the delay queue, then ack; DeadLetter →
publish to eventos.dlx, then ack; Forward → publish to eventos.ia, then ack; Requeue → nack.
Every publish is confirmed before its ack, so a message is never lost between the two; a crash
in between can only duplicate, and the store makes duplicates harmless.
"""

from __future__ import annotations

import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import orjson
import pika
from prometheus_client import Counter, Histogram

from shared import provision, topology
from shared.config import Settings
from shared.logs import get_logger
from shared.republish import republish_properties, short
from shared.store import Store
from workers import observability
from workers.batch_pool import BatchPool
from workers.llm_stage import LlmStageProcessor
from workers.processor import Ack, DeadLetter, Forward, Outcome, Requeue, Retry, TaskProcessor
from workers.transport import ConnectionUnavailable, Delivery, PikaTransport

__all__ = ["ConnectionUnavailable", "VhostConsumer"]

log = get_logger("workers.consumer")

TASKS = Counter("worker_tasks_total", "Messages handled by outcome", ["domain", "outcome"])
TASK_SECONDS = Histogram(
    "worker_task_seconds",
    "Run time of a message in a stage",
    ["domain", "stage"],
    buckets=(0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300),
)

ALERT_PREFETCH = 4
# Deliveries one rules thread takes at once (see BatchPool): one store transaction per status.
MAX_BATCH = 64
SHUTDOWN_GRACE_S = 30.0


class VhostConsumer:
    def __init__(
        self,
        settings: Settings,
        vhost: str,
        *,
        store: Store | None = None,
        concurrency: int | None = None,
        prefetch: int | None = None,
        llm_concurrency: int | None = None,
        dispatcher: Any | None = None,
        shutdown_grace_s: float = SHUTDOWN_GRACE_S,
        heartbeat_s: int = 30,
        stage: str = "all",
    ) -> None:
        """`stage`: "all" consumes every queue of the vhost; "rules" (`eventos`, `alertas`) and
        "llm" (`eventos.ia`) split them over two processes."""
        self.settings = settings
        self.vhost = vhost
        self.domain = topology.domain_for_vhost(vhost, settings.vhost_prefix)
        self.concurrency = concurrency or settings.worker_concurrency
        self.prefetch = (
            max(prefetch, self.concurrency)
            if prefetch
            else settings.worker_prefetch_for(self.domain, self.concurrency)
        )
        self.llm_enabled = settings.llm_enabled
        self.llm_concurrency = llm_concurrency or settings.worker_llm_concurrency
        self.store = store or Store(settings.database_url)
        self.own_store = store is None
        self.log = log.bind(vhost=vhost)
        self.transport = PikaTransport(
            settings,
            vhost,
            connection_name=f"gateway-worker-{self.domain}-{stage}",
            heartbeat_s=heartbeat_s,
            shutdown_grace_s=shutdown_grace_s,
            declare=lambda ch: provision.declare_worker_queues(ch, settings),
        )
        self.processor = TaskProcessor(
            settings, self.domain, self.store, llm_stage=self.llm_enabled, vhost=vhost
        )
        self.llm_processor = LlmStageProcessor(settings, self.domain, self.store, vhost=vhost)
        self.dispatcher = dispatcher
        self._pool: BatchPool[Delivery] = BatchPool(
            self.concurrency, MAX_BATCH, self._run_rules_batch, name=f"rules-{self.domain}"
        )
        self._llm_pool = ThreadPoolExecutor(self.llm_concurrency, thread_name_prefix=f"llm-{self.domain}")
        self._alert_pool = ThreadPoolExecutor(ALERT_PREFETCH, thread_name_prefix=f"parked-{self.domain}")
        if stage in ("all", "rules"):
            self.transport.subscribe(topology.EVENTS_QUEUE, self.prefetch, self._on_task)
        if self.llm_enabled and stage in ("all", "llm"):
            self.transport.subscribe(topology.LLM_QUEUE, self.llm_concurrency, self._on_llm_task)
        if stage in ("all", "rules"):
            self.transport.subscribe(topology.ALERTS_QUEUE, ALERT_PREFETCH, self._on_parked_alert)

    # --- wiring and state -----------------------------------------------------------------------

    @property
    def dispatcher(self) -> Any | None:
        return self._dispatcher

    @dispatcher.setter
    def dispatcher(self, value: Any | None) -> None:
        self._dispatcher = value
        self.processor.dispatcher = value
        self.llm_processor.dispatcher = value

    @property
    def connected(self) -> threading.Event:
        return self.transport.connected

    @property
    def connection_generation(self) -> int:
        """Grows with every (re)connection to the broker."""
        return self.transport.generation

    @property
    def connection_open(self) -> bool:
        return self.transport.is_open

    @property
    def inflight(self) -> int:
        return self.transport.inflight

    def stop(self) -> None:
        """No new messages; in-flight ones finish (or are requeued)."""
        self.transport.stop()

    def run(self) -> None:
        try:
            self.transport.run()
        finally:
            self._pool.shutdown(wait=True)
            self._llm_pool.shutdown(wait=True, cancel_futures=False)
            self._alert_pool.shutdown(wait=True, cancel_futures=False)
            if self._dispatcher is not None and hasattr(self._dispatcher, "shutdown"):
                self._dispatcher.shutdown(wait=True)
            if self.own_store:
                self.store.close()
            self.log.info("consumer_stopped")

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
        self.transport.publish(exchange, routing_key, body, props)

    # --- the stages -----------------------------------------------------------------------------

    def _on_task(self, batch: list[Delivery]) -> None:
        self._pool.put_many(batch)

    def _run_rules_batch(self, batch: list[Delivery]) -> None:
        """Rules-only work runs right here on the pool thread; only an alert's HTTP delivery goes
        to other threads (the dispatcher's)."""
        outcomes: list[Outcome]
        if self.transport.stopping:
            outcomes = [Requeue("shutting down before the handler started")] * len(batch)
        else:
            started = time.perf_counter()
            try:
                outcomes = self.processor.process_many([(d.body, d.headers) for d in batch])
            except Exception as exc:  # never lose the messages to a bug: they come back
                self.log.error(
                    "stage_failed", stage="rules", error=repr(exc), traceback=traceback.format_exc()
                )
                outcomes = [Requeue(f"unexpected error: {exc!r}")] * len(batch)
            TASK_SECONDS.labels(self.domain, "rules").observe((time.perf_counter() - started) / len(batch))
        self._send_replies(batch, outcomes)
        acks = [d for d, o in zip(batch, outcomes, strict=True) if isinstance(o, Ack)]
        if acks:
            TASKS.labels(self.domain, "ack").inc(len(acks))
            for d in acks:
                observability.task_finished(self.domain, d.properties, "ack")
            self.transport.ack_many(acks)
        for d, outcome in zip(batch, outcomes, strict=True):
            if not isinstance(outcome, Ack):
                self._carry_out(d, outcome)

    def _on_llm_task(self, batch: list[Delivery]) -> None:
        for d in batch:
            self._llm_pool.submit(self._run_llm_stage, d)

    def _run_llm_stage(self, d: Delivery) -> None:
        try:
            if self.transport.stopping:
                outcome: Outcome = Requeue("shutting down before the LLM stage started")
            else:
                started = time.perf_counter()
                outcome = self.llm_processor.process(d.body, d.headers)
                TASK_SECONDS.labels(self.domain, "llm").observe(time.perf_counter() - started)
        except Exception as exc:  # never let a bug kill the pool thread silently, nor lose the message
            self.log.error("stage_failed", stage="llm", error=repr(exc), traceback=traceback.format_exc())
            outcome = Requeue(f"unexpected error: {exc!r}")
        if isinstance(outcome, Requeue) and not self.transport.stopping:
            self.transport.wait_stopping(1.0)  # the store or broker is in trouble: do not spin
        self._send_replies([d], [outcome])
        self._carry_out(d, outcome)

    def _send_replies(self, batch: list[Delivery], outcomes: list[Outcome]) -> None:
        """Answers for publishers waiting on `reply_to` (the agent route), sent before the acks:
        the outcomes exist only once results are stored and alerts settled."""
        replies = []
        for d, outcome in zip(batch, outcomes, strict=True):
            reply = getattr(outcome, "reply", None)
            reply_to = getattr(d.properties, "reply_to", None)
            if reply is not None and reply_to:
                replies.append((reply_to, str(reply["taskId"]), orjson.dumps(reply)))
        self.transport.send_replies(replies)

    def _carry_out(self, d: Delivery, outcome: Outcome) -> None:
        TASKS.labels(self.domain, type(outcome).__name__.lower()).inc()
        observability.task_finished(self.domain, d.properties, type(outcome).__name__.lower())
        t = self.transport
        if isinstance(outcome, Ack):
            t.ack(d)
        elif isinstance(outcome, Requeue):
            t.nack(d, requeue=True)
        elif isinstance(outcome, Retry):
            extra = {topology.H_RETRY_COUNT: outcome.retry_count, "x-last-error": short(outcome.error, 500)}
            t.publish_then_ack(
                d,
                topology.RETRY_EXCHANGE,
                topology.retry_queue_name(outcome.delay_s),
                d.body,
                republish_properties(d.properties, extra),
            )
        elif isinstance(outcome, DeadLetter):
            extra = {
                topology.H_DEAD_LETTER_REASON: outcome.reason,
                topology.H_DEAD_LETTER_ERROR: short(outcome.detail),
                topology.H_DEAD_LETTER_AT: datetime.now(UTC).isoformat(),
                topology.H_ORIGINAL_TYPE: getattr(d.properties, "type", None) or "",
            }
            t.publish_then_ack(
                d,
                topology.DLX_EXCHANGE,
                topology.DLQ_ROUTING_KEY,
                d.body,
                republish_properties(d.properties, extra, keep_broker_headers=True),
            )
        elif isinstance(outcome, Forward):
            t.publish_then_ack(
                d, "", outcome.queue, d.body, republish_properties(d.properties, outcome.headers)
            )

    # --- parked alerts ----------------------------------------------------------------------------

    def _on_parked_alert(self, batch: list[Delivery]) -> None:
        for d in batch:
            self._alert_pool.submit(self._work_parked, d)

    def _work_parked(self, d: Delivery) -> None:
        requeue = False
        try:
            if self.transport.stopping:
                requeue = True
            elif self._dispatcher is None:
                requeue = True
                self.transport.wait_stopping(5)  # nobody here can deliver it; do not spin on it
            else:
                self._dispatcher.handle_parked(d.body)
        except Exception as exc:
            self.log.error("parked_alert_failed", error=repr(exc))
            requeue = True
            self.transport.wait_stopping(1)  # the broker or store is in trouble; do not spin
        if requeue:
            self.transport.nack(d, requeue=True)
        else:
            self.transport.ack(d)
