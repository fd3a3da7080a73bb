"""What the statistical backstop reads: one folded text per case, and its hashed n-grams.

The same functions build the training matrix (`backstop.train`) and score a message at run time
(`backstop.model`), so the two can never drift apart. Folding is done in C and the hashing is vectorised
with numpy: scoring takes about 0.2 ms for a 300-character message and 0.6-0.8 ms for a 2,000-character
one (docs/clinical-engine.md, "backstop9").

Two blocks of features, each L2-normalised on its own as scikit-learn's `TfidfVectorizer` does:
- character 2- to 5-grams of the folded text, which carry phonetic and misspelt forms
  ("peitu", "dismaiei") to the same buckets as most of the written ones;
- word unigrams and bigrams, which carry negation and tense ("nao tive", "ja passou").
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

CHAR_BITS = 19
WORD_BITS = 18
CHAR_NGRAMS = (2, 3, 4, 5)
_PRIME = np.uint64(1099511628211)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_NON_WORD = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(rb"([a-z])\1{2,}")
# The markers a composed text uses to keep its parts apart (`compose`): they are words of their own.
_MARKS = {"|": " qqturno ", "?": " qqpergunta "}
# Between the patient's words and the agent's question: the question's words are hashed as words
# of their own kind, so "respirar" asked about never weighs as "respirar" said.
QUESTION = "\x1f"
_QUESTION_SALT = np.uint64(0x5851F42D4C957F2D)


def _combining_class() -> re.Pattern[str]:
    """Every combining mark of the Basic Multilingual Plane, as one character class."""
    marks = [code for code in range(0x300, 0x10000) if unicodedata.combining(chr(code))]
    runs: list[tuple[int, int]] = []
    for code in marks:
        if runs and runs[-1][1] == code - 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs) + "]+")


# NFKD then dropping the combining marks, in C: a Python loop over the characters cost 0.2 ms per
# 2,000 characters. A mark outside the BMP (rare; an emoji is not one) still sends the text through it.
_COMBINING = _combining_class()
_ASCII = frozenset(map(chr, range(128)))
# Every byte but a-z and 0-9 becomes a space: one `bytes.translate` instead of a regex substitution.
_SEPARATORS = bytes(b if 97 <= b <= 122 or 48 <= b <= 57 else 32 for b in range(256))
_MARK_BYTES = [(mark.encode(), word.encode()) for mark, word in _MARKS.items()]


def _folded_bytes(text: str) -> bytes:
    """`fold`, as ASCII bytes (what the hashing reads)."""
    text = unicodedata.normalize("NFKD", text.lower())
    if not text.isascii():
        # The few distinct characters outside ASCII (astral ones included), each looked up once and
        # replaced with `str.replace` (C loops): a mark is removed, any other character separates words,
        # as it would in `_NON_WORD` (one space each, where a substitution wrote one per run: the
        # `split` below makes both one separator).
        for ch in set(text).difference(_ASCII):
            text = text.replace(ch, "" if unicodedata.combining(ch) else " ")
    raw = text.encode("ascii")
    for mark, word in _MARK_BYTES:
        raw = raw.replace(mark, word)
    if _has_run(raw):
        raw = _REPEATS.sub(rb"\1\1", raw)
    return b" ".join(raw.translate(_SEPARATORS).split())


def _has_run(raw: bytes) -> bool:
    """Whether some letter appears three times in a row (the regex then shortens the runs)."""
    if len(raw) < 3:
        return False
    codes = np.frombuffer(raw, dtype=np.uint8)
    middle = codes[1:-1]
    same = (codes[2:] == middle) & (middle == codes[:-2]) & (middle >= 97) & (middle <= 122)
    return bool(same.any())


def fold(text: str) -> str:
    """Lowercase ASCII words separated by single spaces; a letter repeated three times or more
    ("socorrooo") counts twice, as does any run a writer stretches."""
    return _folded_bytes(text).decode("ascii")


def compose(message: str, question: str = "", earlier: str = "", oncology: bool = False) -> str:
    """One text for a case: the patient's earlier turns and the message, then (after `QUESTION`)
    the agent's last question, whose words are features of their own kind."""
    text = f"{earlier[-600:]} | {message}" if earlier else message
    if oncology:
        text += " | qqoncologia"
    return f"{text}{QUESTION}{question}" if question else text


_PIECES = re.compile(r"(?<=[.!?;\n])\s+|,\s+|\s+(?:e|mas|ai|aí|daí|porque|pq)\s+")
WINDOW_CHUNKS = 8


