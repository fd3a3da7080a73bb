"""docker-compose, Dockerfiles and .env.example, checked statically (no Docker engine here)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from shared import provision
from shared.config import Settings

ROOT = Path(__file__).resolve().parents[1]
SPEC_VARIABLES = {
    "RABBITMQ_URL",
    "RABBITMQ_MANAGEMENT_URL",
    "VHOST_PREFIX",
    "DATABASE_URL",
    "API_HOST",
    "API_PORT",
    "API_KEYS",
    "MAX_BODY_BYTES",
    "BACKEND_URL",
    "BACKEND_SERVICE_TOKEN",
    "BACKEND_JWT_SECRET",
    "ALERT_MAX_ATTEMPTS",
    "ALERT_GIVE_UP_AFTER_S",
    "OPENAI_API_KEY",
    "LLM_MODEL",
    "LLM_BASE_URL",
    "WORKER_CONCURRENCY",
    "WORKER_PREFETCH",
    "LOG_FORMAT",
    "TASK_RETENTION_DAYS",
}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_the_full_stack_with_health_checks() -> None:
    services = compose()["services"]
    assert {"rabbitmq", "postgres", "api", "worker"} <= set(services)
    rabbit = services["rabbitmq"]
    assert "management" in rabbit["image"]
    assert any("definitions.json" in v for v in rabbit["volumes"])
    assert "healthcheck" in rabbit and "healthcheck" in services["postgres"]
    for name in ("api", "worker"):
        deps = services[name]["depends_on"]
        assert deps["rabbitmq"]["condition"] == "service_healthy"
        assert deps["postgres"]["condition"] == "service_healthy"
        assert deps["provision"]["condition"] == "service_completed_successfully"
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://")
        assert env["RABBITMQ_URL"].startswith("amqp://")


def test_worker_service_can_be_scaled() -> None:
    worker = compose()["services"]["worker"]
    assert "container_name" not in worker and "ports" not in worker
    assert worker["command"] == ["python", "-m", "workers"]
    assert int(worker["stop_grace_period"].rstrip("s")) >= 30


def test_compose_credentials_match_the_broker_definitions() -> None:
    env = compose()["services"]["api"]["environment"]
    url = urlsplit(env["RABBITMQ_URL"])
    definitions = provision.build_definitions()
    assert url.username == definitions["users"][0]["name"] == provision.COMPOSE_USER
    assert url.password == provision.COMPOSE_PASSWORD
    assert {p["vhost"] for p in definitions["permissions"]} == {v["name"] for v in definitions["vhosts"]}
    conf = (ROOT / "deploy/rabbitmq/rabbitmq.conf").read_text()
    assert "load_definitions = /etc/rabbitmq/definitions.json" in conf


def test_dockerfiles_copy_existing_files_and_run_the_entry_points() -> None:
    for name, entry in (
        ("Dockerfile.api", '["python", "-m", "api"]'),
        ("Dockerfile.worker", '["python", "-m", "workers"]'),
    ):
        text = (ROOT / name).read_text()
        assert f"CMD {entry}" in text
        assert "USER " in text, "containers must not run as root"
        for src in re.findall(r"^COPY\s+(\S+)\s+\S+$", text, flags=re.M):
            assert (ROOT / src).exists(), f"{name} copies missing {src}"
    for service in ("api", "worker", "provision"):
        build = compose()["services"][service]["build"]
        assert (ROOT / build["dockerfile"]).exists()


def test_env_example_lists_every_spec_variable_and_nothing_unknown() -> None:
    keys = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip().lstrip("# ").strip()
        match = re.match(r"^([A-Z][A-Z0-9_]+)=", line)
        if match:
            keys.add(match.group(1))
    assert keys >= SPEC_VARIABLES, SPEC_VARIABLES - keys
    known = {name.upper() for name in Settings.model_fields}
    assert keys <= known, keys - known
