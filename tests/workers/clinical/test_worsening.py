"""Text cues of worsening and stated intensities (workers.clinical.worsening)."""

from __future__ import annotations

import pytest

from workers.clinical.worsening import intensities, symptoms_in, worsening_cues


@pytest.mark.parametrize(
    ("text", "symptom"),
    [
        ("piorou muito", None),
        ("agora tá pior que ontem", None),
        ("a dor tá cada vez pior", "dor"),
        ("A tosse está aumentando desde ontem", "tosse"),
        ("o enjoo só piora", "vomitos"),
        ("a falta de ar piorou muito", "falta_de_ar"),
        ("a diarreia ficou mais forte hoje", "diarreia"),
    ],
)
def test_a_patient_saying_a_symptom_gets_worse_is_read_as_worsening_of_that_symptom(
    text: str, symptom: str | None
) -> None:
    [cue] = worsening_cues(text)
    assert cue.symptom == symptom


@pytest.mark.parametrize(
    "text",
    [
        "não piorou não",
        "se piorar eu volto a falar",
        "caso piore procuro o pronto-socorro",
        "piorou de manhã mas já melhorou",
        "o médico aumentou a dose do remédio",
        "o pior já passou",
        "estou melhor, obrigado",
        "nada piorou desde ontem",
    ],
)
def test_negated_conditional_resolved_or_unrelated_wording_is_not_worsening(text: str) -> None:
    assert worsening_cues(text) == []


def test_each_symptom_gets_its_own_stated_intensity_and_negated_ones_none() -> None:
    assert intensities("pouca tosse, mas muita dor") == {"tosse": 1, "dor": 3}
    assert intensities("dor insuportável") == {"dor": 4}
    assert intensities("estou com dor") == {"dor": 2}
    assert intensities("sem dor e sem febre") == {}


def test_symptoms_are_listed_in_the_order_the_text_names_them() -> None:
    assert symptoms_in("Como está a tosse? E a febre?") == ["tosse", "febre"]
