from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.config import Settings, vhost_url


def _settings(**kw: object) -> Settings:
    return Settings(_env_file=None, **kw)  # type: ignore[arg-type, call-arg]


def test_defaults_follow_the_spec() -> None:
    s = _settings()
    assert s.rabbitmq_url == "amqp://guest:guest@localhost:5672/"
    assert s.database_url == "sqlite:///./data/tasks.db"
    assert (s.api_host, s.api_port) == ("127.0.0.1", 8000)
    assert s.max_body_bytes == 1_048_576 and s.max_body_bytes_ingestao == 10_485_760
    assert s.alert_max_attempts == 5 and s.alert_give_up_after_s == 86_400
    assert s.llm_model == "gpt-4o-mini" and not s.llm_enabled
    assert (s.worker_concurrency, s.worker_prefetch) == (8, None)
    assert s.log_format == "json"


def test_worker_prefetch_follows_the_concurrency_unless_set() -> None:
    assert _settings().worker_prefetch_for("exames") == 8 * 16
    assert _settings(worker_concurrency=4).worker_prefetch_for("clinico") == 64
    # Ingestion bodies weigh up to 10 MB each: a few per thread.
    assert _settings().worker_prefetch_for("ingestao") == 16
    assert _settings(worker_prefetch=32).worker_prefetch_for("exames") == 32
    assert _settings(worker_prefetch=2).worker_prefetch_for("exames") == 8
    assert _settings(worker_prefetch="").worker_prefetch is None  # .env.example leaves it empty


def test_rabbitmq_url_lists_cluster_nodes_without_vhost() -> None:
    s = _settings(rabbitmq_url="amqp://u:p@n1:5672/x, amqp://u:p@n2:5673/")
    assert s.rabbitmq_urls == ["amqp://u:p@n1:5672/", "amqp://u:p@n2:5673/"]
    assert vhost_url(s.rabbitmq_urls[0], "fluxo_clinico") == "amqp://u:p@n1:5672/fluxo_clinico"
    assert vhost_url(s.rabbitmq_urls[0], "a/b") == "amqp://u:p@n1:5672/a%2Fb"


def test_api_keys_map_keys_to_tenants() -> None:
    assert _settings(api_keys="k1=tenant_a, k2=tenant_b").api_key_map == {"k1": "tenant_a", "k2": "tenant_b"}
    assert _settings(api_keys="").api_key_map == {}
    with pytest.raises(ValueError, match="key=tenant"):
        _ = _settings(api_keys="just-a-key").api_key_map


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VHOST_PREFIX", "t1_")
    monkeypatch.setenv("WORKER_CONCURRENCY", "3")
    monkeypatch.setenv("LLM_BASE_URL", "http://127.0.0.1:9/v1")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.vhost_prefix == "t1_" and s.worker_concurrency == 3 and s.llm_enabled


def test_bad_delay_lists_are_rejected() -> None:
    with pytest.raises(ValidationError):
        _settings(retry_delays_s="5,abc")
    with pytest.raises(ValidationError):
        _settings(alert_retry_delays_s="0")
