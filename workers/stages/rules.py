"""The rules stage: the task state machine, with no broker in it (docs/workers.md).

`RulesStage.process_many(deliveries)` turns each delivery into an `Outcome` and the store writes
that go with it; the consumer carries the outcome out (ack, delayed retry, dead-letter, hand-off
to the LLM stage). Per batch (docs/workers.md, "One transaction per batch"):

    parse → validate envelope → find handler → validate payload       (permanent error: DLQ now)
    tenant check against the store / the broker-validated publisher   (untrusted_tenant: DLQ now,
        nothing written; docs/security.md)
    a possible repeat (redelivered, retried, replayed): store "processing" first, as before
    read the batch's progress: a task completed already is not run (acked, answered from the store)
    run the handlers (rules); the alerts they emit are held for the batch
    one transaction: "completed" + result + alert rows (pending) + the handlers' writes (the
      conversation's record of the message) + a conversation's alert episodes, decided there;
      refused for a task another delivery got to first
    alerts to delivery (their delivery state is the dispatcher's later write); the follow-ups
      the handlers asked for to the broker (`ctx.after_commit`)
    reply at once; ack once the alerts are delivered, failed for good or parked and the
      follow-ups confirmed (Ack.after; one that fails requeues: the redelivery finds the task
      completed and parks its follow-up again), or wait for them and forward to the LLM stage
      queue, then ack
    transient error → store "retrying" → Retry (a delay queue dead-letters it back)
    after WORKER_MAX_RETRIES retries, or redelivered too often (crashes) → DeadLetter with the reason
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Mapping
from concurrent.futures import Future
from typing import Any

from shared import topology, tracing
from shared.config import Settings
from shared.logs import get_logger
from shared.store import BatchAnswer, Store, TaskState
from workers import observability
from workers.context import AlertGate, HandlerMode
from workers.registry import PermanentError
from workers.stages.batch import (
    BatchAlerts,
    Work,
    all_confirmed,
    batch_items,
    defer_alerts,
    dispatch_alerts,
    emit_now,
    guard,
    log_when_settled,
    processing,
    release_gated,
    resend_pending,
    settle,
    start_after_commit,
    unsettled,
    wait_alerts_timed,
)
from workers.stages.delivery import (
    Parsed,
    Rejected,
    TaskLog,
    header_int,
    llm_estado,
    make_context,
    parse,
    reply_for,
    row_for,
)
from workers.stages.failures import Failures
from workers.stages.outcomes import Ack, Forward, Outcome, Requeue
from workers.stages.slow_runs import SlowRuns
from workers.trust import UNTRUSTED_TENANT, KnownTask, TenantVerifier

log = get_logger("workers.stages.rules")


class RulesStage:
    """The rules stage. `llm_stage=True` when a second stage consumes `eventos.ia`: handlers then
    leave their LLM part to it (`TaskContext.mode == "rules"`)."""

    def __init__(
        self,
        settings: Settings,
        domain: str,
        store: Store,
        *,
        dispatcher: BatchAlerts | None = None,
        llm_stage: bool = False,
        vhost: str | None = None,
        conversation: AlertGate | None = None,
    ) -> None:
        """`conversation`: the agent conversation's services (workers.conversation_flow): alert
        episodes, and the writes and follow-ups a clinico.mensagem task hands back."""
        self.settings = settings
        self.domain = domain
        self.vhost = vhost or topology.vhost_for(domain, settings.vhost_prefix)
        self.store = store
        self.dispatcher = dispatcher
        self.conversation = conversation
        self.llm_stage = llm_stage
        self.verifier = TenantVerifier(settings)
        self.log = log.bind(vhost=self.vhost)
        self._slow = SlowRuns(self._mark_processing)
        self.failures = Failures(settings, store, self.log)

    def process(self, body: bytes, headers: Mapping[str, Any] | None = None) -> Outcome:
        return self.process_many([(body, headers)])[0]

    def process_many(self, deliveries: list[tuple[bytes, Mapping[str, Any] | None]]) -> list[Outcome]:
        """The outcomes of several deliveries, in order (see the module docstring)."""
        return self.process_batch(deliveries)[0]

    def process_batch(
        self, deliveries: list[tuple[bytes, Mapping[str, Any] | None]], *, defer: bool = False
    ) -> tuple[list[Outcome], float]:
        """`process_many`, and the seconds its handlers ran (the store's and the broker's waits
        left out): what tells the consumer whether the handlers are fast (BatchPool.min_batch)."""
        parsed = [(parse(body, self.domain, self.vhost), headers or {}) for body, headers in deliveries]
        # One read for the batch: whose each task is (the tenant check) and how far it has got.
        try:
            state: dict[str, TaskState] | Exception = self._state([p for p, _ in parsed])
        except Exception as exc:  # no tenant can be checked; the batch's writes would fail the same way
            state = exc
        known: dict[str, KnownTask] | Exception = (
            state
            if isinstance(state, Exception)
            else {tid: KnownTask(s.tenant_id, s.generation) for tid, s in state.items()}
        )
        works = [self._prepare(p, headers, known) for p, headers in parsed]
        # A possible repeat stores `processing` first: a message that keeps crashing us counts.
        again = [w for w in works if w.outcome is None and not w.first]
        if again:
            self._start(again)
        live = [w for w in works if w.outcome is None]
        ran: list[Work] = []
        answers: list[BatchAnswer] = []
        if live:
            try:
                # A task completed already (a publisher's retry) is not run again. The progress was
                # read before `processing` was stored for the possible repeats: one that applied
                # was below this delivery's `processing`, so below its guard as well; a race
                # with another delivery is refused under the row lock by `record_batch`.
                assert not isinstance(state, Exception)  # else every work has its outcome
                for w in live:
                    seen = state.get(w.task_id)
                    if seen is not None and seen.progress >= guard(w):
                        w.taken = True  # completed already, or a later delivery has it
                    elif self._run(w):
                        ran.append(w)
                answers = self.store.record_batch(batch_items(ran, self.dispatcher))
            except Exception as exc:
                for w in live:
                    settle(w, "not recorded")
                    if w.failure is None:
                        w.outcome = self.failures.store_failed(w, exc)
                ran, answers = [], []
            for w in live:
                if w.failure is not None:
                    self._after_failure(w)
                elif w.taken:
                    w.outcome = self._duplicate(w, self.store.get_task(w.task_id))
            self._dispatch(ran, answers, defer)
        finishing = [w for w in ran if w.outcome is None]
        for w in finishing:
            ctx = w.ctx
            assert ctx is not None
            waits = [*ctx.alert_futures, *ctx.side_futures]
            if ctx.llm_pending and waits and not wait_alerts_timed(w, self.settings):
                # The hand-off acks the message: its alerts and follow-up must be settled first.
                w.outcome = Requeue("alerts could not be delivered or parked")
                continue
            if any(f.done() and f.exception() is not None for f in waits):
                w.outcome = Requeue("alerts could not be delivered or parked")
                continue
            # With an LLM stage to come, this answer is preliminary: the crew may still write
            # the reply to the patient (docs/agent-message.md).
            reply = reply_for(self.store, w.parsed, w.result, final=not ctx.llm_pending, log_=w.log, ctx=ctx)
            w.outcome = (
                Forward(topology.LLM_QUEUE, reply=reply)
                if ctx.llm_pending
                # The result is durable: the reply goes now, the ack once the alerts settle and
                # the follow-up is confirmed.
                else Ack(reply=reply, after=unsettled(waits), then=tuple(w.then))
            )
        if finishing:
            # One line per batch: a line per task cost more CPU than the rules themselves.
            self.log.info(
                "tasks_completed",
                task_ids=[w.task_id for w in finishing],
                seconds=round(time.perf_counter() - finishing[0].started_at, 3),
            )
        return [w.outcome or Requeue("not handled") for w in works], sum(w.ran_s for w in works)

    def _start(self, works: list[Work]) -> None:
        """`processing` for deliveries that may be repeats; sets the outcome of duplicates."""
        try:
            answers = self.store.start_many(
                [(w.task_id, processing(w), row_for(w.parsed.envelope, w.task_id)) for w in works]
            )
        except Exception as exc:
            for w in works:
                w.outcome = self.failures.store_failed(w, exc)
            return
        for w, (applied, current) in zip(works, answers, strict=True):
            if applied:
                w.started = True
            else:
                w.outcome = self._duplicate(w, current)

    def _mark_processing(self, works: list[Work]) -> None:
        """`processing` for handlers that run long (SlowRuns); a refusal is the batch write's too."""
        answers = self.store.start_many(
            [(w.task_id, processing(w), row_for(w.parsed.envelope, w.task_id)) for w in works]
        )
        for w, (applied, _current) in zip(works, answers, strict=True):
            w.started = w.started or applied

    def _dispatch(self, works: list[Work], answers: list[BatchAnswer], defer: bool) -> None:
        """After the commit: the alerts to delivery (the ack waits for them, the reply does not);
        the follow-ups once the replies are out (`defer`), not before an LLM hand-off (it waits)."""
        for w, answer in zip(works, answers, strict=True):
            if not answer.applied:
                settle(w, "duplicate")
                w.outcome = self._duplicate(w, answer.current)
                continue
            release_gated(w)
            start_after_commit(w, defer and not (w.ctx is not None and w.ctx.llm_pending))
            if w.alerts:
                try:
                    assert self.dispatcher is not None
                    dispatch_alerts(self.dispatcher, w, answer.alerts)
                    if w.ctx is not None and not w.ctx.llm_pending:  # else wait_alerts logs them
                        log_when_settled(w)
                except Exception as exc:  # delivery is shutting down: the redelivery sends them
                    settle(w, "not dispatched")
                    w.log.warning("alert_not_dispatched", error=repr(exc))
                    w.outcome = Requeue("alert delivery is shut down")

    def _state(self, parsed: list[Parsed | Rejected]) -> dict[str, TaskState]:
        ids = list({p.task_id for p in parsed if p.task_id and p.envelope is not None})
        return self.store.batch_state(ids)

    def _prepare(
        self, parsed: Parsed | Rejected, headers: Mapping[str, Any], known: dict[str, KnownTask] | Exception
    ) -> Work:
        retry_count = header_int(headers, topology.H_RETRY_COUNT)
        delivery_count = header_int(headers, "x-delivery-count")
        attempt_key = retry_count * 1000 + delivery_count + 1
        claimed_generation = header_int(headers, topology.H_REPLAY_GENERATION)
        envelope = parsed.envelope
        if envelope is None or isinstance(known, Exception):
            generation = 0
        else:
            task = known.get(parsed.task_id or str(envelope.task_id))
            # The tenant and the replay generation are checked before anything is written
            # (workers/trust.py): a forged message never touches another tenant's task.
            why = self.verifier.untrusted(envelope.tenant_id, headers, task)
            if why is not None:
                outcome = self.failures.dead_letter(
                    None, None, UNTRUSTED_TENANT, f"task {envelope.task_id}: {why}"
                )
                return Work(None, retry_count, 0, attempt_key, self.log, outcome)
            generation = self.verifier.generation(claimed_generation, task)
            if generation != claimed_generation:
                self.log.warning(
                    "replay_generation_ignored", task_id=str(envelope.task_id), claimed=claimed_generation
                )
        if isinstance(parsed, Rejected):
            # Without an envelope nobody can say whose task it is: the store is left alone.
            if envelope is None:
                outcome = self.failures.dead_letter(None, None, parsed.reason, parsed.detail, generation)
            else:
                self.failures.count_attempt(parsed, attempt_key, generation)
                outcome = self.failures.dead_letter(
                    parsed.task_id, envelope, parsed.reason, parsed.detail, generation
                )
            return Work(None, retry_count, generation, attempt_key, self.log, outcome)
        w = Work(
            parsed,
            retry_count,
            generation,
            attempt_key,
            TaskLog(self.log, parsed.envelope, attempt=attempt_key),
            headers=headers,
            first=retry_count == 0 and delivery_count == 0 and generation == 0,
        )
        if isinstance(known, Exception):
            w.outcome = self.failures.store_failed(w, known)
            return w
        if delivery_count >= topology.WORKER_REDELIVERY_LIMIT:
            w.outcome = self.failures.dead_letter(
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

    def _duplicate(self, w: Work, current: dict[str, Any] | None) -> Outcome:
        status = (current or {}).get("status")
        w.log.info("duplicate_delivery_skipped", current_status=status)
        result = (current or {}).get("result")
        pending = llm_estado(result) == "pendente"
        # A redelivered task answers with what was stored; it is never analysed twice.
        reply = self.reply_for(w.parsed, result, final=not pending) if status == "completed" else None
        parked = park_again(self.conversation, w, result) if status == "completed" else ()
        if status == "completed" and self.llm_stage and pending:
            # Completed, but the process died before the hand-off was confirmed: hand it off
            # again. The LLM stage ignores a task it has already enriched. The hand-off acks
            # the message, so its follow-up is confirmed first.
            if not all_confirmed(parked, self.settings.alert_inline_budget_s + 30, w.log):
                return Requeue("a follow-up could not be confirmed by the broker")
            return Forward(topology.LLM_QUEUE, reply=reply)
        after = resend_pending(self.dispatcher, self.store, w) if status == "completed" else ()
        return Ack(f"skipped: task already {status}", reply=reply, after=after + parked)

    def _run(self, w: Work) -> bool:
        """Run the handler; True when it returned, else `w.failure` is set."""
        mode: HandlerMode = "rules" if self.llm_stage else "inline"
        w.ctx = ctx = make_context(
            self.settings, w.parsed.envelope, w.attempt_key, w.log, None, mode, self.conversation
        )
        if self.dispatcher is not None:
            defer_alerts(w, ctx)
        w.started_at = time.perf_counter()
        envelope = w.parsed.envelope
        self._slow.watch(w)
        try:
            # The message's trace context is current: defer_alerts keeps it for the alerts' POSTs.
            if not tracing.recording():  # no span work at all, only the message's traceparent
                with tracing.incoming(w.headers.get(tracing.TRACEPARENT)):
                    w.result = w.parsed.handler.fn(ctx, w.parsed.payload)
            else:
                with (
                    observability.delivery_span(
                        self.vhost, w.headers, w.task_id, f"{envelope.domain}.{envelope.task_type}"
                    ),
                    observability.handler_span(envelope.domain, envelope.task_type, w.task_id),
                ):
                    w.result = w.parsed.handler.fn(ctx, w.parsed.payload)
        except PermanentError as exc:
            w.failure = (True, exc)
            return False
        except Exception as exc:
            w.log.warning("handler_failed", error=repr(exc), traceback=traceback.format_exc(limit=5))
            w.failure = (False, exc)
            return False
        finally:
            self._slow.unwatch(w)
            w.ran_s = time.perf_counter() - w.started_at
        return True

    def _after_failure(self, w: Work) -> None:
        """A handler that raised: its alerts go out, then the task is dead-lettered
        (PermanentError) or retried. Its run counts in `attempts` here when no `processing`
        was written for it."""
        assert w.failure is not None and w.ctx is not None
        permanent, exc = w.failure
        emit_now(self.dispatcher, w)
        wait_alerts_timed(w, self.settings)
        if permanent:
            w.outcome = self.failures.dead_letter(
                w.task_id,
                w.parsed.envelope,
                "handler_permanent_error",
                f"{type(exc).__name__}: {exc}",
                w.generation,
                count_attempt=not w.started,
            )
        else:
            w.outcome = self.failures.retry_or_dead_letter(w, f"{type(exc).__name__}: {exc}")


def park_again(conversation: AlertGate | None, w: Work, result: Any) -> tuple[Future[Any], ...]:
    """The follow-up of a completed task, parked again: its first run published it after the
    commit and acked only once it was confirmed, so this redelivery may be all it has."""
    if conversation is None:
        return ()
    try:
        fut = conversation.park_again(w.parsed.envelope, result)
    except Exception as exc:  # the redelivery of this one tries again
        fut = Future()
        fut.set_exception(exc)
    return (fut,) if fut is not None else ()
