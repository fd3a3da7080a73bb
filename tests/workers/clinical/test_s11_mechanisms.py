"""Mechanisms the eleventh session's opening blind sets showed (docs/clinical-engine.md, "Eleventh
session", "rules11"), as our own wordings with near misses: a yes said with the question's verb, fever
told as fire, a thing's part named by a body word, a story that moved the writer, spoken kin words and
a greeting answered in the first person, a reading of last month, a practical "não sabe onde", the
backstop and a reading the rules saw resolved, disorientation in spoken forms, "ninguém sente falta de
mim", "aperreio no peito", and an asked-about seizure that then happened."""

from __future__ import annotations

import uuid

import pytest

from shared.messages import AgentMessagePayload
from workers.clinical import ClinicalAnalysis
from workers.clinical.mensagem import analyze_mensagem

from .helpers import codes, consulta


def reply(text: str, question: str, oncology: bool = False) -> ClinicalAnalysis:
    payload = AgentMessagePayload.model_validate(
        {
            "patientId": str(uuid.uuid4()),
            "message": text,
            "patientContext": {"oncologyTreatment": oncology},
            "conversationHistory": [{"role": "agent", "content": question}],
        }
    )
    return analyze_mensagem(payload)


SCREENING = "O senhor tem tido pensamentos de se ferir ou de morrer?"

# --- 1. A yes said with the question's verb, then how often or a "but" ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "tenho. quase todo dia",
        "tenho, toda noite",
        "tive. várias vezes",
        "tenho tido",
        "tenho, mas não vou fazer nada",
        "as vez vem sim, não vou mentir pro senhor",
        "às vezes aparece sim meu filho, sendo sincero",
    ],
)
def test_a_yes_said_with_the_verb_to_a_screening_question_is_critical(text: str) -> None:
    assert reply(text, SCREENING).severidade == "CRITICAL"


@pytest.mark.parametrize("text", ["não tenho", "tenho não", "tenho medo de ficar doente, só isso"])
def test_the_verb_said_back_with_a_no_or_a_statement_of_its_own_is_no_yes(text: str) -> None:
    assert reply(text, SCREENING).severidade is None


# --- 2. Fever told as fire ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "tô ardendo de quentura desde ontem e com calafrio",
        "meu corpo inteiro tá pegando fogo e tremendo de frio",
        "sinto uma quentura no corpo que não passa, sem termômetro aqui",
        "a testa dela tá em fogo desde a tarde",
    ],
)
def test_fever_told_as_fire_or_heat_in_the_body_is_high(text: str) -> None:
    assert consulta(text).severidade == "HIGH"


@pytest.mark.parametrize(
    "text",
    [
        "minha cabeça tá pegando fogo com tanta conta pra pagar",
        "que quentura hoje na rua, nem dá pra sair",
        "o corpo dele tava pegando fogo na semana passada, agora já tá bom",
    ],
)
def test_worry_weather_or_a_past_heat_is_no_fever(text: str) -> None:
    assert consulta(text).severidade is None


# --- 3. Things and stories ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a boca do cano da pia tá sangrando ferrugem, quero só remarcar o retorno",
        "o motor do carro tá tendo convulsão de tanto tremer, vou levar no mecânico",
        "o braço do sofá tá sangrando tinta vermelha depois que o menino pintou",
    ],
)
def test_a_things_part_named_by_a_body_word_is_the_things(text: str) -> None:
    assert consulta(text).severidade is None


@pytest.mark.parametrize(
    "text", ["a boca do meu filho tá sangrando muito", "a boca dele tá sangrando sem parar"]
)
def test_a_persons_mouth_still_bleeds(text: str) -> None:
    assert consulta(text).severidade == "CRITICAL"


@pytest.mark.parametrize(
    "text",
    [
        "tava vendo a série e o ator teve um infarto na cena, aí eu fiquei curiosa se dói muito",
        "vi no jornal que o cantor teve AVC, fiquei com medo, quanto tempo leva a recuperação?",
    ],
)
def test_a_story_that_moved_the_writer_stays_the_story(text: str) -> None:
    assert consulta(text).severidade is None


def test_a_story_then_the_writers_own_symptom_still_alerts() -> None:
    text = "vi no jornal que o jogador teve um infarto e eu fiquei com dor no peito desde então"
    assert "dor_toracica" in codes(consulta(text))


