"""Prometheus metrics of the API process (exposed at GET /metrics)."""

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
