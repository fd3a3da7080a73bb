"""The conversation around one agent message: earlier messages, episodes and the follow-up.

`ConversationServices` is what a `clinico.mensagem` run gets in `TaskContext.conversation`
(docs/agent-message.md):

- `gate(spec, info)`: every alert of a task that belongs to a conversation passes here first.
  Per finding, the store decides whether it opens an episode, escalates one (a higher severity),
  or joins the open one inside ALERT_EPISODE_WINDOW_S; only opening or escalating findings are
  sent. A redelivered task keeps its own episode, so its alert goes on as before.
- `assess(...)`: after the rules, reads this message against the conversation's earlier ones
  (the store's, then the patient's turns in `conversationHistory`) for SCORE_CHANGE and
  SYMPTOM_WORSENING (`workers.conversation_alerts`) and emits them.
- `conclude(...)`: remembers this message and, when the reply asks a red-flag question,
  schedules the NO_RESPONSE follow-up (`workers.followup`).

The store is read only when this message could need the past (a pain score, a symptom said
strongly, a temperature). The message's own row is committed with the task's `completed` status
(`TaskContext.on_complete`); the follow-up is published once that is committed
(`TaskContext.after_commit`) and confirmed before the ack, not before the reply: neither adds a
wait to the handler or to the reply. A redelivered completed task parks it again (`park_again`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from shared.config import Settings
from shared.messages import Envelope
from shared.store.conversations import ConversationLog
from workers.clinical.conversation import Turn, read
from workers.clinical.negation import Mode
from workers.clinical.symptoms import scan_text
from workers.clinical.worsening import COVERS, intensities, symptoms_in, worsening_cues
from workers.context import TaskContext, TaskInfo
from workers.conversation_alerts import (
    TEMP_FEBRILE_C,
    Current,
    Prior,
    episode_decision,
    episode_items,
    narrow,
    score_change,
    worsening,
)
from workers.findings import SEVERITY_RANK, AlertSpec
from workers.followup import FollowUps


class ConversationServices:
    def __init__(self, settings: Settings, log_: ConversationLog, followups: FollowUps | None) -> None:
        self.settings = settings
        self.log = log_
        self.followups = followups

    # --- episodes ------------------------------------------------------------------------------

    def gate(self, spec: AlertSpec, info: TaskInfo) -> tuple[AlertSpec | None, list[dict[str, Any]]]:
        """The alert to send (narrowed to new or escalated findings), or None; and the findings
        that joined an open episode instead."""
        window = self.settings.alert_episode_window_s
        if window <= 0 or not info.conversation_id:
            return spec, []
        items = episode_items(spec)
        decisions = self.log.claim_episodes(
            info.tenant_id, info.conversation_id, info.task_id, items, self._decide
        )
        return _narrowed(spec, items, decisions)

    def gate_op(
        self, specs: list[AlertSpec], info: TaskInfo
    ) -> Callable[[Connection], list[tuple[AlertSpec | None, list[dict[str, Any]]]]] | None:
        """`gate` for several alerts of one task as a write for the rules batch's transaction
        (one claim, keys in sorted order); None when episodes do not apply (every alert is sent)."""
        if self.settings.alert_episode_window_s <= 0 or not info.conversation_id:
            return None
        per_spec = [episode_items(s) for s in specs]
        severity: dict[str, str] = {}
        for key, sev in (it for its in per_spec for it in its):
            if key not in severity or SEVERITY_RANK.get(sev, 0) > SEVERITY_RANK.get(severity[key], 0):
                severity[key] = sev
        claim = self.log.claim_op(
            info.tenant_id, info.conversation_id, info.task_id, list(severity.items()), self._decide
        )

        def op(conn: Connection) -> list[tuple[AlertSpec | None, list[dict[str, Any]]]]:
            decisions = claim(conn)
            return [_narrowed(s, its, decisions) for s, its in zip(specs, per_spec, strict=True)]

        return op

    def _decide(self, row: dict[str, Any] | None, severity: str, task_id: str, ts: datetime) -> str:
        return episode_decision(row, severity, task_id, ts, self.settings.alert_episode_window_s)

    # --- one message against the conversation ----------------------------------------------------

    def assess(
        self,
        ctx: TaskContext,
        info: TaskInfo,
        message: str,
        read_as: str,
        history: Sequence[Turn],
        result: dict[str, Any],
    ) -> Assessment:
        return assess(ctx, info, message, read_as, history, result, self.log)

    def conclude(
        self, ctx: TaskContext, info: TaskInfo, assessment: Assessment, question: str | None
    ) -> None:
        """Remember this message, and schedule the follow-up of `question` (the red-flag
        question the reply asks, if any). Rules stage only: the LLM stage runs the handler
        again for the crew."""
        conversation_id = info.conversation_id
        if not conversation_id or ctx.mode == "llm":
            return
        current = assessment.current
        ctx.on_complete.append(
            self.log.record_op(
                {
                    "task_id": ctx.task_id,
                    "tenant_id": ctx.tenant_id,
                    "conversation_id": conversation_id,
                    "message_id": info.message_id,
                    "received_at": ctx.envelope.created_at,
                    "pain_score": current.pain,
                    "temperature_c": current.temperature_c,
                    "intensities": current.intensities or None,
                    "symptoms": sorted({f["codigo"] for f in current.findings}) or None,
                    "followup_question": question,
                }
            )
        )
        followups = self.followups
        if question and followups is not None and info.patient_id:
            task = replace(info, task_id=ctx.task_id, tenant_id=ctx.tenant_id)
            asked_at, severity = ctx.envelope.created_at, assessment.severity or "HIGH"
            # Published once the task's `completed` is committed: the reply does not wait for the
            # broker's confirm, the ack does; a task whose write failed parks nothing.
            ctx.after_commit.append(
                lambda: followups.schedule(task, question=question, asked_at=asked_at, severity=severity)
            )

    def park_again(self, envelope: Envelope, result: Any) -> Future[None] | None:
        """The follow-up of a completed task, parked again for a redelivery: the first run
        acked only once it was confirmed, so a redelivery may come from a run whose follow-up
        never was. Parked twice is harmless: its NO_RESPONSE alert key is fixed per question."""
        conversa = result.get("conversa") if isinstance(result, dict) else None
        question = conversa.get("perguntaDeSeguimento") if isinstance(conversa, dict) else None
        payload = envelope.payload if isinstance(envelope.payload, dict) else {}
        patient_id = payload.get("patientId") or payload.get("patient_id")
        conversation_id = payload.get("conversationId") or payload.get("conversation_id")
        if not question or self.followups is None or not patient_id or not conversation_id:
            return None
        assert isinstance(conversa, dict)
        severities = [a.get("severity") for a in conversa.get("alertas") or [] if isinstance(a, dict)]
        severity = max(
            (s for s in severities if s in SEVERITY_RANK), key=SEVERITY_RANK.__getitem__, default="HIGH"
        )
        info = TaskInfo(
            task_id=str(envelope.task_id),
            tenant_id=envelope.tenant_id,
            patient_id=str(patient_id),
            conversation_id=str(conversation_id),
            message_id=payload.get("messageId") or payload.get("message_id"),
        )
        return self.followups.schedule(
            info, question=str(question), asked_at=envelope.created_at, severity=severity
        )


def _narrowed(
    spec: AlertSpec, items: list[tuple[str, str]], decisions: dict[str, str]
) -> tuple[AlertSpec | None, list[dict[str, Any]]]:
    """The alert narrowed to its opening or escalating findings (None when all joined), and the
    findings that joined an open episode."""
    keys = [k for k, _ in items]
    send = [k for k in keys if decisions[k] != "join"]
    joined = [
        {"type": spec.type, "finding": k.split(":", 1)[1], "episode": "joined"}
        for k in keys
        if decisions[k] == "join"
    ]
    return (narrow(spec, send) if send else None), joined


@dataclass
class Assessment:
    current: Current
    alerts: list[AlertSpec]
    priors_read: int
    severity: str | None = None

    def explain(self, ctx: TaskContext, question: str | None) -> dict[str, Any]:
        """What the result says about the conversation (`result.conversa`)."""
        return {
            "alertas": [
                {"type": s.type, "severity": s.severity, "message": s.message, "context": s.context}
                for s in self.alerts
            ],
            "episodios": list(ctx.episodes_joined),
            "perguntaDeSeguimento": question,
            "mensagensAnterioresLidas": self.priors_read,
        }


def assess(
    ctx: TaskContext,
    info: TaskInfo,
    message: str,
    read_as: str,
    history: Sequence[Turn],
    result: dict[str, Any],
    log_: ConversationLog | None = None,
) -> Assessment:
    """SCORE_CHANGE and SYMPTOM_WORSENING for this message against the conversation's earlier
    messages (the store's when `log_` is given, then the patient's turns in the history); the
    rules stage emits them."""
    detalhes = result["motor_regras"]["detalhes"]
    findings = result["achados"]
    current = Current(
        message_id=info.message_id,
        pain=(detalhes.get("dor") or {}).get("maxima"),
        temperature_c=(detalhes.get("temperatura") or {}).get("maxima_c"),
        intensities=intensities(read_as),
        cues=worsening_cues(message),
        critical_codes=frozenset(f["codigo"] for f in findings if f["severidade"] == "CRITICAL"),
        findings=findings,
    )
    env = ctx.envelope
    priors: list[Prior] = []
    if _needs_past(current):
        if log_ is not None and info.conversation_id:
            rows = log_.earlier(env.tenant_id, info.conversation_id, env.created_at, ctx.task_id)
            priors = [_prior_from_row(r) for r in rows]
        priors += history_priors(history)
    context_symptom = _context_symptom(history) if any(c.symptom is None for c in current.cues) else None
    specs = [s for s in (score_change(current, priors), worsening(current, priors, context_symptom)) if s]
    if ctx.mode != "llm":
        # The LLM stage runs the handler again for the crew; the rules stage sent these.
        for spec in specs:
            ctx.emit_alert(spec, info)
    top = max((s.severity for s in specs), key=SEVERITY_RANK.__getitem__, default=None)
    return Assessment(current, specs, len(priors), top)


def _needs_past(current: Current) -> bool:
    """Whether any reading of this message could compare with an earlier one."""
    if current.pain is not None:
        return True
    if current.temperature_c is not None and current.temperature_c >= TEMP_FEBRILE_C:
        return True
    return any(
        level >= 3 and not (COVERS.get(symptom, frozenset()) & current.critical_codes)
        for symptom, level in current.intensities.items()
    )


def _prior_from_row(row: dict[str, Any]) -> Prior:
    received = row.get("received_at")
    return Prior(
        message_id=row.get("message_id"),
        pain=row.get("pain_score"),
        temperature_c=row.get("temperature_c"),
        intensities=dict(row.get("intensities") or {}),
        symptoms=tuple(row.get("symptoms") or ()),
        source="store",
        at=received.isoformat() if isinstance(received, datetime) else None,
    )


def history_priors(history: Sequence[Turn]) -> list[Prior]:
    """The patient's earlier turns as readings, newest first. A short answer is read against the
    question before it (a bare "3" after "de 0 a 10, quanto dói?" is a pain score)."""
    out: list[Prior] = []
    for i in range(len(history) - 1, -1, -1):
        turn = history[i]
        if turn.role != "patient" or not turn.content.strip():
            continue
        text = read(turn.content, history[:i]).text
        scan = scan_text(text, Mode.QUEIXA)
        pains = [m.valor for m in scan.counted(scan.pain_scores) if m.valor is not None]
        temps = [m.valor for m in scan.counted(scan.temperatures) if m.valor]
        out.append(
            Prior(
                message_id=None,
                pain=max(pains) if pains else None,
                temperature_c=max(temps) if temps else None,
                intensities=intensities(text),
                source="conversationHistory",
            )
        )
    return out


def _context_symptom(history: Sequence[Turn]) -> str | None:
    """What a bare "piorou muito" is about: the last turn (the care team's question or the
    patient's own earlier message) that names a symptom."""
    for turn in reversed(history):
        found = symptoms_in(turn.content)
        if found:
            return found[0]
    return None
