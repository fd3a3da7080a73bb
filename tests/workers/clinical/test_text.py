"""Normalisation keeps a map to the original text so excerpts quote the patient verbatim."""

from __future__ import annotations

from workers.clinical.text import fold_key, format_number, normalise


def test_normalise_lowercases_and_strips_accents_without_moving_positions() -> None:
    n = normalise("NÃO consigo respirar, febre 39ºC")
    assert n.text == "nao consigo respirar, febre 39°c"
    assert n.map is None
    start = n.text.index("respirar")
    assert n.excerpt(start, start + len("respirar")) == "respirar"


def test_stretched_letters_collapse_and_excerpts_keep_the_original() -> None:
    n = normalise("Socorrooo, faaalta de ar, enjoo")
    assert n.text == "socorro, falta de ar, enjo"
    start = n.text.index("falta")
    assert n.excerpt(start, start + len("falta de ar")) == "faaalta de ar"


def test_double_consonants_are_kept() -> None:
    assert normalise("diarreia e tosse").text == "diarreia e tosse"


def test_fold_key_and_brazilian_number_format() -> None:
    assert fold_key("Potássio sérico (mEq/L)") == "potassio_serico_meq_l"
    assert format_number(6.4) == "6,4"
    assert format_number(210000) == "210.000"
    assert format_number(1500.0) == "1.500"
    assert format_number(7.12, 2) == "7,12"
