"""Spoken Brazilian Portuguese typed as said ("passô", "tivé", "vomitano", "vorta", "cuzinha") is read as
the written word, so the time, conditional and concept rules see it; a real word is never rewritten."""

from __future__ import annotations

import importlib.util

import pytest

from tests.workers.clinical.helpers import codes, consulta
from workers.clinical import normalise
from workers.clinical.spelling import fix_typos
from workers.clinical.spoken_forms import ACCENTED_WORDS, derive_accented_words
from workers.clinical.text import normalise as fold_text


def read(text: str) -> str:
    return fix_typos(fold_text(text)).text


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        # a stressed final -ô is the past -ou, which folding would make another real word
        ("a dor passô", "a dor passou"),
        ("a garganta fechô e ele acordô", "a garganta fechou e ele acordou"),
        # infinitives and future subjunctives without their r
        ("se eu tivé febre posso tomá dipirona", "se eu tiver febre posso tomar dipirona"),
        ("ficou sem acordá e eu num sei o que fazê", "ficou sem acordar e eu num sei o que fazer"),
        ("se ela desmaiá quando eu fizé o exame", "se ela desmaiar quando eu fizer o exame"),
        # a gerund without its d, an l said r, raised vowels
        ("to tossino e tremeno", "to tossindo e tremendo"),
        ("tudo que eu bebo vorta depois do armoço", "tudo que eu bebo volta depois do almoco"),
        ("ele convursionô e num vortô", "ele convulsionou e num voltou"),
        ("caiu na cuzinha", "caiu na cozinha"),
    ],
)
def test_spoken_forms_are_read_as_the_written_words(typed: str, read_as: str) -> None:
    assert read(typed) == read_as


@pytest.mark.parametrize(
    "typed",
    [
        "o bebê ta com febre",  # never "beber"
        "meu avô e a vovó tão bem",
        "ela está no sofá",
        "a gente vai pro Pará",
        "eu tô bem, vô no posto",  # short words stay as they are
    ],
)
def test_real_words_with_a_stressed_final_vowel_are_kept(typed: str) -> None:
    assert read(typed) == fold_text(typed).text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("depois do camarão minha garganta fechô e num tô conseguino engoli", "anafilaxia"),
        ("tô vomitano desde onte tudo que eu bebo vorta", "vomitos_persistentes"),
        ("ele convursionô agora e num acordô ainda", "convulsao"),
    ],
)
def test_a_complaint_spelt_as_spoken_alerts(text: str, code: str) -> None:
    assert code in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    [
        "a falta de ar de onte de noite passô, hoje acordei respirano bem",
        "se eu tivé febre depois da vacina posso tomá dipirona?",
        "a dô di cabeça que eu tive onti passô, hoji tô bem",
    ],
)
def test_a_complaint_spelt_as_spoken_that_is_over_or_supposed_stays_silent(text: str) -> None:
    assert consulta(text).severidade is None


def test_the_accented_words_kept_match_enelvo() -> None:
    if importlib.util.find_spec("enelvo") is None:
        pytest.skip("enelvo (dev dependency) is not installed")
    assert derive_accented_words(normalise.enelvo_entries()) == ACCENTED_WORDS
