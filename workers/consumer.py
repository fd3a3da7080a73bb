"""One vhost's worker: a `Transport` feeding the two stages and the parked alerts (docs/workers.md).

    eventos     ──> rules batch pool (WORKER_CONCURRENCY) RulesStage → ack / retry / DLQ / forward
    eventos.ia  ──> LLM pool (WORKER_LLM_CONCURRENCY)      LlmStage   → ack (result enriched)
    alertas     ──> parked-alert pool                      AlertDispatcher.handle_parked
    seguimento  ──> parked-alert pool                      FollowUps.handle (NO_RESPONSE)

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
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, Protocol

import orjson
from prometheus_client import Counter, Histogram

from shared import topology
from shared.logs import get_logger
from shared.republish import republish_properties, short
from workers import observability
from workers.batch_pool import BatchPool
from workers.stages import Ack, DeadLetter, Forward, LlmStage, Outcome, Requeue, Retry, RulesStage
from workers.transport import ConnectionUnavailable, Delivery, Transport

__all__ = ["ConnectionUnavailable", "ParkedAlerts", "VhostConsumer"]

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
# A rules batch whose handlers took less than this per message on average: the next batches take
# up to `prefetch / concurrency` messages even when fewer wait per thread (BatchPool.min_batch).
FAST_HANDLER_S = 0.005


class ParkedAlerts(Protocol):
    """What retries a parked alert (workers.alert_dispatch.AlertDispatcher)."""

    def handle_parked(self, body: bytes) -> None: ...


class FollowUpHandler(Protocol):
    """What checks a red-flag question whose wait is over (workers.followup.FollowUps)."""

    def handle(self, body: bytes) -> str: ...


class VhostConsumer:
    """Feeds a transport's deliveries to the stages and carries their outcomes out. Built by
    `workers.worker.build_consumer`: a `rules` stage consumes `eventos` and `alertas` (the
    process role "all" or "rules"), an `llm` stage consumes `eventos.ia` ("all" or "llm")."""

    def __init__(
        self,
        vhost: str,
        domain: str,
        transport: Transport,
        *,
        rules: RulesStage | None,
        llm: LlmStage | None,
        parked: ParkedAlerts | None,
        followups: FollowUpHandler | None = None,
        concurrency: int,
        prefetch: int,
        llm_concurrency: int,
        on_stopped: Sequence[Callable[[], None]] = (),
    ) -> None:
        """`on_stopped`: run in order once the pools have drained (alert delivery, the store)."""
        self.vhost = vhost
        self.domain = domain
        self.transport = transport
        self.rules = rules
        self.llm = llm
        self.parked = parked
        self.followups = followups
        self.concurrency = concurrency
        self.llm_concurrency = llm_concurrency
        self.on_stopped = tuple(on_stopped)
        self.log = log.bind(vhost=vhost)
        self._pool: BatchPool[Delivery] = BatchPool(
            concurrency, MAX_BATCH, self._run_rules_batch, name=f"rules-{domain}"
        )
        self._fast_batch = max(1, min(MAX_BATCH, prefetch // concurrency))
        self._llm_pool = ThreadPoolExecutor(llm_concurrency, thread_name_prefix=f"llm-{domain}")
        self._alert_pool = ThreadPoolExecutor(ALERT_PREFETCH, thread_name_prefix=f"parked-{domain}")
        if rules is not None:
            transport.subscribe(topology.EVENTS_QUEUE, prefetch, self._on_task)
        if llm is not None:
            transport.subscribe(topology.LLM_QUEUE, llm_concurrency, self._on_llm_task)
        if rules is not None:
            transport.subscribe(topology.ALERTS_QUEUE, ALERT_PREFETCH, self._on_parked_alert)
            transport.subscribe(topology.FOLLOWUP_QUEUE, ALERT_PREFETCH, self._on_followup)

    # --- state ----------------------------------------------------------------------------------

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
            for stopped in self.on_stopped:
                stopped()
            self.log.info("consumer_stopped")

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
                assert self.rules is not None  # only subscribed with a rules stage
                outcomes, handlers_s = self.rules.process_batch(
                    [(d.body, d.headers) for d in batch], defer=True
                )
            except Exception as exc:  # never lose the messages to a bug: they come back
                self.log.error(
                    "stage_failed", stage="rules", error=repr(exc), traceback=traceback.format_exc()
                )
                outcomes = [Requeue(f"unexpected error: {exc!r}")] * len(batch)
                handlers_s = time.perf_counter() - started
            TASK_SECONDS.labels(self.domain, "rules").observe((time.perf_counter() - started) / len(batch))
            # Slow handlers (an inline crew) spread one per thread. Judged by the handlers alone:
            # a store that answers slowly (PostgreSQL on a busy machine) is no reason to spread,
            # which would only multiply the transactions (docs/workers.md, "Group commit").
            self._pool.min_batch = self._fast_batch if handlers_s / len(batch) < FAST_HANDLER_S else 1
        acks, others, later = [], [], []
        for d, outcome in zip(batch, outcomes, strict=True):
            if not isinstance(outcome, Ack):
                others.append((d, outcome))
            elif outcome.after and not all(f.done() for f in outcome.after):
                later.append((d, outcome.after))
            elif any(f.exception() is not None for f in outcome.after):
                others.append((d, Requeue("an alert could not be delivered or parked")))
            else:
                acks.append(d)
        if acks:
            TASKS.labels(self.domain, "ack").inc(len(acks))
            observability.tasks_finished(self.domain, [d.properties for d in acks], "ack")
        # The replies and the acks in one wake-up of the connection thread (docs/agent-message.md,
        # "Sixth session"); the replies first.
        self._send_replies(batch, outcomes, acks)
        for d, after in later:
            self._ack_when_settled(d, after)
        # Then the broker work the replies must not queue behind (a follow-up's confirmed publish,
        # a retry's or a hand-off's).
        for outcome in outcomes:
            for start in getattr(outcome, "then", ()):
                start()
        for d, outcome in others:
            self._carry_out(d, outcome)

    def _ack_when_settled(self, d: Delivery, futures: tuple[Future[Any], ...]) -> None:
        """Ack once every alert of the task is delivered, failed for good or parked; requeue when
        one could not be (the redelivery finds the task completed and sends its pending alerts
        again, under the same Idempotency-Key). The pool thread goes on meanwhile: the reply is
        out and the result stored (docs/agent-message.md)."""
        left = [len(futures)]
        lock = threading.Lock()

        def settled(_fut: Future[Any]) -> None:
            with lock:
                left[0] -= 1
                if left[0]:
                    return
            failed = any(f.exception() is not None for f in futures)
            self._carry_out(d, Requeue("an alert could not be delivered or parked") if failed else Ack())

        for fut in futures:
            fut.add_done_callback(settled)

    def _on_llm_task(self, batch: list[Delivery]) -> None:
        for d in batch:
            self._llm_pool.submit(self._run_llm_stage, d)

    def _run_llm_stage(self, d: Delivery) -> None:
        try:
            if self.transport.stopping:
                outcome: Outcome = Requeue("shutting down before the LLM stage started")
            else:
                started = time.perf_counter()
                assert self.llm is not None  # only subscribed with an LLM stage
                outcome = self.llm.process(d.body, d.headers)
                TASK_SECONDS.labels(self.domain, "llm").observe(time.perf_counter() - started)
        except Exception as exc:  # never let a bug kill the pool thread silently, nor lose the message
            self.log.error("stage_failed", stage="llm", error=repr(exc), traceback=traceback.format_exc())
            outcome = Requeue(f"unexpected error: {exc!r}")
        if isinstance(outcome, Requeue) and not self.transport.stopping:
            self.transport.wait_stopping(1.0)  # the store or broker is in trouble: do not spin
        self._send_replies([d], [outcome])
        self._carry_out(d, outcome)

    def _send_replies(
        self, batch: list[Delivery], outcomes: list[Outcome], acks: list[Delivery] | None = None
    ) -> None:
        """Answers for publishers waiting on `reply_to` (the agent route), sent before the acks
        (`acks`: those of the batch that go with them): the outcomes exist only once results are
        stored (an alert's POST may still be under way: `Ack.after`)."""
        replies = []
        for d, outcome in zip(batch, outcomes, strict=True):
            reply = getattr(outcome, "reply", None)
            reply_to = getattr(d.properties, "reply_to", None)
            if reply is not None and reply_to:
                replies.append((reply_to, str(reply["taskId"]), orjson.dumps(reply)))
        self.transport.send_replies(replies, acks or [])

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

    def _on_followup(self, batch: list[Delivery]) -> None:
        for d in batch:
            self._alert_pool.submit(self._work_followup, d)

    def _work_parked(self, d: Delivery) -> None:
        self._work_side(d, self.parked.handle_parked if self.parked is not None else None, "parked_alert")

    def _work_followup(self, d: Delivery) -> None:
        self._work_side(d, self.followups.handle if self.followups is not None else None, "followup")

    def _work_side(self, d: Delivery, handle: Callable[[bytes], object] | None, what: str) -> None:
        """A parked alert or a follow-up: acked once handled, requeued when it could not be."""
        requeue = False
        try:
            if self.transport.stopping:
                requeue = True
            elif handle is None:
                requeue = True
                self.transport.wait_stopping(5)  # nobody here can handle it; do not spin on it
            else:
                handle(d.body)
        except Exception as exc:
            self.log.error(f"{what}_failed", error=repr(exc))
            requeue = True
            self.transport.wait_stopping(1)  # the broker or store is in trouble; do not spin
        if requeue:
            self.transport.nack(d, requeue=True)
        else:
            self.transport.ack(d)