@dataclass(frozen=True)
class Composed:
    """A message with its context, as the backstop reads it (`compose`)."""

    message: str
    question: str = ""
    earlier: str = ""
    oncology: bool = False

    def text(self) -> str:
        return compose(self.message, self.question, self.earlier, self.oncology)

    def windows(self, min_words: int) -> list[Composed]:
        """Overlapping stretches of the message, each of at least `min_words` words, with the same
        context. Neutral words dilute an L2-normalised text: a critical sentence followed by an
        errand scores lower than the sentence alone, so the backstop also reads the stretches."""
        pieces = [p for p in _PIECES.split(self.message) if p and p.strip()]
        total = sum(len(p.split()) for p in pieces)
        if total < 2 * min_words:
            return []
        size = max(min_words // 2, -(-total // WINDOW_CHUNKS))
        chunks: list[str] = []
        current: list[str] = []
        for piece in pieces:
            current.append(piece)
            if sum(len(p.split()) for p in current) >= size:
                chunks.append(" ".join(current))
                current = []
        if current:
            chunks.append(" ".join(current))
        pairs = [f"{a} {b}" for a, b in itertools.pairwise(chunks)]
        return [
            Composed(p, self.question, self.earlier, self.oncology)
            for p in pairs
            if len(p.split()) >= min_words
        ]


@dataclass(frozen=True)
class Hashed:
    """Bucket ids with counts, per block, and a way back from a bucket to the n-gram."""

    char_ids: np.ndarray
    char_counts: np.ndarray
    word_ids: np.ndarray
    word_counts: np.ndarray
    folded: str


def _char_buckets(folded: str) -> np.ndarray:
    padded = f" {folded} "
    codes = np.frombuffer(padded.encode("ascii", "ignore"), dtype=np.uint8).astype(np.uint64)
    out = []
    h = np.zeros(len(codes), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for n in range(1, max(CHAR_NGRAMS) + 1):
            # h[i] is the hash of codes[i : i + n]: extended by one character per round.
            h = (h[: len(codes) - n + 1] * _PRIME) ^ codes[n - 1 :]
            if n in CHAR_NGRAMS:
                mixed = (h + np.uint64(n)) * _MIX
                out.append((mixed >> np.uint64(64 - CHAR_BITS)).astype(np.uint32))
    # Buckets fit in 32 bits, and `np.unique` sorts 32-bit integers about twice as fast.
    return np.concatenate(out) if out else np.zeros(0, dtype=np.uint32)


def _word_buckets(folded: str, salt: np.uint64 = np.uint64(0)) -> np.ndarray:
    words = folded.encode("ascii").split()
    if not words:
        return np.zeros(0, dtype=np.uint64)
    ids = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))
    with np.errstate(over="ignore"):
        pairs = (ids[:-1] * _PRIME) ^ (ids[1:] + np.uint64(1))
        both = np.concatenate([ids, pairs]) ^ salt
        mixed = both * _MIX
    return mixed >> np.uint64(64 - WORD_BITS)


def hashed(text: str) -> Hashed:
    text, _, question = text.partition(QUESTION)
    folded = fold(text)
    char_ids, char_counts = np.unique(_char_buckets(folded), return_counts=True)
    words = _word_buckets(folded)
    if question:
        words = np.concatenate([words, _word_buckets(fold(question), _QUESTION_SALT)])
    word_ids, word_counts = np.unique(words, return_counts=True)
    return Hashed(
        char_ids.astype(np.int64),
        char_counts.astype(np.float32),
        word_ids.astype(np.int64),
        word_counts.astype(np.float32),
        folded,
    )


def char_ngram_of(folded: str, bucket: int, buckets: np.ndarray | None = None) -> str | None:
    """The first character n-gram of the text that falls in `bucket` (for explanations). `buckets`:
    `_char_buckets(folded)`, when the caller looks up several buckets of one text (`char_buckets`)."""
    padded = f" {folded} "
    found = np.flatnonzero((_char_buckets(folded) if buckets is None else buckets) == bucket)
    if not found.size:
        return None
    index = int(found[0])
    # `_char_buckets` lists the 2-grams at every position, then the 3-grams, and so on.
    for n in CHAR_NGRAMS:
        count = max(len(padded) - n + 1, 0)
        if index < count:
            return padded[index : index + n]
        index -= count
    return None


def char_buckets(folded: str) -> np.ndarray:
    """Every character n-gram's bucket, in `char_ngram_of`'s order (computed once per explanation)."""
    return _char_buckets(folded)


def word_ngrams(folded: str) -> list[tuple[int, str]]:
    """(bucket, words) for every word unigram and bigram (for explanations)."""
    words = folded.split()
    grams = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return list(zip(_word_buckets(folded).tolist(), grams, strict=True))
