"""The agent conversation end to end: API → RabbitMQ → worker → fake NestJS, with the follow-up
waiting in the broker (SYMPTOM_WORSENING, SCORE_CHANGE, episodes, NO_RESPONSE).

Each module has its own worker on fluxo_clinico (see test_agent_message.py); NO_RESPONSE waits
a few seconds here (NO_RESPONSE_AFTER_S) instead of half an hour.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared import topology
from shared.config import Settings
from tests.integration.agent_stack import SECRET, agent_settings, api, clinico_worker, message, worker_env
from tests.support.amqp import count, purge_all
from tests.support.fake_nestjs import FakeNestJS
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]

WAIT_S = 3
ENV = {"NO_RESPONSE_AFTER_S": str(WAIT_S)}
FOLLOWUP_QUEUES = (topology.FOLLOWUP_QUEUE, topology.followup_delay_queue_name(WAIT_S))


@pytest.fixture(scope="module")
def nestjs() -> Iterator[FakeNestJS]:
    with FakeNestJS(jwt_secret=SECRET) as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path, broker_url: str, vhost_prefix: str, nestjs: FakeNestJS) -> Settings:
    s = agent_settings(tmp_path, broker_url, vhost_prefix, nestjs)
    purge_all(s)
    return s


def sent(nestjs: FakeNestJS, conversation: str, type_: str) -> list[dict[str, Any]]:
    return [
        r.body
        for r in nestjs.requests
        if r.status == 201
        and r.body["type"] == type_
        and r.body["context"].get("conversationId") == conversation
    ]


def followups_pending(settings: Settings) -> int:
    return sum(count(settings, "clinico", q) for q in FOLLOWUP_QUEUES)


def post(client: httpx.Client, text: str, conversation: str, patient: str, **extra: Any) -> dict[str, Any]:
    answer = client.post(
        "/api/v1/agent/message", json=message(text, conversationId=conversation, patientId=patient, **extra)
    )
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_worsening_score_change_and_repeated_complaints_in_one_conversation(
    settings: Settings, tmp_path: Path, nestjs: FakeNestJS
) -> None:
    patient = str(uuid.uuid4())
    with (
        clinico_worker(settings, tmp_path / "worker.log", **worker_env(nestjs, NO_RESPONSE_AFTER_S="0")),
        api(settings) as (_, client),
    ):
        worse = post(
            client,
            "piorou muito",
            "c-worse",
            patient,
            conversationHistory=[{"role": "agent", "content": "Como está a tosse hoje?"}],
        )
        assert ("SYMPTOM_WORSENING", "HIGH") in [(a["type"], a["severity"]) for a in worse["alerts"]]
        assert worse["severity"] == "HIGH" and worse["response"].endswith("Responda SIM ou NÃO.")

        post(client, "estou com dor, nota 3", "c-score", patient)
        eight = post(client, "agora a dor está nota 8", "c-score", patient)
        assert ("SCORE_CHANGE", "HIGH") in [(a["type"], a["severity"]) for a in eight["alerts"]]
        # The alert's POST runs beside the reply: wait for the backend to have it.
        [change] = wait_until(
            lambda: sent(nestjs, "c-score", "SCORE_CHANGE"), timeout=30, message="SCORE_CHANGE"
        )
        assert (change["context"]["previousScore"], change["context"]["currentScore"]) == (3, 8)
        assert change["context"]["currentMessageId"] == change["context"]["messageId"]
        assert change["context"]["previousMessageId"] not in (None, change["context"]["messageId"])

        replies = [post(client, "estou com muita falta de ar", "c-repeat", patient) for _ in range(5)]
    assert len(sent(nestjs, "c-repeat", "CRITICAL_SYMPTOM")) == 1
    assert [len(r["alerts"]) for r in replies] == [1, 0, 0, 0, 0]
    assert all("SAMU (192)" in r["response"] for r in replies)


def test_an_unanswered_red_flag_question_raises_exactly_one_no_response_and_an_answered_one_none(
    settings: Settings, tmp_path: Path, nestjs: FakeNestJS
) -> None:
    patient = str(uuid.uuid4())
    with (
        clinico_worker(settings, tmp_path / "worker.log", **worker_env(nestjs, **ENV)),
        api(settings) as (_, client),
    ):
        silent = post(client, "desmaiei agora há pouco", "c-silent", patient)
        answered = post(client, "desmaiei agora há pouco", "c-answered", patient)
        assert silent["response"].endswith("Responda SIM ou NÃO.")
        post(client, "sim, já estou indo", "c-answered", patient)

        wait_until(lambda: sent(nestjs, "c-silent", "NO_RESPONSE"), timeout=60, message="NO_RESPONSE")
        wait_until(lambda: followups_pending(settings) == 0, timeout=60, message="every follow-up handled")
        status = client.get(silent["statusUrl"]).json()

    [alert] = sent(nestjs, "c-silent", "NO_RESPONSE")
    assert alert["severity"] == "MEDIUM" and alert["patientId"] == patient
    assert alert["context"]["question"] in silent["response"]
    assert alert["context"]["taskId"] == silent["taskId"]
    assert sent(nestjs, "c-answered", "NO_RESPONSE") == []
    assert answered["taskId"] != silent["taskId"]
    assert [(a["type"], a["delivery"]) for a in status["alerts"]] == [
        ("CRITICAL_SYMPTOM", "delivered"),
        ("NO_RESPONSE", "delivered"),
    ]


def test_restarting_the_worker_while_the_follow_up_waits_neither_loses_nor_duplicates_it(
    settings: Settings, tmp_path: Path, nestjs: FakeNestJS
) -> None:
    patient = str(uuid.uuid4())
    log = tmp_path / "worker.log"
    env = worker_env(nestjs, NO_RESPONSE_AFTER_S="6")
    delay_queue = topology.followup_delay_queue_name(6)
    with clinico_worker(settings, log, **env), api(settings) as (_, client):
        post(client, "estou com sangramento que não para", "c-restart", patient)
        # The reply goes out once the result is stored, the follow-up right after it (its confirm
        # holds the ack, not the reply: docs/agent-message.md).
        wait_until(
            lambda: count(settings, "clinico", delay_queue) == 1, timeout=10, message="the follow-up parked"
        )
    # The worker is gone; the follow-up waits in the broker.
    assert sent(nestjs, "c-restart", "NO_RESPONSE") == []
    with clinico_worker(settings, log, **env):
        wait_until(lambda: sent(nestjs, "c-restart", "NO_RESPONSE"), timeout=60, message="NO_RESPONSE")
        wait_until(
            lambda: (
                count(settings, "clinico", delay_queue) + count(settings, "clinico", topology.FOLLOWUP_QUEUE)
                == 0
            ),
            timeout=60,
            message="the follow-up handled",
        )
    assert len(sent(nestjs, "c-restart", "NO_RESPONSE")) == 1
