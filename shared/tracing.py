"""W3C trace context and OpenTelemetry set-up shared by the API and the workers (docs/operations.md).

`traceparent` always travels (HTTP request → AMQP headers → worker → alert request), whether or
not spans are exported: a backend or a log search can join on it. Spans are recorded and exported
over OTLP/HTTP only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (and `OTEL_SDK_DISABLED` is not
true); otherwise every tracer is OpenTelemetry's no-op one and costs next to nothing.
"""

from __future__ import annotations

import contextvars
import os
import random
import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from typing import Any, TypeVar

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer, TracerProvider

from shared import ids

T = TypeVar("T")
TRACEPARENT = "traceparent"
# The trace context of the message being handled, for when no span records it (tracing off):
# the alert request still carries the task's trace id.
_incoming: contextvars.ContextVar[str | None] = contextvars.ContextVar("incoming_traceparent", default=None)
_recording = False
_TRACEPARENT_RE = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def exporting() -> bool:
    return (
        bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
        and os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() != "true"
    )


# Share of new traces recorded when OTEL_TRACES_SAMPLER is not set (docs/operations.md, "Traces"):
# recording every request cost the API about a quarter of its throughput (bench/RESULTS.md).
DEFAULT_SAMPLE_RATIO = 0.1
_RATIO_SAMPLERS = ("traceidratio", "parentbased_traceidratio")


def sample_ratio() -> float:
    """The share of new traces recorded, from the standard `OTEL_TRACES_SAMPLER(_ARG)`: a trace
    that arrives with a `traceparent` follows the caller's sampled flag whatever this says."""
    name = os.environ.get("OTEL_TRACES_SAMPLER", "").strip().lower()
    if name in ("always_on", "parentbased_always_on"):
        return 1.0
    if name in ("always_off", "parentbased_always_off"):
        return 0.0
    if name in _RATIO_SAMPLERS:
        try:
            return min(1.0, max(0.0, float(os.environ.get("OTEL_TRACES_SAMPLER_ARG", "1.0"))))
        except ValueError:
            return 1.0
    return DEFAULT_SAMPLE_RATIO


def sample_bound() -> int:
    """`sample_ratio()` as a bound for 64 random bits (`draw_sampled`)."""
    return round(sample_ratio() * (1 << 64))


def draw_sampled(bound: int) -> bool:
    """Whether a new trace is recorded: decided before any span object exists."""
    return random.getrandbits(64) < bound


def sampled_flag(traceparent: str) -> bool:
    """The sampled bit of a valid traceparent's flags."""
    return bool(int(traceparent[-1], 16) & 1)


# Spans per OTLP export (the SDK's default is 512). The exporter thread encodes a batch in Python
# under the GIL, ~80 us a span: 512 spans were ~40 ms taken from the API's event loop in one
# stretch, which every request in flight waited through (p99, docs/operations.md "Eighth session").
# Small batches spread the same work thinly. OTEL_BSP_MAX_EXPORT_BATCH_SIZE still overrides.
EXPORT_BATCH_SPANS = 64


def export_batch() -> int | None:
    """`max_export_batch_size` for the span processor: None leaves it to the SDK's environment
    variables when the operator set them (the batch may not exceed the queue)."""
    if os.environ.get("OTEL_BSP_MAX_EXPORT_BATCH_SIZE") or os.environ.get("OTEL_BSP_MAX_QUEUE_SIZE"):
        return None
    return EXPORT_BATCH_SPANS


def make_provider(service: str, *, decides_roots: bool = False) -> TracerProvider | None:
    """A tracer provider exporting over OTLP/HTTP, or None when export is not configured.
    `decides_roots`: the caller only starts a root span once it decided to record it (the API's
    middleware), so the provider records every root it is given; otherwise new traces are
    recorded at `sample_ratio()` and the others follow their parent."""
    if not exporting():
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ParentBased, TraceIdRatioBased

    root = ALWAYS_ON if decides_roots else TraceIdRatioBased(sample_ratio())
    provider = SdkTracerProvider(
        resource=Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME") or service}),
        sampler=ParentBased(root),
    )
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(), max_export_batch_size=export_batch()))
    return provider


