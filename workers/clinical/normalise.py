"""The Portuguese lexicon behind normalisation, and what it answers for a word it does not know.

`spelling.fix_typos` reads each token of the folded text (`text.normalise`) in this order:
WhatsApp shorthand, then *a real word is never rewritten* (`is_word`), then a misspelt symptom word
(`spelling.correct`), then `respell` here:

- a phonetic spelling ("sintu", "cabessa", "xegou", "trabaiu", "onti"): the lexicon words that
  share its sound key (`phonetic.key`); the closest in spelling wins, then the most frequent;
- two words glued together ("derrepente", "denovo", "concerteza"): a short function word and a
  real word.

The lexicon is loaded once per process (`Dictionary.default`), see docs/clinical-engine.md,
"Normalisation", for where it comes from and what it costs. Every answer is cached per token, so
a message pays one set look-up per word it has seen before.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import OSA

from .phonetic import key, light

DATA = Path(__file__).with_name("data") / "lexicon_pt.tsv.gz"
# Words rarer than this (wordfreq's Zipf scale: 3 = once per million words) are real words but
# never the answer to a misspelling: a rare word that shares a sound key is more often wrong.
MIN_ZIPF = 2.5
FREQUENCY_WEIGHT = 0.5  # edits one unit of Zipf frequency is worth when ranking candidates
MAX_DISTANCE = 3  # edits between a long phonetic spelling and its word; 1 up to 5 letters, 2 up to 8
MIN_KEYBOARD = 3  # "cim" -> "com", "nap" -> "nao"
MIN_PHONETIC = 4  # shorter tokens are shorthand or function words (see spelling.ABBREVIATIONS)
# "derrepente" = "de" + "repente": function words that get glued to the next word.
# Single letters and "se" are left out: they are also prefixes ("afebril", "sedado").
GLUED_HEADS = ("de", "da", "do", "com", "con", "em", "por", "pra", "pro")


def fold(word: str) -> str:
    """Lowercase ASCII, as `text.normalise` leaves a word."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sound_key(word: str) -> str:
    """Sound key of a dictionary word as written ("ç" is an s, whatever the folding does)."""
    return key(fold(word.lower().replace("ç", "s")))


