"""What the rules stage keeps per delivery of a batch, and the parts of its one store transaction
per batch that are not the state machine itself (docs/workers.md, "One transaction per batch"):

- `Work`: one delivery on its way through `RulesStage.process_many`;
- alerts a handler emits are held (`defer_alerts`) and recorded with the batch's statuses, then
  handed to delivery with their stored rows (`dispatch_alerts`);
- `SlowRuns` (slow_runs.py): a handler that runs long gets its `processing` written after all.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from shared.config import Settings
from shared.logs import get_logger
from shared.store import BatchTask, progress_for
from workers.context import TaskContext, TaskInfo
from workers.findings import AlertSpec
from workers.stages.delivery import row_for, wait_alerts
from workers.stages.outcomes import Outcome

log = get_logger("workers.stages.batch")


class BatchAlerts(Protocol):
    """What the rules stage needs of workers.alert_dispatch.AlertDispatcher."""

    @property
    def delivers(self) -> bool: ...

    def emit(self, task: TaskInfo, spec: AlertSpec) -> Future[str]: ...

    def alert_row(self, task: TaskInfo, spec: AlertSpec) -> dict[str, Any]: ...

    def dispatch(self, task: TaskInfo, spec: AlertSpec, row: Mapping[str, Any]) -> Future[str]: ...


@dataclass
class Work:
    """One delivery on its way through `process_many`."""

    parsed: Any  # a Parsed; None only when `outcome` is already set
    retry_count: int
    generation: int
    attempt_key: int
    log: Any
    outcome: Outcome | None = None
    ctx: TaskContext | None = None
    result: Any = None
    started_at: float = 0.0
    ran_s: float = 0.0  # how long the handler ran
    headers: Mapping[str, Any] = field(default_factory=dict)
    # No sign of an earlier delivery (no redelivery, retry or replay): no `processing` write first.
    first: bool = False
    # This delivery's `processing` is stored (a possible repeat, or a slow handler).
    started: bool = False
    # Completed already, or taken by a later delivery: not run, answered from the store.
    taken: bool = False
    # The handler raised: (PermanentError?, the exception), dealt with after the batch's write.
    failure: tuple[bool, Exception] | None = None
    # Alerts the handler emitted: (spec, task info, the future it got, its trace context).
    alerts: list[tuple[AlertSpec, TaskInfo, Future[str], contextvars.Context]] = field(default_factory=list)
    # A conversation's alerts, their episodes decided in the batch's transaction; `gated`: what it decided.
    held: list[tuple[AlertSpec, TaskInfo, contextvars.Context]] = field(default_factory=list)
    gated: tuple[list[tuple[AlertSpec, TaskInfo, contextvars.Context]], list[dict[str, Any]]] | None = None
    then: list[Callable[[], None]] = field(default_factory=list)

    @property
    def task_id(self) -> str:
        return self.parsed.task_id  # type: ignore[no-any-return]


def processing(w: Work) -> int:
    """This delivery's `processing` progress."""
    return progress_for("processing", attempt_key=w.attempt_key, generation=w.generation)


def guard(w: Work) -> int:
    """The task is this delivery's while its progress is below this."""
    return processing(w) + (1 if w.started else 0)


def batch_items(works: list[Work], dispatcher: BatchAlerts | None) -> list[BatchTask]:
    """What the batch's transaction writes for the tasks whose handler returned: `completed` with
    the result, the alert rows (`pending`) and the handlers' writes. An alert goes to the backend
    after this commit and its delivery state is a later write of its own: the reply does not
    wait for it, the ack does (docs/agent-message.md, "One store transaction per message")."""
    items = []
    for w in works:
        alerts = [dispatcher.alert_row(info, spec) for spec, info, _, _ in w.alerts] if dispatcher else []
        item = BatchTask(
            task_id=w.task_id,
            guard=guard(w),
            status="completed",
            progress=progress_for("completed", generation=w.generation),
            count_attempt=not w.started,
            result=w.result,
            ensure=row_for(w.parsed.envelope, w.task_id),
            alerts=alerts,
            also=list(w.ctx.on_complete) if w.ctx is not None else [],
        )
        if w.held:
            _gate_in_batch(w, item, dispatcher)
        items.append(item)
    return items


