"""The assertion stage's shared work (clin-assert11): a candidate asserted twice reads its first
answer, and every other candidate of the same sentence still gets its own; the people scan's words
are those of the regular expression it replaced."""

from __future__ import annotations

import re

import pytest

from workers.clinical.mention import Scanner
from workers.clinical.negation import Mode
from workers.clinical.people import _Tokens


def _spans(sc: Scanner, word: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(word, sc.t)]


def test_two_mentions_of_one_sentence_keep_their_own_answers() -> None:
    sc = Scanner("minha vizinha teve febre, eu estou com febre agora", Mode.QUEIXA)
    (a, b), (c, d) = _spans(sc, "febre")
    assert sc.bounds(a, b) == sc.bounds(c, d)  # one sentence
    first = sc.mention("febre_sem_medicao", "Febre", "HIGH", a, b)
    second = sc.mention("febre_sem_medicao", "Febre", "HIGH", c, d)
    assert first.motivo == "outra_pessoa"
    assert second.motivo is None
    # asked again, in the other order, each reads its own answer
    assert sc.mention("febre_sem_medicao", "Febre", "HIGH", c, d).motivo is None
    assert sc.mention("febre_sem_medicao", "Febre", "HIGH", a, b).motivo == "outra_pessoa"


def test_a_repeated_candidate_reads_the_same_answer_as_a_fresh_scanner() -> None:
    text = "não tenho dor no peito, só falta de ar desde ontem"
    sc = Scanner(text, Mode.QUEIXA)
    ((a, b),) = _spans(sc, "dor no peito")
    ((c, d),) = _spans(sc, "falta de ar")
    once = [
        sc.mention("dor_toracica", "Dor", "CRITICAL", a, b),
        sc.mention("dispneia", "Dispneia", "CRITICAL", c, d),
    ]
    again = [
        sc.mention("dor_toracica", "Dor", "CRITICAL", a, b),
        sc.mention("dispneia", "Dispneia", "CRITICAL", c, d),
    ]
    fresh = Scanner(text, Mode.QUEIXA)
    alone = [fresh.mention("dispneia", "Dispneia", "CRITICAL", c, d)]
    assert [m.motivo for m in once] == [m.motivo for m in again] == ["negado", None]
    assert alone[0].motivo is None
    # each call gives its own object: a detector that changes one's reason changes no other
    again[1].motivo = "tratamento_cronico"
    assert sc.mention("dispneia", "Dispneia", "CRITICAL", c, d).motivo is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "a",
        "minha mãe, a Dalva, teve febre!! 38,5 hoje",
        "açaí 😀 ok  e\u0301x\ttab\nnova linha",
        "38graus febre_alta ABC def \U0001f600b",
        "kkkkk... \u00a0 nbsp e \u2028 sep",
    ],
)
def test_people_words_are_the_runs_of_a_to_z(text: str) -> None:
    toks = _Tokens(text)
    got = [toks[i] for i in range(len(toks.words))]
    assert got == [(m.start(), m.end(), m.group()) for m in re.finditer(r"[a-z]+", text)]
