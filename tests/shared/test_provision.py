"""Provisioning: idempotent, exact arguments, seed-compatible, definitions.json in sync."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pika
import pytest

from shared import provision, topology
from shared.config import Settings
from shared.provision import HttpAdmin, ProvisionError
from tests.conftest import throwaway_settings
from tests.support.amqp import channel
from tests.support.wait import wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.broker
def test_provisioning_twice_is_harmless_and_queues_have_the_spec_arguments(settings: Settings) -> None:
    provision.provision(settings)  # the session already provisioned once
    specs = {q.name: q for q in topology.queues(settings.retry_delays, settings.alert_retry_delays)}
    for domain in topology.all_domains():
        with channel(settings, domain) as ch:
            for name, spec in specs.items():
                # Redeclaring with the same arguments succeeds only if they match exactly.
                ch.queue_declare(name, durable=True, arguments=spec.arguments)
    args = specs["eventos"].arguments
    assert args["x-queue-type"] == "quorum"
    assert args["x-dead-letter-exchange"] == topology.DLX_EXCHANGE
    assert args["x-dead-letter-strategy"] == "at-least-once"
    assert args["x-overflow"] == "reject-publish"
    assert args["x-delivery-limit"] == topology.DELIVERY_LIMIT
    assert {"eventos.dlq", "alertas", "eventos.retry.1s", "eventos.retry.2s"} <= set(specs)


@pytest.mark.broker
def test_dead_letter_and_retry_routes_are_bound(settings: Settings) -> None:
    with channel(settings, "opme") as ch:
        ch.confirm_delivery()
        ch.queue_purge("eventos.dlq")
        ch.basic_publish(topology.DLX_EXCHANGE, topology.DLQ_ROUTING_KEY, b"{}", mandatory=True)
        assert ch.queue_declare("eventos.dlq", passive=True).method.message_count == 1
        ch.queue_purge("eventos.dlq")
        ch.basic_publish(topology.RETRY_EXCHANGE, topology.retry_queue_name(1), b"{}", mandatory=True)
        ch.queue_purge(topology.retry_queue_name(1))


@pytest.mark.broker
@pytest.mark.slow
def test_management_api_provisioning_keeps_a_seed_eventos_queue(throwaway_broker, tmp_path: Path) -> None:
    settings = throwaway_settings(throwaway_broker, tmp_path)
    admin = HttpAdmin(settings.rabbitmq_management_url)
    vhost = topology.vhost_for("clinico", settings.vhost_prefix)
    admin.add_vhost(vhost)
    admin.set_permissions(vhost, "guest")
    with channel(settings, "clinico") as ch:  # what the seed system declared
        ch.queue_declare("eventos", durable=True, arguments={"x-queue-type": "quorum"})
        ch.confirm_delivery()  # the message is in the queue before provisioning looks
        ch.basic_publish("", "eventos", b'{"seed": true}', pika.BasicProperties(delivery_mode=2))

    reports = provision.provision(settings)

    by_vhost = {r.vhost: r for r in reports}
    assert by_vhost[vhost].compat_policy is True
    assert all(not r.compat_policy for v, r in by_vhost.items() if v != vhost)
    assert set(admin.list_vhosts()) >= {
        topology.vhost_for(d, settings.vhost_prefix) for d in topology.all_domains()
    }
    queue = admin.client.get(f"/api/queues/{vhost}/eventos").json()
    assert queue["type"] == "quorum"
    with channel(settings, "clinico") as ch:
        assert ch.queue_declare("eventos", passive=True).method.message_count == 1, "seed message kept"
    policy = admin.client.get(f"/api/policies/{vhost}/{provision.EVENTS_POLICY}").json()
    assert policy["definition"]["dead-letter-exchange"] == topology.DLX_EXCHANGE
    assert policy["definition"]["delivery-limit"] == topology.DELIVERY_LIMIT
    # The existing queue gets the length limit too (EVENTOS_MAX_LENGTH), through the policy.
    assert policy["definition"]["max-length"] == settings.eventos_max_length
    queue_url = f"/api/queues/{vhost}/eventos"
    wait_until(
        lambda: admin.client.get(queue_url).json().get("policy") == provision.EVENTS_POLICY,
        message="the existing eventos under the policy",
    )
    # And it is still idempotent.
    provision.provision(settings)


@pytest.mark.broker
@pytest.mark.slow
def test_a_classic_eventos_queue_is_reported_not_replaced(throwaway_broker, tmp_path: Path) -> None:
    settings = throwaway_settings(throwaway_broker, tmp_path)
    admin = HttpAdmin(settings.rabbitmq_management_url)
    vhost = topology.vhost_for("exames", settings.vhost_prefix)
    admin.add_vhost(vhost)
    admin.set_permissions(vhost, "guest")
    with channel(settings, "exames") as ch:
        ch.queue_declare("eventos", durable=True)
    with pytest.raises(ProvisionError, match="classic queue"):
        provision.provision(settings, domains=["exames"])


def test_definitions_json_is_in_sync_with_the_topology() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "shared.provision", "--check-definitions"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads((ROOT / "deploy/rabbitmq/definitions.json").read_text())
    assert sorted(v["name"] for v in data["vhosts"]) == sorted(
        topology.vhost_for(d) for d in topology.all_domains()
    )
    eventos = [q for q in data["queues"] if q["name"] == "eventos"]
    assert len(eventos) == 4
    assert all(q["arguments"]["x-queue-type"] == "quorum" for q in data["queues"])
    assert data["users"][0]["name"] == provision.COMPOSE_USER


def test_deprovision_refuses_an_empty_prefix(offline_settings: Settings) -> None:
    with pytest.raises(ProvisionError, match="VHOST_PREFIX"):
        provision.deprovision(offline_settings)
