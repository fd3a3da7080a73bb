"""A sound key for Brazilian Portuguese spelling, so "sintu un apertu nu peitu" finds "peito".

People who write as they speak change the letters, not the sounds. `key` maps a word to a key in
which the spellings of one sound coincide, so the misspelt word and the dictionary word it stands
for share a key and a dictionary indexed by key finds it in one look-up:

- unstressed vowels: final -u/-i for -o/-e and, anywhere, u/o and i/e ("minino", "isquerdu");
- s sounds: s, ss, ç, c before e/i, sc, xc, z ("cabessa", "pressizo", "ezame");
- k sounds: k, c, qu ("kero", "aki"); j and g before e/i; x and ch ("xegou", "inxadu");
- l/u at the end of a syllable ("hospitau") and r for l after a consonant ("pranta", "probrema");
- lh and nh read as i ("trabaiu", "oiu"), ei/ou/ai before x reduced ("banhero", "baxo", "comessô");
- dropped endings: final r, s and nasal m ("manda", "vamo", "onti"), -ndo as -no ("debatenu"),
  and a glide i before a final s or z ("faiz", "nois");
- a silent initial h, and doubled letters.

Which dictionary word wins among those sharing a key is decided in `workers/clinical/normalise.py`
(closest spelling, then the most frequent word). See docs/clinical-engine.md, "Normalisation".
"""

from __future__ import annotations

import re
from functools import lru_cache

Rules = tuple[tuple[re.Pattern[str], str], ...]


def _compile(*pairs: tuple[str, str]) -> Rules:
    return tuple((re.compile(pattern), repl) for pattern, repl in pairs)


def _apply(rules: Rules, word: str) -> str:
    for pattern, repl in rules:
        word = pattern.sub(repl, word)
    return word


# Applied in order to lowercase ASCII text (accents already folded, "ç" already "c" unless the
# caller keeps it: the dictionary side passes accented words, so "ç" is read as an s there).
_RULES = _compile(
    (r"ç", "s"),
    (r"^h", ""),
    (r"ch|sh", "x"),
    (r"lh", "i"),
    (r"nh", "ni"),
    (r"ph", "f"),
    (r"(?<=[aeiou])ix", "x"),  # baixo/baxo, peixe/pexe, deixa/dexa
    (r"(?<=[aeiou])x(?=[aeiou])", "z"),  # exame/ezame; puxa/pucha stay apart, which is fine
    (r"^ex(?=[aeiou])", "ez"),
    (r"[sx]c(?=[ei])", "s"),
    (r"qu(?=[ei])", "k"),
    (r"gu(?=[ei])", "g"),
    (r"qu", "ku"),
    (r"c(?=[ei])", "s"),
    (r"c", "k"),
    (r"g(?=[ei])", "j"),
    (r"z", "s"),
    (r"w", "u"),
    (r"y", "i"),
    (r"(?<=[bcdfgkpt])l", "r"),  # pranta, probrema, framengo
    (r"l(?![aeiou])", "u"),  # hospitau, sau
    (r"e", "i"),
    (r"o", "u"),
    (r"([a-z])\1+", r"\1"),
    (r"(?<=[aiu])i(?=s$)", ""),  # faiz/faz, nois/nos (after e->i, "deis" is "dis" already)
    (r"nd(?=[aiu]$)", "n"),  # debatendo/debatenu
    (r"[rsm]$", ""),  # manda(r), vamo(s), onte(m)
    (r"([a-z])\1+", r"\1"),
)
# Spelling distance is counted on the letters as they sound, with the vowels people swap merged
# ("juelhu" is nearer "joelho" than "julho", "aki" is "aqui", "fais" is as near "faz" as "fas" and
# the commoner word wins); the sound key's lossier rules (dropped endings, l/u) still cost an edit.
_LIGHT = _compile(
    (r"^h", ""),
    (r"ch", "x"),
    (r"lh", "li"),
    (r"nh", "ni"),
    (r"qu(?=[ei])", "k"),
    (r"[sx]?c(?=[ei])", "s"),
    (r"qu", "ku"),
    (r"c", "k"),
    (r"ss", "s"),
    (r"z", "s"),
    (r"o", "u"),
    (r"e", "i"),
)


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """The sound key of a lowercase word (accented or folded)."""
    return _apply(_RULES, word)


@lru_cache(maxsize=65536)
def light(word: str) -> str:
    """The word respelt as it sounds, losing no letter: what spelling distances are counted on."""
    return _apply(_LIGHT, word)
