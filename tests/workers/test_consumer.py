"""The consumer against the real RabbitMQ, for what only the broker shows: heartbeats during a long
handler, the delay queues of retries, replay, failover to the next node. What the consumer does
with each delivery is tested without a broker in test_consumer_in_memory.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from shared.config import Settings
from shared.store import Store
from tests.support.amqp import count, take_all
from tests.support.wait import wait_until
from tests.workers.conftest import envelope, publish

pytestmark = pytest.mark.broker

ROOT = Path(__file__).resolve().parents[2]


def _status(store: Store, task_id: str) -> str | None:
    task = store.get_task(task_id)
    return task["status"] if task else None


def test_handler_running_7s_with_2s_heartbeat_is_acked_on_the_same_connection(
    settings: Settings, store: Store, start_consumer
) -> None:
    consumer = start_consumer(heartbeat_s=2)
    first_connection = consumer.connection_generation
    task_id = publish(settings, envelope("sleep:7"), store=store)

    wait_until(lambda: _status(store, task_id) == "processing", timeout=10)
    wait_until(lambda: _status(store, task_id) == "completed", timeout=20, interval=0.2)

    assert consumer.connection_generation == first_connection, "the connection must not have been replaced"
    assert consumer.connection_open
    wait_until(lambda: consumer.inflight == 0, timeout=5)
    assert count(settings, "clinico", "eventos") == 0, "acked, not requeued"
    assert store.get_task(task_id)["attempts"] == 1


def test_transient_failure_is_retried_with_delay_then_completes(
    settings: Settings, store: Store, start_consumer
) -> None:
    start_consumer()
    task_id = publish(settings, envelope("fail-retries:2"), store=store)

    wait_until(lambda: _status(store, task_id) == "retrying", timeout=10)
    retrying = store.get_task(task_id)
    assert "scripted transient failure" in retrying["error"]
    wait_until(lambda: _status(store, task_id) == "completed", timeout=20, interval=0.1)
    task = store.get_task(task_id)
    assert task["attempts"] == 3
    assert task["error"] is None
    assert task["result"]["echo"] == "fail-retries:2"


def test_failed_handler_dead_letters_message_after_max_retries(
    settings: Settings, store: Store, start_consumer
) -> None:
    limited = settings.model_copy(update={"worker_max_retries": 1})
    start_consumer(settings_=limited)
    task_id = publish(settings, envelope("fail-always"), store=store)

    wait_until(lambda: _status(store, task_id) == "dead_lettered", timeout=20, interval=0.1)
    task = store.get_task(task_id)
    assert task["error"].startswith("max_retries_exceeded")
    # The status is stored before the dead-lettered copy is published and confirmed.
    wait_until(
        lambda: count(settings, "clinico", "eventos.dlq") == 1, timeout=10, message="the copy in eventos.dlq"
    )
    [(props, body)] = take_all(settings, "clinico", "eventos.dlq")
    assert json.loads(body)["task_id"] == task_id
    assert props.headers["x-dead-letter-reason"] == "max_retries_exceeded"
    assert "scripted transient failure" in props.headers["x-dead-letter-error"]


def test_replay_brings_a_dead_lettered_task_back_to_completed_once_its_cause_is_gone(
    settings: Settings, store: Store, start_consumer, tmp_path: Path
) -> None:
    start_consumer(settings_=settings.model_copy(update={"worker_max_retries": 0}))
    cause = tmp_path / "cause-fixed"
    other = publish(settings, envelope("permanent"), store=store)
    task_id = publish(settings, envelope(f"until-file:{cause}"), store=store)
    wait_until(lambda: _status(store, task_id) == "dead_lettered", timeout=10)
    wait_until(lambda: _status(store, other) == "dead_lettered", timeout=10)
    wait_until(
        lambda: count(settings, "clinico", "eventos.dlq") == 2,
        timeout=10,
        message="both copies in eventos.dlq",
    )

    cause.write_text("fixed")
    env = {
        "RABBITMQ_URL": settings.rabbitmq_url,
        "VHOST_PREFIX": settings.vhost_prefix,
        "DATABASE_URL": settings.database_url,
        "PATH": "/usr/bin:/bin",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "workers.replay", "--vhost", "fluxo_clinico", "--task-id", task_id],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "replayed 1 message(s)" in proc.stdout

    wait_until(lambda: _status(store, task_id) == "completed", timeout=10)
    assert store.get_task(task_id)["error"] is None
    # The one not asked for stays dead-lettered, in the DLQ.
    assert _status(store, other) == "dead_lettered"
    assert count(settings, "clinico", "eventos.dlq") == 1


def test_consumer_connects_to_the_next_listed_node_when_the_first_is_down(
    settings: Settings, store: Store, start_consumer
) -> None:
    multi = settings.model_copy(
        update={"rabbitmq_url": f"amqp://guest:guest@127.0.0.1:1/,{settings.rabbitmq_url}"}
    )
    start_consumer(settings_=multi)
    task_id = publish(settings, envelope("ok"), store=store)
    wait_until(lambda: _status(store, task_id) == "completed", timeout=10)
