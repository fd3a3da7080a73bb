"""The LLM layer of the workers: CrewAI crews and the langchain-openai triage call (docs/llm.md).

Everything here is an *addition* to the deterministic engine: a handler runs its rules first,
then, when an LLM is configured, `run_crew` and (for free text) `run_triage`, and alerts on the
union of the findings. Both functions never raise: a timeout, an HTTP error or a malformed answer
comes back in `LlmPartResult.erro`, and the rules' result stands alone.

Guarantees this module gives its callers:

* crewai and langchain are imported lazily, inside the calls, so a worker without an LLM never
  loads them (they cost ~180 MB and ~100 MB of RSS);
* CrewAI telemetry / tracing and LangSmith tracing are switched off in the process before any of
  them is imported (`shared.telemetry`, run when this module is imported);
* one budget, `LLM_TIMEOUT_S`, bounds a whole crew run or triage call: every HTTP request gets
  only the time left, the OpenAI SDK's retries are off (CrewAI's own 429 retry runs only while
  its back-off fits in the budget), and the caller stops waiting at the budget plus
  `_JOIN_MARGIN_S` whatever the library does;
* when `LLM_BASE_URL` is not a loopback/private address (api.openai.com included), the prompts
  carry no CPF, phone number, e-mail, patient name or patient id (`redact`).

Pure of pika: handlers call these functions from their worker threads.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from importlib import import_module
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field

from shared import catalog
from shared.config import Settings
from shared.telemetry import quiet_third_party_telemetry
from workers import observability
from workers.crews import CREWS, config_dir
from workers.crews.models import AchadoIA, TriageOutput
from workers.findings import SEVERITY_RANK, Finding
from workers.redaction import endpoint_is_local, llm_available, redact, strip_accents

quiet_third_party_telemetry()

log = logging.getLogger(__name__)

T = TypeVar("T")

# How long past the budget the caller waits for a library that ignores its own timeouts.
_JOIN_MARGIN_S = 1.0
_MAX_LIST_ITEMS = 20
_MAX_STR_CHARS = 4_000
_MAX_INPUT_CHARS = 16_000
_MAX_ERROR_CHARS = 500


class LlmPartResult(BaseModel):
    """One LLM contribution to a task result; goes into the result's `analise_ia`."""

    fonte: Literal["crew", "triagem_llm"]
    crew: str | None = None
    modelo: str
    latencia_ms: int = 0
    saida: dict[str, Any] | None = None
    achados: list[Finding] = Field(default_factory=list)
    erro: str | None = None
    redigido: bool = Field(default=False, description="identificadores removidos antes do envio")


class LlmTimeout(TimeoutError):
    pass


# --- bounded execution ---------------------------------------------------------------------------


def _run_bounded(fn: Callable[[], T], wait_s: float, name: str) -> T:
    """Run `fn` in a daemon thread and stop waiting after `wait_s`.

    The library calls have their own (budget-clamped) HTTP timeouts; this is the backstop for
    anything they do not cover (a server trickling bytes, a retry loop we did not foresee), so the
    worker thread is released on time. An abandoned run finds its budget spent at its next request.
    """
    box: dict[str, Any] = {}
    done = threading.Event()
    context = contextvars.copy_context()

    def target() -> None:
        try:
            box["value"] = context.run(fn)
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, name=name, daemon=True).start()
    if not done.wait(wait_s):
        raise LlmTimeout(f"sem resposta do LLM em {wait_s:.1f} s")
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def _load_malloc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return None


_MALLOC_TRIM = _load_malloc_trim()


