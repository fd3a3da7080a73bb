"""Alert delivery around the task handlers: record, deliver, park, retry, give up (docs/workers.md,
docs/alerts.md).

    handler thread                 dispatcher pool                      broker
    emit(task, spec) ──register──> deliver inline (bounded) ─┬─ delivered / failed -> store
         │ returns a Future                                  └─ retry_later -> publish to
         ▼                                                      alertas.espera (TTL queue)
    consumer waits for every Future,                                   │ dead-letters after TTL
    then acks the task message                                         ▼
                                     handle_parked(body) <──────── alertas
                                       ├─ delivered / failed -> store
                                       ├─ too old -> failed ("gave up after N s")
                                       └─ still unreachable -> publish with the next delay

Delivery runs on the dispatcher's own pool so a slow crew never delays an alert and a slow
backend never delays a crew. A Future resolves only once the outcome is in the store and any
park is confirmed by the broker: the task message is acked only after its alerts are delivered
or durably parked. The Idempotency-Key is the same on every try, so retries and redelivered
tasks never make the backend create the same alert twice.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, Literal

from shared import tracing
from shared.config import Settings
from shared.store import Store
from shared.topology import ALERTS_DELAY_EXCHANGE, alert_delay_queue_name, retry_delay_for
from workers.alerts import ALERTS_TOTAL, AlertClient, DeliveryOutcome
from workers.context import TaskInfo
from workers.findings import AlertSpec

log = logging.getLogger(__name__)

# `publish(exchange, routing_key, body, headers)` must block until the broker confirmed the
# message, raise otherwise, publish persistent and `mandatory` (a delay queue missing from the
# topology must be an error, never a silently dropped alert) and be callable from any thread.
Publish = Callable[[str, str, bytes, dict[str, Any]], None]
LocalState = Literal["delivered", "failed", "pending", "parked"]

PARKED_SCHEMA_VERSION = 1
# A parked alert gets a short second chance inline; the growing delays between parks are the
# real backoff, and the `alertas` consumer must not sit on one unreachable backend for long.
PARKED_MAX_ATTEMPTS = 2

H_ALERT_KEY = "x-alert-key"
H_TASK_ID = "x-task-id"
H_PARK_COUNT = "x-park-count"

FINAL = frozenset({"delivered", "failed"})


def _now() -> datetime:
    return datetime.now(UTC)


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class AlertDispatcher:
    """Alert delivery now, parking and retries later (see `Publish`); `handle_parked` may run on
    several threads at once."""

    def __init__(
        self, settings: Settings, store: Store, client: AlertClient, publish: Publish, *, max_workers: int = 4
    ) -> None:
        self.settings = settings
        self.store = store
        self.client = client
        self.publish = publish
        self._delays = sorted(set(settings.alert_retry_delays))
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="alertas")
        self._closed = threading.Event()

    # --- new alerts ---------------------------------------------------------------------------

    def emit(self, task: TaskInfo, spec: AlertSpec) -> Future[str]:
        """Record the alert as pending (at once: it survives a crash right after), then
        `dispatch` it. Raises what the store raises; the Future raises if the outcome cannot be
        stored or the park cannot be published (the task message must then not be acked)."""
        row = self.store.register_alert(**self.alert_row(task, spec))
        return self.dispatch(task, spec, row)

    def alert_row(self, task: TaskInfo, spec: AlertSpec) -> dict[str, Any]:
        """`Store.register_alert`'s arguments (the rules stage records them with its batch)."""
        return alert_row(task.task_id, spec, _body(self.client, task, spec))

    @property
    def delivers(self) -> bool:
        """Whether alerts go to a backend (BACKEND_URL set); else they stay pending."""
        return bool(self.client.enabled)

    def dispatch(self, task: TaskInfo, spec: AlertSpec, row: Mapping[str, Any]) -> Future[str]:
        """Deliver an alert already recorded (`row` as stored) on the dispatcher's pool."""
        if row["delivery"] in FINAL:
            # A redelivered task does not redo its alerts.
            return _resolved(row["delivery"])
        if row.get("parked"):
            # Already durably waiting in the broker; a second chain would only add traffic.
            return _resolved("parked")
        if not self.client.enabled:
            return _resolved("pending")
        if self._closed.is_set():
            raise RuntimeError("alert dispatcher is shut down")
        # The stored body: a rerun whose analysis differs (an LLM) sends what was first recorded
        # under this Idempotency-Key. carry_context: the POST's span joins the task's trace.
        deliver = tracing.carry_context(self._deliver_new)
        return self._pool.submit(deliver, task, spec.alert_key, row["body"], time.monotonic())

    def _deliver_new(self, task: TaskInfo, alert_key: str, body: dict[str, Any], emitted_at: float) -> str:
        key = self.client.idempotency_key(task.task_id, alert_key)
        first_attempt_at = _now()
        # The inline budget runs from emit(), not from when a pool thread got to it: the task
        # message waits for this Future, and a burst of alerts queued behind a hanging backend
        # must still settle (delivered or parked) in bounded time. Each gets at least one try.
        s = self.settings
        budget = max(s.alert_inline_budget_s - (time.monotonic() - emitted_at), s.alert_timeout_s)
        outcome = self.client.deliver(task.tenant_id, key, body, budget_s=budget)
        if outcome.state == "retry_later":
            return self._park(
                task_id=task.task_id,
                alert_key=alert_key,
                tenant_id=task.tenant_id,
                key=key,
                body=body,
                first_attempt_at=first_attempt_at,
                park_count=1,
                outcome=outcome,
            )
        return self._record_final(task.task_id, alert_key, outcome)

    # --- parked alerts ------------------------------------------------------------------------

    def handle_parked(self, body: bytes) -> None:
        """Process one message from the `alertas` queue. Returning means "ack"; raising means the
        message must be requeued (the store or the broker could not take the outcome)."""
        try:
            traceparent = json.loads(body).get("traceparent")
        except (ValueError, AttributeError):
            traceparent = None
        # The alert request of a parked alert carries the task's trace context too.
        with tracing.incoming(traceparent):
            self._handle_parked(body)

    def _handle_parked(self, body: bytes) -> None:
        try:
            msg = json.loads(body)
            task_id = str(msg["task_id"])
            alert_key = str(msg["alert_key"])
            tenant_id = str(msg["tenant_id"])
            key = str(msg["idempotency_key"])
            alert_body = msg["body"]
            park_count = int(msg.get("park_count", 1))
            if not isinstance(alert_body, dict):
                raise TypeError("body is not an object")
        except (ValueError, KeyError, TypeError) as exc:
            # Requeueing a message we can never read would loop forever.
            log.error("dropping unreadable parked alert message (%s): %r", exc, body[:500])
            return
        first_attempt_at = _parse_time(msg.get("first_attempt_at")) or _now()

        row = self.store.get_alert(task_id, alert_key)
        if row is None:
            # The message carries everything the backend needs; an alert is never dropped just
            # because its bookkeeping row is gone.
            log.warning("parked alert %s has no row in the task store; delivering it anyway", key)
        elif row["delivery"] in FINAL:
            log.info("parked alert %s is already %s; nothing to do", key, row["delivery"])
            return

        age_s = (_now() - first_attempt_at).total_seconds()
        if age_s >= self.settings.alert_give_up_after_s:
            self._give_up(task_id, alert_key, key, age_s, row, msg.get("last_error"))
            return

        if not self.client.enabled:
            # BACKEND_URL was removed while the alert waited: keep it alive without retrying.
            log.warning("parked alert %s: BACKEND_URL is not set; parking it again", key)
            self._publish_park(
                task_id=task_id,
                alert_key=alert_key,
                tenant_id=tenant_id,
                key=key,
                body=alert_body,
                first_attempt_at=first_attempt_at,
                park_count=park_count + 1,
                last_error=msg.get("last_error"),
                retry_after_s=None,
            )
            return

        budget = min(
            self.settings.alert_inline_budget_s,
            PARKED_MAX_ATTEMPTS * self.settings.alert_timeout_s + self.settings.alert_backoff_cap_s,
        )
        outcome = self.client.deliver(
            tenant_id, key, alert_body, max_attempts=PARKED_MAX_ATTEMPTS, budget_s=budget
        )
        if outcome.state == "retry_later":
            self._park(
                task_id=task_id,
                alert_key=alert_key,
                tenant_id=tenant_id,
                key=key,
                body=alert_body,
                first_attempt_at=first_attempt_at,
                park_count=park_count + 1,
                outcome=outcome,
            )
            return
        self._record_final(task_id, alert_key, outcome)

    def _give_up(
        self,
        task_id: str,
        alert_key: str,
        key: str,
        age_s: float,
        row: dict[str, Any] | None,
        last_error: str | None,
    ) -> None:
        attempts = row["attempts"] if row is not None else "?"
        reason = f"gave up after {int(age_s)} s ({attempts} attempts)"
        if last_error:
            reason += f"; last error: {last_error}"
        self.store.update_alert(task_id, alert_key, delivery="failed", last_error=reason, parked=False)
        ALERTS_TOTAL.labels("given_up").inc()
        log.error(
            "alert %s for task %s %s",
            key,
            task_id,
            reason,
            extra={"task_id": task_id, "alert_key": alert_key, "idempotency_key": key},
        )

    # --- outcomes -----------------------------------------------------------------------------

    def _record_final(self, task_id: str, alert_key: str, outcome: DeliveryOutcome) -> str:
        if outcome.state == "delivered":
            changed = self.store.update_alert(
                task_id,
                alert_key,
                delivery="delivered",
                attempts_delta=outcome.attempts,
                backend_alert_id=outcome.backend_alert_id,
                parked=False,
            )
        else:
            changed = self.store.update_alert(
                task_id,
                alert_key,
                delivery="failed",
                attempts_delta=outcome.attempts,
                last_error=outcome.last_error,
                parked=False,
            )
        ALERTS_TOTAL.labels(outcome.state).inc()
        if not changed:
            # Another delivery of the same alert (a redelivered task, a duplicate parked
            # message) got there first; the store keeps the first final state.
            current = self.store.get_alert(task_id, alert_key)
            if current is not None:
                return str(current["delivery"])
        return outcome.state

    def _park(
        self,
        *,
        task_id: str,
        alert_key: str,
        tenant_id: str,
        key: str,
        body: dict[str, Any],
        first_attempt_at: datetime,
        park_count: int,
        outcome: DeliveryOutcome,
    ) -> str:
        # Attempts and the reason go to the store first, so the status shows why the alert waits
        # even if the publish below fails.
        self.store.update_alert(
            task_id, alert_key, attempts_delta=outcome.attempts, last_error=outcome.last_error
        )
        self._publish_park(
            task_id=task_id,
            alert_key=alert_key,
            tenant_id=tenant_id,
            key=key,
            body=body,
            first_attempt_at=first_attempt_at,
            park_count=park_count,
            last_error=outcome.last_error,
            retry_after_s=outcome.retry_after_s,
        )
        if not self.store.update_alert(task_id, alert_key, parked=True):
            current = self.store.get_alert(task_id, alert_key)
            if current is not None and current["delivery"] in FINAL:
                return str(current["delivery"])
        ALERTS_TOTAL.labels("parked").inc()
        return "parked"

    def delay_for(self, park_count: int, retry_after_s: float | None = None) -> int:
        """The delay tier for the n-th park (growing, the last one repeats); a longer
        Retry-After from the backend moves up to the first tier that satisfies it."""
        delay = retry_delay_for(park_count, self._delays)
        if retry_after_s is not None and retry_after_s > delay:
            longer = [d for d in self._delays if d >= retry_after_s]
            delay = longer[0] if longer else self._delays[-1]
        return delay

    def _publish_park(
        self,
        *,
        task_id: str,
        alert_key: str,
        tenant_id: str,
        key: str,
        body: dict[str, Any],
        first_attempt_at: datetime,
        park_count: int,
        last_error: str | None,
        retry_after_s: float | None,
    ) -> None:
        delay = self.delay_for(park_count, retry_after_s)
        message = {
            "schema_version": PARKED_SCHEMA_VERSION,
            "task_id": task_id,
            "alert_key": alert_key,
            "tenant_id": tenant_id,
            "idempotency_key": key,
            "body": body,
            "first_attempt_at": first_attempt_at.isoformat(),
            "park_count": park_count,
            "parked_at": _now().isoformat(),
            "delay_s": delay,
            "last_error": last_error,
            "traceparent": tracing.incoming_traceparent(),
        }
        headers = {H_TASK_ID: task_id, H_ALERT_KEY: alert_key, H_PARK_COUNT: park_count}
        self.publish(
            ALERTS_DELAY_EXCHANGE,
            alert_delay_queue_name(delay),
            json.dumps(message, ensure_ascii=False).encode(),
            headers,
        )
        log.info("alert %s parked for %d s (park #%d): %s", key, delay, park_count, last_error)

    # --- lifecycle ----------------------------------------------------------------------------

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking alerts. With wait=True, in-flight deliveries finish (call
        `client.close()` first to cut their retries short: they then park)."""
        self._closed.set()
        self._pool.shutdown(wait=wait, cancel_futures=not wait)


def _body(client: AlertClient, task: TaskInfo, spec: AlertSpec) -> dict[str, Any]:
    return client.build_body(
        spec,
        patient_id=task.patient_id or "",
        task_id=task.task_id,
        conversation_id=task.conversation_id,
        message_id=task.message_id,
    )


def alert_row(task_id: str, spec: AlertSpec, body: dict[str, Any]) -> dict[str, Any]:
    """The arguments of `Store.register_alert` for an alert of `task_id` with this backend body."""
    return {
        "task_id": task_id,
        "alert_key": spec.alert_key,
        "type": spec.type,
        "severity": spec.severity,
        "message": spec.message,
        "body": body,
    }


def _resolved(state: str) -> Future[str]:
    fut: Future[str] = Future()
    fut.set_result(state)
    return fut
