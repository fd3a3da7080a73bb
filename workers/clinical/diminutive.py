"""Diminutives read as their base word before any rule: "ficou durinho" is "ficou duro", "a
boquinha roxinha" is "a boca roxinha", "afunda embaixo da costelinha", "os bracinho batendo".

Parents and grandparents tell a child's (and an old man's) signs with -inho/-inha/-zinho, and every
cue written for the base word missed them; listing the diminutive beside each base in each rule is
the bug this replaces (docs/clinical-engine.md, "s5-recall"). A word is reduced only when:

- it is not a word the rules spell out without its base (`spelling`: "tiquinho", "fechadinha";
  "pouquinho", "costelinha" are reduced, the rules name "pouco", "costela" too) nor a name
  ("Juninho"), nor a word whose diminutive is its meaning ("vizinho", "sozinho", "cozinha",
  "calcinha", "fraldinha", "chumbinho" is rat poison, "bombinha" an inhaler);
- it is no form of an -inhar verb ("caminho", "cozinho", "definha", "adivinha");
- the base is a real word: the commonest of the candidates (stem + o/e/a, the stem alone for
  -zinho, "qu"/"gu" back to "c"/"g": "boquinha" -> "boca", "barriguinha" -> "barriga",
  "narizinho" -> "nariz", "pezinho" -> "pé", "molinho" -> "mole").
"""

from __future__ import annotations

from functools import lru_cache

from .normalise import default
from .text import words

# Words whose diminutive is a meaning of its own, or the diminutive of another sense (and their plurals).
LEXICALISED = words(
    "vizinho vizinha sozinho sozinha sobrinho sobrinha padrinho madrinha cozinha farinha galinha carinho "
    "focinho sardinha campainha marinho marinha espinho espinha moinho calcinha camisinha quentinha "
    "coxinha mocinha mocinho chumbinho bombinha mainha painho amarelinha golfinho cominho toucinho "
    "salgadinho docinho rainha andorinha bainha tainha ladainha fraldinha remedinho negocinho maquininha "
    "passarinho rapazinho mesinha cafezinho tampinha pintinho"
)

_ENDINGS = (  # (suffix, endings tried on the stem)
    ("zinhos", ("s",)),
    ("zinhas", ("s",)),
    ("zinho", ("",)),
    ("zinha", ("",)),
    ("inhos", ("os", "es", "s")),
    ("inhas", ("as", "es", "s")),
    ("inho", ("o", "e", "")),
    ("inha", ("a", "e", "")),
)
_BARE_STEM_ENDS = ("r", "z", "s")  # "devagarinho", "narizinho"; never "golinho" -> "gol"
SUFFIXES = ("inho", "inha", "inhos", "inhas")


@lru_cache(maxsize=16384)
def base(token: str) -> str | None:
    """The base word of a diminutive `token`, or None to keep it as typed."""
    lexicon = default()
    known, common = lexicon.words, lexicon.common
    if token in LEXICALISED or (token.endswith("s") and token[:-1] in LEXICALISED):
        return None
    verb_stem = token.rstrip("s")[:-1]  # "caminho" -> "caminh": a form of "caminhar"?
    if verb_stem + "ar" in known:
        return None
    found: list[tuple[float, int, str]] = []
    for suffix, endings in _ENDINGS:
        if not token.endswith(suffix):
            continue
        stem = token[: -len(suffix)]
        if len(stem) < 2:
            continue
        if stem.endswith("qu"):
            stem = stem[:-2] + "c"
        elif stem.endswith("gu"):
            stem = stem[:-2] + "g"
        for rank, ending in enumerate(endings):
            if not ending and not suffix.startswith("z") and not stem.endswith(_BARE_STEM_ENDS):
                continue
            cand = stem + ending
            if len(cand) >= 2 and cand in known:
                found.append((common.get(cand, 0.0), -rank, cand))
    if not found:
        return None
    return max(found)[2]
