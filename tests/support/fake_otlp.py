"""A small OTLP/HTTP trace collector on loopback that records the spans it receives."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.support.servers import ServerThread


@dataclass(frozen=True)
class RecordedSpan:
    service: str
    name: str
    trace_id: str
    span_id: str
    parent_span_id: str
    kind: int
    attributes: dict[str, Any]


class FakeOtlpCollector:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spans: list[RecordedSpan] = []
        self._exports: list[int] = []  # spans per export request, in arrival order
        app = Starlette(routes=[Route("/v1/traces", self._traces, methods=["POST"])])
        self._server = ServerThread(app)

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def spans(self) -> list[RecordedSpan]:
        with self._lock:
            return list(self._spans)

    @property
    def exports(self) -> list[int]:
        with self._lock:
            return list(self._exports)

    def start(self) -> FakeOtlpCollector:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    async def _traces(self, request: Request) -> Response:
        export = ExportTraceServiceRequest()
        export.ParseFromString(await request.body())
        received = []
        for resource_spans in export.resource_spans:
            attrs = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            service = attrs.get("service.name", "")
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    received.append(
                        RecordedSpan(
                            service=service,
                            name=span.name,
                            trace_id=span.trace_id.hex(),
                            span_id=span.span_id.hex(),
                            parent_span_id=span.parent_span_id.hex(),
                            kind=span.kind,
                            attributes={a.key: a.value.string_value for a in span.attributes},
                        )
                    )
        with self._lock:
            self._spans.extend(received)
            self._exports.append(len(received))
        return Response(ExportTraceServiceResponse().SerializeToString(), media_type="application/x-protobuf")
