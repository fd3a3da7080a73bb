"""On PostgreSQL, a NUL character is a 422 and leaves no patient data in the API's log (issue 17):
the real `python -m api` process, its log read back from disk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import pg_schema
from tests.support.samples import PACIENTE
from tests.support.servers import free_port
from tests.support.wait import wait_until

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.broker, pytest.mark.postgres]

CPF, NOME, QUEIXA = "529.982.247-25", "Maria Aparecida Souza", "dor no peito que aperta"


@pytest.fixture
def pg_schema_url(pg_url: str) -> Iterator[str]:
    with pg_schema(pg_url) as url:
        yield url


def test_nul_on_postgresql_is_a_422_with_no_patient_data_in_the_log(
    tmp_path: Path, broker_url: str, vhost_prefix: str, pg_schema_url: str
) -> None:
    port = free_port()
    log = tmp_path / "api.log"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "RABBITMQ_URL": broker_url,
        "VHOST_PREFIX": vhost_prefix,
        "DATABASE_URL": pg_schema_url,
        "API_KEYS": "chave-a=hospital_a",
        "API_PORT": str(port),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "DEBUG",  # whatever anything logs, at any level
    }
    api = subprocess.Popen(
        [sys.executable, "-m", "api"], cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until(
            lambda: httpx.get(f"{base}/health/live").status_code == 200, timeout=60, message="the API up"
        )
        headers = {"Authorization": "Bearer chave-a"}
        # Free-form ingestion records reach the JSONB payload column, which refuses \u0000.
        ingestao = httpx.post(
            f"{base}/api/ingestao/",
            headers=headers,
            json={"fonte": "legado", "registros": [{"nome": NOME, "cpf": CPF, "queixa": f"{QUEIXA}\u0000"}]},
        )
        consulta = httpx.post(
            f"{base}/api/clinico/consulta/",
            headers=headers,
            json={"paciente_id": PACIENTE, "queixa": f"{QUEIXA}\u0000", "paciente_nome": NOME},
        )
        assert ingestao.status_code == 422, ingestao.text
        assert consulta.status_code == 422, consulta.text
        assert httpx.get(f"{base}/health/ready").status_code == 200, "the API is still well"
    finally:
        api.send_signal(signal.SIGTERM)
        api.wait(30)
    text = log.read_text()
    for secret in (CPF, CPF.replace(".", "").replace("-", ""), NOME, QUEIXA, "Aparecida"):
        assert secret not in text, f"{secret!r} in the API log"
