"""Spoken Brazilian Portuguese spelt as it is said, read as the written word it stands for
(docs/clinical-engine.md, "Seventh session", "robust-phonetic").

Folding the accents (`text.normalise`) turns a stressed spoken ending into another real word: "passô"
(passou) becomes "passo", "fechô" (fechou) "fecho", "tivé" (tiver) "tive", "acordá" (acordar) "acorda",
and "a real word is never rewritten" then keeps the wrong one, so the resolution, conditional and
concept rules never see "passou", "se eu tiver" or "sem acordar". Three mechanisms, each checked
against the lexicon so that only a real word comes out and a real word is never rewritten:

- `stressed_endings`: a final accented ô/ó is the past "-ou" ("passô", "ficô", "acordô"), á/ê/é/í the
  dropped r of an infinitive or a future subjunctive ("acordá", "fazê", "tivé", "engolí"), read off
  the original text, where the accent still is. The words whose accented spelling is itself a real
  word ("bebê", "está", "avó"... `ACCENTED_WORDS`) are kept: "o bebê" is never "beber";
- `spoken_variant`, for a token that is not a word: a gerund with its d dropped ("vomitano",
  "desmaiano", "tremenu"), an l said r before a consonant ("vorta", "armoço", "convursão"), and an
  unstressed o/e raised to u/i anywhere in the word ("cuzinha", "dismaio", "tussi"); the variant with
  the fewest changes that is a real word wins (then the commonest);
- the same raised word wins over a diminutive reading (`spelling.fix_typos`): "cuzinha" is "cozinha",
  not a diminutive of another word.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from itertools import combinations

from .normalise import default, fold, is_word, respell
from .phonetic import light
from .text import Normalised, rewrite, words

# The written ending each stressed spoken ending stands for.
_ENDINGS = {"ô": ("ou", "or"), "ó": ("or",), "á": ("ar",), "ê": ("er",), "é": ("er",), "í": ("ir",)}
# After these a word is a noun: "o calô" is "calor", "a dor calô" is "calou".
_NOUN_BEFORE = words(
    "o a os as um uma do da dos das no na nos nas de di du nu com cum sem meu minha seu sua esse essa "
    "muito muita pelo pela"
)
# A stressed vowel that ends a word: found by its letter first (no look-behind tried at every position).
_FINAL_ACCENT = re.compile(r"[ôóáêéíÔÓÁÊÉÍ](?![^\W\d_])")
# Real words spelt with a stressed final vowel whose respelling would be another real word ("bebê" is
# not "beber", "pará" not "parar", "maiô" not "maior"): every such word of four letters or more in
# enelvo's lexicon and proper nouns (the source of `normalise.DATA`), derived by `derive_accented_words`.
ACCENTED_WORDS = words(
    """abluí abstraí afluí aliá aluá amará antevê anuí arché arguí ateliê atraí atribuí babá bebê bordô
    cacá capô caratê coatá concluí constituí construí contraí contribuí decaí desconstruí descontraí
    descrê desprovê destituí destruí diluí diminuí diná distraí distribuí elegê entrelê entrevê equipará
    estatuí está evoluí excluí extraí federá fruí imbuí imiscuí incluí influí instituí instruí intuí
    ivaí maiô maná mascará maué obstruí papá pareô pará poluí possuí premiê prevê preá prostituí provê
    quiçá rajá recaí reconstituí reconstruí regerá relé relê restituí retraí retribuí revê sobressaí
    sofrê substituí subtraí tarô traí treslê turnê usufruí virá"""
)
# ... and the words of the clinic the lexicon lacks ("cocô" is no "coçou").
LEXICON_GAPS = frozenset(["cocô"])
_KEPT = ACCENTED_WORDS | LEXICON_GAPS
MIN_STRESSED = 4  # "tô", "vô", "dô", "pé", "já": short words are function words or real ones


def derive_accented_words(entries: Iterable[tuple[str, float]]) -> frozenset[str]:
    """`ACCENTED_WORDS` from the lexicon's entries (`normalise.enelvo_entries`, a dev dependency)."""
    found = set()
    for word, _zipf in entries:
        lower = word.lower()
        accent = lower[-1:]
        if accent not in _ENDINGS or len(lower) < MIN_STRESSED or not lower.isalpha():
            continue
        if any(is_word(fold(lower)[:-1] + end) for end in _ENDINGS[accent]):
            found.add(lower)
    return frozenset(found)


def _is_letter(ch: str) -> bool:
    return ch.isalpha()


@lru_cache(maxsize=16384)
def _written(spelt: str) -> str | None:
    """The real word a respelt ending gives: itself, or the word it spells as said ("vortou": "voltou",
    "vizitar": "visitar"; the sound-key guess only when it changes no sound: "manter" is not "maner")."""
    if is_word(spelt):
        return spelt
    if (said := spoken_variant(spelt)) is not None:
        return said
    got = respell(spelt)
    return got if got is not None and " " not in got and light(got) == light(spelt) else None


@lru_cache(maxsize=16384)
def stressed_word(token: str, accent: str, noun: bool = False) -> str | None:
    """The written word a folded token with a stressed final `accent` stands for, or None. A closed
    "-ô" is the past "-ou" ("passô") or the "-or" of a noun ("calô", "dotô"), the latter after a
    determiner or a preposition (`noun`); an open "-ó" only "-or" ("pió": "jiló", "avó" are no pasts)."""
    found = [w for end in _ENDINGS[accent] if (w := _written(token[:-1] + end)) is not None]
    # A rare word only replaces a token that is no word either: "cocô" is not "coçou" made rarer.
    found = [w for w in found if w in default().common or not is_word(token)]
    if len(found) > 1:
        return found[-1] if noun else found[0]
    return found[0] if found else None


