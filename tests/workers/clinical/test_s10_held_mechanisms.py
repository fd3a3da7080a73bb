"""Mechanisms the tenth session's held-back sets (s10g-s10i) showed at first sight and left for this
round (docs/clinical-engine.md, "Eleventh session", "held10"), as our own wordings with near misses:
a wish never to wake up, vomiting told by what it does, a person who got better beside the writer's
own complaint, a new item in a list of requests, a fever that came down and did not come back, the
writer's own tests or fever set apart from a relative's, and a procedure still to come."""

from __future__ import annotations

import pytest

from .helpers import consulta

# --- 1. "nunca mais" before an infinitive is a wish, no ending ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "só queria deitar e nunca mais levantar, tô assim faz uns dias",
        "queria dormir e nunca mais acordar, não é drama, tô assim há semanas",
    ],
)
def test_a_wish_never_to_wake_up_lasting_weeks_is_critical(text: str) -> None:
    assert consulta(text).severidade == "CRITICAL"


@pytest.mark.parametrize(
    "text",
    ["desmaiei em 2019 e nunca mais aconteceu", "tive convulsão quando era criança, nunca mais tive nada"],
)
def test_an_episode_never_repeated_is_still_over(text: str) -> None:
    assert consulta(text).severidade is None


# --- 2. Vomiting told by what it does ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "faz dois dias que até a água eu boto pra fora",
        "desde cedo é vômito atrás de vômito, não para nem um gole",
        "minha filha não segura nem um golinho de soro",
    ],
)
def test_nothing_kept_down_is_high(text: str) -> None:
    assert consulta(text).severidade == "HIGH"


@pytest.mark.parametrize(
    "text",
    [
        "ontem foi vômito atrás de vômito, mas hoje já tô bem e comendo normal",
        "meu pai não segura nem uma gota de xixi, queria marcar o urologista",
    ],
)
def test_vomiting_that_ended_or_a_bladder_is_no_alert(text: str) -> None:
    assert consulta(text).severidade is None


# --- 3. Someone who got better beside the writer's own complaint -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "meu filho já melhorou da virose e eu tô com uma diarreia fortíssima, umas 10 vezes hoje",
        "a vizinha sarou, mas eu tô com diarreia com sangue desde ontem",
    ],
)
def test_a_relative_who_got_better_does_not_end_the_writers_complaint(text: str) -> None:
    assert consulta(text).severidade in ("HIGH", "CRITICAL")


def test_the_writers_own_complaint_that_got_better_is_over() -> None:
    assert consulta("tive uma diarreia fortíssima ontem mas já melhorou").severidade is None


# --- 4. A new item in a list of requests ------------------------------------------------------------


def test_a_complaint_added_after_a_healed_scar_is_present() -> None:
    text = (
        "a cirurgia do joelho tá cicatrizada, ficou ótima, preciso de um atestado pro trabalho, "
        "e também uma dor de cabeça nota 9 desde ontem à noite"
    )
    assert consulta(text).severidade == "HIGH"


# --- 5. A fever that came down and did not come back; "hoje nada" ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a febre baixou no domingo e não voltou, só tô com o nariz escorrendo",
        "tive muita febre na época da quimio, hoje nada",
    ],
)
def test_a_fever_that_came_down_and_stayed_down_is_over(text: str) -> None:
    assert consulta(text).severidade is None


def test_a_fever_that_came_down_then_rose_again_is_present() -> None:
    assert consulta("a febre baixou de manhã e agora subiu de novo").severidade == "HIGH"


# --- 6. The writer's own tests, and a caregiver's own fever -----------------------------------------


def test_a_sisters_fever_beside_the_writers_own_tests_is_hers() -> None:
    text = "minha irmã tá na quimio e teve febre de 38,5 ontem, eu queria saber dos meus exames de sangue"
    assert consulta(text).severidade is None


def test_a_caregivers_own_fever_opening_with_e_a_filha_is_not_the_patients() -> None:
    text = "é a filha da dona Lurdes, ela tá ótima; eu que tô com febre de 39 e não vou poder levar ela"
    assert consulta(text).severidade is None


def test_the_patients_fever_told_by_her_daughter_still_alerts() -> None:
    assert consulta("é a filha da dona Lurdes, ela tá com febre de 39 desde ontem").severidade == "CRITICAL"


# --- 7. A procedure still to come -------------------------------------------------------------------


def test_bleeding_asked_about_a_procedure_next_week_is_hypothetical() -> None:
    text = "é normal sangrar muito depois de tirar o siso? vou tirar semana que vem"
    assert consulta(text).severidade is None


def test_bleeding_after_a_procedure_already_done_still_alerts() -> None:
    text = "é normal sangrar depois de tirar o siso? tirei ontem e tá sangrando muito"
    assert consulta(text).severidade == "CRITICAL"
