"""With an LLM configured: rules first, CrewAI + triage on a fake OpenAI server, union of alerts."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.integration.conftest import running_stack
from tests.support.fake_nestjs import FakeNestJS
from tests.support.fake_openai import FakeOpenAI
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]

SECRET = "segredo-de-teste-com-32-bytes-ou-mais!!"
QUIET_CREW = {
    "achados": [],
    "resumo": "Sem sinais de alarme.",
    "recomendacoes": ["Reavaliar em 24 h"],
    "confianca": 0.8,
}


@pytest.fixture(scope="module")
def llm_stack(
    tmp_path_factory: pytest.TempPathFactory, broker_url: str, vhost_prefix: str
) -> Iterator[tuple[httpx.Client, FakeNestJS, FakeOpenAI]]:
    nestjs = FakeNestJS(jwt_secret=SECRET).start()
    fake = FakeOpenAI().start()
    try:
        with running_stack(
            tmp_path_factory.mktemp("e2e-llm"),
            broker_url,
            vhost_prefix,
            BACKEND_URL=nestjs.url,
            BACKEND_JWT_SECRET=SECRET,
            LLM_BASE_URL=fake.base_url,
            LLM_MODEL="modelo-local",
            LLM_TIMEOUT_S="8",
            NO_PROXY="127.0.0.1,localhost",
        ) as (client, _):
            yield client, nestjs, fake
    finally:
        fake.release_hangs()
        fake.stop()
        nestjs.stop()


def _done(client: httpx.Client, url: str) -> dict | None:
    s = client.get(url).json()
    # The LLM stage enriches a completed task afterwards (docs/workers.md): wait for it too.
    ia = (s.get("result") or {}).get("analise_ia") or {}
    settled = s["status"] == "completed" and ia.get("estado") != "pendente"
    return s if settled and all(a["delivery"] != "pending" for a in s["alerts"]) else None


def test_triage_finding_the_rules_missed_raises_an_ai_alert(llm_stack) -> None:
    client, nestjs, fake = llm_stack
    fake.reset()
    fake.answers["ClinicoSaida"] = QUIET_CREW
    fake.answers["TriageOutput"] = {
        "confianca": 0.7,
        "sintomas": [
            {
                "codigo": "confusao_mental",
                "descricao": "Confusão mental",
                "severidade": "CRITICAL",
                "negado": False,
                "trecho": "meio aéreo",
            }
        ],
    }
    patient = str(uuid.uuid4())
    accepted = client.post(
        "/api/clinico/consulta/", json={"paciente_id": patient, "queixa": "Hoje acordei meio aéreo"}
    )
    status = wait_until(lambda: _done(client, accepted.json()["status_url"]), timeout=60)

    result = status["result"]
    assert result["modo"] == "regras+ia"
    assert result["motor_regras"]["severidade"] is None, "the rules alone stayed silent"
    assert result["origem_dos_achados"] == {"triagem_llm": ["confusao_mental"]}
    ia = result["analise_ia"]
    assert ia["modelo"] == "modelo-local"
    assert ia["triagem"]["erro"] is None and ia["triagem"]["latencia_ms"] >= 0
    assert ia["crew"]["crew"] == "clinico" and ia["crew"]["erro"] is None
    assert ia["crew"]["saida"]["resumo"] == "Sem sinais de alarme."
    [alert] = status["alerts"]
    assert alert["delivery"] == "delivered" and alert["severity"] == "CRITICAL"
    [body] = [r.body for r in nestjs.requests if r.status == 201 and r.body["patientId"] == patient]
    assert body["context"]["detectedBy"] == "ai_agent"
    assert body["context"]["symptoms"] == ["confusao_mental"]
    assert {r.path for r in fake.requests} <= {"/v1/chat/completions"}


def test_llm_failure_keeps_the_rules_result_and_alert_and_still_completes(llm_stack) -> None:
    client, nestjs, fake = llm_stack
    fake.reset()
    fake.set_mode("malformed")
    patient = str(uuid.uuid4())
    accepted = client.post(
        "/api/clinico/consulta/", json={"paciente_id": patient, "queixa": "Dor no peito forte agora"}
    )
    status = wait_until(lambda: _done(client, accepted.json()["status_url"]), timeout=60)

    result = status["result"]
    assert result["severidade"] == "CRITICAL"
    assert result["origem_dos_achados"]["regras"]
    assert result["analise_ia"]["crew"]["erro"] and result["analise_ia"]["triagem"]["erro"]
    [alert] = status["alerts"]
    assert alert["delivery"] == "delivered"
    [body] = [r.body for r in nestjs.requests if r.status == 201 and r.body["patientId"] == patient]
    assert body["context"]["detectedBy"] == "rules_engine"


def test_the_llm_never_silences_a_rule_alert(llm_stack) -> None:
    client, _, fake = llm_stack
    fake.reset()
    fake.answers["ClinicoSaida"] = QUIET_CREW
    fake.answers["TriageOutput"] = {
        "confianca": 0.9,
        "sintomas": [
            {"codigo": "dor_toracica", "descricao": "Dor no peito", "severidade": "LOW", "negado": True}
        ],
    }
    accepted = client.post(
        "/api/exames/hemograma/",
        json={"paciente_id": str(uuid.uuid4()), "resultados": {"plaquetas_mm3": 8000}},
    )
    status = wait_until(lambda: _done(client, accepted.json()["status_url"]), timeout=60)
    assert status["result"]["severidade"] == "CRITICAL"
    assert status["result"]["analise_ia"]["crew"]["crew"] == "hemograma"
    assert [a["delivery"] for a in status["alerts"]] == ["delivered"]
