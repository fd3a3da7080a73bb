"""Every POST endpoint publishes a confirmed, well-formed task into its domain's `eventos` queue."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from api.main import create_app
from shared import topology
from tests.api.conftest import Api
from tests.conftest import make_settings
from tests.support.amqp import take_all
from tests.support.samples import ENDPOINTS, Endpoint
from tests.support.servers import ServerThread

pytestmark = pytest.mark.broker


@pytest.mark.parametrize("ep", ENDPOINTS, ids=[e.path for e in ENDPOINTS])
def test_post_publishes_envelope_to_the_domain_queue(api: Api, ep: Endpoint) -> None:
    resp = api.client.post(ep.path, json=ep.payload(), headers={"X-Correlation-ID": "corr-123"})

    assert resp.status_code == 202, resp.text
    body = resp.json()
    assert set(body) == {"task_id", "domain", "task_type", "status", "status_url"}
    assert body["domain"] == ep.domain and body["task_type"] == ep.task_type
    assert body["status"] == "queued"
    assert resp.headers["Location"] == body["status_url"]
    assert body["status_url"].endswith(f"/api/{ep.domain}/status/{body['task_id']}")

    messages = take_all(api.settings, ep.domain)
    assert len(messages) == 1, "exactly one message in the domain's eventos queue"
    props, raw = messages[0]
    envelope = json.loads(raw)
    assert set(envelope) == {
        "schema_version",
        "task_id",
        "domain",
        "task_type",
        "tenant_id",
        "payload",
        "created_at",
        "correlation_id",
        "idempotency_key",
    }
    assert envelope["schema_version"] == 1
    assert envelope["task_id"] == body["task_id"]
    assert (envelope["domain"], envelope["task_type"]) == (ep.domain, ep.task_type)
    assert envelope["tenant_id"] == "hospital_a"
    assert envelope["correlation_id"] == "corr-123"
    assert envelope["idempotency_key"] is None
    assert datetime.fromisoformat(envelope["created_at"]).utcoffset() is not None
    expected_payload = {**ep.payload(), **ep.extra_payload}
    for key, value in expected_payload.items():
        if key == "paciente_id":
            assert uuid.UUID(envelope["payload"][key]) == uuid.UUID(value)
        elif key not in ("data_internacao",):
            assert envelope["payload"][key] == value, key
    assert props.message_id == body["task_id"]
    assert props.type == f"{ep.domain}.{ep.task_type}"
    assert props.correlation_id == "corr-123"
    assert props.content_type == "application/json"
    assert props.delivery_mode == 2
    assert props.timestamp is not None

    for other in topology.all_domains():
        if other != ep.domain:
            assert take_all(api.settings, other) == [], f"nothing may land in {other}"


def test_status_of_a_new_task_is_queued(api: Api) -> None:
    ep = ENDPOINTS[0]
    task = api.client.post(ep.path, json=ep.payload()).json()
    resp = api.client.get(task["status_url"])
    assert resp.status_code == 200
    status = resp.json()
    assert set(status) == {
        "task_id",
        "domain",
        "task_type",
        "status",
        "attempts",
        "created_at",
        "updated_at",
        "result",
        "alerts",
        "error",
    }
    assert status["status"] == "queued"
    assert status["attempts"] == 0
    assert status["alerts"] == [] and status["result"] is None and status["error"] is None


def test_imagem_path_type_outside_the_enum_is_rejected(api: Api) -> None:
    resp = api.client.post(
        "/api/exames/imagem/cintilografia", json={"paciente_id": str(uuid.uuid4()), "laudo": "texto"}
    )
    assert resp.status_code == 422
    assert resp.json()["detail"][0]["loc"] == ["path", "tipo_exame"]
    assert take_all(api.settings, "exames") == []


def test_a_body_larger_than_one_amqp_frame_arrives_whole(api: Api, tmp_path: Path) -> None:
    # frame_max is 128 KiB: the body goes out as several content frames (api/confirmed.py). The
    # shared test API caps ingestion bodies at 64 KiB, so this one runs with the default limits.
    settings = make_settings(
        tmp_path, rabbitmq_url=api.settings.rabbitmq_url, vhost_prefix=api.settings.vhost_prefix
    )
    registros = [
        {"nome": f"Paciente {i:05d}", "cpf": "52998224725", "data_nascimento": "1970-05-20"}
        for i in range(4000)
    ]
    with (
        ServerThread(create_app(settings)) as server,
        httpx.Client(base_url=server.url, headers={"Authorization": "Bearer chave-a"}, timeout=30) as client,
    ):
        resp = client.post("/api/ingestao/pacientes/", json={"registros": registros})
    assert resp.status_code == 202, resp.text

    messages = take_all(api.settings, "ingestao")
    assert len(messages) == 1
    props, raw = messages[0]
    assert len(raw) > 2 * 131_072
    envelope = json.loads(raw)
    assert [r["nome"] for r in envelope["payload"]["registros"]] == [r["nome"] for r in registros]
    assert props.message_id == resp.json()["task_id"]
