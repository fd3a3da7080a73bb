"""`python -m shared.provision`: vhosts, permissions, exchanges, queues and bindings (docs/topology.md).

Idempotent: run it as often as you like. Vhosts, permissions and policies go through the
management HTTP API when `RABBITMQ_MANAGEMENT_URL` is set, else through `rabbitmqctl` (the node
is taken from `RABBITMQ_NODENAME` when set). Exchanges and queues are declared over AMQP in both
cases, which checks their arguments exactly as a client would.

Compatibility with the seed system: its `eventos` queues are quorum queues declared without our
arguments. Redeclaring them with different arguments fails with PRECONDITION_FAILED, so for an
existing quorum `eventos` we apply the same settings through a policy instead; name and type stay.

It also writes `deploy/rabbitmq/definitions.json` (the same topology for docker-compose's broker);
`--check-definitions` only compares and exits 1 if the file is stale.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlsplit

import pika
import pika.exceptions

from shared import topology
from shared.config import Settings, get_settings

log = logging.getLogger("shared.provision")

DEFINITIONS_PATH = Path(__file__).resolve().parent.parent / "deploy" / "rabbitmq" / "definitions.json"
COMPAT_POLICY = "eventos-compat"


class ProvisionError(RuntimeError):
    pass


class Admin(Protocol):
    def list_vhosts(self) -> list[str]: ...
    def add_vhost(self, vhost: str) -> None: ...
    def delete_vhost(self, vhost: str) -> None: ...
    def set_permissions(self, vhost: str, user: str) -> None: ...
    def set_policy(self, vhost: str, name: str, pattern: str, definition: dict[str, Any]) -> None: ...
    def queue_type(self, vhost: str, queue: str) -> str | None: ...


class HttpAdmin:
    """RabbitMQ management HTTP API."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        import httpx

        parts = urlsplit(url)
        auth = (unquote(parts.username or "guest"), unquote(parts.password or "guest"))
        base = f"{parts.scheme}://{parts.hostname}:{parts.port or 15672}{parts.path.rstrip('/')}"
        self.client = httpx.Client(base_url=base, auth=auth, timeout=timeout)

    def _ok(self, resp: Any) -> Any:
        if resp.status_code >= 400:
            raise ProvisionError(
                f"management API {resp.request.method} {resp.request.url.path}: "
                f"{resp.status_code} {resp.text[:300]}"
            )
        return resp

    def list_vhosts(self) -> list[str]:
        return [v["name"] for v in self._ok(self.client.get("/api/vhosts")).json()]

    def add_vhost(self, vhost: str) -> None:
        self._ok(
            self.client.put(
                f"/api/vhosts/{quote(vhost, safe='')}",
                json={"description": "clinical task gateway", "default_queue_type": "quorum"},
            )
        )

    def delete_vhost(self, vhost: str) -> None:
        resp = self.client.delete(f"/api/vhosts/{quote(vhost, safe='')}")
        if resp.status_code != 404:
            self._ok(resp)

    def set_permissions(self, vhost: str, user: str) -> None:
        self._ok(
            self.client.put(
                f"/api/permissions/{quote(vhost, safe='')}/{quote(user, safe='')}",
                json={"configure": ".*", "write": ".*", "read": ".*"},
            )
        )

    def set_policy(self, vhost: str, name: str, pattern: str, definition: dict[str, Any]) -> None:
        self._ok(
            self.client.put(
                f"/api/policies/{quote(vhost, safe='')}/{quote(name, safe='')}",
                json={"pattern": pattern, "definition": definition, "apply-to": "queues", "priority": 0},
            )
        )

    def queue_type(self, vhost: str, queue: str) -> str | None:
        resp = self.client.get(f"/api/queues/{quote(vhost, safe='')}/{quote(queue, safe='')}")
        if resp.status_code == 404:
            return None
        return str(self._ok(resp).json().get("type"))


