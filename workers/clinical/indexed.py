"""Window searches through the word index of the text being scanned, for rules not handed it.

`Scanner` indexes its text once (`prefilter.WordStarts`) and registers the index here. A rule that
searches a window of that text (`pattern.search(text, pos, endpos)`, asked per mention or per
sentence) calls `search_in` instead: the same match, the pattern tried only where the index says
it may start (`WordStarts.search_in`), instead of at every position of the window, which a regex
opening with a look-behind or a `\\b` and many words costs (docs/clinical-engine.md, "clin-speed5").
Any other text, or a text whose index was replaced (another message, another thread), is searched
as before: the index is found by the text's identity, so it never answers for a text it did not read.
"""

from __future__ import annotations

import re

from .prefilter import WordStarts

_LAST: list[WordStarts | None] = [None]  # the index registered last


def register(words: WordStarts) -> None:
    _LAST[0] = words


def search_in(pattern: re.Pattern[str], text: str, pos: int, endpos: int) -> re.Match[str] | None:
    """`pattern.search(text, pos, endpos)`, through the registered index when it is `text`'s."""
    words = _LAST[0]
    if words is not None and words.text is text:
        return words.search_in(pattern, pos, endpos)
    return pattern.search(text, pos, endpos)
