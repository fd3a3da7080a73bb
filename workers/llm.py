"""The LLM layer of the workers: CrewAI crews and the langchain-openai triage call (SPEC §7).

Everything here is an *addition* to the deterministic engine: a handler runs its rules first,
then, when an LLM is configured, `run_crew` and (for free text) `run_triage`, and alerts on the
union of the findings. Both functions never raise: a timeout, an HTTP error or a malformed answer
comes back in `LlmPartResult.erro`, and the rules' result stands alone.

Guarantees this module gives its callers:

* crewai and langchain are imported lazily, inside the calls, so a worker without an LLM never
  loads them (they cost ~180 MB and ~100 MB of RSS);
* CrewAI telemetry / tracing and LangSmith tracing are switched off in the process before any of
  them is imported (`quiet_crewai_environment`, run when this module is imported);
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
import ipaddress
import json
import logging
import os
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from importlib import import_module
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from shared import catalog
from shared.config import Settings
from workers import observability
from workers.crews import CREWS, config_dir, quiet_crewai_environment
from workers.crews.models import AchadoIA, TriageOutput
from workers.findings import SEVERITY_RANK, Finding

quiet_crewai_environment()
# LangSmith would upload every prompt and answer when an operator's environment enables it.
os.environ.setdefault("LANGSMITH_TRACING", "false")
os.environ.setdefault("LANGCHAIN_TRACING_V2", "false")

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


# --- configuration -------------------------------------------------------------------------------


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


# --- redaction -----------------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_CPF_FORMATTED = re.compile(r"(?<![\d.])\d{3}\.\d{3}\.\d{3}[-./]?\d{2}(?!\d)")
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    # with +55 and/or DDD: (11) 98765-4321, 11 98765 4321, +55 11 3333-4444, 011 3333-4444
    r"(?:\+?55[\s.-]?)?\(?0?[1-9]\d\)?[\s.-]?9?\d{4}[\s.-]?\d{4}"
    # no DDD: mobile 98765-4321, landline 3333-4444 (not a year range such as 2023-2024)
    r"|9\d{4}[\s-]\d{4}"
    r"|(?!(?:19|20)\d{2}-(?:19|20)\d{2}(?!\d))[2-5]\d{3}-\d{4}"
    r")(?!\d)"
)
# Bare digit runs, but not the digits of a decimal number ("0,12345678901" or "12345678901.5").
_BARE_11 = re.compile(r"(?<!\d)(?<!\d[.,])\d{11}(?!\d|[.,]\d)")
_BARE_10 = re.compile(r"(?<!\d)(?<!\d[.,])\d{10}(?!\d|[.,]\d)")

_TAG_NOME = "[NOME]"
# Keys whose whole value is an identifier, whatever it looks like.
_KEY_TAGS: dict[str, str] = {
    "paciente_nome": _TAG_NOME,
    "nome": _TAG_NOME,
    "nome_paciente": _TAG_NOME,
    "nome_social": _TAG_NOME,
    "nome_mae": _TAG_NOME,
    "name": _TAG_NOME,
    "cpf": "[CPF]",
    "rg": "[DOCUMENTO]",
    "cns": "[DOCUMENTO]",
    "telefone": "[TELEFONE]",
    "celular": "[TELEFONE]",
    "whatsapp": "[TELEFONE]",
    "phone": "[TELEFONE]",
    "email": "[EMAIL]",
    "e_mail": "[EMAIL]",
    "endereco": "[ENDERECO]",
    "paciente_id": "[ID]",
}
_NAME_KEYS = frozenset(k for k, tag in _KEY_TAGS.items() if tag == _TAG_NOME)
# Codes that legitimately have 10-11 digits (ANVISA registration is 11) and are needed by the crew.
_CODE_KEYS = frozenset({"registro_anvisa", "codigo_tuss", "cid10", "crm", "uf", "tipo_exame"})
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


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _accent_insensitive(token: str) -> str:
    return "".join(
        f"[{_ACCENTS[c]}]" if c in _ACCENTS else re.escape(c) for c in _strip_accents(token).lower()
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
            and _strip_accents(p).lower() not in _NAME_WORDS_KEPT
        ]
        if len(parts) > 1:
            wholes.add(r"[\s.'-]+".join(_accent_insensitive(p) for p in parts))
        tokens.update(_accent_insensitive(p) for p in significant)
    ordered = sorted(wholes, key=len, reverse=True) + sorted(tokens, key=len, reverse=True)
    return [re.compile(rf"(?<!\w){p}(?!\w)", re.IGNORECASE) for p in ordered]


def _redact_text(text: str, name_patterns: Sequence[re.Pattern[str]]) -> str:
    text = _EMAIL.sub("[EMAIL]", text)
    text = _CPF_FORMATTED.sub("[CPF]", text)
    text = _PHONE.sub("[TELEFONE]", text)
    text = _BARE_11.sub("[CPF]", text)
    text = _BARE_10.sub("[TELEFONE]", text)
    for pattern in name_patterns:
        text = pattern.sub(_TAG_NOME, text)
    return text


def _collect_names(obj: Any, found: list[str]) -> None:
    if isinstance(obj, dict):
        for key, value in obj.items():
            if str(key).lower() in _NAME_KEYS and isinstance(value, str):
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
    if lowered in _CODE_KEYS:
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
    slug = re.sub(r"[^a-z0-9]+", "_", _strip_accents(text).lower()).strip("_")
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
