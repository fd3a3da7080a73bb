"""The shape of a concept told in lay words: groups of cues, some strong enough alone
(docs/clinical-engine.md, "Concepts in lay words"). Shared by `concepts` and `concepts_neuro`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workers.findings import Severity

WINDOW = 180  # characters between the first and the last cue of one description


@dataclass(frozen=True)
class Concept:
    codigo: str
    descricao: str
    severidade: Severity
    cues: dict[str, re.Pattern[str]]
    strong: frozenset[str] = frozenset()  # groups that are enough on their own
    weak: frozenset[str] = frozenset()  # groups that never pair with each other only


def cue_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
