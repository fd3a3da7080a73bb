"""Idempotency-Key semantics and the tenant/domain isolation of the status endpoint."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.api.conftest import Api
from tests.support.amqp import take_all
from tests.support.samples import BY_PATH, ENDPOINTS

pytestmark = pytest.mark.broker

CONSULTA = ENDPOINTS[0]


def test_same_key_and_body_return_the_same_task_once(api: Api) -> None:
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    first = api.client.post(CONSULTA.path, json=CONSULTA.payload(), headers=key)
    second = api.client.post(CONSULTA.path, json=CONSULTA.payload(), headers=key)

    assert first.status_code == 202
    assert second.status_code == 200
    assert second.json()["task_id"] == first.json()["task_id"]
    assert second.headers["Location"] == first.headers["Location"]
    messages = take_all(api.settings, "clinico")
    assert len(messages) == 1, "the replayed request must not publish a second task"
    assert b'"idempotency_key":"' + key["Idempotency-Key"].encode() in messages[0][1]


def test_same_key_with_another_body_is_409(api: Api) -> None:
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    first = api.client.post(CONSULTA.path, json=CONSULTA.payload(), headers=key)
    other = CONSULTA.payload()
    other["queixa"] = "Outra queixa"
    conflict = api.client.post(CONSULTA.path, json=other, headers=key)

    assert first.status_code == 202
    assert conflict.status_code == 409
    assert "Idempotency-Key" in conflict.json()["detail"]
    assert len(take_all(api.settings, "clinico")) == 1


def test_same_key_on_another_endpoint_is_409(api: Api) -> None:
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    assert api.client.post(CONSULTA.path, json=CONSULTA.payload(), headers=key).status_code == 202
    ep = BY_PATH["/api/exames/hemograma/"]
    assert api.client.post(ep.path, json=ep.payload(), headers=key).status_code == 409


def test_idempotency_keys_are_per_tenant(api: Api) -> None:
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    a = api.client.post(CONSULTA.path, json=CONSULTA.payload(), headers=key)
    b = api.client.post(
        CONSULTA.path, json=CONSULTA.payload(), headers={**key, "Authorization": "Bearer chave-b"}
    )
    assert a.status_code == b.status_code == 202
    assert a.json()["task_id"] != b.json()["task_id"]


def test_status_is_404_for_unknown_other_domain_and_other_tenant_ids(api: Api) -> None:
    task = api.client.post(CONSULTA.path, json=CONSULTA.payload()).json()
    tid = task["task_id"]

    assert api.client.get(f"/api/clinico/status/{tid}").status_code == 200
    assert api.client.get(f"/api/clinico/status/{uuid.uuid4()}").status_code == 404
    assert api.client.get("/api/clinico/status/not-even-a-uuid").status_code == 404
    assert api.client.get(f"/api/exames/status/{tid}").status_code == 404
    with httpx.Client(base_url=api.url, headers={"Authorization": "Bearer chave-b"}) as tenant_b:
        assert tenant_b.get(f"/api/clinico/status/{tid}").status_code == 404
    assert api.client.get(f"/api/financeiro/status/{tid}").status_code == 404
