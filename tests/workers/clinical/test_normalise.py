"""Phonetic spelling, shorthand, glued words and stretched letters read as the words they stand for,
and a real Portuguese word is never rewritten."""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path

import pytest

from tests.workers.clinical.helpers import codes, consulta
from workers.clinical import normalise
from workers.clinical.spelling import RULE_WORDS, fix_typos, fix_word
from workers.clinical.spelling_tables import ABBREVIATIONS
from workers.clinical.spoken import spoken_no
from workers.clinical.text import normalise as fold_text


def read(text: str) -> str:
    return fix_typos(fold_text(text)).text


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        # final -u/-i for -o/-e
        ("sintu uma dor forti", "sinto uma dor forte"),
        ("o remediu num fais efeitu", "o remedio num faz efeito"),
        # only the final vowel changed: its own word, never a commoner one of the same sound key
        ("ela tevi febri", "ela teve febre"),
        ("foram dozi vezes", "foram doze vezes"),
        ("o lado direitu", "o lado direito"),
        ("ele dissi que sim", "ele disse que sim"),
        # u/o and i/e inside the word
        ("o minino ta cum tosse", "o menino ta com tosse"),
        ("formigamento no lado isquerdu", "formigamento no lado esquerdo"),
        # ss/ç/s, z/s, x/ch, k/qu
        ("bati a cabessa no armario", "bati a cabeca no armario"),
        ("ja xegou o rezultado", "ja chegou o resultado"),
        ("o pe ta inxadu", "o pe ta inchado"),
        ("eu kero saber aki do posto", "eu quero saber aqui do posto"),
        # lh/nh read as i, l/u
        ("dor no juelhu", "dor no joelho"),
        ("to no trabaiu", "to no trabalho"),
        ("fui no hospitau", "fui no hospital"),
        # dropped r/s/m and reduced diphthongs
        ("desde onti a noite", "desde ontem a noite"),
        ("caiu no banhero", "caiu no banheiro"),
        ("a febre nao baxo", "a febre nao baixo"),
    ],
)
def test_phonetic_spellings_are_read_as_the_words_they_sound_like(typed: str, read_as: str) -> None:
    assert read(typed) == read_as


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("vc sabe se hj tem medico?", "voce sabe se hoje tem medico?"),
        ("oq eu faco, n consigo dormir", "o que eu faco, nao consigo dormir"),
        ("pfv me liga dnv", "por favor me liga de novo"),
        ("to cum dor di cabeca", "to com dor de cabeca"),
    ],
)
def test_whatsapp_shorthand_and_phonetic_function_words_are_expanded(typed: str, read_as: str) -> None:
    assert read(typed) == read_as


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        # the spoken "não": before a verb, a clitic or a pause
        ("febre num tenho", "febre nao tenho"),
        ("desmaiei num, so fiquei tonta", "desmaiei nao, so fiquei tonta"),
        ("o sangramento num voltou mais", "o sangramento nao voltou mais"),
        ("queria dormir e num acordar", "queria dormir e nao acordar"),
        ("num me deixa dormir", "nao me deixa dormir"),
        ("a boca num para de sangrar", "a boca nao para de sangrar"),
        # "em um" before a noun or a number
        ("a dor ta num nove", "a dor ta num nove"),
        ("fraqueza num lado do corpo", "fraqueza num lado do corpo"),
        ("doendo num aperto que nao alivia", "doendo num aperto que nao alivia"),
        ("num instante ficou roxo", "num instante ficou roxo"),
        ("num lugar abafado", "num lugar abafado"),
    ],
)
def test_num_is_read_as_nao_before_a_verb_and_kept_as_em_um_before_a_noun(typed: str, read_as: str) -> None:
    assert spoken_no(fix_typos(fold_text(typed))).text == read_as


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("caiu derrepente", "caiu de repente"),
        ("comecou denovo", "comecou de novo"),
        ("concerteza foi hoje", "com certeza foi hoje"),
    ],
)
def test_a_function_word_glued_to_the_next_word_is_split(typed: str, read_as: str) -> None:
    assert read(typed) == read_as


def test_stretched_letters_collapse_before_the_words_are_read() -> None:
    assert read("muuuuito doooor no peitooo") == "muito dor no peito"


@pytest.mark.parametrize(
    "text",
    [
        "afebril durante a internacao",  # a- is a prefix, not the article "a"
        "arteria lobar inferior",  # a dropped ending is never added back: "lobar" is not "loba"
        "paciente dessaturando",
        "minha vo caiu",
    ],
)
def test_medical_terms_and_prefixes_are_left_alone(text: str) -> None:
    assert read(text) == text


