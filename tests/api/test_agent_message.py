"""POST /api/v1/agent/message at the gateway: the body docs/agent-message.md states, the task it
publishes, the 202."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.config import Settings
from tests.conftest import make_settings
from tests.integration.agent_stack import QUESTION, api, message
from tests.support.amqp import purge_all, take_all

pytestmark = pytest.mark.broker

PATH = "/api/v1/agent/message"


@pytest.fixture(scope="module")
def gateway(
    tmp_path_factory: pytest.TempPathFactory, broker_url: str, vhost_prefix: str
) -> Iterator[tuple[httpx.Client, Settings]]:
    """The API alone, no worker: every accepted message ends in a 202 after a short wait."""
    tmp: Path = tmp_path_factory.mktemp("agent-api")
    settings = make_settings(
        tmp, rabbitmq_url=broker_url, vhost_prefix=vhost_prefix, agent_reply_timeout_s=0.3
    )
    with api(settings) as (_, client):
        yield client, settings


@pytest.fixture
def gw(gateway: tuple[httpx.Client, Settings]) -> tuple[httpx.Client, Settings]:
    purge_all(gateway[1])
    return gateway


def test_a_camel_case_message_is_published_as_clinico_mensagem_with_direct_reply_to(gw: Any) -> None:
    client, settings = gw
    body = message(
        "to com febre",
        patientContext={"name": "Ana", "age": 70, "sex": "F", "oncologyTreatment": True},
        conversationHistory=[{"role": "patient", "content": "oi"}, QUESTION],
    )

    answer = client.post(PATH, json=body)

    assert answer.status_code == 202
    accepted = answer.json()
    assert answer.headers["Location"] == accepted["status_url"]
    assert (accepted["domain"], accepted["task_type"], accepted["status"]) == (
        "clinico",
        "mensagem",
        "queued",
    )
    [(props, raw)] = take_all(settings, "clinico")
    envelope = json.loads(raw)
    assert props.type == "clinico.mensagem" and props.message_id == accepted["task_id"]
    assert props.reply_to.startswith("amq.rabbitmq.reply-to.")  # the broker names the channel
    assert envelope["payload"]["patientContext"]["oncologyTreatment"] is True
    assert envelope["payload"]["conversationHistory"][1] == QUESTION
    status = client.get(accepted["status_url"]).json()
    assert status["status"] == "queued" and status["task_type"] == "mensagem"


def test_snake_case_names_are_accepted_too(gw: Any) -> None:
    client, settings = gw
    body = {
        "patient_id": str(uuid.uuid4()),
        "message": "não",
        "conversation_id": "c-1",
        "patient_context": {"oncology_treatment": True, "current_treatment": "FOLFOX"},
        "conversation_history": [QUESTION],
    }

    assert client.post(PATH, json=body).status_code == 202
    [(_, raw)] = take_all(settings, "clinico")
    payload = json.loads(raw)["payload"]
    assert payload["conversationId"] == "c-1"
    assert payload["patientContext"] == {"oncologyTreatment": True, "currentTreatment": "FOLFOX"}


def test_a_blank_diagnosis_or_name_in_the_patient_context_reads_as_not_known_and_the_message_goes_on(
    gw: Any,
) -> None:
    # The backend sends "" for what the patient record lacks; the patient's message must not be refused.
    client, settings = gw
    body = message(
        "tô com falta de ar", patientContext={"name": "", "diagnosis": " ", "currentTreatment": ""}
    )

    assert client.post(PATH, json=body).status_code == 202
    [(_, raw)] = take_all(settings, "clinico")
    context = json.loads(raw)["payload"]["patientContext"]
    assert not any(context.get(k) for k in ("name", "diagnosis", "currentTreatment"))


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"message": "   "}, ["body", "message"]),
        ({"message": "x" * 4001}, ["body", "message"]),
        ({"patientId": "não-é-um-uuid"}, ["body", "patientId"]),
        ({"patientContext": {"sex": "X"}}, ["body", "patientContext", "sex"]),
        ({"patientContext": {"age": 200}}, ["body", "patientContext", "age"]),
        (
            {"conversationHistory": [{"role": "doctor", "content": "oi"}]},
            ["body", "conversationHistory", 0, "role"],
        ),
        (
            {"conversationHistory": [{"role": "agent", "content": "oi?"}] * 51},
            ["body", "conversationHistory"],
        ),
        ({"campoDesconhecido": 1}, ["body", "campoDesconhecido"]),
        # Strict as every task body (docs/api-contract.md): no number or boolean as text, no blank names.
        ({"patientContext": {"age": "70"}}, ["body", "patientContext", "age"]),
        ({"patientContext": {"oncologyTreatment": "true"}}, ["body", "patientContext", "oncologyTreatment"]),
        ({"conversationId": " "}, ["body", "conversationId"]),
        ({"patientId": "550e8400e29b41d4a716446655440000"}, ["body", "patientId"]),
        # Both names of one field: which one would count?
        ({"conversation_id": "c-2", "conversationId": "c-1"}, ["body", "conversation_id"]),
    ],
)
def test_an_invalid_body_gets_a_422_naming_the_field_and_nothing_is_published(
    gw: Any, change: dict[str, Any], where: list[str | int]
) -> None:
    client, settings = gw

    answer = client.post(PATH, json={**message("oi"), **change})

    assert answer.status_code == 422
    assert where in [e["loc"] for e in answer.json()["detail"]]
    assert take_all(settings, "clinico") == []


def test_the_published_schema_states_the_snake_case_names_and_the_rules(gw: Any) -> None:
    client, _ = gw

    schema = client.get("/openapi.json").json()["components"]["schemas"]["AgentMessagePayload"]

    assert {"patientId", "patient_id", "message", "conversationHistory"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False
    assert {"not": {"required": ["patientId", "patient_id"]}} in schema["allOf"]
    assert {"anyOf": [{"required": ["patientId"]}, {"required": ["patient_id"]}]} in schema["allOf"]
    assert schema["properties"]["message"]["pattern"]  # not blank


def test_the_tenant_rate_limit_applies_to_agent_messages_too(
    tmp_path: Path, broker_url: str, vhost_prefix: str
) -> None:
    settings = make_settings(
        tmp_path,
        rabbitmq_url=broker_url,
        vhost_prefix=vhost_prefix,
        agent_reply_timeout_s=0.1,
        tenant_rate_limits="*=1/m",
        rate_limit_file=str(tmp_path / "buckets"),
    )
    with api(settings) as (_, client):
        first = client.post(PATH, json=message("oi"))
        second = client.post(PATH, json=message("oi de novo"))

    assert first.status_code == 202
    assert second.status_code == 429 and int(second.headers["Retry-After"]) >= 1
    purge_all(settings)


def test_fifty_turns_of_history_are_accepted(gw: Any) -> None:
    client, _ = gw
    history = [{"role": "agent", "content": "Como está?"}] * 50

    assert client.post(PATH, json=message("bem", conversationHistory=history)).status_code == 202


def test_a_request_without_an_api_key_gets_401(gw: Any) -> None:
    client, _ = gw

    assert client.post(PATH, json=message("oi"), headers={"Authorization": ""}).status_code == 401


def test_the_route_shows_in_the_docs_under_its_own_tag_with_its_200_and_202(gw: Any) -> None:
    client, _ = gw

    operation = client.get("/openapi.json").json()["paths"][PATH]["post"]

    assert operation["tags"] == ["agent (WhatsApp)"]
    assert {"200", "202", "401", "409", "413", "422", "429", "503"} <= set(operation["responses"])
    # 200: the worker's reply, or (an idempotent replay of a task not answered yet) its state.
    answers = operation["responses"]["200"]["content"]["application/json"]["schema"]["anyOf"]
    assert [a["$ref"].rsplit("/", 1)[1] for a in answers] == ["AgentReply", "TaskAccepted"]
    schema = client.get("/openapi.json").json()["components"]["schemas"]["AgentReply"]
    assert set(schema["properties"]) == {
        "taskId", "response", "criticalSymptoms", "shouldAlert", "severity",
        "structuredData", "alerts", "statusUrl", "responseSource",
    }  # fmt: skip
