"""POST /api/v1/agent/message end to end: API → RabbitMQ (direct reply-to) → worker → NestJS.

Rules only, one worker for the module.
Each module has its own worker on fluxo_clinico: a module-scoped worker of another module would
answer this module's requests.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from shared.config import Settings
from tests.integration.agent_stack import (
    QUESTION,
    SECRET,
    agent_settings,
    api,
    clinico_worker,
    message,
    worker_env,
)
from tests.support.amqp import purge_all
from tests.support.fake_nestjs import FakeNestJS
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]


@pytest.fixture(scope="module")
def nestjs() -> Iterator[FakeNestJS]:
    with FakeNestJS(jwt_secret=SECRET) as server:
        yield server


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, broker_url: str, vhost_prefix: str, nestjs: FakeNestJS
) -> Iterator[tuple[httpx.Client, Settings]]:
    tmp = tmp_path_factory.mktemp("agent")
    settings = agent_settings(tmp, broker_url, vhost_prefix, nestjs)
    purge_all(settings)
    with clinico_worker(settings, tmp / "worker.log", **worker_env(nestjs)), api(settings) as (_, client):
        yield client, settings


def test_a_critical_message_gets_200_an_emergency_reply_and_a_delivered_alert_as_the_guide_shows(
    stack: tuple[httpx.Client, Settings], nestjs: FakeNestJS
) -> None:
    client, _ = stack
    body = message(
        "to com muita falta de ar desde cedo",
        patientContext={"name": "Maria Souza", "age": 61, "sex": "F", "diagnosis": "CA de mama"},
    )

    answer = client.post("/api/v1/agent/message", json=body)

    assert answer.status_code == 200, answer.text
    reply = answer.json()
    assert set(reply) == {
        "taskId", "response", "criticalSymptoms", "shouldAlert", "severity",
        "structuredData", "alerts", "statusUrl", "responseSource",
    }  # fmt: skip
    assert "SAMU (192)" in reply["response"] and "emergência" in reply["response"]
    assert "enfermagem" in reply["response"]
    assert reply["responseSource"] == "template"
    assert reply["criticalSymptoms"] == ["dispneia"]
    assert reply["shouldAlert"] is True and reply["severity"] == "CRITICAL"
    # The reply goes out once the result and the alert's row are stored, beside the alert's POST.
    [alert] = reply["alerts"]
    assert (alert["type"], alert["severity"]) == ("CRITICAL_SYMPTOM", "CRITICAL")
    assert alert["delivery"] in ("pending", "delivered")
    assert reply["structuredData"]["findings"][0]["codigo"] == "dispneia"
    assert reply["statusUrl"].endswith(f"/api/clinico/status/{reply['taskId']}")

    # The alert's POST runs beside the reply, so wait for its delivery before reading what the backend got.
    status = wait_until(
        lambda: (s := client.get(reply["statusUrl"]).json())["alerts"][0]["delivery"] == "delivered" and s,
        timeout=30,
        message="alert delivered",
    )
    [sent] = [
        r.body for r in nestjs.requests if r.status == 201 and r.body["context"]["taskId"] == reply["taskId"]
    ]
    assert sent["patientId"] == body["patientId"]
    assert (sent["type"], sent["severity"]) == ("CRITICAL_SYMPTOM", "CRITICAL")
    context = sent["context"]
    assert context["conversationId"] == body["conversationId"]
    assert context["messageId"] == body["messageId"]
    assert context["originalMessage"] == body["message"]
    assert context["symptoms"] == ["dispneia"]
    assert context["detectedBy"] == "rules_engine"
    assert 0 < context["confidence"] <= 1
    assert status["status"] == "completed" and status["task_type"] == "mensagem"
    assert status["result"]["resposta"]["response"] == reply["response"]


def test_a_yes_to_the_agents_question_alerts_and_a_no_does_not(stack: tuple[httpx.Client, Settings]) -> None:
    client, _ = stack
    history = [{"role": "patient", "content": "oi, boa tarde"}, QUESTION]

    yes = client.post("/api/v1/agent/message", json=message("sim, bastante", conversationHistory=history))
    no = client.post("/api/v1/agent/message", json=message("não", conversation_history=history))

    assert yes.status_code == no.status_code == 200
    assert yes.json()["shouldAlert"] is True and yes.json()["criticalSymptoms"] == ["dispneia"]
    assert yes.json()["alerts"][0]["severity"] == "CRITICAL"
    assert no.json()["shouldAlert"] is False and no.json()["alerts"] == []
    assert no.json()["severity"] is None and "SAMU" not in no.json()["response"]
    assert no.json()["structuredData"]["readAs"] == "nao estou com falta de ar"


def test_fever_of_38_2_is_critical_under_oncology_treatment_only(
    stack: tuple[httpx.Client, Settings],
) -> None:
    client, _ = stack

    onco = client.post(
        "/api/v1/agent/message", json=message("38,2 de febre", patientContext={"oncologyTreatment": True})
    )
    other = client.post(
        "/api/v1/agent/message", json=message("38,2 de febre", patientContext={"oncologyTreatment": False})
    )

    assert onco.status_code == other.status_code == 200
    assert onco.json()["severity"] == "CRITICAL" and onco.json()["shouldAlert"] is True
    assert onco.json()["structuredData"]["temperatures"]["maxima_c"] == 38.2
    assert other.json()["shouldAlert"] is False


def test_a_repeated_request_with_the_same_idempotency_key_gets_the_stored_reply(
    stack: tuple[httpx.Client, Settings],
) -> None:
    client, _ = stack
    body = message("estou com dor no peito")
    headers = {"Idempotency-Key": str(uuid.uuid4())}

    first = client.post("/api/v1/agent/message", json=body, headers=headers)
    again = client.post("/api/v1/agent/message", json=body, headers=headers)

    assert first.status_code == again.status_code == 200
    # The alert's delivery may have moved on from `pending` (the first reply did not wait for it).
    assert {**again.json(), "alerts": None} == {**first.json(), "alerts": None}
    types = [[(a["type"], a["severity"]) for a in r.json()["alerts"]] for r in (first, again)]
    assert types[0] == types[1] == [("CRITICAL_SYMPTOM", "CRITICAL")]
