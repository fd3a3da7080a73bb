"""Where a pattern may start, as a plan over the word index's keys, and every pattern's plan in
one table, so `prefilter.WordStarts` finds the candidates of all of them in one pass per text.

A dense message asks the word index for about 115 patterns. Asked one at a time, each pattern
paid for its own look-up of its keys in the text's keys (about 1,300 look-ups a text, most of
them for keys the text lacks) and its own set-up; the table (`Combined`) lists, under each key,
the groups of every pattern that holds it, so a text's keys are intersected with all patterns'
keys once, and each present key's groups are visited once (docs/clinical-engine.md, "clin-speed6").
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from .prefixes import INSIDE_WORD, WORD_END, literal_prefixes, starts_at_word_boundary

__all__ = ["Combined", "Plan", "combined", "word_anchor_groups"]

_HEAD = re.compile(r"\w+")

Groups = dict[str, tuple[str, ...] | None]
NextWords = tuple[tuple[str, ...], dict[str, tuple[str, ...] | None]]
Nexts = dict[str, NextWords]
Plan = tuple[Groups, dict[str, tuple[str, ...]], frozenset[str], tuple[str, ...], Nexts, tuple[str, ...]]

# How a group's candidates are read off a present key's positions (see `WordStarts`).
EVERY = 0  # every position: the key says it all
FOLLOW = 1  # a whole short word, then the next word's prefixes (the follow index)
PREFIX = 2  # positions whose text starts with one of the group's anchors
Entry = tuple[int, int, str, tuple[str, ...] | None, NextWords | None]
# One index key's reading for all patterns (`Combined.plans`): the patterns that take every position;
# the whole-word groups (pattern, word key, next word's one-letter prefixes, next word's two-letter
# prefixes as a dict); and the prefix groups as a ladder: the anchors' lengths beyond the key, and by
# each anchor prefix of those lengths the patterns whose anchor it completes first (`_ladder`).
FollowGroup = tuple[int, str, tuple[str, ...], dict[str, tuple[str, ...] | None]]
# A whole short word's groups of all patterns at once (`_follow_plan`): the word's length, and by the
# next word's first character and by its first two, the patterns that take the place (with the longer
# prefixes still to check after those two, or None).
FollowPlan = tuple[int, dict[str, tuple[int, ...]], dict[str, tuple[tuple[int, tuple[str, ...] | None], ...]]]
KeyPlan = tuple[tuple[int, ...], tuple[FollowPlan, ...], tuple[int, ...], dict[str, tuple[int, ...]]]


class Combined:
    """Every registered plan by pattern number, and each index key's groups over all of them.
    Never changed once built: registering a pattern builds a new one (`_register`), so a text that
    read one keeps a consistent table while another thread registers."""

    __slots__ = ("by_key", "extras", "ids", "keys", "plans", "size")

    def __init__(
        self,
        ids: dict[str, int],
        by_key: dict[str, tuple[Entry, ...]],
        extras: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...],
        plans: dict[str, KeyPlan],
    ) -> None:
        self.ids = ids  # pattern source -> its number
        self.by_key = by_key  # index key -> (number, how, group key, anchors, next-word prefixes)
        self.plans = plans  # index key -> its entries as one text's pass reads them (`KeyPlan`)
        self.keys = set(by_key)  # a `set`, so intersecting it with a text's keys walks the smaller
        self.extras = extras  # (number, loose anchors, inside-word anchors): found with `str.find`
        self.size = len(ids)


_LOCK = threading.Lock()
_CURRENT: list[Combined] = [Combined({}, {}, (), {})]


def combined() -> Combined:
    """The table as it stands (patterns are registered the first time the index is asked for them)."""
    return _CURRENT[0]


def _register(pattern: str, plan: Plan) -> None:
    with _LOCK:
        old = _CURRENT[0]
        if pattern in old.ids:
            return
        pid = old.size
        groups, lookup, _, loose, nexts, inside = plan
        by_key = dict(old.by_key)
        plans = dict(old.plans)
        for index_key, keys in lookup.items():
            entries = list(by_key.get(index_key, ()))
            for key in keys:
                anchors = groups[key]
                if anchors is None:
                    entries.append((pid, EVERY, key, None, None))
                elif key[-1] == WORD_END:
                    entries.append((pid, FOLLOW, key, anchors, nexts[key]))
                else:
                    entries.append((pid, PREFIX, key, anchors, None))
            by_key[index_key] = tuple(entries)
            plans[index_key] = _key_plan(index_key, entries)
        extras = (*old.extras, (pid, loose, inside)) if loose or inside else old.extras
        _CURRENT[0] = Combined({**old.ids, pattern: pid}, by_key, extras, plans)


def _key_plan(index_key: str, entries: list[Entry]) -> KeyPlan:
    every: list[int] = []
    follows: list[FollowGroup] = []
    prefixes: list[tuple[int, tuple[str, ...]]] = []
    for pid, how, key, anchors, nexts in entries:
        if how == EVERY:
            every.append(pid)
        elif how == FOLLOW and nexts is not None:
            follows.append((pid, key, *nexts))
        elif anchors is not None:
            prefixes.append((pid, anchors))
    return (tuple(every), _follow_plans(follows), *_ladder(index_key, prefixes))


def _follow_plans(follows: list[FollowGroup]) -> tuple[FollowPlan, ...]:
    """The whole-word groups inverted, by word: read per place of the word, a text's pass looks up the
    next word's prefix once for all patterns instead of walking each pattern's prefixes."""
    by_word: dict[str, tuple[dict[str, list[int]], dict[str, list[tuple[int, tuple[str, ...] | None]]]]] = {}
    for pid, key, ones, twos in follows:
        by_one, by_two = by_word.setdefault(key, ({}, {}))
        for c in ones:
            by_one.setdefault(c, []).append(pid)
        for two, longer in twos.items():
            by_two.setdefault(two, []).append((pid, longer))
    return tuple(
        (len(key) - 1, {c: tuple(p) for c, p in by_one.items()}, {t: tuple(p) for t, p in by_two.items()})
        for key, (by_one, by_two) in by_word.items()
    )


Ladder = tuple[tuple[int, ...], dict[str, tuple[int, ...]]]


def _ladder(index_key: str, groups: list[tuple[int, tuple[str, ...]]]) -> Ladder:
    """The prefix groups of one index key, read at a position by slicing the text there at a few
    lengths instead of one `startswith` per group. The anchors that match at a position are prefixes
    of one another, so they are met in order of length: under each slice of a length the ladder holds,
    the patterns whose anchor it is (and whose shorter anchors are not its prefixes, so a pattern takes
    a position once); every prefix of a longer anchor is held too (perhaps with no pattern), so a slice
    missing from the table ends the climb. Every position of the key starts with the key itself: a
    pattern with the key among its anchors takes them all (under the key, length included)."""
    size = len(index_key)
    owners: dict[str, set[int]] = {}
    for pid, anchors in groups:
        for a in anchors:
            owners.setdefault(a, set()).add(pid)
    lengths = sorted({len(a) for a in owners if len(a) > size})
    if index_key in owners:
        lengths.insert(0, size)
    ladder: dict[str, tuple[int, ...]] = {}
    for a in owners:
        for n in lengths:
            if n <= len(a):
                ladder.setdefault(a[:n], ())
    for step in sorted(ladder, key=len):
        earlier = {pid for n in lengths if n < len(step) for pid in owners.get(step[:n], ())}
        ladder[step] = tuple(sorted(owners.get(step, set()) - earlier))
    return tuple(lengths), ladder


@lru_cache(maxsize=512)
def word_anchor_groups(pattern: str) -> Plan | None:
    """Anchors grouped by their first three characters (two for two-letter anchors), for patterns
    whose every alternative starts at a word boundary with a word character; None otherwise. A
    group's anchors are None when the key says it all (no further `startswith` needed); anchors
    whose first two characters are not word characters ("a.v.c") come back apart, to be found
    with `str.find`. A whole two- or three-letter word is its own key ("nao\x00"), and its group holds
    the prefixes of the word after it, or None when some alternative does not say. `lookup` maps
    the index's keys to the groups tried at their positions (a three-letter word is looked up
    under its head: white space after it shows it whole). The plan is also entered in the
    combined table (`combined`)."""
    plan = _plan(pattern)
    if plan is not None:
        _register(pattern, plan)
    return plan


def _plan(pattern: str) -> Plan | None:
    anchors = literal_prefixes(pattern)
    if anchors is None or not starts_at_word_boundary(pattern):
        return None
    groups: dict[str, list[str]] = {}
    loose: list[str] = []
    inside: list[str] = []
    for a in anchors:
        if a[0] == INSIDE_WORD:
            inside.append(a[1:])  # found with `str.find`, then back to its word's start
            continue
        if not (a[0].isalnum() or a[0] == "_"):
            loose.append(a.rstrip(WORD_END))  # a punctuation mark: found with `str.find`
            continue
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
        key = a if len(word) <= 3 and a == word + WORD_END else word[:3]
        groups.setdefault(key, []).append(key if plain == key or key == a else plain)
    packed: Groups = {k: None if all(a == k for a in v) else tuple(v) for k, v in groups.items()}
    follow = literal_prefixes(pattern, True) or ()
    for key in packed:
        if key[-1] == WORD_END:
            # The next word's prefix; a whole next word ("o\x00dia\x00") is checked as its letters.
            nexts = [f[len(key) :].rstrip(WORD_END) for f in follow if f.startswith(key)]
            if nexts and all(x and not x[0].isspace() and WORD_END not in x for x in nexts):
                packed[key] = tuple(nexts)
    lookup: dict[str, list[str]] = {}
    for key in packed:
        lookup.setdefault(key[:3] if len(key) == 4 and key[-1] == WORD_END else key, []).append(key)
    by_next: Nexts = {}
    for key, anchors in packed.items():
        if key[-1] == WORD_END and anchors is not None:
            by_next[key] = _by_first_two(anchors)
    return (
        packed,
        {k: tuple(v) for k, v in lookup.items()},
        frozenset(lookup),
        tuple(loose),
        by_next,
        tuple(inside),
    )


def _by_first_two(anchors: tuple[str, ...]) -> NextWords:
    """The next word's prefixes as the follow index reads them: one-letter prefixes alone, the rest
    by their first two characters (None when those two say it all), each place found once."""
    ones = tuple(sorted({a for a in anchors if len(a) == 1}))
    twos: dict[str, set[str]] = {}
    for a in anchors:
        if len(a) > 1 and a[0] not in ones:
            twos.setdefault(a[:2], set()).add(a)
    return ones, {t: None if t in v else tuple(sorted(v)) for t, v in twos.items()}
