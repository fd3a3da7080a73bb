"""The task's W3C traceparent reaches the backend's alert request even with tracing off."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pika

from shared import tracing
from tests.conftest import make_settings
from tests.support.fake_nestjs import FakeNestJS
from workers import observability
from workers.alerts import AlertClient
from workers.findings import AlertSpec

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def test_an_alert_sent_from_a_delivery_thread_carries_the_messages_traceparent(tmp_path: Path) -> None:
    assert not tracing.recording()
    spec = AlertSpec(
        alert_key="CRITICAL_SYMPTOM:dor_toracica",
        type="CRITICAL_SYMPTOM",
        severity="CRITICAL",
        message="Dor torácica",
        symptoms=["dor_toracica"],
        detected_by="rules_engine",
        confidence=1.0,
    )
    with FakeNestJS(static_token="token") as nestjs:
        client = AlertClient(make_settings(tmp_path, backend_url=nestjs.url, backend_service_token="token"))
        body = client.build_body(spec, patient_id=str(uuid.uuid4()), task_id="t1")
        message = pika.BasicProperties(type="clinico.consulta", headers={"traceparent": TRACEPARENT})
        with observability.consume_span("fluxo_clinico", message), ThreadPoolExecutor(1) as pool:
            # As the alert dispatcher does: delivery runs on another thread.
            deliver = tracing.carry_context(client.deliver)
            outcome = pool.submit(deliver, "hospital_a", "t1:k", body).result()
        assert outcome.state == "delivered"
        [request] = nestjs.requests
        assert request.headers["traceparent"] == TRACEPARENT
        client.close()
