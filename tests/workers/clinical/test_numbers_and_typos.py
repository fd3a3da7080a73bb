"""Numbers written in words and misspelt symptom words reach the same rules as their tidy forms."""

from __future__ import annotations

import pytest

from tests.workers.clinical.helpers import codes, consulta
from workers.clinical.numbers import digits_for_words
from workers.clinical.spelling import correct, fix_typos
from workers.clinical.text import normalise


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("febre de trinta e nove e meio", "febre de 39,5"),
        ("trinta e oito vírgula dois", "38,2"),
        ("deu trinta e oito e dois", "deu 38,2"),
        ("o termômetro deu quarenta graus", "o termometro deu 40 graus"),
        ("de zero a dez eu dou nove", "de 0 a 10 eu dou 9"),
        ("em dois mil e dezenove", "em 2019"),
        ("uma dor no peito", "uma dor no peito"),
    ],
)
def test_numbers_in_words_become_digits(words: str, digits: str) -> None:
    assert digits_for_words(normalise(words)).text == digits


def test_a_finding_quotes_the_patients_own_words_after_rewriting() -> None:
    result = consulta("hoje deu trinta e nove e meio de febre")
    assert result.achados[0].trecho == "trinta e nove e meio de febre"


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("falra", "falta"),
        ("fata", "falta"),
        ("pieto", "peito"),
        ("convulcao", "convulsao"),
        ("dismaiei", "desmaiei"),
    ],
)
def test_realistic_typos_are_corrected_to_the_symptom_word(typo: str, word: str) -> None:
    assert correct(typo) == word


@pytest.mark.parametrize("word", ["perto", "farta", "morder", "fala", "dor", "sem", "caixa"])
def test_real_words_and_short_words_are_never_rewritten(word: str) -> None:
    assert correct(word) is None


def test_whatsapp_shorthand_is_expanded() -> None:
    assert fix_typos(normalise("n consigo respirar, vomito td q tomo")).text == (
        "nao consigo respirar, vomito tudo que tomo"
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("to com falra de ar desde ontem", "dispneia"),
        ("dor no peto apertando", "dor_toracica"),
        ("ele teve uma convulcao agora", "convulsao"),
        ("vomitano sangue desde cedo", "hematemese"),
    ],
)
def test_typos_in_symptom_words_still_alert(text: str, code: str) -> None:
    assert code in codes(consulta(text))


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("fui no SUS ontem e tô com febre", "fui no sus ontem"),
        ("a UBS fechou", "a ubs fechou"),
        ("oxe, tô com febre", "oxe, to com febre"),
        ("tomo vitamina D todo dia", "tomo vitamina d todo dia"),
        ("hepatite B já tive", "hepatite b ja tive"),
    ],
)
def test_acronyms_interjections_and_letters_that_name_a_kind_are_never_respelt(text: str, kept: str) -> None:
    assert kept in fix_typos(normalise(text)).text


def test_the_shorthand_d_is_still_de_elsewhere() -> None:
    assert fix_typos(normalise("dor d cabeça")).text == "dor de cabeca"
