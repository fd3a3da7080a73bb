"""GET /asyncapi.json: an AsyncAPI 3 document generated from the models and the topology."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic_asyncapi import AsyncAPI
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from shared import topology
from shared.catalog import PAYLOAD_MODELS
from shared.messages import Envelope
from tests.api.conftest import Api, served_asyncapi
from tests.support.samples import ENDPOINTS

pytestmark = pytest.mark.broker


@pytest.fixture(scope="module")
def document(api_module: Api) -> dict[str, Any]:
    return served_asyncapi(api_module)


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_the_document_is_a_valid_asyncapi_3_document(document: dict[str, Any]) -> None:
    parsed = AsyncAPI.model_validate(document)
    assert parsed.root.asyncapi == "3.0.0"
    for ref in _refs(document):
        assert ref.startswith("#/"), ref
        _resolve(document, ref)  # every reference points at something
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_every_vhost_queue_and_task_type_is_described(document: dict[str, Any]) -> None:
    for domain, cfg in topology.DOMAINS.items():
        assert document["servers"][domain]["pathname"].endswith(cfg["vhost"])
        for queue in (topology.EVENTS_QUEUE, topology.DLQ_QUEUE, topology.ALERTS_QUEUE):
            assert f"{domain}.{queue}" in document["channels"]
        assert document["operations"][f"{domain}.publicar"]["action"] == "send"
    assert set(document["components"]["messages"]) >= {f"{d}.{t}" for d, t in PAYLOAD_MODELS}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_an_envelope_the_gateway_publishes_validates_against_its_message(
    document: dict[str, Any], endpoint
) -> None:
    payload_model = PAYLOAD_MODELS[(endpoint.domain, endpoint.task_type)]
    data = {**endpoint.payload(), **endpoint.extra_payload}
    payload = payload_model.model_validate(data).model_dump(mode="json", exclude_none=True)
    envelope = Envelope(domain=endpoint.domain, task_type=endpoint.task_type, tenant_id="t", payload=payload)
    instance = json.loads(envelope.to_json_bytes())
    # The payload schema's "#/components/..." references resolve inside the whole document.
    registry = Registry().with_resource("urn:asyncapi", DRAFT202012.create_resource(document))
    pointer = f"urn:asyncapi#/components/messages/{envelope.message_type}/payload"
    validator = Draft202012Validator({"$ref": pointer}, registry=registry)
    assert list(validator.iter_errors(instance)) == []
    assert list(validator.iter_errors({**instance, "domain": "outro"})), "another domain is rejected"
    assert list(validator.iter_errors({**instance, "payload": {"paciente_id": str(uuid.uuid4()), "x": 1}}))


def test_the_follow_up_queues_carry_the_follow_up_message_of_no_response(tmp_path: Path) -> None:
    from api.asyncapi import build_asyncapi
    from tests.conftest import make_settings

    document = build_asyncapi(make_settings(tmp_path, no_response_after_s=1800))

    for address in ("seguimento", "seguimento.espera.1800s"):
        channel = document["channels"][f"clinico.{address}"]
        assert channel["address"] == address
        assert set(channel["messages"]) == {"seguimento"}
    payload = document["components"]["messages"]["seguimento"]["payload"]
    assert payload == {"$ref": "#/components/schemas/FollowUp"}
    assert {"task_id", "tenant_id", "conversation_id", "question", "asked_at"} <= set(
        document["components"]["schemas"]["FollowUp"]["required"]
    )