class CtlAdmin:
    """`rabbitmqctl` on this machine (needs to run as root or as the rabbitmq user)."""

    def __init__(self, node: str | None = None) -> None:
        exe = shutil.which("rabbitmqctl") or (
            "/usr/sbin/rabbitmqctl" if os.path.exists("/usr/sbin/rabbitmqctl") else None
        )
        if exe is None:
            raise ProvisionError(
                "rabbitmqctl not found: install rabbitmq-server, or set RABBITMQ_MANAGEMENT_URL "
                "(e.g. http://guest:guest@localhost:15672) to provision over HTTP"
            )
        self.exe = exe
        self.node = node or os.environ.get("RABBITMQ_NODENAME")

    def _run(self, *args: str) -> str:
        cmd = [self.exe]
        if self.node:
            cmd += ["-n", self.node]
        cmd += ["-q", *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise ProvisionError(
                f"{' '.join(cmd)} failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()[:500]}"
            )
        return proc.stdout

    def list_vhosts(self) -> list[str]:
        out = self._run("list_vhosts", "name", "--no-table-headers")
        return [line.strip() for line in out.splitlines() if line.strip()]

    def add_vhost(self, vhost: str) -> None:
        if vhost not in self.list_vhosts():
            self._run("add_vhost", vhost)

    def delete_vhost(self, vhost: str) -> None:
        if vhost in self.list_vhosts():
            self._run("delete_vhost", vhost)

    def set_permissions(self, vhost: str, user: str) -> None:
        self._run("set_permissions", "-p", vhost, user, ".*", ".*", ".*")

    def set_policy(self, vhost: str, name: str, pattern: str, definition: dict[str, Any]) -> None:
        self._run("set_policy", "-p", vhost, "--apply-to", "queues", name, pattern, json.dumps(definition))

    def queue_type(self, vhost: str, queue: str) -> str | None:
        out = self._run("list_queues", "-p", vhost, "name", "type", "--no-table-headers")
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] == queue:
                return parts[1]
        return None


def make_admin(settings: Settings) -> Admin:
    if settings.rabbitmq_management_url:
        return HttpAdmin(settings.rabbitmq_management_url)
    return CtlAdmin()


def amqp_user(settings: Settings) -> str:
    return unquote(urlsplit(settings.rabbitmq_urls[0]).username or "guest")


def connection_parameters(url: str, vhost: str, **overrides: Any) -> pika.URLParameters:
    params = pika.URLParameters(url)
    params.virtual_host = vhost
    for key, value in overrides.items():
        setattr(params, key, value)
    return params


def _policy_definition() -> dict[str, Any]:
    args = topology.events_queue_arguments()
    return {
        "delivery-limit": args["x-delivery-limit"],
        "dead-letter-exchange": args["x-dead-letter-exchange"],
        "dead-letter-routing-key": args["x-dead-letter-routing-key"],
        "dead-letter-strategy": args["x-dead-letter-strategy"],
        "overflow": args["x-overflow"],
    }


@dataclass
class VhostReport:
    vhost: str
    queues: list[str] = field(default_factory=list)
    compat_policy: bool = False


def declare_worker_queues(ch: Any, settings: Settings) -> None:
    """What a worker declares on every connect (`topology.declared_by_workers`), on an open
    channel: the queues whose existence the worker cannot leave to an earlier provisioning."""
    for ex in topology.exchanges():
        ch.exchange_declare(ex.name, exchange_type=ex.type, durable=True)
    for q in topology.declared_by_workers(
        settings.retry_delays, settings.alert_retry_delays, settings.followup_delays
    ):
        ch.queue_declare(q.name, durable=True, arguments=q.arguments)
        if q.bind_exchange:
            ch.queue_bind(q.name, q.bind_exchange, routing_key=q.bind_key)


