"""Apply the backstop's verdict to a rules result (docs/clinical-engine.md, "Statistical backstop")."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from workers.findings import Finding

from ..lexicon import SYMPTOM_FAMILIES
from ..result import ClinicalAnalysis, symptom_alert_message
from .features import Composed
from .model import Verdict, score

CODE = "suspeita_critica"
DESCRIPTION = "Relato compatível com emergência (modelo estatístico do motor)"
SET_ASIDE = "modelo_estatistico"

# The CRITICAL symptom concepts of SPEC §7, as the lexicon grades them.
CRITICAL_CONCEPTS = frozenset(f.codigo for f in SYMPTOM_FAMILIES if f.severidade == "CRITICAL")
# What may be set aside: words about a symptom, never a number someone measured or scored.
MENTIONS = frozenset(f.codigo for f in SYMPTOM_FAMILIES) | {"febre_sem_medicao"}


# Under this many words the rules read a message alone: short texts are where they are exact and
# where the model, trained on chatty messages, is least sure ("não estou com dor no peito" scored
# high). No first-sight case was lost to this gate (docs/clinical-engine.md).
MIN_WORDS = 8
# A stretch of the message escalates only at this probability (or the whole message's threshold,
# whichever is higher): on the s8 sets 0.9 kept the stretches' extra catches and cost 2 silences.
WINDOW_THRESHOLD = 0.9
WINDOW_WORDS = 12
# Stretches are read only when the whole message already scores this much: on every labelled set
# the stretches that escalated came from messages at 0.62 and above, while those from messages
# under 0.3 were false alarms (docs/clinical-engine.md, "backstop9"). Reading them costs about
# twice the whole message's score, paid by every long message the rules leave silent.
WINDOW_GATE = 0.3


# Something done so that the symptom passes presupposes the symptom is there: "tomei o remédio pra ver
# se passa a dor no peito". The model reads "pra ver se" as a test of whether (hypothetical), so it
# never sets such a message's mentions aside.
_TRIED_TO_END = re.compile(
    r"\b(?:pra|para|p/)\s+ver\s+se\s+(?:(?:ela|ele|isso|a|o)\s+)?(?:passa|melhora|alivia|para|diminui|cede|some|acalma|"
    r"baixa|abaixa|sara|vai\s+embora)\b",
    re.IGNORECASE,
)


def review(analysis: ClinicalAnalysis, reading: Composed) -> ClinicalAnalysis:
    """`analysis` after the backstop has read the patient's message in its context. It escalates
    only a silent result: a HIGH the rules found is theirs to grade."""
    if len(reading.message.split()) < MIN_WORDS:
        return analysis
    if not analysis.achados:
        reading = _without_judged_readings(reading, analysis)
    verdict = score(reading.text())
    if verdict is None:
        return analysis
    if not analysis.achados and verdict.critical >= WINDOW_GATE:
        for window in reading.windows(WINDOW_WORDS):
            # Neutral words dilute an L2-normalised text: a critical sentence followed by an errand
            # scores lower than the sentence alone. A stretch of the message may therefore speak
            # for it, at a stricter threshold since there are several stretches to err on. Only
            # the critical head reads stretches; setting aside needs the whole message improbable.
            other = score(window.text(), verdict.weights)
            if other is not None and other.critical >= max(WINDOW_THRESHOLD, verdict.critical):
                verdict = replace(other, alert=verdict.alert)
    detalhes = {**analysis.detalhes, "modelo_estatistico": verdict.explain()}
    if analysis.achados:
        if (
            _only_mentions(analysis.achados)
            and verdict.alert < verdict.weights.alert.threshold
            and not _TRIED_TO_END.search(reading.message)
        ):
            return _set_aside(analysis, verdict, detalhes)
    elif verdict.critical >= verdict.weights.critical.threshold:
        return _escalate(analysis, verdict, detalhes)
    return analysis.model_copy(update={"detalhes": detalhes})


def _without_judged_readings(reading: Composed, analysis: ClinicalAnalysis) -> Composed:
    """The message without the measured readings the rules saw resolved ("deu 38,1" last week, "não
    voltou mais"): a number someone measured is the rules' to judge, as it is never the model's to set
    aside (`MENTIONS`). Other discarded readings stay: a normal one ("12 por 8") tells the model the
    message is calm. The model, which reads "38" as a fever's word, would otherwise escalate a
    reading the rules dated or saw resolved (s11c-009, s11c-111)."""
    message = reading.message
    for m in analysis.detalhes.get("mencoes_desconsideradas") or []:
        said = m.get("trecho")
        if (
            m.get("assercao") == "resolvido"
            and m.get("codigo") not in MENTIONS
            and isinstance(said, str)
            and any(c.isdigit() for c in said)  # a measured number, never a word ("febre")
            and said in message
        ):
            message = message.replace(said, " ")
    return reading if message is reading.message else replace(reading, message=message)


def _only_mentions(findings: list[Finding]) -> bool:
    return all(f.codigo in MENTIONS and f.valor is None for f in findings)


def _set_aside(analysis: ClinicalAnalysis, verdict: Verdict, detalhes: dict[str, Any]) -> ClinicalAnalysis:
    terms = verdict.terms(verdict.weights.alert, sign=-1.0)
    detalhes["modelo_estatistico"] |= {"decisao": "menções improváveis", "termos": terms}
    aside = [
        {
            "codigo": f.codigo,
            "descricao": f.descricao,
            "trecho": f.trecho,
            "assercao": "presente",
            "motivo": SET_ASIDE,
        }
        for f in analysis.achados
    ]
    detalhes["mencoes_desconsideradas"] = [*(detalhes.get("mencoes_desconsideradas") or []), *aside]
    resumo = (
        "Regras determinísticas: nenhum sinal de alarme mantido. Menções lidas como presentes e "
        f"desconsideradas pelo modelo estatístico (probabilidade de alerta {verdict.alert:.3f}, limiar "
        f"{verdict.weights.alert.threshold:.2f}; termos: {', '.join(terms)}): "
        + ", ".join(str(m["trecho"] or m["descricao"]) for m in aside)
        + "."
    )
    return analysis.model_copy(
        update={
            "achados": [],
            "severidade": None,
            "resumo": resumo,
            "detalhes": detalhes,
            "mensagem_alerta": None,
        }
    )


def _escalate(analysis: ClinicalAnalysis, verdict: Verdict, detalhes: dict[str, Any]) -> ClinicalAnalysis:
    terms = verdict.terms(verdict.weights.critical, sign=1.0)
    detalhes["modelo_estatistico"] |= {"decisao": "crítico", "termos": terms}
    # When the rules saw a critical concept and set it aside (negated, hypothetical, someone
    # else's...), the finding names that concept: the model overrules the assertion, not the reading.
    discarded = [
        m for m in detalhes.get("mencoes_desconsideradas") or [] if m.get("codigo") in CRITICAL_CONCEPTS
    ]
    code, description = (
        (str(discarded[0]["codigo"]), str(discarded[0].get("descricao") or DESCRIPTION))
        if discarded
        else (CODE, DESCRIPTION)
    )
    added = Finding(
        codigo=code,
        descricao=description,
        severidade="CRITICAL",
        trecho=", ".join(terms) or None,
        confianca=round(verdict.critical, 2),
    )
    achados = [added, *analysis.achados]
    resumo = (
        f"{analysis.resumo} Modelo estatístico: relato compatível com emergência (probabilidade "
        f"{verdict.critical:.2f}, limiar {verdict.weights.critical.threshold:.2f}; "
        f"termos: {', '.join(terms)})."
    )
    return analysis.model_copy(
        update={
            "achados": achados,
            "severidade": "CRITICAL",
            "resumo": resumo,
            "detalhes": detalhes,
            "mensagem_alerta": symptom_alert_message(achados),
        }
    )
