"""Provisioning's broker users: each service gets only what it needs, and nobody is an
administrator at run time (docs/security.md); provisioning never dirties the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pika
import pika.exceptions
import pytest

from shared import provision, topology
from shared.config import Settings, vhost_url
from shared.replay import replay
from shared.store import Store
from tests.support.broker_users import provisioned_with_users, user_url

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.broker


@pytest.fixture(scope="module")
def users(broker_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with provisioned_with_users(tmp_path_factory.mktemp("users"), broker_url) as settings:
        yield settings


def _open(settings: Settings, role: str, domain: str = "clinico") -> Any:
    url = settings.for_broker_role(role).rabbitmq_urls[0]
    return pika.BlockingConnection(
        pika.URLParameters(vhost_url(url, topology.vhost_for(domain, settings.vhost_prefix)))
    )


def _refused(action: Any) -> int:
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as err:
        action()
    return int(err.value.reply_code)


def test_the_api_user_may_only_publish_to_eventos(users: Settings, tmp_path: Path) -> None:
    settings = users
    conn = _open(settings, "api")
    try:
        ch = conn.channel()
        ch.confirm_delivery()
        ch.basic_publish("eventos", "eventos", b"{}", mandatory=True)
        assert _refused(lambda: ch.basic_publish("eventos.dlx", "eventos.dlq", b"{}")) == 403
        ch = conn.channel()
        assert _refused(lambda: ch.basic_get("eventos", auto_ack=True)) == 403
        ch = conn.channel()
        assert _refused(lambda: ch.queue_declare("mine", durable=True)) == 403
        ch = conn.channel()
        assert _refused(lambda: ch.queue_purge("eventos")) == 403
    finally:
        conn.close()


def test_the_worker_user_consumes_and_publishes_within_its_vhost_queues(
    users: Settings, tmp_path: Path
) -> None:
    settings = users
    conn = _open(settings, "worker")
    try:
        ch = conn.channel()
        provision.declare_worker_queues(ch, settings)  # what a worker does on every connect
        ch.confirm_delivery()
        ch.basic_publish(topology.RETRY_EXCHANGE, topology.retry_queue_name(1), b"{}", mandatory=True)
        ch.basic_publish("", topology.ALERTS_QUEUE, b"{}", mandatory=True)
        ch.basic_publish(topology.DLX_EXCHANGE, topology.DLQ_ROUTING_KEY, b"{}", mandatory=True)
        assert ch.basic_get(topology.ALERTS_QUEUE, auto_ack=True)[0] is not None
        assert _refused(lambda: ch.queue_declare("elsewhere", durable=True)) == 403
    finally:
        conn.close()


def test_the_ops_user_can_replay_and_nothing_more(users: Settings, tmp_path: Path) -> None:
    settings = users
    admin = _open(settings, "worker")
    try:
        ch = admin.channel()
        ch.queue_purge("eventos")
        ch.queue_purge(topology.DLQ_QUEUE)  # other tests of this module share the vhosts
        ch.confirm_delivery()
        props = pika.BasicProperties(message_id="t-1", delivery_mode=2)
        ch.basic_publish(topology.DLX_EXCHANGE, topology.DLQ_ROUTING_KEY, b'{"task_id": "t-1"}', props)
    finally:
        admin.close()
    vhost = topology.vhost_for("clinico", settings.vhost_prefix)
    store = Store(f"sqlite:///{tmp_path / 'ops.db'}")
    try:
        assert replay(settings.for_broker_role("ops"), vhost, None, store) == 1
    finally:
        store.close()
    conn = _open(settings, "ops")
    try:
        ch = conn.channel()
        assert _refused(lambda: ch.basic_get("eventos", auto_ack=True)) == 403
    finally:
        conn.close()


def test_service_users_cannot_reach_other_vhosts_and_are_not_administrators(
    users: Settings, vhost_prefix: str
) -> None:
    settings = users
    other = topology.vhost_for("clinico", vhost_prefix)  # the session's vhosts
    for role in ("api", "worker", "ops"):
        url = settings.for_broker_role(role).rabbitmq_urls[0]
        with pytest.raises(pika.exceptions.AMQPConnectionError):
            pika.BlockingConnection(pika.URLParameters(vhost_url(url, other)))
    users = subprocess.run(
        ["rabbitmqctl", "-q", "list_users", "--no-table-headers"], capture_output=True, text=True
    ).stdout
    tags = {line.split()[0]: line for line in users.splitlines() if line.startswith(settings.vhost_prefix)}
    assert len(tags) == 3 and not any("administrator" in line for line in tags.values())


def test_provisioning_leaves_the_checkout_clean(tmp_path: Path, broker_url: str) -> None:
    def status() -> str:
        return subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout

    before = status()
    prefix = f"c{os.getpid()}_"
    env = {
        **os.environ,
        "RABBITMQ_URL": broker_url,
        "VHOST_PREFIX": prefix,
        "RETRY_DELAYS_S": "3,7",  # anything but the defaults the tracked definitions use
        "EVENTOS_MAX_LENGTH": "42",
        "RABBITMQ_API_URL": user_url(broker_url, f"{prefix}api", "pw-a"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tasks.db'}",
    }
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "shared.provision"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert status() == before
    finally:
        subprocess.run([sys.executable, "-m", "shared.provision", "--delete"], cwd=ROOT, env=env, check=False)
