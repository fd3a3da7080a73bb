"""The rules stage: the task state machine, with no broker in it (docs/workers.md).

`RulesStage.process_many(deliveries)` turns each delivery into an `Outcome` and the store writes
that go with it; the consumer carries the outcome out (ack, delayed retry, dead-letter, hand-off
to the LLM stage). Per message:

    parse → validate envelope → find handler → validate payload       (permanent error: DLQ now)
    store "processing" (attempt counted)   — refused when the task is already completed: no-op
    run handler (rules); alerts it emits are delivered on the dispatcher's threads
    wait until every alert is delivered, failed for good, or durably parked
    store "completed" + result → ack, or → forward to the LLM stage queue, then ack
    transient error → store "retrying" → Retry (a delay queue dead-letters it back)
    after WORKER_MAX_RETRIES retries, or redelivered too often (crashes) → DeadLetter with the reason
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shared import topology
from shared.config import Settings
from shared.logs import get_logger
from shared.messages import Envelope
from shared.republish import short
from shared.store import Store, StoreUnavailable, progress_for
from workers import observability
from workers.context import HandlerMode, TaskContext
from workers.registry import PermanentError
from workers.stages.delivery import (
    AlertEmitter,
    Parsed,
    Rejected,
    bind_task,
    header_int,
    llm_estado,
    make_context,
    parse,
    reply_for,
    row_for,
    wait_alerts,
)
from workers.stages.outcomes import Ack, DeadLetter, Forward, Outcome, Requeue, Retry

log = get_logger("workers.stages.rules")


@dataclass
class _Work:
    """One delivery on its way through `process_many`."""

    parsed: Any  # a Parsed; None only when `outcome` is already set
    retry_count: int
    generation: int
    attempt_key: int
    log: Any
    outcome: Outcome | None = None
    ctx: TaskContext | None = None
    result: Any = None
    started: float = 0.0
    headers: Mapping[str, Any] = field(default_factory=dict)

    @property
    def task_id(self) -> str:
        return self.parsed.task_id


class RulesStage:
    """The rules stage. `llm_stage=True` when a second stage consumes `eventos.ia`: handlers then
    leave their LLM part to it (`TaskContext.mode == "rules"`)."""

    def __init__(
        self,
        settings: Settings,
        domain: str,
        store: Store,
        *,
        dispatcher: AlertEmitter | None = None,
        llm_stage: bool = False,
        vhost: str | None = None,
    ) -> None:
        self.settings = settings
        self.domain = domain
        self.vhost = vhost or topology.vhost_for(domain, settings.vhost_prefix)
        self.store = store
        self.dispatcher = dispatcher
        self.llm_stage = llm_stage
        self.log = log.bind(vhost=self.vhost)

    def process(self, body: bytes, headers: Mapping[str, Any] | None = None) -> Outcome:
        return self.process_many([(body, headers)])[0]

    def process_many(self, deliveries: list[tuple[bytes, Mapping[str, Any] | None]]) -> list[Outcome]:
        """The outcomes of several deliveries, in order. Their `processing` writes go to the store
        together, and so do their `completed` writes (one transaction each: group commit); the
        handlers run one after the other on the calling thread."""
        works = [self._prepare(body, headers or {}) for body, headers in deliveries]
        started = [w for w in works if w.outcome is None]
        if started:
            try:
                answers = self.store.start_many(
                    [
                        (
                            w.task_id,
                            progress_for("processing", attempt_key=w.attempt_key, generation=w.generation),
                            row_for(w.parsed.envelope),
                        )
                        for w in started
                    ]
                )
            except Exception as exc:
                for w in started:
                    w.outcome = self._store_failed(w, exc)
                answers = []
            running = []
            for w, (applied, current) in zip(started, answers, strict=False):
                if applied:
                    running.append(w)
                else:
                    w.outcome = self._duplicate(w, current)
            finishing = [w for w in running if self._run(w)]
            if finishing:
                try:
                    self.store.complete_many(
                        [
                            (w.task_id, progress_for("completed", generation=w.generation), w.result)
                            for w in finishing
                        ]
                    )
                except Exception as exc:
                    for w in finishing:
                        w.outcome = self._store_failed(w, exc)
                    finishing = []
            for w in finishing:
                assert w.ctx is not None
                # With an LLM stage to come, this answer is preliminary: the crew may still write
                # the reply to the patient (docs/agent-message.md).
                reply = reply_for(
                    self.store, w.parsed, w.result, final=not w.ctx.llm_pending, log_=w.log, ctx=w.ctx
                )
                w.outcome = (
                    Forward(topology.LLM_QUEUE, reply=reply) if w.ctx.llm_pending else Ack(reply=reply)
                )
            if finishing:
                # One line per batch: a line per task cost more CPU than the rules themselves.
                self.log.info(
                    "tasks_completed",
                    task_ids=[w.task_id for w in finishing],
                    seconds=round(time.perf_counter() - finishing[0].started, 3),
                )
        return [w.outcome or Requeue("not handled") for w in works]

    def _prepare(self, body: bytes, headers: Mapping[str, Any]) -> _Work:
        retry_count = header_int(headers, topology.H_RETRY_COUNT)
        delivery_count = header_int(headers, "x-delivery-count")
        generation = header_int(headers, topology.H_REPLAY_GENERATION)
        attempt_key = retry_count * 1000 + delivery_count + 1
        parsed = parse(body, self.domain, self.vhost)
        if isinstance(parsed, Rejected):
            outcome = self._dead_letter(
                parsed.task_id, parsed.envelope, parsed.reason, parsed.detail, generation
            )
            return _Work(None, retry_count, generation, attempt_key, self.log, outcome)
        w = _Work(
            parsed,
            retry_count,
            generation,
            attempt_key,
            bind_task(self.log, parsed.envelope, attempt=attempt_key),
            headers=headers,
        )
        if delivery_count >= topology.WORKER_REDELIVERY_LIMIT:
            w.outcome = self._dead_letter(
                w.task_id,
                parsed.envelope,
                "delivery_limit",
                f"delivered {delivery_count + 1} times without being acknowledged "
                "(the worker probably crashed or lost its connection while handling it)",
                generation,
            )
        return w

    def reply_for(self, parsed: Parsed, result: Any, *, final: bool) -> dict[str, Any] | None:
        return reply_for(self.store, parsed, result, final=final, log_=self.log)

    def _duplicate(self, w: _Work, current: dict[str, Any] | None) -> Outcome:
        status = (current or {}).get("status")
        w.log.info("duplicate_delivery_skipped", current_status=status)
        result = (current or {}).get("result")
        pending = llm_estado(result) == "pendente"
        # A redelivered task answers with what was stored; it is never analysed twice.
        reply = self.reply_for(w.parsed, result, final=not pending) if status == "completed" else None
        if status == "completed" and self.llm_stage and pending:
            # Completed, but the process died before the hand-off was confirmed: hand it off
            # again. The LLM stage ignores a task it has already enriched.
            return Forward(topology.LLM_QUEUE, reply=reply)
        return Ack(f"skipped: task already {status}", reply=reply)

    def _store_failed(self, w: _Work, exc: Exception) -> Outcome:
        if not isinstance(exc, StoreUnavailable):
            w.log.error("store_write_failed", error=repr(exc))
            return Requeue(f"store write failed: {exc!r}")
        # Nothing can be recorded: retry later through the delay queue without a status.
        return self._retry_or_dead_letter(w, f"task store unavailable: {exc}", record=False)

    def _run(self, w: _Work) -> bool:
        """Run the handler; True when the task can be stored as completed, else w.outcome is set."""
        mode: HandlerMode = "rules" if self.llm_stage else "inline"
        w.ctx = ctx = make_context(
            self.settings, w.parsed.envelope, w.attempt_key, w.log, self.dispatcher, mode
        )
        w.started = time.perf_counter()
        envelope = w.parsed.envelope
        try:
            # The message's trace context is current while the handler runs, so the alerts it
            # emits carry it to the backend (alert_dispatch hands it to the delivery thread).
            with (
                observability.delivery_span(
                    self.vhost, w.headers, w.task_id, f"{envelope.domain}.{envelope.task_type}"
                ),
                observability.handler_span(envelope.domain, envelope.task_type, w.task_id),
            ):
                w.result = w.parsed.handler.fn(ctx, w.parsed.payload)
        except PermanentError as exc:
            wait_alerts(ctx, self.settings, w.log)
            w.outcome = self._dead_letter(
                w.task_id,
                w.parsed.envelope,
                "handler_permanent_error",
                f"{type(exc).__name__}: {exc}",
                w.generation,
            )
            return False
        except Exception as exc:
            w.log.warning("handler_failed", error=repr(exc), traceback=traceback.format_exc(limit=5))
            wait_alerts(ctx, self.settings, w.log)
            w.outcome = self._retry_or_dead_letter(w, f"{type(exc).__name__}: {exc}")
            return False
        if ctx.alert_futures and not wait_alerts(ctx, self.settings, w.log):
            # An alert could be neither delivered nor parked (broker trouble): do not ack, so the
            # task runs again; its delivered alerts are not resent (store + Idempotency-Key).
            w.outcome = Requeue("alerts could not be delivered or parked")
            return False
        return True

    def _retry_or_dead_letter(self, w: _Work, error: str, record: bool = True) -> Outcome:
        task_id, retry_count, generation = w.task_id, w.retry_count, w.generation
        if retry_count >= self.settings.worker_max_retries:
            return self._dead_letter(
                task_id,
                w.parsed.envelope,
                "max_retries_exceeded",
                f"failed {retry_count + 1} times; last error: {error}",
                generation,
            )
        delay = topology.retry_delay_for(retry_count + 1, self.settings.retry_delays)
        if record:
            try:
                self.store.transition(
                    task_id,
                    "retrying",
                    progress_for("retrying", attempt_key=w.attempt_key, generation=generation),
                    error=short(error),
                )
            except StoreUnavailable as exc:
                self.log.warning("store_unavailable", task_id=task_id, error=str(exc))
        self.log.info(
            "task_retry_scheduled",
            task_id=task_id,
            retry=retry_count + 1,
            delay_s=delay,
            error=short(error, 300),
        )
        return Retry(delay_s=delay, retry_count=retry_count + 1, error=error)

    def _dead_letter(
        self, task_id: str | None, envelope: Envelope | None, reason: str, detail: str, generation: int = 0
    ) -> DeadLetter:
        self.log.warning("task_dead_lettered", task_id=task_id, reason=reason, detail=short(detail, 300))
        if task_id:
            try:
                # Only a task the store knows (or whose tenant we know) gets a status.
                self.store.transition(
                    task_id,
                    "dead_lettered",
                    progress_for("dead_lettered", generation=generation),
                    error=short(f"{reason}: {detail}"),
                    ensure=row_for(envelope),
                )
            except StoreUnavailable as exc:
                self.log.warning("store_unavailable", task_id=task_id, error=str(exc))
            except Exception as exc:  # a malformed task_id must not stop dead-lettering
                self.log.warning("dead_letter_status_not_recorded", task_id=task_id, error=repr(exc))
        return DeadLetter(reason, detail)
