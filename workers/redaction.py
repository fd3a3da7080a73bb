"""What a prompt may carry to a remote LLM: `redact` removes CPF, phone numbers, e-mails, patient
names and identifier fields, with the patterns and field lists of shared/pii.py; `endpoint_is_local`
decides when it must (docs/llm.md).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel

from shared import pii
from shared.config import Settings

T = TypeVar("T")


def llm_available(settings: Settings) -> bool:
    return settings.llm_enabled


def endpoint_is_local(settings: Settings) -> bool:
    """True when LLM_BASE_URL names this machine or a private network address, literally.

    Decided from the URL text, never by resolving the name: a host name is "remote" even if it
    happens to resolve to 127.0.0.1, so the safe answer (redact) is the default for anything that
    is not obviously inside the hospital network. No LLM_BASE_URL means api.openai.com: remote.
    A future `llm_endpoint_local` setting (bool) overrides the guess for named on-premise hosts.
    """
    override = getattr(settings, "llm_endpoint_local", None)
    if isinstance(override, bool):
        return override
    if not settings.llm_base_url:
        return False
    host = (urlsplit(settings.llm_base_url).hostname or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


_KEY_TAGS: dict[str, str] = {**dict.fromkeys(pii.NAME_KEYS, pii.NAME_TAG), **pii.IDENTIFIER_KEYS}
_NAME_PARTICLES = frozenset({"da", "de", "do", "das", "dos", "di", "du", "del", "e", "van", "von"})
# Name parts that are also words a patient writes ("Maria das Dores" has "dores no peito"): alone
# they are not removed, so the symptom survives; the whole name still is.
_NAME_WORDS_KEPT = frozenset(
    {
        "dor",
        "dores",
        "socorro",
        "remedios",
        "luz",
        "paz",
        "cruz",
        "rosa",
        "flores",
        "neves",
        "gloria",
        "graca",
        "gracas",
        "fe",
        "sol",
        "mar",
        "bom",
        "bem",
        "leal",
        "branco",
        "santa",
        "santo",
    }
)
_ACCENTS = {"a": "aáàâãä", "e": "eéèêë", "i": "iíìîï", "o": "oóòôõö", "u": "uúùûü", "c": "cç", "n": "nñ"}


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _accent_insensitive(token: str) -> str:
    return "".join(
        f"[{_ACCENTS[c]}]" if c in _ACCENTS else re.escape(c) for c in strip_accents(token).lower()
    )


def _name_patterns(names: Iterable[str]) -> list[re.Pattern[str]]:
    """Whole names first (so "Maria da Silva" becomes one tag), then each significant token."""
    wholes: set[str] = set()
    tokens: set[str] = set()
    for name in names:
        if not isinstance(name, str) or not name.strip() or name.strip().startswith("["):
            continue
        parts = re.findall(r"[^\W\d_]+", name)
        significant = [
            p
            for p in parts
            if len(p) >= 3
            and p.lower() not in _NAME_PARTICLES
            and strip_accents(p).lower() not in _NAME_WORDS_KEPT
        ]
        if len(parts) > 1:
            wholes.add(r"[\s.'-]+".join(_accent_insensitive(p) for p in parts))
        tokens.update(_accent_insensitive(p) for p in significant)
    ordered = sorted(wholes, key=len, reverse=True) + sorted(tokens, key=len, reverse=True)
    return [re.compile(rf"(?<!\w){p}(?!\w)", re.IGNORECASE) for p in ordered]


def _redact_text(text: str, name_patterns: Sequence[re.Pattern[str]]) -> str:
    text = pii.substitute(text, pii.PROMPT_PATTERNS)
    for pattern in name_patterns:
        text = pattern.sub(pii.NAME_TAG, text)
    return text


def _collect_names(obj: Any, found: list[str]) -> None:
    if isinstance(obj, dict):
        for key, value in obj.items():
            if str(key).lower() in pii.NAME_KEYS and isinstance(value, str):
                found.append(value)
            else:
                _collect_names(value, found)
    elif isinstance(obj, list | tuple):
        for item in obj:
            _collect_names(item, found)


def _redact_value(obj: Any, patterns: Sequence[re.Pattern[str]], key: str | None) -> Any:
    lowered = key.lower() if key is not None else None
    if lowered in _KEY_TAGS and obj not in (None, ""):
        return _KEY_TAGS[lowered]
    if isinstance(obj, dict):
        return {k: _redact_value(v, patterns, str(k)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_redact_value(v, patterns, None) for v in obj]
    if isinstance(obj, tuple):
        return tuple(_redact_value(v, patterns, None) for v in obj)
    if lowered in pii.CODE_KEYS:
        return obj
    if isinstance(obj, str):
        return _redact_text(obj, patterns)
    if isinstance(obj, int) and not isinstance(obj, bool) and 10**9 <= abs(obj) < 10**11:
        return "[CPF]" if abs(obj) >= 10**10 else "[TELEFONE]"
    return obj


def redact(obj: T, *, names: Sequence[str] = ()) -> T:
    """Remove CPF, phone numbers, e-mails, patient names and identifier fields.

    Strings are scanned by pattern (CPF formatted or as 11 bare digits, Brazilian phone formats,
    e-mails) and for the given names, accent- and case-insensitively, token by token, so "Dona
    Maria" goes too when the name is "Maria da Silva". In dicts and lists, fields such as
    `paciente_nome`, `nome`, `cpf`, `telefone`, `email`, `paciente_id` are replaced by a tag, and
    names found in name fields are also removed from every other string of the same object.
    Code fields (`registro_anvisa`, `codigo_tuss`, `cid10`, `crm`) keep their digits. Pydantic
    models come back as dicts; everything else keeps its type.
    """
    if isinstance(obj, BaseModel):
        obj = obj.model_dump(mode="json")  # type: ignore[assignment]
    all_names = list(names)
    _collect_names(obj, all_names)
    return _redact_value(obj, _name_patterns(all_names), None)  # type: ignore[no-any-return]
