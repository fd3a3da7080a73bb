"""Personal data: the one place that says what it looks like (patterns) and where it sits
(field names). Two consumers build on it, with different costs of a mistake:

- display masking (`mask`, `mask_text`), for logs (shared/logs.py) and the /ops console: the
  loose patterns, because a false positive costs a masked number on a screen and a false
  negative leaks a patient's data;
- prompt redaction (workers/redaction.py), before text leaves for a remote LLM: the precise
  patterns, because a lab value or a year range the model cannot read is a worse analysis. It
  also removes the names found in name fields from every other string, and tags identifier fields.

tests/shared/test_pii.py holds one table with both answers for each input.
"""

from __future__ import annotations

import re
from typing import Any

MASK = "***"
NAME_TAG = "[NOME]"

EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
# Precise: a formatted CPF, Brazilian phone formats, and bare 11/10-digit runs, but not a year
# range ("2023-2024") nor the digits of a decimal number ("0,12345678901", "12345678901.5").
CPF = re.compile(r"(?<![\d.])\d{3}\.\d{3}\.\d{3}[-./]?\d{2}(?!\d)")
PHONE = re.compile(
    r"(?<![\w+])(?:"
    # with +55 and/or DDD: (11) 98765-4321, 11 98765 4321, +55 11 3333-4444, 011 3333-4444
    r"(?:\+?55[\s.-]?)?\(?0?[1-9]\d\)?[\s.-]?9?\d{4}[\s.-]?\d{4}"
    # no DDD: mobile 98765-4321, landline 3333-4444 (not a year range such as 2023-2024)
    r"|9\d{4}[\s-]\d{4}"
    r"|(?!(?:19|20)\d{2}-(?:19|20)\d{2}(?!\d))[2-5]\d{3}-\d{4}"
    r")(?!\d)"
)
BARE_CPF = re.compile(r"(?<!\d)(?<!\d[.,])\d{11}(?!\d|[.,]\d)")
BARE_PHONE = re.compile(r"(?<!\d)(?<!\d[.,])\d{10}(?!\d|[.,]\d)")
BARE_MOBILE = re.compile(r"(?<!\d)(?<!\d[.,])9\d{8}(?!\d|[.,]\d)")
# Loose: anything shaped like a CPF or a phone number, not inside a longer token (a UUID's
# groups, a date). Phones: optional +55, optional area code in parentheses, 8-9 digits.
LOOSE_CPF = re.compile(r"(?<![\w-])\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?![\w-])")
LOOSE_PHONE = re.compile(r"(?<![\w-])(?:\+?55\s?)?(?:\(?\d{2}\)?\s?)?9?\d{4}[-\s]?\d{4}(?![\w-])")

# e-mail first everywhere: its digits must not be taken for a phone number.
DISPLAY_PATTERNS = ((EMAIL, "[email]"), (CPF, "[cpf]"), (LOOSE_CPF, "[cpf]"), (LOOSE_PHONE, "[telefone]"))
PROMPT_PATTERNS = (
    (EMAIL, "[EMAIL]"),
    (CPF, "[CPF]"),
    (PHONE, "[TELEFONE]"),
    (BARE_CPF, "[CPF]"),
    (BARE_PHONE, "[TELEFONE]"),
    (BARE_MOBILE, "[TELEFONE]"),
)

# Fields whose whole value is a person's name.
NAME_KEYS = frozenset(
    {
        "nome",
        "name",
        "paciente_nome",
        "nome_paciente",
        "patientname",
        "patient_name",
        "nome_social",
        "nome_mae",
        "responsavel",
    }
)
# Fields whose whole value is an identifier, whatever it looks like (tag for prompts).
IDENTIFIER_KEYS: dict[str, str] = {
    "cpf": "[CPF]",
    "rg": "[DOCUMENTO]",
    "cns": "[DOCUMENTO]",
    "telefone": "[TELEFONE]",
    "celular": "[TELEFONE]",
    "whatsapp": "[TELEFONE]",
    "phone": "[TELEFONE]",
    "email": "[EMAIL]",
    "e_mail": "[EMAIL]",
    "endereco": "[ENDERECO]",
    "paciente_id": "[ID]",
}
# Codes that legitimately have 10-11 digits (ANVISA registration is 11) and that an analysis needs.
CODE_KEYS = frozenset({"registro_anvisa", "codigo_tuss", "cid10", "crm", "uf", "tipo_exame"})
# Free clinical text: masked whole where the reader does not need it (logs).
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


def substitute(text: str, patterns: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, replacement in patterns:
        text = pattern.sub(replacement, text)
    return text


def mask_text(text: str) -> str:
    return substitute(text, DISPLAY_PATTERNS)


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
