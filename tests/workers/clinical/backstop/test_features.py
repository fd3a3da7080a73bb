"""What the backstop reads: folded words, stable hashes, and the agent's question kept apart."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from workers.clinical.backstop.features import QUESTION, compose, fold, hashed


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
