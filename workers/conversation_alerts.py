"""What only a conversation can alert on, decided without I/O (docs/agent-message.md).

- `SYMPTOM_WORSENING` (HIGH): the message says a symptom is getting worse (`clinical.worsening`),
  or a symptom stated earlier in the conversation is now stated stronger (a higher intensity
  level, or a higher temperature). Never for a symptom the engine rates CRITICAL in this message:
  that one is a `CRITICAL_SYMPTOM` alone.
- `SCORE_CHANGE` (HIGH, MEDIUM below pain 7): this message's 0–10 pain score is ≥ 3 above the last
  one of the conversation.
- Episodes: `episode_items` names the (finding, severity) pairs of an alert; the store decides
  per pair with `episode_decision`; `narrow` keeps the findings that still need an alert.

The caller (`workers.conversation_flow`) gathers what the conversation said before (the store's
earlier messages, else the patient's turns in `conversationHistory`) as `Prior` readings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from workers.clinical.worsening import COVERS, LABELS, Cue
from workers.findings import SEVERITY_RANK, AlertSeverity, AlertSpec

SCORE_RISE = 3
SCORE_HIGH_FROM = 7
# A temperature this much higher than an earlier one, at or above the febrile mark, is worse.
TEMP_RISE_C = 0.5
TEMP_FEBRILE_C = 37.8
UNNAMED = "sintoma"

EpisodeDecision = Literal["open", "escalate", "join", "same_task"]


@dataclass(frozen=True)
class Prior:
    """One earlier patient message of the conversation as the rules read it."""

    message_id: str | None
    pain: float | None = None
    temperature_c: float | None = None
    intensities: dict[str, int] = field(default_factory=dict)
    symptoms: tuple[str, ...] = ()
    source: Literal["store", "conversationHistory"] = "store"
    at: str | None = None


@dataclass(frozen=True)
class Current:
    message_id: str | None
    pain: float | None
    temperature_c: float | None
    intensities: dict[str, int]
    cues: list[Cue]
    critical_codes: frozenset[str]
    findings: list[dict[str, Any]]


def _key(prefix: str, codes: list[str]) -> str:
    return f"{prefix}:{hashlib.sha256('|'.join(sorted(codes)).encode()).hexdigest()[:16]}"


def score_change(current: Current, priors: list[Prior]) -> AlertSpec | None:
    """Priors newest first. The last earlier score, compared with this message's."""
    if current.pain is None:
        return None
    before = next((p for p in priors if p.pain is not None), None)
    if before is None or before.pain is None or current.pain - before.pain < SCORE_RISE:
        return None
    severity: AlertSeverity = "HIGH" if current.pain >= SCORE_HIGH_FROM else "MEDIUM"
    old, new = _n(before.pain), _n(current.pain)
    return AlertSpec(
        alert_key="conversa:score_change",
        type="SCORE_CHANGE",
        severity=severity,
        message=f"Escore de dor subiu de {old}/10 para {new}/10 na mesma conversa.",
        symptoms=["dor"],
        detected_by="rules_engine",
        context={
            "score": "dor_0_10",
            "previousScore": before.pain,
            "currentScore": current.pain,
            "previousMessageId": before.message_id,
            "currentMessageId": current.message_id,
            "previousSource": before.source,
            "findings": [{"codigo": "dor", "severidade": severity, "valor": current.pain}],
        },
    )


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _is_critical(symptom: str, current: Current) -> bool:
    if symptom == UNNAMED:
        return bool(current.critical_codes)
    return bool(COVERS.get(symptom, frozenset()) & current.critical_codes)


