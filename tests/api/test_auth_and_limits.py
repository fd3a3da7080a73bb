"""API keys, tenants and body size limits."""

from __future__ import annotations

import httpx
import pytest

from api.main import ConfigurationError, create_app
from tests.api.conftest import Api
from tests.support.amqp import take_all
from tests.support.samples import ENDPOINTS

pytestmark = pytest.mark.broker

CONSULTA = ENDPOINTS[0]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer nao-existe"},
        {"X-API-Key": "nao-existe"},
        {"Authorization": "Basic Y2hhdmUtYQ=="},
    ],
)
def test_missing_or_unknown_key_is_401(api: Api, headers: dict[str, str]) -> None:
    with httpx.Client(base_url=api.url) as anon:
        resp = anon.post(CONSULTA.path, json=CONSULTA.payload(), headers=headers)
        status = anon.get(f"/api/clinico/status/{CONSULTA.body['paciente_id']}", headers=headers)
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"] == "Bearer"
    assert status.status_code == 401
    assert take_all(api.settings, "clinico") == []


def test_x_api_key_header_is_accepted(api: Api) -> None:
    with httpx.Client(base_url=api.url) as c:
        resp = c.post(CONSULTA.path, json=CONSULTA.payload(), headers={"X-API-Key": "chave-b"})
    assert resp.status_code == 202
    [(_, raw)] = take_all(api.settings, "clinico")
    assert b'"tenant_id":"hospital_b"' in raw


def test_body_over_the_limit_is_413_and_not_published(api: Api) -> None:
    body = CONSULTA.payload()
    body["queixa"] = "dor " * 2000  # ~8 KB, over this API's 4 KiB limit
    resp = api.client.post(CONSULTA.path, json=body)
    assert resp.status_code == 413
    assert "4096" in resp.json()["detail"]
    assert take_all(api.settings, "clinico") == []


def test_chunked_body_over_the_limit_is_413(api: Api) -> None:
    def chunks():
        yield b'{"paciente_id": "550e8400-e29b-41d4-a716-446655440001", "queixa": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    resp = api.client.post(CONSULTA.path, content=chunks(), headers={"Content-Type": "application/json"})
    assert resp.status_code == 413
    assert take_all(api.settings, "clinico") == []


def test_ingestion_endpoints_have_a_larger_limit(api: Api) -> None:
    records = [
        {"nome": f"Paciente {i}", "cpf": "52998224725", "data_nascimento": "1970-01-01"} for i in range(200)
    ]  # ~14 KB: over the 4 KiB default, under the 64 KiB ingestion limit
    resp = api.client.post("/api/ingestao/pacientes/", json={"registros": records})
    assert resp.status_code == 202
    assert len(take_all(api.settings, "ingestao")) == 1


def test_api_refuses_to_start_without_keys(offline_settings) -> None:
    settings = offline_settings.model_copy(update={"api_keys": None})
    with pytest.raises(ConfigurationError, match="API_KEYS"):
        create_app(settings)


def test_api_auth_disabled_allows_anonymous_requests(offline_settings) -> None:
    from fastapi.testclient import TestClient

    settings = offline_settings.model_copy(update={"api_keys": None, "api_auth": "disabled"})
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.get("/health/live").status_code == 200
        # No broker in these settings' vhosts is needed for a 404 on an unknown task.
        assert client.get("/api/clinico/status/123").status_code == 404
