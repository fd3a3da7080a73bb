"""What the rules stage keeps per delivery of a batch, and the parts of its one store transaction
per batch that are not the state machine itself (docs/workers.md, "One transaction per batch"):

- `Work`: one delivery on its way through `RulesStage.process_many`;
- alerts a handler emits are held (`defer_alerts`) and recorded with the batch's statuses, then
  handed to delivery with their stored rows (`dispatch_alerts`);
- `SlowRuns`: a handler that runs long gets its `processing` written after all, so the status
  shows that the task is being worked on.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Protocol

from shared.logs import get_logger
from shared.store import BatchTask, progress_for
from workers.context import TaskContext, TaskInfo
from workers.findings import AlertSpec
from workers.stages.delivery import row_for
from workers.stages.outcomes import Outcome, Requeue

log = get_logger("workers.stages.batch")

# A first delivery's handler still running after this long gets its `processing` written.
PROCESSING_AFTER_S = 0.5


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
    headers: Mapping[str, Any] = field(default_factory=dict)
    # No sign of an earlier delivery (first delivery, no retry, no replay): no `processing` write
    # before the handler runs.
    first: bool = False
    # This delivery's `processing` is stored (a possible repeat, or a slow handler).
    started: bool = False
    # Stored `completed` in the batch's transaction (no alert to deliver first).
    finish: bool = True
    # Completed already, or taken by a later delivery: not run, answered from the store.
    taken: bool = False
    # The handler raised: (PermanentError?, the exception), dealt with after the batch's write.
    failure: tuple[bool, Exception] | None = None
    # Alerts the handler emitted: (spec, task info, the future it got, its trace context).
    alerts: list[tuple[AlertSpec, TaskInfo, Future[str], contextvars.Context]] = field(default_factory=list)

    @property
    def task_id(self) -> str:
        return str(self.parsed.task_id)


def processing(w: Work) -> int:
    """This delivery's `processing` progress."""
    return progress_for("processing", attempt_key=w.attempt_key, generation=w.generation)


def guard(w: Work) -> int:
    """The task is this delivery's while its progress is below this."""
    return processing(w) + (1 if w.started else 0)


def batch_items(works: list[Work], dispatcher: BatchAlerts | None) -> list[BatchTask]:
    """What the batch's transaction writes for the tasks whose handler returned: `completed`
    with the result and the alert rows, or `processing` with the alert rows when they go to the
    backend first (`Work.finish` says which)."""
    delivers = dispatcher is not None and dispatcher.delivers
    items = []
    for w in works:
        alerts = [dispatcher.alert_row(info, spec) for spec, info, _, _ in w.alerts] if dispatcher else []
        w.finish = not (alerts and delivers)
        items.append(
            BatchTask(
                task_id=w.task_id,
                guard=guard(w),
                status="completed" if w.finish else "processing",
                progress=progress_for("completed", generation=w.generation) if w.finish else processing(w),
                count_attempt=not w.started,
                result=w.result if w.finish else None,
                ensure=row_for(w.parsed.envelope),
                alerts=alerts,
                also=list(w.ctx.on_complete) if w.finish and w.ctx is not None else [],
            )
        )
    return items


def defer_alerts(w: Work, ctx: TaskContext) -> None:
    """The handler's alerts are held until the batch is recorded; each `emit` answers a future that
    settles with the alert's delivery state, as AlertDispatcher.emit's would."""

    def emit(spec: AlertSpec, info: TaskInfo) -> Future[str]:
        fut: Future[str] = Future()
        # The handler's trace context: the alert POST joins the task's trace.
        w.alerts.append((spec, info, fut, contextvars.copy_context()))
        return fut

    ctx.emit = emit


def dispatch_alerts(dispatcher: BatchAlerts, w: Work, rows: Mapping[str, Mapping[str, Any]]) -> None:
    """Hand the recorded alerts to delivery (`rows`: the stored row by alert key)."""
    for spec, info, fut, context in w.alerts:
        chain(context.run(dispatcher.dispatch, info, spec, rows[spec.alert_key]), fut)