def _gate_in_batch(w: Work, item: BatchTask, dispatcher: BatchAlerts | None) -> None:
    """The episodes of the task's conversation alerts, decided in the batch's transaction (one
    transaction per message, docs/agent-message.md): the alerts that open or escalate an episode
    are recorded with the task, the findings that joined one go into its result. Safe to run again
    (a transaction retried): it starts from what the handler left each time."""
    assert w.ctx is not None and w.ctx.conversation is not None
    held = list(w.held)
    info = held[0][1]
    op = w.ctx.conversation.gate_op([spec for spec, _, _ in held], info)
    base_rows = list(item.alerts)
    conversa = w.result.get("conversa") if isinstance(w.result, dict) else None
    base_episodes = list(conversa.get("episodios") or []) if isinstance(conversa, dict) else []

    def prepare(conn: Any) -> None:
        decided = op(conn) if op is not None else [(spec, []) for spec, _, _ in held]
        send = []
        joined: list[dict[str, Any]] = []
        for (_spec, i, context), (narrowed, j) in zip(held, decided, strict=True):
            joined.extend(j)
            if narrowed is not None:
                send.append((narrowed, i, context))
        w.gated = (send, joined)
        item.alerts = base_rows + ([dispatcher.alert_row(i, s) for s, i, _ in send] if dispatcher else [])
        if isinstance(conversa, dict):
            # The same dict is the reply's `structuredData.conversation`.
            conversa["episodios"] = [*base_episodes, *joined]

    item.prepare = prepare
    item.prepare_order = f"{info.tenant_id}\x00{info.conversation_id}"


def release_gated(w: Work) -> None:
    """After the batch's commit: the alerts its episodes let through join the task's alerts (and
    its context's, for the reply), to be dispatched with them."""
    if w.gated is None:
        return
    assert w.ctx is not None
    send, joined = w.gated
    w.ctx.episodes_joined.extend(joined)
    for spec, info, context in send:
        fut: Future[str] = Future()
        w.alerts.append((spec, info, fut, context))
        w.ctx.alert_futures.append(fut)
        w.ctx.alert_specs.append(spec)


def defer_alerts(w: Work, ctx: TaskContext) -> None:
    """The handler's alerts are held until the batch is recorded; each `emit` answers a future that
    settles with the alert's delivery state, as AlertDispatcher.emit's would.

    The closures hold the work's lists, not the work: `w.ctx` is the context, and a context that
    held `w` back made every task's objects (envelope, payload, result) a reference cycle that
    only the garbage collector could free (docs/workers.md, "The garbage collector")."""
    alerts, held = w.alerts, w.held

    def emit(spec: AlertSpec, info: TaskInfo) -> Future[str]:
        fut: Future[str] = Future()
        # The handler's trace context: the alert POST joins the task's trace.
        alerts.append((spec, info, fut, contextvars.copy_context()))
        return fut

    def hold(spec: AlertSpec, info: TaskInfo) -> None:
        held.append((spec, info, contextvars.copy_context()))

    ctx.emit = emit
    if ctx.conversation is not None and ctx.mode != "llm":
        ctx.defer_gate = hold


def dispatch_alerts(dispatcher: BatchAlerts, w: Work, rows: Mapping[str, Mapping[str, Any]]) -> None:
    """Hand the recorded alerts to delivery (`rows`: the stored row by alert key)."""
    for spec, info, fut, context in w.alerts:
        chain(context.run(dispatcher.dispatch, info, spec, rows[spec.alert_key]), fut)


def emit_now(dispatcher: BatchAlerts | None, w: Work) -> None:
    """A handler that failed after emitting alerts: each is recorded and delivered on its own (an
    alert is never dropped because its task failed); a conversation's pass its episodes first."""
    for spec, info, context in w.held:
        try:
            assert w.ctx is not None and w.ctx.conversation is not None
            narrowed, _joined = w.ctx.conversation.gate(spec, info)
        except Exception as exc:  # an alert is never dropped for want of its episode
            w.log.error("alert_episode_not_claimed", error=repr(exc))
            narrowed = spec
        if narrowed is not None:
            held_fut: Future[str] = Future()
            w.alerts.append((narrowed, info, held_fut, context))
            if w.ctx is not None:
                w.ctx.alert_futures.append(held_fut)
                w.ctx.alert_specs.append(narrowed)
    w.held.clear()
    for spec, info, fut, context in w.alerts:
        try:
            if dispatcher is None:
                raise RuntimeError("no alert dispatcher")
            chain(context.run(dispatcher.emit, info, spec), fut)
        except Exception as exc:
            fut.set_exception(exc)
    w.alerts.clear()


