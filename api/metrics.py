"""Prometheus metrics of the API process (exposed at GET /metrics); the per-request ones are
observed by api/telemetry.py."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

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
