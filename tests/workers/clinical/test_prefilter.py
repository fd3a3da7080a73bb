"""The prefilter may skip a family's regex only when it cannot match."""

from __future__ import annotations

import json
from pathlib import Path

from workers.clinical import lexicon as lx
from workers.clinical.negation import Mode
from workers.clinical.prefilter import literal_prefixes, may_match
from workers.clinical.symptoms import make_scanner

DATA = Path(__file__).parent / "data"


def _texts() -> list[str]:
    out = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                p = json.loads(line)["payload"]
                out += [
                    v for k, v in p.items() if k in ("queixa", "motivo", "resumo", "laudo", "resultado_texto")
                ]
    return out


def test_no_family_that_matches_a_labelled_text_is_skipped() -> None:
    texts = [make_scanner(t, Mode.QUEIXA).t for t in _texts()]
    assert len(texts) > 400
    for fam in (*lx.SYMPTOM_FAMILIES, *lx.IMAGING_FAMILIES):
        for t in texts:
            if fam.pattern.search(t):
                assert may_match(fam.pattern, t), (fam.codigo, t)


def test_prefixes_are_literal_starts_and_unknown_starts_disable_the_filter() -> None:
    # each alternative goes on with what follows the group: the whole word, then white space
    assert literal_prefixes(r"\b(?:falta|dispneia)\s+de") == ("falta\x00", "dispneia\x00")
    # may start with "ar" or "o ar": both are prefixes (the whole word "o", then white space)
    assert sorted(literal_prefixes(r"\b(?:o\s+)?ar\b") or ()) == ["ar", "o\x00"]
    assert literal_prefixes(r"[a-z]+ite") is None


def test_fast_finditer_finds_exactly_what_a_full_scan_finds() -> None:
    from workers.clinical import numbers
    from workers.clinical.prefilter import finditer

    patterns = [
        *(f.pattern for f in (*lx.SYMPTOM_FAMILIES, *lx.IMAGING_FAMILIES)),
        *lx.PAIN_SCORE,
        *lx.TEMPERATURE,
        *lx.TEXT_VITALS.values(),
        lx.FEVER_MENTION,
        lx.SEVERE_PAIN_WORDS,
        lx.ONCOLOGY,
        lx.DIARRHOEA_MENTION,
        lx.GLUCOSE_METER_HI,
        numbers._RUN,
    ]
    raw = _texts()
    texts = [make_scanner(t, Mode.QUEIXA).t for t in raw] + [t.lower() for t in raw]
    texts.append(" ".join(texts)[:20_000])  # long text, every word at once
    for pattern in patterns:
        for t in texts:
            assert [m.span() for m in finditer(pattern, t)] == [m.span() for m in pattern.finditer(t)]


def test_word_start_index_finds_exactly_what_a_full_scan_finds() -> None:
    from workers.clinical.prefilter import WordStarts

    patterns = [
        *(f.pattern for f in (*lx.SYMPTOM_FAMILIES, *lx.IMAGING_FAMILIES)),
        *lx.PAIN_SCORE,
        *lx.TEMPERATURE,
        *lx.TEXT_VITALS.values(),
        lx.FEVER_MENTION,
        lx.SEVERE_PAIN_WORDS,
        lx.ONCOLOGY,
        lx.COUNT,
        lx.BARE_TEMPERATURE,
    ]
    raw = _texts()
    texts = [make_scanner(t, Mode.QUEIXA).t for t in raw]
    texts.append(" ".join(texts)[:20_000])
    for t in texts:
        words = WordStarts(t)
        for pattern in patterns:
            assert [m.span() for m in words.finditer(pattern)] == [m.span() for m in pattern.finditer(t)]


