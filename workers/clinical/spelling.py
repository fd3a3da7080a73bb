"""Typo tolerance for the symptom vocabulary: "falra de ar", "convulcao", "dismaiei", "vomitano".

Before any rule reads a text, each word that is *not* a known Portuguese word and sits one edit
away (two for words of eight letters or more) from a word of `VOCABULARY` is rewritten to that
word. Edits are the optimal-string-alignment kind (insert, delete, substitute, swap two
neighbours), measured by rapidfuzz. Three guards keep it from inventing symptoms:

- words shorter than four letters are never touched ("dor", "ar", "sem" stay as typed);
- the first letter must match (typos rarely hit it; "perto" is not "peito" for that reason and
  also because it is a real word);
- a real word near the vocabulary ("perto", "farta", "morder") is never rewritten: `GUARD` lists
  every word of a Portuguese frequency dictionary (pyspellchecker's, folded to ASCII, frequency
  >= 100) within the same distance of a vocabulary word. The list is generated into
  `data/typo_guard.txt` by `python -m workers.clinical.spelling --regenerate` (a dev-only
  dependency), and a test fails when it is stale.

Candidates are found SymSpell-style (each vocabulary word indexed under its one-deletion
variants), so a 2,000-character message costs a few dictionary look-ups per word, not a scan of
the vocabulary.
"""

from __future__ import annotations

import argparse
import re
import sys
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import OSA

from .text import Normalised, rewrite, words

VOCABULARY = words(
    # dyspnoea
    "falta folego respirar respirando respiracao dispneia sufocado sufocada sufocando sufoco ofegante "
    "cansaco canseira cansado cansada chiado chiando "
    # chest
    "peito toracica toracico aperto apertando apertado pressao queimacao pontada "
    # bleeding
    "sangue sangrando sangramento sangrou sangrar sangrava hemorragia vomitando vomitei vomitou vomito "
    "vomitos vomitar tossindo tossi escarro catarro fezes pretas preto piche coagulos "
    # seizure, syncope, consciousness
    "convulsao convulsionou convulsionando convulsiva convulsivo convulsoes debatendo revirou "
    "desmaio desmaiei desmaiou desmaiar desmaiando desmaiada desmaiado desacordado desacordada "
    "inconsciente consciencia sentidos apaguei "
    # confusion, stroke
    "confuso confusa confusao desorientado desorientada delirando derrame dormente dormencia "
    "formigamento formigando fraqueza paralisado paralisada paralisia enrolada enrolado embolada "
    "embolado torta torto entortou caida caido metade esquerdo esquerda direito direita "
    # anaphylaxis
    "garganta fechando inchada inchado inchou inchaco alergia alergica alergico lingua "
    # suicide
    "suicidio suicida matar morrer viver "
    # fever, pain, gut
    "febre temperatura termometro calafrio calafrios graus insuportavel diarreia infarto dificuldade "
    "muita muito forte"
)
# WhatsApp shorthand, expanded before the rules read the text ("n consigo", "vomito tudo q tomo").
ABBREVIATIONS = {
    "q": "que",
    "pq": "porque",
    "pqe": "porque",
    "vc": "voce",
    "vcs": "voces",
    "tb": "tambem",
    "tbm": "tambem",
    "hj": "hoje",
    "mt": "muito",
    "mto": "muito",
    "mta": "muita",
    "mtos": "muitos",
    "mtas": "muitas",
    "td": "tudo",
    "tds": "todos",
    "qdo": "quando",
    "qnd": "quando",
    "qndo": "quando",
    "n": "nao",
    "nn": "nao",
    "naum": "nao",
    "dps": "depois",
    "agr": "agora",
    "msm": "mesmo",
    "cmg": "comigo",
    "tô": "to",
    "s/": "sem",
    "c/": "com",
    "p/": "para",
    "d+": "demais",
}
_DATA = Path(__file__).with_name("data") / "typo_guard.txt"
_WORD = re.compile(r"[a-z]{4,}")


