"""The spoken "não": "num" read as the negator where it is one ("febre num tenho", "num voltou
mais", "queria dormir e num acordar"), and kept as "em um" where it is that ("tá num nove", "num
instante", "fraqueza num lado"). Every negation, resolution and answer rule then reads one word,
"nao", instead of each spelling out "num" beside it (docs/clinical-engine.md, "Fifth session",
"engine-robust").
"""

from __future__ import annotations

import re

from .normalise import is_word
from .spelling_tables import VOCABULARY
from .text import Normalised, rewrite, words

# "num" is both "em um" ("tá num nove", "num instante") and the spoken "não" ("febre num tem", "num
# voltou mais", "num quero mais viver"). It is the negator before a pause, a clitic or a verb: a
# finite ending no masculine noun has, a common verb of the first person, or a third person in -a/-e
# whose infinitive is a word ("volta": voltar, "responde": responder). A masculine noun follows
# "em um" ("num dia", "num lado", "num aperto"), so an -o word is a verb only from the list.
_NUM = re.compile(r"\bnum\b(?=\s*(?:[^\sa-z0-9]|$)|\s+([a-z]+))")
_NUM_VERBS = words(
    "ta to tava tavam tao tem tenho tinha tive teve e era sei sabe sabia quer quero queria pode posso "
    "podia vou vai foi fui da dou deu dei faz fiz fez vem veio vi viu ve sinto consigo durmo peco ouco "
    "faco digo aguento lembro acho paro como tomo gosto deixo vejo penso preciso falo acordo senhor "
    "senhora sinhora uai sinho "
    "me te se lhe lhes nos mi ti"
)
_VERB_ENDING = re.compile(
    r"\w{2,}(?:ou|ei|iu|ava|avam|aram|eram|iram|ando|endo|indo|asse|esse|isse|aria|eria|iria|amos|emos|imos)$"
)
_NOT_VERBS = words("dia problema sistema clima mapa tema programa")


# Words that never follow "em um" (a conjunction, an interjection, an answer word): "desmaio num mas fiquei
# tonta", "febre tive num nem calafrio", "vontade de morrer num Deus me livre"; "só" only before a verb
# ("convulsionou nada num só tremeu"; "num só dia" is "em um só").
_NEVER_AFTER_EM_UM = words(
    "mas nem porem e ou que tambem deus gracas graca sim ne viu ai entao nunca nada jamais porque "
    "lucida lucido consciente conversando"  # "desmaiou num lúcida o tempo todo" (`postposed`)
)
_ONLY = re.compile(r"\s+so\s+([a-z]+)")
# the contrast "X num, Y sim": "dor no peito num costas sim"
_CONTRAST = re.compile(r"\s+[a-z]{3,}\s+sim\b")


def _is_negator(following: str | None) -> bool:
    if following is None or following in _NUM_VERBS or following in _NEVER_AFTER_EM_UM:
        return True
    if following in _NOT_VERBS or following in VOCABULARY or len(following) < 3:
        return False
    if _VERB_ENDING.match(following):
        return True
    stem, last = following[:-1], following[-1]
    if last == "r" and following[-2:] in ("ar", "er", "ir"):  # "num acordar", never "num lugar"
        return is_word(following[:-2] + {"a": "ou", "e": "eu", "i": "iu"}[following[-2]])
    if following.endswith("eu"):  # "num apareceu", "num doeu", never "num chapéu"
        return is_word(following[:-2] + "er") or is_word(following[:-2] + "ir")
    if last == "i":  # "num senti", "num bebi", never "num xixi"
        return is_word(stem + "iu") or is_word(stem + "eu")
    if last == "a":
        return is_word(stem + "ar")
    return last == "e" and (is_word(stem + "er") or is_word(stem + "ir"))


def _negators(text: str) -> list[tuple[int, int, str]]:
    if "num" not in text:
        return []
    return [(m.start(), m.end(), "nao") for m in _NUM.finditer(text) if _is_negator(_word_after(text, m))]


def _word_after(text: str, m: re.Match[str]) -> str | None:
    following = m.group(1)
    if following is not None and _CONTRAST.match(text, m.end()):
        return "sim"
    if following == "so" and (only := _ONLY.match(text, m.end())) is not None:
        return only.group(1) if _is_negator(only.group(1)) else "so"
    return following


def spoken_no(norm: Normalised) -> Normalised:
    """Every "num" that stands for "não" rewritten as "nao", so each negation rule reads it."""
    return rewrite(norm, _negators(norm.text))


_SHORT_NO = re.compile(r"\bn\b(?![\d/])")


def spoken_no_text(folded: str) -> str:
    """`spoken_no` of a folded string without the map (an answer read on its own), and the
    shorthand "n" for "não" ("sei n")."""
    if "n" in folded:
        folded = _SHORT_NO.sub("nao", folded)
    for s, e, new in reversed(_negators(folded)):
        folded = folded[:s] + new + folded[e:]
    return folded
