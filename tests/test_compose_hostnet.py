"""docker-compose.hostnet.yml, the registry path of docker-compose.yml and the cluster profile's
RabbitMQ version, checked statically (`make test-compose` runs the hostnet stack for real)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from dotenv import dotenv_values

from tests.test_deploy import _conf

ROOT = Path(__file__).resolve().parents[1]
INTERPOLATION = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}")
# What this machine's own services listen on (RabbitMQ, its management, epmd and distribution;
# PostgreSQL): the hostnet stack must never ask for them.
MACHINE_PORTS = {5672, 15672, 4369, 25672, 5432}
# The first RabbitMQ release that reads each rabbitmq.conf key (prefix match), from the RabbitMQ
# changelogs. An unknown key fails the test: add it here with its version.
SETTING_SINCE = {
    "load_definitions": (3, 8),
    "loopback_users": (3, 7),
    "disk_free_limit.absolute": (3, 7),
    "listeners.tcp.": (3, 7),
    "management.tcp.": (3, 7),
    "cluster_formation.peer_discovery_backend": (3, 7),
    "cluster_formation.classic_config.nodes.": (3, 7),
    "quorum_queue.continuous_membership_reconciliation.": (3, 13),
}
DEBIAN_BROKER = (3, 10)  # rabbitmq-server in Debian bookworm (deploy/docker/rabbitmq)


class ComposeLoader(yaml.SafeLoader):
    """YAML with Compose's `!reset` tag (a value the override file clears)."""


ComposeLoader.add_constructor("!reset", lambda loader, node: None)


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.load((ROOT / name).read_text(), Loader=ComposeLoader)  # noqa: S506
    return data


def interpolations(name: str) -> list[tuple[str, str, str]]:
    return [(m[0], m[1], m[2]) for m in INTERPOLATION.findall((ROOT / name).read_text())]


def defaults(name: str) -> dict[str, str]:
    return {var: value for var, op, value in interpolations(name) if op == ":-"}


def resolve(value: str, name: str = "docker-compose.hostnet.yml") -> str:
    return INTERPOLATION.sub(lambda m: defaults(name).get(m[1], ""), value)


def conf_keys(text: str) -> list[str]:
    return [
        line.split("=")[0].strip() for line in text.splitlines() if "=" in line and not line.startswith("#")
    ]


def since(key: str) -> tuple[int, int]:
    for prefix, version in SETTING_SINCE.items():
        if key == prefix or (prefix.endswith(".") and key.startswith(prefix)):
            return version
    raise AssertionError(f"{key}: unknown RabbitMQ setting; add it to SETTING_SINCE with its first release")


# --- host networking --------------------------------------------------------------------------------


def test_every_hostnet_service_uses_the_hosts_network_with_nothing_published() -> None:
    base, hostnet = load("docker-compose.yml")["services"], load("docker-compose.hostnet.yml")["services"]
    assert set(hostnet) == set(base)
    for name, service in hostnet.items():
        assert service["network_mode"] == "host", name
        if "ports" in base[name]:
            assert service.get("ports", "missing") is None, f"{name}: the base file's ports must be reset"
        if "hostname" in base[name]:
            assert service.get("hostname", "missing") is None, (
                f"{name}: docker refuses a hostname with host networking"
            )


def test_hostnet_ports_are_loopback_only_and_never_the_machines_own() -> None:
    ports = {
        var: int(value)
        for var, value in defaults("docker-compose.hostnet.yml").items()
        if var.endswith("_PORT")
    }
    assert len(ports) == len(set(ports.values())) >= 7, ports
    assert not set(ports.values()) & MACHINE_PORTS
    services = load("docker-compose.hostnet.yml")["services"]
    rabbit = services["rabbitmq"]["environment"]
    listeners = dict(
        line.split(" = ") for line in resolve(rabbit["RABBITMQ_EXTRA_CONF"]).strip().splitlines()
    )
    assert listeners == {
        "listeners.tcp.default": f"127.0.0.1:{ports['HOSTNET_AMQP_PORT']}",
        "management.tcp.ip": "127.0.0.1",
        "management.tcp.port": str(ports["HOSTNET_MANAGEMENT_PORT"]),
    }
    assert (
        rabbit["ERL_EPMD_ADDRESS"] == "127.0.0.1"
        and "{127,0,0,1}" in rabbit["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"]
    )
    assert rabbit["RABBITMQ_NODENAME"] == "rabbit@localhost"
    assert "listen_addresses=127.0.0.1" in services["postgres"]["command"]
    assert services["api"]["environment"]["API_HOST"] == "127.0.0.1"
    for name in ("api", "worker", "provision"):
        env = services[name]["environment"]
        for key in ("RABBITMQ_URL", "DATABASE_URL"):
            assert "@127.0.0.1:" in env[key], (name, key)
        if name != "provision":
            # Only the one-shot provision step connects as the broker's administrator.
            assert "gateway:" not in env["RABBITMQ_URL"], name


def test_every_image_has_an_explicit_name_so_another_project_name_reuses_it() -> None:
    base, hostnet = load("docker-compose.yml")["services"], load("docker-compose.hostnet.yml")["services"]
    for name in ("api", "worker", "provision"):
        assert base[name]["image"].startswith("clinical-task-gateway-"), name
    assert base["provision"]["image"] == base["worker"]["image"], "provision runs the worker image"
    for name in ("rabbitmq", "postgres"):
        assert resolve(hostnet[name]["image"]) == f"clinical-task-gateway-{name}:local"
        assert (ROOT / hostnet[name]["build"]["context"] / "Dockerfile").exists()