# --- 4. Spoken kin words and a greeting answered in the first person --------------------------------


GREETING = "Bom dia, dona Maria! Como a senhora está?"


@pytest.mark.parametrize(
    "text",
    [
        "tô bem minha filha, meu neto teve convulsão anteontem mas já tá brincando",
        "vô bem graças a Deus, minha fia teve frevi de 39 ontem mas já passou",
        "meu fio teve frebi di 39 onti, eu to bem, so quero marca minha consurta",
    ],
)
def test_someone_elses_episode_after_the_writer_says_she_is_well_is_theirs(text: str) -> None:
    assert reply(text, GREETING).severidade is None


@pytest.mark.parametrize(
    "text",
    [
        "tô bem ruim minha filha, desmaiei hoje cedo no banheiro",
        "tô bem, mas hoje de manhã tive uma convulsão",
        "minha fia tá com frevi de 39,5 agora",
    ],
)
def test_the_writers_own_or_a_present_episode_still_alerts(text: str) -> None:
    assert reply(text, GREETING).severidade == "CRITICAL"


def test_frevi_and_frebi_are_fever() -> None:
    assert consulta("tô com frevi desde ontem").severidade == "HIGH"
    assert consulta("tô com frebe e dor no corpo").severidade == "HIGH"


# --- 5. A reading of last month, and a normal one now -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "mês passado a pressão chegou em 200 por 120, mas com o remédio novo agora tá 12 por 8",
        "faz uns 10 dias a pressão deu 19 por 11, hoje de manhã deu 13 por 8",
    ],
)
def test_a_high_pressure_of_weeks_ago_replaced_by_a_normal_one_is_over(text: str) -> None:
    assert consulta(text).severidade is None


def test_a_high_pressure_of_last_month_still_high_now_alerts() -> None:
    assert consulta("mês passado deu 19 por 11 e hoje tá 19 por 12").severidade == "CRITICAL"


# --- 6. "não sabe onde" as an errand's doubt ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "meu marido vai me levar mas não sabe onde pode estacionar o carro",
        "minha filha não sabe onde deixar a documentação, pode me orientar?",
        "ele não sabe onde estacionar",
    ],
)
def test_not_knowing_where_to_park_is_no_confusion(text: str) -> None:
    assert consulta(text).severidade is None


@pytest.mark.parametrize(
    "text", ["minha mãe acordou e não sabe onde está", "ele não sabe onde mora desde ontem"]
)
def test_not_knowing_where_one_is_still_confusion(text: str) -> None:
    assert "confusao_mental" in codes(consulta(text))


# --- 7. The backstop and the rules' readings --------------------------------------------------------


ONCO_GREETING = "Oi! Como você está se sentindo hoje?"


@pytest.mark.parametrize(
    "text",
    [
        "na semana passada marcou 38,4 uma noite, tomei dipirona e não voltou mais, hoje tá 36,4",
        "a febre que deu 38,2 semana passada sumiu, hoje de manhã medi 36,7 e não voltou mais",
    ],
)
def test_a_past_oncology_temperature_seen_resolved_is_not_escalated(text: str) -> None:
    assert reply(text, ONCO_GREETING, oncology=True).severidade is None


@pytest.mark.parametrize(
    "text",
    [
        "tomei o remédio pra ver se passa a dor no peito",
        "bebi um chá pra ver se melhora essa falta de ar",
    ],
)
def test_something_taken_so_the_symptom_passes_keeps_the_symptom(text: str) -> None:
    assert consulta(text).severidade == "CRITICAL"


# --- 8. Disorientation in spoken forms, told by a relative ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "aqui é o neto dela, a vó hoje não tá sabendo em que dia tá, ontem tava normal",
        "sou a filha dele, meu pai acha que ainda mora na fazenda e pediu pra gente levar ele pra casa",
        "minha mãe hoje tá outra pessoa, não sabe quem eu sou, ontem tava bem",
    ],
)
def test_a_relatives_new_disorientation_is_critical(text: str) -> None:
    analysis = reply(text, "Bom dia! Como ela passou a noite?")
    assert "confusao_mental" in codes(analysis)


def test_bringing_a_relative_to_the_clinic_is_still_not_theirs() -> None:
    text = "minha tia tá confusa desde ontem, como faço pra trazer ela pra consulta? eu tô bem"
    assert consulta(text).severidade is None