def emit_now(dispatcher: BatchAlerts | None, w: Work) -> None:
    """A handler that failed after emitting alerts: each is recorded and delivered on its own (an
    alert is never dropped because its task failed)."""
    for spec, info, fut, context in w.alerts:
        try:
            if dispatcher is None:
                raise RuntimeError("no alert dispatcher")
            chain(context.run(dispatcher.emit, info, spec), fut)
        except Exception as exc:
            fut.set_exception(exc)
    w.alerts.clear()


def settle(w: Work, state: str) -> None:
    """Settle the held alerts' futures of a task whose alerts go nowhere (a duplicate, a failed
    write): nothing waits on them forever."""
    for _spec, _info, fut, _ctx in w.alerts:
        if not fut.done():
            fut.set_result(state)


def confirm_side_work(works: list[Work], budget: float) -> list[Work]:
    """The works whose broker side work (a conversation's follow-up, `ctx.side_futures`) is
    confirmed: only those are recorded. One the broker could not confirm is requeued with
    nothing written, so its next run schedules the follow-up again (docs/agent-message.md)."""
    kept = []
    for w in works:
        assert w.ctx is not None
        try:
            for fut in w.ctx.side_futures:
                fut.result(timeout=budget)
        except Exception as exc:
            w.log.error("side_work_not_confirmed", error=repr(exc))
            settle(w, "not recorded")
            w.outcome = Requeue("a follow-up could not be confirmed by the broker")
            continue
        kept.append(w)
    return kept


def chain(source: Future[str], target: Future[str]) -> None:
    def copy(done: Future[str]) -> None:
        exc = done.exception()
        if exc is not None:
            target.set_exception(exc)
        else:
            target.set_result(done.result())

    source.add_done_callback(copy)


class SlowRuns:
    """Writes `processing` (through `start`) for first deliveries whose handler runs past
    `after_s`: a rules batch otherwise goes from `queued` to `completed` in one write. One thread
    per rules stage, asleep once no handler has run for `LINGER_TICKS * after_s`."""

    # Idle ticks (of `after_s`) before the thread sleeps until woken: under a steady load it
    # never does, so `watch` costs no wake-up (a notify per handler cost a thread switch each).
    LINGER_TICKS = 20

    def __init__(self, start: Callable[[list[Work]], None], after_s: float = PROCESSING_AFTER_S) -> None:
        self.start = start
        self.after_s = after_s
        self._running: dict[int, tuple[float, Work]] = {}
        self._asleep = False
        # Held while a `processing` write is under way: `unwatch` waits for it, so the batch's
        # write after the handler knows whether the attempt was counted already (`Work.started`).
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def watch(self, w: Work) -> None:
        if w.started:
            return
        with self._cond:
            self._running[id(w)] = (time.monotonic(), w)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="slow-runs", daemon=True)
                self._thread.start()
            elif self._asleep:
                # Otherwise the thread wakes by itself before this handler is due: a handler
                # watched later is never due before one watched earlier.
                self._cond.notify()

    def unwatch(self, w: Work) -> None:
        with self._cond:
            self._running.pop(id(w), None)

    def _loop(self) -> None:
        while True:
            with self._cond:
                idle = 0
                while not self._running:
                    self._asleep = idle >= self.LINGER_TICKS
                    self._cond.wait(None if self._asleep else self.after_s)
                    idle += 1
                self._asleep = False
                oldest = min(t for t, _ in self._running.values())
                wait = oldest + self.after_s - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                now = time.monotonic()
                due = [w for t, w in self._running.values() if now - t >= self.after_s]
                for w in due:
                    self._running.pop(id(w), None)
                try:
                    self.start(due)
                except Exception as exc:  # the batch's write still counts the attempt
                    log.warning("processing_not_stored", error=repr(exc))
