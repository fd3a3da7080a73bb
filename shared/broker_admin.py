"""Broker administration for provisioning: the management HTTP API or `rabbitmqctl`, and the
least-privileged users of the runtime services (docs/security.md).

`ROLE_PERMISSIONS` is the one place that says what the API, the workers and the /ops console may
do on a vhost; `shared.provision` creates the users and applies it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlsplit

from shared.config import Settings


class ProvisionError(RuntimeError):
    pass


@dataclass(frozen=True)
class Permissions:
    """RabbitMQ's configure/write/read regular expressions on resource names within a vhost."""

    configure: str = ".*"
    write: str = ".*"
    read: str = ".*"


FULL = Permissions()
NOTHING = "^$"
# Least privilege per runtime identity (docs/security.md). Names are matched per vhost, so the
# same patterns serve every prefix. Publishing to the default exchange (the LLM stage's queue,
# `alertas`, direct replies) is a write on `amq.default`.
ROLE_PERMISSIONS: dict[str, Permissions] = {
    # Publishes tasks to the `eventos` exchange; nothing else (its direct reply-to consumer
    # needs no permission).
    "api": Permissions(configure=NOTHING, write=r"^eventos$", read=NOTHING),
    # Consumes eventos, eventos.ia and alertas; publishes retries, dead letters, parked alerts
    # and replies; declares the delay queues and eventos.ia of its configuration.
    "worker": Permissions(
        configure=r"^(eventos|alertas|seguimento)(\..+)?$",
        write=r"^(eventos|alertas|seguimento|amq\.default)(\..+)?$",
        read=r"^(eventos|alertas|seguimento)(\..+)?$",
    ),
    # Replay (eventos.dlq → eventos exchange) and alert retry (default exchange → alertas).
    "ops": Permissions(configure=NOTHING, write=r"^(eventos|amq\.default)$", read=r"^eventos\.dlq$"),
}
ROLE_TAGS: dict[str, list[str]] = {"api": [], "worker": [], "ops": ["management"]}


class Admin(Protocol):
    def list_vhosts(self) -> list[str]: ...
    def add_vhost(self, vhost: str) -> None: ...
    def delete_vhost(self, vhost: str) -> None: ...
    def set_permissions(self, vhost: str, user: str, perms: Permissions = ...) -> None: ...
    def put_user(self, user: str, password: str, tags: list[str]) -> None: ...
    def import_definitions(self, definitions: dict[str, Any]) -> None: ...
    def delete_user(self, user: str) -> None: ...
    def set_policy(
        self, vhost: str, name: str, pattern: str, definition: dict[str, Any], priority: int = 0
    ) -> None: ...
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

    def set_permissions(self, vhost: str, user: str, perms: Permissions = FULL) -> None:
        self._ok(
            self.client.put(
                f"/api/permissions/{quote(vhost, safe='')}/{quote(user, safe='')}",
                json={"configure": perms.configure, "write": perms.write, "read": perms.read},
            )
        )

    def put_user(self, user: str, password: str, tags: list[str]) -> None:
        self._ok(
            self.client.put(
                f"/api/users/{quote(user, safe='')}", json={"password": password, "tags": ",".join(tags)}
            )
        )

    def import_definitions(self, definitions: dict[str, Any]) -> None:
        self._ok(self.client.post("/api/definitions", json=definitions))

    def delete_user(self, user: str) -> None:
        resp = self.client.delete(f"/api/users/{quote(user, safe='')}")
        if resp.status_code != 404:
            self._ok(resp)

    def set_policy(
        self, vhost: str, name: str, pattern: str, definition: dict[str, Any], priority: int = 0
    ) -> None:
        self._ok(
            self.client.put(
                f"/api/policies/{quote(vhost, safe='')}/{quote(name, safe='')}",
                json={
                    "pattern": pattern,
                    "definition": definition,
                    "apply-to": "queues",
                    "priority": priority,
                },
            )
        )

    def queue_type(self, vhost: str, queue: str) -> str | None:
        resp = self.client.get(f"/api/queues/{quote(vhost, safe='')}/{quote(queue, safe='')}")
        if resp.status_code == 404:
            return None
        return str(self._ok(resp).json().get("type"))


