"""The task state machine without a broker: a delivery in, an outcome and store writes out."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from shared import topology
from shared.config import Settings
from shared.messages import Envelope
from shared.store import Store
from tests.conftest import make_settings
from tests.workers.conftest import create_row, envelope
from workers.alert_dispatch import TaskInfo, alert_row
from workers.findings import AlertSpec
from workers.registry import load_handlers
from workers.stages import Ack, DeadLetter, Forward, LlmStage, Requeue, Retry, RulesStage

load_handlers()


class RecordingDispatcher:
    """Takes alerts like AlertDispatcher.emit; each settles as `state` (or raises `error`)."""

    def __init__(
        self, state: str = "delivered", error: Exception | None = None, store: Store | None = None
    ) -> None:
        self.emitted: list[tuple[TaskInfo, AlertSpec]] = []
        self.state = state
        self.error = error
        # With a store, the outcome is recorded on the alert's row as AlertDispatcher records it.
        self.store = store

    delivers = True

    def alert_row(self, task: TaskInfo, spec: AlertSpec) -> dict:
        return alert_row(task.task_id, spec, {"title": spec.message})

    def dispatch(self, task: TaskInfo, spec: AlertSpec, row: Mapping[str, Any]) -> Future[str]:
        if self.store is not None and (row["delivery"] in ("delivered", "failed") or row["parked"]):
            done: Future[str] = Future()
            done.set_result("parked" if row["parked"] else row["delivery"])
            return done
        fut = self.emit(task, spec)
        if self.store is not None and self.error is None:
            if self.state == "parked":
                self.store.update_alert(task.task_id, spec.alert_key, parked=True)
            elif self.state in ("delivered", "failed"):
                self.store.update_alert(task.task_id, spec.alert_key, delivery=self.state)
        return fut

    def emit(self, task: TaskInfo, spec: AlertSpec) -> Future[str]:
        self.emitted.append((task, spec))
        fut: Future[str] = Future()
        if self.error is not None:
            fut.set_exception(self.error)
        else:
            fut.set_result(self.state)
        return fut


@pytest.fixture
def offline(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, worker_max_retries=2)


@pytest.fixture
def store(offline: Settings) -> Iterator[Store]:
    s = Store(offline.database_url)
    yield s
    s.close()


def queued(store: Store, env: Envelope) -> bytes:
    """The task row as the API stores it, and the message body it publishes."""
    create_row(store, env)
    return env.to_json_bytes()


def hemograma(plaquetas: int = 8000) -> Envelope:
    return envelope(
        "",
        domain="exames",
        task_type="hemograma",
        payload={"paciente_id": str(uuid.uuid4()), "resultados": {"plaquetas_mm3": plaquetas}},
    )


def status(store: Store, env: Envelope) -> dict[str, Any]:
    task = store.get_task(str(env.task_id))
    assert task is not None
    return task


# --- permanent errors ------------------------------------------------------------------------------


def test_unreadable_and_invalid_messages_are_dead_lettered_at_once_with_their_reason(
    offline: Settings, store: Store, scripted_handlers: None
) -> None:
    processor = RulesStage(offline, "clinico", store)
    unknown = envelope("ok")
    unknown.task_type = "cirurgia"
    bad_payload = envelope("x")
    bad_payload.payload = {"paciente_id": "not-a-uuid", "queixa": "dor"}

    outcomes = {
        "invalid_json": processor.process(b"\xff not json"),
        "invalid_envelope": processor.process(b"[1, 2]"),
        "unknown_task_type": processor.process(queued(store, unknown)),
        "invalid_payload": processor.process(queued(store, bad_payload)),
        "handler_permanent_error": processor.process(queued(store, permanent := envelope("permanent"))),
    }
    for reason, outcome in outcomes.items():
        assert isinstance(outcome, DeadLetter) and outcome.reason == reason
    for env, reason in (
        (unknown, "unknown_task_type"),
        (bad_payload, "invalid_payload"),
        (permanent, "handler"),
    ):
        task = status(store, env)
        assert task["status"] == "dead_lettered" and task["error"].startswith(reason)


def test_a_message_for_another_domain_is_dead_lettered_as_wrong_domain(
    offline: Settings, store: Store
) -> None:
    outcome = RulesStage(offline, "clinico", store).process(queued(store, hemograma()))
    assert isinstance(outcome, DeadLetter) and outcome.reason == "wrong_domain"


# --- retries and the delivery limit ------------------------------------------------------------------


def test_a_transient_failure_is_retried_with_the_configured_delay_until_max_retries(
    offline: Settings, store: Store, scripted_handlers: None
) -> None:
    processor = RulesStage(offline, "clinico", store)
    env = envelope("fail-always")
    body = queued(store, env)

    first = processor.process(body)
    assert isinstance(first, Retry) and (first.delay_s, first.retry_count) == (1, 1)
    assert status(store, env)["status"] == "retrying"
    assert "scripted transient failure" in status(store, env)["error"]
    second = processor.process(body, {topology.H_RETRY_COUNT: 1})
    assert isinstance(second, Retry) and (second.delay_s, second.retry_count) == (2, 2)

    last = processor.process(body, {topology.H_RETRY_COUNT: 2})
    assert isinstance(last, DeadLetter) and last.reason == "max_retries_exceeded"
    assert status(store, env)["status"] == "dead_lettered"
    assert status(store, env)["attempts"] == 3


def test_a_task_that_succeeds_on_retry_completes_without_its_old_error(
    offline: Settings, store: Store, scripted_handlers: None
) -> None:
    processor = RulesStage(offline, "clinico", store)
    env = envelope("fail-retries:1")
    body = queued(store, env)
    assert isinstance(processor.process(body), Retry)
    assert processor.process(body, {topology.H_RETRY_COUNT: 1}) == Ack()
    task = status(store, env)
    assert task["status"] == "completed" and task["error"] is None
    assert task["result"]["echo"] == "fail-retries:1"


def test_a_message_redelivered_too_often_is_dead_lettered_without_running(
    offline: Settings, store: Store, scripted_handlers: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = tmp_path / "runs.log"
    monkeypatch.setenv("TEST_HANDLER_LOG", str(runs))
    env = envelope("ok")
    outcome = RulesStage(offline, "clinico", store).process(
        queued(store, env), {"x-delivery-count": topology.WORKER_REDELIVERY_LIMIT}
    )
    assert isinstance(outcome, DeadLetter) and outcome.reason == "delivery_limit"
    assert status(store, env)["error"].startswith("delivery_limit")
    assert not runs.exists(), "the handler did not run"


# --- duplicates and replay generations ----------------------------------------------------------------


def test_a_completed_task_delivered_again_is_a_no_op(
    offline: Settings, store: Store, scripted_handlers: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = tmp_path / "runs.log"
    monkeypatch.setenv("TEST_HANDLER_LOG", str(runs))
    processor = RulesStage(offline, "clinico", store)
    env = envelope("ok")
    body = queued(store, env)
    assert processor.process(body) == Ack()
    done = status(store, env)

    again = processor.process(body, {"x-delivery-count": 1})
    assert isinstance(again, Ack) and again.note.startswith("skipped")
    assert status(store, env)["updated_at"] == done["updated_at"]
    assert runs.read_text().count(str(env.task_id)) == 2, "one start and one done line"


def test_a_replayed_generation_runs_again_and_a_late_copy_of_the_old_one_cannot_overwrite_it(
    offline: Settings, store: Store, scripted_handlers: None, tmp_path: Path
) -> None:
    cause = tmp_path / "fixed"
    processor = RulesStage(offline.model_copy(update={"worker_max_retries": 0}), "clinico", store)
    env = envelope(f"until-file:{cause}")
    body = queued(store, env)
    assert isinstance(processor.process(body), DeadLetter)

    cause.write_text("fixed")
    generation = store.replay(str(env.task_id))
    assert generation == 1
    assert processor.process(body, {topology.H_REPLAY_GENERATION: generation}) == Ack()
    assert status(store, env)["status"] == "completed"

    late = processor.process(body, {"x-delivery-count": 3})  # a copy from generation 0
    assert isinstance(late, Ack) and late.note.startswith("skipped")
    assert status(store, env)["status"] == "completed"


# --- the alert hand-off ----------------------------------------------------------------------------------


def test_a_rules_alert_is_handed_off_once_and_the_task_completes_after_it_settles(
    offline: Settings, store: Store
) -> None:
    dispatcher = RecordingDispatcher("parked", store=store)
    processor = RulesStage(offline, "exames", store, dispatcher=dispatcher)
    env = hemograma()
    body = queued(store, env)

    assert processor.process(body) == Ack()
    [(task, spec)] = dispatcher.emitted
    assert task.task_id == str(env.task_id) and spec.severity == "CRITICAL"
    assert status(store, env)["result"]["severidade"] == "CRITICAL"
    processor.process(body, {"x-delivery-count": 1})
    assert len(dispatcher.emitted) == 1, "a redelivered completed task does not redo its alerts"


def test_a_batch_of_first_deliveries_is_one_transaction_that_never_writes_processing(
    offline: Settings, store: Store
) -> None:
    # No BACKEND_URL: the alerts stay pending, so nothing waits between the rules and `completed`.
    dispatcher = RecordingDispatcher("pending")
    dispatcher.delivers = False
    processor = RulesStage(offline, "exames", store, dispatcher=dispatcher)
    envs = [hemograma(8000 if i % 2 else 250000) for i in range(6)]
    bodies = [queued(store, env) for env in envs]
    written: list[str] = []
    commits: list[int] = []

    def statement(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        if sql.lstrip().upper().startswith("UPDATE TASKS"):
            for p in params if many else [params]:
                values = p.values() if isinstance(p, dict) else p
                written.extend(v for v in values if v in ("processing", "completed"))

    sa.event.listen(store.engine, "before_cursor_execute", statement)
    sa.event.listen(store.engine, "commit", lambda conn: commits.append(1))

    assert processor.process_many([(body, {}) for body in bodies]) == [Ack()] * 6

    assert len(commits) == 1, "statuses, results and alerts of the batch in one transaction"
    assert set(written) == {"completed"}, "the status API never shows `processing` for these"
    for i, env in enumerate(envs):
        task = status(store, env)
        assert task["status"] == "completed" and task["attempts"] == 1
        alerts = store.list_alerts(str(env.task_id))
        assert [a["delivery"] for a in alerts] == (["pending"] if i % 2 else [])


def test_a_copy_of_a_completed_task_published_again_is_not_run_nor_its_alert_sent(
    offline: Settings, store: Store
) -> None:
    dispatcher = RecordingDispatcher("delivered", store=store)
    processor = RulesStage(offline, "exames", store, dispatcher=dispatcher)
    body = queued(store, hemograma())
    assert processor.process(body) == Ack()

    # The same message as a first delivery again (a publisher's retry after an unconfirmed publish).
    assert processor.process(body) == Ack("skipped: task already completed")
    assert len(dispatcher.emitted) == 1


def test_a_task_whose_alert_can_be_neither_delivered_nor_parked_is_requeued_and_its_redelivery_sends_it_again(
    offline: Settings, store: Store
) -> None:
    dispatcher = RecordingDispatcher(error=RuntimeError("broker refused the park"), store=store)
    processor = RulesStage(offline, "exames", store, dispatcher=dispatcher)
    body = queued(store, env := hemograma())
    assert isinstance(processor.process(body), Requeue)
    # The result is stored with the alert pending (the reply did not wait for the POST).
    assert status(store, env)["status"] == "completed"
    assert [a["delivery"] for a in store.list_alerts(str(env.task_id))] == ["pending"]

    dispatcher.error = None
    again = processor.process(body, {"x-delivery-count": 1})
    assert again == Ack("skipped: task already completed")
    [(_, first), (_, resent)] = dispatcher.emitted
    assert resent.alert_key == first.alert_key, "the same alert, under the same Idempotency-Key"
    assert [a["delivery"] for a in store.list_alerts(str(env.task_id))] == ["delivered"]


# --- the two stages ----------------------------------------------------------------------------------------


def test_with_an_llm_the_rules_stage_completes_with_analysis_pending_and_forwards_the_task(
    offline: Settings, store: Store
) -> None:
    # Nothing listens on port 9: the rules stage must not even try the LLM.
    llm = offline.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1"})
    dispatcher = RecordingDispatcher()
    processor = RulesStage(llm, "exames", store, dispatcher=dispatcher, llm_stage=True)
    env = hemograma()
    body = queued(store, env)

    assert processor.process(body) == Forward(topology.LLM_QUEUE)
    task = status(store, env)
    assert task["status"] == "completed"
    assert task["result"]["analise_ia"]["estado"] == "pendente"
    assert task["result"]["severidade"] == "CRITICAL"
    assert len(dispatcher.emitted) == 1, "the rules alert went out in the rules stage"
    # Completed but still pending (the hand-off was lost in a crash): a redelivery hands it off again.
    assert processor.process(body, {"x-delivery-count": 1}) == Forward(topology.LLM_QUEUE)
    assert len(dispatcher.emitted) == 1


@pytest.mark.slow
def test_the_llm_stage_marks_a_failed_analysis_keeps_the_rules_result_and_resends_no_alert(
    offline: Settings, store: Store
) -> None:
    llm = offline.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1", "llm_timeout_s": 2})
    dispatcher = RecordingDispatcher()
    env = hemograma()
    body = queued(store, env)
    RulesStage(llm, "exames", store, dispatcher=dispatcher, llm_stage=True).process(body)
    stage = LlmStage(llm, "exames", store, dispatcher=dispatcher)

    assert stage.process(body) == Ack("enriched")
    result = status(store, env)["result"]
    assert result["analise_ia"]["estado"] == "falhou"
    assert result["analise_ia"]["crew"]["erro"]
    assert result["severidade"] == "CRITICAL" and result["origem_dos_achados"]["regras"]
    assert len(dispatcher.emitted) == 1, "the rules alert is not sent again"
    # A second copy of the hand-off finds nothing pending.
    again = stage.process(body)
    assert isinstance(again, Ack) and again.note.startswith("skipped")


def test_the_llm_stage_ignores_a_task_the_rules_stage_has_not_completed(
    offline: Settings, store: Store
) -> None:
    env = hemograma()
    outcome = LlmStage(offline, "exames", store).process(queued(store, env))
    assert isinstance(outcome, Ack) and outcome.note.startswith("skipped")
    assert status(store, env)["status"] == "queued"


def test_the_llm_stage_dead_letters_a_message_it_cannot_read(offline: Settings, store: Store) -> None:
    outcome = LlmStage(offline, "exames", store).process(json.dumps({"x": 1}).encode())
    assert isinstance(outcome, DeadLetter) and outcome.reason == "invalid_envelope"


def test_a_poison_task_refused_twice_shows_two_attempts(offline: Settings, store: Store) -> None:
    """Refused as invalid, replayed by an operator, refused again: two attempts, as the console
    and the status API show them."""
    processor = RulesStage(offline, "clinico", store)
    poison = envelope("x")
    poison.payload = {"paciente_id": "not-a-uuid", "queixa": "dor"}
    body = queued(store, poison)
    assert isinstance(processor.process(body), DeadLetter)
    generation = store.replay(str(poison.task_id))
    assert isinstance(processor.process(body, {topology.H_REPLAY_GENERATION: generation}), DeadLetter)
    task = status(store, poison)
    assert task["status"] == "dead_lettered" and task["attempts"] == 2


def test_a_handler_running_past_the_slow_mark_gets_processing_written_and_quick_ones_do_not(
    offline: Settings, store: Store
) -> None:
    import threading
    import time

    from workers.stages.batch import Work
    from workers.stages.slow_runs import SlowRuns

    started: list[list[Work]] = []
    seen = threading.Event()

    def start(works: list[Work]) -> None:
        started.append(works)
        seen.set()

    slow_runs = SlowRuns(start, after_s=0.05)
    for _ in range(200):  # a busy pool: quick handlers one after another
        quick = Work(None, 0, 0, 1, None)
        slow_runs.watch(quick)
        slow_runs.unwatch(quick)
    # Past the watcher's idle period: it sleeps without a deadline and must be woken.
    deadline = time.monotonic() + 10
    while not slow_runs._asleep and time.monotonic() < deadline:
        seen.wait(0.01)
    long_one = Work(None, 0, 0, 1, None)
    slow_runs.watch(long_one)
    assert seen.wait(10), "the long handler's `processing` is written while it runs"
    slow_runs.unwatch(long_one)
    assert started == [[long_one]]
