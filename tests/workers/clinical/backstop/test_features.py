"""What the backstop reads: folded words, stable hashes, and the agent's question kept apart."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from workers.clinical.backstop.features import QUESTION, char_ngram_of, compose, fold, hashed
from workers.clinical.backstop.model import _block, score, weights


def test_case_accents_and_stretched_letters_fold_to_the_same_words() -> None:
    assert fold("SOCORROOOO, Tô com FALTA de ár!!!") == fold("socorroo to com falta de ar")


def test_the_same_text_lands_in_the_same_buckets_in_every_process() -> None:
    text = "tô com dor no peitu e farta di ar desde onti"
    code = (
        "from workers.clinical.backstop.features import hashed; "
        f"h = hashed({text!r}); print(h.char_ids.tolist()[:40], h.word_ids.tolist())"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1


def test_a_phonetic_spelling_shares_most_of_its_character_ngrams_with_the_written_word() -> None:
    spoken, written = hashed("dor no peitu"), hashed("dor no peito")
    shared = np.intersect1d(spoken.char_ids, written.char_ids)
    assert len(shared) / len(written.char_ids) > 0.6


def test_the_agents_question_is_not_read_as_the_patients_words() -> None:
    asked = hashed(compose("não", question="Você está com dor no peito?"))
    said = hashed("não dor no peito")
    assert not np.intersect1d(asked.word_ids, hashed("dor no peito").word_ids).size
    assert np.intersect1d(said.word_ids, hashed("dor no peito").word_ids).size
    assert QUESTION in compose("não", question="Dor?")
    assert QUESTION not in compose("não")


def test_oncology_and_earlier_turns_are_part_of_the_text() -> None:
    text = compose("deu 38,1", earlier="tô com calafrio", oncology=True)
    words = ["to", "com", "calafrio", "qqturno", "deu", "38", "1", "qqturno", "qqoncologia"]
    assert fold(text).split() == words


def _reference_fold(text: str) -> str:
    """The definition `fold` implements in C: NFKD, combining marks dropped, marks as words, runs
    of a letter cut to two, anything but a-z and 0-9 a separator."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("|", " qqturno ").replace("?", " qqpergunta ")
    text = re.sub(r"([a-z])\1{2,}", r"\1\1", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@pytest.mark.parametrize(
    "text",
    [
        "Febre de 38°C, TÔ MUITO MAL!!! socorrooo",
        "dor😂forte no peito… desde ontem º ª ½ ² ﬁ ß",
        "e\u0301 o ce\u0327u",  # letters already decomposed by the keyboard
        "dor\U0001d167no peito 😭😭 | e você? kkkkkk",  # a combining mark outside the BMP
        "İstanbul ǅ Ǆ ŀ Ø æ",
        "",
    ],
)
def test_folding_is_the_nfkd_definition_however_the_text_is_written(text: str) -> None:
    assert fold(text) == _reference_fold(text)


def test_a_score_is_the_logistic_of_the_sorted_tf_idf_blocks() -> None:
    w = weights()
    assert w is not None
    text = "minha mãe tá com a boca torta e o braço esquerdo fraco desde cedo, fala enrolada, dor dor dor"
    h = hashed(text)
    char = _block(h.char_ids, h.char_counts, w.char_idf)
    word = _block(h.word_ids, h.word_counts, w.word_idf)
    for head, got in ((w.critical, score(text, w).critical), (w.alert, score(text, w).alert)):
        z = head.intercept + float(np.dot(char.values, head.char_coef[char.ids]))
        z += float(np.dot(word.values, head.word_coef[word.ids]))
        assert got == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-6)


def _bucket(gram: str) -> int:
    """The character hash of one n-gram, in plain integers (FNV-style, then mixed)."""
    h = 0
    for code in gram.encode():
        h = ((h * 1099511628211) ^ code) % 2**64
    return (((h + len(gram)) * 0x9E3779B97F4A7C15) % 2**64) >> (64 - 19)


def test_an_explanation_names_the_first_ngram_that_falls_in_a_bucket() -> None:
    folded = fold("tô com falta de ar e dor no peito")
    padded = f" {folded} "
    grams = [padded[i : i + n] for n in (2, 3, 4, 5) for i in range(len(padded) - n + 1)]
    for bucket in hashed(folded).char_ids.tolist()[::7]:
        assert char_ngram_of(folded, bucket) == next(g for g in grams if _bucket(g) == bucket)
    assert char_ngram_of(folded, next(b for b in range(2**19) if b not in set(map(_bucket, grams)))) is None