@dataclass(frozen=True, slots=True)
class Dictionary:
    """Real words (folded) and, by sound key, the common ones that can answer a misspelling."""

    words: frozenset[str]
    index: dict[str, tuple[tuple[str, float], ...]]  # sound key -> (folded word, Zipf), commonest first
    common: dict[str, float] = field(default_factory=dict, compare=False)  # folded word -> Zipf

    def __post_init__(self) -> None:
        if not self.common:
            common = {w: z for bucket in self.index.values() for w, z in bucket}
            object.__setattr__(self, "common", common)

    def keyboard(self, token: str) -> str | None:
        """The common word one slip of the finger away, past the first letter: a neighbouring key
        ("cim", "febte", "chiafo"), a letter left out ("domir", "desd") or two letters swapped
        ("fberbe" no: the first letter stays as typed); the commonest wins."""
        common = self.common
        found: dict[str, float] = {}
        for i, ch in enumerate(token):
            head, tail = token[:i], token[i + 1 :]
            if i == 0:
                continue  # the first letter is rarely the slip (the symptom typos assume it too)
            for near in _NEAR.get(ch, ""):
                cand = head + near + tail
                if cand in common:
                    found[cand] = common[cand]
            if len(token) >= 4:
                for letter in _DROPPED:
                    cand = head + letter + token[i:]
                    if cand in common:
                        found[cand] = common[cand]
                if tail:
                    cand = head + tail[0] + ch + tail[1:]
                    if cand in common:
                        found[cand] = common[cand]
        if len(token) >= 4:
            for letter in _DROPPED:
                if token + letter in common:
                    found[token + letter] = common[token + letter]
        if not found:
            return None
        return max(found.items(), key=lambda wz: (wz[1], wz[0]))[0]

    @classmethod
    def build(cls, entries: Iterable[tuple[str, float]], min_zipf: float = MIN_ZIPF) -> Dictionary:
        """From (word as written, Zipf frequency) pairs; a frequency of 0 means "real, rare"."""
        words: set[str] = set()
        best: dict[tuple[str, str], float] = {}  # (key, folded) -> Zipf ("é" and "e" fold together)
        for word, zipf in entries:
            folded = fold(word)
            if not folded.isalpha() or not folded.isascii():
                continue
            words.add(folded)
            if zipf >= min_zipf:
                slot = (sound_key(word), folded)
                best[slot] = max(best.get(slot, 0.0), round(zipf, 1))
        index: dict[str, list[tuple[str, float]]] = {}
        for (k, folded), zipf in best.items():
            index.setdefault(k, []).append((folded, zipf))
        return cls(frozenset(words), {k: _ranked(v) for k, v in index.items()})

    def dump(self, path: Path) -> None:
        """One line per word: `word` or `word<TAB>key<TAB>zipf`, so loading needs no key rules."""
        indexed: dict[str, list[str]] = {}
        for k, bucket in self.index.items():
            for w, zipf in bucket:
                indexed.setdefault(w, []).append(f"{w}\t{k}\t{zipf}")
        lines = []
        for w in sorted(self.words):
            lines.extend(sorted(indexed.get(w, [w])))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))  # same bytes every time

    @classmethod
    def load(cls, path: Path = DATA) -> Dictionary:
        words: list[str] = []
        index: dict[str, list[tuple[str, float]]] = {}
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                words.append(parts[0])
                if len(parts) == 3:
                    index.setdefault(parts[1], []).append((parts[0], float(parts[2])))
        return cls(frozenset(words), {k: _ranked(v) for k, v in index.items()})

    def phonetic(self, token: str) -> str | None:
        """The common word `token` is a phonetic spelling of, or None."""
        best: tuple[float, str] | None = None
        spelt = light(token)
        limit = 1 if len(token) <= 5 else (2 if len(token) <= 8 else MAX_DISTANCE)
        for k in _token_keys(token):
            for cand, zipf in self.index.get(k, ()):
                target = light(cand)
                if len(target) < len(spelt) and spelt.startswith(target):
                    continue  # people drop endings, they do not add them: "lobar" is not "loba"
                d = OSA.distance(spelt, target, score_cutoff=limit)
                if d > limit:
                    continue
                # Closer spelling first; a much commoner word may win over one edit ("fais": "faz").
                score = d - FREQUENCY_WEIGHT * zipf
                if best is None or (score, cand) < best:
                    best = (score, cand)
        return best[1] if best else None


def _ranked(bucket: list[tuple[str, float]]) -> tuple[tuple[str, float], ...]:
    return tuple(sorted(bucket, key=lambda wz: (-wz[1], wz[0])))


def _token_keys(token: str) -> list[str]:
    """Keys of a folded token; a "c" before a/o/u may have been a "ç" ("bracu", "conculta")."""
    keys = [key(token)]
    for pattern, repl in _VARIANTS if len(token) >= 6 else _VARIANTS[:1]:
        for m in pattern.finditer(token):
            variant = key(f"{token[: m.start()]}{repl}{token[m.end() :]}")
            if variant not in keys:
                keys.append(variant)
    return keys


# A token's letters that may stand for others in speech (s5-recall): a "c" before a/o/u may have
# been a "ç" ("bracu", "conculta"); an r closing a syllable may be an l ("cunvursão", "curpa"); an
# i or e spoken between two consonants is no letter of the word ("disimaio", "adevogado"); these two
# only in words of six letters or more ("pars" is a slip for "para", not "paus").
_VARIANTS = (
    (re.compile(r"(?<=.)c(?=[aou])"), "s"),
    (re.compile(r"(?<=[aeiou])r(?=[bcdfgjkmnpqstvxz])"), "l"),
    (re.compile(r"(?<=[bdfgkpstv])[ie](?=[bdfgkmnpstv])"), ""),
)


_DEFAULT: Dictionary | None = None


def default() -> Dictionary:
    """The shipped lexicon, loaded on first use (a missing file leaves only the symptom typos)."""
    global _DEFAULT
    if _DEFAULT is None:
        try:
            _DEFAULT = Dictionary.load()
        except OSError:
            _DEFAULT = Dictionary(frozenset(), {})
    return _DEFAULT


