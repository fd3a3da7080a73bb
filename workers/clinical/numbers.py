"""Numbers written in words, turned into digits before any rule reads the text.

Patients type "trinta e nove e meio de febre", "o termômetro deu quarenta", "de zero a dez eu dou
nove". Every rule (temperatures, pain scores, episode counts, vital signs) is written against
digits, so the words are rewritten once, here: "trinta e oito vírgula dois" -> "38,2",
"trinta e nove e meio" -> "39,5", "dois mil e vinte" -> "2020".

"um"/"uma" stay words unless they close a compound ("trinta e um"): on their own they are far
more often the article ("uma dor no peito") than the number.
"""

from __future__ import annotations

import re

from .prefilter import finditer
from .text import NUMBER_WORDS, Normalised, rewrite, words

# The single words come from `text.NUMBER_WORDS` (which the lexicon's own patterns use too).
UNITS = {"zero": 0} | {w: v for w, v in NUMBER_WORDS.items() if v < 10}
TEENS = {w: v for w, v in NUMBER_WORDS.items() if 10 <= v < 20} | {"dezasseis": 16}
TENS = {
    "vinte": 20,
    "trinta": 30,
    "quarenta": 40,
    "cinquenta": 50,
    "sessenta": 60,
    "setenta": 70,
    "oitenta": 80,
    "noventa": 90,
}
HUNDREDS = {
    "cem": 100,
    "cento": 100,
    "duzentos": 200,
    "trezentos": 300,
    "quatrocentos": 400,
    "quinhentos": 500,
    "seiscentos": 600,
}
_ALL = {**UNITS, **TEENS, **TENS, **HUNDREDS}
_WORD = "|".join(sorted(_ALL, key=len, reverse=True))
# A run of number words joined by "e" (and "mil"), then an optional decimal part.
_RUN = re.compile(
    r"\b(?:" + _WORD + r"|mil)(?:(?:\s+e\s+|\s+)?(?:" + _WORD + r"|mil))*\b"
    r"(?:\s+(?:virgula|ponto)\s+(?:" + _WORD + r"|\d))?"
    r"(?:\s+e\s+mei[oa]\b)?"
)
_TOKEN = re.compile(r"[a-z]+|\d")
# "um"/"uma" alone are articles (see the module docstring); they never start a rewrite on their own.
_NUMBER_WORDS = frozenset(_ALL) - {"um", "uma"}
# One of them as a whole run of letters (a word of `[a-z]+`): one C scan of the text, with no list
# of its 350 words built to be thrown away.
_ANY_NUMBER_WORD = re.compile(r"(?<![a-z])(?:" + "|".join(sorted(_NUMBER_WORDS)) + r")(?![a-z])")
_SPELLED_DECIMAL = re.compile(r"\b(\d{1,3})\s+(?:virgula|ponto)\s+(\d)\b")


def _integer(tokens: list[str]) -> int | None:
    """ "trinta e oito" -> 38, "dois mil e vinte" -> 2020; None for a run that is not one number."""
    total = 0
    current = 0
    last_rank = 10_000
    for tok in tokens:
        if tok == "e":
            continue
        if tok == "mil":
            total += (current or 1) * 1000
            current = 0
            last_rank = 1000
            continue
        value = _ALL[tok]
        rank = 100 if tok in HUNDREDS else 10 if tok in TENS else 1
        # "trinta quarenta" or "oito nove" are two numbers, not one.
        if rank >= last_rank or (rank == 1 and last_rank == 1):
            return None
        current += value
        last_rank = rank if tok not in TEENS else 1
    return total + current


def _value(run: str) -> str | None:
    tokens = _TOKEN.findall(run)
    half = len(tokens) >= 2 and tokens[-2] == "e" and tokens[-1] in ("meio", "meia")
    if half:
        tokens = tokens[:-2]
    decimal: str | None = None
    for sep in ("virgula", "ponto"):
        if sep in tokens:
            i = tokens.index(sep)
            tail = tokens[i + 1 :]
            tokens = tokens[:i]
            if len(tail) != 1:
                return None
            decimal = tail[0] if tail[0].isdigit() else str(_ALL.get(tail[0], ""))
            if not decimal or len(decimal) > 1:
                return None
    if not tokens:
        return None
    if len(tokens) == 1 and tokens[0] in ("um", "uma") and decimal is None and not half:
        return None  # the article
    whole = _integer(tokens)
    if whole is None:
        # "trinta e oito e dois" is how a temperature of 38,2 is said aloud.
        if len(tokens) >= 3 and tokens[-2] == "e" and tokens[-1] in UNITS and decimal is None and not half:
            head = _integer(tokens[:-2])
            if head is not None and 34 <= head <= 44:
                return f"{head},{UNITS[tokens[-1]]}"
        return None
    if half:
        return f"{whole},5"
    if decimal is not None:
        return f"{whole},{decimal}"
    return str(whole)


def digits_for_words(norm: Normalised) -> Normalised:
    """The normalised text with every number written in words replaced by digits."""
    text = norm.text
    edits: list[tuple[int, int, str]] = []
    # Most messages have no number written in words; one look at the words settles it.
    if _ANY_NUMBER_WORD.search(text) is None:
        return _in_a_level(_spelled_decimals(norm))
    for m in finditer(_RUN, text):
        value = _value(m.group(0))
        if value is None:
            # A run of several numbers ("oito nove") or an article: leave it for word-level rules.
            continue
        edits.append((m.start(), m.end(), value))
    return _in_a_level(_spelled_decimals(rewrite(norm, edits)))


# "num" is "em um" before a level or a number ("tá num nível 8", "num 9 de 10"), never the spoken
# "não" the negation rules read it as elsewhere ("num passa"): rewritten "no" so no denial is read.
_NUM_LEVEL = re.compile(r"\bnum(?=\s+(?:\d+|nivel|grau|patamar|nota)\b)")
# After a verb of being or becoming it is "em um" too: "tô num cansaço", "ficou num sufoco" (s5-recall).
_NUM = re.compile(r"(?<=[a-z] )num\b")
_BEING = words("to ta tou tava estou esta estava fico fica fiquei ficou entrei entrou")


def _in_a_level(norm: Normalised) -> Normalised:
    if "num " not in norm.text:
        return norm
    edits = [(m.start(), m.end(), "no") for m in _NUM_LEVEL.finditer(norm.text)]
    text = norm.text
    being = [m for m in _NUM.finditer(text) if _word_before(text, m.start()) in _BEING]
    edits += [(m.start(), m.end(), "no") for m in being]
    return rewrite(norm, sorted(set(edits)))


def _word_before(text: str, end: int) -> str:
    """The word that ends one space before `end`."""
    return text[text.rfind(" ", 0, end - 1) + 1 : end - 1]


def _spelled_decimals(norm: Normalised) -> Normalised:
    """ "39 vírgula 8", "38 ponto 5": digits with the decimal separator spelled out."""
    if "virgula" not in norm.text and "ponto" not in norm.text:
        return norm
    spelled = [
        (m.start(), m.end(), f"{m.group(1)},{m.group(2)}") for m in _SPELLED_DECIMAL.finditer(norm.text)
    ]
    return rewrite(norm, spelled)
