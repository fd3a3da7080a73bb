"""The task's W3C traceparent reaches the backend's alert request even with tracing off."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pika

from shared import tracing
from shared.store import Store
from tests.conftest import make_settings
from tests.support.fake_nestjs import FakeNestJS
from workers import observability
from workers.alert_dispatch import AlertDispatcher, TaskInfo
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


def test_a_parked_alert_keeps_the_tasks_traceparent_until_it_is_delivered(tmp_path: Path) -> None:
    spec = AlertSpec(
        alert_key="CRITICAL_SYMPTOM:sangramento",
        type="CRITICAL_SYMPTOM",
        severity="CRITICAL",
        message="Sangramento ativo",
        symptoms=["sangramento"],
        detected_by="rules_engine",
        confidence=1.0,
    )
    parked: list[bytes] = []
    store = Store(f"sqlite:///{tmp_path / 'alerts.db'}")
    with FakeNestJS(static_token="token") as nestjs:
        settings = make_settings(
            tmp_path,
            backend_url=nestjs.url,
            backend_service_token="token",
            alert_max_attempts=1,
            alert_timeout_s=0.5,
            alert_inline_budget_s=1,
        )
        client = AlertClient(settings)
        dispatcher = AlertDispatcher(settings, store, client, lambda _e, _k, body, _h: parked.append(body))
        try:
            task = TaskInfo(task_id=str(uuid.uuid4()), tenant_id="hospital_a", patient_id=str(uuid.uuid4()))
            store.create_task(
                Store.new_task_row(
                    task_id=task.task_id,
                    tenant_id="hospital_a",
                    domain="clinico",
                    task_type="consulta",
                    created_at=datetime.now(UTC),
                    correlation_id="c",
                    idempotency_key=None,
                    request_hash=None,
                )
            )
            nestjs.mode = "503"
            message = pika.BasicProperties(type="clinico.consulta", headers={"traceparent": TRACEPARENT})
            with observability.consume_span("fluxo_clinico", message):
                assert dispatcher.emit(task, spec).result(timeout=10) == "parked"
            nestjs.mode = "ok"
            [body] = parked
            dispatcher.handle_parked(body)  # the `alertas` consumer, later, on another thread
            delivered = [r for r in nestjs.requests if r.status == 201]
            assert [r.headers["traceparent"] for r in delivered] == [TRACEPARENT]
        finally:
            client.close()
            dispatcher.shutdown(wait=True)
            store.close()
