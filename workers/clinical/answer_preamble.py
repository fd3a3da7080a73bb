"""A modest preamble before the answer itself: "não quero fazer alarde... mas, para ser sincero,
estou sim". Its "não" is about the speaker's wish not to bother, never the answer to the question;
the answer is what follows the "mas" (docs/clinical-engine.md, "s7-recall-lay").
"""

from __future__ import annotations

import re

# "não quero/queria/gosto de/vou" + a verb of bothering, complaining or exaggerating.
_PREAMBLE = re.compile(
    r"^(?:nao|num)\s+(?:quero|queria|gosto\s+de|gostaria\s+de|vou|pretendo)\s+(?:\w+\s+){0,2}?"
    r"(?:fazer\s+(?:alarde|drama|escandalo|tempestade)|incomodar|preocupar|reclamar|exagerar|assustar|alarmar|"
    r"atrapalhar|dar\s+trabalho|mentir|ser\s+chat[oa]|encher|aborrecer|perturbar|dar\s+uma\s+de\s+\w+)\b"
)
_BUT = re.compile(r"\bmas\b")
# said between the "mas" and the answer: "mas, para ser sincero, estou sim"
_FRANKLY = re.compile(
    r"^[\s,.…!;:-]*(?:(?:pra|para)\s+(?:ser\s+sincer[oa]|falar\s+a\s+verdade|dizer\s+a\s+verdade)|"
    r"sendo\s+sincer[oa]|na\s+verdade|verdade\s+seja\s+dita|a\s+verdade\s+e\s+que|confesso\s+que)?[\s,.…!;:-]*"
)


def without_preamble(body: str) -> str:
    """The answer after a modest preamble and its "mas" (the body unchanged without one)."""
    if not _PREAMBLE.match(body):
        return body
    but = _BUT.search(body)
    if but is None:
        return body
    rest = body[but.end() :]
    return rest[_FRANKLY.match(rest).end() :] or body  # type: ignore[union-attr]