def worsening(current: Current, priors: list[Prior], context_symptom: str | None) -> AlertSpec | None:
    """One SYMPTOM_WORSENING for every symptom said, or shown, to be worse (not CRITICAL now).
    `context_symptom`: the symptom the conversation was about, for a bare "piorou muito"."""
    reasons: dict[str, dict[str, Any]] = {}
    for cue in current.cues:
        symptom = cue.symptom or context_symptom or UNNAMED
        reasons.setdefault(symptom, {"codigo": symptom, "motivo": "relato_de_piora", "trecho": cue.excerpt})
    for symptom, level in current.intensities.items():
        before = next((p for p in priors if symptom in p.intensities), None)
        if before is not None and level >= 3 and level > before.intensities[symptom]:
            reasons.setdefault(
                symptom,
                {
                    "codigo": symptom,
                    "motivo": "intensidade_maior_que_antes",
                    "nivelAnterior": before.intensities[symptom],
                    "nivelAtual": level,
                    "mensagemAnterior": before.message_id,
                },
            )
    if current.temperature_c is not None and current.temperature_c >= TEMP_FEBRILE_C:
        before = next((p for p in priors if p.temperature_c is not None), None)
        if (
            before is not None
            and before.temperature_c is not None
            and current.temperature_c - before.temperature_c >= TEMP_RISE_C
        ):
            reasons.setdefault(
                "febre",
                {
                    "codigo": "febre",
                    "motivo": "temperatura_maior_que_antes",
                    "valorAnterior": before.temperature_c,
                    "valorAtual": current.temperature_c,
                    "mensagemAnterior": before.message_id,
                },
            )
    kept = {s: r for s, r in reasons.items() if not _is_critical(s, current)}
    if not kept:
        return None
    codes = sorted(kept)
    names = ", ".join(LABELS.get(c, "sintoma") for c in codes)
    return AlertSpec(
        alert_key=_key("conversa:piora", codes),
        type="SYMPTOM_WORSENING",
        severity="HIGH",
        message=f"Paciente relata piora de sintoma(s): {names}.",
        symptoms=codes,
        detected_by="rules_engine",
        context={"findings": [{**kept[c], "severidade": "HIGH"} for c in codes]},
    )


# --- episodes -----------------------------------------------------------------------------------


def episode_items(spec: AlertSpec) -> list[tuple[str, str]]:
    """(episode key, severity) per finding of an alert: the same finding is the same type and
    code; its severity is the finding's own where the alert lists it."""
    per_code: dict[str, str] = {}
    for f in spec.context.get("findings") or []:
        if isinstance(f, dict) and f.get("codigo"):
            sev = str(f.get("severidade") or spec.severity)
            code = str(f["codigo"])
            if code not in per_code or SEVERITY_RANK.get(sev, 0) > SEVERITY_RANK.get(per_code[code], 0):
                per_code[code] = sev
    for code in spec.symptoms:
        per_code.setdefault(str(code), spec.severity)
    return [(f"{spec.type}:{code}", sev) for code, sev in sorted(per_code.items())]


def episode_decision(
    episode: dict[str, Any] | None, severity: str, task_id: str, now: datetime, window_s: int
) -> EpisodeDecision:
    """`episode`: the stored row (severity, task_id, alerted_at) or None."""
    if episode is None:
        return "open"
    if episode["task_id"] == task_id:
        return "same_task"  # a redelivered task: its alert goes on as before
    if (now - episode["alerted_at"]).total_seconds() >= window_s:
        return "open"
    if SEVERITY_RANK.get(severity, 0) > SEVERITY_RANK.get(episode["severity"], 0):
        return "escalate"
    return "join"


def narrow(spec: AlertSpec, keep: list[str]) -> AlertSpec:
    """The alert with only the findings (episode keys) in `keep`, under a key of its own."""
    codes = [k.split(":", 1)[1] for k in keep]
    if sorted(codes) == sorted(map(str, spec.symptoms)):
        return spec
    findings = [
        f for f in spec.context.get("findings") or [] if isinstance(f, dict) and f.get("codigo") in codes
    ]
    severities = [str(f.get("severidade")) for f in findings if f.get("severidade") in SEVERITY_RANK]
    prefix = spec.alert_key.split(":", 1)[0]
    return spec.model_copy(
        update={
            "alert_key": _key(prefix, codes),
            "symptoms": sorted(codes),
            "severity": max(severities, key=SEVERITY_RANK.__getitem__) if severities else spec.severity,
            "context": {**spec.context, "findings": findings},
        }
    )
