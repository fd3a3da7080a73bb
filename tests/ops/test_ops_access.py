"""Who may use /ops, and what a tenant's user sees (no browser needed for these)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import bcrypt
import httpx
import pytest

from api.main import create_app
from api.ops.actions import alert_idempotency_key
from tests.conftest import make_settings
from tests.support.servers import ServerThread
from workers.alerts import AlertClient

pytestmark = pytest.mark.broker

PASSWORD = "senha-da-enfermagem"


@pytest.fixture(scope="module")
def ops_url(tmp_path_factory: pytest.TempPathFactory, broker_url: str, vhost_prefix: str) -> Iterator[str]:
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    settings = make_settings(
        Path(tmp_path_factory.mktemp("ops-access")),
        rabbitmq_url=broker_url,
        vhost_prefix=vhost_prefix,
        ops_users=f"ana:{hashed}:hospital_a,operador:{hashed}",
    )
    with ServerThread(create_app(settings)) as server:
        yield server.url


def _post(url: str, key: str) -> str:
    resp = httpx.post(
        f"{url}/api/clinico/consulta/",
        json={"paciente_id": str(uuid.uuid4()), "queixa": "dor de cabeça leve"},
        headers={"X-API-Key": key},
    )
    assert resp.status_code == 202
    return str(resp.json()["task_id"])


def test_ops_without_credentials_asks_the_browser_for_a_login(ops_url: str) -> None:
    resp = httpx.get(f"{ops_url}/ops")
    assert resp.status_code == 401
    assert resp.headers["www-authenticate"].startswith("Basic")
    assert httpx.get(f"{ops_url}/ops", auth=("ana", "errada")).status_code == 401
    assert httpx.get(f"{ops_url}/ops", headers={"X-API-Key": "nope"}).status_code == 401


def test_an_ops_user_of_a_tenant_sees_only_that_tenants_tasks_and_an_operator_sees_all(ops_url: str) -> None:
    mine, theirs = _post(ops_url, "chave-a"), _post(ops_url, "chave-b")
    ana = httpx.get(f"{ops_url}/ops/tasks", auth=("ana", PASSWORD))
    assert ana.status_code == 200
    assert mine in ana.text and theirs not in ana.text
    assert httpx.get(f"{ops_url}/ops/tasks/{theirs}", auth=("ana", PASSWORD)).status_code == 404
    operator = httpx.get(f"{ops_url}/ops/tasks", auth=("operador", PASSWORD)).text
    assert mine in operator and theirs in operator


def test_tasks_filter_by_status_domain_and_type(ops_url: str) -> None:
    task = _post(ops_url, "chave-a")
    auth = ("ana", PASSWORD)
    assert (
        task
        in httpx.get(
            f"{ops_url}/ops/tasks", params={"domain": "clinico", "task_type": "consulta"}, auth=auth
        ).text
    )
    assert task not in httpx.get(f"{ops_url}/ops/tasks", params={"domain": "exames"}, auth=auth).text
    assert task not in httpx.get(f"{ops_url}/ops/tasks", params={"status": "dead_lettered"}, auth=auth).text


def test_a_button_press_from_another_site_is_refused(ops_url: str) -> None:
    task = _post(ops_url, "chave-a")
    resp = httpx.post(
        f"{ops_url}/ops/tasks/{task}/replay",
        auth=("ana", PASSWORD),
        headers={"Origin": "https://evil.example"},
    )
    assert resp.status_code == 403


def test_the_console_retries_an_alert_under_the_workers_idempotency_key() -> None:
    for alert_key in ("CRITICAL_SYMPTOM:dor_toracica", "x" * 300):
        task_id = str(uuid.uuid4())
        assert alert_idempotency_key(task_id, alert_key) == AlertClient.idempotency_key(task_id, alert_key)