def test_the_images_build_from_any_python_base_and_send_no_local_state_as_context() -> None:
    for name in ("Dockerfile.api", "Dockerfile.worker"):
        text = (ROOT / name).read_text()
        assert re.search(
            r"^ARG PYTHON_IMAGE=python:3\.11-slim\nFROM \$\{PYTHON_IMAGE\}$", text, flags=re.M
        ), name
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", ".git", ".env", ".run"} <= set(ignored)


def test_the_worker_reports_healthy_only_while_it_consumes() -> None:
    worker = load("docker-compose.yml")["services"]["worker"]
    assert worker["healthcheck"]["test"] == ["CMD", "python", "-m", "workers.health"]
    assert worker["environment"]["WORKER_HEALTH_DIR"]
    assert "WORKER_METRICS_PORT" in load("docker-compose.hostnet.yml")["services"]["worker"]["environment"]


# --- the ordinary path: a machine with a registry -----------------------------------------------------


def test_a_fresh_compose_up_with_a_registry_needs_only_the_readme_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text()
    docs = (ROOT / "docs/docker.md").read_text()
    for text in (readme, docs):
        assert "make env" in text and "docker compose up -d --scale worker=3" in text
    # Every variable without a default is one `make env` writes, and compose says so when missing.
    required = {
        var: message for var, op, message in interpolations("docker-compose.yml") if op in (":?", "?")
    }
    optional = {var for var, op, _ in interpolations("docker-compose.yml") if op in (":-", "-")}
    bare = {var for var, op, _ in interpolations("docker-compose.yml") if not op}
    assert not bare, f"{bare}: set with no default and no error message"
    assert set(required) == {"API_KEYS"} and "make env" in required["API_KEYS"]
    assert optional <= {"IMAGE_TAG", *dev_setup_passwords()}

    import deploy.dev_setup as dev_setup

    monkeypatch.delenv("API_KEYS", raising=False)
    monkeypatch.setattr(dev_setup, "DOTENV", tmp_path / ".env")
    assert dev_setup.ensure_api_key() == 0
    written = dotenv_values(tmp_path / ".env")
    assert set(required) <= {k for k, v in written.items() if v}
    # The broker users' passwords have trial defaults in the file; `make env` replaces them.
    assert set(dev_setup_passwords()) <= {k for k, v in written.items() if v}
    key, _, tenant = (written["API_KEYS"] or "").partition("=")
    assert key and tenant

    # Images: registry ones for the services that are not built, registry bases for those that are.
    services = load("docker-compose.yml")["services"]
    for name, service in services.items():
        if "build" in service:
            dockerfile = (ROOT / service["build"]["dockerfile"]).read_text()
            assert "ARG PYTHON_IMAGE=python:" in dockerfile
        else:
            assert re.fullmatch(r"(rabbitmq|postgres):[\w.-]+", service["image"]), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"


# --- the cluster profile --------------------------------------------------------------------------------


def test_the_cluster_profile_pins_a_rabbitmq_that_supports_every_setting_it_uses() -> None:
    nodes = {
        n: s for n, s in load("docker-compose.cluster.yml")["services"].items() if n.startswith("rabbitmq")
    }
    tags = {s["image"] for s in nodes.values()}
    assert len(tags) == 1
    match = re.fullmatch(r"rabbitmq:(\d+)\.(\d+)[\w.-]*", tags.pop())
    assert match, "pin a major.minor tag"
    pinned = (int(match[1]), int(match[2]))
    needed = max(since(k) for k in _conf(ROOT / "deploy/rabbitmq/cluster.conf"))
    assert pinned >= needed
    header = (ROOT / "docker-compose.cluster.yml").read_text().split("\n\n")[0]
    assert f"RabbitMQ {needed[0]}.{needed[1]}+" in header, "the file says plainly which RabbitMQ it needs"


def test_the_debian_broker_of_the_offline_path_supports_every_setting_it_is_given() -> None:
    keys = conf_keys((ROOT / "deploy/rabbitmq/rabbitmq.conf").read_text())
    extra = load("docker-compose.hostnet.yml")["services"]["rabbitmq"]["environment"]["RABBITMQ_EXTRA_CONF"]
    keys += conf_keys(extra)
    assert max(since(k) for k in keys) <= DEBIAN_BROKER


def test_the_offline_base_keeps_the_machines_network_pip_settings_and_drops_its_local_paths() -> None:
    spec = importlib.util.spec_from_file_location("pip_config", ROOT / "deploy/docker/pip_config.py")
    assert spec and spec.loader
    pip_config = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pip_config)

    machine = {
        "index-url": "https://mirror.example/simple",
        "extra-index-url": "file:///opt/pypi/simple https://extra.example/simple",
        "find-links": "/opt/wheels",
        "constraint": "/etc/xdg/pip/constraints.txt",
        "cert": "/somewhere/on/the/host.pem",
        "proxy": "http://proxy.example:3128",
        "default-timeout": "180",
    }
    assert pip_config.image_settings(machine) == {
        "index-url": "https://mirror.example/simple",
        "extra-index-url": "https://extra.example/simple",
        "proxy": "http://proxy.example:3128",
        "default-timeout": "180",
        "cert": "/etc/ssl/certs/ca-certificates.crt",
    }


def dev_setup_passwords() -> tuple[str, ...]:
    import deploy.dev_setup as dev_setup

    return dev_setup.BROKER_PASSWORDS