def test_word_start_index_agrees_with_a_full_scan_on_shuffled_words_and_odd_separators() -> None:
    import random
    import re

    from workers.clinical.prefilter import WordStarts

    patterns = [
        *(f.pattern for f in (*lx.SYMPTOM_FAMILIES, *lx.IMAGING_FAMILIES)),
        *lx.PAIN_SCORE,
        *lx.TEMPERATURE,
        *lx.TEXT_VITALS.values(),
        lx.COUNT,
        lx.BARE_TEMPERATURE,
        re.compile(r"\b(?:dou|e\s+um)\s+\d"),
        re.compile(r"(?<![\d/])\b(?:a\.v\.c|3[4-9])"),
        # one-letter whole words, optional groups, a group's alternatives followed by more words
        re.compile(r"\b(?:mas|e)\s+eu\s+(?:to|estou)\s+bem"),
        re.compile(r"\b(?:o|a)\s+paciente\s+e\b"),
        re.compile(r"\b(?:o\s+)?ar\b"),
        re.compile(r"\b(?:eu\s+)?(?:to|tenho|9)\b"),
    ]
    rng = random.Random(16)
    pool = " ".join(make_scanner(t, Mode.QUEIXA).t for t in _texts()).split()
    separators = [" ", " ", " ", "\n", "\x0b", "\x0c", ", ", ".", "/", "  ", "-"]
    for _ in range(150):
        words = [rng.choice(pool) for _ in range(rng.randint(5, 60))] + [
            "e",
            "um",
            "9",
            "38,5",
            "a.v.c",
            "o",
            "a",
            "eu",
            "ar",
        ]
        rng.shuffle(words)
        text = "".join(w + rng.choice(separators) for w in words)
        index = WordStarts(text)
        for pattern in patterns:
            assert [m.span() for m in index.finditer(pattern)] == [m.span() for m in pattern.finditer(text)]


