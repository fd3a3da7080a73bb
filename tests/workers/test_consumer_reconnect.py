"""The broker goes away under a running consumer: it reconnects by itself and loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from shared import provision
from tests.conftest import throwaway_settings
from tests.support.amqp import count
from tests.support.wait import wait_until
from tests.workers.conftest import envelope, publish

pytestmark = [pytest.mark.broker, pytest.mark.slow]


def test_consumer_reconnects_after_a_broker_restart_and_loses_nothing(
    throwaway_broker, tmp_path: Path, store, start_consumer, monkeypatch
) -> None:
    runs = tmp_path / "runs.log"
    monkeypatch.setenv("TEST_HANDLER_LOG", str(runs))
    settings = throwaway_settings(throwaway_broker, tmp_path, database_url=store.url)
    provision.provision(settings)
    consumer = start_consumer(settings_=settings, heartbeat_s=2)

    acks_before = _acks()
    before = publish(settings, envelope("ok"), store=store)
    wait_until(lambda: store.get_task(before)["status"] == "completed", timeout=10)
    # Long enough that the broker is gone before it ends; `processing` shows after 0.5 s.
    during = publish(settings, envelope("sleep:5"), store=store)
    wait_until(lambda: store.get_task(during)["status"] == "processing", timeout=10)

    throwaway_broker.stop()  # mid-handler: its ack has nowhere to go
    wait_until(lambda: not consumer.connected.is_set(), timeout=15)
    throwaway_broker.start()

    wait_until(consumer.connected.is_set, timeout=60, interval=0.2, message="the consumer to reconnect")
    after = publish(settings, envelope("ok"), store=store)
    for task_id in (before, during, after):
        wait_until(lambda t=task_id: store.get_task(t)["status"] == "completed", timeout=30)
    wait_until(lambda: count(settings, "clinico", "eventos") == 0, timeout=10)
    # Handled (acks counted even when the ack itself is lost): `before`, `during` (first run, its
    # ack lost with the broker), `during` again (the redelivery, skipped) and `after`.
    wait_until(lambda: _acks() - acks_before >= 4, timeout=15, message="the redelivery to be handled")
    # The interrupted task was redelivered, found completed in the store and not run again.
    assert runs.read_text().count(f"{during} ") == 2  # one start, one done


def _acks() -> float:
    return REGISTRY.get_sample_value("worker_tasks_total", {"domain": "clinico", "outcome": "ack"}) or 0.0
