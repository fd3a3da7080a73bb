"""clinico.mensagem through the broker-free stages: the answer for the waiting API request."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shared.config import Settings
from shared.messages import Envelope
from shared.store import Store
from tests.conftest import make_settings
from tests.workers.test_stages import RecordingDispatcher, queued, status
from workers.handlers.mensagem import FOLLOW_UP, SAFETY, TEMPLATES, with_safety
from workers.registry import load_handlers
from workers.stages import Ack, Forward, RulesStage

load_handlers()


@pytest.fixture
def offline(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def store(offline: Settings) -> Iterator[Store]:
    s = Store(offline.database_url)
    yield s
    s.close()


def mensagem(text: str, **extra: Any) -> Envelope:
    payload = {"patientId": str(uuid.uuid4()), "message": text, "conversationId": "conv-1", **extra}
    return Envelope(domain="clinico", task_type="mensagem", tenant_id="hospital_a", payload=payload)


def test_the_answer_goes_out_with_the_stored_result_and_the_settled_alert(
    offline: Settings, store: Store
) -> None:
    dispatcher = RecordingDispatcher("delivered")
    env = mensagem("to com muita falta de ar desde cedo")

    outcome = RulesStage(offline, "clinico", store, dispatcher=dispatcher).process(queued(store, env))

    assert isinstance(outcome, Ack) and outcome.reply is not None
    reply = outcome.reply
    assert reply["taskId"] == str(env.task_id) and reply["final"] is True
    assert reply["response"] == TEMPLATES["CRITICAL"] and reply["responseSource"] == "template"
    assert reply["alerts"] == [{"type": "CRITICAL_SYMPTOM", "severity": "CRITICAL", "delivery": "delivered"}]
    assert status(store, env)["result"]["resposta"]["response"] == reply["response"]
    [(task, spec)] = dispatcher.emitted
    assert (task.conversation_id, spec.context["originalMessage"]) == ("conv-1", env.payload["message"])


def test_a_redelivered_task_answers_with_the_stored_result_without_analysing_again(
    offline: Settings, store: Store
) -> None:
    dispatcher = RecordingDispatcher("delivered", store=store)
    processor = RulesStage(offline, "clinico", store, dispatcher=dispatcher)
    body = queued(store, env := mensagem("desmaiei no banheiro"))
    first = processor.process(body)

    again = processor.process(body, {"x-delivery-count": 1})

    assert isinstance(first, Ack) and isinstance(again, Ack)
    assert again.note.startswith("skipped") and again.reply is not None and first.reply is not None
    # Alerts come from the store on this path.
    assert {**again.reply, "alerts": None} == {**first.reply, "alerts": None}
    assert [a["delivery"] for a in again.reply["alerts"]] == ["delivered"]
    assert len(dispatcher.emitted) == 1, "no second analysis, no second alert"
    assert status(store, env)["attempts"] == 1


def test_with_an_llm_stage_to_come_the_rules_answer_is_preliminary(offline: Settings, store: Store) -> None:
    llm = offline.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1"})
    processor = RulesStage(llm, "clinico", store, dispatcher=RecordingDispatcher(), llm_stage=True)

    outcome = processor.process(
        queued(store, mensagem("38,2 de febre", patientContext={"oncologyTreatment": True}))
    )

    assert isinstance(outcome, Forward) and outcome.reply is not None
    assert outcome.reply["final"] is False
    assert outcome.reply["severity"] == "CRITICAL" and outcome.reply["responseSource"] == "template"


@pytest.mark.parametrize("severity", ["CRITICAL", "HIGH"])
def test_a_crew_text_without_the_safety_instruction_gets_it_and_the_follow_up_question_appended_once(
    severity: str,
) -> None:
    bare = "Sinto muito. Descanse e beba água."

    assert with_safety(bare, severity) == f"{bare} {SAFETY[severity]} {FOLLOW_UP[severity]}"
    assert with_safety(TEMPLATES[severity], severity) == TEMPLATES[severity]
    assert with_safety(bare, None) == bare


@pytest.mark.parametrize("severity", ["CRITICAL", "HIGH"])
def test_a_crew_text_that_asks_its_own_sim_or_nao_question_keeps_it_and_gets_no_second_one(
    severity: str,
) -> None:
    own = f"{SAFETY[severity]} Você tem alguém com você agora? Responda SIM ou NÃO."

    assert with_safety(own, severity) == own


@pytest.mark.parametrize("severity", ["CRITICAL", "HIGH"])
def test_critical_and_high_templates_end_with_a_sim_or_nao_follow_up_question(severity: str) -> None:
    assert TEMPLATES[severity].endswith(FOLLOW_UP[severity])
    assert FOLLOW_UP[severity].endswith("Responda SIM ou NÃO.")