def install_global(service: str) -> TracerProvider | None:
    """Worker processes: one global provider per process (the API keeps its own per app)."""
    global _recording
    provider = make_provider(service)
    if provider is not None:
        trace.set_tracer_provider(provider)
        _recording = True
    return provider


def recording() -> bool:
    """Whether this process records spans; hooks skip span work entirely when it does not."""
    return _recording


@contextmanager
def incoming(traceparent: Any) -> Iterator[str | None]:
    """The trace context a message arrived with, current while it is handled."""
    value = valid_traceparent(traceparent)
    token = _incoming.set(value)
    # Spans started inside (an alert POST of a parked alert) join the message's trace.
    otel_token = otel_context.attach(extract({TRACEPARENT: value})) if _recording and value else None
    try:
        yield value
    finally:
        if otel_token is not None:
            otel_context.detach(otel_token)
        _incoming.reset(token)


def incoming_traceparent() -> str | None:
    """The trace context to hand on: the current span's, else the message's."""
    return current_traceparent() or _incoming.get()


def shutdown() -> None:
    """Flush the spans still buffered (a worker stopping after its last task)."""
    provider = trace.get_tracer_provider()
    if hasattr(provider, "shutdown"):
        provider.shutdown()


def tracer(provider: TracerProvider | None = None) -> Tracer:
    return (provider or trace.get_tracer_provider()).get_tracer("clinical-task-gateway")


def valid_traceparent(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    if not isinstance(value, str):
        return None
    match = _TRACEPARENT_RE.match(value.strip().lower())
    if match is None or set(match.group(1)) == {"0"} or set(match.group(2)) == {"0"}:
        return None
    return match.group(0)


def new_traceparent() -> str:
    # Not sampled: nobody records this trace, but the id still joins the logs of every hop.
    # Trace id and span id from one read of the pool (most accepted tasks are not sampled).
    ids_hex = ids.token_hex(24)
    return f"00-{ids_hex[:32]}-{ids_hex[32:]}-00"


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return valid_traceparent(carrier.get(TRACEPARENT))


def inject(headers: MutableMapping[str, Any], fallback: str | None = None) -> None:
    """Write the current trace context into `headers`; with no active span, `fallback` (the
    request's own traceparent or a new one) so the trace id still travels."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)  # once: the traceparent and the tracestate of the same context
    value = valid_traceparent(carrier.get(TRACEPARENT)) or _incoming.get() or fallback
    if value:
        headers[TRACEPARENT] = value
        if "tracestate" in carrier:
            headers["tracestate"] = carrier["tracestate"]


def extract(headers: Mapping[str, Any] | None) -> otel_context.Context:
    carrier = {
        k.lower(): (v.decode("latin-1") if isinstance(v, bytes) else str(v))
        for k, v in (headers or {}).items()
        if k.lower() in (TRACEPARENT, "tracestate")
    }
    return propagate.extract(carrier)


@contextmanager
def span(
    name: str,
    *,
    kind: SpanKind = SpanKind.INTERNAL,
    context: otel_context.Context | None = None,
    attributes: Mapping[str, Any] | None = None,
    provider: TracerProvider | None = None,
    tracer_: Tracer | None = None,
) -> Iterator[trace.Span]:
    """`tracer_`: one kept by the caller (a tracer per call costs a `get_tracer` each)."""
    with (tracer_ or tracer(provider)).start_as_current_span(
        name, context=context, kind=kind, attributes=dict(attributes or {}), record_exception=True
    ) as current:
        try:
            yield current
        except BaseException as exc:
            current.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise


def carry_context(fn: Callable[..., T]) -> Callable[..., T]:
    """`fn` bound to the caller's trace context (OpenTelemetry's and the incoming traceparent,
    both context variables), for work handed to another thread's pool."""
    ctx = contextvars.copy_context()

    def run(*args: Any, **kwargs: Any) -> T:
        return ctx.copy().run(fn, *args, **kwargs)

    return run
