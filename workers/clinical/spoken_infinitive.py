"""The infinitive said without its final r, which the spelling pass leaves as another real word
(docs/clinical-engine.md, "Seventh session", "s7-recall-context").

"queria dormi e nunca mais acordá", "ninguém ia senti minha falta", "tô pensano em me jogá no rio":
"dormi", "senti" are the past of "dormir", "sentir", and "acorda", "joga" (the accent folded) their
present, so the word-by-word pass has nothing to correct. Two things show the infinitive:

- the stressed final "á" the writer put on it ("acordá", "jogá", "voltá"): the present is never
  written so, and the form with an r is a verb ("está", "já", "lá" and short words are not);
- a word that wants an infinitive before it (a wish, a going, an ability, a thought of: "queria",
  "vou", "ia", "consigo", "pensando em", "vontade de"), with an "-i" form ("queria dormi", "ia senti")
  or with a clitic between ("vou me mata", "em me joga"): "quero água" stays water.
"""

from __future__ import annotations

import re

from .normalise import is_word
from .text import Normalised, rewrite

_WANTS = (
    r"\b(?:quer(?:o|ia|iamos|emos)?|vou|vai|vamos|vamo|ia|iam|iria|posso|pode|podia|consigo|consegue|"
    r"preciso|precisa|devo|deve|tenho\s+que|tem\s+que|(?:pensando|penso|pensei|pensava)\s+em|"
    r"vontade\s+de|ideia\s+de|acab(?:ei|ou|amos|aram)\s+de)\s+"
)
_AFTER_WANT = re.compile(_WANTS + r"(?:(?:me|se|te)\s+([a-z]{3,}[aei])|([a-z]{3,}i))\b")
_ACCENTED = re.compile(r"\b([a-z]{3,}a)\b")
_NOT_VERBS = frozenset({"esta", "sera", "vira", "para"})


def spoken_infinitive(norm: Normalised) -> Normalised:
    """An infinitive said without its r rewritten with it."""
    text, original = norm.text, norm.original
    edits: dict[int, tuple[int, int, str]] = {}
    if "á" in original:  # the common case, without a regex
        for m in _ACCENTED.finditer(text):
            word = m.group(1)
            # The word test first: it is a set look-up, the accent a walk back to the original text.
            if word in _NOT_VERBS or not is_word(word + "r"):
                continue
            if norm.excerpt(*m.span()).endswith("á"):
                edits[m.start()] = (m.start(), m.end(), word + "r")
    for m in _AFTER_WANT.finditer(text):
        group = 1 if m.group(1) else 2
        word = m.group(group)
        if m.start(group) not in edits and is_word(word + "r"):
            edits[m.start(group)] = (m.start(group), m.end(group), word + "r")
    return rewrite(norm, sorted(edits.values())) if edits else norm
