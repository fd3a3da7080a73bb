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
    assert _settings().worker_prefetch_for("exames") == 8 * 64
    assert _settings(worker_concurrency=4).worker_prefetch_for("clinico") == 4 * 64
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


def test_a_hashed_api_key_admits_the_key_but_not_its_hash() -> None:
    import hashlib

    digest = hashlib.sha256(b"chave-secreta").hexdigest()
    keys = _settings(api_keys=f"sha256:{digest}=hospital_a,antiga=hospital_b").api_key_map
    assert keys.get("chave-secreta") == "hospital_a"
    assert keys.get("antiga") == "hospital_b"  # plain keys keep working
    assert keys.get(f"sha256:{digest}") is None and keys.get(digest) is None
    assert keys.get("outra") is None
    assert keys.plain_entries == 1 and set(keys.values()) == {"hospital_a", "hospital_b"}
    with pytest.raises(ValueError, match="64 hex"):
        _ = _settings(api_keys="sha256:abc=hospital_a").api_key_map


def test_the_key_command_prints_a_new_key_and_the_entry_that_admits_it() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "api.keys", "hospital_a"], capture_output=True, text=True, check=True
    ).stdout
    key = out.split("it is not stored anywhere): ", 1)[1].split()[0]
    entry = out.split("API_KEYS entry: ", 1)[1].strip()
    assert key not in entry
    assert _settings(api_keys=entry).api_key_map.get(key) == "hospital_a"


def test_secrets_can_come_from_files(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "rabbitmq_api_url"
    secret.write_text("amqp://gateway-api:s3cr3t@rabbit:5672/\n")
    monkeypatch.setenv("RABBITMQ_API_URL_FILE", str(secret))
    settings = _settings()
    assert settings.rabbitmq_api_url == "amqp://gateway-api:s3cr3t@rabbit:5672/"
    assert settings.for_broker_role("api").broker_user == "gateway-api"
    assert settings.for_broker_role("worker").broker_user == "guest"  # unset: RABBITMQ_URL
