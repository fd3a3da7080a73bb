"""Mechanisms the tenth session's blind sets showed (docs/clinical-engine.md, "Tenth session",
"rules10"), as our own wordings with near misses: "não deixa eu nem levantar", a turn to the present
after an ending told first, "sem conseguir segurar nada", a decimal said aloud ("38 e 6"), a
reported question in spoken spelling ("priguntô"), a test of whether a symptom is there, and a
question about "uma pessoa" that the next sentence makes the writer's own."""

from __future__ import annotations

import uuid
from itertools import product

import pytest

from shared.messages import AgentMessagePayload
from workers.clinical import ClinicalAnalysis
from workers.clinical.mensagem import analyze_mensagem

from .helpers import consulta


def oncology_message(text: str) -> ClinicalAnalysis:
    payload = AgentMessagePayload.model_validate(
        {"patientId": str(uuid.uuid4()), "message": text, "patientContext": {"oncologyTreatment": True}}
    )
    return analyze_mensagem(payload)


# --- 1. "não deixa eu nem levantar": "nem" after a spoken object pronoun intensifies ---------------


@pytest.mark.parametrize(
    "text",
    [
        f"uma dor {where} que não deixa {who} nem {verb}, de zero a dez é um nove"
        for where, who, verb in product(
            ("nas costas", "na perna", "no joelho"), ("eu", "ela", "ele"), ("levantar", "dormir", "andar")
        )
    ],
)
def test_a_pain_that_does_not_let_me_even_get_up_keeps_its_score(text: str) -> None:
    analysis = consulta(text)
    assert analysis.severidade == "HIGH"
    assert analysis.detalhes["dor"]["maxima"] == 9.0


@pytest.mark.parametrize(
    "text",
    [
        "eu nem tive dor essa semana, de zero a dez é um zero",
        "o remédio deixa eu bem, nem febre eu tenho mais",
    ],
)
def test_nem_still_denies_where_nothing_is_let(text: str) -> None:
    assert consulta(text).severidade is None


# --- 2. An ending told first, then a turn to the present ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"{ended} passou depois {cause}, agora é só a diarreia, umas {n} vezes por dia"
        for ended, cause, n in product(
            ("a dor de cabeça que eu tinha", "a febre de domingo", "aquela tosse da semana passada"),
            ("do remédio", "do chá", "que eu descansei"),
            ("oito", "10"),
        )
    ],
)
def test_diarrhoea_told_after_agora_is_current_though_something_else_passed(text: str) -> None:
    assert consulta(text).severidade == "HIGH"


@pytest.mark.parametrize(
    "text",
    [
        "a diarreia forte passou, agora tô bem",
        "tive diarreia umas oito vezes ontem, agora já passou",
        "a diarreia passou depois do soro, agora só tô cansada",
    ],
)
def test_a_diarrhoea_that_passed_stays_over(text: str) -> None:
    assert consulta(text).severidade is None


# --- 3. "sem conseguir segurar nada no estômago" ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"o vômito {since}, já {spell} sem conseguir {verb} nada no estômago"
        for since, spell, verb in product(
            ("começou ontem e continua", "não para desde sábado"),
            ("são dois dias", "faz um dia inteiro", "tô desde cedo"),
            ("segurar", "manter", "reter"),
        )
    ],
)
def test_days_without_keeping_anything_down_is_persistent_vomiting(text: str) -> None:
    assert consulta(text).severidade == "HIGH"


def test_keeping_everything_down_again_is_not() -> None:
    assert consulta("ontem vomitei, hoje já tô conseguindo segurar tudo no estômago").severidade is None


# --- 4. A decimal said aloud: "38 e 6" --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"ontem à noite tava 37 e pouco, hoje {verb} 38 e {dec}{tail}"
        for verb, dec, tail in product(
            ("amanheceu", "acordou com", "deu", "tá"), ("4", "6", "9"), ("", ", tô bem quente")
        )
    ],
)
def test_a_spoken_decimal_reading_is_an_oncology_fever(text: str) -> None:
    analysis = oncology_message(text)
    assert analysis.severidade == "CRITICAL"
    readings = [f.valor for f in analysis.achados if f.codigo == "febre_oncologica"]
    assert readings and readings[0] is not None and readings[0] > 38.0


@pytest.mark.parametrize(
    "text",
    [
        "hoje amanheceu 36 e 5, tá tudo bem",
        "o remédio custou 38 reais, tô sem febre",
    ],
)
def test_a_normal_or_unrelated_number_is_no_oncology_fever(text: str) -> None:
    assert oncology_message(text).severidade != "CRITICAL"


# --- 5. A reported question in spoken spelling, answered no ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"{who} {asked} se eu tinha dor no peito, eu falei que num tenho não"
        for who, asked in product(
            ("a doutora", "o enfermeiro", "a moça do posto"), ("priguntô", "preguntou", "priguntou")
        )
    ],
)
def test_a_question_asked_in_spoken_spelling_and_answered_no_is_a_denial(text: str) -> None:
    assert consulta(text).severidade is None


def test_a_question_asked_in_spoken_spelling_answered_yes_alerts() -> None:
    text = "a doutora priguntô se eu tinha dor no peito, eu falei que tenho sim, desde cedo"
    assert consulta(text).severidade == "CRITICAL"


# --- 6. A test of whether a symptom is there ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"{when} vou fazer {test} pra ver se {subject} dor no peito, hoje não sinto nada"
        for when, test, subject in product(
            ("amanhã", "semana que vem"),
            ("o teste de esforço", "o eletro", "a esteira"),
            ("tenho", "eu tenho", "tô com"),
        )
    ],
)
def test_a_test_to_see_whether_there_is_chest_pain_is_hypothetical(text: str) -> None:
    assert consulta(text).severidade is None


@pytest.mark.parametrize(
    "text",
    [
        "fui no posto pra ver se tenho alguma coisa, tô com falta de ar desde ontem",
        "vou fazer o eletro pra ver se tenho problema no coração, mas tô com dor no peito agora",
    ],
)
def test_a_symptom_told_beside_the_test_still_alerts(text: str) -> None:
    assert consulta(text).severidade == "CRITICAL"


# --- 7. A question about "uma pessoa", then "é isso que tá acontecendo comigo" -----------------------


@pytest.mark.parametrize(
    "text",
    [
        f"queria saber, {frame}, se {someone} {symptom}, tem que ir pro hospital ou pode esperar? "
        f"{link} é isso que tá acontecendo comigo desde cedo"
        for frame, someone, symptom, link in product(
            ("hipoteticamente", "só por curiosidade"),
            ("uma pessoa", "alguém"),
            ("tosse sangue", "desmaia", "fica com falta de ar"),
            ("Porque", "Pois"),
        )
    ],
)
def test_a_question_made_real_by_the_next_sentence_is_the_writers_own(text: str) -> None:
    assert consulta(text).severidade == "CRITICAL"


@pytest.mark.parametrize(
    "text",
    [
        "se uma pessoa desmaia tem que ir pro hospital? porque é isso que tá acontecendo com a minha vizinha",
        "se a pessoa tosse sangue precisa ir na upa? não é isso que tá acontecendo, só quero saber",
        "se alguém desmaiar o que eu faço? foi isso que aconteceu com meu marido ontem",
    ],
)
def test_the_question_stays_hypothetical_or_someone_elses_otherwise(text: str) -> None:
    assert consulta(text).severidade is None
