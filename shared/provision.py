"""`python -m shared.provision`: vhosts, permissions, exchanges, queues and bindings (docs/topology.md).

Idempotent: run it as often as you like. Vhosts, permissions and policies go through the
management HTTP API when `RABBITMQ_MANAGEMENT_URL` is set, else through `rabbitmqctl` (the node
is taken from `RABBITMQ_NODENAME` when set). Exchanges and queues are declared over AMQP in both
cases, which checks their arguments exactly as a client would.

Compatibility with the seed system: its `eventos` queues are quorum queues declared without our
arguments. Redeclaring them with different arguments fails with PRECONDITION_FAILED, so for an
existing quorum `eventos` we apply the same settings through a policy instead; name and type stay.

With RABBITMQ_API_URL / RABBITMQ_WORKER_URL / RABBITMQ_OPS_URL set, it also creates those users
with least privilege (docs/security.md). `deploy/rabbitmq/definitions.json` (the topology for
docker-compose's broker) is generated from fixed defaults by `--definitions-only`, never from the
environment and never by a plain run; `--check-definitions` exits 1 if it is stale.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass, field
from typing import Any

import pika
import pika.exceptions

from shared import topology
from shared.broker_admin import (
    FULL,
    ROLE_PERMISSIONS,
    ROLE_TAGS,
    Admin,
    CtlAdmin,
    HttpAdmin,
    Permissions,
    ProvisionError,
    make_admin,
    password_hash,
    role_users,
)
from shared.config import Settings, get_settings
from shared.definitions import (
    COMPOSE_PASSWORD,
    COMPOSE_USER,
    DEFINITIONS_PATH,
    EVENTS_POLICY,
    build_definitions,
    definitions_text,
    events_policy,
    write_definitions,
)

log = logging.getLogger("shared.provision")
# Re-exported: callers and tests reach the admin side through this module.
__all__ = [
    "COMPOSE_PASSWORD",
    "COMPOSE_USER",
    "EVENTS_POLICY",
    "ROLE_PERMISSIONS",
    "Admin",
    "CtlAdmin",
    "HttpAdmin",
    "ProvisionError",
    "build_definitions",
    "declare_topology",
    "deprovision",
    "provision",
]


def amqp_user(settings: Settings) -> str:
    return settings.broker_user


def connection_parameters(url: str, vhost: str, **overrides: Any) -> pika.URLParameters:
    params = pika.URLParameters(url)
    params.virtual_host = vhost
    for key, value in overrides.items():
        setattr(params, key, value)
    return params


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
                report.compat_policy = True
                log.warning(
                    "queue %s/%s predates this gateway; policy %s gives it the same "
                    "settings instead of redeclaring it",
                    vhost,
                    q.name,
                    EVENTS_POLICY,
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
    users = role_users(settings)
    vhosts = [
        topology.vhost_for(domain, settings.vhost_prefix) for domain in domains or topology.all_domains()
    ]
    # Vhosts, users, permissions and the eventos policy in one import (idempotent: an import
    # creates or updates, and leaves everything it does not name alone).
    admin.import_definitions(
        {
            "vhosts": [
                {"name": v, "description": "clinical task gateway", "default_queue_type": "quorum"}
                for v in vhosts
            ],
            "users": [
                {
                    "name": u.name,
                    "password_hash": password_hash(u.password, os.urandom(4)),
                    "hashing_algorithm": "rabbit_password_hashing_sha256",
                    "tags": ROLE_TAGS[u.role],
                }
                for u in users
            ],
            "permissions": [_permission(user, v, FULL) for v in vhosts]
            + [_permission(u.name, v, ROLE_PERMISSIONS[u.role]) for u in users for v in vhosts],
            "policies": [events_policy(settings, v) for v in vhosts],
        }
    )
    return [declare_topology(settings, vhost, admin) for vhost in vhosts]


def _permission(user: str, vhost: str, perms: Permissions) -> dict[str, str]:
    return {
        "user": user,
        "vhost": vhost,
        "configure": perms.configure,
        "write": perms.write,
        "read": perms.read,
    }


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
    for role_user in role_users(settings):
        if role_user.name.startswith(settings.vhost_prefix):  # only a test run's own users
            admin.delete_user(role_user.name)
    return deleted


# --- definitions.json for docker-compose ----------------------------------------------------------


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
        "--password-hash",
        action="store_true",
        help="print the definitions-file hash of a password read from standard input",
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
    if args.password_hash:
        print(password_hash(sys.stdin.readline().rstrip("\n"), os.urandom(4)))
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
            extra = " (an existing seed eventos, settings by policy)" if rep.compat_policy else ""
            print(f"vhost {rep.vhost}: {len(rep.queues)} queues ready{extra}")
        for role_user in role_users(settings):
            print(f"broker user {role_user.name}: {role_user.role} permissions")
        for role in ROLE_PERMISSIONS:
            if not getattr(settings, f"rabbitmq_{role}_url"):
                print(
                    f"warning: RABBITMQ_{role.upper()}_URL is unset: the {role} connects as "
                    f"{amqp_user(settings)!r}"
                )
    except ProvisionError as exc:
        print(f"provisioning failed: {exc}", file=sys.stderr)
        return 1
    # deploy/rabbitmq/definitions.json is not written here: it is tracked and comes from fixed
    # defaults (--definitions-only); --check-definitions tells when it is stale.
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
