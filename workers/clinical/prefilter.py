"""Skip a regex that cannot match: the literal prefixes every match must start with.

A family's pattern is dozens of alternatives tried at every position of the text; most messages
contain none of the words a family needs. `literal_prefixes` reads the compiled pattern's parse
tree and returns, for each alternative, the literal text it must start with ("falt", "dispn",
"peit"…); when none of them occurs in the text (`str.__contains__`, a C loop), the regex is not run.
A pattern with an alternative that can start with anything (a character class, an optional group)
gets no prefilter (None), so the shortcut can never hide a match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

try:  # Python 3.11+
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse  # type: ignore[no-redef]

_C = sre_parse  # constants live on the parser module (LITERAL, BRANCH, SUBPATTERN, …)
MIN_PREFIX = 2
# Marks a prefix that is a whole word ("e" of "e\\s+um"): found through the word-start index only.
WORD_END = "\x00"
MAX_PREFIX = 12
FAST_MIN_PREFIX = 2
# Marks a prefix that is a whole word ("e" of "e\\s+um"): found through the word-start index only.
WORD_END = "\x00"


def _seq(items: list[tuple[Any, Any]], head: str, follow: bool = False) -> set[str] | None:
    """Prefixes of a sequence of parse items, after `head` was already matched literally; with
    `follow`, a whole word's prefix goes on with the next word's ("de\x00repente")."""
    for index, (op, av) in enumerate(items):
        name = str(op)
        if name == "AT":
            continue  # \b, ^: zero width
        if name in ("ASSERT", "ASSERT_NOT"):
            continue  # look-arounds consume nothing
        if name == "LITERAL":
            head += chr(av)
            continue
        if name == "SUBPATTERN":
            return _alternatives(list(av[-1]), head, follow)
        if name == "BRANCH":
            out: set[str] = set()
            for branch in av[1]:
                got = _seq(list(branch), head, follow)
                if got is None:
                    return None
                out |= got
            return out
        if head and _is_space_run(op, av):
            if follow and WORD_END not in head:
                more = _seq(items[index + 1 :], head + WORD_END, follow)
                if more is not None:
                    return more
            return {head + WORD_END}  # "e\\s+": the word "e" itself, whatever white space follows
        choices = _small_choice(op, av)
        if choices is not None and len(head) < MAX_PREFIX:
            # "pe(?:i)?t[ou]": an optional letter or a class of a few letters splits the prefix.
            rest = items[index + 1 :] if choices[1] else []
            out = set()
            for c in choices[0]:
                if choices[1]:
                    got = _seq(rest, head + c, follow)
                else:
                    got = {head + c} if _long_enough(head + c) else None
                if got is None:
                    return {head} if _long_enough(head) else None
                out |= got
            return out
        break  # a class, a repeat, any character: the literal part ends here
    return {head} if _long_enough(head) else None


def _is_space_run(op: Any, av: Any) -> bool:
    """`\\s+` (or `\\s*`-free `[ ]+`-like runs of white space only)."""
    if str(op) not in ("MAX_REPEAT", "MIN_REPEAT") or av[0] < 1:
        return False
    sub = list(av[2])
    return (
        len(sub) == 1
        and str(sub[0][0]) == "IN"
        and all(str(o) == "CATEGORY" and str(v) == "CATEGORY_SPACE" for o, v in sub[0][1])
    )


def _long_enough(prefix: str) -> bool:
    """Two characters, or one digit: "3[4-9]" is a temperature, and digits start few words."""
    return len(prefix) >= MIN_PREFIX or (len(prefix) == 1 and prefix.isdigit())


def _small_choice(op: Any, av: Any) -> tuple[list[str], bool] | None:
    """Letters an element can start with, and whether the prefix may continue after it."""
    name = str(op)
    if name == "IN":
        letters: list[str] = []
        for o, v in av:
            if str(o) == "LITERAL":
                letters.append(chr(v))
            elif str(o) == "RANGE" and v[1] - v[0] < 10:  # "3[4-9]": a temperature's second digit
                letters.extend(chr(c) for c in range(v[0], v[1] + 1))
            elif str(o) == "CATEGORY" and str(v) == "CATEGORY_DIGIT":
                letters.extend("0123456789")
            else:
                return None
        if len(letters) > 10:
            return None
        return letters, True
    if name in ("MAX_REPEAT", "MIN_REPEAT"):
        lo, hi, sub = av
        sub = list(sub)
        if len(sub) != 1:
            return None
        inner = (
            _small_choice(*sub[0])
            if str(sub[0][0]) == "IN"
            else (([chr(sub[0][1])], True) if str(sub[0][0]) == "LITERAL" else None)
        )
        if inner is None:
            return None
        if lo == 0 and hi == 1:
            return [*inner[0], ""], True  # optional: with or without it
        if lo >= 1:
            return inner[0], False  # one occurrence is certain; what follows is not
    return None


def _alternatives(items: list[tuple[Any, Any]], head: str, follow: bool = False) -> set[str] | None:
    return _seq(items, head, follow)


@lru_cache(maxsize=512)
def literal_prefixes(pattern: str, follow: bool = False) -> tuple[str, ...] | None:
    """The literal prefixes every match of `pattern` starts with, or None when unknown. With
    `follow`, a whole word is followed by the next word's prefix after WORD_END ("de\x00rep" for
    "de\\s+repente"); only `WordStarts` reads those."""
    got = _seq(list(sre_parse.parse(pattern)), "", follow)
    if not got:
        return None
    # A longer prefix is implied by a shorter one it starts with; keep the short ones.
    kept = sorted(got, key=len)
    out: list[str] = []
    for p in kept:
        if not any(p.startswith(k) for k in out):
            out.append(p)
    return tuple(out)


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    anchors = literal_prefixes(pattern.pattern)
    return anchors is None or any(a.rstrip(WORD_END) in text for a in anchors)


def finditer(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """`pattern.finditer(text)` as a list, trying the regex only where one of its prefixes occurs.

    Same matches as `re.finditer` (leftmost, non-overlapping): a match can only start where one of
    its literal prefixes starts, and `pattern.match(text, pos)` sees the text before `pos` for
    `\\b` and look-behinds exactly as a scan does. Patterns without known prefixes are scanned.
    """
    anchors = literal_prefixes(pattern.pattern)
    if anchors is None or min(len(a.rstrip(WORD_END)) for a in anchors) < FAST_MIN_PREFIX:
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


_WORD_START = re.compile(r"\b\w\w?\w?")
_HEAD = re.compile(r"\w+")


class WordStarts:
    """The text's word starts indexed by their first two and first three characters, computed once
    per text, so a pattern that starts at a word boundary is tried only where one of its prefixes
    starts a word (three characters narrow "de…", "co…", "se…" to a handful of places)."""

    __slots__ = ("by_key", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        by_key: dict[str, list[int]] = {}
        add = by_key.setdefault
        for m in _WORD_START.finditer(text):
            head = m.group()
            p = m.start()
            if len(head) == 3:
                add(head, []).append(p)
                add(head[:2], []).append(p)
            else:
                add(head, []).append(p)
                if len(head) == 2:
                    # A two-letter word whole ("de", "me", "se"): a whole-word anchor ("de\\s+repente")
                    # is tried at these few places, not before every "depois", "dentro", "desde".
                    add(head + WORD_END, []).append(p)
            if head[0] <= "9" and len(head) > 1:  # a number: also under its first digit ("3[4-9]")
                add(head[0], []).append(p)
        self.by_key = by_key

    def finditer(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """Same matches as `pattern.finditer(text)` (see `finditer`)."""
        plan = _word_anchor_groups(pattern.pattern)
        if plan is None:
            return finditer(pattern, self.text)
        groups, lookup, keys, loose = plan
        text = self.text
        by_key = self.by_key
        starts: list[int] = []
        # Only the keys this text has (a set intersection in C): most of a pattern's keys are absent.
        for index_key in by_key.keys() & keys:
            positions = by_key[index_key]
            for key in lookup[index_key]:
                self._candidates(positions, key, groups[key], starts)
        for a in loose:  # "a.v.c": not a run of word characters, found the slow way
            i = text.find(a)
            while i != -1:
                starts.append(i)
                i = text.find(a, i + 1)
        if not starts:
            return []
        return _matches_from(pattern, text, starts)

    def _candidates(
        self, positions: list[int], key: str, anchors: tuple[str, ...] | None, starts: list[int]
    ) -> None:
        """The positions of one index key where a group's anchors start."""
        text = self.text
        if anchors is None:  # every anchor is the key itself: each position is a candidate
            starts.extend(positions)
        elif key[-1] == WORD_END:  # a whole word, then white space and the next word's prefix
            n = len(text)
            size = len(key) - 1
            for p in positions:
                q = p + size
                if q < n and text[q].isspace():
                    q += 1
                    while q < n and text[q].isspace():
                        q += 1
                    if text.startswith(anchors, q):
                        starts.append(p)
        else:
            for p in positions:
                if text.startswith(anchors, p):
                    starts.append(p)


