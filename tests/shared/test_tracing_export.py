"""Span export as the API and the workers configure it (shared/tracing.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.trace import TracerProvider

from shared import tracing
from tests.support.fake_otlp import FakeOtlpCollector


@pytest.fixture
def collector(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOtlpCollector]:
    fake = FakeOtlpCollector().start()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", fake.url)
    monkeypatch.delenv("OTEL_SDK_DISABLED", raising=False)
    monkeypatch.delenv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", raising=False)
    monkeypatch.delenv("OTEL_BSP_MAX_QUEUE_SIZE", raising=False)
    try:
        yield fake
    finally:
        fake.stop()


def _record(provider: TracerProvider, n: int) -> None:
    tracer = tracing.tracer(provider)
    for i in range(n):
        tracer.start_span(f"span {i}").end()


def _export_300_spans() -> None:
    provider = tracing.make_provider("api", decides_roots=True)
    assert provider is not None
    _record(provider, 300)
    assert provider.force_flush(10_000)  # type: ignore[attr-defined]
    provider.shutdown()  # type: ignore[attr-defined]


def test_every_span_reaches_the_collector_in_small_exports(collector: FakeOtlpCollector) -> None:
    # A large export is encoded in one stretch under the GIL, which stalls the API's event loop
    # for every request in flight; small ones spread the same work (docs/operations.md).
    _export_300_spans()
    assert len(collector.spans) == 300
    assert collector.exports and max(collector.exports) <= tracing.EXPORT_BATCH_SPANS


def test_the_operators_batch_size_wins(collector: FakeOtlpCollector, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "200")
    _export_300_spans()
    assert len(collector.spans) == 300
    assert max(collector.exports) > tracing.EXPORT_BATCH_SPANS
