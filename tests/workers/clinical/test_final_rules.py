"""Rule classes the third blind set showed missing, each tested on our own paraphrases
(docs/clinical-engine.md, "Third blind set")."""

from __future__ import annotations

import pytest

from .helpers import codes, consulta

# --- a bare temperature in free word order, or one the patient "is with" -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "39 e meio marcou aqui no termômetro agora",
        "40 deu o termômetro, tô tremendo",
        "39,2 marcou o termômetro de manhã",
        "meu filho tá com 39,4 e não quer comer",
        "a menina amanheceu com 39,6, toda mole",
        "ele acordou com 39,1 hoje",
    ],
)
def test_a_reading_before_its_verb_or_after_ta_com_is_a_high_fever(text: str) -> None:
    assert "febre_alta" in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    ["ele tá com 38,5 kg, engordou", "o combustível tá com 39,90 o litro", "comprei 40 reais de pão"],
)
def test_a_weight_or_a_price_is_no_temperature(text: str) -> None:
    assert "febre_alta" not in codes(consulta(text))


# --- "não me deixa nem andar": an intensifier, not a negation ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "dor nos quartos que não me deixa nem andar, é uns nove de dez",
        "dor na lombar que não me deixa nem sentar, nota nove",
        "uma dor de cabeça que não deixa nem dormir, é um dez",
    ],
)
def test_a_severe_score_after_a_pain_that_stops_the_patient_is_severe_pain(text: str) -> None:
    assert "dor_intensa" in codes(consulta(text))


@pytest.mark.parametrize(
    "text", ["não tenho dor nem febre", "sem febre nem falta de ar", "nem febre nem vômito"]
)
def test_nem_in_a_list_of_denials_still_negates(text: str) -> None:
    assert codes(consulta(text)) == set()


# --- dyspnoea in inverted or regional word order -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ar falta muito, sentada mesmo puxando",
        "o fôlego não vem, o peito chiando",
        "o ar não entra direito desde cedo",
        "tô com um cansaço que não me deixa deitar",
        "uma falta de ar que não deixa eu deitar na cama",
        "essa tosse não me deixa nem respirar",
        "a asma não deixa eu respirar direito",
    ],
)
def test_inverted_or_lying_down_breathlessness_is_dyspnoea(text: str) -> None:
    assert "dispneia" in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    [
        "liguei o ar, não vem nada de frio",
        "o ar-condicionado falta conserto",
        "o cansaço do trabalho não me deixa sair",
    ],
)
def test_an_air_conditioner_or_plain_tiredness_is_no_dyspnoea(text: str) -> None:
    assert "dispneia" not in codes(consulta(text))


# --- nothing stays down ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "como é que eu vou beber se tudo que entra volta?",
        "tudo que desce volta, até o soro",
        "qualquer golinho de água eu boto pra fora",
        "cada gole de chá volta",
        "não dá pra beber, tudo que entra volta",
        "não consigo comer, tudo que desce eu vomito",
    ],
)
def test_every_sip_coming_back_is_not_keeping_fluids(text: str) -> None:
    assert "vomitos_persistentes" in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    ["se tudo que entrar voltar, vou ao posto", "não tenho febre, tudo tranquilo", "sem vômito, tudo certo"],
)
def test_a_conditional_future_or_an_all_clear_stays_silent(text: str) -> None:
    assert codes(consulta(text)) == set()


# --- over, feared but denied, a bruise --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a falta de ar que eu tinha antes da cirurgia sumiu, subo a ladeira conversando",
        "aquela falta de ar que ela sentia passou depois do tratamento",
        "o cansaço pra respirar que eu tinha antes do marcapasso sumiu",
    ],
)
def test_the_complaint_of_an_earlier_time_that_went_away_stays_silent(text: str) -> None:
    assert "dispneia" not in codes(consulta(text))


def test_a_complaint_that_went_away_and_came_back_still_counts() -> None:
    assert "dispneia" in codes(consulta("a falta de ar que eu tinha sumiu, mas voltou de novo hoje"))


@pytest.mark.parametrize(
    "text",
    [
        "o nariz sangrou de manhã. já parou faz tempo, botei gelo",
        "é normal a gengiva sangrar? parou na hora",
        "meu dedo sangrou bastante no corte. estancou logo",
    ],
)
def test_bleeding_stopped_in_the_next_sentence_stays_silent(text: str) -> None:
    assert "sangramento" not in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    [
        "o nariz sangrou. parou e voltou de novo",
        "o nariz sangrou muito. ainda tá pingando",
        "o nariz sangrou. não parou até agora",
        "a gengiva sangrou. ainda não parou",
        "sangrou muito o nariz",
    ],
)
def test_bleeding_that_goes_on_still_counts(text: str) -> None:
    assert "sangramento" in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    [
        "achei que ia desmaiar, mas não cheguei a apagar",
        "pensei que ia desmaiar na fila mas não desmaiei, sentei e passou",
        "parecia que eu ia desmaiar, não cheguei a cair",
    ],
)
def test_a_feared_faint_the_patient_denies_stays_silent(text: str) -> None:
    assert "sincope" not in codes(consulta(text))


@pytest.mark.parametrize("text", ["achei que ia desmaiar e apaguei no chão", "desmaiei na fila do banco"])
def test_a_faint_that_happened_still_counts(text: str) -> None:
    assert "sincope" in codes(consulta(text))


@pytest.mark.parametrize(
    "text", ["bati o braço. tá roxo", "bati a perna na mesa. ficou roxa", "bateu o joelho. ta roxo agora"]
)
def test_purple_after_a_knock_told_just_before_is_a_bruise(text: str) -> None:
    assert "cianose" not in codes(consulta(text))


@pytest.mark.parametrize("text", ["o bebê engasgou. tá roxo", "bati o braço. a boca dele tá roxa"])
def test_purple_without_a_knock_is_still_cyanosis(text: str) -> None:
    assert "cianose" in codes(consulta(text))
