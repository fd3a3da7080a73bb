"""Who a third-person pronoun can point to, for `experiencer.Experiencer._antecedent`: the gender
a person noun agrees with, and the reporter rule (docs/clinical-engine.md, "clin-recall").

In "a senhora do transporte disse que busca ela", the one who reports is not the pronoun:
Portuguese drops the subject for the reporter herself ("disse que vem") or says "ela mesma".
So the pronoun points past the reporter, to a person named before or to the patient.
"""

from __future__ import annotations

import re

from .text import words

_FEMININE = words("mae mamae mulher")
_EITHER = words("avo avos vovo vo colega colegas pessoa pessoas crianca bebe nene alguem cara chefe")

_REPORTS = re.compile(
    r"[^.;!?\n]{0,40}?\b(?:disse|falou|avisou|contou|explicou|garantiu|informou|comentou|ligou\s+e\s+disse)\s+que\b"
)
_HERSELF = re.compile(r"[a-z]+\s+(?:mesm[oa]|propri[oa])\b")  # "disse que ela mesma caiu"


def feminine(noun: str) -> bool | None:
    """True/False for the noun's gender, None when it can be either ("colega", "avó"/"avô" folded)."""
    if noun in _FEMININE:
        return True
    if noun in _EITHER or " " in noun:
        return None
    return noun.rstrip("s").endswith("a")


def reporter(text: str, person_end: int, pronoun: int) -> bool:
    """The person ending at `person_end` reports what the pronoun at `pronoun` did or has."""
    m = _REPORTS.match(text, person_end, pronoun)
    return m is not None and m.end() <= pronoun and not _HERSELF.match(text, pronoun)
