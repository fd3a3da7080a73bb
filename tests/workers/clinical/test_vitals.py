"""Vital signs at and around the SPEC §7 limits, and temperature from text and from the vitals."""

from __future__ import annotations

import pytest

from .helpers import codes, consulta, run

Q = "Consulta de retorno"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("spo2_pct", 91.9, "spo2_baixa"),
        ("spo2_pct", 92, None),
        ("spo2_pct", 88, "spo2_baixa"),
        ("pressao_sistolica_mmhg", 89, "hipotensao"),
        ("pressao_sistolica_mmhg", 90, None),
        ("pressao_sistolica_mmhg", 179, None),
        ("pressao_sistolica_mmhg", 180, "hipertensao_grave"),
        ("frequencia_cardiaca_bpm", 130, None),
        ("frequencia_cardiaca_bpm", 131, "taquicardia"),
        ("frequencia_cardiaca_bpm", 40, None),
        ("frequencia_cardiaca_bpm", 39, "bradicardia"),
        ("frequencia_respiratoria_irpm", 30, None),
        ("frequencia_respiratoria_irpm", 31, "taquipneia"),
        ("glicemia_mg_dl", 54, None),
        ("glicemia_mg_dl", 53.9, "hipoglicemia"),
        ("glicemia_mg_dl", 400, None),
        ("glicemia_mg_dl", 400.5, "hiperglicemia"),
    ],
)
def test_vital_sign_limits_are_exact(field: str, value: float, code: str | None) -> None:
    result = consulta(Q, sinais_vitais={field: value})
    if code is None:
        assert result.achados == []
    else:
        assert codes(result) == {code}
        assert result.severidade == "CRITICAL"
        assert result.achados[0].valor == value
    row = next(r for r in result.detalhes["sinais_vitais"] if r["parametro"] == field)
    assert row["origem"] == "sinais_vitais"
    assert row["avaliacao"].startswith("critico") == (code is not None)


@pytest.mark.parametrize(
    ("temp", "oncologico", "code"),
    [
        (38.9, False, None),
        (39.0, False, "febre_alta"),
        (37.9, True, None),
        (38.0, True, "febre_oncologica"),
        (34.5, False, "hipotermia"),
        (36.8, True, None),
    ],
)
def test_temperature_threshold_depends_on_oncology_treatment(
    temp: float, oncologico: bool, code: str | None
) -> None:
    result = consulta(Q, sinais_vitais={"temperatura_c": temp}, em_tratamento_oncologico=oncologico)
    assert codes(result) == ({code} if code else set())
    assert result.detalhes["temperatura"]["limiar_c"] == (38.0 if oncologico else 39.0)


def test_temperature_from_text_and_from_vitals_count_the_same_and_the_max_wins() -> None:
    text_only = consulta("febre de 39,3")
    vitals_only = consulta("estou com febre", sinais_vitais={"temperatura_c": 39.3})
    both = consulta("febre de 38,2", sinais_vitais={"temperatura_c": 39.1})
    for r in (text_only, vitals_only, both):
        assert codes(r) == {"febre_alta"}
    assert both.achados[0].valor == 39.1
    assert {row["origem"] for row in both.detalhes["temperatura"]["leituras"]} == {"texto", "sinais_vitais"}


def test_a_measured_fever_below_threshold_is_not_an_unmeasured_fever() -> None:
    assert consulta("estou com febre", sinais_vitais={"temperatura_c": 38.5}).achados == []
    assert codes(consulta("estou com febre")) == {"febre_sem_medicao"}


@pytest.mark.parametrize(
    "text",
    [
        "febre de 39",
        "39,5 graus",
        "temperatura 39.2",
        "febre 40°C",
        "39 ºC",
        "38.5 graus e meio",
        "temperatura 38,2",
        "Tax: 39,0",
        "febre de 38 e meio",
    ],
)
def test_written_temperatures_are_parsed(text: str) -> None:
    result = consulta(text, em_tratamento_oncologico=True)
    assert result.detalhes["temperatura"]["maxima_c"] is not None
    assert codes(result) == {"febre_oncologica"}


def test_numbers_that_are_not_temperatures_are_ignored() -> None:
    result = consulta("tenho 39 anos e febre há 40 dias")
    assert result.detalhes["temperatura"]["maxima_c"] is None
    assert codes(result) == {"febre_sem_medicao"}


def test_oncology_mentioned_in_the_text_lowers_the_fever_threshold() -> None:
    result = consulta("Faço quimioterapia e tive febre de 38,3")
    assert codes(result) == {"febre_oncologica"}
    assert result.detalhes["temperatura"]["oncologico_por"] == "texto"
    assert consulta("Não faço quimioterapia, febre de 38,3").achados == []


@pytest.mark.parametrize(("pain", "alerts"), [(7, False), (8, True), (10, True)])
def test_pain_scale_of_eight_or_more_is_high(pain: int, alerts: bool) -> None:
    result = consulta(Q, sinais_vitais={"escala_dor": pain})
    assert result.severidade == ("HIGH" if alerts else None)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("saturação 88%", "spo2_baixa"),
        ("sat 85 em ar ambiente", "spo2_baixa"),
        ("pressão 8 por 5", "hipotensao"),
        ("PA 190x110", "hipertensao_grave"),
        ("pressão 20 por 12", "hipertensao_grave"),
        ("FC 150 bpm", "taquicardia"),
        ("Batimentos 150", "taquicardia"),
        ("glicemia 45", "hipoglicemia"),
        ("glicose deu 520", "hiperglicemia"),
        ("FR 34 irpm", "taquipneia"),
        ("o glicosímetro deu HI", "hiperglicemia"),
    ],
)
def test_vitals_written_in_the_text_are_evaluated_like_structured_ones(text: str, code: str) -> None:
    result = consulta(text)
    assert codes(result) == {code}
    assert result.detalhes["sinais_vitais"][0]["origem"] == "texto"


def test_every_vital_is_listed_with_its_evaluation() -> None:
    result = consulta(
        Q,
        sinais_vitais={
            "temperatura_c": 36.8,
            "spo2_pct": 98,
            "frequencia_cardiaca_bpm": 76,
            "frequencia_respiratoria_irpm": 16,
            "pressao_sistolica_mmhg": 160,
            "pressao_diastolica_mmhg": 95,
            "glicemia_mg_dl": 100,
            "escala_dor": 3,
        },
    )
    assert result.achados == []
    rows = {r["parametro"]: r["avaliacao"] for r in result.detalhes["sinais_vitais"]}
    assert rows == {
        "spo2_pct": "normal",
        "frequencia_cardiaca_bpm": "normal",
        "frequencia_respiratoria_irpm": "normal",
        "pressao_sistolica_mmhg": "alto",
        "pressao_diastolica_mmhg": "alto",
        "glicemia_mg_dl": "normal",
    }
    assert result.detalhes["temperatura"]["leituras"][0]["avaliacao"] == "normal"
    assert result.detalhes["dor"]["leituras"][0]["avaliacao"] == "leve"


def test_internacao_vitals_alert_too() -> None:
    result = run(
        "clinico",
        "internacao",
        motivo="Pneumonia",
        sinais_vitais={"spo2_pct": 85, "pressao_sistolica_mmhg": 85},
    )
    assert codes(result) == {"spo2_baixa", "hipotensao"}
