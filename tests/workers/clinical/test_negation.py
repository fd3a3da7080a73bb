"""Negation, hypotheses and history: the usual Portuguese forms silence a mention, and only it."""

from __future__ import annotations

import pytest

from workers.clinical.negation import Mode, suppression
from workers.clinical.text import normalise

from .helpers import codes, consulta

NEGATED = [
    "nega febre",
    "nega dor torácica",
    "sem falta de ar",
    "não tive sangramento",
    "não estou com dor no peito",
    "nenhum sangramento",
    "ausência de dispneia",
    "sem febre, sem vômitos",
    "nega febre, dispneia ou dor torácica",
    "Nega febre, nega falta de ar. Refere apenas cansaço leve.",
    "Não sinto dor no peito nem falta de ar",
    "nem febre nem falta de ar",
    "Nega sangramentos",
    "sem sinais de AVC",
    "não houve convulsão",
    "não tive nenhum episódio de desmaio",
    "não desmaiei",
    "nunca tive convulsão",
    "não tenho falta de ar",
    "não sinto falta de ar",
    "Nega dor torácica, dispneia, síncope ou palpitações.",
    "Febre não tive",
    "Nenhuma falta de ar",
    "Sem nenhuma dor no peito",
    "Eu não desmaiei, só fiquei tonta",
    "Não apresentou sangramento",
    "Sem queixas de dor torácica",
    "Não está confuso",
    "Não houve perda de consciência",
    "Não teve febre nem vômitos",
    "Não, não tive falta de ar",
    "sem sangue nas fezes",
    "Livre de febre há 48h",
    "Paciente afebril, eupneico, sem dor torácica",
    "Dispneia (-), dor torácica: nega",
    "febre? não",
    "dor no peito: negada",
    "não estou mais com falta de ar",
    "nao to com febre",
    "sem dispineia",
]


@pytest.mark.parametrize("text", NEGATED)
def test_negated_mentions_do_not_alert(text: str) -> None:
    result = consulta(text)
    assert result.achados == [], [f.model_dump() for f in result.achados]
    assert result.detalhes["mencoes_desconsideradas"], "a negated mention is still reported as discarded"


def test_negated_chest_pain_does_not_alert() -> None:
    result = consulta("Não estou com dor no peito, só uma tosse seca")
    assert result.achados == []
    discarded = result.detalhes["mencoes_desconsideradas"]
    assert discarded == [
        {
            "codigo": "dor_toracica",
            "descricao": "Dor torácica",
            "trecho": "dor no peito",
            "assercao": "negado",
            "motivo": "negado",
        }
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nega febre, mas refere dispneia", {"dispneia"}),
        ("Nega febre. Falta de ar aos esforços.", {"dispneia"}),
        ("sem febre, com falta de ar", {"dispneia"}),
        ("nega febre, refere dor torácica", {"dor_toracica"}),
        ("sem febre, meu pai desmaiou ontem", {"sincope"}),
        ("Paciente nega tosse e refere hemoptise", {"hemoptise"}),
        ("Nada de febre, mas tossindo sangue", {"hemoptise"}),
        ("Não tenho febre, mas estou com muita falta de ar", {"dispneia"}),
        ("Febre não tive, só dor no peito", {"dor_toracica"}),
        ("Nega febre e tem dor no peito", {"dor_toracica"}),
        ("sem febre hoje, porém com dor no peito", {"dor_toracica"}),
    ],
)
def test_a_new_affirmative_clause_ends_the_negation_scope(text: str, expected: set[str]) -> None:
    assert codes(consulta(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Se eu tiver falta de ar, o que faço?",
        "em caso de falta de ar procurar o PS",
        "orientado a retornar se febre, dispneia ou sangramento",
        "tenho medo de ter um AVC",
        "histórico de convulsão na família",
        "antecedente de AVC",
        "risco de sangramento após a cirurgia",
    ],
)
def test_hypotheses_advice_and_history_do_not_alert(text: str) -> None:
    assert consulta(text).achados == []


def test_a_real_symptom_before_a_conditional_still_alerts() -> None:
    assert codes(consulta("Estou com febre e caso piore vou ao PS")) == {"febre_sem_medicao"}


def test_suppression_reports_its_reason() -> None:
    def why(text: str, word: str, mode: Mode = Mode.QUEIXA) -> str | None:
        t = normalise(text).text
        start = t.index(word)
        return suppression(t, start, start + len(word), mode)

    assert why("nega dispneia", "dispneia") == "negado"
    assert why("retornar se dispneia", "dispneia") == "condicional"
    assert why("historico de avc", "avc") == "historico"
    assert why("dispneia resolvida", "dispneia", Mode.ALTA) == "resolvido"
    assert why("dispneia resolvida", "dispneia", Mode.QUEIXA) is None
    assert why("Indicação: suspeita de TEP. Sem alterações.", "tep", Mode.LAUDO) == "indicacao"
    assert why("estou com dispneia", "dispneia") is None
