"""The OpenAPI document is exact (docs/api-contract.md): Swagger UI can authenticate, every answer
an operation gives is documented, and the edge cases schemathesis found are answered as the schema says."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api
from tests.support.amqp import take_all
from tests.support.samples import BY_PATH, ENDPOINTS

pytestmark = pytest.mark.broker


def test_openapi_declares_bearer_and_api_key_security_for_every_api_operation(api: Api) -> None:
    doc = api.client.get("/openapi.json").json()
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    assert any(s.get("name") == "X-API-Key" and s["in"] == "header" for s in schemes.values())
    for path, item in doc["paths"].items():
        for op in item.values():
            if path.startswith("/api/"):
                # Either scheme alone is enough: two requirement objects.
                assert len(op["security"]) == 2, path
            else:
                assert "security" not in op, path


def test_every_task_post_documents_each_status_it_can_answer(api: Api) -> None:
    doc = api.client.get("/openapi.json").json()
    posts = {p: i["post"] for p, i in doc["paths"].items() if "post" in i}
    # The task POSTs and the agent route (which is a task POST that may also answer its reply).
    assert len(posts) == len(ENDPOINTS) + 1 and "/api/v1/agent/message" in posts
    for path, op in posts.items():
        assert {"200", "202", "401", "409", "413", "422", "429", "503"} <= set(op["responses"]), path
        assert op["responses"]["503"]["headers"]["Retry-After"]["required"] is True
        assert op["responses"]["429"]["headers"]["Retry-After"]["required"] is True
        assert "Location" in op["responses"]["202"]["headers"]


def test_swagger_ui_offers_the_authorize_button(api: Api) -> None:
    # Swagger UI shows "Authorize" exactly when the document has security schemes.
    assert api.client.get("/docs").status_code == 200
    assert api.client.get("/openapi.json").json()["components"]["securitySchemes"]


def test_a_boolean_is_not_an_integer(api: Api) -> None:
    ep = BY_PATH["/api/clinico/alta/"]
    resp = api.client.post(ep.path, json={**ep.payload(), "retorno_em_dias": False})
    assert resp.status_code == 422
    assert resp.json()["detail"][0]["loc"] == ["body", "retorno_em_dias"]
    assert take_all(api.settings, "clinico") == []


def test_a_whole_number_written_as_a_float_is_an_integer(api: Api) -> None:
    ep = BY_PATH["/api/clinico/alta/"]
    resp = api.client.post(ep.path, json={**ep.payload(), "retorno_em_dias": 30.0})
    assert resp.status_code == 202, resp.text


def test_schema_expresses_the_at_least_one_and_non_blank_rules(api: Api) -> None:
    schemas = api.client.get("/openapi.json").json()["components"]["schemas"]
    assert len(schemas["HemogramaResultados"]["anyOf"]) == 10
    assert schemas["ExameGenericoPayload"]["anyOf"][1]["properties"]["resultados"]["minProperties"] == 1
    assert schemas["ConsultaPayload"]["properties"]["queixa"]["pattern"]


def test_exame_with_empty_resultados_and_no_text_is_rejected(api: Api) -> None:
    ep = BY_PATH["/api/exames/"]
    body = {**ep.payload(), "resultados": {}}
    body.pop("resultado_texto", None)
    assert api.client.post(ep.path, json=body).status_code == 422


def test_huge_integer_in_an_ingestion_record_with_an_idempotency_key_is_accepted(api: Api) -> None:
    body = {"fonte": "legado", "registros": [{"codigo": 876050756799401203597312}]}
    key = {"Idempotency-Key": "grande-1"}
    first = api.client.post("/api/ingestao/", json=body, headers=key)
    again = api.client.post("/api/ingestao/", json=body, headers=key)
    assert first.status_code == 202, first.text
    assert again.status_code == 200
    assert again.json()["task_id"] == first.json()["task_id"]


def test_body_that_is_not_utf8_is_a_422_not_a_400(api: Api) -> None:
    resp = api.client.post("/api/ingestao/", content=b"c\xff", headers={"Content-Type": "application/json"})
    assert resp.status_code == 422
    assert resp.json()["detail"][0]["type"] == "json_invalid"


def test_unpaired_surrogate_escape_is_a_422(api: Api) -> None:
    raw = b'{"fonte": "x", "registros": [{"nome": "\\ud800"}]}'
    resp = api.client.post("/api/ingestao/", content=raw, headers={"Content-Type": "application/json"})
    assert resp.status_code == 422
    assert take_all(api.settings, "ingestao") == []
