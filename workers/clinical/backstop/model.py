"""Score a text with the trained backstop: two heads over the same tf-idf features.

- `critical`: how likely the labelled sets would call this text CRITICAL. At or above its threshold,
  a text the rules left below CRITICAL gets a CRITICAL finding (`review.escalate`).
- `alert`: how likely they would call for any alert. Below its (low) threshold, symptom mentions the
  rules read as present are set aside as improbable (`review.veto`).

Why, how it was trained and what it scored on sets it never saw: docs/clinical-engine.md,
"Statistical backstop".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .features import Hashed, char_buckets, char_ngram_of, hashed, word_ngrams

WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "backstop.npz"
TERMS_SHOWN = 6


@dataclass(frozen=True)
class Head:
    char_coef: np.ndarray
    word_coef: np.ndarray
    intercept: float
    threshold: float


@dataclass(frozen=True)
class Weights:
    char_idf: np.ndarray
    word_idf: np.ndarray
    critical: Head
    alert: Head
    version: str


@lru_cache(maxsize=1)
def weights(path: Path = WEIGHTS) -> Weights | None:
    """The shipped weights, or None when the file is absent (the rules then run alone)."""
    if not path.exists():
        return None
    with np.load(path) as data:

        def head(name: str) -> Head:
            return Head(
                char_coef=data[f"{name}_char_coef"].astype(np.float32),
                word_coef=data[f"{name}_word_coef"].astype(np.float32),
                intercept=float(data[f"{name}_intercept"]),
                threshold=float(data[f"{name}_threshold"]),
            )

        return Weights(
            char_idf=data["char_idf"].astype(np.float32),
            word_idf=data["word_idf"].astype(np.float32),
            critical=head("critical"),
            alert=head("alert"),
            version=str(data["version"]),
        )


@dataclass(frozen=True)
class _Block:
    ids: np.ndarray
    values: np.ndarray  # tf-idf, already divided by the block's L2 norm


def _block(ids: np.ndarray, counts: np.ndarray, idf: np.ndarray) -> _Block:
    weight = idf[ids]
    known = weight > 0
    ids = ids[known]
    values = (1.0 + np.log(counts[known])) * weight[known]
    norm = float(np.sqrt(np.dot(values, values)))
    return _Block(ids, values / norm if norm else values)


@dataclass(frozen=True)
class Verdict:
    """Both heads' probabilities for one text, and what it takes to explain them."""

    critical: float
    alert: float
    weights: Weights
    hashed: Hashed
    char: _Block
    word: _Block

    def terms(self, head: Head, sign: float) -> list[str]:
        """The words and fragments that pushed `head` most in the direction of `sign`."""
        folded = self.hashed.folded
        words = dict(word_ngrams(folded))
        parts = [
            ("w", int(b), float(c))
            for b, c in zip(self.word.ids, self.word.values * head.word_coef[self.word.ids], strict=True)
        ]
        parts += [
            ("c", int(b), float(c))
            for b, c in zip(self.char.ids, self.char.values * head.char_coef[self.char.ids], strict=True)
        ]
        ranked = sorted((p for p in parts if p[2] * sign > 0), key=lambda p: -abs(p[2]))
        out: list[str] = []
        chars: np.ndarray | None = None  # the text's character buckets, made once for all terms
        for block, bucket, _ in ranked[: TERMS_SHOWN * 4]:
            if block == "w":
                gram = words.get(bucket) or ""
            else:
                if chars is None:
                    chars = char_buckets(folded)
                gram = char_ngram_of(folded, bucket, chars) or ""
            gram = gram.strip()
            if gram and not gram.startswith("qq") and not any(gram in seen for seen in out):
                out.append(gram)
            if len(out) == TERMS_SHOWN:
                break
        return out

    def explain(self) -> dict[str, Any]:
        w = self.weights
        return {
            "probabilidade_critico": round(self.critical, 3),
            "limiar_critico": w.critical.threshold,
            "probabilidade_alerta": round(self.alert, 3),
            "limiar_improvavel": w.alert.threshold,
            "versao": w.version,
        }


def _probability(head: Head, char: _Block, word: _Block) -> float:
    z = head.intercept + float(np.dot(char.values, head.char_coef[char.ids]))
    z += float(np.dot(word.values, head.word_coef[word.ids]))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def score(text: str, w: Weights | None = None) -> Verdict | None:
    w = w or weights()
    if w is None:
        return None
    h = hashed(text)
    char = _block(h.char_ids, h.char_counts, w.char_idf)
    word = _block(h.word_ids, h.word_counts, w.word_idf)
    return Verdict(_probability(w.critical, char, word), _probability(w.alert, char, word), w, h, char, word)
