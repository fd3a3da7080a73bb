"""Critical values for common analytes in exames/generico `resultados` (and "Potássio: 6,8" lines).

Limits are the widely used adult "critical/panic values" lists (CAP surveys, Brazilian hospital
lists); where lists disagree we took the more sensitive end, since a missed panic value is worse
than an extra phone call. Glucose, haemoglobin, haematocrit, leukocytes, neutrophils and
platelets use the limits of docs/clinical-analysis.md so that the same value alerts the same way everywhere.

| analyte          | critical low   | critical high   | unit      |
|------------------|----------------|-----------------|-----------|
| potássio         | < 2,8          | > 6,2           | mEq/L     |
| sódio            | < 120          | > 160           | mEq/L     |
| glicose          | < 54           | > 400           | mg/dL     |
| cálcio total     | < 6,5          | > 13,0          | mg/dL     |
| cálcio iônico    | < 0,78         | > 1,58          | mmol/L    |
| magnésio         | < 1,0          | > 4,7           | mg/dL     |
| fósforo          | < 1,0          |                 | mg/dL     |
| hemoglobina      | < 7,0          | > 20,0          | g/dL      |
| hematócrito      | < 20           | > 60            | %         |
| leucócitos       | < 2.000        | > 30.000        | /mm³      |
| neutrófilos      | < 500          |                 | /mm³      |
| plaquetas        | < 20.000       | > 1.000.000     | /mm³      |
| troponina        |                | > 52 ng/L (0,052 ng/mL) |   |
| creatinina       |                | > 7,4           | mg/dL     |
| ureia            |                | > 214           | mg/dL     |
| lactato          |                | > 4,0           | mmol/L    |
| pH (gasometria)  | < 7,20         | > 7,60          |           |
| pCO2             | < 20           | > 70            | mmHg      |
| pO2              | < 40           |                 | mmHg      |
| bicarbonato      | < 10           | > 40            | mEq/L     |
| INR              |                | > 5,0           |           |
| fibrinogênio     | < 100          |                 | mg/dL     |
| digoxina         |                | > 2,0           | ng/mL     |
| lítio            |                | > 1,5           | mEq/L     |
| SpO2 / saturação | < 92           |                 | %         |

Units: the name may carry one ("glicose_mmol_l", "troponina_ng_l"); mmol/L glucose is converted
(× 18), lactate in mg/dL is converted (÷ 9). Cell counts written in thousands (leucócitos 1,5;
plaquetas 15) are scaled to /mm³. Troponin without a unit: a value below 1 is read as ng/mL,
otherwise ng/L (high-sensitivity assays report whole numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .text import fold_key, format_number, words


@dataclass(frozen=True, slots=True)
class LabRule:
    analito: str
    nome: str
    unidade: str
    low: float | None
    high: float | None
    aliases: tuple[str, ...]
    thousands_below: float | None = None  # counts given in thousands are scaled (×1000)
    decimals: int | None = None


RULES: tuple[LabRule, ...] = (
    LabRule("potassio", "Potássio", "mEq/L", 2.8, 6.2, ("potassio", "k", "kalemia", "calemia")),
    LabRule("sodio", "Sódio", "mEq/L", 120, 160, ("sodio", "na", "natremia")),
    LabRule(
        "glicose",
        "Glicose",
        "mg/dL",
        54,
        400,
        ("glicose", "glicemia", "glucose", "glic", "hgt", "dextro", "glicemia_capilar"),
    ),
    LabRule("calcio", "Cálcio total", "mg/dL", 6.5, 13.0, ("calcio", "ca", "calcemia")),
    LabRule(
        "calcio_ionico",
        "Cálcio iônico",
        "mmol/L",
        0.78,
        1.58,
        ("calcio_ionico", "calcio_ionizado", "ca_ionico", "ca_ionizado", "cai", "ica"),
    ),
    LabRule("magnesio", "Magnésio", "mg/dL", 1.0, 4.7, ("magnesio", "mg", "magnesemia")),
    LabRule("fosforo", "Fósforo", "mg/dL", 1.0, None, ("fosforo", "fosfato", "p", "fosfatemia")),
    LabRule("hemoglobina", "Hemoglobina", "g/dL", 7.0, 20.0, ("hemoglobina", "hb", "hgb")),
    LabRule("hematocrito", "Hematócrito", "%", 20, 60, ("hematocrito", "ht", "hct")),
    LabRule(
        "leucocitos",
        "Leucócitos",
        "/mm³",
        2000,
        30000,
        ("leucocitos", "leuco", "leucometria", "wbc", "globulos_brancos"),
        thousands_below=200,
    ),
    LabRule(
        "neutrofilos",
        "Neutrófilos",
        "/mm³",
        500,
        None,
        ("neutrofilos", "segmentados", "anc", "neut", "neutrofilos_absolutos"),
        thousands_below=50,
    ),
    LabRule(
        "plaquetas",
        "Plaquetas",
        "/mm³",
        20000,
        1_000_000,
        ("plaquetas", "plaq", "plt", "plaquetometria", "contagem_de_plaquetas"),
        thousands_below=2000,
    ),
    LabRule(
        "troponina",
        "Troponina",
        "ng/L",
        None,
        52,
        (
            "troponina",
            "trop",
            "tni",
            "tnt",
            "ctni",
            "ctnt",
            "troponina_i",
            "troponina_t",
            "hs_ctni",
            "hs_ctnt",
            "troponina_us",
            "troponina_ultrassensivel",
        ),
    ),
    LabRule("creatinina", "Creatinina", "mg/dL", None, 7.4, ("creatinina", "creat", "cr")),
    LabRule("ureia", "Ureia", "mg/dL", None, 214, ("ureia", "ur")),
    LabRule("lactato", "Lactato", "mmol/L", None, 4.0, ("lactato", "acido_latico", "lac")),
    LabRule("ph", "pH", "", 7.2, 7.6, ("ph",), decimals=2),
    LabRule("pco2", "pCO2", "mmHg", 20, 70, ("pco2", "paco2")),
    LabRule("po2", "pO2", "mmHg", 40, None, ("po2", "pao2")),
    LabRule(
        "bicarbonato", "Bicarbonato", "mEq/L", 10, 40, ("bicarbonato", "hco3", "bic", "bicarbonato_padrao")
    ),
    LabRule("inr", "INR (RNI)", "", None, 5.0, ("inr", "rni", "tp_inr", "inr_tp", "tap_inr")),
    LabRule("fibrinogenio", "Fibrinogênio", "mg/dL", 100, None, ("fibrinogenio",)),
    LabRule("digoxina", "Digoxina", "ng/mL", None, 2.0, ("digoxina", "digoxinemia")),
    LabRule("litio", "Lítio", "mEq/L", None, 1.5, ("litio", "litemia")),
    LabRule(
        "spo2",
        "Saturação de O2",
        "%",
        92,
        None,
        ("spo2", "sato2", "saturacao", "sat_o2", "so2", "saturacao_de_o2", "saturacao_o2"),
    ),
)
_ALIAS: dict[str, LabRule] = {alias: rule for rule in RULES for alias in rule.aliases}

_UNIT_TOKENS = words(
    "mg dl meq l mmol umol ng ml pg g ul mm3 mm pct u ui s seg mmhg fl x 10 3 9 mcl por 10e3 10e9 mil x10 "
    "x103 x109 10x 10e6 x10e3 x10e9 "
    "percent porcento unidade unidades"
)
# Words that do not change what is measured. Anything else ("urinario", "glicada") makes the name
# unknown rather than mistaken: urine sodium or HbA1c must never be read as serum sodium or Hb.
_QUALIFIERS = words(
    "serico serica plasmatico plasmatica sanguineo venoso venosa arterial capilar jejum em de do da dos das "
    "total no na sangue soro plasma dosagem nivel resultado valor valores absolutos absoluto contagem pos "
    "prandial casual aleatoria ultrassensivel us hs alta sensibilidade quantitativa quantitativo "
    "automatizada automatizado totais segmentados"
)


def resolve(name: str) -> tuple[LabRule | None, str]:
    """The rule for a result name, and the name's unit tokens (e.g. "mmol_l")."""
    key = fold_key(name)
    if key in _ALIAS:
        return _ALIAS[key], ""
    tokens = [t for t in key.split("_") if t]
    if not tokens:
        return None, ""
    head, tail = tokens[0], tokens[1:]
    core = [head] + [t for t in tail if t not in _UNIT_TOKENS and t not in _QUALIFIERS]
    units = "_".join(t for t in tail if t in _UNIT_TOKENS)
    # Single letters name the assay ("troponina I", "troponina T"), not another analyte.
    for candidate in ("_".join(core), "_".join(t for t in core if len(t) > 1 or t == head)):
        if candidate in _ALIAS:
            return _ALIAS[candidate], units
    return None, units


