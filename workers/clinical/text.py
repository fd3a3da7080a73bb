"""Text normalisation shared by every detector.

Patients write without accents, with typos and with stretched letters ("faaalta de ar"). Every
pattern in the lexicon is written against a *normalised* text: lowercase, no diacritics, runs of
three or more identical letters collapsed to one, typographic quotes and degree signs unified.
The normalised text keeps a map back to the original so a finding can quote the patient's own
words (`trecho`) instead of our rewritten version.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


def _build_table() -> dict[int, str]:
    """One-to-one character table, so positions survive the translation (see `Normalised.map`)."""
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0].lower()
        if len(base) == 1 and base.isascii() and base.isalpha():
            table[code] = base
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code).lower()
    # Degree sign, masculine ordinal and ring all mean "degrees" in "39ºC", "39°", "39˚".
    for char in "º°˚":
        table[ord(char)] = "°"
    table.update(
        {
            ord("\u00a0"): " ",
            ord("\u2007"): " ",
            ord("\u202f"): " ",
            ord("\t"): " ",
            ord("\u2018"): "'",
            ord("\u2019"): "'",
            ord("\u201c"): '"',
            ord("\u201d"): '"',
            ord("\u2013"): "-",
            ord("\u2014"): "-",
            ord("\u2212"): "-",
            ord("\u00b4"): "'",
            ord("`"): "'",
            ord("\r"): "\n",
        }
    )
    return table


_TABLE = _build_table()
# Stretched letters ("faaaalta", "socorrooo", "faalta"): runs of 3+ letters, and of 2+ vowels
# (Portuguese doubles consonants - "rr", "ss" - but almost never vowels; "enjoo" -> "enjo" is harmless).
# A run of r or s keeps two ("socorrrro", "issso"): the word is spelt with the double more often.
# Digits are left alone: 3000 must stay 3000.
_STRETCH = re.compile(r"([aeiou])\1+|([rs])\2{2,}|([a-z])\3{2,}")
# Where `_STRETCH` can match: a doubled vowel or a tripled letter starts there. `str.find` for
# each (a C loop) finds them faster than one regex alternation tried at every position, and the
# back-references run only at those places.
_STRETCH_STARTS = tuple([v * 2 for v in "aeiou"] + [c * 3 for c in "bcdfghjklmnpqrstvwxyz"])


@dataclass(frozen=True, slots=True)
class Normalised:
    """The normalised text plus, for each of its characters, the index in the original."""

    original: str
    text: str
    map: tuple[int, ...] | None  # None when the text kept its length (the common case)

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        if self.map is None:
            return start, end
        if start >= len(self.map):
            return len(self.original), len(self.original)
        o_start = self.map[start]
        # Only repeated letters are dropped, so everything up to the next kept character belongs
        # to the last matched one ("faaalta" -> "falta" quotes all of "faaalta").
        o_end = self.map[end] if end < len(self.map) else len(self.original)
        return o_start, max(o_end, o_start)

    def excerpt(self, start: int, end: int) -> str:
        o_start, o_end = self.orig_span(start, end)
        return self.original[o_start:o_end].strip()


def _latin1_table() -> bytes:
    """`_TABLE` then lowercase, as bytes for the Latin-1 range (one byte in, one byte out)."""
    out = bytearray(range(256))
    for code in range(256):
        got = chr(code).translate(_TABLE).lower()
        if len(got) == 1 and ord(got) < 256:
            out[code] = ord(got)
    return bytes(out)


_LATIN1 = _latin1_table()
# Typographic characters outside Latin-1 that WhatsApp keyboards insert ("tô com febre’", "39˚").
_WIDE = {chr(code): repl for code, repl in _TABLE.items() if code > 255 and len(repl) == 1}
assert not set(_WIDE.values()) & set(_WIDE), "one pass of replacements must be enough"
_NOT_LATIN1 = re.compile(r"[^\x00-\xff]")


def _fold_chars(text: str) -> str:
    """Lowercase, accents off, quotes and degree signs unified; the same length as `text`.

    Most messages are Latin-1 once a few typographic characters are replaced, and `bytes.translate`
    folds them with one table look-up per byte (a `str.translate` with a dict costs ten times more).
    """
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        for wide in set(_NOT_LATIN1.findall(text)):  # the few characters there, not all 200
            repl = _WIDE.get(wide)
            if repl is not None:
                text = text.replace(wide, repl)
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:
            translated = text.translate(_TABLE).lower()
            if len(translated) != len(text):
                # .lower() of a rare character changed the length; keep one character per character.
                translated = "".join((ch.translate(_TABLE).lower() or " ")[0] for ch in text)
            return translated
    return raw.translate(_LATIN1).decode("latin-1")


def _stretches(text: str) -> list[re.Match[str]]:
    """`_STRETCH.finditer(text)` as a list, trying the regex only where a run starts: every match
    starts with one of `_STRETCH_STARTS`, and a match swallows its whole run of one letter, so
    leftmost non-overlapping matches among those places are the scan's matches."""
    starts: list[int] = []
    for run in _STRETCH_STARTS:
        i = text.find(run)
        while i != -1:
            starts.append(i)
            i = text.find(run, i + 1)
    if not starts:
        return []
    starts.sort()
    out: list[re.Match[str]] = []
    end = 0
    for pos in starts:
        if pos < end:
            continue
        m = _STRETCH.match(text, pos)
        if m is not None:
            out.append(m)
            end = m.end()
    return out