def _max_distance(word: str) -> int:
    return 2 if len(word) >= 8 else 1


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _load_guard() -> frozenset[str]:
    try:
        return frozenset(_DATA.read_text(encoding="utf-8").split())
    except OSError:  # a missing data file must not stop the engine; it only loses a guard
        return frozenset()


GUARD = _load_guard()
# one-deletion variant -> vocabulary words, and each vocabulary word under itself
_INDEX: dict[str, set[str]] = {}
for _w in VOCABULARY:
    for _key in (_w, *_deletes(_w)):
        _INDEX.setdefault(_key, set()).add(_w)


@lru_cache(maxsize=65536)
def correct(token: str) -> str | None:
    """The vocabulary word a misspelt `token` stands for, or None (keep the token)."""
    if token in VOCABULARY or token in GUARD or len(token) < 4:
        return None
    candidates: set[str] = set()
    for key in (token, *_deletes(token)):
        candidates |= _INDEX.get(key, set())
    if len(token) >= 8:  # two edits: look one deletion deeper
        for key in _deletes(token):
            for key2 in _deletes(key):
                candidates |= _INDEX.get(key2, set())
    best: tuple[int, str] | None = None
    for cand in candidates:
        if cand[0] != token[0]:
            continue
        limit = min(_max_distance(cand), _max_distance(token))
        d = OSA.distance(token, cand, score_cutoff=limit)
        if d <= limit and (best is None or (d, cand) < best):
            best = (d, cand)
    return best[1] if best else None


_TOKEN = re.compile(r"d\+|[scp]/|[a-z]+")


def fix_typos(norm: Normalised) -> Normalised:
    """Shorthand and misspelt symptom words rewritten, in one pass over the words."""
    edits = []
    for m in _TOKEN.finditer(norm.text):
        token = m.group(0)
        if len(token) <= 4 and token in ABBREVIATIONS:
            s, e = m.span()
            # "s/", "c/" and "d+" only as whole tokens, never inside "os/as" or a URL.
            if token[-1] in "/+" and (s > 0 and norm.text[s - 1].isalnum()):
                continue
            edits.append((s, e, ABBREVIATIONS[token]))
        elif len(token) >= 4:
            fixed = correct(token)
            if fixed is not None:
                edits.append((m.start(), m.end(), fixed))
    return rewrite(norm, edits)


def regenerate(min_frequency: int = 100) -> list[str]:
    """Real words near the vocabulary, from pyspellchecker's Portuguese frequency list."""
    from spellchecker import SpellChecker  # dev-only dependency

    from .text import fold

    freq = SpellChecker(language="pt").word_frequency
    folded: dict[str, int] = {}
    for word, count in freq.items():
        key = fold(word)
        if key.isalpha() and key.isascii():
            folded[key] = max(folded.get(key, 0), count)
    guard = set()
    for word, count in folded.items():
        if count < min_frequency or len(word) < 4 or word in VOCABULARY:
            continue
        for cand in VOCABULARY:
            if cand[0] != word[0] or abs(len(cand) - len(word)) > 2:
                continue
            limit = min(_max_distance(cand), _max_distance(word))
            if OSA.distance(word, cand, score_cutoff=limit) <= limit:
                guard.add(word)
                break
    return sorted(guard)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workers.clinical.spelling", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--regenerate", action="store_true", help=f"rewrite {_DATA.name} from the dictionary")
    parser.add_argument("words", nargs="*", help="words to correct")
    args = parser.parse_args(argv)
    if args.regenerate:
        guard = regenerate()
        _DATA.parent.mkdir(parents=True, exist_ok=True)
        _DATA.write_text("\n".join(guard) + "\n", encoding="utf-8")
        print(f"{len(guard)} palavras em {_DATA}")
    for w in args.words:
        print(w, "->", correct(w) or w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
