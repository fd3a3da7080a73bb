"""Masking of personal data (CPF, phone numbers, e-mail addresses, names) for logs and the /ops
console. Patterns are deliberately broad: a false positive costs a masked number on a screen, a
false negative leaks a patient's data."""

from __future__ import annotations

import re
from typing import Any

MASK = "***"
_PATTERNS = (
    # e-mail first: its digits must not be taken for a phone number.
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?<![\w-])\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?![\w-])"), "[cpf]"),
    # Not inside a longer token (a UUID's groups, a date). Brazilian phones: optional +55,
    # optional area code in parentheses, 8-9 digits with a hyphen.
    (re.compile(r"(?<![\w-])(?:\+?55\s?)?(?:\(?\d{2}\)?\s?)?9?\d{4}[-\s]?\d{4}(?![\w-])"), "[telefone]"),
)
# Keys whose whole value is personal (names) or free clinical text.
NAME_KEYS = frozenset(
    {"nome", "paciente_nome", "name", "patientname", "patient_name", "nome_paciente", "responsavel"}
)
FREE_TEXT_KEYS = frozenset(
    {
        "queixa",
        "motivo",
        "resumo",
        "laudo",
        "resultado_texto",
        "justificativa",
        "message_text",
        "originalmessage",
        "original_message",
        "trecho",
        "texto",
        "content",
    }
)


def mask_text(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def mask(value: Any, *, free_text: bool = False, key: str | None = None) -> Any:
    """A copy of `value` with names masked entirely, CPF/phone/e-mail patterns replaced in every
    string, and (with `free_text`) free clinical text fields masked too."""
    k = (key or "").lower()
    if k in NAME_KEYS or (free_text and k in FREE_TEXT_KEYS):
        return MASK if value not in (None, "") else value
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {name: mask(v, free_text=free_text, key=str(name)) for name, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask(v, free_text=free_text, key=key) for v in value]
    return value