def declare_topology(settings: Settings, vhost: str, admin: Admin) -> VhostReport:
    report = VhostReport(vhost)
    last_error: Exception | None = None
    for url in settings.rabbitmq_urls:
        try:
            conn = pika.BlockingConnection(
                connection_parameters(
                    url,
                    vhost,
                    socket_timeout=settings.broker_connect_timeout_s,
                    blocked_connection_timeout=30,
                    connection_attempts=1,
                )
            )
            break
        except pika.exceptions.AMQPError as exc:
            last_error = exc
    else:
        raise ProvisionError(
            f"cannot connect to RabbitMQ vhost {vhost!r} at {settings.rabbitmq_url}: {last_error!r}"
        )
    try:
        ch = conn.channel()
        for ex in topology.exchanges():
            ch.exchange_declare(ex.name, exchange_type=ex.type, durable=True)
        for q in topology.queues(
            settings.retry_delays, settings.alert_retry_delays, settings.followup_delays
        ):
            try:
                ch.queue_declare(q.name, durable=True, arguments=q.arguments)
            except pika.exceptions.ChannelClosedByBroker as exc:
                if exc.reply_code != 406 or q.name != topology.EVENTS_QUEUE:
                    raise ProvisionError(f"queue {vhost}/{q.name}: {exc.reply_text}") from exc
                ch = conn.channel()
                kind = admin.queue_type(vhost, q.name)
                if kind != "quorum":
                    raise ProvisionError(
                        f"queue {vhost}/{q.name} exists as a {kind} queue; it must be a quorum "
                        "queue. Drain and delete it, then run provisioning again."
                    ) from exc
                admin.set_policy(vhost, COMPAT_POLICY, f"^{topology.EVENTS_QUEUE}$", _policy_definition())
                report.compat_policy = True
                log.warning(
                    "queue %s/%s predates this gateway; applied policy %s with the same "
                    "settings instead of redeclaring it",
                    vhost,
                    q.name,
                    COMPAT_POLICY,
                )
            if q.bind_exchange:
                ch.queue_bind(q.name, q.bind_exchange, routing_key=q.bind_key)
            report.queues.append(q.name)
    finally:
        if conn.is_open:
            conn.close()
    return report


def provision(
    settings: Settings | None = None, admin: Admin | None = None, domains: list[str] | None = None
) -> list[VhostReport]:
    settings = settings or get_settings()
    admin = admin or make_admin(settings)
    user = amqp_user(settings)
    reports = []
    for domain in domains or topology.all_domains():
        vhost = topology.vhost_for(domain, settings.vhost_prefix)
        admin.add_vhost(vhost)
        admin.set_permissions(vhost, user)
        reports.append(declare_topology(settings, vhost, admin))
    return reports


def deprovision(settings: Settings | None = None, admin: Admin | None = None) -> list[str]:
    """Delete this prefix's vhosts (test teardown). Refuses to run with an empty prefix."""
    settings = settings or get_settings()
    if not settings.vhost_prefix:
        raise ProvisionError("refusing to delete the production vhosts: VHOST_PREFIX is empty")
    admin = admin or make_admin(settings)
    deleted = []
    for domain in topology.all_domains():
        vhost = topology.vhost_for(domain, settings.vhost_prefix)
        admin.delete_vhost(vhost)
        deleted.append(vhost)
    return deleted


# --- definitions.json for docker-compose ----------------------------------------------------------

COMPOSE_USER = "gateway"
COMPOSE_PASSWORD = "gateway"  # noqa: S105 - documented development default, override in production


def _password_hash(password: str, salt: bytes) -> str:
    # rabbit_password_hashing_sha256: base64(salt || sha256(salt || password)).
    digest = hashlib.sha256(salt + password.encode()).digest()
    return base64.b64encode(salt + digest).decode()


