"""HIGH findings and the grading of fever, told the ways people tell them (branch high8,
docs/clinical-engine.md "### high8"): nothing staying down, stools told as water and counted, pain
told as the worst ever felt, a fever felt by hand, and the latest reading of a series. Each mechanism
is exercised over generated wordings, with near misses that must stay silent."""

from __future__ import annotations

import itertools

import pytest

from shared.messages import ConsultaPayload
from workers.clinical.clinico import analyze_consulta_rules

from .helpers import PACIENTE, codes, consulta
from .test_conversation import ONCOLOGY, agent_case

# --- nothing stays down ------------------------------------------------------------------------

_WHAT_GOES_IN = [
    "tudo que eu como",
    "tudo que ele bota pra dentro",
    "o que eu ponho pra dentro",
    "tudo o que ela bebe",
]
_COMES_BACK = ["volta", "vorta", "volta tudo"]
_TAIL = ["", ", até a água", " desde ontem", ", até o soro, desde antonte"]


@pytest.mark.parametrize(
    "text", [f"{a} {b}{c}" for a, b, c in itertools.product(_WHAT_GOES_IN, _COMES_BACK, _TAIL)]
)
def test_everything_taken_in_coming_back_is_persistent_vomiting(text: str) -> None:
    assert "vomitos_persistentes" in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    [
        f"{neg} {verb} nada no {where}{tail}"
        for neg, verb, where, tail in itertools.product(
            ["não", "num"], ["paro", "para"], ["estômago", "estamago", "bucho"], ["", ", nem a água"]
        )
    ],
)
def test_nothing_staying_in_the_stomach_in_any_person_is_persistent_vomiting(text: str) -> None:
    assert "vomitos_persistentes" in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    [
        "vomitei uma vez de manhã depois do remédio, agora tô bem",
        "ontem vomitei duas vezes mas hoje já tô comendo normal",
        "eu não paro nada em casa, vivo na rua",
        "o que eu como pra dentro volta a doer a barriga",
        "tô enjoada mas não vomitei, tô conseguindo beber água",
    ],
)
def test_one_vomit_or_a_busy_life_is_no_persistent_vomiting(text: str) -> None:
    assert consulta(text).severidade is None


# --- stools told as water, counted ---------------------------------------------------------------

_WATERY = [
    "tá saindo só água por baixo",
    "tá saindo água pura por baixo",
    "o cocô tá que nem água",
    "o cocô do menino tá feito água de arroz",
    "to cum desinteria di agua",
    "tô com dizenteria",
]
_COUNTS = ["umas {n} vezes", "mais de {n} vezes", "{n} vez", "já troquei {n} fraldas"]
_NUMBERS = ["8", "dez", "12"]
_WHEN = ["hoje", "desde ontem", "desde cedo"]


@pytest.mark.parametrize(
    "text",
    [
        f"{w}, {c.format(n=n)} {t}"
        for w, c, n, t in itertools.product(_WATERY, _COUNTS, _NUMBERS, _WHEN)
        if "fraldas" not in c or "cocô" in w
    ],
)
def test_watery_stools_counted_six_or_more_times_are_severe_diarrhoea(text: str) -> None:
    result = consulta(text)
    assert "diarreia_grave" in codes(result)
    assert result.severidade == "HIGH"


@pytest.mark.parametrize(
    "text",
    [
        "tá saindo água por baixo, tô de 38 semanas",
        "o cocô tá mole, troquei 7 fraldas de xixi hoje",
        "troquei 8 fraldas hoje, tá tudo normal",
        "fui duas vezes ao banheiro hoje com o intestino meio solto, fora isso bem",
        "tive diarreia na semana passada mas já normalizou",
    ],
)
def test_waters_wet_nappies_or_few_loose_stools_are_no_severe_diarrhoea(text: str) -> None:
    assert "diarreia_grave" not in codes(consulta(text))


# --- pain told as the worst ever, and a score another clause cannot take ------------------------

_PAINS = ["a dor nas costas", "essa dor de dente", "a dor na barriga dele"]
_WORST = [
    "é a pior que já senti na vida",
    "é a pior que eu já tive",
    "tá num nível que eu nunca senti",
    "tá muito forte, nunca senti igual",
    "é de subir pelas paredes",
    "tá tão forte que ele não para de chorar",
]


@pytest.mark.parametrize("text", [f"{p} {w}" for p, w in itertools.product(_PAINS, _WORST)])
def test_pain_told_as_the_worst_ever_felt_is_severe_pain(text: str) -> None:
    assert "dor_intensa" in codes(consulta(text))


_OTHER_OVER = ["a tosse parou", "o sangramento da gengiva parou", "a febre passou", "o enjoo sumiu"]
_SCORE = ["tá em 9", "tá num nível 9", "tá nota 8"]


