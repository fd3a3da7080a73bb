"""The `phon_spoken` transform of `bench/clinical_metamorphic.py`: a message respelt the way spoken
Brazilian Portuguese is typed (docs/clinical-engine.md, "Seventh session", "robust-phonetic"):

- function words with their final vowel raised: "de" → "di", "do" → "du", "no" → "nu", "que" → "qui",
  "ontem" → "onti", "hoje" → "hoji", "vez" → "veiz";
- the past "-ou" said with a stressed "-ô" ("passou" → "passô", "voltou" → "vortô");
- an infinitive or a future subjunctive without its r, the vowel accented ("acordar" → "acordá",
  "fazer" → "fazê", "tiver" → "tivé", "engolir" → "engolí"), never where the accented word is another
  real word ("beber" stays: "bebê" is a baby);
- a gerund without its d ("vomitando" → "vomitano");
- an l that closes a syllable said r ("volta" → "vorta", "almoço" → "armoço"), and an opening "des",
  "es" or "co" raised ("desmaio" → "dismaio", "cozinha" → "cuzinha"), only where the result is no real
  word ("falta" never becomes "farta").
"""

from __future__ import annotations

import re

_FUNCTION = {"de": "di", "do": "du", "no": "nu", "que": "qui", "ontem": "onti", "hoje": "hoji", "vez": "veiz"}
_SUBJUNCTIVE = frozenset(
    ["tiver", "estiver", "puder", "quiser", "fizer", "souber", "trouxer", "disser", "vier"]
)
_ACCENT = {"a": "á", "e": "ê", "i": "í"}
_WORD = re.compile(r"[^\W\d_]+")
_L_CLOSING = re.compile(r"(?<=[aeiou])l(?=[bcdfgjkmnpqstvxzç])")
_OPENING = ((re.compile(r"^des(?=[^aeiou])"), "dis"), (re.compile(r"^es(?=[^aeiou])"), "is"))
_CO = re.compile(r"^co(?=[bdfgjlmpstvxz][aeiou])")


def _respell(word: str) -> str:
    from workers.clinical.normalise import fold, is_word
    from workers.clinical.spoken_forms import ACCENTED_WORDS

    lw = word.lower()
    if lw in _FUNCTION:
        return _FUNCTION[lw]
    if len(lw) < 5 or not is_word(fold(lw)):
        return lw
    out = lw
    for pattern, repl in (*_OPENING, (_CO, "cu")):
        raised = pattern.sub(repl, out)
        if raised != out and len(out) >= 6 and not is_word(fold(raised)):
            out = raised
            break
    swapped = _L_CLOSING.sub("r", out)
    if swapped != out and not is_word(fold(swapped)):
        out = swapped
    if out.endswith(("ando", "endo", "indo")) and len(out) >= 6:
        return out[:-3] + "no"
    if out.endswith("ou"):
        return out[:-2] + "ô"
    if out[-2:] in ("ar", "er", "ir"):
        accented = out[:-2] + ("é" if lw in _SUBJUNCTIVE else _ACCENT[out[-2]])
        return out if accented in ACCENTED_WORDS else accented
    return out


def phon_spoken(text: str) -> str:
    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        if word.isupper() and len(word) > 1:
            return word  # an acronym ("UPA", "AVC")
        new = _respell(word)
        return new.capitalize() if word[0].isupper() else new

    return _WORD.sub(swap, text)
