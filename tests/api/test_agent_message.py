"""POST /api/v1/agent/message at the gateway: the body of SPEC §9, the task it publishes, the 202."""

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
    assert {"200", "202", "401", "422", "503"} <= set(operation["responses"])
    reply = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    schema = client.get("/openapi.json").json()["components"]["schemas"][reply]
    assert set(schema["properties"]) == {
        "taskId", "response", "criticalSymptoms", "shouldAlert", "severity",
        "structuredData", "alerts", "statusUrl", "responseSource",
    }  # fmt: skip
