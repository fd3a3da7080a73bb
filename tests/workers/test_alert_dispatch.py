"""AlertDispatcher with a real task store, the NestJS stand-in over loopback HTTP and, where
parking is involved, a real RabbitMQ (the `alertas.espera.*` delay queues and `alertas`)."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pika
import pika.exceptions
import pytest
from prometheus_client import REGISTRY

from shared.config import Settings
from shared.store import Store
from shared.topology import (
    ALERTS_DELAY_EXCHANGE,
    ALERTS_QUEUE,
    alert_delay_queue_name,
    vhost_for,
)
from tests.conftest import make_settings
from tests.support.fake_nestjs import FakeNestJS
from tests.support.wait import wait_until
from workers.alert_dispatch import AlertDispatcher, TaskInfo
from workers.alerts import AlertClient
from workers.findings import AlertSpec

SECRET = "segredo-compartilhado-de-teste-com-32-bytes-ou-mais"
TENANT = "hospital_a"
DELAYS = (1, 2)


def a_spec(key: str = "regras:0123456789abcdef", **overrides: Any) -> AlertSpec:
    values: dict[str, Any] = {
        "alert_key": key,
        "severity": "CRITICAL",
        "message": "Paciente relata dor no peito",
        "symptoms": ["dor_toracica"],
        "detected_by": "rules_engine",
        "confidence": 1.0,
    }
    values.update(overrides)
    return AlertSpec(**values)


def a_task(patient_id: str | None = None) -> TaskInfo:
    return TaskInfo(
        task_id=str(uuid.uuid4()),
        tenant_id=TENANT,
        patient_id=patient_id or str(uuid.uuid4()),
        conversation_id=str(uuid.uuid4()),
        message_id=None,
    )


def alert_settings(tmp_path: Path, fake: FakeNestJS | None, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "backend_url": fake.url if fake is not None else None,
        "backend_jwt_secret": SECRET,
        "alert_timeout_s": 0.5,
        "alert_backoff_base_s": 0.01,
        "alert_backoff_cap_s": 0.05,
        "alert_max_attempts": 2,
        "alert_inline_budget_s": 3.0,
        "alert_retry_delays_s": ",".join(str(d) for d in DELAYS),
    }
    values.update(overrides)
    return make_settings(tmp_path, **values)


class RecordingPublish:
    """For tests where nothing may be parked: records calls, optionally fails like a broker
    that is down."""

    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[tuple[str, str, bytes, dict[str, Any]]] = []
        self.error = error

    def __call__(self, exchange: str, routing_key: str, body: bytes, headers: dict[str, Any]) -> None:
        self.calls.append((exchange, routing_key, body, headers))
        if self.error is not None:
            raise self.error


@pytest.fixture
def nestjs() -> Iterator[FakeNestJS]:
    with FakeNestJS(jwt_secret=SECRET) as fake:
        yield fake


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'alerts.db'}")
    yield s
    s.close()


class Parts:
    """Clients and dispatchers built by a test, torn down in reverse order."""

    def __init__(self) -> None:
        self.dispatchers: list[AlertDispatcher] = []
        self.clients: list[AlertClient] = []

    def make(
        self,
        settings: Settings,
        store: Store,
        publish: Callable[[str, str, bytes, dict[str, Any]], None],
        *,
        max_workers: int = 4,
    ) -> AlertDispatcher:
        client = AlertClient(settings)
        self.clients.append(client)
        dispatcher = AlertDispatcher(settings, store, client, publish, max_workers=max_workers)
        self.dispatchers.append(dispatcher)
        return dispatcher

    def close(self) -> None:
        for client in self.clients:
            client.close()
        for dispatcher in self.dispatchers:
            dispatcher.shutdown(wait=True)
        self.clients.clear()
        self.dispatchers.clear()


@pytest.fixture
def parts() -> Iterator[Parts]:
    p = Parts()
    yield p
    p.close()


# --- without a broker -------------------------------------------------------------------------


def test_an_alert_is_delivered_and_stored_before_its_future_resolves(
    tmp_path: Path, store_url: str, nestjs: FakeNestJS, parts: Parts
) -> None:
    store = Store(store_url)
    try:
        publish = RecordingPublish()
        dispatcher = parts.make(alert_settings(tmp_path, nestjs), store, publish)
        task = a_task()

        state = dispatcher.emit(task, a_spec()).result(timeout=10)

        assert state == "delivered"
        row = store.get_alert(task.task_id, "regras:0123456789abcdef")
        assert row is not None
        assert row["delivery"] == "delivered"
        assert row["attempts"] == 1
        key = f"{task.task_id}:regras:0123456789abcdef"
        assert row["backend_alert_id"] == nestjs.alerts[key]["id"]
        assert row["body"] == nestjs.requests[0].body
        assert publish.calls == []
    finally:
        store.close()


@pytest.mark.parametrize("refusal", ["unknown_patient", 400])
def test_a_refused_alert_is_failed_with_the_reason_and_never_retried_or_parked(
    tmp_path: Path, store_url: str, nestjs: FakeNestJS, parts: Parts, refusal: str | int
) -> None:
    store = Store(store_url)
    try:
        publish = RecordingPublish()
        dispatcher = parts.make(alert_settings(tmp_path, nestjs), store, publish)
        task = a_task()
        if refusal == "unknown_patient":
            nestjs.unknown_patients.add(task.patient_id)
        else:
            nestjs.fail_next(400)

        assert dispatcher.emit(task, a_spec()).result(timeout=10) == "failed"

        row = store.get_alert(task.task_id, "regras:0123456789abcdef")
        assert row is not None
        assert row["delivery"] == "failed"
        assert row["attempts"] == 1
        expected = "404 Not Found" if refusal == "unknown_patient" else "400 Bad Request"
        assert row["last_error"].startswith(expected)
        assert "not retried" in row["last_error"]
        assert len(nestjs.requests) == 1
        assert publish.calls == []
    finally:
        store.close()


def test_an_alert_the_store_records_as_delivered_is_not_resent(
    tmp_path: Path, store: Store, nestjs: FakeNestJS, parts: Parts
) -> None:
    dispatcher = parts.make(alert_settings(tmp_path, nestjs), store, RecordingPublish())
    task, spec = a_task(), a_spec()
    store.register_alert(
        task.task_id, spec.alert_key, type=spec.type, severity=spec.severity, message=spec.message, body={}
    )
    store.update_alert(
        task.task_id, spec.alert_key, delivery="delivered", attempts_delta=1, backend_alert_id="id-anterior"
    )

    assert dispatcher.emit(task, spec).result(timeout=10) == "delivered"
    assert nestjs.requests == []
    assert row_of(store, task.task_id, spec.alert_key)["backend_alert_id"] == "id-anterior"


def test_a_redelivered_task_does_not_redo_its_alerts(
    tmp_path: Path, store: Store, nestjs: FakeNestJS, parts: Parts
) -> None:
    dispatcher = parts.make(alert_settings(tmp_path, nestjs), store, RecordingPublish())
    task = a_task()
    specs = [a_spec("regras:aaaa"), a_spec("crew:bbbb", detected_by="ai_agent")]

    first = [dispatcher.emit(task, s).result(timeout=10) for s in specs]
    again = [dispatcher.emit(task, s).result(timeout=10) for s in specs]

    assert first == again == ["delivered", "delivered"]
    assert len(nestjs.requests) == 2
    assert nestjs.created_count == 2


def test_without_backend_url_alerts_stay_pending(tmp_path: Path, store: Store, parts: Parts) -> None:
    publish = RecordingPublish()
    dispatcher = parts.make(alert_settings(tmp_path, None), store, publish)
    task = a_task()

    assert dispatcher.emit(task, a_spec()).result(timeout=10) == "pending"

    row = store.get_alert(task.task_id, "regras:0123456789abcdef")
    assert row is not None
    assert (row["delivery"], row["attempts"], row["parked"]) == ("pending", 0, False)
    assert row["body"]["context"]["taskId"] == task.task_id
    assert publish.calls == []


def test_emit_returns_at_once_while_the_backend_hangs(
    tmp_path: Path, store: Store, nestjs: FakeNestJS, parts: Parts
) -> None:
    nestjs.fail_next("hang")
    dispatcher = parts.make(alert_settings(tmp_path, nestjs, alert_timeout_s=2), store, RecordingPublish())
    task = a_task()

    started = time.monotonic()
    future = dispatcher.emit(task, a_spec())
    returned_after = time.monotonic() - started

    # Well under the 2 s the first attempt hangs for (emit only records the alert as pending).
    assert returned_after < 1.5
    # Recorded as pending before any delivery attempt ends.
    assert row_of(store, task.task_id, "regras:0123456789abcdef")["delivery"] == "pending"
    assert future.result(timeout=15) == "delivered"
    assert time.monotonic() - started >= 2


def test_a_burst_of_alerts_behind_a_hanging_backend_settles_within_the_inline_budget(
    tmp_path: Path, store: Store, nestjs: FakeNestJS, parts: Parts
) -> None:
    nestjs.mode = "hang"
    config = alert_settings(
        tmp_path, nestjs, alert_timeout_s=0.3, alert_inline_budget_s=0.8, alert_max_attempts=10
    )
    dispatcher = parts.make(config, store, RecordingPublish(), max_workers=1)
    task = a_task()

    started = time.monotonic()
    futures = [dispatcher.emit(task, a_spec(f"regras:{i}")) for i in range(4)]
    states = [f.result(timeout=10) for f in futures]

    # One pool thread: the first alert uses the budget, the ones queued behind it get one try.
    assert states == ["parked"] * 4
    # Four full budgets would be 3.2 s; the margin is for a busy CI machine.
    assert time.monotonic() - started < 0.8 + 3 * 0.3 + 1.4


def test_a_park_the_broker_refuses_makes_the_future_raise(
    tmp_path: Path, store: Store, nestjs: FakeNestJS, parts: Parts
) -> None:
    nestjs.mode = "down"
    publish = RecordingPublish(error=ConnectionError("broker down"))
    dispatcher = parts.make(alert_settings(tmp_path, nestjs), store, publish)
    task = a_task()

    future = dispatcher.emit(task, a_spec())

    with pytest.raises(ConnectionError):
        future.result(timeout=10)
    row = store.get_alert(task.task_id, "regras:0123456789abcdef")
    assert row is not None
    assert (row["delivery"], row["parked"], row["attempts"]) == ("pending", False, 2)
    assert "network error" in row["last_error"]
    assert len(publish.calls) == 1


def test_a_parked_alert_is_published_with_everything_needed_to_retry_it(
    tmp_path: Path, store: Store, nestjs: FakeNestJS, parts: Parts
) -> None:
    nestjs.mode = "down"
    publish = RecordingPublish()
    dispatcher = parts.make(alert_settings(tmp_path, nestjs), store, publish)
    task = a_task()

    assert dispatcher.emit(task, a_spec()).result(timeout=10) == "parked"

    ((exchange, routing_key, body, headers),) = publish.calls
    assert exchange == ALERTS_DELAY_EXCHANGE
    assert routing_key == alert_delay_queue_name(DELAYS[0])
    msg = json.loads(body)
    assert msg["task_id"] == task.task_id
    assert msg["alert_key"] == "regras:0123456789abcdef"
    assert msg["tenant_id"] == TENANT
    assert msg["idempotency_key"] == f"{task.task_id}:regras:0123456789abcdef"
    assert msg["body"] == row_of(store, task.task_id, "regras:0123456789abcdef")["body"]
    assert msg["park_count"] == 1
    assert msg["first_attempt_at"]
    assert headers["x-park-count"] == 1
    assert row_of(store, task.task_id, "regras:0123456789abcdef")["parked"] is True
    # A task redelivered while its alert waits in the broker does not start a second chain.
    assert dispatcher.emit(task, a_spec()).result(timeout=10) == "parked"
    assert len(publish.calls) == 1


def test_the_delay_grows_with_each_park_and_satisfies_a_long_retry_after(
    tmp_path: Path, store: Store, parts: Parts
) -> None:
    dispatcher = parts.make(
        alert_settings(tmp_path, None, alert_retry_delays_s="5,30,120"), store, RecordingPublish()
    )

    assert [dispatcher.delay_for(n) for n in (1, 2, 3, 4, 9)] == [5, 30, 120, 120, 120]
    assert dispatcher.delay_for(1, retry_after_s=20) == 30
    assert dispatcher.delay_for(1, retry_after_s=3600) == 120


def test_an_unreadable_parked_message_is_dropped_with_an_error_not_requeued_forever(
    tmp_path: Path, store: Store, nestjs: FakeNestJS, parts: Parts, caplog: pytest.LogCaptureFixture
) -> None:
    dispatcher = parts.make(alert_settings(tmp_path, nestjs), store, RecordingPublish())

    with caplog.at_level(logging.ERROR):
        dispatcher.handle_parked(b"{not json")

    assert nestjs.requests == []
    assert any(r.levelno == logging.ERROR for r in caplog.records)


# --- with a real broker -----------------------------------------------------------------------


class Broker:
    """The test's side of the consumer the lead engineer writes: a confirmed publish and an
    `alertas` consumer that acks after handle_parked returns and requeues if it raises."""

    def __init__(self, url: str, vhost: str) -> None:
        self.params = pika.URLParameters(url)
        self.params.virtual_host = vhost
        self._lock = threading.Lock()
        self._conn = pika.BlockingConnection(self.params)
        self._ch = self._conn.channel()
        self._ch.confirm_delivery()
        self.consumers: list[AlertasConsumer] = []

    def publish(self, exchange: str, routing_key: str, body: bytes, headers: dict[str, Any]) -> None:
        with self._lock:
            # mandatory: a delay queue that does not exist must be an error, not a lost alert.
            self._ch.basic_publish(
                exchange,
                routing_key,
                body,
                pika.BasicProperties(delivery_mode=2, content_type="application/json", headers=headers),
                mandatory=True,
            )

    def count(self, queue: str) -> int:
        with self._lock:
            return int(self._ch.queue_declare(queue, passive=True).method.message_count)

    def pending_messages(self) -> int:
        return sum(self.count(q) for q in [ALERTS_QUEUE, *map(alert_delay_queue_name, DELAYS)])

    def purge(self) -> None:
        with self._lock:
            for queue in [ALERTS_QUEUE, *map(alert_delay_queue_name, DELAYS)]:
                self._ch.queue_purge(queue)

    def consume(self, handle: Callable[[bytes], None]) -> AlertasConsumer:
        consumer = AlertasConsumer(self.params, handle)
        consumer.start()
        wait_until(lambda: consumer.ready.is_set(), message="the alertas consumer to start")
        self.consumers.append(consumer)
        return consumer

    def close(self) -> None:
        for consumer in self.consumers:
            consumer.stop()
        self.purge()
        with self._lock:
            self._conn.close()


class AlertasConsumer(threading.Thread):
    def __init__(self, params: pika.URLParameters, handle: Callable[[bytes], None]) -> None:
        super().__init__(daemon=True, name="test-alertas-consumer")
        self.params = params
        self.handle = handle
        self.ready = threading.Event()
        self._stopping = threading.Event()
        self.handled = 0
        self.errors: list[BaseException] = []

    def run(self) -> None:
        conn = pika.BlockingConnection(self.params)
        ch = conn.channel()
        ch.basic_qos(prefetch_count=1)
        self.ready.set()
        try:
            for method, _props, body in ch.consume(ALERTS_QUEUE, inactivity_timeout=0.05):
                if self._stopping.is_set():
                    break
                if method is None:
                    continue
                try:
                    self.handle(body)
                except Exception as exc:
                    self.errors.append(exc)
                    ch.basic_nack(method.delivery_tag, requeue=True)
                else:
                    ch.basic_ack(method.delivery_tag)
                self.handled += 1
            ch.cancel()
        finally:
            conn.close()

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=10)


@pytest.fixture
def broker(settings: Settings) -> Iterator[Broker]:
    b = Broker(settings.rabbitmq_urls[0], vhost_for("clinico", settings.vhost_prefix))
    b.purge()
    yield b
    b.close()


def row_of(store: Store, task_id: str, alert_key: str) -> dict[str, Any]:
    row = store.get_alert(task_id, alert_key)
    assert row is not None, f"no alert row for {task_id}/{alert_key}"
    return row


def _rows(store: Store, tasks: list[tuple[TaskInfo, AlertSpec]]) -> list[dict[str, Any]]:
    rows = [store.get_alert(t.task_id, s.alert_key) for t, s in tasks]
    assert all(r is not None for r in rows)
    return rows  # type: ignore[return-value]


@pytest.mark.broker
def test_alerts_parked_while_the_backend_is_down_are_all_delivered_exactly_once_when_it_returns(
    tmp_path: Path, settings: Settings, store_url: str, broker: Broker, nestjs: FakeNestJS, parts: Parts
) -> None:
    store = Store(store_url)
    try:
        dispatcher = parts.make(
            alert_settings(tmp_path, nestjs, vhost_prefix=settings.vhost_prefix), store, broker.publish
        )
        nestjs.mode = "down"
        emitted: list[tuple[TaskInfo, AlertSpec]] = []
        futures: list[Future[str]] = []
        for i in range(6):
            task = a_task()
            for spec in (
                [a_spec("regras:aaaa"), a_spec("crew:bbbb", detected_by="ai_agent")]
                if i % 2
                else [a_spec("regras:cccc")]
            ):
                emitted.append((task, spec))
                futures.append(dispatcher.emit(task, spec))

        # Down: every alert ends its inline attempts durably parked, none lost.
        assert [f.result(timeout=20) for f in futures] == ["parked"] * len(emitted)
        assert all(r["parked"] and r["delivery"] == "pending" for r in _rows(store, emitted))

        consumer = broker.consume(dispatcher.handle_parked)
        # Still down when the parked alerts come back: they are parked again, with a longer delay.
        wait_until(
            lambda: all(r["attempts"] >= 4 for r in _rows(store, emitted)),
            timeout=15,
            message="every alert to be retried from the alertas queue at least once",
        )

        nestjs.mode = "ok"
        wait_until(
            lambda: all(r["delivery"] == "delivered" for r in _rows(store, emitted)),
            timeout=20,
            message="every parked alert to be delivered",
        )

        expected = {f"{t.task_id}:{s.alert_key}" for t, s in emitted}
        assert set(nestjs.alerts) == expected
        assert nestjs.created_count == len(expected)
        for (task, spec), row in zip(emitted, _rows(store, emitted), strict=True):
            alert = nestjs.alerts[f"{task.task_id}:{spec.alert_key}"]
            assert row["backend_alert_id"] == alert["id"]
            assert alert["context"]["taskId"] == task.task_id
            assert row["parked"] is False
        wait_until(
            lambda: broker.pending_messages() == 0, timeout=10, message="no parked message left behind"
        )
        assert consumer.errors == []
    finally:
        store.close()


@pytest.mark.broker
def test_a_parked_alert_survives_a_worker_restart(
    tmp_path: Path, settings: Settings, broker: Broker, store: Store, nestjs: FakeNestJS, parts: Parts
) -> None:
    config = alert_settings(tmp_path, nestjs, vhost_prefix=settings.vhost_prefix)
    first = parts.make(config, store, broker.publish)
    nestjs.mode = "down"
    task, spec = a_task(), a_spec()
    assert first.emit(task, spec).result(timeout=10) == "parked"
    parts.close()  # the worker stops: its client and dispatcher are gone

    nestjs.mode = "ok"
    second = parts.make(config, store, broker.publish)
    broker.consume(second.handle_parked)

    wait_until(
        lambda: row_of(store, task.task_id, spec.alert_key)["delivery"] == "delivered",
        timeout=15,
        message="the parked alert to be delivered by the new worker",
    )
    row = row_of(store, task.task_id, spec.alert_key)
    assert nestjs.created_count == 1
    assert nestjs.requests[-1].body == row["body"]
    assert row["attempts"] == 3  # two inline before the restart, one after


@pytest.mark.broker
def test_a_parked_alert_the_backend_then_refuses_is_failed(
    tmp_path: Path, settings: Settings, broker: Broker, store: Store, nestjs: FakeNestJS, parts: Parts
) -> None:
    dispatcher = parts.make(
        alert_settings(tmp_path, nestjs, vhost_prefix=settings.vhost_prefix), store, broker.publish
    )
    nestjs.mode = "down"
    task, spec = a_task(), a_spec()
    assert dispatcher.emit(task, spec).result(timeout=10) == "parked"
    nestjs.mode = "ok"
    nestjs.unknown_patients.add(task.patient_id)

    broker.consume(dispatcher.handle_parked)

    wait_until(
        lambda: row_of(store, task.task_id, spec.alert_key)["delivery"] == "failed",
        timeout=15,
        message="the parked alert to be refused",
    )
    assert "404 Not Found" in row_of(store, task.task_id, spec.alert_key)["last_error"]
    wait_until(lambda: broker.pending_messages() == 0, timeout=10, message="nothing re-parked")


@pytest.mark.broker
def test_a_parked_alert_is_given_up_after_alert_give_up_after_s(
    tmp_path: Path,
    settings: Settings,
    broker: Broker,
    store: Store,
    nestjs: FakeNestJS,
    parts: Parts,
    caplog: pytest.LogCaptureFixture,
) -> None:
    dispatcher = parts.make(
        alert_settings(tmp_path, nestjs, vhost_prefix=settings.vhost_prefix, alert_give_up_after_s=1),
        store,
        broker.publish,
    )
    nestjs.mode = "down"
    task, spec = a_task(), a_spec()
    given_up_before = REGISTRY.get_sample_value("worker_alerts_total", {"outcome": "given_up"}) or 0.0
    assert dispatcher.emit(task, spec).result(timeout=10) == "parked"

    with caplog.at_level(logging.ERROR, logger="workers.alert_dispatch"):
        broker.consume(dispatcher.handle_parked)
        wait_until(
            lambda: row_of(store, task.task_id, spec.alert_key)["delivery"] == "failed",
            timeout=15,
            message="the parked alert to be given up",
        )

        # The status is stored first; the metric and the log line follow on the consumer thread.
        wait_until(
            lambda: (
                (REGISTRY.get_sample_value("worker_alerts_total", {"outcome": "given_up"}) or 0.0)
                - given_up_before
                == 1
                and any(r.levelno == logging.ERROR and "gave up" in r.getMessage() for r in caplog.records)
            ),
            timeout=5,
            message="the give-up metric and log line",
        )

    row = row_of(store, task.task_id, spec.alert_key)
    # The age counts the 1 s delay queue and the consumer's start-up: 1 s or more on a busy machine.
    assert re.match(r"gave up after \d+ s \(2 attempts\)", row["last_error"]), row["last_error"]
    assert row["parked"] is False
    wait_until(lambda: broker.pending_messages() == 0, timeout=10, message="nothing re-parked")


@pytest.mark.broker
def test_a_duplicate_parked_message_for_a_delivered_alert_sends_nothing(
    tmp_path: Path, settings: Settings, broker: Broker, store: Store, nestjs: FakeNestJS, parts: Parts
) -> None:
    dispatcher = parts.make(
        alert_settings(tmp_path, nestjs, vhost_prefix=settings.vhost_prefix), store, broker.publish
    )
    task, spec = a_task(), a_spec()
    assert dispatcher.emit(task, spec).result(timeout=10) == "delivered"
    # The same alert also parked (say, a worker died between its park and its ack).
    broker.publish(
        ALERTS_DELAY_EXCHANGE,
        alert_delay_queue_name(1),
        json.dumps(
            {
                "task_id": task.task_id,
                "alert_key": spec.alert_key,
                "tenant_id": TENANT,
                "idempotency_key": f"{task.task_id}:{spec.alert_key}",
                "body": row_of(store, task.task_id, spec.alert_key)["body"],
                "first_attempt_at": "2030-01-01T00:00:00+00:00",
                "park_count": 1,
            }
        ).encode(),
        {},
    )

    consumer = broker.consume(dispatcher.handle_parked)

    wait_until(lambda: consumer.handled == 1, timeout=10, message="the duplicate to be consumed")
    assert len(nestjs.requests) == 1