def resend_pending(dispatcher: BatchAlerts | None, store: Any, w: Work) -> tuple[Future[str], ...]:
    """The alerts of a completed task still `pending` and not parked go to delivery again: the
    task is stored `completed` before its alerts' POSTs, so a run that died (or could neither
    deliver nor park) in between left them to this redelivery. Same Idempotency-Key: the backend
    creates each once. What the ack waits for."""
    if dispatcher is None or not dispatcher.delivers:
        return ()
    try:
        rows = store.list_alerts(w.task_id)
        info = TaskInfo(task_id=w.task_id, tenant_id=w.parsed.envelope.tenant_id)
        return unsettled(
            [
                dispatcher.dispatch(info, resent_spec(row), row)
                for row in rows
                if row["delivery"] == "pending" and not row["parked"]
            ]
        )
    except Exception as exc:  # the store or delivery is in trouble: the next redelivery tries
        w.log.warning("pending_alerts_not_resent", error=repr(exc))
        failed: Future[str] = Future()
        failed.set_exception(exc)
        return (failed,)


def resent_spec(row: Mapping[str, Any]) -> AlertSpec:
    """An alert recorded earlier, as `BatchAlerts.dispatch` takes it: delivery sends the stored
    body under the stored key, so the row is all it needs."""
    return AlertSpec.model_construct(
        alert_key=row["alert_key"],
        type=row["type"],
        severity=row["severity"],
        message=row["message"],
        symptoms=[],
        detected_by="rules_engine",
    )


def log_when_settled(w: Work) -> None:
    """One line per alert once its delivery settles (as `wait_alerts` logs it), from the thread
    that settled it: nothing waits for it here."""

    def settled(fut: Future[str]) -> None:
        exc = fut.exception()
        if exc is None:
            w.log.info("alert_settled", state=fut.result())
        else:
            w.log.error("alert_not_settled", error=repr(exc))

    for _spec, _info, fut, _context in w.alerts:
        fut.add_done_callback(settled)


def unsettled(futures: list[Future[str]]) -> tuple[Future[str], ...]:
    """What an ack still waits for: those not settled yet, and a failed one (the consumer then
    requeues the message instead)."""
    return tuple(f for f in futures if not f.done() or f.exception() is not None)


def settle(w: Work, state: str) -> None:
    """Settle the held alerts' futures of a task whose alerts go nowhere (a duplicate, a failed
    write): nothing waits on them forever."""
    for _spec, _info, fut, _ctx in w.alerts:
        if not fut.done():
            fut.set_result(state)


def start_after_commit(w: Work, defer: bool = False) -> None:
    """After the commit: the handler's broker work (a follow-up, `ctx.after_commit`), which the ack
    waits for (`ctx.side_futures`) and the reply does not; a failure requeues (the redelivery parks
    it again). `defer`: the futures now, the work once the reply is out (`Work.then`, `Ack.then`)."""
    if w.ctx is None:
        return
    for start in w.ctx.after_commit:
        fut: Future[Any] = Future()
        w.ctx.side_futures.append(fut)
        w.then.append(partial(_start_into, start, fut))
    w.ctx.after_commit.clear()
    if not defer:
        run_then(w)


def _start_into(start: Callable[[], Future[Any]], target: Future[Any]) -> None:
    try:
        chain(start(), target)
    except Exception as exc:
        target.set_exception(exc)


def run_then(w: Work) -> None:
    while w.then:
        w.then.pop(0)()


def all_confirmed(futures: tuple[Future[Any], ...], budget: float, log_: Any) -> bool:
    try:
        for fut in futures:
            fut.result(timeout=budget)
    except Exception as exc:
        log_.error("side_work_not_confirmed", error=repr(exc))
        return False
    return True


def wait_alerts_timed(w: Work, settings: Settings) -> bool:
    """`wait_alerts` for the task's alerts, counted as the handler's run time: an alert backend
    that hangs makes the handlers slow, and the pool then spreads them (BatchPool.min_batch)."""
    assert w.ctx is not None
    started = time.perf_counter()
    try:
        return wait_alerts(w.ctx, settings, w.log)
    finally:
        w.ran_s += time.perf_counter() - started


def chain(source: Future[Any], target: Future[Any]) -> None:
    def copy(done: Future[Any]) -> None:
        exc = done.exception()
        if exc is not None:
            target.set_exception(exc)
        else:
            target.set_result(done.result())

    source.add_done_callback(copy)
