"""An LLM endpoint that accepts and never answers must not delay a nurse's alert (docs/workers.md)."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from tests.integration.conftest import running_stack
from tests.support.fake_nestjs import FakeNestJS
from tests.support.fake_openai import FakeOpenAI
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]

SECRET = "segredo-de-teste-com-32-bytes-ou-mais!!"
BACKLOG = 100


def test_a_critical_consulta_behind_100_llm_bound_tasks_alerts_at_once_while_the_llm_hangs(
    tmp_path: Path, broker_url: str, vhost_prefix: str
) -> None:
    with FakeNestJS(jwt_secret=SECRET) as nestjs, FakeOpenAI() as fake:
        fake.set_mode("hang", hang_s=120)
        try:
            with running_stack(
                tmp_path,
                broker_url,
                vhost_prefix,
                vhosts=("fluxo_clinico",),
                BACKEND_URL=nestjs.url,
                BACKEND_JWT_SECRET=SECRET,
                LLM_BASE_URL=fake.base_url,
                LLM_MODEL="modelo-local",
                LLM_TIMEOUT_S="1",
                WORKER_LLM_CONCURRENCY="32",
                NO_PROXY="127.0.0.1,localhost",
            ) as (client, _):
                backlog = [
                    client.post(
                        "/api/clinico/consulta/",
                        json={"paciente_id": str(uuid.uuid4()), "queixa": "Retorno de rotina, sem queixas"},
                    ).json()["status_url"]
                    for _ in range(BACKLOG)
                ]
                patient = str(uuid.uuid4())
                critical = client.post(
                    "/api/clinico/consulta/",
                    json={"paciente_id": patient, "queixa": "Dor no peito forte agora"},
                )
                accepted_at = time.monotonic()
                assert critical.status_code == 202

                [alert] = wait_until(
                    lambda: [
                        r for r in nestjs.requests if r.status == 201 and r.body["patientId"] == patient
                    ],
                    timeout=60,
                    interval=0.02,
                    message="the critical rules alert at the backend",
                )
                latency = alert.at - accepted_at
                print(f"\ncritical alert reached the backend {latency:.2f} s after its 202 (target 3 s)")
                (tmp_path / "critical_alert_latency_s").write_text(f"{latency:.3f}\n")
                assert alert.body["context"]["detectedBy"] == "rules_engine"

                # The rules stage completed every task; the hanging LLM leaves the last ones pending...
                last = wait_until(
                    lambda: (s := client.get(backlog[-1]).json())["status"] == "completed" and s,
                    timeout=60,
                    message="the last backlog task completed by the rules stage",
                )
                assert last["result"]["analise_ia"]["estado"] == "pendente"
                # ...until each one's LLM budget runs out: then it shows the failure, rules intact.
                for url in backlog:
                    final = wait_until(
                        lambda u=url: (
                            (s := client.get(u).json())["result"]["analise_ia"]["estado"] != "pendente" and s
                        ),
                        timeout=180,
                        interval=0.2,
                        message="the LLM stage to give up on a hanging endpoint",
                    )
                    assert final["status"] == "completed"
                    assert final["result"]["analise_ia"]["estado"] == "falhou"
                    assert final["result"]["motor_regras"]["versao"]
        finally:
            fake.release_hangs()
