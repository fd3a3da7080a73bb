"""GET /asyncapi.json: an AsyncAPI 3 document generated from the models and the topology."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic_asyncapi import AsyncAPI
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from shared import topology
from shared.catalog import PAYLOAD_MODELS
from shared.messages import Envelope
from tests.api.conftest import Api
from tests.support.samples import ENDPOINTS

pytestmark = pytest.mark.broker


@pytest.fixture(scope="module")
def document(api_module: Api) -> dict[str, Any]:
    resp = api_module.client.get("/asyncapi.json")
    assert resp.status_code == 200
    return resp.json()  # type: ignore[no-any-return]


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
