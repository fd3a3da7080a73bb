"""The consumer and its stages over the in-memory transport (tests/support/memory_transport.py):
what it does with each delivery (ack, retry, dead-letter, parked alerts, the LLM hand-off) with
no RabbitMQ. What only the broker shows (heartbeats, delay queues, reconnects) stays in
test_consumer.py."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from shared import topology
from shared.messages import Envelope
from shared.store import Store
from tests.conftest import make_settings
from tests.support.fake_nestjs import FakeNestJS
from tests.support.memory_transport import MemoryTransport
from tests.support.wait import wait_until
from tests.workers.conftest import create_row, envelope
from workers.consumer import VhostConsumer
from workers.registry import load_handlers
from workers.worker import build_consumer

load_handlers()

SECRET = "segredo-compartilhado-de-teste-com-32-bytes-ou-mais"

Start = Callable[..., tuple[VhostConsumer, MemoryTransport]]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'tasks.db'}")
    yield s
    s.close()


@pytest.fixture
def start(tmp_path: Path, store: Store, scripted_handlers: None) -> Iterator[Start]:
    """A consumer for `domain` on an in-memory transport, running on its own thread."""
    running: list[tuple[VhostConsumer, threading.Thread]] = []

    def go(
        domain: str = "clinico", *, alerts: bool = False, **settings: Any
    ) -> tuple[VhostConsumer, MemoryTransport]:
        config = make_settings(tmp_path, worker_max_retries=2, **settings)
        transport = MemoryTransport()
        consumer = build_consumer(
            config, topology.vhost_for(domain, ""), store=store, alerts=alerts, transport=transport
        )
        thread = threading.Thread(target=consumer.run, daemon=True)
        thread.start()
        assert transport.connected.wait(5)
        running.append((consumer, thread))
        return consumer, transport

    yield go
    for consumer, thread in running:
        consumer.stop()
        thread.join(30)
        assert not thread.is_alive(), "consumer did not stop"


def send(
    transport: MemoryTransport, store: Store | None, env: Envelope | bytes, **headers: Any
) -> str | None:
    """Publish like the API does: the task row first (when a store is given), then the message."""
    if isinstance(env, bytes):
        transport.deliver(topology.EVENTS_QUEUE, env, headers)
        return None
    if store is not None:
        create_row(store, env)
    transport.deliver(topology.EVENTS_QUEUE, env.to_json_bytes(), headers, message_id=str(env.task_id))
    return str(env.task_id)


def critical_hemograma() -> Envelope:
    return envelope(
        "",
        domain="exames",
        task_type="hemograma",
        payload={"paciente_id": str(uuid.uuid4()), "resultados": {"plaquetas_mm3": 8000}},
    )


def status(store: Store, task_id: str | None) -> str | None:
    task = store.get_task(str(task_id))
    return task["status"] if task else None


def test_a_completed_task_is_acked_once_with_nothing_republished(store: Store, start: Start) -> None:
    _, transport = start()
    task_id = send(transport, store, envelope("ok"))

    wait_until(lambda: status(store, task_id) == "completed", timeout=10)
    wait_until(lambda: len(transport.acked) == 1, timeout=5)
    assert transport.nacked == [] and transport.published == []
    assert store.get_task(str(task_id))["attempts"] == 1


def test_a_transient_failure_goes_to_the_delay_queue_then_completes_when_it_comes_back(
    store: Store, start: Start
) -> None:
    _, transport = start()
    task_id = send(transport, store, envelope("fail-retries:2"))

    wait_until(lambda: len(transport.delayed) == 1, timeout=10, message="the first retry")
    [first] = transport.delayed
    assert first.exchange == topology.RETRY_EXCHANGE
    assert first.routing_key == topology.retry_queue_name(1)
    assert first.headers[topology.H_RETRY_COUNT] == 1
    assert "scripted transient failure" in first.headers["x-last-error"]
    assert status(store, task_id) == "retrying"

    transport.release_delayed()
    wait_until(lambda: len(transport.delayed) == 1, timeout=10, message="the second retry")
    assert transport.delayed[0].routing_key == topology.retry_queue_name(2)
    transport.release_delayed()

    wait_until(lambda: status(store, task_id) == "completed", timeout=10)
    task = store.get_task(str(task_id))
    assert task["attempts"] == 3 and task["error"] is None
    assert len(transport.acked) == 3, "each delivery acked once its retry was published"


def test_a_task_failing_past_max_retries_is_dead_lettered_with_the_last_error(
    store: Store, start: Start
) -> None:
    _, transport = start()
    task_id = send(transport, store, envelope("fail-always"))
    for _ in range(2):
        wait_until(lambda: len(transport.delayed) == 1, timeout=10)
        transport.release_delayed()

    wait_until(lambda: status(store, task_id) == "dead_lettered", timeout=10)
    wait_until(lambda: len(transport.published_to(topology.DLX_EXCHANGE)) == 1, timeout=5)
    [dead] = transport.published_to(topology.DLX_EXCHANGE)
    assert dead.headers[topology.H_DEAD_LETTER_REASON] == "max_retries_exceeded"
    assert "scripted transient failure" in dead.headers[topology.H_DEAD_LETTER_ERROR]
    assert json.loads(dead.body)["task_id"] == task_id


def test_each_poison_message_is_dead_lettered_with_its_reason_and_good_ones_still_flow(
    store: Store, start: Start
) -> None:
    _, transport = start()
    good_before = send(transport, store, envelope("ok"))
    bad_payload = envelope("x")
    bad_payload.payload = {"paciente_id": "not-a-uuid", "queixa": "dor"}
    schema_v2 = json.loads(envelope("ok").to_json_bytes())
    schema_v2["schema_version"] = 2
    unknown_type = envelope("ok")
    unknown_type.task_type = "cirurgia"
    wrong_domain = envelope(
        "ok",
        domain="exames",
        task_type="hemograma",
        payload={"paciente_id": str(uuid.uuid4()), "resultados": {"hemoglobina_g_dl": 12}},
    )
    for body in (
        b"\xff not json at all",
        b"[1, 2, 3]",
        json.dumps(schema_v2).encode(),
        json.dumps({"task_id": str(uuid.uuid4()), "domain": "clinico"}).encode(),
    ):
        send(transport, None, body)
    ids = {
        "invalid_payload": send(transport, store, bad_payload),
        "unknown_task_type": send(transport, store, unknown_type),
        "wrong_domain": send(transport, store, wrong_domain),
        "handler_permanent_error": send(transport, store, envelope("permanent")),
    }
    good_after = send(transport, store, envelope("ok"))

    wait_until(lambda: len(transport.published_to(topology.DLX_EXCHANGE)) == 8, timeout=15)
    reasons = sorted(
        p.headers[topology.H_DEAD_LETTER_REASON] for p in transport.published_to(topology.DLX_EXCHANGE)
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
        task = store.get_task(str(task_id))
        assert task["status"] == "dead_lettered", reason
        assert task["error"].startswith(reason)
    wait_until(lambda: status(store, good_after) == "completed", timeout=10)
    assert status(store, good_before) == "completed"


def test_a_message_redelivered_too_often_is_dead_lettered_without_running(store: Store, start: Start) -> None:
    _, transport = start()
    # What the quorum queue stamps on the 9th delivery of a message that keeps killing workers.
    task_id = send(transport, store, envelope("ok"), **{"x-delivery-count": 8})
    wait_until(lambda: status(store, task_id) == "dead_lettered", timeout=10)
    assert store.get_task(str(task_id))["error"].startswith("delivery_limit")
    wait_until(lambda: len(transport.published_to(topology.DLX_EXCHANGE)) == 1, timeout=5)
    assert (
        transport.published_to(topology.DLX_EXCHANGE)[0].headers[topology.H_DEAD_LETTER_REASON]
        == "delivery_limit"
    )


def test_a_redelivered_completed_task_is_acked_without_running_again(
    store: Store, start: Start, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = tmp_path / "runs.log"
    monkeypatch.setenv("TEST_HANDLER_LOG", str(runs))
    _, transport = start()
    env = envelope("ok")
    task_id = send(transport, store, env)
    wait_until(lambda: status(store, task_id) == "completed", timeout=10)
    completed = store.get_task(str(task_id))

    send(transport, None, env.to_json_bytes())  # the same message again (a publisher retry)
    send(transport, None, env.to_json_bytes(), **{"x-delivery-count": 1})  # or a broker redelivery
    wait_until(lambda: len(transport.acked) == 3, timeout=10, message="both copies acked")

    again = store.get_task(str(task_id))
    assert again["updated_at"] == completed["updated_at"] and again["attempts"] == completed["attempts"]
    assert runs.read_text().count(f"{task_id} ") == 2, "one start and one done line: it ran once"


def test_an_alert_the_backend_cannot_take_is_parked_and_delivered_from_the_alertas_queue_later(
    store: Store, start: Start
) -> None:
    with FakeNestJS(jwt_secret=SECRET) as nestjs:
        nestjs.mode = "down"
        _, transport = start(
            "exames",
            alerts=True,
            backend_url=nestjs.url,
            backend_jwt_secret=SECRET,
            alert_timeout_s=0.5,
            alert_backoff_base_s=0.01,
            alert_backoff_cap_s=0.05,
            alert_max_attempts=2,
            alert_inline_budget_s=1.0,
        )
        env = envelope(
            "",
            domain="exames",
            task_type="hemograma",
            payload={"paciente_id": str(uuid.uuid4()), "resultados": {"plaquetas_mm3": 8000}},
        )
        task_id = send(transport, store, env)

        # The task is stored completed with its alert row before the alert's POST; the alert is
        # parked once the backend refused it, and the parked copy waits in a delay queue.
        wait_until(lambda: status(store, task_id) == "completed", timeout=15)
        wait_until(lambda: transport.delayed, timeout=15, message="the alert parked")
        [parked] = transport.delayed
        assert parked.exchange == topology.ALERTS_DELAY_EXCHANGE
        [row] = store.list_alerts(str(task_id))
        assert row["parked"] and row["delivery"] == "pending"
        assert nestjs.created_count == 0

        nestjs.mode = "ok"
        transport.release_delayed()
        wait_until(lambda: store.list_alerts(str(task_id))[0]["delivery"] == "delivered", timeout=15)
        assert nestjs.created_count == 1
        wait_until(lambda: transport.inflight == 0 and len(transport.acked) == 2, timeout=5)


@pytest.mark.slow
def test_with_an_llm_the_rules_stage_hands_the_task_to_the_llm_stage_which_enriches_it(
    store: Store, start: Start
) -> None:
    # Nothing listens on port 9: the LLM part fails, the hand-off and the enrichment still happen.
    _, transport = start("exames", llm_base_url="http://127.0.0.1:9/v1", llm_timeout_s=2)
    env = critical_hemograma()
    task_id = send(transport, store, env)

    wait_until(lambda: len(transport.published_to("")) == 1, timeout=10, message="the hand-off")
    [handoff] = transport.published_to("")
    assert handoff.routing_key == topology.LLM_QUEUE
    assert json.loads(handoff.body)["task_id"] == task_id
    wait_until(
        lambda: (
            (store.get_task(str(task_id)) or {}).get("result", {}).get("analise_ia", {}).get("estado")
            == "falhou"
        ),
        timeout=30,
        message="the LLM stage to store its (failed) analysis",
    )
    result = store.get_task(str(task_id))["result"]
    assert result["severidade"] == "CRITICAL" and result["origem_dos_achados"]["regras"]
    wait_until(lambda: len(transport.acked) == 2 and transport.inflight == 0, timeout=5)