# rabbitmqctl's exit status when it cannot reach the node at all (sysexits EX_UNAVAILABLE).
_CTL_UNREACHABLE = 69


class CtlAdmin:
    """`rabbitmqctl` on this machine (needs to run as root or as the rabbitmq user)."""

    def __init__(self, node: str | None = None, unreachable_grace_s: float = 90.0) -> None:
        self.unreachable_grace_s = unreachable_grace_s
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

    def _run(self, *args: str, stdin: str | None = None) -> str:
        cmd = [self.exe]
        if self.node:
            cmd += ["-n", self.node]
        cmd += ["-q", *args]
        deadline = time.monotonic() + self.unreachable_grace_s
        delay = 0.5
        while True:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, input=stdin)
            if proc.returncode == 0:
                return proc.stdout
            # 69 (EX_UNAVAILABLE) means the CLI never reached the node, so nothing was done and a
            # retry is safe. A running node that dropped out of epmd (a throwaway node's epmd
            # restarted, say) registers again within a minute (docs/testing.md, "Broker CLI").
            if proc.returncode != _CTL_UNREACHABLE or time.monotonic() + delay > deadline:
                raise ProvisionError(
                    f"{' '.join(cmd)} failed ({proc.returncode}): "
                    f"{(proc.stderr or proc.stdout).strip()[:4000]}"
                )
            time.sleep(delay)
            delay = min(delay * 2, 8.0)

    def list_vhosts(self) -> list[str]:
        out = self._run("list_vhosts", "name", "--no-table-headers")
        return [line.strip() for line in out.splitlines() if line.strip()]

    def add_vhost(self, vhost: str) -> None:
        if vhost not in self.list_vhosts():
            self._run("add_vhost", vhost)

    def delete_vhost(self, vhost: str) -> None:
        if vhost in self.list_vhosts():
            self._run("delete_vhost", vhost)

    def set_permissions(self, vhost: str, user: str, perms: Permissions = FULL) -> None:
        self._run("set_permissions", "-p", vhost, user, perms.configure, perms.write, perms.read)

    def _users(self) -> list[str]:
        out = self._run("list_users", "--no-table-headers")
        return [line.split()[0] for line in out.splitlines() if line.strip()]

    def put_user(self, user: str, password: str, tags: list[str]) -> None:
        # The password goes through standard input, never the command line (`ps` shows that).
        verb = "change_password" if user in self._users() else "add_user"
        self._run(verb, user, stdin=password)
        self._run("set_user_tags", user, *tags)

    def import_definitions(self, definitions: dict[str, Any]) -> None:
        # One call for what would be dozens (each rabbitmqctl call starts an Erlang VM); through
        # standard input, so password hashes never touch the disk or the command line.
        self._run("import_definitions", stdin=json.dumps(definitions))

    def delete_user(self, user: str) -> None:
        if user in self._users():
            self._run("delete_user", user)

    def set_policy(
        self, vhost: str, name: str, pattern: str, definition: dict[str, Any], priority: int = 0
    ) -> None:
        self._run(
            "set_policy",
            "-p",
            vhost,
            "--apply-to",
            "queues",
            "--priority",
            str(priority),
            name,
            pattern,
            json.dumps(definition),
        )

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


@dataclass(frozen=True)
class RoleUser:
    role: str
    name: str
    password: str


def role_users(settings: Settings) -> list[RoleUser]:
    """The runtime identities named by RABBITMQ_API_URL / _WORKER_URL / _OPS_URL (their
    passwords come from those URLs, i.e. from the environment or a `*_FILE` secret)."""
    admin = settings.broker_user
    users = []
    for role in ROLE_PERMISSIONS:
        url = getattr(settings, f"rabbitmq_{role}_url")
        if not url:
            continue
        parts = urlsplit(url.split(",")[0].strip())
        name, password = unquote(parts.username or ""), unquote(parts.password or "")
        if not name or name == admin:
            continue
        if not password:
            raise ProvisionError(f"RABBITMQ_{role.upper()}_URL names user {name!r} without a password")
        users.append(RoleUser(role, name, password))
    return users


def password_hash(password: str, salt: bytes) -> str:
    # rabbit_password_hashing_sha256: base64(salt || sha256(salt || password)).
    digest = hashlib.sha256(salt + password.encode()).digest()
    return base64.b64encode(salt + digest).decode()
