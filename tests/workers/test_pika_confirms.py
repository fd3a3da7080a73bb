"""The transport's confirmed publishes on RabbitMQ, settled by the broker's confirm without
blocking the connection thread (docs/agent-message.md, "Seventh session"): a publish returns once
the message is in its queue, a mandatory publish nobody can route fails as it did with the
blocking channel, a publish the broker refuses by closing the channel fails and the next one goes
through, and a republish the broker cannot route puts its delivery back instead of acking it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pika
import pika.exceptions
import pytest

from shared import topology
from shared.config import Settings
from tests.support.amqp import count, publish_raw, purge
from workers.pika_transport import PikaTransport
from workers.transport import ConnectionUnavailable, Delivery


def _poll(check: Any, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


@pytest.fixture
def running(settings: Settings) -> Iterator[tuple[PikaTransport, list[Delivery]]]:
    purge(settings, "clinico", topology.EVENTS_QUEUE)
    vhost = topology.vhost_for("clinico", settings.vhost_prefix)
    transport = PikaTransport(settings, vhost, connection_name="confirm-test", shutdown_grace_s=1.0)
    got: list[Delivery] = []
    transport.subscribe(topology.EVENTS_QUEUE, 10, got.extend)
    thread = threading.Thread(target=transport.run, daemon=True)
    thread.start()
    assert transport.connected.wait(30), "the transport did not connect"
    yield transport, got
    transport.stop()
    thread.join(30)


PROPS = pika.BasicProperties(delivery_mode=2)


def test_a_confirmed_publish_returns_once_its_message_is_in_the_queue(
    settings: Settings, running: tuple[PikaTransport, list[Delivery]]
) -> None:
    transport, got = running
    for i in range(5):
        transport.publish("", topology.EVENTS_QUEUE, f"m{i}".encode(), PROPS)
    _poll(lambda: len(got) == 5, "the published messages never came back to the consumer")
    assert sorted(d.body for d in got) == [b"m0", b"m1", b"m2", b"m3", b"m4"]


def test_a_mandatory_publish_nobody_can_route_fails_and_the_next_one_goes_through(
    settings: Settings, running: tuple[PikaTransport, list[Delivery]]
) -> None:
    transport, got = running
    with pytest.raises(pika.exceptions.UnroutableError):
        transport.publish("", "no-such-queue", b"lost", PROPS)
    transport.publish("", topology.EVENTS_QUEUE, b"routed", PROPS)
    _poll(lambda: [d.body for d in got] == [b"routed"], "the routable publish never arrived")


def test_a_publish_to_a_missing_exchange_fails_and_the_channel_is_opened_again(
    settings: Settings, running: tuple[PikaTransport, list[Delivery]]
) -> None:
    transport, got = running
    with pytest.raises((ConnectionUnavailable, pika.exceptions.AMQPError)):
        transport.publish("no-such-exchange", "x", b"refused", PROPS)
    transport.publish("", topology.EVENTS_QUEUE, b"after", PROPS)
    _poll(lambda: [d.body for d in got] == [b"after"], f"the publish after the refusal never arrived: {got}")


def test_a_republish_nobody_can_route_puts_its_delivery_back_instead_of_acking_it(
    settings: Settings, running: tuple[PikaTransport, list[Delivery]]
) -> None:
    transport, got = running
    publish_raw(settings, "clinico", b"task")
    _poll(lambda: len(got) == 1, "the task never arrived")
    assert transport.publish_then_ack(got[0], "", "no-such-queue", b"task", PROPS) == "requeued"
    _poll(lambda: len(got) == 2, "the task was not redelivered")
    assert got[1].body == b"task"
    assert transport.publish_then_ack(got[1], "", topology.EVENTS_QUEUE, b"again", PROPS) == "acked"
    _poll(lambda: len(got) == 3, "the republished message never arrived")
    transport.ack(got[2])
    transport.stop()
    _poll(lambda: not transport.is_open, "the transport did not stop")
    assert count(settings, "clinico", topology.EVENTS_QUEUE) == 0, "acked, nothing left behind"
