"""A full `eventos` says so: 503 with Retry-After, other vhosts keep accepting, and every task
that was accepted completes once the workers are back (docs/topology.md, EVENTOS_MAX_LENGTH).
The API and the workers run as their own least-privileged broker users."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from api.main import create_app
from tests.support.broker_users import provisioned_with_users
from tests.support.samples import PACIENTE
from tests.support.servers import ServerThread
from tests.support.wait import wait_until

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.broker, pytest.mark.slow]


def test_a_full_queue_answers_503_and_every_accepted_task_completes_when_workers_return(
    tmp_path: Path, broker_url: str
) -> None:
    with (
        provisioned_with_users(tmp_path, broker_url, eventos_max_length=5) as settings,
        ServerThread(create_app(settings)) as api,
        httpx.Client(base_url=api.url, headers={"Authorization": "Bearer chave-a"}, timeout=15) as client,
    ):
        accepted: list[str] = []
        refused = None
        for i in range(40):  # no worker is running: the queue only fills
            resp = client.post(
                "/api/clinico/consulta/", json={"paciente_id": PACIENTE, "queixa": f"tosse {i}"}
            )
            if resp.status_code != 202:
                refused = resp
                break
            accepted.append(resp.json()["task_id"])
        assert refused is not None, "40 tasks were accepted into a queue limited to 5"
        assert refused.status_code == 503 and int(refused.headers["Retry-After"]) > 0
        assert "full" in refused.json()["detail"]
        assert len(accepted) >= 5

        other = client.post(
            "/api/exames/hemograma/", json={"paciente_id": PACIENTE, "resultados": {"hemoglobina_g_dl": 13.0}}
        )
        assert other.status_code == 202, "another vhost keeps accepting"
        accepted_other = other.json()["task_id"]

        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "RABBITMQ_URL": settings.rabbitmq_url,
            "RABBITMQ_WORKER_URL": settings.rabbitmq_worker_url or "",
            "VHOST_PREFIX": settings.vhost_prefix,
            "DATABASE_URL": settings.database_url,
            "RETRY_DELAYS_S": "1,2",
            "ALERT_RETRY_DELAYS_S": "1,2",
            "LOG_FORMAT": "json",
        }
        log = tmp_path / "workers.log"
        workers = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "workers",
                "--concurrency",
                "2",
                "--vhost",
                "fluxo_clinico",
                "--vhost",
                "fluxo_exames",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        try:

            def statuses() -> dict[str, str]:
                out = {t: client.get(f"/api/clinico/status/{t}").json()["status"] for t in accepted}
                out[accepted_other] = client.get(f"/api/exames/status/{accepted_other}").json()["status"]
                return out

            wait_until(
                lambda: set(statuses().values()) == {"completed"},
                timeout=90,
                interval=0.5,
                message="every accepted task completed",
            )
        finally:
            workers.send_signal(signal.SIGTERM)
            assert workers.wait(60) == 0, log.read_text()[-3000:]