def stressed_endings(norm: Normalised) -> Normalised:
    """Each word said with a stressed final vowel rewritten as its written form ("passô": "passou")."""
    original = norm.original
    edits: list[tuple[int, int, str]] = []
    text = norm.text
    for m in _FINAL_ACCENT.finditer(original):
        end = m.end()
        start = m.start()
        while start > 0 and _is_letter(original[start - 1]):
            start -= 1
        if end - start < MIN_STRESSED or original[start:end].lower() in _KEPT:
            continue
        if norm.map is None:
            s, e = start, end
        else:  # the text may have lost a stretched letter ("passôôô"): find the word through the map
            s, e = bisect_left(norm.map, start), bisect_left(norm.map, end - 1) + 1
        token = text[s:e]
        if not token.isalpha() or (s > 0 and text[s - 1].isalpha()) or (e < len(text) and text[e].isalpha()):
            continue
        before = text[max(0, s - 7) : s].split()
        written = stressed_word(token, m.group(0).lower(), bool(before) and before[-1] in _NOUN_BEFORE)
        if written is not None:
            edits.append((s, e, written))
    return rewrite(norm, edits) if edits else norm


_GERUND = {"ano": "ando", "eno": "endo", "ino": "indo", "anu": "ando", "enu": "endo", "inu": "indo"}
# An r that closes a syllable, where an l was ("vorta", "armoco", "convursao", "curpa").
_R_BEFORE_CONSONANT = re.compile(r"(?<=[aeiou])r(?=[bcdfgjkmnpqstvxz])")
_N_BEFORE_VOWEL = re.compile(r"(?<=[aeiou])n(?=[aeiou])")
_MAX_RAISED = 4  # positions tried: 2**4 variants at most


@lru_cache(maxsize=65536)
def spoken_variant(token: str) -> str | None:
    """The real word a token that is not one spells as said: a gerund or another "nd" without its d, an
    l said r before a consonant, unstressed o/e raised to u/i; None when no such word exists."""
    if len(token) < 4 or is_word(token):
        return None
    gerund = _GERUND.get(token[-3:])
    if gerund is not None:
        written = token[:-3] + gerund
        if is_word(written):
            return written
        if (raised := raised_word(written)) is not None:  # "iscarrano": "escarrando"
            return raised
    # ... and the same d dropped after an n elsewhere: "quano", "aina", "muno" ("quando", "ainda", "mundo")
    for m in _N_BEFORE_VOWEL.finditer(token):
        if is_word(written := f"{token[: m.end()]}d{token[m.end() :]}"):
            return written
    return raised_word(token)


@lru_cache(maxsize=65536)
def raised_word(token: str) -> str | None:
    """The real word with the fewest letters changed back: each u to o, i to e, r to l before a consonant
    (a rare word only one change away)."""
    spots = [(i, "o") for i, ch in enumerate(token) if ch == "u"]
    spots += [(i, "e") for i, ch in enumerate(token) if ch == "i"]
    spots += [(m.start(), "l") for m in _R_BEFORE_CONSONANT.finditer(token)]
    if not spots or len(spots) > _MAX_RAISED + 2:
        return None
    common = default().common
    for n in range(1, min(len(spots), _MAX_RAISED) + 1):
        found: list[tuple[float, str]] = []
        for chosen in combinations(spots, n):
            letters = list(token)
            for i, ch in chosen:
                letters[i] = ch
            cand = "".join(letters)
            # past one change, only a common word: "inxadu" is "inchado" (sound key), not "enxado"
            if is_word(cand) and (n == 1 or cand in common):
                found.append((common.get(cand, 0.0), cand))
        if found:
            return max(found)[1]
    return None


# "si" is the spoken "se" ("si ela tivé febri", "vortá si piorá"), except as the pronoun after a
# preposition ("por si só", "em si", "fora de si", "para si mesmo").
_SI = re.compile(r"(?<![a-z])si(?![a-z])")
_PRONOUN_SI = words("por em para pra de di entre sobre a fora consigo")
_SELF = words("mesmo mesma proprio propria")


def spoken_if(norm: Normalised) -> Normalised:
    """Each spoken "si" that is the conjunction or the clitic "se" written as "se"."""
    text = norm.text
    if "si" not in text:  # the common case, without a regex
        return norm
    edits = []
    for m in _SI.finditer(text):
        before = text[max(0, m.start() - 8) : m.start()].split()
        after = text[m.end() : m.end() + 8].split()
        if (before and before[-1] in _PRONOUN_SI) or (after and after[0] in _SELF):
            continue
        if norm.excerpt(m.start(), m.end()).lower() != "si":
            continue  # a stressed "sí" is a yes ("sí, me falta el aire"), never the unstressed "se"
        edits.append((m.start(), m.end(), "se"))
    return rewrite(norm, edits) if edits else norm


# "fio"/"fia" is the spoken "filho"/"filha" (caipira, Nordeste) after a possessive: "meu fio teve
# febre", "vô bem minha fia". Alone it stays a thread or a wire ("o fio do carregador").
_KIN = re.compile(
    r"(?<![a-z])(?:meu|minha|meus|minhas|seu|sua|seus|suas|teu|tua|nosso|nossa)\s+(fi[oa]s?)(?![a-z])"
)
_KIN_WORD = {"fio": "filho", "fia": "filha", "fios": "filhos", "fias": "filhas"}


def spoken_kin(norm: Normalised) -> Normalised:
    """Each spoken "fio"/"fia" after a possessive written as "filho"/"filha"."""
    text = norm.text
    if "fi" not in text:  # the common case, without a regex
        return norm
    edits = [(m.start(1), m.end(1), _KIN_WORD[m.group(1)]) for m in _KIN.finditer(text)]
    return rewrite(norm, edits) if edits else norm