def normalise(text: str) -> Normalised:
    translated = _fold_chars(text)
    stretches = _stretches(translated)
    if not stretches:
        return Normalised(text, translated, None)
    pieces: list[str] = []
    index: list[int] = []
    pos = 0
    for m in stretches:
        keep = m.start() + (2 if m.group(2) else 1)  # "socorrrro" keeps the "rr" it is spelt with
        pieces.append(translated[pos:keep])
        index.extend(range(pos, keep))
        pos = m.end()
    pieces.append(translated[pos:])
    index.extend(range(pos, len(translated)))
    return Normalised(text, "".join(pieces), tuple(index))


def words(text: str) -> frozenset[str]:
    """A word set written as one readable string (long vocabularies read better that way)."""
    return frozenset(text.split())


def fold(text: str) -> str:
    """Normalised text only (for short keys such as analyte names or descriptions)."""
    return normalise(text).text


@lru_cache(maxsize=4096)
def fold_key(text: str) -> str:
    """A name reduced to snake_case ASCII: "Potássio sérico (mEq/L)" -> "potassio_serico_meq_l"."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


# --- numbers ---------------------------------------------------------------------------------------

NUMBER_WORDS = {
    "um": 1,
    "uma": 1,
    "dois": 2,
    "duas": 2,
    "tres": 3,
    "quatro": 4,
    "cinco": 5,
    "seis": 6,
    "sete": 7,
    "oito": 8,
    "nove": 9,
    "dez": 10,
    "onze": 11,
    "doze": 12,
    "treze": 13,
    "catorze": 14,
    "quatorze": 14,
    "quinze": 15,
    "dezesseis": 16,
    "dezessete": 17,
    "dezoito": 18,
    "dezenove": 19,
    "vinte": 20,
    "trinta": 30,
}
NUMBER_WORDS_RE = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))


def parse_number(raw: str) -> float | None:
    """Portuguese-written number: "38,5", "38.5", "10", "dez"."""
    raw = raw.strip()
    if raw in NUMBER_WORDS:
        return float(NUMBER_WORDS[raw])
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return None


# "," and "." swapped in one pass (format_number).
_BR_SEPARATORS = str.maketrans(",.", ".,")


def format_number(value: float, decimals: int | None = None) -> str:
    """Brazilian style: 6,4 and 210.000."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else (1 if round(value, 1) == round(value, 2) else 2)
    return f"{value:,.{decimals}f}".translate(_BR_SEPARATORS)


def rewrite(norm: Normalised, edits: list[tuple[int, int, str]]) -> Normalised:
    """Replace spans of `norm.text` (sorted, non-overlapping) and keep the map to the original.

    Spelling fixes and numbers written in words change the length of the text; each character of
    a replacement points at the start of the span it replaces (its last one at the span's last
    character), so a finding still quotes the patient's own words.
    """
    if not edits:
        return norm
    old: Sequence[int] = norm.map if norm.map is not None else range(len(norm.text))
    text = norm.text
    pieces: list[str] = []
    index: list[int] = []
    pos = 0
    for start, end, new in edits:
        pieces.append(text[pos:start])
        index.extend(old[pos:start])  # a slice of the old map, not one look-up per character
        pieces.append(new)
        if start >= len(old):  # an insertion at the very end
            first = last = len(norm.original)
        else:
            first, last = old[start], old[max(start, end - 1)]
        index.extend([first] * (len(new) - 1))
        if new:
            index.append(last)
        pos = end
    pieces.append(text[pos:])
    index.extend(old[pos:])
    return Normalised(norm.original, "".join(pieces), tuple(index))