# --- 9. Pills kept for later, and no one would miss me -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "tô juntando os comprimido numa lata pra tomar tudo de uma vez",
        "guardei os remedio da pressão pra tomar quando tiver coragem, ninguém vai sentir minha falta",
    ],
)
def test_pills_kept_to_take_at_once_are_critical(text: str) -> None:
    assert "ideacao_suicida" in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    ["ninguém vai sentir falta do bolo, pode jogar fora", "guardei os remédio na caixinha da semana"],
)
def test_a_cake_or_a_pillbox_is_no_plan(text: str) -> None:
    # (the rules' reading: the retrained backstop escalates the cake, docs/clinical-engine.md "rules11")
    assert "ideacao_suicida" not in codes(consulta(text))


# --- 10. "aperreio no peito" ------------------------------------------------------------------------


def test_an_aperreio_in_the_chest_is_chest_pain() -> None:
    assert "dor_toracica" in codes(consulta("oxe, tô com um aperreio no peito desde cedo, suando frio"))


def test_an_aperreio_over_bills_is_no_pain() -> None:
    assert consulta("tô com um aperreio danado com a conta de luz").severidade is None


# --- 11. An asked-about seizure that then happened -----------------------------------------------


ADVICE = "Se ele tiver convulsão, deite de lado e nos avise."


@pytest.mark.parametrize(
    "text",
    [
        "perguntei o que fazer se ela tivesse convulsão, hoje cedo aconteceu, ficou dura e babando",
        "eu tinha perguntado e se ele desmaiasse, e não é que hoje veio, apagou na cozinha",
    ],
)
def test_an_asked_about_event_that_came_today_is_present(text: str) -> None:
    assert reply(text, ADVICE).severidade == "CRITICAL"


@pytest.mark.parametrize(
    "text",
    [
        "perguntei o que fazer se ele tivesse convulsão, graças a Deus não aconteceu nada",
        "e se ele tiver convulsão hoje à noite, o que eu faço?",
    ],
)
def test_an_asked_about_event_that_did_not_come_stays_hypothetical(text: str) -> None:
    assert reply(text, ADVICE).severidade is None


# --- 12. A TV programme the writer watched, and "eu tô boa" ------------------------------------------


def test_a_tv_programme_about_strokes_watched_by_a_writer_who_is_well_stays_the_programme() -> None:
    text = (
        "vi no globo repórter um programa sobre derrame, falava de boca torta e dor no peito, "
        "fiquei preocupada mas eu tô boa, sem nada, queria saber se faço exame do coração"
    )
    assert consulta(text).severidade is None


def test_a_programme_of_exercise_is_no_story() -> None:
    assert "dor_toracica" in codes(consulta("comecei um programa de caminhada e fiquei com dor no peito"))


# --- 13. A catastrophe nearly had in a fright ----------------------------------------------------------


def test_nearly_having_a_heart_attack_from_a_fright_and_being_fine_is_a_figure() -> None:
    text = "que susto, a vaca entrou no quintal e quase tive um infarto, depois ri muito, tô bem"
    assert consulta(text).severidade is None


@pytest.mark.parametrize(
    "text",
    [
        "que susto, quase tive um infarto quando vi a cobra, e até agora tô com dor no peito",
        "tomei um susto e quase tive um AVC, o braço tá dormente ainda",
    ],
)
def test_a_fright_with_something_still_going_on_still_alerts(text: str) -> None:
    assert consulta(text).severidade == "CRITICAL"


# --- 14. A farewell with affairs put in order (after the held-back sets) -----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "obrigado por tudo. digam pro meu filho que eu amo ele. organizei os documentos na pasta",
        "já deixei tudo em ordem, as contas pagas. não vou precisar mais do retorno do mês que vem",
        "cansei de tudo. cuidem bem dos meus gatos por mim",
    ],
)
def test_a_farewell_beside_affairs_in_order_or_despair_is_critical(text: str) -> None:
    assert "ideacao_suicida" in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    [
        "deixei tudo arrumado pra viagem, não vou precisar mais da consulta de terça",
        "já melhorei, não vou precisar mais da consulta, obrigada por tudo",
        "digam pra minha filha que eu amo ela e que o bolo tá no forno",
    ],
)
def test_a_trip_a_recovery_or_love_alone_is_no_farewell(text: str) -> None:
    assert "ideacao_suicida" not in codes(consulta(text))
