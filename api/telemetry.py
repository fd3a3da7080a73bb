"""Request metrics and the HTTP server span in one pure ASGI middleware (docs/operations.md, "Traces").

Measured with bench/api_publish.py: per-request telemetry cost about a quarter of the API's
throughput, most of it in work done for every request whether or not anyone would see it. Here:

- the sampling decision comes first, from the request's `traceparent` (its sampled flag) or, for a
  request that starts a trace, from the trace id against `OTEL_TRACES_SAMPLER_ARG`
  (`shared.tracing.sample_ratio`). An unsampled request creates no span, context or attribute
  dict at all: it only carries its trace id on (the publisher puts it on the message);
- the metric children (route template × method × status) are bound once, the known ones before
  the first request, so a request costs one dict lookup, an increment and an observation;
- no `BaseHTTPMiddleware`, no extra task: one wrapper around `send` that reads the status.

Outermost, so it also sees answers given by other middleware (413) and exception handlers (503).
The route template is read from the scope after routing; raw paths never become labels.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode, TracerProvider
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import HTTP_REQUEST_SECONDS, HTTP_REQUESTS
from shared import tracing

UNMATCHED = "unmatched"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Statuses the gateway answers (docs/api-contract.md); others are bound on first sight.
KNOWN_STATUSES = (200, 202, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503)

_Children = tuple[Any, Any]


class RequestTelemetry:
    def __init__(self, app: ASGIApp, tracer_provider: TracerProvider | None = None) -> None:
        self.app = app
        self._tracer = tracing.tracer(tracer_provider) if tracer_provider is not None else None
        self._sample_bound = tracing.sample_bound()
        self._children: dict[tuple[str, str, int], _Children] = {}
        self._prepared = False

    # --- metrics ------------------------------------------------------------------------------

    def prepare(self, routes: Iterable[Any]) -> None:
        """Bind the children of every route's known combinations (they also show as 0 in
        /metrics from the start, which `rate()` needs)."""
        for route in routes:
            template = _template(route)
            if template is None:
                continue
            methods = getattr(route, "methods", None) or {"GET"}
            for method in methods:
                for status in KNOWN_STATUSES:
                    self._child(template, method, status)
        for status in (404, 405, 413):
            self._child(UNMATCHED, "GET", status)
            self._child(UNMATCHED, "POST", status)
        self._prepared = True

    def _child(self, template: str, method: str, status: int) -> _Children:
        key = (template, method, status)
        children = self._children.get(key)
        if children is None:
            labels = (template, method, str(status))
            children = (HTTP_REQUESTS.labels(*labels), HTTP_REQUEST_SECONDS.labels(*labels))
            self._children[key] = children
        return children

    def _observe(self, scope: Scope, status: int, seconds: float) -> str:
        template = _template(scope.get("route")) or UNMATCHED
        method = scope["method"] if scope["method"] in _METHODS else "other"
        children = self._children.get((template, method, status)) or self._child(template, method, status)
        children[0].inc()
        children[1].observe(seconds)
        return template

    # --- the request --------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self._prepared:
            app = scope.get("app")
            self.prepare(getattr(app, "routes", ()))
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.serve(self.app, scope, receive, send_wrapper, started, lambda: status)

    async def serve(
        self, app: ASGIApp, scope: Scope, receive: Receive, send: Send, started: float, status: Any
    ) -> None:
        """Run `app` for the request with its metrics and, when sampled, its server span; `status`
        gives the answer's status code (500 until one was sent). The middleware's own path, and
        the express lane's (api/express.py), which has no `send` wrapper of its own to read."""
        parent = self._parent(scope) if self._tracer is not None else None
        if self._tracer is None or not self._sampled(parent):
            # No span: the Submitter hands the request's own traceparent (or a new, unsampled
            # one) to the message, so the trace id still joins the logs of every hop.
            try:
                await app(scope, receive, send)
            finally:
                self._observe(scope, status(), time.perf_counter() - started)
            return
        await self._traced(app, scope, receive, send, parent, started, status)

    async def _traced(
        self,
        app: ASGIApp,
        scope: Scope,
        receive: Receive,
        send: Send,
        parent: str | None,
        started: float,
        status: Any,
    ) -> None:
        assert self._tracer is not None
        ctx = tracing.extract({tracing.TRACEPARENT: parent}) if parent else None
        span = self._tracer.start_span(
            scope["method"],
            context=ctx,
            kind=SpanKind.SERVER,
            attributes={"http.request.method": scope["method"], "url.path": scope.get("path", "")},
        )
        token = otel_context.attach(trace.set_span_in_context(span, ctx))
        try:
            await app(scope, receive, send)
        except BaseException as exc:
            span.record_exception(exc)
            span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise
        finally:
            otel_context.detach(token)
            code = status()
            template = self._observe(scope, code, time.perf_counter() - started)
            span.update_name(f"{scope['method']} {template}")
            span.set_attribute("http.route", template)
            span.set_attribute("http.response.status_code", code)
            if code >= 500:
                span.set_status(Status(StatusCode.ERROR))
            span.end()

    @staticmethod
    def _parent(scope: Scope) -> str | None:
        for name, value in scope["headers"]:
            if name == b"traceparent":
                return tracing.valid_traceparent(value)
        return None

    def _sampled(self, parent: str | None) -> bool:
        if parent is not None:
            return tracing.sampled_flag(parent)  # the caller decided (parent-based)
        return tracing.draw_sampled(self._sample_bound)


def _template(route: Any) -> str | None:
    if route is None:
        return None
    return getattr(route, "path_format", None) or getattr(route, "path", None)