def _release_memory() -> None:
    """Give freed heap back to the OS after a crew run.

    A crew run allocates a few MB in short-lived threads (CrewAI runs each agent in its own event
    loop and thread pool); glibc keeps those pages in per-thread arenas, so a worker's RSS crept
    from ~200 MB to ~365 MB over a thousand runs. Trimming keeps it near ~300 MB.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return text if len(text) <= _MAX_ERROR_CHARS else text[: _MAX_ERROR_CHARS - 1] + "…"


def _elapsed_ms(start: float) -> int:
    return int((time.monotonic() - start) * 1000)


# --- inputs and findings -------------------------------------------------------------------------


def _compact(obj: Any) -> Any:
    """Bound what a prompt can carry: a 10 000-record ingestion batch becomes a sample."""
    if isinstance(obj, dict):
        return {k: _compact(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        items = [_compact(v) for v in obj[:_MAX_LIST_ITEMS]]
        if len(obj) > _MAX_LIST_ITEMS:
            items.append(f"... mais {len(obj) - _MAX_LIST_ITEMS} itens omitidos (total {len(obj)})")
        return items
    if isinstance(obj, str) and len(obj) > _MAX_STR_CHARS:
        return obj[:_MAX_STR_CHARS] + " ... [texto truncado]"
    return obj


def _as_prompt_text(value: Any) -> str:
    if value is None:
        return "{}"
    text = value if isinstance(value, str) else json.dumps(_compact(value), ensure_ascii=False, default=str)
    if len(text) > _MAX_INPUT_CHARS:
        text = text[:_MAX_INPUT_CHARS] + " ... [truncado]"
    return text


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", strip_accents(text).lower()).strip("_")
    return slug[:60] or "achado"


def _to_findings(
    items: Iterable[Any], *, origem: Literal["crew", "triagem_llm"], confianca: float | None
) -> list[Finding]:
    """CRITICAL/HIGH items become Findings (one per code, the highest severity wins)."""
    best: dict[str, Finding] = {}
    for item in items:
        if getattr(item, "negado", False) or item.severidade not in ("CRITICAL", "HIGH"):
            continue
        finding = Finding(
            codigo=_slug(item.codigo or item.descricao),
            descricao=(item.descricao or item.codigo)[:200],
            severidade=item.severidade,
            origem=origem,
            trecho=item.trecho[:300] if item.trecho else None,
            confianca=confianca if confianca is not None else 0.5,
        )
        current = best.get(finding.codigo)
        if current is None or SEVERITY_RANK[finding.severidade] > SEVERITY_RANK[current.severidade]:
            best[finding.codigo] = finding
    return list(best.values())


def _crew_findings(saida: BaseModel) -> list[Finding]:
    achados: list[AchadoIA] = list(
        getattr(saida, "achados", None) or getattr(saida, "achados_criticos", None) or []
    )
    return _to_findings(achados, origem="crew", confianca=getattr(saida, "confianca", None))


# --- the crew ------------------------------------------------------------------------------------


def _input(inputs: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in inputs:
            return inputs[key]
    return None


_PRELOAD_LOCK = threading.Lock()
_preloaded = False


def preload() -> None:
    """Import and build everything the LLM calls need, once, in one thread.

    Handlers run in up to WORKER_CONCURRENCY threads; first-time imports racing in several of them
    (the OpenAI SDK loads `openai.resources.chat` lazily, from both CrewAI and LangChain) ended in
    `_DeadlockError: deadlock detected by _ModuleLock`. Call this at worker start-up when an LLM
    is configured (it also keeps CrewAI's ~2 s import out of the first task); `run_crew` and
    `run_triage` call it too, so concurrent first calls wait here instead of racing. No network.
    """
    global _preloaded
    if _preloaded:
        return
    with _PRELOAD_LOCK:
        if _preloaded:
            return
        import openai

        runtime = import_module("workers.crews.runtime")
        for client in (
            openai.OpenAI(api_key="preload", base_url="http://127.0.0.1:9/v1"),
            openai.AsyncOpenAI(api_key="preload", base_url="http://127.0.0.1:9/v1"),
        ):
            _ = (client.chat.completions, client.beta.chat.completions)
        # model_construct: no environment read, nothing to validate; the port is never dialled.
        offline = Settings.model_construct(
            llm_model="preload", llm_base_url="http://127.0.0.1:9/v1", openai_api_key=None, llm_timeout_s=1.0
        )
        for family in CREWS:  # built, never kicked off
            runtime.build_crew(
                config_dir(family), _output_model(family), runtime.build_llm(offline, time.monotonic())
            )
        for method in ("json_schema", "function_calling"):
            _structured_triage("preload", "http://127.0.0.1:9/v1", None, 1.0, method)
        _preloaded = True


def _output_model(family: str) -> type[BaseModel]:
    return catalog.CREWS[family].output_model


def run_crew(
    family: str, inputs: dict[str, Any], settings: Settings, *, names: Sequence[str] = ()
) -> LlmPartResult:
    """Run the crew of one task family; never raises.

    `inputs`: `tipo_tarefa` (or `task_type`), `dados` (or `payload`: the task payload, dict) and
    `resumo_regras` (or `regras`: the deterministic engine's result, dict or text). `names`: extra
    names to remove from the prompts (names in name fields of `inputs` are found automatically).
    """
    result = LlmPartResult(fonte="crew", crew=family, modelo=settings.llm_model)
    if family not in CREWS:
        result.erro = f"crew desconhecida: {family!r}"
        return result
    if not llm_available(settings):
        result.erro = "LLM não configurado (OPENAI_API_KEY / LLM_BASE_URL ausentes)"
        return result

    start = time.monotonic()
    try:
        prepared: dict[str, Any] = {
            "tipo_tarefa": _input(inputs, "tipo_tarefa", "task_type") or family,
            "dados": _input(inputs, "dados", "payload"),
            "resumo_regras": _input(inputs, "resumo_regras", "regras"),
        }
        if not endpoint_is_local(settings):
            prepared = redact(prepared, names=names)
            result.redigido = True
        crew_inputs = {key: _as_prompt_text(value) for key, value in prepared.items()}
        preload()
        runtime = import_module("workers.crews.runtime")
        output_model = _output_model(family)
        start = time.monotonic()  # the budget covers the LLM, not a first-time import
        deadline = start + settings.llm_timeout_s

        def kickoff() -> BaseModel:
            llm = runtime.build_llm(settings, deadline)
            output = runtime.build_crew(config_dir(family), output_model, llm).kickoff(inputs=crew_inputs)
            typed = output.pydantic
            if not isinstance(typed, output_model):
                raise ValueError(f"a crew não devolveu {output_model.__name__}: {str(output.raw)[:200]!r}")
            return typed

        with observability.llm_call("crew", family):
            saida = _run_bounded(kickoff, settings.llm_timeout_s + _JOIN_MARGIN_S, f"crew-{family}")
        result.saida = saida.model_dump(mode="json")
        result.achados = _crew_findings(saida)
    except Exception as exc:
        result.erro = _describe(exc)
        log.warning("crew %s failed after %d ms: %s", family, _elapsed_ms(start), result.erro)
    result.latencia_ms = _elapsed_ms(start)
    _release_memory()
    return result


# --- the triage call -----------------------------------------------------------------------------

TRIAGE_SYSTEM_PROMPT = """\
Você é enfermeiro(a) de triagem oncológica em um hospital brasileiro. Extraia do texto do paciente
TODOS os sintomas e sinais mencionados, em português, inclusive os que o paciente nega.
Para cada um: codigo (snake_case sem acentos, p. ex. dispneia, dor_toracica, febre, sangramento,
vomitos_persistentes), descricao curta, severidade, negado (true quando o paciente nega o sintoma,
p. ex. "nega febre", "sem falta de ar", "não tive sangramento") e trecho (as palavras exatas do texto).
Severidade CRITICAL: falta de ar, dor no peito, sangramento ativo (inclui vômito com sangue, tosse
com sangue, fezes pretas), convulsão, desmaio, confusão mental, sinais de AVC, anafilaxia, ideação
suicida, febre >= 38,0 °C em tratamento oncológico ou >= 39,0 °C. HIGH: vômitos persistentes ou não
consegue ingerir líquidos, diarreia intensa, dor >= 8/10, febre sem valor informado. Demais: MEDIUM
ou LOW. Não invente sintomas que não estão no texto. confianca de 0 a 1.
O texto pode ter identificadores substituídos por marcadores como [NOME]; ignore-os."""


def run_triage(
    text: str,
    settings: Settings,
    *,
    names: Sequence[str] = (),
    method: Literal["json_schema", "function_calling"] = "json_schema",
) -> LlmPartResult:
    """One structured-output call extracting symptoms from free text; never raises.

    `method`: "json_schema" (OpenAI's structured outputs, the langchain default; vLLM and recent
    Ollama support it) or "function_calling" (a forced tool call, for servers without
    json_schema). Non-negated CRITICAL/HIGH symptoms become Findings with origem "triagem_llm".
    """
    result = LlmPartResult(fonte="triagem_llm", modelo=settings.llm_model)
    if not llm_available(settings):
        result.erro = "LLM não configurado (OPENAI_API_KEY / LLM_BASE_URL ausentes)"
        return result
    start = time.monotonic()
    try:
        if not endpoint_is_local(settings):
            text = redact(text, names=names)
            result.redigido = True
        prompt = text[:_MAX_INPUT_CHARS]
        preload()
        structured = _structured_triage(
            settings.llm_model, settings.llm_base_url, settings.openai_api_key, settings.llm_timeout_s, method
        )
        start = time.monotonic()

        def call() -> TriageOutput:
            answer = structured.invoke([("system", TRIAGE_SYSTEM_PROMPT), ("human", prompt)])
            if not isinstance(answer, TriageOutput):
                raise ValueError(f"resposta sem o formato TriageOutput: {str(answer)[:200]!r}")
            return answer

        with observability.llm_call("triage", "triagem"):
            saida = _run_bounded(call, settings.llm_timeout_s + _JOIN_MARGIN_S, "triagem-llm")
        result.saida = saida.model_dump(mode="json")
        result.achados = _to_findings(saida.sintomas, origem="triagem_llm", confianca=saida.confianca)
    except Exception as exc:
        result.erro = _describe(exc)
        log.warning("triage call failed after %d ms: %s", _elapsed_ms(start), result.erro)
    result.latencia_ms = _elapsed_ms(start)
    return result


@lru_cache(maxsize=8)
def _structured_triage(
    model: str, base_url: str | None, api_key: str | None, timeout_s: float, method: str
) -> Any:
    """One runnable per configuration: it is thread-safe and keeps its HTTP connection pool."""
    from langchain_openai import ChatOpenAI

    chat = ChatOpenAI(
        model=model,
        base_url=base_url,
        api_key=api_key or "not-needed",  # type: ignore[arg-type]
        timeout=timeout_s,
        max_retries=0,  # the SDK's back-off (honouring Retry-After) would outlive the budget
        use_responses_api=False,  # OpenAI-compatible servers serve chat completions only
    )
    return chat.with_structured_output(TriageOutput, method=method)  # type: ignore[arg-type]
