"""Sentence-wide regex results computed once per sentence and shared by its mentions.

The assertion of a mention asks sentence-wide questions ("does anything still go on?", "is there a
past date?", "does it say the episode is over?") that do not depend on the mention. A dense
message has several mentions per sentence (a complaint often names three findings), so asking each
question once per sentence instead of once per mention is most of the assertion's cost
(`bench/clinical_rules.py`, issue #16). `Scanner.facts` hands out one `SentenceFacts` per sentence
span; a rule takes it as an optional argument and falls back to searching itself without one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .prefilter import WordStarts

_MISSING = object()


class SentenceFacts:
    """One sentence (`text[start:end]`) of one text, with every regex result asked of it so far.
    `read`: how the rules read the sentence string (`routine.masked` blanks a routine taken up
    again); the word-index search (`search_slice`) reads the text itself, as `WordStarts` does."""

    __slots__ = ("_as_is", "_found", "_in_index", "_read", "_sentence", "end", "start", "text", "words")

    def __init__(
        self,
        text: str,
        start: int,
        end: int,
        words: WordStarts | None = None,
        read: Callable[[str], str] | None = None,
    ) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.words = words
        self._read = read
        self._sentence: str | None = None
        self._as_is = False  # `read` left the sentence as the text has it
        # Keyed by the pattern's source: hashing a compiled pattern hashes its whole program.
        self._found: dict[str, re.Match[str] | None] = {}
        self._in_index: dict[str, re.Match[str] | None] = {}

    @property
    def sentence(self) -> str:
        if self._sentence is None:
            sentence = self.text[self.start : self.end]
            self._sentence = sentence if self._read is None else self._read(sentence)
            self._as_is = self._sentence == sentence
        return self._sentence

    def search(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """`pattern.search(sentence)`, on the sentence as its own string (its start is a string start).
        When `read` left the sentence as it is (most sentences), the word index tries the pattern
        only where it can start (`search_slice`: the same match)."""
        found = self._found.get(pattern.pattern, _MISSING)
        if found is _MISSING:
            sentence = self.sentence
            if self.words is not None and self._as_is:
                found = self.words.search_slice(pattern, self.start, self.end)
            else:
                found = pattern.search(sentence)
            self._found[pattern.pattern] = found
        return found  # type: ignore[return-value]

    def search_slice(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """`pattern.search(text[start:end])` (the text as it is, not as `read` reads it), tried only
        where the text's word index says one may start (`WordStarts.search_slice`); without an
        index, `search`."""
        if self.words is None:
            return self.search(pattern)
        found = self._in_index.get(pattern.pattern, _MISSING)
        if found is _MISSING:
            found = self._in_index[pattern.pattern] = self.words.search_slice(pattern, self.start, self.end)
        return found  # type: ignore[return-value]
