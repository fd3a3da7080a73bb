"""exames/hemograma: LOINC code, unit, adult reference range and flag per analyte.

Reference ranges are usual adult ranges of Brazilian laboratories; haemoglobin and haematocrit
differ by sex, and without `sexo` the union of both ranges is used (and `detalhes` says so).
Only the critical limits of docs/clinical-analysis.md raise findings; "baixo"/"alto" are informative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.messages import HemogramaPayload
from workers.findings import Finding

from .result import ClinicalAnalysis, build, lab_alert_message
from .text import format_number


@dataclass(frozen=True, slots=True)
class Analyte:
    campo: str
    analito: str
    nome: str
    loinc: str
    unidade: str
    ref_f: tuple[float, float]
    ref_m: tuple[float, float]
    critical_low: float | None = None
    critical_high: float | None = None
    decimals: int = 0

    def reference(self, sexo: str | None) -> tuple[float, float]:
        if sexo == "F":
            return self.ref_f
        if sexo == "M":
            return self.ref_m
        return min(self.ref_f[0], self.ref_m[0]), max(self.ref_f[1], self.ref_m[1])


def _same(lo: float, hi: float) -> tuple[tuple[float, float], tuple[float, float]]:
    return (lo, hi), (lo, hi)


ANALYTES: tuple[Analyte, ...] = (
    Analyte(
        "hemoglobina_g_dl",
        "hemoglobina",
        "Hemoglobina",
        "718-7",
        "g/dL",
        (12.0, 16.0),
        (13.5, 17.5),
        critical_low=7.0,
        critical_high=20.0,
        decimals=1,
    ),
    Analyte(
        "hematocrito_pct",
        "hematocrito",
        "Hematócrito",
        "4544-3",
        "%",
        (36.0, 48.0),
        (41.0, 53.0),
        critical_low=20.0,
        critical_high=60.0,
        decimals=1,
    ),
    Analyte(
        "leucocitos_mm3",
        "leucocitos",
        "Leucócitos",
        "6690-2",
        "/mm³",
        *_same(4000, 11000),
        critical_low=2000,
        critical_high=30000,
    ),
    Analyte(
        "neutrofilos_mm3", "neutrofilos", "Neutrófilos", "751-8", "/mm³", *_same(1800, 7700), critical_low=500
    ),
    Analyte("linfocitos_mm3", "linfocitos", "Linfócitos", "731-0", "/mm³", *_same(1000, 4800)),
    Analyte(
        "plaquetas_mm3",
        "plaquetas",
        "Plaquetas",
        "777-3",
        "/mm³",
        *_same(150000, 450000),
        critical_low=20000,
        critical_high=1000000,
    ),
    Analyte(
        "vcm_fl", "vcm", "VCM (volume corpuscular médio)", "787-2", "fL", *_same(80.0, 100.0), decimals=1
    ),
    Analyte(
        "hcm_pg", "hcm", "HCM (hemoglobina corpuscular média)", "785-6", "pg", *_same(27.0, 33.0), decimals=1
    ),
    Analyte(
        "chcm_g_dl",
        "chcm",
        "CHCM (concentração de hemoglobina corpuscular média)",
        "786-4",
        "g/dL",
        *_same(32.0, 36.0),
        decimals=1,
    ),
    Analyte(
        "rdw_pct",
        "rdw",
        "RDW (amplitude de distribuição dos eritrócitos)",
        "788-0",
        "%",
        *_same(11.5, 14.5),
        decimals=1,
    ),
)

FLAG_TEXT = {
    "critico_baixo": "criticamente baixo",
    "baixo": "baixo",
    "normal": "normal",
    "alto": "alto",
    "critico_alto": "criticamente alto",
}
_FEMININE = {"hemoglobina", "plaquetas", "hcm", "chcm"}
_PLURAL = {"leucocitos", "neutrofilos", "linfocitos", "plaquetas"}


def flag_for(value: float, ref: tuple[float, float], low: float | None, high: float | None) -> str:
    if low is not None and value < low:
        return "critico_baixo"
    if high is not None and value > high:
        return "critico_alto"
    if value < ref[0]:
        return "baixo"
    if value > ref[1]:
        return "alto"
    return "normal"


def _flag_text(a: Analyte, flag: str) -> str:
    """Portuguese agreement: "hemoglobina criticamente baixa", "plaquetas normais"."""
    text = FLAG_TEXT[flag]
    if text.endswith("o") and a.analito in _FEMININE:
        text = text[:-1] + "a"
    if a.analito in _PLURAL:
        text = text[:-1] + "is" if text.endswith("l") else text + "s"
    return text


@dataclass(frozen=True, slots=True)
class _Texts:
    """What `analyze_hemograma` writes of an analyte that does not depend on its value, for one
    sex (F, M or not informed), built once at import: the same strings the per-call code made."""

    analyte: Analyte
    short_name: str
    ref: tuple[float, float]
    lo: str
    hi: str
    flag_text: dict[str, str]


def _texts(a: Analyte, sexo: str | None) -> _Texts:
    ref = a.reference(sexo)
    return _Texts(
        a,
        a.nome.split(" (")[0],
        ref,
        format_number(ref[0], a.decimals),
        format_number(ref[1], a.decimals),
        {flag: _flag_text(a, flag) for flag in FLAG_TEXT},
    )


_BY_SEX: dict[str | None, tuple[_Texts, ...]] = {
    sexo: tuple(_texts(a, sexo) for a in ANALYTES) for sexo in ("F", "M", None)
}


def analyze_hemograma(p: HemogramaPayload) -> ClinicalAnalysis:
    res = p.resultados
    rows: list[dict[str, Any]] = []
    findings: list[Finding] = []
    lines: list[str] = []
    texts = _BY_SEX.get(p.sexo) or _BY_SEX[None]
    for t in texts:
        a = t.analyte
        value = getattr(res, a.campo)
        if value is None:
            continue
        ref = t.ref
        flag = flag_for(value, ref, a.critical_low, a.critical_high)
        rows.append(
            {
                "analito": a.analito,
                "nome": a.nome,
                "campo": a.campo,
                "loinc": a.loinc,
                "valor": value,
                "unidade": a.unidade,
                "referencia": {"min": ref[0], "max": ref[1]},
                "limites_criticos": {"min": a.critical_low, "max": a.critical_high},
                "flag": flag,
            }
        )
        v = format_number(value, a.decimals)
        flag_text = t.flag_text[flag]
        lines.append(f"{t.short_name} {v} {a.unidade} — {flag_text} (referência {t.lo}–{t.hi})")
        if flag.startswith("critico"):
            findings.append(
                Finding(
                    codigo=a.analito,
                    severidade="CRITICAL",
                    descricao=f"{t.short_name} {v} {a.unidade} ({flag_text})",
                    valor=value,
                    unidade=a.unidade,
                    trecho=f"{a.campo} = {v}",
                )
            )

    observacoes: list[str] = []
    if p.sexo is None:
        observacoes.append(
            "Sexo não informado: hemoglobina e hematócrito avaliados pela faixa combinada "
            "(feminina + masculina)."
        )
    if p.idade_anos is not None and p.idade_anos < 18:
        observacoes.append("Faixas de referência de adulto; interpretar com cautela em paciente pediátrico.")
    if (
        res.neutrofilos_mm3 is not None
        and res.leucocitos_mm3 is not None
        and res.neutrofilos_mm3 > res.leucocitos_mm3
    ):
        observacoes.append("Neutrófilos maiores que leucócitos totais: verificar unidades ou digitação.")
    if (
        res.linfocitos_mm3 is not None
        and res.leucocitos_mm3 is not None
        and res.linfocitos_mm3 > res.leucocitos_mm3
    ):
        observacoes.append("Linfócitos maiores que leucócitos totais: verificar unidades ou digitação.")

    detalhes: dict[str, Any] = {
        "sexo": p.sexo,
        "idade_anos": p.idade_anos,
        "referencia_usada": {"F": "feminina", "M": "masculina"}.get(
            p.sexo or "", "combinada (sexo não informado)"
        ),
        "analitos": rows,
        "criticos": [f.codigo for f in findings],
        "observacoes": observacoes,
    }
    resumo = "Hemograma: " + "; ".join(lines) + "."
    resumo += f" {len(findings)} valor(es) crítico(s)." if findings else " Nenhum valor crítico."
    if observacoes:
        resumo += " " + " ".join(observacoes)
    return build(findings, resumo, detalhes, lab_alert_message("Valores críticos no hemograma", findings))
