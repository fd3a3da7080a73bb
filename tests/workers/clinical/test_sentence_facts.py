"""`SentenceFacts`: a sentence's regex results, asked once and shared by its mentions."""

from __future__ import annotations

from workers.clinical import assertion, episode_times
from workers.clinical.negation import Mode
from workers.clinical.prefilter import WordStarts
from workers.clinical.routine import masked
from workers.clinical.sentence_facts import SentenceFacts
from workers.clinical.symptoms import make_scanner

_TEXT = (
    "ontem tive febre e vomitei, mas já passou e tô comendo de novo. semana passada desmaiei no "
    "trabalho; hoje tô bem. e se eu tiver falta de ar de novo?"
)


def test_each_search_is_the_search_of_the_sentence_as_its_own_string() -> None:
    t = make_scanner(_TEXT, Mode.QUEIXA).t
    words = WordStarts(t)
    for a, b in ((0, len(t)), (0, 40), (43, 90), (5, 7), (len(t) - 30, len(t))):
        facts = SentenceFacts(t, a, b, words)
        for pattern in (
            episode_times.STILL_NOW,
            episode_times.PAST_ANCHOR,
            episode_times.OVER,
            episode_times.RECENT,
        ):
            want = pattern.search(t[a:b])
            for got in (facts.search(pattern), facts.search(pattern), facts.search_slice(pattern)):
                assert (got and got.span()) == (want and want.span())


def test_without_a_word_index_the_slice_search_is_a_plain_search() -> None:
    facts = SentenceFacts("a febre passou ontem", 0, 20)
    found = facts.search_slice(episode_times.OVER)
    assert found is not None and found.group(0) == "passou"


def test_episode_over_says_the_same_with_and_without_shared_facts() -> None:
    t = make_scanner(_TEXT, Mode.QUEIXA).t
    words = WordStarts(t)
    for a, b in ((0, 62), (63, 112), (113, len(t))):
        shared = SentenceFacts(t, a, b, words, read=masked)
        for critical in (False, True):
            for codigo in ("febre", "sincope", "sangramento", "sinais_avc", "dor_toracica"):
                alone = assertion.episode_over(t, a, b, critical=critical, codigo=codigo, words=words)
                assert assertion.episode_over(t, a, b, critical, codigo, words, shared) == alone
