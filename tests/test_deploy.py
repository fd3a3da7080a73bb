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


def test_only_provisioning_uses_the_broker_administrator_and_ports_stay_on_loopback() -> None:
    services = compose()["services"]
    url = urlsplit(services["provision"]["environment"]["RABBITMQ_URL"])
    definitions = provision.build_definitions()
    assert url.username == definitions["users"][0]["name"] == provision.COMPOSE_USER
    assert url.password == provision.COMPOSE_PASSWORD
    for name, role in (("api", "api"), ("worker", "worker")):
        own = urlsplit(services[name]["environment"]["RABBITMQ_URL"])
        assert own.username == f"gateway-{role}" != provision.COMPOSE_USER
        assert (
            services[name]["environment"][f"RABBITMQ_{role.upper()}_URL"]
            == services[name]["environment"]["RABBITMQ_URL"]
        )
        assert "RABBITMQ_MANAGEMENT_URL" not in services[name]["environment"]
    assert all(p.startswith("127.0.0.1:") for p in services["rabbitmq"]["ports"])
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


# --- docker-compose.cluster.yml (three RabbitMQ nodes, docs/scale-out.md) --------------------------


def cluster_compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.cluster.yml").read_text())


def _conf(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith("#"):
            out[key.strip()] = value.strip()
    return out


def _mount(service: dict, target: str) -> str | None:
    for volume in service.get("volumes", []):
        src, _, rest = volume.partition(":")
        if rest.split(":")[0] == target:
            return src
    return None


def test_cluster_override_runs_three_rabbitmq_nodes_that_find_each_other() -> None:
    services = cluster_compose()["services"]
    nodes = {name: s for name, s in services.items() if name.startswith("rabbitmq")}
    assert len(nodes) == 3 and "rabbitmq" in nodes, "node 1 keeps the base file's service name"
    cookies = {s["environment"]["RABBITMQ_ERLANG_COOKIE"] for s in nodes.values()}
    assert len(cookies) == 1, "every node needs the same Erlang cookie"
    data_volumes = set()
    conf_files = set()
    for name, node in nodes.items():
        assert node["hostname"] == name, "Erlang node names must resolve: hostname = service name"
        assert "healthcheck" in node
        conf_files.add(_mount(node, "/etc/rabbitmq/rabbitmq.conf"))
        assert _mount(node, "/etc/rabbitmq/definitions.json") == "./deploy/rabbitmq/definitions.json"
        data_volumes.add(_mount(node, "/var/lib/rabbitmq"))
    assert len(data_volumes) == 3, "each node has its own data volume"
    declared = set(cluster_compose()["volumes"]) | set(compose()["volumes"])
    assert data_volumes <= declared
    assert conf_files == {"./deploy/rabbitmq/cluster.conf"}

    conf = _conf(ROOT / "deploy/rabbitmq/cluster.conf")
    assert conf["cluster_formation.peer_discovery_backend"] == "classic_config"
    peers = {v for k, v in conf.items() if k.startswith("cluster_formation.classic_config.nodes.")}
    assert peers == {f"rabbit@{name}" for name in nodes}
    single = _conf(ROOT / "deploy/rabbitmq/rabbitmq.conf")
    assert conf["load_definitions"] == single["load_definitions"]
    assert conf["quorum_queue.continuous_membership_reconciliation.target_group_size"] == "3"


def test_cluster_override_gives_the_api_and_workers_every_node() -> None:
    services = cluster_compose()["services"]
    node_names = {name for name in services if name.startswith("rabbitmq")}
    base = compose()["services"]
    definitions = provision.build_definitions()
    for name in ("api", "worker", "provision"):
        assert name in base
        urls = [urlsplit(u) for u in services[name]["environment"]["RABBITMQ_URL"].split(",")]
        assert {u.hostname for u in urls} == node_names and len(urls) == 3
        for url in urls:
            assert url.scheme == "amqp" and url.port == 5672
            if name == "provision":
                assert url.username == definitions["users"][0]["name"]
                assert url.password == provision.COMPOSE_PASSWORD
            else:  # the services' own least-privileged users
                assert url.username == f"gateway-{name}"
        deps = services[name]["depends_on"]
        assert {n: deps[n]["condition"] for n in node_names} == dict.fromkeys(node_names, "service_healthy")
    assert Settings(_env_file=None, rabbitmq_url=services["api"]["environment"]["RABBITMQ_URL"]).rabbitmq_urls


def test_provisioning_waits_for_the_database_whose_schema_it_migrates() -> None:
    provision_service = compose()["services"]["provision"]
    assert provision_service["command"] == ["python", "-m", "shared.provision"]
    assert provision_service["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert provision_service["environment"]["DATABASE_URL"].startswith("postgresql://")


def test_each_compose_service_gets_only_its_own_broker_password() -> None:
    services = compose()["services"]
    for name, own in (("api", {"api", "ops"}), ("worker", {"worker"})):
        env = services[name]["environment"]
        for role in ("api", "worker", "ops"):
            value = env.get(f"RABBITMQ_{role.upper()}_URL")
            if role in own:
                assert urlsplit(value).password
            elif value is not None:
                assert urlsplit(value).password is None, f"{name} must not hold the {role} password"
    assert urlsplit(services["worker"]["environment"]["RABBITMQ_API_URL"]).username == "gateway-api"
