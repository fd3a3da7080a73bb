"""Three mechanisms the ninth session's blind sets showed (docs/clinical-engine.md, "Ninth session",
"rules9"), as generated wordings with near misses that must keep alerting: "se embora" said as
one word, a pain score that moves to a later reading, and what used to happen in childhood."""

from __future__ import annotations

from itertools import product

import pytest

from .helpers import consulta

# --- 1. "simbora": "se embora" said as one word (Nordeste) ----------------------------------------

_GONE_SPELLINGS = ("simbora", "sinbora", "sembora", "imbora")
_GONE_SYMPTOMS = ("a febre", "a diarreia", "o vômito")


@pytest.mark.parametrize(
    "text",
    [
        f"ô meu rei, {symptom} que eu tava semana passada já foi {gone}, agora só ficou um catarrinho"
        for symptom, gone in product(_GONE_SYMPTOMS, _GONE_SPELLINGS)
    ],
)
def test_a_symptom_that_went_simbora_is_over(text: str) -> None:
    assert consulta(text).severidade is None


@pytest.mark.parametrize(
    "text",
    [
        "a falta de ar não vai simbora de jeito nenhum, tô sufocando",
        "o fôlego vai simbora quando eu subo dois degraus",
        "vamo simbora pra upa que ele tá com febre alta e tremendo",
    ],
)
def test_going_simbora_still_alerts_when_the_symptom_stays(text: str) -> None:
    assert consulta(text).severidade is not None


# --- 2. A pain score that moves: the later reading is the current one ------------------------------

_BEFORE = ("ontem a dor tava uns 4", "de manhã a dor era 3", "a dor na barriga tava 5")
_MOVES = ("pulou pra", "subiu pra", "foi pra", "aumentou pra", "piorou pra")


@pytest.mark.parametrize(
    "text", [f"{before}, hoje {move} 9, é do lado direito" for before, move in product(_BEFORE, _MOVES)]
)
def test_a_pain_score_that_rises_to_nine_is_severe_pain(text: str) -> None:
    analysis = consulta(text)
    assert analysis.severidade == "HIGH"
    assert analysis.detalhes["dor"]["maxima"] == 9.0


@pytest.mark.parametrize(
    "text",
    [
        "ontem a dor tava 9, hoje baixou pra 3",
        "a dor chegou a 8 de madrugada, com o remédio caiu pra 2",
        "tô com dor no joelho e o remédio foi pra 2 vezes ao dia",
    ],
)
def test_a_pain_score_that_falls_or_a_dose_is_no_severe_pain(text: str) -> None:
    assert consulta(text).severidade is None


# --- 3. What used to happen in childhood, in the imperfect ----------------------------------------

_PERIODS = ("na infância eu", "quando eu era criança eu", "na adolescência eu", "quando era pequeno eu")
_USED_TO = ("ficava sem ar", "vivia com falta de ar", "sentia falta de ar", "desmaiava")


@pytest.mark.parametrize("text", [f"{p} {u}" for p, u in product(_PERIODS, _USED_TO)])
def test_what_used_to_happen_in_childhood_is_history(text: str) -> None:
    assert consulta(text).severidade is None


@pytest.mark.parametrize(
    "text",
    [
        "na infância eu ficava sem ar e agora voltou, tô sem ar desde cedo",
        "quando era criança ficava sem ar, hoje tô sem ar de novo",
        "desde a infância eu fico sem ar e hoje tá pior",
    ],
)
def test_a_childhood_symptom_that_is_back_still_alerts(text: str) -> None:
    assert consulta(text).severidade == "CRITICAL"