def test_word_start_index_search_finds_what_a_scan_finds_from_any_position() -> None:
    from workers.clinical import episodes, experiencer, superseded
    from workers.clinical.prefilter import WordStarts

    patterns = [
        episodes._DISCHARGE,
        episodes._NOW_WELL,
        episodes._GOES_ON,
        experiencer._CAREGIVER_INTRO,
        experiencer._SELF_FOCUS,
        experiencer.FIRST_PERSON_FEVER,
        superseded.NORMAL_TEMPERATURE,
    ]
    texts = [make_scanner(t, Mode.QUEIXA).t for t in _texts()]
    texts.append(" ".join(texts)[:20_000])
    for t in texts:
        index = WordStarts(t)
        for pattern in patterns:
            for pos in (0, len(t) // 3, len(t) - 1):
                got, want = index.search(pattern, pos), pattern.search(t, pos)
                assert (got and got.span()) == (want and want.span()), (pattern.pattern[:40], t)
            assert [m.span() for m in index.finditer(pattern)] == [m.span() for m in pattern.finditer(t)]


def test_clause_boundaries_from_the_word_index_are_a_full_scans() -> None:
    from workers.clinical.negation import _BOUNDARY, TextContext
    from workers.clinical.prefilter import WordStarts

    texts = [make_scanner(t, Mode.QUEIXA).t for t in _texts()]
    texts += ["e sim. 3.5 mas; porque!\nja que .5 por causa", "so", ".", ""]
    for t in texts:
        for mode in (Mode.QUEIXA, Mode.ALTA):
            found = [m.span() for m in WordStarts(t).finditer(_BOUNDARY)]
            scan, indexed = TextContext(t, mode), TextContext(t, mode, found)
            assert (indexed.clause_starts, indexed.clause_ends) == (scan.clause_starts, scan.clause_ends)
            assert (indexed.sentence_starts, indexed.sentence_ends) == (
                scan.sentence_starts,
                scan.sentence_ends,
            )


def test_a_search_inside_a_sentence_finds_what_a_search_of_the_slice_finds() -> None:
    import random

    from workers.clinical import episode_times, media
    from workers.clinical.prefilter import WordStarts

    patterns = [episode_times.OVER, episode_times.STILL_NOW, media._MEDIA, lx.REMOTE_PAST, lx.FEVER_MENTION]
    rng = random.Random(16)
    texts = [make_scanner(t, Mode.QUEIXA).t for t in _texts()]
    for t in texts:
        index = WordStarts(t)
        # sentence-like slices, and slices that cut words at either end
        cuts = [
            (0, len(t)),
            *((a, min(len(t), a + rng.randint(1, 300))) for a in rng.sample(range(len(t) + 1), 4)),
        ]
        for a, b in cuts:
            for pattern in patterns:
                got, want = index.search_slice(pattern, a, b), pattern.search(t[a:b])
                assert (got and got.span()) == (want and want.span()), (pattern.pattern[:40], t[a:b])


def test_may_match_is_false_only_when_no_literal_prefix_occurs() -> None:
    from workers.clinical import assertion, experiencer, media

    for pattern in (assertion._SIDE_EFFECT, media._MEDIA, experiencer._TOPIC_SWITCH):
        for t in _texts():
            if pattern.search(t.lower()):
                assert may_match(pattern, t.lower())


def test_a_drug_named_by_its_ending_is_found_where_a_full_scan_finds_it() -> None:
    # "\w+platina" matches from the start of the word that holds "platina" after a word character
    from workers.clinical.prefilter import WordStarts

    assert literal_prefixes(r"\b(?:\w+platina|quimio)\b") == ("quimio", "\x01platina")
    texts = [
        "fiz carboplatina e cisplatina, mas platina sozinha não; 9taxel _taxel paclitaxel",
        "tô na oxaliplatinas, a doxorrubicina acabou e a ciclofosfamida fica pra semana",
        "sem remédio: platinado, a.platina, ex-taxel, taxeltaxel",
    ]
    for t in texts:
        got = [m.span() for m in WordStarts(t).finditer(lx.ONCOLOGY)]
        assert got == [m.span() for m in lx.ONCOLOGY.finditer(t)], t
    assert may_match(lx.ONCOLOGY, texts[0]) and not may_match(lx.ONCOLOGY, "dor de cabeça desde ontem")


def test_negation_cues_found_through_the_index_in_a_clause_are_those_a_scan_of_the_clause_finds() -> None:
    # `suppression` reads the cues of the clause before a mention through the text's word index
    from workers.clinical.negation_cues import CUES
    from workers.clinical.prefilter import WordStarts

    t = (
        "não tenho febre, nunca tive falta de ar, sem dor no peito; se eu desmaiar ligo. "
        "nao senti nada e nem tontura, caso de febre volto, livre de dor. ex-nao"
    )
    words = WordStarts(t)
    windows = [(a, b) for a in range(0, len(t), 3) for b in range(a, min(len(t), a + 90), 5)]
    for a, b in windows:
        sub = t[a:b]
        got = [(m.span(), m.lastgroup) for m in words.finditer_slice(CUES, a, b, sub)]
        assert got == [(m.span(), m.lastgroup) for m in CUES.finditer(sub)], (a, b)


def test_the_spoken_dor_is_found_wherever_a_search_finds_it() -> None:
    from workers.clinical.spelling import _SPOKEN_DOR, _spoken_dor_in

    for s in (
        "tô com dô di denti",
        "DÔ nas costa",
        "doôo",
        "estômago e dô",
        "adô",
        "dô1",
        "o dô",
        "ô",
        "dooooô",
        "d",
    ):
        assert _spoken_dor_in(s) == (_SPOKEN_DOR.search(s) is not None), s


def test_a_pattern_first_asked_after_a_texts_pass_is_found_where_a_full_scan_finds_it() -> None:
    import re
    import uuid

    from workers.clinical.prefilter import WordStarts

    text = make_scanner("to com dor de cabeca e febre de 39, e a dor de barriga passou", Mode.QUEIXA).t
    index = WordStarts(text)
    assert [m.span() for m in index.finditer(lx.ONCOLOGY)] == []  # the text's pass, over the table so far
    # A source never seen before (the comment makes it new): entered in the table after that pass.
    fresh = re.compile(rf"\b(?:dor|febre)\s+de\s+(?:cabeca|barriga|39)(?#{uuid.uuid4().hex})")
    expected = [m.span() for m in fresh.finditer(text)]
    assert len(expected) == 3
    assert [m.span() for m in index.finditer(fresh)] == expected
    assert [m.span() for m in WordStarts(text).finditer(fresh)] == expected