def _normalise_value(rule: LabRule, value: float, units: str) -> tuple[float, str | None]:
    """Value in the rule's unit, and a note when we converted it."""
    if rule.analito == "glicose" and "mmol" in units:
        return value * 18.0, "convertido de mmol/L (× 18)"
    if rule.analito == "lactato" and "mg" in units:
        return value / 9.0, "convertido de mg/dL (÷ 9)"
    if rule.analito == "troponina":
        per_ml = "ng_ml" in units or "ug_l" in units
        per_l = "ng_l" in units or "pg_ml" in units
        if per_ml or (not per_l and value < 1):
            return value * 1000.0, "convertido de ng/mL (× 1000)"
        return value, None
    if rule.thousands_below is not None and 0 < value < rule.thousands_below:
        return value * 1000.0, "informado em milhares (× 1000)"
    return value, None


def evaluate(name: str, value: float) -> dict[str, Any]:
    rule, units = resolve(name)
    if rule is None:
        return {"nome": name, "valor": value, "avaliado": False}
    v, note = _normalise_value(rule, value, units)
    if rule.low is not None and v < rule.low:
        flag = "critico_baixo"
    elif rule.high is not None and v > rule.high:
        flag = "critico_alto"
    else:
        flag = "sem_valor_critico"
    row: dict[str, Any] = {
        "nome": name,
        "analito": rule.analito,
        "descricao": rule.nome,
        "valor": value,
        "valor_normalizado": round(v, 4),
        "unidade": rule.unidade,
        "avaliado": True,
        "limites_criticos": {"min": rule.low, "max": rule.high},
        "avaliacao": flag,
    }
    if note:
        row["conversao"] = note
    return row


