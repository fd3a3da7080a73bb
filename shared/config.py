"""One settings object for the API, the workers and the tools (README.md).

Values come from the environment and from `.env` (pydantic-settings reads it through python-dotenv).
Lists are kept as the comma-separated strings operators write and parsed by properties, so a
value like `RETRY_DELAYS_S=5,30,120` never has to be JSON.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Secrets that may come from a file named by `<NAME>_FILE` (Docker/Kubernetes secrets) instead of
# the variable itself; the variable wins when both are set.
SECRET_FIELDS = (
    "rabbitmq_url",
    "rabbitmq_management_url",
    "rabbitmq_api_url",
    "rabbitmq_worker_url",
    "rabbitmq_ops_url",
    "database_url",
    "api_keys",
    "ops_users",
    "backend_service_token",
    "backend_jwt_secret",
    "openai_api_key",
)
BROKER_ROLES = ("api", "worker", "ops")
HASHED_KEY_PREFIX = "sha256:"


def hash_api_key(key: str) -> str:
    """The `API_KEYS` form of a key that keeps only its hash (`python -m api.keys`)."""
    return HASHED_KEY_PREFIX + hashlib.sha256(key.encode()).hexdigest()


class ApiKeyMap(dict[str, str]):
    """API key -> tenant. A hashed entry is stored under `sha256:<hex>`; `get` looks a presented
    key up as given, then by its hash, so plain and hashed entries cost one dictionary lookup
    each. A presented key that itself starts with `sha256:` never matches: knowing the hash in
    API_KEYS must not be enough to get in."""

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key.startswith(HASHED_KEY_PREFIX):
            return default
        tenant = super().get(key)
        if tenant is None:
            tenant = super().get(hash_api_key(key))
        return default if tenant is None else tenant

    @property
    def plain_entries(self) -> int:
        return sum(1 for k in self if not k.startswith(HASHED_KEY_PREFIX))


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
# thread the batches stayed small on PostgreSQL (0.53 round trips a task); at 64 per thread a batch
# is one store transaction and one ack for up to 64 tasks (0.10-0.12 round trips a task).
PREFETCH_PER_THREAD = 64
INGESTION_PREFETCH_PER_THREAD = 2


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Broker
    rabbitmq_url: str = "amqp://guest:guest@localhost:5672/"
    rabbitmq_management_url: str | None = None
    # The runtime identities (docs/security.md): provisioning, run with an administrator in
    # RABBITMQ_URL, creates these users with least privilege; unset = RABBITMQ_URL.
    rabbitmq_api_url: str | None = None
    rabbitmq_worker_url: str | None = None
    rabbitmq_ops_url: str | None = None
    # Producers publishing straight to `eventos`: `broker_user=tenant,...`. The broker validates a
    # message's `user_id` against the connection's user, so the worker trusts that tenant for
    # tasks the gateway never issued (docs/security.md).
    broker_producers: str | None = None
    vhost_prefix: str = ""
    # Length limit of every `eventos` queue, applied as a policy (docs/security.md): 100,000
    # tasks is about four minutes of the ~400 tasks/s a sustained flood got accepted (issue 17),
    # and a few hundred MB of broker disk at typical task sizes.
    eventos_max_length: int = Field(default=100_000, ge=1)
    eventos_max_length_bytes: int = Field(default=1_073_741_824, ge=1)
    broker_connect_timeout_s: float = 3.0
    publish_timeout_s: float = 5.0

    # Task store
    database_url: str = "sqlite:///./data/tasks.db"
    # Finished tasks older than this are purged with their alerts (docs/scale-out.md); 0 keeps them forever.
    task_retention_days: int = Field(default=30, ge=0)

    # API
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    api_keys: str | None = None
    api_auth: Literal["enabled", "disabled"] = "enabled"
    api_workers: int = Field(default=1, ge=1, le=64)
    max_body_bytes: int = 1_048_576
    max_body_bytes_ingestao: int = 10_485_760
    # Request line + headers; larger → 431 (api/limits.py).
    max_header_bytes: int = Field(default=32_768, ge=1024)
    # Base of `Location`/`status_url` (e.g. https://gateway.example.org); unset → relative paths.
    # The Host header is never echoed.
    public_base_url: str | None = None
    # Per-tenant token buckets for task POSTs: `tenant_a=200/s,*=100/s` (N/s, N/m or N/h; `*` is
    # every tenant not named). Unset: no limit. Shared by the API processes of one host through
    # RATE_LIMIT_FILE (default: /dev/shm/clinical-gateway-ratelimit-<uid>-<API_PORT>).
    tenant_rate_limits: str | None = None
    rate_limit_file: str | None = None
    # People using /ops in a browser: user:bcrypt-hash[:tenant],... (api/ops/auth.py)
    ops_users: str | None = None
    # POST /api/v1/agent/message waits this long for the worker's answer before a 202 (docs/agent-message.md).
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
    # The agent conversation (docs/agent-message.md): a red-flag follow-up question unanswered
    # this long raises NO_RESPONSE (0 turns it off); the same finding in the same conversation
    # within the episode window joins the open episode instead of a new alert (0: no episodes).
    no_response_after_s: int = Field(default=1800, ge=0)
    alert_episode_window_s: int = Field(default=3600, ge=0)

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
    # Heartbeat files for `python -m workers.health` (the compose healthcheck); unset = none.
    worker_health_dir: str | None = None

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
        "rabbitmq_api_url",
        "rabbitmq_worker_url",
        "rabbitmq_ops_url",
        "broker_producers",
        "public_base_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `.env.example` leaves optional values empty; empty means "not configured".
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @model_validator(mode="before")
    @classmethod
    def _secret_files(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for name in SECRET_FIELDS:
            path = os.environ.get(f"{name.upper()}_FILE")
            if path and not data.get(name) and not data.get(name.upper()):
                data[name] = Path(path).read_text().strip()
        return data

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

    def for_broker_role(self, role: str) -> Settings:
        """These settings with RABBITMQ_URL replaced by the role's own identity, when one is set."""
        if role not in BROKER_ROLES:
            raise ValueError(f"unknown broker role {role!r}")
        url = getattr(self, f"rabbitmq_{role}_url")
        return self.model_copy(update={"rabbitmq_url": url}) if url else self

    @property
    def broker_user(self) -> str:
        return unquote(urlsplit(self.rabbitmq_urls[0]).username or "guest")

    @property
    def producer_tenants(self) -> dict[str, str]:
        """Broker user -> the tenant its messages may claim (BROKER_PRODUCERS)."""
        return _pairs(self.broker_producers, "BROKER_PRODUCERS", "broker_user=tenant")

    @property
    def gateway_broker_user(self) -> str:
        """The API's broker user: its messages may claim any tenant (the API authenticated the
        client). Only the name is needed, so a worker may be given RABBITMQ_API_URL without a
        password."""
        return self.for_broker_role("api").broker_user

    @property
    def api_key_map(self) -> ApiKeyMap:
        """API key -> tenant id; entries `sha256:<hex>=tenant` keep only the key's hash."""
        keys = ApiKeyMap()
        for key, tenant in _pairs(self.api_keys, "API_KEYS", "key=tenant").items():
            if key.startswith(HASHED_KEY_PREFIX):
                digest = key[len(HASHED_KEY_PREFIX) :].lower()
                if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
                    raise ValueError("API_KEYS: a hashed key is sha256: followed by 64 hex digits")
                key = HASHED_KEY_PREFIX + digest
            keys[key] = tenant
        return keys

    @property
    def known_tenants(self) -> set[str]:
        """Tenants this installation serves: those of API_KEYS and BROKER_PRODUCERS."""
        return set(self.api_key_map.values()) | set(self.producer_tenants.values())

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
    def followup_delays(self) -> list[int]:
        """The follow-up delay queue's TTL: [NO_RESPONSE_AFTER_S], or none when it is off."""
        return [self.no_response_after_s] if self.no_response_after_s > 0 else []

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_api_key or self.llm_base_url)


def _pairs(raw: str | None, name: str, shape: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in (raw or "").split(","):
        item = item.strip()
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            # Never echo the entry: it may be a secret.
            raise ValueError(f"{name} entries must look like {shape}")
        pairs[key.strip()] = value.strip()
    return pairs


def vhost_url(url: str, vhost: str) -> str:
    """`url` (one node of RABBITMQ_URL) pointing at `vhost` (percent-encoded, as AMQP URIs need)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), parts.query, ""))


@lru_cache
def get_settings() -> Settings:
    return Settings()