@pytest.mark.parametrize(
    "text", [f"{o}, mas a dor na perna {s}" for o, s in itertools.product(_OTHER_OVER, _SCORE)]
)
def test_another_complaint_ending_does_not_end_a_pain_score(text: str) -> None:
    assert "dor_intensa" in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    [
        f"{lead} a dor nas costas {s}"
        for lead, s in itertools.product(
            [
                "acho que não é:",
                "acho que não é normal:",
                "não sei, acho que não é,",
                "eu ia perguntar, mas não é:",
            ],
            _SCORE,
        )
    ],
)
def test_a_denied_copula_before_a_colon_does_not_deny_the_score_after_it(text: str) -> None:
    assert "dor_intensa" in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    [
        f"{who} {did}, e essa dor no dente {s}"
        for who, did, s in itertools.product(
            ["o patrão", "o chefe", "meu sogro"], ["não deixou sair mais cedo", "brigou comigo"], _SCORE
        )
    ],
)
def test_someone_in_an_earlier_clause_does_not_own_the_writers_own_pain(text: str) -> None:
    assert "dor_intensa" in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    [
        "a dor tava em 9, mas já passou",
        "ontem a dor tava 9 mas hoje tá em 2",
        "dor nas costas chata mas suportável",
        "foi a pior semana da minha vida, mas a dor de cabeça é leve",
        "a tosse tá tão forte que ele chora",
        "meu vizinho teve febre de 39,5 e minha febre passou",
    ],
)
def test_pain_that_is_over_bearable_or_no_pain_stays_silent(text: str) -> None:
    assert consulta(text).severidade is None


# --- fever: felt by hand, insisted on, the latest of a series -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"{verb} a mão {where}{sep}{state}"
        for verb, where, sep, state in itertools.product(
            ["pus", "coloquei", "encostei"],
            ["na testa dele", "no pescoço da menina", "nele"],
            [" e ", ", "],
            ["tá pelando", "tava quente demais", "tá fervendo"],
        )
    ],
)
def test_a_fever_felt_by_hand_is_a_fever_without_a_value(text: str) -> None:
    assert "febre_sem_medicao" in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    [
        "pus a mão na água do banho e tá quente",
        "pus a mão no forno, tá quente",
        "pus a mão na testa dele e tá normal",
    ],
)
def test_a_hand_on_a_thing_or_a_normal_forehead_is_no_fever(text: str) -> None:
    assert consulta(text).severidade is None


@pytest.mark.parametrize(
    "text",
    [
        f"{lead}, {reading}"
        for lead, reading in itertools.product(
            ["não é modo de dizer", "não é força de expressão", "tô ardendo em febre, e não é modo de dizer"],
            ["deu 39,4", "o termômetro deu 39,4"],
        )
    ],
)
def test_insisting_it_is_literal_does_not_deny_the_reading(text: str) -> None:
    assert "febre_alta" in codes(consulta(text))


_EARLIER = ["37,9", "37,6", "37,8"]
_AGO = ["há uma hora", "há pouco", "mais cedo", "de madrugada"]


@pytest.mark.parametrize(
    "text",
    [
        f"{e} {a}, {latest}"
        for e, a, latest in itertools.product(
            _EARLIER, _AGO, ["agora 38", "agora tá 38,4", "agora subiu pra 38,2"]
        )
    ],
)
def test_the_latest_reading_of_a_series_grades_the_fever_in_oncology(text: str) -> None:
    result = consulta(text, em_tratamento_oncologico=True)
    assert "febre_oncologica" in codes(result)
    assert result.severidade == "CRITICAL"


@pytest.mark.parametrize(
    "text",
    [
        f"38,3 {a}, {latest}"
        for a, latest in itertools.product(_AGO, ["agora baixou pra 37,2", "agora tá 36,9"])
    ],
)
def test_a_fever_reading_replaced_by_a_lower_latest_one_stays_silent(text: str) -> None:
    # The rules' grading: the statistical backstop may still escalate a long enough message (it
    # escalates "38,3 há uma hora, agora baixou pra 37,2" until it is retrained with paraphrases-42).
    payload = ConsultaPayload(paciente_id=PACIENTE, queixa=text, em_tratamento_oncologico=True)
    result = analyze_consulta_rules(payload)
    assert result.severidade is None
    assert result.detalhes["temperatura"]["leituras"][-1]["valor"] < 38.0


@pytest.mark.parametrize(
    ("answer", "alert"),
    [
        ("37,9 há uma hora, agora 38", True),
        ("deu 37,6 antes, agora 38,1", True),
        ("38,3 há pouco, agora baixou pra 37,2", False),
        ("38,4 de madrugada, agora caiu pra 37,1", False),
    ],
)
def test_an_answer_with_a_series_is_read_by_its_latest_reading(answer: str, alert: bool) -> None:
    got = agent_case(
        answer, [("patient", "tô sentindo um friozinho"), ("agent", "Quanto deu a temperatura?")], **ONCOLOGY
    )
    assert ("febre_oncologica" in got["codes"]) is alert


@pytest.mark.parametrize(
    "text",
    [
        "medi 37,2 de manhã, depois 40 minutos tomei banho",
        "temperatura 36,8, hoje 39 anos que faço aniversário",
        "tomei dipirona quando deu 37,8, depois 40 gotas de novo",
    ],
)
def test_a_duration_age_or_dose_after_a_reading_is_no_next_reading(text: str) -> None:
    assert consulta(text, em_tratamento_oncologico=True).severidade is None