_FEMININE = frozenset(
    {"glicose", "hemoglobina", "plaquetas", "creatinina", "ureia", "troponina", "digoxina", "spo2"}
)
_PLURAL = frozenset({"leucocitos", "neutrofilos", "plaquetas"})


def describe(row: dict[str, Any]) -> str:
    rule = _ALIAS[row["analito"]] if row.get("analito") in _ALIAS else None
    decimals = rule.decimals if rule else None
    value = format_number(row["valor_normalizado"], decimals)
    word = "criticamente baixo" if row["avaliacao"] == "critico_baixo" else "criticamente alto"
    if row["analito"] in _FEMININE:
        word = word[:-1] + "a"
    if row["analito"] in _PLURAL:
        word += "s"
    unit = f" {row['unidade']}" if row.get("unidade") else ""
    return f"{row['descricao']} {value}{unit} ({word})"


# "Potássio: 6,8 mEq/L", "K+ = 2,1", "Hb 6,2", "Plaquetas: 15.000" inside a text report.
_TEXT_ALIASES = sorted(
    {a.replace("_", r"[\s_]+") for a in _ALIAS if len(a) >= 3 and not a.isdigit()}, key=len, reverse=True
)
TEXT_VALUE = re.compile(
    r"\b(?P<name>" + "|".join(_TEXT_ALIASES) + r"|k|na|ca|mg|hb|ht|cr|ur|ph|p)\b"
    r"(?P<sep>\s*\+?\s*(?:[:=]|\(\s*[a-z/%0-9]*\s*\))?\s*)"
    r"(?:serico|serica|plasmatico)?\s*[:=]?\s*"
    r"(?P<value>\d{1,3}(?:\.\d{3})+|\d+(?:[.,]\d+)?)(?![\d/])"
)
_SHORT_NAMES = frozenset({"k", "na", "ca", "mg", "hb", "ht", "cr", "ur", "p", "ph"})
_UNIT_AFTER = re.compile(r"\s*(?:g/dl|mg/dl|meq/l|mmol/l|%|/mm|mil\b|x\s*10|mmhg|ng/ml|ng/l|u/l|fl\b|pg\b)")


def text_values(text: str) -> list[tuple[str, float, int, int]]:
    """(name, value, start, end) for analyte values written in a normalised report text."""
    out = []
    for m in TEXT_VALUE.finditer(text):
        name = m.group("name")
        raw = m.group("value")
        value = (
            float(raw.replace(".", ""))
            if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw)
            else float(raw.replace(",", "."))
        )
        if name == "ph":
            if not 6.5 <= value <= 8.0:
                continue
        elif (
            name in _SHORT_NAMES
            and not re.search(r"[:=+]", m.group("sep"))
            and not _UNIT_AFTER.match(text, m.end())
        ):
            continue  # "p 3" or "ca 7" in prose are not lab values; "K: 6,8", "K+ 6,8" and "Hb 6,2 g/dL" are
        out.append((re.sub(r"[\s_]+", "_", name), value, m.start(), m.end()))
    return out
