"""A task's /ops page shows the request payload it was submitted with, personal data masked; the
status API does not show it at all."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import bcrypt
import httpx
import pytest

from api.main import create_app
from tests.conftest import make_settings
from tests.support.servers import ServerThread

pytestmark = pytest.mark.broker

PASSWORD = "senha-da-enfermagem"
NAME, CPF, PHONE, EMAIL = "Joana Prado", "529.982.247-25", "(11) 98765-4321", "joana.prado@example.com.br"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, broker_url: str, vhost_prefix: str) -> Iterator[str]:
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    settings = make_settings(
        Path(tmp_path_factory.mktemp("ops-payload")),
        rabbitmq_url=broker_url,
        vhost_prefix=vhost_prefix,
        ops_users=f"ana:{hashed}:hospital_a,bruno:{hashed}:hospital_b",
    )
    with ServerThread(create_app(settings)) as server:
        yield server.url


def _submit(url: str, headers: dict[str, str] | None = None) -> tuple[str, str]:
    patient = str(uuid.uuid4())
    resp = httpx.post(
        f"{url}/api/clinico/consulta/",
        json={
            "paciente_id": patient,
            "paciente_nome": NAME,
            "queixa": f"dor no peito desde ontem; CPF {CPF}, telefone {PHONE}, e-mail {EMAIL}",
            "sinais_vitais": {"spo2_pct": 91},
        },
        headers={"X-API-Key": "chave-a", **(headers or {})},
    )
    assert resp.status_code == 202, resp.text
    return str(resp.json()["task_id"]), patient


@pytest.mark.parametrize("idempotency_key", [None, "payload-page-1"])
def test_the_task_page_shows_the_submitted_payload_with_personal_data_masked(
    url: str, idempotency_key: str | None
) -> None:
    headers = {"Idempotency-Key": f"{idempotency_key}-{uuid.uuid4()}"} if idempotency_key else None
    task_id, patient = _submit(url, headers)

    page = httpx.get(f"{url}/ops/tasks/{task_id}", auth=("ana", PASSWORD))

    assert page.status_code == 200
    assert "stores results, not request payloads" not in page.text
    # What the clinician needs to read stays: the patient's id, the complaint, the vitals.
    for kept in (patient, "dor no peito desde ontem", "spo2_pct", "[cpf]", "[telefone]", "[email]"):
        assert kept in page.text
    for secret in (NAME, "Joana", CPF, "98765-4321", EMAIL):
        assert secret not in page.text


def test_another_tenants_user_gets_404_for_the_task_page(url: str) -> None:
    task_id, _ = _submit(url)
    assert httpx.get(f"{url}/ops/tasks/{task_id}", auth=("bruno", PASSWORD)).status_code == 404


def test_the_status_api_does_not_return_the_payload(url: str) -> None:
    task_id, _ = _submit(url)
    status = httpx.get(f"{url}/api/clinico/status/{task_id}", headers={"X-API-Key": "chave-a"})
    assert status.status_code == 200
    body = status.json()
    assert "payload" not in body
    assert CPF not in status.text and "dor no peito" not in status.text
