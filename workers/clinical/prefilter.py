"""Skip a regex that cannot match: the literal prefixes every match must start with.

A family's pattern is dozens of alternatives tried at every position of the text; most messages
contain none of the words a family needs. `literal_prefixes` reads the compiled pattern's parse
tree and returns, for each alternative, the literal text it must start with ("falt", "dispn",
"peit"…); when none of them occurs in the text (`str.__contains__`, a C loop), the regex is not run.
A pattern with an alternative that can start with anything (a character class, a repeat) gets no
prefilter (None), so the shortcut can never hide a match (the prefixes: `prefixes`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Iterable
from functools import lru_cache
from operator import itemgetter

from .anchor_plans import Combined, combined, word_anchor_groups
from .prefixes import INSIDE_WORD, WORD_END, literal_prefixes

__all__ = ["WORD_END", "WordStarts", "finditer", "literal_prefixes", "may_match"]

FAST_MIN_PREFIX = 2


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    literals = _literals(pattern.pattern)
    return literals is None or any(a in text for a in literals)


@lru_cache(maxsize=512)
def _literals(pattern: str) -> tuple[str, ...] | None:
    """The literal prefixes as plain text, once per pattern: the assertion gates ask per mention."""
    anchors = literal_prefixes(pattern)
    return None if anchors is None else tuple({a.strip(WORD_END + INSIDE_WORD) for a in anchors})


def finditer(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """`pattern.finditer(text)` as a list, trying the regex only where one of its prefixes occurs.

    Same matches as `re.finditer` (leftmost, non-overlapping): a match can only start where one of
    its literal prefixes starts, and `pattern.match(text, pos)` sees the text before `pos` for
    `\\b` and look-behinds exactly as a scan does. Patterns without known prefixes are scanned.
    """
    anchors = literal_prefixes(pattern.pattern)
    if (
        anchors is None
        or min(len(a.rstrip(WORD_END)) for a in anchors) < FAST_MIN_PREFIX
        or any(a[0] == INSIDE_WORD for a in anchors)
    ):
        # Two-letter prefixes ("de", "se") occur everywhere: a plain scan is cheaper.
        return list(pattern.finditer(text))
    starts: set[int] = set()
    for a in anchors:
        a = a.rstrip(WORD_END)
        i = text.find(a)
        while i != -1:
            starts.add(i)
            i = text.find(a, i + 1)
    return _matches_from(pattern, text, starts)


def _matches_from(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> list[re.Match[str]]:
    """Leftmost, non-overlapping matches among candidate start positions, as `finditer` finds them."""
    out: list[re.Match[str]] = []
    end = 0
    for pos in sorted(starts):
        if pos < end:
            continue
        m = pattern.match(text, pos)
        if m is not None:
            out.append(m)
            end = max(m.end(), m.start() + 1)
    return out


_WORD = re.compile(r"\w+")
_HEAD = itemgetter(slice(3))  # a word's first three characters (all of a shorter one)
_GROUP = re.Match.group
_START = re.Match.start


class WordStarts:
    """The text's word starts indexed by their first two and first three characters, computed once
    per text, so a pattern that starts at a word boundary is tried only where one of its prefixes
    starts a word (three characters narrow "de…", "co…", "se…" to a handful of places)."""

    __slots__ = ("_all", "_sorted", "_table", "by_key", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._sorted: dict[str, list[int] | None] = {}  # a pattern's candidates, for `search_slice`
        self._table: Combined | None = None  # the patterns' table the candidates were found for
        self._all: list[list[int]] = []  # every pattern's candidates, by its number in `_table`
        # Positions by head (a word's first three characters) first, then the derived keys once per
        # distinct head. Lists are unsorted concatenations: every reader sorts its candidates.
        # A run of word characters starts where `\b\w` does; reading the head off the whole run costs
        # the scan less than `\b` tried at every position inside a word.
        runs = list(_WORD.finditer(text))
        heads: defaultdict[str, list[int]] = defaultdict(list)
        # Grouped by C loops (`map` over the runs and `list.append`), no Python step per word.
        deque(map(list.append, map(heads.__getitem__, map(_HEAD, map(_GROUP, runs))), map(_START, runs)), 0)
        by_key = dict(heads)
        more: dict[str, list[int]] = {}
        for head, positions in heads.items():
            derived = []
            if len(head) < 3:
                # A one- or two-letter word whole ("e", "de", "me"): a whole-word anchor ("de\\s+repente",
                # "e\\s+eu") is tried at these few places, not before every "depois", "dentro", "desde",
                # and only where the next word starts as the pattern needs.
                by_key[head + WORD_END] = positions
            else:
                derived.append(head[:2])  # "de" for anchors of two letters that may go on
            if len(head) > 1 and head[0] <= "9":  # a number: also under its first digit ("3[4-9]")
                derived.append(head[0])
            for key in derived:
                found = more.get(key)
                if found is None:
                    more[key] = list(positions)
                else:
                    found.extend(positions)
        for key, positions in more.items():
            own = heads.get(key)
            by_key[key] = own + positions if own else positions
        self.by_key = by_key

    def finditer(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """Same matches as `pattern.finditer(text)` (see `finditer`)."""
        starts = self._starts(pattern)
        if starts is None:
            return finditer(pattern, self.text)
        if not starts:
            return []
        return _matches_from(pattern, self.text, starts)

    def search(self, pattern: re.Pattern[str], pos: int = 0) -> re.Match[str] | None:
        """Same match as `pattern.search(text, pos)`: the first candidate at or after `pos` that
        matches (a scan tries every position; only candidates can start a match)."""
        starts = self._starts(pattern)
        if starts is None:
            return pattern.search(self.text, pos)
        text = self.text
        for p in sorted(starts):
            if p >= pos:
                m = pattern.match(text, p)
                if m is not None:
                    return m
        return None

    def search_slice(self, pattern: re.Pattern[str], start: int, end: int) -> re.Match[str] | None:
        """Same match as `pattern.search(text[start:end])`, on that slice: a sentence's pattern is
        tried where the text's candidates fall inside it, and at the slice's first position (a word
        starts there in the slice even where it does not in the text)."""
        sub = self.text[start:end]
        starts = self._sorted_starts(pattern)
        if starts is None:
            return pattern.search(sub)
        m = pattern.match(sub)
        if m is not None:
            return m
        for p in starts[bisect_right(starts, start) : bisect_left(starts, end)]:
            m = pattern.match(sub, p - start)
            if m is not None:
                return m
        return None

    def finditer_slice(self, pattern: re.Pattern[str], start: int, end: int, sub: str) -> list[re.Match[str]]:
        """Same matches as `pattern.finditer(sub)`, `sub` being `text[start:end]`, tried at the slice's
        first position and where the text's candidates fall inside it (see `search_slice`). A slice
        that ends inside a word is scanned: a short word cut there is whole in it, not in the text."""
        starts = self._sorted_starts(pattern)
        if starts is None or (sub and (sub[-1].isalnum() or sub[-1] == "_")):  # what `\w` reads
            return list(pattern.finditer(sub))
        out: list[re.Match[str]] = []
        done = 0
        for p in (start, *starts[bisect_right(starts, start) : bisect_left(starts, end)]):
            if p - start >= done:
                m = pattern.match(sub, p - start)
                if m is not None:
                    out.append(m)
                    done = max(m.end(), m.start() + 1)
        return out

    def search_in(self, pattern: re.Pattern[str], pos: int, endpos: int) -> re.Match[str] | None:
        """Same match as `pattern.search(text, pos, endpos)` (a clause of the text, read with what
        lies before it for `\\b` and look-behinds, as if the text ended at `endpos`): the first
        candidate in the window that matches. A match in the window starts where its literal prefix
        does, at a word start of the text, so the text's candidates are all the places to try."""
        starts = self._sorted_starts(pattern)
        if starts is None:
            return pattern.search(self.text, pos, endpos)
        text = self.text
        for p in starts[bisect_left(starts, pos) : bisect_left(starts, endpos)]:
            m = pattern.match(text, p, endpos)
            if m is not None:
                return m
        return None

    def finditer_in(self, pattern: re.Pattern[str], pos: int, endpos: int) -> list[re.Match[str]]:
        """Same matches as `pattern.finditer(text, pos, endpos)` (see `search_in`)."""
        starts = self._sorted_starts(pattern)
        if starts is None:
            return list(pattern.finditer(self.text, pos, endpos))
        out: list[re.Match[str]] = []
        end = pos
        text = self.text
        for p in starts[bisect_left(starts, pos) : bisect_left(starts, endpos)]:
            if p < end:
                continue
            m = pattern.match(text, p, endpos)
            if m is not None:
                out.append(m)
                end = max(m.end(), m.start() + 1)
        return out

    def _sorted_starts(self, pattern: re.Pattern[str]) -> list[int] | None:
        """`_starts` sorted and without repeats, once per pattern (the windowed searches ask again)."""
        key = pattern.pattern
        if key in self._sorted:
            return self._sorted[key]
        found = self._starts(pattern)
        starts = self._sorted[key] = None if found is None else sorted(set(found))
        return starts

    def _starts(self, pattern: re.Pattern[str]) -> list[int] | None:
        """Where a match of `pattern` may start (unsorted, maybe repeated; shared, never to be
        changed), or None when the pattern does not start at a word with known prefixes."""
        table = self._table
        if table is not None:
            pid = table.ids.get(pattern.pattern)
            if pid is not None:
                return self._all[pid]
        if word_anchor_groups(pattern.pattern) is None:  # enters the pattern in the table
            return None
        # A pattern met for the first time in this process (or since this text's pass): the pass
        # again, over the grown table.
        table = self._table = combined()
        self._all = self._all_starts(table)
        return self._all[table.ids[pattern.pattern]]

    def _all_starts(self, table: Combined) -> list[list[int]]:
        """The candidates of every pattern in `table`, in one pass over the keys this text has
        (`anchor_plans`): each present key's positions are read for the groups of all patterns."""
        text = self.text
        stop = len(text)
        by_key = self.by_key
        out: list[list[int]] = [[] for _ in range(table.size)]
        plans = table.plans
        # Only the keys this text has: the table's set, looked up with the text's (fewer) keys.
        for index_key in table.keys.intersection(by_key):
            positions = by_key[index_key]
            every, follows, lengths, ladder = plans[index_key]
            for pid in every:  # every anchor is the key itself: each position is a candidate
                out[pid].extend(positions)
            for size, by_one, by_two in follows:
                # A whole short word, then white space and the next word's prefix: read once per place
                # of the word for every pattern (`anchor_plans._follow_plans`).
                for p in positions:
                    q = p + size
                    if q < stop and text[q].isspace():
                        q += 1
                        while q < stop and text[q].isspace():
                            q += 1
                        if q < stop:  # no prefix starts at the text's end
                            for pid in by_one.get(text[q], ()):
                                out[pid].append(p)
                            for pid, longer in by_two.get(text[q : q + 2], ()):
                                if longer is None or text.startswith(longer, q):
                                    out[pid].append(p)
            if lengths:
                get = ladder.get
                for p in positions:
                    for n in lengths:
                        owners = get(text[p : p + n])
                        if owners is None:
                            break
                        for pid in owners:
                            out[pid].append(p)
        for pid, loose, inside in table.extras:
            starts = out[pid]
            for a in loose:  # "a.v.c": not a run of word characters, found the slow way
                i = text.find(a)
                while i != -1:
                    starts.append(i)
                    i = text.find(a, i + 1)
            for a in inside:  # "\\w+platina": the start of the word that holds "platina" after a letter
                i = text.find(a, 1)
                while i != -1:
                    w = i
                    while w and (text[w - 1].isalnum() or text[w - 1] == "_"):  # what `\w` reads
                        w -= 1
                    if w < i:
                        starts.append(w)
                    i = text.find(a, i + 1)
        return out
