"""Queue depths for /ops and the worker's samples: the management API and AMQP agree."""

from __future__ import annotations

from pathlib import Path

import pika
import pytest

from shared import provision, topology
from shared.queue_depths import vhost_depths
from tests.conftest import throwaway_settings
from tests.support.amqp import channel
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]


def test_depths_read_through_the_management_api_match_those_read_over_amqp(
    throwaway_broker, tmp_path: Path
) -> None:
    settings = throwaway_settings(throwaway_broker, tmp_path)
    provision.provision(settings)
    vhost = topology.vhost_for("exames", settings.vhost_prefix)
    with channel(settings, "exames") as ch:
        ch.confirm_delivery()
        persistent = pika.BasicProperties(delivery_mode=2)
        for _ in range(3):
            ch.basic_publish(topology.EVENTS_EXCHANGE, topology.EVENTS_ROUTING_KEY, b"{}", persistent)
        ch.basic_publish(topology.DLX_EXCHANGE, topology.DLQ_ROUTING_KEY, b"{}", persistent)

    over_amqp = vhost_depths(settings.model_copy(update={"rabbitmq_management_url": None}), vhost)
    assert over_amqp[topology.EVENTS_QUEUE] == 3 and over_amqp[topology.DLQ_QUEUE] == 1
    assert over_amqp[topology.ALERTS_QUEUE] == 0
    assert {topology.retry_queue_name(d) for d in settings.retry_delays} <= set(over_amqp)
    # The management API's figures lag by its statistics interval.
    wait_until(lambda: vhost_depths(settings, vhost) == over_amqp, timeout=30, interval=0.5)
