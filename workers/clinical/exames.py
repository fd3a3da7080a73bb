"""exames/imagem and exames/generico: critical findings in report text, critical lab values.

Report text is read in LAUDO mode: negations typical of radiology ("sem sinais de pneumotórax",
"não há evidência de hemorragia", "descartado TEP", "TEP: ausente"), the request reason
("Indicação: suspeita de TEP") and resolved findings ("pneumotórax resolvido") do not alert;
"não é possível descartar TEP" does.
"""

from __future__ import annotations

from typing import Any

from shared.messages import ExameGenericoPayload, ImagemPayload
from workers.findings import Finding

from . import labs
from .lexicon import IMAGING_FAMILIES
from .negation import Mode, suppression
from .result import MOTIVO_LABELS, ClinicalAnalysis, build, lab_alert_message
from .symptoms import Mention, make_scanner, scan_families

TIPO_LABEL = {
    "raio_x": "raio-X",
    "tomografia": "tomografia",
    "ressonancia": "ressonância magnética",
    "ultrassom": "ultrassonografia",
    "mamografia": "mamografia",
}


def _report_findings(text: str) -> tuple[list[Finding], list[Mention], list[Mention], Any]:
    sc = make_scanner(text, Mode.LAUDO)
    mentions = scan_families(sc, IMAGING_FAMILIES)
    findings: dict[str, Finding] = {}
    for m in mentions:
        if m.counts and m.codigo not in findings:
            findings[m.codigo] = Finding(
                codigo=m.codigo, descricao=m.descricao, severidade="CRITICAL", trecho=m.trecho
            )
    return (
        list(findings.values()),
        [m for m in mentions if m.counts],
        [m for m in mentions if not m.counts],
        sc,
    )


def _resumo_laudo(findings: list[Finding], discarded: list[Mention], prefix: str) -> str:
    if findings:
        text = (
            f"{prefix}: achado(s) crítico(s) — "
            + "; ".join(f'{f.descricao} ("{f.trecho}")' for f in findings)
            + "."
        )
    else:
        text = f"{prefix}: nenhum achado crítico identificado pelas regras."
    if discarded:
        text += (
            " Menções desconsideradas: "
            + ", ".join(f"{m.trecho} ({MOTIVO_LABELS.get(m.motivo or '', m.motivo)})" for m in discarded[:8])
            + "."
        )
    return text


def analyze_imagem(p: ImagemPayload) -> ClinicalAnalysis:
    tipo = p.tipo_exame.value
    findings, counted, discarded, sc = _report_findings(p.laudo)
    detalhes: dict[str, Any] = {
        "tipo_exame": tipo,
        "regiao": p.regiao,
        "achados_criticos": [m.as_dict() for m in counted],
        "mencoes_desconsideradas": [m.as_dict() for m in discarded],
        "secoes_de_indicacao": len(sc.indications or []),
    }
    label = TIPO_LABEL.get(tipo, tipo)
    message = lab_alert_message(f"Achado crítico em laudo de {label}", findings)
    return build(findings, _resumo_laudo(findings, discarded, f"Laudo de {label}"), detalhes, message)


def analyze_exame_generico(p: ExameGenericoPayload) -> ClinicalAnalysis:
    findings: list[Finding] = []
    detalhes: dict[str, Any] = {"tipo_exame": p.tipo_exame}
    resumo_parts: list[str] = []

    if p.resultado_texto:
        text_findings, counted, discarded, sc = _report_findings(p.resultado_texto)
        findings.extend(text_findings)
        detalhes["achados_criticos"] = [m.as_dict() for m in counted]
        detalhes["mencoes_desconsideradas"] = [m.as_dict() for m in discarded]
        resumo_parts.append(_resumo_laudo(text_findings, discarded, "Texto do resultado"))
        text_rows = []
        for name, value, start, end in labs.text_values(sc.t):
            row = labs.evaluate(name, value)
            row["trecho"] = sc.norm.excerpt(start, end)
            reason = suppression(sc.t, start, end, Mode.LAUDO, sc.ctx)
            if reason:
                row["motivo"] = reason
            text_rows.append(row)
        detalhes["valores_no_texto"] = text_rows
    else:
        text_rows = []

    rows = [labs.evaluate(name, value) for name, value in (p.resultados or {}).items()]
    detalhes["valores"] = [r for r in rows if r["avaliado"]]
    detalhes["nao_avaliados"] = [r["nome"] for r in rows if not r["avaliado"]]

    seen: set[str] = set()
    for row in [*rows, *text_rows]:
        if not row.get("avaliado") or row.get("motivo") or not row["avaliacao"].startswith("critico"):
            continue
        if row["analito"] in seen:
            continue
        seen.add(row["analito"])
        findings.append(
            Finding(
                codigo=row["analito"],
                descricao=labs.describe(row),
                severidade="CRITICAL",
                valor=row["valor_normalizado"],
                unidade=row["unidade"] or None,
                trecho=row.get("trecho") or f"resultados[{row['nome']!r}] = {row['valor']}",
            )
        )
    evaluated = detalhes["valores"]
    if evaluated or detalhes["nao_avaliados"]:
        crit = [labs.describe(r) for r in evaluated if r["avaliacao"].startswith("critico")]
        part = f"{len(evaluated)} valor(es) avaliado(s)"
        part += f"; críticos: {'; '.join(crit)}" if crit else "; nenhum valor crítico"
        if detalhes["nao_avaliados"]:
            part += f"; sem regra (não avaliados): {', '.join(detalhes['nao_avaliados'][:20])}"
        resumo_parts.append(f"Resultados numéricos: {part}.")
    detalhes["criticos"] = [f.codigo for f in findings]
    message = lab_alert_message("Resultado crítico em exame", findings)
    return build(findings, " ".join(resumo_parts) or "Nenhum resultado avaliável.", detalhes, message)
