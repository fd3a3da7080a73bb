"""The literal prefixes every match of a regex starts with, read from its parse tree
(`prefilter` uses them to try a pattern only where it can match).

`literal_prefixes` returns, for each alternative, the literal text a match must start with
("falt", "dispn", "peit"…), or None when some alternative can start with anything (a character
class, a repeat); `starts_at_word_boundary` says whether every alternative starts a word (or at a
punctuation mark, found with `str.find`).
"""

from __future__ import annotations

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
# Marks a literal found inside a word, after one or more word characters ("\\w+platina" of
# "carboplatina"): the match starts where that word does (`prefilter.WordStarts`).
INSIDE_WORD = "\x01"
MAX_PREFIX = 12


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
            # Each alternative goes on with what follows the group: "(?:mas|e)\\s+eu" starts with
            # "mas" or the whole word "e" (then "eu"), not with any "e…".
            out: set[str] = set()
            rest = items[index + 1 :]
            for branch in av[1]:
                got = _seq([*branch, *rest], head, follow)
                if got is None:
                    return None
                out |= got
            return out
        if head and _is_run_of(op, av, "CATEGORY_SPACE"):
            if follow and WORD_END not in head:
                more = _seq(items[index + 1 :], head + WORD_END, follow)
                if more is not None:
                    return more
            return {head + WORD_END}  # "e\\s+": the word "e" itself, whatever white space follows
        if not head and _is_run_of(op, av, "CATEGORY_WORD"):
            inside = _seq(items[index + 1 :], "")
            if inside is None or not all(len(a) > MIN_PREFIX and a[0].isalpha() for a in inside):
                return None
            return {INSIDE_WORD + a.rstrip(WORD_END) for a in inside}
        choices = _small_choice(op, av)
        if choices is None and name in ("MAX_REPEAT", "MIN_REPEAT") and av[0] == 0 and av[1] == 1:
            # "(?:eu\\s+)?tenho": the prefixes with the optional part, and those without it.
            rest = items[index + 1 :]
            with_it = _seq([*av[2], *rest], head, follow)
            without = _seq(rest, head, follow)
            if with_it is None or without is None:
                return {head} if _long_enough(head) else None
            return with_it | without
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


def _is_run_of(op: Any, av: Any, category: str) -> bool:
    """One or more characters of one class, greedy or lazy: `\\s+` for CATEGORY_SPACE, `\\w+` for
    CATEGORY_WORD."""
    if str(op) not in ("MAX_REPEAT", "MIN_REPEAT") or av[0] < 1:
        return False
    sub = list(av[2])
    return (
        len(sub) == 1
        and str(sub[0][0]) == "IN"
        and all(str(o) == "CATEGORY" and str(v) == category for o, v in sub[0][1])
    )


def _long_enough(prefix: str) -> bool:
    """Two characters, or one digit ("3[4-9]" is a temperature, and digits start few words), or
    one punctuation mark ("[;!?\\n]" of a clause boundary)."""
    return len(prefix) >= MIN_PREFIX or (len(prefix) == 1 and (prefix.isdigit() or _punctuation(prefix)))


def _punctuation(char: str) -> bool:
    """A character that is no word character and no blank (a line break counts: it is rare)."""
    return not (char.isalnum() or char == "_" or char in " \t")


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


def starts_at_word_boundary(pattern: str) -> bool:
    """Whether every top-level alternative of `pattern` begins with `\\b` (or a punctuation mark)."""

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
        # A punctuation mark ("[;!?\\n]", "\\."): its places are found with `str.find`.
        if str(op) == "LITERAL":
            return _punctuation(chr(av))
        if str(op) == "IN":
            return all(str(o) == "LITERAL" and _punctuation(chr(v)) for o, v in av)
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