def build_definitions() -> dict[str, Any]:
    defaults = Settings(_env_file=None, vhost_prefix="")  # type: ignore[call-arg]
    vhosts = [topology.vhost_for(d) for d in topology.all_domains()]
    exchanges: list[dict[str, Any]] = []
    queues: list[dict[str, Any]] = []
    bindings: list[dict[str, Any]] = []
    for vhost in vhosts:
        for ex in topology.exchanges():
            exchanges.append(
                {
                    "name": ex.name,
                    "vhost": vhost,
                    "type": ex.type,
                    "durable": True,
                    "auto_delete": False,
                    "internal": False,
                    "arguments": {},
                }
            )
        for q in topology.queues(
            defaults.retry_delays, defaults.alert_retry_delays, defaults.followup_delays
        ):
            queues.append(
                {
                    "name": q.name,
                    "vhost": vhost,
                    "durable": True,
                    "auto_delete": False,
                    "arguments": q.arguments,
                }
            )
            if q.bind_exchange:
                bindings.append(
                    {
                        "source": q.bind_exchange,
                        "vhost": vhost,
                        "destination": q.name,
                        "destination_type": "queue",
                        "routing_key": q.bind_key,
                        "arguments": {},
                    }
                )
    return {
        "rabbit_version": "3.10.0",
        "users": [
            {
                "name": COMPOSE_USER,
                # Fixed salt keeps the file stable between runs; change the password in production.
                "password_hash": _password_hash(COMPOSE_PASSWORD, b"tgw1"),
                "hashing_algorithm": "rabbit_password_hashing_sha256",
                "tags": ["administrator"],
            }
        ],
        "vhosts": [{"name": v} for v in vhosts],
        "permissions": [
            {"user": COMPOSE_USER, "vhost": v, "configure": ".*", "write": ".*", "read": ".*"} for v in vhosts
        ],
        "policies": [],
        "exchanges": exchanges,
        "queues": queues,
        "bindings": bindings,
    }


def definitions_text() -> str:
    return json.dumps(build_definitions(), indent=2, sort_keys=True) + "\n"


def write_definitions(path: Path = DEFINITIONS_PATH) -> bool:
    """Write the file if it differs; returns True when it changed."""
    text = definitions_text()
    if path.exists() and path.read_text() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shared.provision",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--check-definitions",
        action="store_true",
        help="only check that deploy/rabbitmq/definitions.json is up to date",
    )
    parser.add_argument(
        "--definitions-only", action="store_true", help="only write deploy/rabbitmq/definitions.json"
    )
    parser.add_argument(
        "--skip-migrate",
        action="store_true",
        help="leave the task store alone (by default its schema is migrated too, see shared.migrate)",
    )
    parser.add_argument(
        "--delete",
        action="store_true",
        help="delete the vhosts of VHOST_PREFIX (test clean-up; needs a prefix)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    logging.getLogger("pika").setLevel(logging.WARNING)  # pika narrates every frame at INFO

    if args.check_definitions:
        if not DEFINITIONS_PATH.exists() or DEFINITIONS_PATH.read_text() != definitions_text():
            print(f"{DEFINITIONS_PATH} is stale: run python -m shared.provision --definitions-only")
            return 1
        print(f"{DEFINITIONS_PATH} is up to date")
        return 0
    if args.definitions_only:
        changed = write_definitions()
        print(f"{DEFINITIONS_PATH} {'written' if changed else 'already up to date'}")
        return 0

    settings = get_settings()
    try:
        if args.delete:
            for vhost in deprovision(settings):
                print(f"deleted vhost {vhost}")
            return 0
        for rep in provision(settings):
            extra = f" (policy {COMPAT_POLICY} on the existing eventos)" if rep.compat_policy else ""
            print(f"vhost {rep.vhost}: {len(rep.queues)} queues ready{extra}")
    except ProvisionError as exc:
        print(f"provisioning failed: {exc}", file=sys.stderr)
        return 1
    try:
        if write_definitions():
            print(f"wrote {DEFINITIONS_PATH}")
    except OSError as exc:  # a read-only image: the broker is provisioned, which is what matters
        print(f"note: could not write {DEFINITIONS_PATH}: {exc}")
    if not args.skip_migrate:
        # Provisioning prepares everything the API and workers need before they start (docs/scale-out.md).
        from shared import migrate

        try:
            print(f"task store: {migrate.upgrade(settings.database_url)}")
        except Exception as exc:
            print(f"task store migration failed: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
