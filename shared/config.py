"""One settings object for the API, the workers and the tools (SPEC §2).

Values come from the environment and from `.env` (pydantic-settings reads it through python-dotenv).
Lists are kept as the comma-separated strings operators write and parsed by properties, so a
value like `RETRY_DELAYS_S=5,30,120` never has to be JSON.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _int_list(raw: str, name: str) -> list[int]:
    try:
        values = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError as exc:
        raise ValueError(f"{name} must be a comma-separated list of integers, got {raw!r}") from exc
    if not values or any(v <= 0 for v in values):
        raise ValueError(f"{name} must list at least one positive integer, got {raw!r}")
    return values


# Measured with bench/worker_drain.py (docs/workers.md, "Prefetch"): at 2 per thread (16 for 8
# threads) batches were about one message and the drain ran at a third of Celery's; at 16 per
# thread every batch is a store transaction and an ack for up to 16 tasks.
PREFETCH_PER_THREAD = 16
INGESTION_PREFETCH_PER_THREAD = 2


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Broker
    rabbitmq_url: str = "amqp://guest:guest@localhost:5672/"
    rabbitmq_management_url: str | None = None
    vhost_prefix: str = ""
    broker_connect_timeout_s: float = 3.0
    publish_timeout_s: float = 5.0

    # Task store
    database_url: str = "sqlite:///./data/tasks.db"
    # Finished tasks older than this are purged with their alerts (SPEC §11); 0 keeps them forever.
    task_retention_days: int = Field(default=30, ge=0)

    # API
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    api_keys: str | None = None
    api_auth: Literal["enabled", "disabled"] = "enabled"
    api_workers: int = Field(default=1, ge=1, le=64)
    max_body_bytes: int = 1_048_576
    max_body_bytes_ingestao: int = 10_485_760
    # Per-tenant token buckets for task POSTs: `tenant_a=200/s,*=100/s` (N/s, N/m or N/h; `*` is
    # every tenant not named). Unset: no limit. Shared by the API processes of one host through
    # RATE_LIMIT_FILE (default: /dev/shm/clinical-gateway-ratelimit-<uid>-<API_PORT>).
    tenant_rate_limits: str | None = None
    rate_limit_file: str | None = None
    # People using /ops in a browser: user:bcrypt-hash[:tenant],... (api/ops/auth.py)
    ops_users: str | None = None
    # POST /api/v1/agent/message waits this long for the worker's answer before a 202 (SPEC §9).
    agent_reply_timeout_s: float = Field(default=8.0, gt=0, le=60)

    # NestJS backend (alerts)
    backend_url: str | None = None
    backend_service_token: str | None = None
    backend_jwt_secret: str | None = None
    alert_max_attempts: int = Field(default=5, ge=1)
    alert_give_up_after_s: int = Field(default=86_400, ge=1)
    alert_timeout_s: float = Field(default=5.0, gt=0)
    alert_inline_budget_s: float = Field(default=30.0, gt=0)
    alert_backoff_base_s: float = Field(default=0.5, gt=0)
    alert_backoff_cap_s: float = Field(default=10.0, gt=0)
    alert_retry_delays_s: str = "30,120,600,1800,3600"

    # LLM
    openai_api_key: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_base_url: str | None = None
    llm_timeout_s: float = Field(default=60.0, gt=0)
    # Prompts to a non-local endpoint are stripped of CPF, phone, e-mail and names. "Local" is
    # guessed from LLM_BASE_URL (loopback/private IP); set this for an on-premise host name.
    llm_endpoint_local: bool | None = None

    # Workers
    worker_concurrency: int = Field(default=8, ge=1)
    # Unset: chosen from the concurrency (`worker_prefetch_for`); see docs/workers.md for what a
    # larger prefetch costs (redelivery after a crash, fairness between processes).
    worker_prefetch: int | None = Field(default=None, ge=1)
    # Threads (and prefetch) of the LLM stage (queue eventos.ia), apart from the rules stage's.
    worker_llm_concurrency: int = Field(default=16, ge=1)
    worker_max_retries: int = Field(default=5, ge=0)
    retry_delays_s: str = "5,30,120"
    worker_metrics_port: int | None = None

    # Logging
    log_format: Literal["json", "console"] = "json"
    log_level: str = "INFO"

    @field_validator(
        "rabbitmq_management_url",
        "backend_url",
        "llm_base_url",
        "openai_api_key",
        "backend_service_token",
        "backend_jwt_secret",
        "api_keys",
        "tenant_rate_limits",
        "rate_limit_file",
        "ops_users",
        "worker_prefetch",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `.env.example` leaves optional values empty; empty means "not configured".
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("retry_delays_s", "alert_retry_delays_s")
    @classmethod
    def _check_int_list(cls, value: str, info: object) -> str:
        _int_list(value, getattr(info, "field_name", "value"))
        return value

    @property
    def rabbitmq_urls(self) -> list[str]:
        """Every node of `RABBITMQ_URL`, in order, without a vhost (the vhost is chosen per domain)."""
        urls = []
        for raw in self.rabbitmq_url.split(","):
            raw = raw.strip()
            if not raw:
                continue
            parts = urlsplit(raw)
            urls.append(urlunsplit((parts.scheme, parts.netloc, "/", parts.query, "")))
        if not urls:
            raise ValueError("RABBITMQ_URL is empty")
        return urls

    @property
    def api_key_map(self) -> dict[str, str]:
        """API key -> tenant id."""
        keys: dict[str, str] = {}
        if not self.api_keys:
            return keys
        for item in self.api_keys.split(","):
            item = item.strip()
            if not item:
                continue
            key, sep, tenant = item.partition("=")
            if not sep or not key.strip() or not tenant.strip():
                raise ValueError(f"API_KEYS entries must look like key=tenant, got {item!r}")
            keys[key.strip()] = tenant.strip()
        return keys

    @property
    def retry_delays(self) -> list[int]:
        return _int_list(self.retry_delays_s, "RETRY_DELAYS_S")

    @property
    def alert_retry_delays(self) -> list[int]:
        return _int_list(self.alert_retry_delays_s, "ALERT_RETRY_DELAYS_S")

    def worker_prefetch_for(self, domain: str, concurrency: int | None = None) -> int:
        """Unacked `eventos` messages a vhost process may hold: `WORKER_PREFETCH` when set (never
        below the concurrency), else PREFETCH_PER_THREAD per rules thread, so each thread can take
        a batch of that many (one store transaction, one ack) while the next is on its way. The
        ingestion vhost keeps two per thread: its bodies weigh up to MAX_BODY_BYTES_INGESTAO each."""
        threads = concurrency or self.worker_concurrency
        if self.worker_prefetch is not None:
            return max(self.worker_prefetch, threads)
        per_thread = INGESTION_PREFETCH_PER_THREAD if domain == "ingestao" else PREFETCH_PER_THREAD
        return threads * per_thread

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_api_key or self.llm_base_url)


def vhost_url(url: str, vhost: str) -> str:
    """`url` (one node of RABBITMQ_URL) pointing at `vhost` (percent-encoded, as AMQP URIs need)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), parts.query, ""))


@lru_cache
def get_settings() -> Settings:
    return Settings()
