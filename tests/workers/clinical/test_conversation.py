"""A short answer is read against the care team's last question (workers/clinical/conversation.py)."""

from __future__ import annotations

import uuid

import pytest

from shared.messages import ConsultaPayload
from workers.clinical.clinico import analyze_consulta
from workers.clinical.conversation import Turn, contextualize, last_question


def asked(question: str) -> list[Turn]:
    return [Turn("patient", "boa tarde"), Turn("agent", question)]


def findings(text: str) -> list[str]:
    analysis = analyze_consulta(ConsultaPayload(paciente_id=uuid.uuid4(), queixa=text))
    return [f.codigo for f in analysis.achados]


@pytest.mark.parametrize(
    "answer", ["sim, bastante", "Sim", "tô sim", "muito", "s", "tenho, bastante", "sim!!"]
)
def test_a_yes_to_a_symptom_question_makes_the_symptom_present(answer: str) -> None:
    text = contextualize(answer, asked("Entendi. Você está com falta de ar?"))

    assert text.startswith("estou com falta de ar")
    assert findings(text) == ["dispneia"]


@pytest.mark.parametrize("answer", ["não", "nao", "Não, graças a Deus", "nada", "n"])
def test_a_no_to_a_symptom_question_makes_the_symptom_negated(answer: str) -> None:
    text = contextualize(answer, asked("Você está com falta de ar?"))

    assert text.startswith("nao estou com falta de ar")
    assert findings(text) == []


def test_a_no_followed_by_another_complaint_keeps_the_complaint() -> None:
    text = contextualize("não, mas estou com dor no peito", asked("Está sentindo falta de ar?"))

    assert findings(text) == ["dor_toracica"]


@pytest.mark.parametrize(
    ("question", "statement"),
    [
        ("Teve febre hoje?", "tive febre hoje"),
        ("A senhora tem sentido dor no peito?", "tenho sentido dor no peito"),
        ("E o sangramento, você ainda está sangrando?", "estou sangrando, continua. sim"),
        ("Sente tontura?", "sinto tontura"),
    ],
)
def test_the_question_becomes_the_patients_first_person_statement(
    question: str, statement: str | None
) -> None:
    text = contextualize("sim", asked(question))

    assert text == (statement or "sim")


def test_a_message_of_its_own_is_left_as_it_is() -> None:
    history = asked("Você está com falta de ar?")

    assert contextualize("estou melhor", history) == "estou melhor"
    assert (
        contextualize("to com muita falta de ar desde cedo", history) == "to com muita falta de ar desde cedo"
    )
    assert contextualize("sim", [Turn("agent", "Bom dia! Tudo certo com a medicação.")]) == "sim"
    assert contextualize("sim", []) == "sim"


def test_only_the_care_teams_last_turn_counts() -> None:
    history = [
        Turn("agent", "Está com febre?"),
        Turn("nurse", "Você está com falta de ar?"),
        Turn("patient", "hã?"),
    ]

    assert last_question(history) == "Você está com falta de ar?"
    assert last_question([Turn("agent", "Está com febre?"), Turn("agent", "Certo, obrigado.")]) is None
