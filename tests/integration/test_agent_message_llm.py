"""POST /api/v1/agent/message end to end: API → RabbitMQ (direct reply-to) → worker → NestJS.

With an LLM: the mensagem crew on the fake OpenAI server.
Each module has its own worker on fluxo_clinico: a module-scoped worker of another module would
answer this module's requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from shared.config import Settings
from tests.integration.agent_stack import (
    SECRET,
    agent_settings,
    api,
    clinico_worker,
    message,
    worker_env,
)
from tests.support.amqp import purge_all
from tests.support.fake_nestjs import FakeNestJS
from tests.support.fake_openai import FakeOpenAI
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]


@pytest.fixture(scope="module")
def nestjs() -> Iterator[FakeNestJS]:
    with FakeNestJS(jwt_secret=SECRET) as server:
        yield server


@pytest.fixture(scope="module")
def llm_stack(
    tmp_path_factory: pytest.TempPathFactory, broker_url: str, vhost_prefix: str, nestjs: FakeNestJS
) -> Iterator[tuple[httpx.Client, FakeOpenAI, Settings]]:
    tmp = tmp_path_factory.mktemp("agent-llm")
    settings = agent_settings(tmp, broker_url, vhost_prefix, nestjs, agent_reply_timeout_s=20.0)
    purge_all(settings)
    env = worker_env(
        nestjs,
        LLM_BASE_URL="",
        LLM_MODEL="modelo-local",
        LLM_TIMEOUT_S="10",
        NO_PROXY="127.0.0.1,localhost",
    )
    with FakeOpenAI() as fake:
        env["LLM_BASE_URL"] = fake.base_url
        with clinico_worker(settings, tmp / "worker.log", **env), api(settings) as (_, client):
            yield client, fake, settings


def crew_answer(resposta: str) -> dict[str, Any]:
    return {"resposta": resposta, "achados": [], "confianca": 0.9}


def test_with_an_llm_the_crew_writes_the_reply(llm_stack: tuple[httpx.Client, FakeOpenAI, Settings]) -> None:
    client, fake, _ = llm_stack
    fake.reset()
    fake.answers["MensagemSaida"] = crew_answer("Obrigada por contar, Maria. Fico feliz que esteja melhor!")
    fake.answers["TriageOutput"] = {"sintomas": [], "confianca": 0.8}

    answer = client.post("/api/v1/agent/message", json=message("hoje estou bem melhor, obrigada"))

    assert answer.status_code == 200, answer.text
    assert answer.json()["responseSource"] == "crew"
    assert answer.json()["response"] == "Obrigada por contar, Maria. Fico feliz que esteja melhor!"


def test_the_safety_instruction_of_a_critical_finding_stays_when_the_crew_leaves_it_out(
    llm_stack: tuple[httpx.Client, FakeOpenAI, Settings],
) -> None:
    client, fake, _ = llm_stack
    fake.reset()
    fake.answers["MensagemSaida"] = crew_answer("Sinto muito que esteja assim. Tente descansar um pouco.")
    fake.answers["TriageOutput"] = {"sintomas": [], "confianca": 0.8}

    answer = client.post("/api/v1/agent/message", json=message("to com muita falta de ar desde cedo"))

    reply = answer.json()
    assert answer.status_code == 200 and reply["responseSource"] == "crew"
    assert reply["response"].startswith("Sinto muito que esteja assim. Tente descansar um pouco.")
    assert "SAMU (192)" in reply["response"] and reply["severity"] == "CRITICAL"


def test_when_the_crew_is_late_the_template_reply_comes_in_time_and_the_crews_is_stored_later(
    llm_stack: tuple[httpx.Client, FakeOpenAI, Settings],
) -> None:
    client, fake, settings = llm_stack
    fake.reset()
    fake.answers["MensagemSaida"] = crew_answer("Resposta escrita pela crew, tarde demais para o paciente.")
    fake.answers["TriageOutput"] = {"sintomas": [], "confianca": 0.8}
    fake.set_mode("ok", delay_s=3)
    impatient_settings = settings.model_copy(update={"agent_reply_timeout_s": 1.5})

    with api(impatient_settings) as (_, impatient):
        answer = impatient.post("/api/v1/agent/message", json=message("to com muita falta de ar desde cedo"))

    reply = answer.json()
    assert answer.status_code == 200, answer.text
    assert reply["responseSource"] == "template" and "SAMU (192)" in reply["response"]
    assert reply["alerts"][0]["delivery"] == "delivered"
    status_path = f"/api/clinico/status/{reply['taskId']}"  # on the API that is still running
    done = wait_until(
        lambda: (s := client.get(status_path).json())["result"]["analise_ia"]["estado"] != "pendente" and s,
        timeout=40,
        message="the LLM stage done",
    )
    assert done["result"]["resposta"]["responseSource"] == "crew"
    assert done["result"]["resposta"]["response"].startswith("Resposta escrita pela crew")
