"""CrewAI plumbing shared by the five crews: the LLM, the crew class, the agent defaults.

Importing this module imports crewai (~180 MB, ~2 s). Only `workers.llm.run_crew` imports it, and
only when an LLM is configured, so a worker without an LLM never pays for it.

How CrewAI 1.15 routes a model (crewai/llm.py, `LLM.__new__` / `LLM._resolve_route`):

* `LLM(model="gpt-4o-mini")`: a bare name is looked up in CrewAI's model tables; unknown names
  default to the *native* OpenAI provider (`OpenAICompletion`, the `openai` SDK), known Claude /
  Gemini names go to their own native SDKs.
* `LLM(model="vendor/name")`: routes natively only when the prefix is a provider CrewAI knows
  (`openai/`, `ollama/`, `hosted_vllm/`, ...); any other prefix (`meta-llama/Llama-3.1-8B`, a
  typical vLLM model id) falls back to LiteLLM, which is not installed here -> ImportError.
* `LLM(model=..., base_url=..., custom_openai=True)`: forces `OpenAICompletion` pointed at
  `base_url`, keeps the model name verbatim (only an `openai/` prefix is stripped) and never
  falls back to the Responses API, which vLLM / Ollama do not serve. That is the route for
  `LLM_BASE_URL`; without `LLM_BASE_URL` we name `provider="openai"` so a model name that looks
  like Claude or Gemini cannot send the key elsewhere.

We build that same class directly (a subclass adding a per-run deadline), because `LLM()` cannot
be told to instantiate a subclass; a test checks that `LLM(..., custom_openai=True)` still
routes to `OpenAICompletion`, so an upgrade that changes the routing fails loudly.
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from shared.telemetry import quiet_third_party_telemetry

quiet_third_party_telemetry()

from crewai import Agent, Crew, Process, Task  # noqa: E402
from crewai.llms.providers.openai.completion import OpenAICompletion  # noqa: E402
from pydantic import BaseModel, PrivateAttr  # noqa: E402

from shared.config import Settings  # noqa: E402


class LlmDeadlineExceeded(TimeoutError):
    """The run's time budget ended before (or while) the LLM was asked."""


class DeadlineOpenAICompletion(OpenAICompletion):
    """`OpenAICompletion` whose every request gets only what is left of one budget.

    A crew makes several requests (one per agent at least), and CrewAI wraps every `call` in its
    own rate-limit retry (crewai/llms/retry.py: up to 3 attempts on a 429, sleeping 1 s then 2 s).
    A fixed per-request timeout would let a slow endpoint hold the worker for N x timeout;
    clamping each request to the time left makes `LLM_TIMEOUT_S` the bound for the whole crew,
    and any request after the deadline fails at once, so an abandoned run cannot keep calling the
    endpoint. `with_options` copies the client but shares its connection pool.
    """

    _deadline: float = PrivateAttr(default=float("inf"))
    _last_error: BaseException | None = PrivateAttr(default=None)

    def set_deadline(self, deadline: float) -> None:
        self._deadline = deadline

    def _remaining(self) -> float:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0.05:
            last = self._last_error
            detail = f"; último erro: {_brief(last)}" if last is not None else ""
            raise LlmDeadlineExceeded(f"orçamento de tempo do LLM esgotado{detail}")
        return remaining

    def call(self, *args: Any, **kwargs: Any) -> Any:
        # CrewAI's rate-limit retry wraps this method and retries only errors it classifies as
        # throttling (walking __cause__/__context__). When the back-off could not fit in what is
        # left of the budget we end the loop with an error it does not retry, raised outside the
        # `except` so that no 429 is chained to it.
        try:
            return super().call(*args, **kwargs)
        except LlmDeadlineExceeded:
            raise
        except Exception as exc:
            self._last_error = exc
            if _status_code(exc) != 429 or self._deadline - time.monotonic() > _retry_wait_s(exc):
                raise
        raise LlmDeadlineExceeded(f"sem tempo para nova tentativa; último erro: {_brief(self._last_error)}")

    def _get_sync_client(self) -> Any:
        return super()._get_sync_client().with_options(timeout=self._remaining())

    def _get_async_client(self) -> Any:
        return super()._get_async_client().with_options(timeout=self._remaining())