Groups = dict[str, tuple[str, ...] | None]
Plan = tuple[Groups, dict[str, tuple[str, ...]], frozenset[str], tuple[str, ...]]


@lru_cache(maxsize=512)
def _word_anchor_groups(pattern: str) -> Plan | None:
    """Anchors grouped by their first three characters (two for two-letter anchors), for patterns
    whose every alternative starts at a word boundary with a word character; None otherwise. A
    group's anchors are None when the key says it all (no further `startswith` needed); anchors
    whose first two characters are not word characters ("a.v.c") come back apart, to be found
    with `str.find`. A whole two- or three-letter word is its own key ("nao\x00"), and its group holds
    the prefixes of the word after it, or None when some alternative does not say. `lookup` maps
    the index's keys to the groups tried at their positions (a three-letter word is looked up
    under its head: white space after it shows it whole)."""
    anchors = literal_prefixes(pattern)
    if anchors is None or not starts_at_word_boundary(pattern):
        return None
    if any(not (a[0].isalnum() or a[0] == "_") for a in anchors):
        return None  # a prefix that does not start with a word character
    groups: dict[str, list[str]] = {}
    loose: list[str] = []
    for a in anchors:
        head = _HEAD.match(a)
        if head is None:
            return None
        word = head.group()
        if len(word) == 1 and len(a) == 1 and not word.isdigit():
            return None  # a lone letter that may go on: no key narrows it
        if len(word) == 1 and not word.isdigit() and a[1:] != WORD_END:
            loose.append(a.rstrip(WORD_END))  # "a.v.c": found with `str.find`
            continue
        plain = a.rstrip(WORD_END)
        # The key names the candidates; a longer anchor is checked with `startswith`, a whole word
        # (WORD_END) needs nothing more: the index holds one-letter words under themselves and
        # two-letter words under the word and WORD_END.
        key = a if len(word) in (2, 3) and a == word + WORD_END else word[:3]
        groups.setdefault(key, []).append(key if plain == key or key == a else plain)
    packed: Groups = {k: None if all(a == k for a in v) else tuple(v) for k, v in groups.items()}
    follow = literal_prefixes(pattern, True) or ()
    for key in packed:
        if key[-1] == WORD_END:
            nexts = [f[len(key) :] for f in follow if f.startswith(key)]
            if nexts and all(x and not x[0].isspace() and WORD_END not in x for x in nexts):
                packed[key] = tuple(nexts)
    lookup: dict[str, list[str]] = {}
    for key in packed:
        lookup.setdefault(key[:3] if len(key) == 4 and key[-1] == WORD_END else key, []).append(key)
    return packed, {k: tuple(v) for k, v in lookup.items()}, frozenset(lookup), tuple(loose)