def test_every_real_word_of_the_lexicon_is_kept_as_typed() -> None:
    lexicon = normalise.default()
    assert len(lexicon.words) > 100_000
    rewritten = [w for w in lexicon.words if w not in ABBREVIATIONS and fix_word(w) is not None]
    assert rewritten == []


@pytest.mark.parametrize("word", ["perto", "farta", "morder", "caixa", "poco", "desci", "agente", "paro"])
def test_real_words_close_to_a_symptom_or_a_phonetic_form_are_kept(word: str) -> None:
    assert fix_word(word) is None


def test_words_the_rules_spell_out_are_known_even_when_the_lexicon_lacks_them() -> None:
    assert {"dispneia", "febri", "sangui"} <= RULE_WORDS
    assert fix_word("dispneia") is None
    # a word spelt as said with only its final vowel changed is read as its word, so every rule reads
    # it ("a febri não voltou a baixar, tá em 39,4" is a high fever, as with "febre")
    assert fix_word("febri") == "febre"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("sintu um apertu nu peitu qui vai pru bracu", "dor_toracica"),
        ("dismaiei no banhero agora poco", "sincope"),
        ("to vumitandu sangui", "hematemese"),
    ],
)
def test_a_complaint_in_phonetic_spelling_alerts_like_its_tidy_form(text: str, code: str) -> None:
    assert code in codes(consulta(text))


def test_the_excerpt_quotes_the_phonetic_spelling_as_typed() -> None:
    result = consulta("dismaiei no banhero")
    assert any("dismaiei" in f.trecho for f in result.achados)


def test_the_shipped_lexicon_matches_enelvo() -> None:
    if importlib.util.find_spec("enelvo") is None:
        pytest.skip("enelvo (dev dependency) is not installed")
    built = normalise.Dictionary.build(normalise.enelvo_entries())
    shipped = normalise.Dictionary.load()
    assert (built.words, built.index) == (shipped.words, shipped.index), (
        "stale: run python -m workers.clinical.normalise --regenerate"
    )


def test_a_dictionary_survives_a_dump_and_a_load(tmp_path: Path) -> None:
    built = normalise.Dictionary.build([("começou", 5.0), ("comecei", 4.0), ("raro", 1.0)])
    path = tmp_path / "lex.tsv.gz"
    built.dump(path)
    assert gzip.decompress(path.read_bytes()).decode().splitlines()[0].startswith("comecei\t")
    loaded = normalise.Dictionary.load(path)
    assert loaded == built
    assert loaded.phonetic("comessou") == "comecou"
    assert loaded.phonetic("rarro") is None  # too rare to answer a misspelling


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("to cim dor", "to com dor"),  # a neighbouring key
        ("nap consigo domir", "nao consigo dormir"),  # a neighbouring key, a letter left out
        ("desd cedo", "desde cedo"),  # the last letter left out
        ("a receitq do remedio", "a receita do remedio"),
    ],
)
def test_a_slip_of_the_finger_is_read_as_the_common_word_it_misses(typed: str, read_as: str) -> None:
    assert read(typed) == read_as


def test_a_word_split_in_two_by_speech_to_text_is_joined_when_the_halves_make_a_word() -> None:
    assert "convulsao" in codes(consulta("minha mae teve uma com vulsao agora"))
    assert read("a dor ta forte") == "a dor ta forte"  # "dorta" is no word: nothing joined


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("ficou durinho e os bracinho batendo", "ficou duro e os braco batendo"),
        ("a boquinha e a barriguinha", "a boca e a barriga"),
        ("o pezinho e a maozinha", "o pe e a mao"),
        ("um tiquinho", "um tiquinho"),  # a word the rules read without its base
        ("o vizinho foi pra cozinha sozinho", "o vizinho foi pra cozinha sozinho"),  # lexicalised
        ("eu caminho todo dia", "eu caminho todo dia"),  # a form of "caminhar"
    ],
)
def test_diminutives_are_read_as_their_base_word(typed: str, read_as: str) -> None:
    assert read(typed) == read_as


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("cunvursao", "convulsao"),  # an r closing a syllable for an l
        ("disimaio", "desmaio"),  # a vowel spoken between two consonants
        ("pars", "para"),  # short words keep the plain keys: a slip of the finger
    ],
)
def test_spoken_consonant_swaps_and_inserted_vowels_are_undone(typed: str, read_as: str) -> None:
    assert read(typed) == read_as


def test_a_closed_do_is_the_word_dor_with_its_r_dropped() -> None:
    assert read("dô di denti nota deis") == "dor de dente nota dez"
    assert read("a casa do joao") == "a casa do joao"
