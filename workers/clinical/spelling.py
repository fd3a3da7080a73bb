"""Shorthand and typo tolerance: "vc", "n consigo", "falra de ar", "convulcao", "dismaiei".

Before any rule reads a text, each word that is *not* a known Portuguese word and sits one edit
away (two for words of eight letters or more) from a word of `VOCABULARY` is rewritten to that
word. Edits are the optimal-string-alignment kind (insert, delete, substitute, swap two
neighbours), measured by rapidfuzz. Three guards keep it from inventing symptoms:

- words shorter than four letters are never touched ("dor", "ar", "sem" stay as typed);
- the first letter must match (typos rarely hit it; "perto" is not "peito" for that reason and
  also because it is a real word);
- a real word is never rewritten ("perto", "farta", "morder"): `normalise.is_word` asks the
  Portuguese lexicon (see docs/clinical-engine.md, "Normalisation"), and `RULE_WORDS` adds every
  word the engine's own patterns spell out (medical terms a general lexicon lacks).

Words that are not symptom typos go on to `normalise.respell` (phonetic spellings, glued words).

Candidates are found SymSpell-style (each vocabulary word indexed under its one-deletion
variants), so a 2,000-character message costs a few dictionary look-ups per word, not a scan of
the vocabulary.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

from . import lexicon
from .diminutive import SUFFIXES, base
from .normalise import is_word, known_words, respell
from .people import BYSTANDER_WORDS, NAMES, RELATIVE_BASE
from .spelling_tables import ABBREVIATIONS, KEEP, VOCABULARY
from .spoken_forms import raised_word, spoken_if, spoken_kin, spoken_variant, stressed_endings
from .text import Normalised, rewrite

# A letter after these names a kind, not a shorthand: "vitamina D" (never "vitamina de"), "hepatite B".
_LETTER_LABEL = re.compile(
    r"\b(?:vitamina|vitaminas|vit|hepatite|tipo|grupo|classe|letra|bloco|ala|sala|leito|fator|complexo|plano)\s$"
)


def _rule_words() -> frozenset[str]:
    """Every word the engine's own patterns spell out ("afebril", "dispineia", "sangui"): known,
    even when the general lexicon lacks a medical term or a typo the rules already expect."""
    # "o Tonho da oficina" is no typo of "túnel"; "fui no SUS" no typo of "sua"
    # ... nor a person's word of the region ("meu compade" is no "compare")
    found: set[str] = set(VOCABULARY) | NAMES | KEEP | BYSTANDER_WORDS
    for value in vars(lexicon).values():
        patterns: list[re.Pattern[str]] = []
        # (a dict of patterns too: the vital signs written in the text, "oxímetro", `TEXT_VITALS`)
        if isinstance(value, dict):
            items = list(value.values())
        else:
            items = list(value) if isinstance(value, (list, tuple)) else [value]
        for item in items:
            if isinstance(item, lexicon.Family):
                parts = (item.pattern, item.not_before, item.not_after, item.requires)
                patterns.extend(p for p in parts if p is not None)
            elif isinstance(item, re.Pattern):
                patterns.append(item)
        for pattern in patterns:
            found.update(re.findall(r"(?<![\\?])[a-z]{3,}", pattern.pattern))
    return frozenset(found)


RULE_WORDS = _rule_words()
# A diminutive the rules spell out while not naming its base keeps its own reading ("um tiquinho"),
# and so does a name ("Juninho"); any other is read as its base (`diminutive`).
_KEEP_DIMINUTIVES = NAMES | {
    w for w in RULE_WORDS if w.endswith(SUFFIXES) and ((b := base(w)) is None or b not in RULE_WORDS)
}
_RULE_PATTERNS = tuple(f.pattern for f in (*lexicon.SYMPTOM_FAMILIES, *lexicon.IMAGING_FAMILIES))


def read_by_rules(token: str) -> bool:
    """Whether a family pattern already reads the whole token ("combulsao" by `co[nm]?[vb]ul[sc]\\w*`):
    the rules expect that spelling, so rewriting it could only lose the finding."""
    for pattern in _RULE_PATTERNS:
        m = pattern.match(token)
        if m is not None and m.end() == len(token):
            return True
    return False


def _max_distance(word: str) -> int:
    return 2 if len(word) >= 8 else 1


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


# one-deletion variant -> vocabulary words, and each vocabulary word under itself
_INDEX: dict[str, set[str]] = {}
for _w in VOCABULARY:
    for _key in (_w, *_deletes(_w)):
        _INDEX.setdefault(_key, set()).add(_w)


@lru_cache(maxsize=65536)
def correct(token: str) -> str | None:
    """The vocabulary word a misspelt `token` stands for, or None (keep the token)."""
    if token in VOCABULARY or len(token) < 4 or is_word(token):
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
# ... also drawn out, the folded text's "do" once its stretch is collapsed: "doô", "dôo", "dôôô" (s6-recall)
_SPOKEN_DOR = re.compile(r"(?<![^\W\d_])d[oô]*ô[oô]*(?![^\W\d_])", re.IGNORECASE)


def _spoken_dor_in(original: str) -> bool:
    """`_SPOKEN_DOR.search(original)` found something. The regex opens with a look-behind, so a search
    tries it at every position, and "ô" is common ("estômago", "ônibus"). A match is a "d" right before
    the run of o's that holds its "ô" (the only two characters `d[ôÔ]` reads with IGNORECASE, checked
    over all of Unicode), so it is tried only there: where each run of [oôOÔ] with an "ô" opens."""
    for hat in ("ô", "Ô"):
        i = original.find(hat)
        while i != -1:
            k = i
            while k and original[k - 1] in "oôOÔ":
                k -= 1
            if k and _SPOKEN_DOR.match(original, k - 1) is not None:
                return True
            i = original.find(hat, i + 1)
    return False


@lru_cache(maxsize=65536)
def fix_word(token: str) -> str | None:
    """What a token stands for, or None to keep it: shorthand, a symptom typo, a phonetic spelling."""
    if token in ABBREVIATIONS:
        return ABBREVIATIONS[token]
    if len(token) < 3 or not token.isalpha() or is_word(token):
        return None  # a real word is never rewritten
    # "febri", "sangui", "desmaiu": spelt as said, and read as their word whatever the rules accept
    if (said := _final_vowel(token)) is not None:
        return said
    if token in RULE_WORDS or read_by_rules(token):
        return None
    # ... and a slip in a word so spelt is the slip of its word ("peiru": "peiro", "peito"; "oxímetru")
    restored = _restored_final(token)
    if restored is not None and read_by_rules(restored):
        return restored
    # ... a word spelt as said, every other letter kept ("vomitano", "vorta", "dismaio"), before a
    # symptom typo or the sound key guess at one (`spoken_forms`)
    return (restored and correct(restored)) or spoken_variant(token) or correct(token) or respell(token)


_SPOKEN_FINAL = {"u": "o", "i": "e", "us": "os", "is": "es"}


def _restored_final(token: str) -> str | None:
    for end in ("us", "is", "u", "i"):
        if token.endswith(end) and len(token) > len(end) + 2:
            return token[: -len(end)] + _SPOKEN_FINAL[end]
    return None


def _final_vowel(token: str) -> str | None:
    """The real word a token spells with its unstressed final -o/-e said as -u/-i, and nothing
    else changed ("tevi" is "teve", never "tive"; "dozi" is "doze", never "doce"; "direitu" is
    "direito", never "direita"): the writer kept every other letter, so the sound key's merged
    vowels and the commoner word must not choose another one."""
    word = _restored_final(token)
    return word if word is not None and (word in RULE_WORDS or is_word(word)) else None


def fix_typos(norm: Normalised) -> Normalised:
    """Shorthand, misspelt symptom words and phonetic spellings rewritten, in one pass."""
    norm = spoken_kin(
        spoken_if(stressed_endings(norm))
    )  # "passô", "tivé": read while the accent tells them apart
    text = norm.text
    # Most words of most messages are real words: one set difference (in C) finds the few others.
    tokens = set(_TOKEN.findall(text))
    suspects = tokens.difference(known_words())
    suspects.update(tokens.intersection(ABBREVIATIONS))
    fixes = {t: f for t in suspects if (f := fix_word(t)) is not None}
    # Diminutives are real words: "durinho", "costelinha" read as their base ("diminutive.py").
    # An unknown one too, before the sound key makes another word of it ("paizinho" is not "paezinhos").
    # ... unless it is a real word said with raised vowels ("cuzinha" is "cozinha").
    known = known_words()
    dims = [
        t
        for t in tokens
        if t.endswith(SUFFIXES) and t not in _KEEP_DIMINUTIVES and (t in known or raised_word(t) is None)
    ]
    fixes.update((t, b) for t in dims if (b := RELATIVE_BASE.get(t) or base(t)) is not None)
    orphans = {t for t in suspects if t not in fixes and t.isalpha() and not _known(t)}
    original = norm.original
    spoken_dor = "do" in tokens and _spoken_dor_in(original)
    if not fixes and not orphans and not spoken_dor:
        return norm
    # Visit only the occurrences of those few tokens, in text order, instead of every token.
    edits: list[tuple[int, int, str]] = []
    if spoken_dor:  # "dô di denti": "dor" with its r dropped and the vowel closed, never "do" (de + o)
        said = [(s, e) for s, e, _t in _occurrences(text, ("do",))]
        edits += [(s, e, "dor") for s, e in said if _SPOKEN_DOR.fullmatch(norm.excerpt(s, e))]
    for s, e, token in _occurrences(text, (*fixes, *orphans)):
        fixed = fixes.get(token)
        if fixed is None:  # an orphan: joined to the word before it, when that makes a word
            prev = _previous_word(text, s)
            if prev is not None and len(token) >= 3 and not (edits and edits[-1][1] > prev):
                joined = text[prev : s - 1] + token
                if _known(joined):
                    edits.append((prev, e, joined))
            continue
        if (e < len(text) and text[e].isdigit()) or (s > 0 and text[s - 1].isdigit()):
            continue  # part of a code or a unit glued to a number ("spo2", "b12", "39graus")
        # "s/", "c/" and "d+" only as whole tokens, never inside "os/as" or a URL.
        if text[e - 1] in "/+" and s > 0 and text[s - 1].isalnum():
            continue
        if e - s == 1 and _LETTER_LABEL.search(text, max(0, s - 12), s):
            continue  # "vitamina d", "hepatite b": a letter that names a kind
        edits.append((s, e, fixed))
    return rewrite(norm, sorted(edits))


def _az(ch: str) -> bool:
    return "a" <= ch <= "z"


def _occurrences(text: str, tokens: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start, end, token) of every place `_TOKEN.finditer(text)` yields one of `tokens`.

    A token starts where no letter precedes it (a run of letters is one token, and "d+", "s/"
    end in a non-letter). A word token is a whole run of letters, and a lone "d" before "+" or
    "s", "c", "p" before "/" is that shorthand token, not a word."""
    out: list[tuple[int, int, str]] = []
    n = len(text)
    for token in tokens:
        size = len(token)
        word = token[-1] not in "/+"
        shorthand = {"d": "+", "s": "/", "c": "/", "p": "/"}.get(token) if size == 1 else None
        i = text.find(token)
        while i != -1:
            e = i + size
            whole = not word or (
                (e == n or not _az(text[e])) and not (shorthand and e < n and text[e] == shorthand)
            )
            if whole and (i == 0 or not _az(text[i - 1])):
                out.append((i, e, token))
            i = text.find(token, i + 1)
    out.sort()
    return out


def _previous_word(text: str, s: int) -> int | None:
    """Where the word token right before position `s` starts, when one space alone separates
    them ("com vulsao"); None otherwise (the token before is "d+"/"s/", a number, or further)."""
    if s < 2 or text[s - 1] != " " or not _az(text[s - 2]):
        return None
    i = s - 2
    while i > 0 and _az(text[i - 1]):
        i -= 1
    return i


@lru_cache(maxsize=65536)
def _known(token: str) -> bool:
    # Cached like `fix_word`: `read_by_rules` tries every family pattern, and the same unknown
    # words (names, places) come back in message after message.
    return token in RULE_WORDS or is_word(token) or read_by_rules(token)
