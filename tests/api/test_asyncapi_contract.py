"""The AsyncAPI document against the official schema, the backend's DTO, and what is really sent."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from jsonschema import Draft7Validator, Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from shared import samples, topology
from shared.messages import Envelope
from tests.api.conftest import Api, served_asyncapi
from tests.conftest import require
from tests.support.asyncapi_specs import SPECS_VERSION, official_schema
from tests.support.fake_nestjs import CREATE_ALERT_DTO_SCHEMA, validate_create_alert_dto

pytestmark = pytest.mark.broker


@pytest.fixture(scope="module")
def document(api_module: Api) -> dict[str, Any]:
    return served_asyncapi(api_module)


def _resolve(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _without_annotations(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _without_annotations(v) for k, v in schema.items() if k not in ("title", "description")}
    if isinstance(schema, list):
        return [_without_annotations(v) for v in schema]
    return schema


def _validator(document: dict[str, Any], pointer: str) -> Draft202012Validator:
    registry = Registry().with_resource("urn:asyncapi", DRAFT202012.create_resource(document))
    return Draft202012Validator(
        {"$ref": f"urn:asyncapi#{pointer}"}, registry=registry, format_checker=FormatChecker()
    )


def test_the_document_validates_against_the_official_asyncapi_3_schema_from_npm(
    document: dict[str, Any],
) -> None:
    schema, why = official_schema("3.0.0")
    require(schema is not None, f"@asyncapi/specs@{SPECS_VERSION} not available: {why}")
    validator = Draft7Validator(schema)
    assert [e.message for e in validator.iter_errors(document)] == []
    broken = copy.deepcopy(document)
    broken["operations"]["alerta.enviar"]["action"] = "publish"  # AsyncAPI 2 wording
    assert list(validator.iter_errors(broken)), "the official schema does catch a wrong document"


def test_the_alert_message_payload_is_the_fake_backends_create_alert_dto(document: dict[str, Any]) -> None:
    message = document["components"]["messages"]["alerta_backend"]
    payload = _resolve(document, message["payload"])
    assert _without_annotations(payload) == CREATE_ALERT_DTO_SCHEMA
    headers = message["headers"]
    assert {"Authorization", "Idempotency-Key", "traceparent", "X-Tenant-Id"} <= set(headers["properties"])
    assert set(headers["required"]) == {"Authorization", "Idempotency-Key", "X-Tenant-Id"}
    # Parked alerts carry the same body.
    parked = document["components"]["messages"]["alerta_estacionada"]["payload"]["properties"]["body"]
    assert _resolve(document, parked) == payload
    channel = document["channels"]["backend.alerts"]
    assert channel["address"] == "/api/v1/alerts"
    assert document["operations"]["alerta.enviar"]["bindings"]["http"]["method"] == "POST"


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"context": None},
        {"type": "NO_RESPONSE", "severity": "MEDIUM"},
        {"message": ""},
        {"patientId": "paciente-1"},
        {"type": "CRITICO"},
        {"severity": "URGENT"},
        {"extra": 1},
        {"context": "texto"},
    ],
    ids=str,
)
def test_the_dto_schema_accepts_exactly_what_the_fake_backend_accepts(change: dict[str, Any]) -> None:
    body = {**copy.deepcopy(samples.ALERT), **change}
    validator = Draft202012Validator(CREATE_ALERT_DTO_SCHEMA, format_checker=FormatChecker())
    assert validator.is_valid(body) == (validate_create_alert_dto(body) == [])


def test_every_field_the_gateway_sends_is_required_in_the_envelope(document: dict[str, Any]) -> None:
    sent = Envelope(domain="clinico", task_type="consulta", tenant_id="t", payload={}).model_dump(mode="json")
    assert set(document["components"]["schemas"]["Envelope"]["required"]) == set(sent)


def test_channel_descriptions_say_what_each_queue_is_for(document: dict[str, Any]) -> None:
    llm = document["channels"][f"clinico.{topology.LLM_QUEUE}"]["description"]
    assert "LLM stage" in llm and "retry" not in llm
    assert "retry" in document["channels"]["clinico.eventos.retry.1s"]["description"]
    assert "dead-letter" in document["channels"][f"clinico.{topology.DLQ_QUEUE}"]["description"].lower()


def test_there_are_operations_for_every_queue_and_the_agent_reply(document: dict[str, Any]) -> None:
    ops = document["operations"]
    for domain in topology.DOMAINS:
        used = {ops[o]["channel"]["$ref"].rsplit("/", 1)[1] for o in ops if o.startswith(f"{domain}.")}
        for queue in (topology.EVENTS_QUEUE, topology.LLM_QUEUE, topology.DLQ_QUEUE, topology.ALERTS_QUEUE):
            assert f"{domain}.{queue}" in used
        assert any(u.startswith(f"{domain}.eventos.retry.") for u in used)
    agent = ops["clinico.mensagem.publicar"]
    reply_channel = _resolve(document, agent["reply"]["channel"])
    assert reply_channel["address"] == "amq.rabbitmq.reply-to"
    reply = _resolve(document, reply_channel["messages"]["clinico.mensagem.resposta"])
    fields = _resolve(document, reply["payload"])["required"]
    assert {"taskId", "response", "criticalSymptoms", "shouldAlert", "alerts", "final"} <= set(fields)


def test_each_message_has_an_example_that_validates_and_comes_from_the_docs_samples(
    document: dict[str, Any],
) -> None:
    sample_bodies = {(d, t): body for _path, d, t, body in samples.EXAMPLES}
    for name, message in document["components"]["messages"].items():
        if name == "clinico.mensagem.resposta":
            continue  # built by the worker from a result: docs/agent-message.md shows one
        assert message.get("examples"), f"{name} has an example"
        validator = _validator(document, f"/components/messages/{name}/payload")
        for example in message["examples"]:
            assert list(validator.iter_errors(example["payload"])) == [], name
        domain, _, task_type = name.partition(".")
        if (domain, task_type) in sample_bodies:
            sent = message["examples"][0]["payload"]["payload"]
            assert {k: v for k, v in sample_bodies[(domain, task_type)].items() if k in sent} == {
                k: v for k, v in sent.items() if k in sample_bodies[(domain, task_type)]
            }
    assert (
        validate_create_alert_dto(
            document["components"]["messages"]["alerta_backend"]["examples"][0]["payload"]
        )
        == []
    )
