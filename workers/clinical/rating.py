"""The "if" that only frames a rating: "se for botar de zero a dez, tá num nove", "se eu tiver que
dar uma nota é oito", "se fosse pra dizer um número, nove" (docs/clinical-engine.md, "Closing set
s4c: missed alerts"). The score that follows is what the patient gives now; the condition is about
the act of scoring, never about the pain. A symptom the clause itself governs stays conditional:
"se a dor chegar a nove de zero a dez" names no frame right after the "se".
"""

from __future__ import annotations

import re

# Right after "se"/"caso" (or its modal, which the cue may hold: "se for"): an optional subject,
# a modal of the act ("for", "tivesse que", "quiser"),
# an optional verb of scoring, then the scale or the score word.
_RATING_FRAME = re.compile(
    r"\s*(?:eu\s+|a\s+gente\s+|voce\s+|o\s+senhor\s+|a\s+senhora\s+)?"
    r"(?:(?:for|fosse|tiver|tivesse|tenho|precisar|precisasse|quiser|quisesse|puder|pudesse|pedir|pedirem)\s+)?"
    r"(?:que\s+|de\s+|pra\s+|para\s+|p\s+)?(?:(?:eu\s+)?(?:botar|bota|colocar|coloca|por|dar|da|dizer|diz|falar|"
    r"fala|medir|mede|classificar|avaliar|pontuar|chutar|numerar)\s+)?(?:(?:uma?|a|o)\s+)?"
    r"(?:nota|numero|numa\s+escala|na\s+escala|em\s+escala|escala|"
    r"(?:de|entre)\s+(?:0|zero|1|um)\s+(?:a|ate|e)\s+(?:10|dez))\b"
)
# ... or the verb of scoring right before the score, which holds the scale word: "se for dar | nota 9"
_SCORING_VERB_LAST = re.compile(
    r"\s*(?:eu\s+)?(?:(?:for|fosse|tiver\s+que|tivesse\s+que|quiser|quisesse)\s+)?(?:pra\s+|para\s+)?"
    r"(?:botar|colocar|por|dar|dizer|falar|medir|classificar|avaliar|pontuar|chutar)(?:\s+uma?)?\s*\Z"
)


def rating_frame(prefix: str, pos: int) -> bool:
    """The conditional opened just before `pos` frames a score ("se for dar nota ...")."""
    return _RATING_FRAME.match(prefix, pos) is not None or _SCORING_VERB_LAST.match(prefix, pos) is not None
