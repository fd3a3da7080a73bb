"""Worker metrics and trace spans (docs/operations.md), as small hooks the consumer, the alert client and the
LLM runner call. Everything here is cheap when tracing is off (OpenTelemetry's no-op tracer).

Metrics (Prometheus, served on `WORKER_METRICS_PORT + i` per vhost process):
- `worker_tasks_by_type_total{domain,task_type,outcome}`: outcome ack, retry, deadletter, requeue,
  forward (`worker_tasks_total{domain,outcome}` in workers/consumer.py is the per-domain view);
- `worker_task_seconds{domain,stage}`: run time of a message in the rules or the LLM stage
  (workers/consumer.py);
- `worker_llm_seconds{kind,outcome}`: crew and triage calls;
- `worker_alert_request_seconds{result}`: each HTTP request to the backend's alert endpoint;
- `worker_alerts_total{outcome}`: alerts by delivery state (workers/alerts.py);
- `worker_queue_messages{vhost,queue}`: sampled depth of eventos, retry queues, eventos.dlq, alertas.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx
from opentelemetry.trace import SpanKind
from prometheus_client import Counter, Gauge, Histogram

from shared import tracing
from shared.config import Settings
from shared.logs import get_logger
from shared.topology import DOMAINS

log = get_logger("workers.observability")

TASKS_BY_TYPE = Counter(
    "worker_tasks_by_type_total",
    "Messages handled, by domain, task type and outcome (ack, retry, deadletter, requeue)",
    ["domain", "task_type", "outcome"],
)
LLM_SECONDS = Histogram(
    "worker_llm_seconds",
    "LLM work (crew kickoff, triage call) by kind and outcome",
    ["kind", "outcome"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300),
)
ALERT_REQUEST_SECONDS = Histogram(
    "worker_alert_request_seconds",
    "HTTP requests to the backend's alert endpoint, by result (status code, timeout, network_error)",
    ["result"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUEUE_MESSAGES = Gauge(
    "worker_queue_messages", "Messages in a queue of the worker's vhost (sampled)", ["vhost", "queue"]
)

_KNOWN_TYPES = {f"{d}.{t}" for d, cfg in DOMAINS.items() for t in cfg["task_types"]}


def task_type_of(props: Any) -> str:
    """The AMQP `type` property as a metric label; anything unexpected collapses to `unknown`
    so a bad publisher cannot grow the label space."""
    value = getattr(props, "type", None) or ""
    return value.split(".", 1)[1] if value in _KNOWN_TYPES else "unknown"


def task_finished(domain: str, props: Any, outcome: str) -> None:
    TASKS_BY_TYPE.labels(domain, task_type_of(props), outcome).inc()


def tasks_finished(domain: str, props: list[Any], outcome: str) -> None:
    """`task_finished` for a batch: one counter increment per task type, not per message."""
    counts: dict[str, int] = {}
    for p in props:
        kind = task_type_of(p)
        counts[kind] = counts.get(kind, 0) + 1
    for kind, n in counts.items():
        TASKS_BY_TYPE.labels(domain, kind, outcome).inc(n)


@contextmanager
def consume_span(vhost: str, props: Any, queue: str = "eventos") -> Iterator[None]:
    """The worker's span for one delivery (AMQP properties), see `delivery_span`."""
    with delivery_span(
        vhost,
        getattr(props, "headers", None) or {},
        str(getattr(props, "message_id", "") or ""),
        str(getattr(props, "type", "") or ""),
        queue,
    ):
        yield


@contextmanager
def delivery_span(
    vhost: str, headers: Mapping[str, Any], message_id: str, task_type: str, queue: str = "eventos"
) -> Iterator[None]:
    """The worker's span for one delivery, child of the publisher's span (AMQP headers). With
    tracing off only the message's traceparent is kept current (for the alert request)."""
    with tracing.incoming(headers.get(tracing.TRACEPARENT)):
        if not tracing.recording():
            yield
            return
        attributes = {
            "messaging.system": "rabbitmq",
            "messaging.operation.type": "process",
            "messaging.destination.name": queue,
            "messaging.rabbitmq.vhost": vhost,
            "messaging.message.id": message_id,
            "task.type": task_type,
        }
        with tracing.span(
            f"{queue} process",
            kind=SpanKind.CONSUMER,
            context=tracing.extract(headers),
            attributes=attributes,
        ):
            yield


@contextmanager
def handler_span(domain: str, task_type: str, task_id: str) -> Iterator[None]:
    if not tracing.recording():
        yield
        return
    kind = f"{domain}.{task_type}"
    with tracing.span(f"handler {kind}", attributes={"task.id": task_id, "task.type": kind}):
        yield


@contextmanager
def llm_call(kind: str, name: str) -> Iterator[None]:
    """Times and traces one LLM call (`kind`: crew or triage)."""
    started = time.perf_counter()
    outcome = "error"
    try:
        if tracing.recording():
            with tracing.span(f"llm {kind} {name}", kind=SpanKind.CLIENT, attributes={"llm.kind": kind}):
                yield
        else:
            yield
        outcome = "ok"
    finally:
        LLM_SECONDS.labels(kind, outcome).observe(time.perf_counter() - started)


def alert_post(post: Callable[[dict[str, str]], Any], headers: dict[str, str], url: str) -> Any:
    """One alert POST: `post(headers)` with `traceparent` written into the request headers, inside
    a client span when tracing records, timed into `worker_alert_request_seconds`."""
    started = time.perf_counter()
    result = "network_error"
    try:
        if not tracing.recording():
            tracing.inject(headers)
            resp = post(headers)
            result = str(resp.status_code)
            return resp
        with tracing.span(
            "POST /api/v1/alerts",
            kind=SpanKind.CLIENT,
            attributes={"http.request.method": "POST", "url.full": url},
        ) as span:
            tracing.inject(headers)
            resp = post(headers)
            result = str(resp.status_code)
            span.set_attribute("http.response.status_code", resp.status_code)
            return resp
    except httpx.TimeoutException:
        result = "timeout"
        raise
    finally:
        ALERT_REQUEST_SECONDS.labels(result).observe(time.perf_counter() - started)


class QueueDepthSampler(threading.Thread):
    """Samples the depth of the vhost's queues into `worker_queue_messages` every `interval_s`,
    over its own connection (management API when configured, else AMQP passive declares)."""

    def __init__(self, settings: Settings, vhost: str, interval_s: float = 15.0) -> None:
        super().__init__(name=f"queue-depths-{vhost}", daemon=True)
        self.settings = settings
        self.vhost = vhost
        self.interval_s = interval_s
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def sample(self) -> dict[str, int]:
        from shared.queue_depths import vhost_depths

        depths = vhost_depths(self.settings, self.vhost)
        for queue, count in depths.items():
            QUEUE_MESSAGES.labels(self.vhost, queue).set(count)
        return depths

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                self.sample()
            except Exception as exc:  # the broker may be down; the consumer says so already
                log.debug("queue_depth_sample_failed", vhost=self.vhost, error=repr(exc))
            self._stop.wait(self.interval_s)
