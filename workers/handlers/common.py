"""The one analysis pipeline every task type runs (docs/clinical-analysis.md).

1. The deterministic engine (always). Its alert is handed to delivery at once, before any LLM
   work starts, so a 60 s crew never delays a nurse's alert.
2. When an LLM is configured: the family's CrewAI crew and, for free-text clinical tasks, a
   langchain-openai triage call. Their findings join the rules' (union). They can add an alert
   (when the rules had none, or when they find something more severe), never remove one; an LLM
   failure only fills `analise_ia.*.erro`, the task still completes.
3. The result says which finding came from where (`achados[].origem`), with model and latency.

In the worker the two steps run as two stages (docs/workers.md): `ctx.mode == "rules"` stores the
rules' result with `analise_ia.estado = "pendente"` and marks the task for the LLM stage; there
`ctx.mode == "llm"` runs the same handler again, the deterministic part without re-sending its
alert, and returns the whole result with `estado` `concluida` or `falhou`. A handler called
directly (`mode == "inline"`) does both at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pydantic import BaseModel

from shared.catalog import kind
from workers.clinical import ClinicalAnalysis, analyze
from workers.context import TaskContext, TaskInfo
from workers.findings import SEVERITY_RANK, Finding, alert_from_findings, max_severity

ORIGEM_LABEL = {"regras": "motor de regras", "crew": "crew de IA", "triagem_llm": "triagem por LLM"}


def _ms(start: float) -> int:
    return round((time.perf_counter() - start) * 1000)


def _emit(
    ctx: TaskContext,
    findings: list[Finding],
    origem: Any,
    message: str | None,
    info: TaskInfo,
    extra: dict[str, Any],
    send: bool = True,
) -> bool:
    if not findings or not info.patient_id:
        return False
    spec = alert_from_findings(
        findings, origem=origem, message=message or _llm_message(findings), context=extra
    )
    if send:
        ctx.emit_alert(spec, info)
    return spec is not None


def _llm_message(findings: list[Finding]) -> str:
    names = ", ".join(dict.fromkeys(f.descricao for f in findings))
    return f"Segunda opinião por IA identificou: {names}. Requer avaliação da equipe de enfermagem."


def run_analysis(
    ctx: TaskContext,
    payload: BaseModel,
    info: TaskInfo | None = None,
    *,
    triage_text: str | None = None,
    crew_data: Callable[[ClinicalAnalysis], dict[str, Any]] | None = None,
    rules_as: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """`info`: the patient (no patient, no alert), conversation and names; `rules_as`: the
    (domain, task type) whose rules read `payload` when it is not the envelope's own."""
    env = ctx.envelope
    info = info or TaskInfo()
    started = time.perf_counter()
    analysis: ClinicalAnalysis = analyze(*(rules_as or (env.domain, env.task_type)), payload)
    rules_ms = _ms(started)
    alert_context = {
        "taskType": f"{env.domain}.{env.task_type}",
        "rulesVersion": analysis.versao_regras,
        **info.alert_context,
    }

    rules_alerted = _emit(
        ctx,
        analysis.achados,
        "regras",
        analysis.mensagem_alerta,
        info,
        alert_context,
        # The rules stage already handed this alert off; the LLM stage only needs to know.
        send=ctx.mode != "llm",
    )

    achados = [f.model_copy(update={"origem": "regras"}) for f in analysis.achados]
    analise_ia: dict[str, Any] | None = None
    if ctx.settings.llm_enabled and ctx.mode == "rules":
        analise_ia = {"estado": "pendente", "modelo": ctx.settings.llm_model}
        ctx.llm_pending = True
    elif ctx.settings.llm_enabled:
        analise_ia = _run_llm(
            ctx,
            payload,
            analysis,
            info,
            achados,
            rules_alerted,
            triage_text=triage_text,
            crew_data=crew_data,
            alert_context=alert_context,
        )

    severidade = max_severity(achados)
    por_origem: dict[str, list[str]] = {}
    for f in achados:
        por_origem.setdefault(f.origem, []).append(f.codigo)
    return {
        "task_type": env.task_type,
        "modo": "regras+ia" if analise_ia is not None else "regras",
        "severidade": severidade,
        "alerta": bool(achados) and bool(info.patient_id),
        "resumo": analysis.resumo,
        "achados": [f.model_dump(exclude_none=True) for f in achados],
        "origem_dos_achados": por_origem,
        "motor_regras": {
            "versao": analysis.versao_regras,
            "latencia_ms": rules_ms,
            "severidade": analysis.severidade,
            "resumo": analysis.resumo,
            "detalhes": analysis.detalhes,
        },
        "analise_ia": analise_ia,
        **(
            {}
            if analise_ia is not None
            else {"observacao": "LLM não configurado: resultado apenas do motor de regras determinístico."}
        ),
    }


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _llm_pool() -> ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=32, thread_name_prefix="crew")
        return _POOL


