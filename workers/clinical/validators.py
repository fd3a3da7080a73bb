"""Brazilian identifiers and contact data: validate and normalise one value.

Every function returns (normalised_value, None) or (None, "Portuguese error message"), so the
ingestion code can report each bad field of each record instead of stopping at the first one.
"""

from __future__ import annotations

import re
from datetime import date

from .text import fold, words

UFS = words("AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO")
# Valid Brazilian area codes (ANATEL); "00" or "20" in a phone number is a typo, not a city.
DDDS = frozenset(
    {
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        18,
        19,
        21,
        22,
        24,
        27,
        28,
        31,
        32,
        33,
        34,
        35,
        37,
        38,
        41,
        42,
        43,
        44,
        45,
        46,
        47,
        48,
        49,
        51,
        53,
        54,
        55,
        61,
        62,
        63,
        64,
        65,
        66,
        67,
        68,
        69,
        71,
        73,
        74,
        75,
        77,
        79,
        81,
        82,
        83,
        84,
        85,
        86,
        87,
        88,
        89,
        91,
        92,
        93,
        94,
        95,
        96,
        97,
        98,
        99,
    }
)

Result = tuple[str | None, str | None]

_NON_DIGIT = re.compile(r"\D")
_CPF_SHAPE = re.compile(r"^\d{3}\.?\d{3}\.?\d{3}-?\d{2}$")
_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$"
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_BR_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_NAME_LOWER = frozenset({"da", "de", "do", "das", "dos", "e", "di", "du", "del", "della", "van", "von", "y"})
_NAME_OK = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]*)*$")
MIN_YEAR = 1900


def cpf(raw: str) -> Result:
    value = raw.strip()
    if not value:
        return None, "CPF ausente"
    if not _CPF_SHAPE.match(value):
        return None, "CPF deve ter 11 dígitos (ex.: 123.456.789-09)"
    digits = _NON_DIGIT.sub("", value)
    if len(set(digits)) == 1:
        return None, "CPF inválido (dígitos repetidos)"
    for size in (9, 10):
        total = sum(int(d) * w for d, w in zip(digits[:size], range(size + 1, 1, -1), strict=True))
        check = (total * 10) % 11 % 10
        if check != int(digits[size]):
            return None, "CPF inválido (dígito verificador não confere)"
    return digits, None


def crm(raw: str, uf_value: str | None = None) -> Result:
    """CRM number: 4–7 digits; "CRM/SP 123456" and "123456-SP" are accepted when the UF agrees."""
    value = fold(raw).upper().strip()
    value = re.sub(r"^CRM\s*[-/:]?\s*", "", value)
    m = re.match(r"^(?:([A-Z]{2})\s*[-/ ]?\s*)?(\d[\d.]*)\s*(?:[-/ ]\s*([A-Z]{2}))?$", value)
    if not m:
        return None, "CRM deve conter apenas dígitos (4 a 7)"
    embedded = m.group(1) or m.group(3)
    digits = m.group(2).replace(".", "")
    if not 4 <= len(digits) <= 7:
        return None, f"CRM deve ter de 4 a 7 dígitos (tem {len(digits)})"
    if embedded and uf_value and embedded != uf_value.strip().upper():
        return None, f"UF no CRM ({embedded}) difere do campo uf ({uf_value.strip().upper()})"
    if embedded and embedded not in UFS:
        return None, f"UF no CRM inválida ({embedded})"
    return digits, None


def uf(raw: str) -> Result:
    value = raw.strip().upper()
    if value not in UFS:
        return None, f"UF inválida ({raw.strip()!r}); use a sigla de um dos 27 estados"
    return value, None


def birth_date(raw: str, today: date) -> Result:
    value = raw.strip()
    m = _ISO_DATE.match(value)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _BR_DATE.match(value)
        if not m:
            return None, "data em formato não reconhecido (use AAAA-MM-DD ou DD/MM/AAAA)"
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        parsed = date(y, mo, d)
    except ValueError:
        return None, f"data inexistente ({value})"
    if parsed > today:
        return None, "data no futuro"
    if parsed.year < MIN_YEAR:
        return None, f"data anterior a {MIN_YEAR}"
    return parsed.isoformat(), None


def email(raw: str) -> Result:
    value = raw.strip().lower()
    if len(value) > 254 or not _EMAIL.match(value) or len(value.split("@")[0]) > 64:
        return None, "e-mail inválido"
    return value, None


def phone(raw: str) -> Result:
    """Brazilian phone with area code -> E.164 (+55DDNNNNNNNN)."""
    value = raw.strip()
    if re.search(r"[^\d\s()+\-.]", value):
        return None, "telefone contém caracteres inválidos"
    digits = _NON_DIGIT.sub("", value)
    if digits.startswith("55") and len(digits) in (12, 13):
        digits = digits[2:]
    elif value.startswith("+"):
        return None, "telefone com código de país diferente de +55"
    if digits.startswith("0") and len(digits) in (11, 12):
        digits = digits[1:]  # trunk prefix "0" written before the area code
    if len(digits) not in (10, 11):
        return None, "telefone deve ter 10 ou 11 dígitos com DDD"
    if int(digits[:2]) not in DDDS:
        return None, f"DDD inválido ({digits[:2]})"
    if len(digits) == 11 and digits[2] != "9":
        return None, "celular com 11 dígitos deve começar com 9 após o DDD"
    if len(digits) == 10 and digits[2] not in "2345678":
        return None, "telefone fixo deve começar com 2 a 8 após o DDD"
    return "+55" + digits, None


def name(raw: str) -> Result:
    value = " ".join(raw.split())
    if not value:
        return None, "nome vazio"
    if not _NAME_OK.match(value):
        return None, "nome contém dígitos ou símbolos"
    if len(value.replace(" ", "")) < 2:
        return None, "nome muito curto"
    return title_name(value), None


def title_name(value: str) -> str:
    """ "MARIA DA  silva" -> "Maria da Silva"; "ana-paula d'ávila" -> "Ana-Paula D'Ávila"."""
    words = []
    for i, word in enumerate(value.split(" ")):
        low = word.lower()
        if i > 0 and low in _NAME_LOWER:
            words.append(low)
            continue
        parts = re.split(r"([\-'])", low)
        words.append("".join(p[:1].upper() + p[1:] for p in parts))
    return " ".join(words)


def sexo(raw: str) -> Result:
    value = fold(raw).strip()
    if value in ("f", "feminino", "fem", "mulher"):
        return "F", None
    if value in ("m", "masculino", "masc", "homem"):
        return "M", None
    return None, f"sexo inválido ({raw.strip()!r}); use F ou M"


def cep(raw: str) -> Result:
    digits = _NON_DIGIT.sub("", raw)
    if not re.fullmatch(r"\d{5}-?\d{3}", raw.strip()) or len(digits) != 8:
        return None, "CEP deve ter 8 dígitos"
    return digits, None


def cns(raw: str) -> Result:
    """Cartão Nacional de Saúde: 15 digits, weighted sum divisible by 11."""
    digits = _NON_DIGIT.sub("", raw)
    if len(digits) != 15 or re.search(r"[^\d\s.\-]", raw):
        return None, "CNS deve ter 15 dígitos"
    if digits[0] not in "12789":
        return None, "CNS inválido (primeiro dígito)"
    total = sum(int(d) * w for d, w in zip(digits, range(15, 0, -1), strict=True))
    if total % 11:
        return None, "CNS inválido (dígito verificador não confere)"
    return digits, None
