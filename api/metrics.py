"""Prometheus metrics of the API process (exposed at GET /metrics)."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TASKS_ACCEPTED = Counter(
    "gateway_tasks_accepted_total", "Tasks confirmed by the broker and answered 202", ["domain", "task_type"]
)
PUBLISH_FAILURES = Counter(
    "gateway_publish_failures_total",
    "Requests answered 503 because the broker was down or refused",
    ["domain"],
)
PUBLISH_SECONDS = Histogram(
    "gateway_publish_seconds",
    "Time from publish to broker confirm",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

# Every request, by route template (never the raw path: task ids would explode the label space).
HTTP_REQUESTS = Counter(
    "gateway_http_requests_total",
    "HTTP requests by route template, method and status",
    ["route", "method", "status"],
)
HTTP_REQUEST_SECONDS = Histogram(
    "gateway_http_request_seconds",
    "HTTP request latency, from the first byte of the request to the end of the response",
    ["route", "method", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
FAST_LANE = Counter(
    "gateway_fast_lane_total",
    "Task POSTs served by the fast lane (api/fastlane.py); the others went through FastAPI's own handler",
)
UNMATCHED = "unmatched"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestMetrics:
    """Pure ASGI middleware, outermost, so it also sees answers given by other middleware (413)
    and by exception handlers (503). The route template is read from the scope after routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # Label lookups cost more than the increments; the same few combinations come back.
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            self._observe(scope, status, time.perf_counter() - started)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = scope.get("route")
        template = getattr(route, "path_format", None) or getattr(route, "path", None) or UNMATCHED
        method = scope["method"] if scope["method"] in _METHODS else "other"
        key = (template, method, status)
        children = self._children.get(key)
        if children is None:
            labels = (template, method, str(status))
            children = (HTTP_REQUESTS.labels(*labels), HTTP_REQUEST_SECONDS.labels(*labels))
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)