def _status_code(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def _retry_wait_s(exc: BaseException) -> float:
    """What CrewAI would sleep before retrying: Retry-After if given, else at most 2 s + 20 % jitter."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    try:
        return float(headers.get("retry-after")) if headers is not None else 2.4
    except (TypeError, ValueError):
        return 2.4


def _brief(exc: BaseException | None) -> str:
    # Type and status only: a provider message such as "Rate limit reached" would make CrewAI's
    # classifier take this error for a throttle and retry it.
    if exc is None:
        return "nenhum"
    status = _status_code(exc)
    return f"{type(exc).__name__} (HTTP {status})" if status else type(exc).__name__


def build_llm(settings: Settings, deadline: float) -> DeadlineOpenAICompletion:
    model = settings.llm_model
    if model.startswith("openai/"):
        model = model.removeprefix("openai/")
    kwargs: dict[str, Any] = {
        "model": model,
        # Local servers ignore the key but the SDK refuses to start without one.
        "api_key": settings.openai_api_key or "not-needed",
        "timeout": settings.llm_timeout_s,
        # No SDK retries: its back-off honours Retry-After (up to 60 s) and would sleep past the
        # budget. A failed crew leaves the deterministic result in place; nothing is lost.
        "max_retries": 0,
        # No temperature: reasoning models (o-series, gpt-5) reject anything but their default.
        "stream": False,
    }
    if settings.llm_base_url:
        kwargs.update(base_url=settings.llm_base_url, custom_openai=True, provider="openai")
    else:
        kwargs.update(provider="openai")
    llm = DeadlineOpenAICompletion(**kwargs)
    llm.set_deadline(deadline)
    return llm


# Every agent of every crew: no tools, so a short loop; no CrewAI-level retries (the budget is the
# retry policy); no context-window pre-flight (on api.openai.com it is an extra request to the
# token-count endpoint per call, and our inputs are already bounded by `workers.llm`).
AGENT_DEFAULTS: dict[str, Any] = {
    "allow_delegation": False,
    "verbose": False,
    "max_iter": 2,
    "max_retry_limit": 0,
    "respect_context_window": False,
    "cache": False,
}


class _NoTaskOutputStorage:
    """Stands in for CrewAI's kickoff-output store.

    CrewAI writes every task's prompt and answer to `~/.local/share/<cwd name>/
    latest_kickoff_task_outputs.db` (for `crewai replay`), under a lock file in /tmp. That is
    patient data at rest outside the task store, shared by every worker thread; we never replay.
    """

    def update(self, task_index: int, log: dict[str, Any]) -> None:
        pass

    def add(self, *args: Any, **kwargs: Any) -> None:
        pass

    def reset(self) -> None:
        pass

    def load(self) -> list[dict[str, Any]] | None:
        return []


class PrivateCrew(Crew):
    """A `Crew` that keeps nothing on disk and never traces or shares."""

    _task_output_handler: Any = PrivateAttr(default_factory=_NoTaskOutputStorage)


def make_crew(agents: list[Any], tasks: list[Any]) -> PrivateCrew:
    return PrivateCrew(
        agents=agents,
        tasks=tasks,
        process=Process.sequential,
        verbose=False,
        memory=False,  # memory would embed every prompt through OpenAI's embeddings API
        cache=False,
        planning=False,
        share_crew=False,
        tracing=False,
    )


@cache
def _load_yaml(path: Path) -> dict[str, dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ValueError(f"{path}: expected a mapping of names to settings")
    return data


def build_crew(config_dir: Path, output_model: type[BaseModel], llm: DeadlineOpenAICompletion) -> PrivateCrew:
    """Agents and tasks from CrewAI's YAML layout (`config/agents.yaml`, `config/tasks.yaml`).

    We read the YAML ourselves instead of using `@CrewBase`: CrewBase memoizes every `@agent` and
    `@task` result in a process-wide cache keyed by `id(crew_instance)` and never evicts it
    (crewai/project/utils.py), so each run leaked ~2 MB (agents, tasks, prompts with patient
    data, an HTTP client), and a new instance reusing a freed id got the previous run's agents.
    Tasks run in file order; the last one answers with `output_model` (`output_pydantic`).
    """
    agents_cfg = _load_yaml(config_dir / "agents.yaml")
    tasks_cfg = _load_yaml(config_dir / "tasks.yaml")
    agents = {name: Agent(config=dict(cfg), llm=llm, **AGENT_DEFAULTS) for name, cfg in agents_cfg.items()}
    tasks: dict[str, Task] = {}
    last = list(tasks_cfg)[-1]
    for name, raw in tasks_cfg.items():
        cfg = dict(raw)
        extra: dict[str, Any] = {"name": name, "agent": agents[cfg.pop("agent")]}
        if "context" in cfg:
            extra["context"] = [tasks[c] for c in cfg.pop("context")]
        if name == last:
            extra["output_pydantic"] = output_model
        tasks[name] = Task(config=cfg, **extra)
    return make_crew(list(agents.values()), list(tasks.values()))