def starts_at_word_boundary(pattern: str) -> bool:
    """Whether every top-level alternative of `pattern` begins with `\\b`."""

    def first_is_boundary(items: list[tuple[Any, Any]]) -> bool:
        # A look-behind before the boundary ("(?<![\\d/])\\b") consumes nothing: skip it.
        after_space = False
        while items and str(items[0][0]) in ("ASSERT", "ASSERT_NOT"):
            after_space = after_space or (str(items[0][0]) == "ASSERT" and _behind_space(items[0][1]))
            items = items[1:]
        if not items:
            return False
        op, av = items[0]
        if after_space and str(op) == "LITERAL" and (chr(av).isalnum() or chr(av) == "_"):
            return True  # "(?<=tudo\\s)que": a word character right after white space starts a word
        if str(op) == "AT":
            return str(av) == "AT_BOUNDARY"
        if str(op) == "BRANCH":
            return all(first_is_boundary(list(b)) for b in av[1])
        if str(op) == "SUBPATTERN":
            return first_is_boundary(list(av[-1]))
        return False

    return first_is_boundary(list(sre_parse.parse(pattern)))


def _behind_space(av: Any) -> bool:
    """A positive look-behind whose last element is white space (`(?<=tudo\\s)`)."""
    direction, sub = av
    sub = list(sub)
    if direction != -1 or not sub:
        return False
    op, inner = sub[-1]
    return str(op) == "IN" and all(str(o) == "CATEGORY" and str(v) == "CATEGORY_SPACE" for o, v in inner)