def _join(
    ctx: TaskContext,
    part: Any,
    achados: list[Finding],
    alerted: bool,
    rank: int,
    info: TaskInfo,
    alert_context: dict[str, Any],
) -> tuple[bool, int]:
    """Add an LLM part's new findings to the result; alert if they raise the alarm."""
    known = {f.codigo for f in achados}
    new = [f for f in part.achados if f.codigo not in known]
    achados.extend(new)
    top = max_severity(new)
    # Union of decisions: the LLM may raise the alarm the rules did not raise (or raise it
    # higher); restating what was already alerted on would only duplicate the alert.
    if (
        top is not None
        and (not alerted or SEVERITY_RANK[top] > rank)
        and _emit(ctx, new, part.fonte, None, info, {**alert_context, "model": part.modelo})
    ):
        return True, max(rank, SEVERITY_RANK[top])
    return alerted, rank


def _run_llm(
    ctx: TaskContext,
    payload: BaseModel,
    analysis: ClinicalAnalysis,
    info: TaskInfo,
    achados: list[Finding],
    rules_alerted: bool,
    *,
    triage_text: str | None,
    crew_data: Callable[[ClinicalAnalysis], dict[str, Any]] | None,
    alert_context: dict[str, Any],
) -> dict[str, Any]:
    # Imported here: a worker without an LLM never loads langchain or CrewAI.
    from workers.llm import run_crew, run_triage

    settings = ctx.settings
    env = ctx.envelope
    inputs = {
        "tipo_tarefa": f"{env.domain}.{env.task_type}",
        "dados": crew_data(analysis)
        if crew_data is not None
        else payload.model_dump(mode="json", exclude_none=True),
        "resumo_regras": {
            "resumo": analysis.resumo,
            "severidade": analysis.severidade,
            "achados": [f.model_dump(exclude_none=True) for f in analysis.achados],
        },
    }
    # The crew runs on its own thread while the (usually quicker) triage call runs here, so a
    # task waits for the slower of the two, not their sum, and a triage alert goes out before
    # the crew has finished.
    rules_rank = SEVERITY_RANK[analysis.severidade] if analysis.severidade else -1
    crew = kind(env.domain, env.task_type).crew_name
    crew_future = _llm_pool().submit(run_crew, crew, inputs, settings, names=info.names)
    parts = []
    alarm = (rules_alerted, rules_rank)

    def join(part: Any) -> None:
        nonlocal alarm
        parts.append(part)
        alarm = _join(ctx, part, achados, *alarm, info, alert_context)

    if triage_text:
        join(run_triage(triage_text, settings, names=info.names))
    join(crew_future.result())
    out: dict[str, Any] = {"modelo": settings.llm_model}
    for part in parts:
        key = "crew" if part.fonte == "crew" else "triagem"
        out[key] = part.model_dump(mode="json", exclude={"achados"}) | {
            "achados": [f.model_dump(exclude_none=True) for f in part.achados]
        }
    out.setdefault("triagem", None)
    # "falhou" when no LLM part answered; the rules' result and alerts stand either way.
    out["estado"] = "falhou" if parts and all(p.erro for p in parts) else "concluida"
    return {"estado": out.pop("estado"), **out}
