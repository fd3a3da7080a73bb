"""The pika consumer against the real RabbitMQ: long handlers, retries, dead-lettering, duplicates."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

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


def test_each_poison_message_is_dead_lettered_with_its_reason_and_good_ones_still_flow(
    settings: Settings, store: Store, start_consumer
) -> None:
    start_consumer()
    good_before = publish(settings, envelope("ok"), store=store)
    bad_payload = envelope("x")
    bad_payload.payload = {"paciente_id": "not-a-uuid", "queixa": "dor"}
    schema_v2 = json.loads(envelope("ok").to_json_bytes())
    schema_v2["schema_version"] = 2
    missing_fields = {"task_id": str(uuid.uuid4()), "domain": "clinico"}
    unknown_type = envelope("ok")
    unknown_type.task_type = "cirurgia"
    wrong_domain = envelope(
        "ok",
        domain="exames",
        task_type="hemograma",
        payload={"paciente_id": str(uuid.uuid4()), "resultados": {"hemoglobina_g_dl": 12}},
    )
    permanent = envelope("permanent")

    publish(settings, b"\xff not json at all")
    publish(settings, b"[1, 2, 3]")
    publish(settings, json.dumps(schema_v2).encode())
    publish(settings, json.dumps(missing_fields).encode())
    ids = {
        "invalid_payload": publish(settings, bad_payload, store=store),
        "unknown_task_type": publish(settings, unknown_type, store=store),
        "wrong_domain": publish(settings, wrong_domain, store=store),
        "handler_permanent_error": publish(settings, permanent, store=store),
    }
    good_after = publish(settings, envelope("ok"), store=store)

    wait_until(
        lambda: count(settings, "clinico", "eventos.dlq") == 8,
        timeout=15,
        message="eight poison messages in eventos.dlq",
    )
    reasons = sorted(
        p.headers["x-dead-letter-reason"] for p, _ in take_all(settings, "clinico", "eventos.dlq")
    )
    assert reasons == sorted(
        [
            "invalid_json",
            "invalid_envelope",
            "unsupported_schema_version",
            "invalid_envelope",
            "invalid_payload",
            "unknown_task_type",
            "wrong_domain",
            "handler_permanent_error",
        ]
    )
    for reason, task_id in ids.items():
        task = store.get_task(task_id)
        assert task["status"] == "dead_lettered", reason
        assert task["error"].startswith(reason)
    wait_until(lambda: _status(store, good_after) == "completed", timeout=10)
    wait_until(lambda: _status(store, good_before) == "completed", timeout=10)


def test_message_redelivered_too_often_is_dead_lettered_with_the_reason(
    settings: Settings, store: Store, start_consumer
) -> None:
    start_consumer()
    # What the quorum queue stamps on the 9th delivery of a message that keeps killing workers.
    task_id = publish(settings, envelope("ok"), store=store, headers={"x-delivery-count": 8})
    wait_until(lambda: _status(store, task_id) == "dead_lettered", timeout=10)
    assert store.get_task(task_id)["error"].startswith("delivery_limit")
    # The status is stored before the dead-lettered copy is published and confirmed.
    wait_until(
        lambda: count(settings, "clinico", "eventos.dlq") == 1, timeout=10, message="the copy in eventos.dlq"
    )
    [(props, _)] = take_all(settings, "clinico", "eventos.dlq")
    assert props.headers["x-dead-letter-reason"] == "delivery_limit"


def test_redelivery_of_a_completed_task_does_not_run_it_again(
    settings: Settings, store: Store, start_consumer, tmp_path: Path, monkeypatch
) -> None:
    log = tmp_path / "runs.log"
    monkeypatch.setenv("TEST_HANDLER_LOG", str(log))
    start_consumer()
    env = envelope("ok")
    task_id = publish(settings, env, store=store)
    wait_until(lambda: _status(store, task_id) == "completed", timeout=10)
    completed = store.get_task(task_id)

    acks_before = _acks()
    publish(settings, env)  # the same message again (a publisher retry, a replayed copy...)
    publish(settings, env, headers={"x-delivery-count": 1})  # or a broker redelivery
    # Both copies handled (a skipped duplicate is acked too), not merely taken off the queue.
    wait_until(lambda: _acks() - acks_before >= 2, timeout=10, message="both copies to be handled")

    again = store.get_task(task_id)
    assert again["status"] == "completed"
    assert again["updated_at"] == completed["updated_at"] and again["attempts"] == completed["attempts"]
    assert log.read_text().count(f"{task_id} ") == 2, "one start and one done line: it ran once"


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


def _acks() -> float:
    """Messages the consumers of this test process finished with an ack (skipped duplicates too)."""
    return REGISTRY.get_sample_value("worker_tasks_total", {"domain": "clinico", "outcome": "ack"}) or 0.0
