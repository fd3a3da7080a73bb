"""The request middleware: sampling decided before any span exists, one server span per recorded
request, and metric series bound before the first request."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ParentBased
from prometheus_client import REGISTRY

from api.telemetry import RequestTelemetry

SAMPLED = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
UNSAMPLED = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"


def _app(sampler: str, monkeypatch: pytest.MonkeyPatch) -> tuple[TestClient, InMemorySpanExporter]:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", sampler)
    # The suite turns the SDK off (tests/conftest.py); this test records spans in memory.
    monkeypatch.setenv("OTEL_SDK_DISABLED", "false")
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=ParentBased(ALWAYS_ON))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = FastAPI()

    @app.get("/itens/{item_id}")
    async def item(item_id: str) -> dict[str, str]:
        return {"id": item_id}

    app.add_middleware(RequestTelemetry, tracer_provider=provider)
    return TestClient(app), exporter


def test_a_request_that_starts_a_trace_is_recorded_as_one_server_span_named_by_its_route(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, exporter = _app("parentbased_always_on", monkeypatch)
    assert client.get("/itens/abc").status_code == 200
    [span] = exporter.get_finished_spans()
    assert span.name == "GET /itens/{item_id}"
    assert span.attributes is not None
    assert span.attributes["http.route"] == "/itens/{item_id}"
    assert span.attributes["http.response.status_code"] == 200
    assert span.parent is None


def test_with_sampling_off_no_span_is_made_but_a_callers_sampled_trace_is_followed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, exporter = _app("parentbased_always_off", monkeypatch)
    for _ in range(20):
        assert client.get("/itens/abc").status_code == 200
    assert client.get("/itens/abc", headers={"traceparent": UNSAMPLED}).status_code == 200
    assert exporter.get_finished_spans() == ()

    assert client.get("/itens/abc", headers={"traceparent": SAMPLED}).status_code == 200
    [span] = exporter.get_finished_spans()
    assert format(span.context.trace_id, "032x") == SAMPLED.split("-")[1]
    assert span.parent is not None and format(span.parent.span_id, "016x") == SAMPLED.split("-")[2]


def test_a_ratio_sampler_records_about_that_share_of_new_traces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER_ARG", "0.25")
    client, exporter = _app("parentbased_traceidratio", monkeypatch)
    for _ in range(400):
        client.get("/itens/abc")
    assert 50 <= len(exporter.get_finished_spans()) <= 150


def test_metric_series_of_every_route_exist_before_their_first_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, _ = _app("parentbased_always_off", monkeypatch)
    # Bound on the first request of any route: the other routes' series show 0 from then on.
    client.get("/openapi.json")
    labels = {"route": "/itens/{item_id}", "method": "GET", "status": "404"}
    before = REGISTRY.get_sample_value("gateway_http_requests_total", labels)
    assert before is not None
    client.get("/itens/abc")
    ok = {**labels, "status": "200"}
    assert REGISTRY.get_sample_value("gateway_http_request_seconds_count", ok) is not None