def use(dictionary: Dictionary) -> None:
    """Swap the lexicon (the comparison bench measures each candidate source this way)."""
    global _DEFAULT
    _DEFAULT = dictionary
    respell.cache_clear()


@lru_cache(maxsize=65536)
def respell(token: str) -> str | None:
    """The word(s) a token that is not a real word spells phonetically, glued or with a slip of
    the finger, or None."""
    lexicon = default()
    if len(token) < MIN_KEYBOARD or token in lexicon.words:
        return None
    if len(token) >= MIN_PHONETIC:
        got = lexicon.phonetic(token) or _unglue(token, lexicon)
        if got is not None:
            return got
    return lexicon.keyboard(token)


def _neighbours() -> dict[str, str]:
    """Keys next to each letter on a QWERTY (ABNT2) keyboard: same row, and the staggered rows."""
    rows = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    near: dict[str, str] = {}
    for r, row in enumerate(rows):
        for i, ch in enumerate(row):
            keys = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            if r > 0:  # the row above sits half a key to the left
                keys += [rows[r - 1][j] for j in (i, i + 1) if j < len(rows[r - 1])]
            if r < 2:
                keys += [rows[r + 1][j] for j in (i - 1, i) if 0 <= j < len(rows[r + 1])]
            near[ch] = "".join(keys)
    return near


_NEAR = _neighbours()
# Letters a fast thumb leaves out: vowels and the consonants that close syllables or double.
_DROPPED = "aeiourslnmdtc"


def is_word(token: str) -> bool:
    return token in default().words


def known_words() -> frozenset[str]:
    return default().words


def _unglue(token: str, lexicon: Dictionary) -> str | None:
    for head in GLUED_HEADS:
        if not token.startswith(head) or len(token) - len(head) < 4:
            continue
        rest = token[len(head) :]
        if rest[:2] == "rr":  # "derrepente": the r doubled to keep its sound
            rest = rest[1:]
        word = rest if rest in lexicon.words else lexicon.phonetic(rest)
        if word is not None:
            return f"{'com' if head == 'con' else head} {word}"
    return None


# --- the shipped lexicon ----------------------------------------------------------------------------


def enelvo_entries() -> Iterator[tuple[str, float]]:
    """enelvo's inflected lexicon (UNITEX-PB plus its own corrections), ranked by enelvo's frequency
    list, and the words enelvo itself never normalises (proper nouns, acronyms, the 5,000 commonest
    English words: "mail", "check"), which are real but never answer a misspelling. The package is
    a dev-only dependency: its data files are read, the package is never imported (gensim)."""
    spec = importlib.util.find_spec("enelvo")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("enelvo is not installed: pip install -r requirements.dev.txt")
    resources = Path(next(iter(spec.submodule_search_locations))) / "resources"
    counts: dict[str, float] = {}
    for line in (resources / "lexicons" / "freq-cgu.txt").read_text(encoding="utf-8").splitlines():
        word, _, number = line.rpartition(",")
        counts[word.lower()] = counts.get(word.lower(), 0.0) + float(number)
    total = sum(counts.values())
    main_lexicon = resources / "lexicons" / "unitex-full-clean+enelvo-ja-corrigido.txt"
    for word in main_lexicon.read_text(encoding="utf-8").split():
        seen = counts.get(word, 0.0)
        yield word, math.log10(seen / total * 1e9) if seen else 0.0
    for extra in ("lexicons/english-5k.txt", "corr-lexicons/pns.txt", "corr-lexicons/acs.txt"):
        for word in (resources / extra).read_text(encoding="utf-8").split():
            yield word, 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workers.clinical.normalise", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--regenerate", action="store_true", help=f"rewrite {DATA.name} from enelvo")
    parser.add_argument("words", nargs="*", help="words to respell")
    args = parser.parse_args(argv)
    if args.regenerate:
        built = Dictionary.build(enelvo_entries())
        built.dump(DATA)
        use(built)
        indexed = sum(map(len, built.index.values()))
        print(f"{len(built.words)} palavras, {indexed} indexadas em {DATA}")
    for w in args.words:
        print(w, "->", respell(w) or w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
