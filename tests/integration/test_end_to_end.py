"""API → RabbitMQ → `python -m workers` → NestJS backend, all real processes and sockets."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import jwt
import pytest

from shared.config import Settings
from tests.integration.conftest import running_stack
from tests.support.fake_nestjs import FakeNestJS
from tests.support.samples import ENDPOINTS, Endpoint
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]

SECRET = "segredo-de-teste-com-32-bytes-ou-mais!!"


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, broker_url: str, vhost_prefix: str
) -> Iterator[tuple[httpx.Client, FakeNestJS, Settings]]:
    nestjs = FakeNestJS(jwt_secret=SECRET).start()
    try:
        with running_stack(
            tmp_path_factory.mktemp("e2e"),
            broker_url,
            vhost_prefix,
            BACKEND_URL=nestjs.url,
            BACKEND_JWT_SECRET=SECRET,
        ) as (client, settings):
            yield client, nestjs, settings
    finally:
        nestjs.stop()


def _finished(client: httpx.Client, url: str) -> dict | None:
    status = client.get(url).json()
    return status if status["status"] in ("completed", "failed", "dead_lettered") else None


def test_chest_pain_consulta_ends_completed_with_a_delivered_critical_alert_matching_the_dto(stack) -> None:
    client, nestjs, _ = stack
    patient, conversation, message = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    accepted = client.post(
        "/api/clinico/consulta/",
        json={
            "paciente_id": patient,
            "queixa": "Estou com dor no peito forte desde cedo",
            "paciente_nome": "José da Silva",
            "conversa_id": conversation,
            "mensagem_id": message,
        },
    )
    assert accepted.status_code == 202
    url = accepted.json()["status_url"]

    status = wait_until(
        lambda: (
            (s := client.get(url).json())["alerts"]
            and s["alerts"][0]["delivery"] == "delivered"
            and s["status"] == "completed"
            and s
        ),
        timeout=30,
        message="completed with a delivered alert",
    )

    assert status["result"]["severidade"] == "CRITICAL"
    assert status["result"]["analise_ia"] is None
    [alert] = status["alerts"]
    assert alert["type"] == "CRITICAL_SYMPTOM" and alert["severity"] == "CRITICAL"
    assert alert["attempts"] == 1 and alert["last_error"] is None
    [(key, created)] = list(nestjs.alerts.items())
    assert alert["backend_alert_id"] == created["id"]
    [request] = [r for r in nestjs.requests if r.status == 201]
    body = request.body
    assert set(body) == {"patientId", "type", "severity", "message", "context"}
    assert body["patientId"] == patient
    assert body["type"] == "CRITICAL_SYMPTOM" and body["severity"] == "CRITICAL"
    assert body["message"] == alert["message"] and "José" not in body["message"]
    ctx = body["context"]
    assert "dor_toracica" in ctx["symptoms"]
    assert ctx["detectedBy"] == "rules_engine"
    assert 0 <= ctx["confidence"] <= 1
    assert ctx["taskId"] == accepted.json()["task_id"]
    assert ctx["conversationId"] == conversation and ctx["messageId"] == message
    assert request.headers["x-tenant-id"] == "hospital_a"
    assert request.headers["idempotency-key"] == key
    claims = jwt.decode(request.token, SECRET, algorithms=["HS256"])
    assert claims["sub"] == "ai-service" and claims["tenantId"] == "hospital_a"
    assert claims["roles"] == ["ADMIN"] and claims["type"] == "service"


@pytest.mark.parametrize("ep", ENDPOINTS, ids=[e.path for e in ENDPOINTS])
def test_every_endpoint_is_processed_to_completed_by_the_real_workers(stack, ep: Endpoint) -> None:
    client, _, _ = stack
    accepted = client.post(ep.path, json=ep.payload())
    assert accepted.status_code == 202
    status = wait_until(lambda: _finished(client, accepted.json()["status_url"]), timeout=30)
    assert status["status"] == "completed", status
    assert status["attempts"] == 1
    assert status["result"]["task_type"] == ep.task_type
    assert status["result"]["motor_regras"]["detalhes"]
    assert status["error"] is None


def test_negated_symptoms_complete_without_any_alert(stack) -> None:
    client, nestjs, _ = stack
    before = len(nestjs.requests)
    accepted = client.post(
        "/api/clinico/consulta/",
        json={"paciente_id": str(uuid.uuid4()), "queixa": "Nega febre, nega falta de ar, sem dor no peito."},
    )
    status = wait_until(lambda: _finished(client, accepted.json()["status_url"]), timeout=30)
    assert status["status"] == "completed" and status["alerts"] == []
    assert status["result"]["alerta"] is False
    assert len(nestjs.requests) == before


def test_critical_haemoglobin_alert_reaches_the_backend_with_its_value(stack) -> None:
    client, nestjs, _ = stack
    patient = str(uuid.uuid4())
    accepted = client.post(
        "/api/exames/hemograma/",
        json={"paciente_id": patient, "sexo": "M", "resultados": {"hemoglobina_g_dl": 5.9}},
    )
    url = accepted.json()["status_url"]
    wait_until(
        lambda: (s := client.get(url).json())["alerts"] and s["alerts"][0]["delivery"] == "delivered",
        timeout=30,
    )
    [body] = [r.body for r in nestjs.requests if r.status == 201 and r.body["patientId"] == patient]
    assert body["severity"] == "CRITICAL"
    assert any(f.get("valor") == 5.9 for f in body["context"]["findings"])


def test_lay_stroke_signs_with_typos_alert_and_a_relatives_history_does_not(stack) -> None:
    """The unseen-message failures of issue #8, end to end: lay words, a typo, a number in words."""
    client, nestjs, _ = stack
    sent = {
        "stroke": "do nada perdi a forca do braco e da perna esquerda e ficou tudo dormente desse lado",
        "dyspnoea": "to com falra de ar desde cedo",
        "fever": "ta com trinta e nove e meio de febre",
        "relative": "meu pai morreu de infarto, eu nao sinto nada, so quero um check-up",
    }
    urls = {}
    patients = {}
    for name, text in sent.items():
        patients[name] = str(uuid.uuid4())
        accepted = client.post("/api/clinico/consulta/", json={"paciente_id": patients[name], "queixa": text})
        assert accepted.status_code == 202
        urls[name] = accepted.json()["status_url"]
    for name in ("stroke", "dyspnoea", "fever"):
        status = wait_until(
            lambda n=name: (
                (s := client.get(urls[n]).json())["alerts"]
                and s["alerts"][0]["delivery"] == "delivered"
                # the alert can be delivered before the batch stores its result
                and s["status"] == "completed"
                and s
            ),
            timeout=60,
            message=f"{name} alert delivered and the task completed",
        )
        assert status["result"]["severidade"] == "CRITICAL"
        assert any(r.body["patientId"] == patients[name] for r in nestjs.requests if r.status == 201)
    quiet = wait_until(lambda: _finished(client, urls["relative"]), timeout=30)
    assert quiet["status"] == "completed" and quiet["alerts"] == []
    discarded = quiet["result"]["motor_regras"]["detalhes"]["mencoes_desconsideradas"]
    assert {m["assercao"] for m in discarded} == {"outra_pessoa"}
    assert not any(r.body["patientId"] == patients["relative"] for r in nestjs.requests)
