"""One consulta through real processes (`python -m api`, `python -m workers`, RabbitMQ, the fake
NestJS backend, a fake OTLP collector): metrics move, one trace spans every hop, and the logs of
both processes carry none of the patient's personal data."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.conftest import ROOT, running_stack
from tests.support.fake_nestjs import FakeNestJS
from tests.support.fake_otlp import FakeOtlpCollector
from tests.support.servers import free_port
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]

CPF = "529.982.247-25"
PHONE = "(11) 98765-4321"
EMAIL = "maria.aparecida@example.com"
NAME = "Maria Aparecida Souza"
QUEIXA = (
    f"Sou {NAME}, CPF {CPF}, telefone {PHONE}, e-mail {EMAIL}. "
    "Estou com dor no peito forte e falta de ar desde ontem"
)
SECRETS = (CPF, "98765-4321", EMAIL, "Maria Aparecida", "dor no peito forte")


@dataclass
class Run:
    api: httpx.Client
    nestjs: FakeNestJS
    collector: FakeOtlpCollector
    api_log: Path
    worker_log: Path
    worker_metrics: str
    status: dict


def _samples(text: str) -> dict[tuple[str, frozenset], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _value(samples: dict, name: str, **labels: str) -> float:
    return sum(v for (n, ls), v in samples.items() if n == name and set(labels.items()) <= ls)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, broker_url: str, vhost_prefix: str) -> Iterator[Run]:
    tmp = tmp_path_factory.mktemp("observability")
    nestjs = FakeNestJS(static_token="token-de-servico").start()
    collector = FakeOtlpCollector().start()
    metrics_port = free_port()
    # Every request recorded (the default samples 10 % of new traces, docs/operations.md).
    otel = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": collector.url,
        "OTEL_BSP_SCHEDULE_DELAY": "100",
        "OTEL_TRACES_SAMPLER": "parentbased_always_on",
    }
    try:
        with running_stack(
            tmp,
            broker_url,
            vhost_prefix,
            BACKEND_URL=nestjs.url,
            BACKEND_SERVICE_TOKEN="token-de-servico",
            WORKER_METRICS_PORT=str(metrics_port),
            **otel,
        ) as (_, settings):
            port = free_port()
            api_log = tmp / "api.log"
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "RABBITMQ_URL": settings.rabbitmq_url,
                "VHOST_PREFIX": settings.vhost_prefix,
                "DATABASE_URL": settings.database_url,
                "API_KEYS": "chave-a=hospital_a",
                "API_PORT": str(port),
                "LOG_FORMAT": "json",
                **otel,
            }
            api = subprocess.Popen(
                [sys.executable, "-m", "api"],
                cwd=ROOT,
                env=env,
                stdout=api_log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            try:
                with httpx.Client(
                    base_url=f"http://127.0.0.1:{port}", headers={"X-API-Key": "chave-a"}, timeout=15
                ) as client:
                    wait_until(lambda: client.get("/health/live").status_code == 200, timeout=30)
                    accepted = client.post(
                        "/api/clinico/consulta/",
                        json={"paciente_id": str(uuid.uuid4()), "queixa": QUEIXA, "paciente_nome": NAME},
                    )
                    assert accepted.status_code == 202
                    status = wait_until(
                        lambda: (
                            (s := client.get(accepted.json()["status_url"]).json())["status"] == "completed"
                            and s["alerts"]
                            and s["alerts"][0]["delivery"] == "delivered"
                            and s
                        ),
                        timeout=30,
                        message="the consulta completed with a delivered alert",
                    )
                    worker_metrics = wait_until(
                        lambda: (
                            (text := httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text)
                            and "worker_queue_messages{" in text
                            and text
                        ),
                        timeout=30,
                        message="the worker's metrics with a queue depth sample",
                    )
                    yield Run(client, nestjs, collector, api_log, tmp / "workers.log", worker_metrics, status)
            finally:
                api.send_signal(signal.SIGTERM)
                api.wait(30)
    finally:
        collector.stop()
        nestjs.stop()


def test_api_metrics_count_the_accepted_post_and_worker_metrics_count_the_task(run: Run) -> None:
    api = _samples(run.api.get("/metrics").text)
    assert (
        _value(
            api, "gateway_http_requests_total", route="/api/clinico/consulta/", method="POST", status="202"
        )
        == 1
    )
    worker = _samples(run.worker_metrics)
    assert (
        _value(worker, "worker_tasks_by_type_total", domain="clinico", task_type="consulta", outcome="ack")
        == 1
    )
    assert _value(worker, "worker_task_seconds_count", domain="clinico", stage="rules") == 1
    assert _value(worker, "worker_alerts_total", outcome="delivered") == 1
    assert _value(worker, "worker_alert_request_seconds_count", result="201") == 1
    depth_samples = [labels for (name, labels) in worker if name == "worker_queue_messages"]
    assert any(("queue", "eventos") in labels for labels in depth_samples)
    assert any(("queue", "eventos.dlq") in labels for labels in depth_samples)


def test_one_trace_spans_the_api_the_worker_and_the_alert_post(run: Run) -> None:
    [request] = [r for r in run.nestjs.requests if r.status == 201]
    traceparent = request.headers.get("traceparent")
    assert traceparent is not None, "the backend receives the trace context"
    trace_id = traceparent.split("-")[1]

    def spans_of_trace() -> list:
        spans = [s for s in run.collector.spans if s.trace_id == trace_id]
        names = {s.name for s in spans}
        wanted = {"eventos publish", "eventos process", "handler clinico.consulta", "POST /api/v1/alerts"}
        return spans if wanted <= names and any(s.service == "api" and s.kind == 2 for s in spans) else []

    spans = wait_until(
        spans_of_trace,
        timeout=20,
        message=f"the task's spans at the collector (trace {trace_id}; received "
        f"{[(s.service, s.name, s.trace_id[:8]) for s in run.collector.spans]})",
    )
    services = {s.service for s in spans}
    assert "api" in services and any(s.startswith("worker:") for s in services)
    # The alert POST's span is the one whose id the backend received.
    [alert_span] = [s for s in spans if s.name == "POST /api/v1/alerts"]
    assert traceparent.split("-")[2] == alert_span.span_id


def test_logs_of_api_and_worker_carry_no_personal_data_or_clinical_text(run: Run) -> None:
    for path in (run.api_log, run.worker_log):
        lines = [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]
        assert lines, f"{path.name} has JSON log lines"
        info_and_above = [e for e in lines if e.get("level") in ("info", "warning", "error", "critical")]
        text = json.dumps(info_and_above, ensure_ascii=False)
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} found in {path.name}"
    worker_events = [
        json.loads(line) for line in run.worker_log.read_text().splitlines() if line.startswith("{")
    ]
    task_id = run.status["task_id"]
    [done] = [e for e in worker_events if task_id in e.get("task_ids", ())]
    assert done["event"] == "tasks_completed"
    # Every line about this one task says whose it is and which request it came from.
    about_task = [e for e in worker_events if e.get("task_id") == task_id]
    assert any(e["event"] == "alert_settled" for e in about_task)
    assert all(e.get("tenant") == "hospital_a" and e.get("correlation_id") for e in about_task)
