"""clinico.mensagem against its conversation, without a broker: the real store, the real alert
dispatcher and the fake NestJS backend on loopback; the follow-up's publish is recorded."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from shared.config import Settings
from shared.logs import get_logger
from shared.messages import AgentMessagePayload, Envelope
from shared.store import Store, progress_for
from shared.store.conversations import ConversationLog
from tests.conftest import make_settings
from tests.support.fake_nestjs import FakeNestJS
from tests.support.wait import wait_until
from workers.alert_dispatch import AlertDispatcher
from workers.alerts import AlertClient
from workers.context import TaskContext
from workers.conversation_flow import ConversationServices
from workers.followup import FollowUps
from workers.handlers.mensagem import FOLLOW_UP, SAFETY
from workers.registry import get_handler, load_handlers

load_handlers()
SECRET = "segredo-de-teste-com-32-bytes-ou-mais!!"
PATIENT = str(uuid.uuid4())


class Stack:
    def __init__(self, settings: Settings, nestjs: FakeNestJS) -> None:
        self.settings = settings
        self.nestjs = nestjs
        self.store = Store(settings.database_url)
        self.published: list[tuple[str, str, dict[str, Any]]] = []
        self.dispatcher = AlertDispatcher(settings, self.store, AlertClient(settings), self._publish)
        self.log = ConversationLog(self.store)
        self.followups = FollowUps(settings, self.store, self.log, self._publish, self.dispatcher.emit)
        self.services = ConversationServices(settings, self.log, self.followups)
        self.clock = datetime.now(UTC)

    def _publish(self, exchange: str, key: str, body: bytes, _headers: dict[str, Any]) -> None:
        self.published.append((exchange, key, json.loads(body)))

    def send(
        self, text: str, conversation: str = "conv-1", **extra: Any
    ) -> tuple[dict[str, Any], TaskContext]:
        """One message, a minute after the last, through the mensagem handler as the rules stage
        runs it; returns the result once its alerts have settled."""
        self.clock += timedelta(minutes=1)
        payload = {
            "patientId": PATIENT,
            "message": text,
            "conversationId": conversation,
            "messageId": f"msg-{uuid.uuid4().hex[:8]}",
            **extra,
        }
        env = Envelope(
            domain="clinico",
            task_type="mensagem",
            tenant_id="hospital_a",
            payload=payload,
            created_at=self.clock,
        )
        self.store.create_task(
            Store.new_task_row(
                task_id=str(env.task_id),
                tenant_id=env.tenant_id,
                domain="clinico",
                task_type="mensagem",
                created_at=env.created_at,
                correlation_id=None,
                idempotency_key=None,
                request_hash=None,
                payload=payload,
            )
        )
        ctx = TaskContext(
            envelope=env,
            settings=self.settings,
            attempt=1,
            log=get_logger("test"),
            emit=lambda spec, info: self.dispatcher.emit(info, spec),
            conversation=self.services,
        )
        result = get_handler("clinico", "mensagem").fn(ctx, AgentMessagePayload.model_validate(payload))
        # As the rules stage does: the handler's writes commit with the task's completion, and
        # the follow-up is published after that commit.
        self.store.transition(str(env.task_id), "completed", progress_for("completed"), result=result)
        self.store._write(lambda conn: [op(conn) for op in ctx.on_complete])
        ctx.side_futures.extend(start() for start in ctx.after_commit)
        for fut in [*ctx.alert_futures, *ctx.side_futures]:
            fut.result(timeout=30)
        return result, ctx

    def sent(self, type_: str) -> list[dict[str, Any]]:
        return [r.body for r in self.nestjs.requests if r.status == 201 and r.body["type"] == type_]

    def close(self) -> None:
        self.followups.shutdown()
        self.dispatcher.shutdown()
        self.store.close()


@pytest.fixture
def nestjs() -> Iterator[FakeNestJS]:
    with FakeNestJS(jwt_secret=SECRET) as server:
        yield server


@pytest.fixture
def stack(tmp_path: Path, nestjs: FakeNestJS) -> Iterator[Stack]:
    settings = make_settings(
        tmp_path, backend_url=nestjs.url, backend_jwt_secret=SECRET, no_response_after_s=60
    )
    s = Stack(settings, nestjs)
    yield s
    s.close()


def test_five_messages_repeating_the_same_complaint_within_the_window_give_one_alert(stack: Stack) -> None:
    runs = [stack.send("estou com muita falta de ar") for _ in range(5)]
    replies = [result["resposta"] for result, _ in runs]

    assert len(stack.sent("CRITICAL_SYMPTOM")) == 1
    assert [len(ctx.alert_specs) for _, ctx in runs] == [1, 0, 0, 0, 0]
    assert all(SAFETY["CRITICAL"] in r["response"] for r in replies), "the safety instruction every time"
    assert all(r["severity"] == "CRITICAL" and r["shouldAlert"] for r in replies)
    joined = replies[-1]["structuredData"]["conversation"]["episodios"]
    assert joined == [{"type": "CRITICAL_SYMPTOM", "finding": "dispneia", "episode": "joined"}]
    episode = stack.log.episode("hospital_a", "conv-1", "CRITICAL_SYMPTOM:dispneia")
    assert episode is not None and len(episode["joined"]) == 4


def test_a_higher_severity_in_the_open_episode_is_sent_and_another_conversation_has_its_own(
    stack: Stack,
) -> None:
    stack.send("tô com dor, nota 8")
    stack.send("a dor continua, nota 8")
    stack.send("tô com dor nota 8", conversation="conv-2")

    assert [b["context"]["conversationId"] for b in stack.sent("CRITICAL_SYMPTOM")] == ["conv-1", "conv-2"]


def test_a_pain_score_going_from_3_to_8_raises_score_change_with_both_values_and_message_ids(
    stack: Stack,
) -> None:
    first, _ = stack.send("estou com dor, nota 3")
    second, _ = stack.send("agora a dor está nota 8")

    [body] = stack.sent("SCORE_CHANGE")
    assert body["severity"] == "HIGH"
    ctx = body["context"]
    assert (ctx["previousScore"], ctx["currentScore"]) == (3, 8)
    assert ctx["previousMessageId"] and ctx["previousMessageId"] != ctx["currentMessageId"]
    assert ctx["currentMessageId"] == body["context"]["messageId"]
    assert first["resposta"]["shouldAlert"] is False
    assert second["resposta"]["shouldAlert"] is True


def test_a_score_change_is_read_from_the_history_when_the_store_has_none(stack: Stack) -> None:
    history = [
        {"role": "patient", "content": "estou com dor de cabeça, nota 2"},
        {"role": "agent", "content": "Entendi. Me avise se mudar."},
    ]
    stack.send("agora a dor está nota 6", conversation="conv-h", conversationHistory=history)

    [body] = stack.sent("SCORE_CHANGE")
    assert body["severity"] == "MEDIUM"
    assert (body["context"]["previousScore"], body["context"]["previousSource"]) == (2, "conversationHistory")


def test_a_worsening_message_raises_symptom_worsening_and_a_high_reply_with_the_question(
    stack: Stack,
) -> None:
    history = [{"role": "agent", "content": "Como está a tosse hoje?"}]
    result, _ = stack.send("piorou muito", conversationHistory=history)

    [body] = stack.sent("SYMPTOM_WORSENING")
    assert (body["severity"], body["context"]["symptoms"]) == ("HIGH", ["tosse"])
    reply = result["resposta"]
    assert reply["severity"] == "HIGH" and reply["response"].endswith(FOLLOW_UP["HIGH"])


def test_worsening_of_a_symptom_that_is_critical_now_raises_critical_symptom_only(stack: Stack) -> None:
    stack.send("a falta de ar piorou muito")

    assert [r.body["type"] for r in stack.nestjs.requests if r.status == 201] == ["CRITICAL_SYMPTOM"]


def test_a_red_flag_reply_schedules_one_follow_up_and_an_ordinary_one_none(stack: Stack) -> None:
    stack.send("estou bem hoje, obrigado")
    assert stack.published == []

    result, ctx = stack.send("desmaiei agora há pouco")

    [(exchange, queue, msg)] = stack.published
    assert (exchange, queue) == ("seguimento.espera", "seguimento.espera.60s")
    assert msg["question"] == FOLLOW_UP["CRITICAL"] and msg["conversation_id"] == "conv-1"
    assert msg["task_id"] == ctx.task_id
    assert result["conversa"]["perguntaDeSeguimento"] == FOLLOW_UP["CRITICAL"]


def test_an_unanswered_question_raises_one_no_response_with_the_question_and_conversation(
    stack: Stack,
) -> None:
    stack.send("desmaiei agora há pouco")
    [(_, _, msg)] = stack.published
    body = json.dumps(msg).encode()

    assert stack.followups.handle(body) == "alerted:delivered"
    assert stack.followups.handle(body) == "alerted:delivered"  # delivered twice by the broker

    [alert] = stack.sent("NO_RESPONSE")
    assert alert["severity"] == "MEDIUM" and alert["patientId"] == PATIENT
    assert alert["context"]["question"] == FOLLOW_UP["CRITICAL"]
    assert alert["context"]["conversationId"] == "conv-1"
    status = stack.store.get_task_view(msg["task_id"])
    assert status is not None and [a["type"] for a in status["alerts"]] == ["CRITICAL_SYMPTOM", "NO_RESPONSE"]


def test_an_answer_in_time_raises_no_no_response(stack: Stack) -> None:
    stack.send("desmaiei agora há pouco")
    [(_, _, msg)] = stack.published
    stack.send("sim")
    wait_until(
        lambda: stack.log.answered_after(
            "hospital_a", "conv-1", datetime.fromisoformat(msg["asked_at"]), "x"
        ),
        timeout=10,
        message="the answer recorded",
    )

    assert stack.followups.handle(json.dumps(msg).encode()) == "answered"
    assert stack.sent("NO_RESPONSE") == []


def test_a_follow_up_claiming_another_tenant_is_dropped(stack: Stack) -> None:
    stack.send("desmaiei agora há pouco")
    [(_, _, msg)] = stack.published

    assert stack.followups.handle(json.dumps({**msg, "tenant_id": "hospital_b"}).encode()) == "untrusted"
    assert stack.followups.handle(b"not json") == "unreadable"
    assert stack.sent("NO_RESPONSE") == []


# --- through the rules stage ------------------------------------------------------------------------


def _rules_stage(settings: Settings, store: Store, publish: Any) -> Any:
    from tests.workers.test_stages import RecordingDispatcher
    from workers.stages import RulesStage

    dispatcher = RecordingDispatcher("delivered")
    log = ConversationLog(store)
    followups = FollowUps(settings, store, log, publish, dispatcher.emit)
    services = ConversationServices(settings, log, followups)
    return RulesStage(settings, "clinico", store, dispatcher=dispatcher, conversation=services), followups


def _critical(store: Store) -> tuple[Envelope, bytes]:
    from tests.workers.test_stages import queued

    payload = {"patientId": PATIENT, "message": "desmaiei agora há pouco", "conversationId": "conv-s"}
    env = Envelope(domain="clinico", task_type="mensagem", tenant_id="hospital_a", payload=payload)
    return env, queued(store, env)


def _parking_stage(tmp_path: Path) -> tuple[Store, list[bytes], Any, Any]:
    """A rules stage with follow-ups after 60 s whose parked follow-ups land in the returned list."""
    settings = make_settings(tmp_path, no_response_after_s=60)
    store = Store(settings.database_url)
    parked: list[bytes] = []
    stage, followups = _rules_stage(settings, store, lambda _ex, _key, body, _h: parked.append(body))
    return store, parked, stage, followups


def test_the_rules_stage_acks_once_the_follow_up_is_parked_and_remembers_the_message_with_the_task(
    tmp_path: Path,
) -> None:
    from workers.stages import Ack

    store, parked, stage, followups = _parking_stage(tmp_path)
    try:
        env, body = _critical(store)
        outcome = stage.process(body)

        assert isinstance(outcome, Ack) and outcome.reply is not None
        # The reply is out before the follow-up is confirmed; the ack waits for it.
        for fut in outcome.after:
            fut.result(timeout=30)
        assert [json.loads(b)["task_id"] for b in parked] == [str(env.task_id)]
        [row] = ConversationLog(store).earlier("hospital_a", "conv-s", datetime.now(UTC), "other")
        assert row["task_id"] == str(env.task_id) and row["followup_question"] == FOLLOW_UP["CRITICAL"]
    finally:
        followups.shutdown()
        store.close()


def test_a_follow_up_the_broker_does_not_confirm_keeps_the_task_unacked_and_its_redelivery_parks_it(
    tmp_path: Path,
) -> None:
    from workers.stages import Ack

    confirm = {"ok": False}
    answered = threading.Event()  # the broker answers once the stage has returned
    parked: list[dict[str, Any]] = []

    def publish(_ex: str, _key: str, body: bytes, _h: dict[str, Any]) -> None:
        answered.wait(30)
        if not confirm["ok"]:
            raise ConnectionError("publish not confirmed")
        parked.append(json.loads(body))

    settings = make_settings(tmp_path, no_response_after_s=60)
    store = Store(settings.database_url)
    stage, followups = _rules_stage(settings, store, publish)
    try:
        env, body = _critical(store)
        first = stage.process(body)
        # The reply goes (the result is durable); the ack's wait fails, so the consumer requeues.
        assert isinstance(first, Ack) and first.reply is not None
        answered.set()
        [failed] = [f for f in first.after if f.exception(timeout=30) is not None]
        assert isinstance(failed.exception(), ConnectionError)
        assert parked == []

        confirm["ok"] = True
        again = stage.process(body, {"x-delivery-count": 1})

        assert isinstance(again, Ack) and again.reply is not None
        assert again.reply["response"] == first.reply["response"]
        for fut in again.after:
            fut.result(timeout=30)
        [msg] = parked
        assert msg["task_id"] == str(env.task_id) and msg["question"] == FOLLOW_UP["CRITICAL"]
        assert msg["conversation_id"] == "conv-s" and msg["patient_id"] == PATIENT
        assert datetime.fromisoformat(msg["asked_at"]) == env.created_at
        assert store.get_task(str(env.task_id))["attempts"] == 1  # not analysed again
    finally:
        followups.shutdown()
        store.close()


def test_through_the_rules_stage_a_repeated_complaint_joins_its_episode_in_one_transaction_per_message(
    tmp_path: Path,
) -> None:
    import sqlalchemy as sa

    from tests.workers.test_stages import queued
    from workers.stages import Ack

    settings = make_settings(tmp_path, no_response_after_s=0)
    store = Store(settings.database_url)
    stage, followups = _rules_stage(settings, store, lambda *_a: None)
    commits: list[int] = []
    sa.event.listen(store.engine, "commit", lambda _conn: commits.append(1))
    try:
        replies = []
        for _ in range(3):
            payload = {
                "patientId": PATIENT,
                "message": "to com muita falta de ar",
                "conversationId": "conv-r",
            }
            env = Envelope(domain="clinico", task_type="mensagem", tenant_id="hospital_a", payload=payload)
            body = queued(store, env)
            commits.clear()
            outcome = stage.process(body)
            assert isinstance(outcome, Ack) and outcome.reply is not None
            assert len(commits) == 1, "the episode, the result and the alert row: one transaction"
            replies.append(outcome.reply)
            stored = store.get_task(str(env.task_id))
            assert stored is not None
            assert stored["result"]["resposta"]["structuredData"] == outcome.reply["structuredData"]

        first, *later = replies
        assert first["alerts"] == [
            {"type": "CRITICAL_SYMPTOM", "severity": "CRITICAL", "delivery": "delivered"}
        ]
        assert first["structuredData"]["conversation"]["episodios"] == []
        for reply in later:
            assert reply["alerts"] == []
            assert reply["structuredData"]["conversation"]["episodios"] == [
                {"type": "CRITICAL_SYMPTOM", "finding": "dispneia", "episode": "joined"}
            ]
            assert reply["response"] == first["response"], "the safety instruction every time"
        assert len(stage.dispatcher.emitted) == 1
        episode = ConversationLog(store).episode("hospital_a", "conv-r", "CRITICAL_SYMPTOM:dispneia")
        assert episode is not None and len(episode["joined"]) == 2
    finally:
        followups.shutdown()
        store.close()


def test_a_batch_of_agent_messages_remembers_every_message_in_one_statement_and_one_transaction(
    tmp_path: Path, store_url: str
) -> None:
    import sqlalchemy as sa

    from tests.workers.test_stages import queued
    from workers.stages import Ack

    settings = make_settings(tmp_path, no_response_after_s=0, database_url=store_url)
    store = Store(settings.database_url)
    stage, followups = _rules_stage(settings, store, lambda *_a: None)
    inserts: list[int] = []
    commits: list[int] = []

    def statement(_conn: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        if sql.lstrip().upper().startswith("INSERT INTO CONVERSATION_MESSAGES"):
            inserts.append(1)

    try:
        texts = ["bom dia, estou bem hoje", "to com muita falta de ar", "sim, tomei o remedio", "obrigado"]
        envs = [
            Envelope(
                domain="clinico",
                task_type="mensagem",
                tenant_id="hospital_a",
                payload={"patientId": PATIENT, "message": text, "conversationId": f"conv-b{i}"},
            )
            for i, text in enumerate(texts)
        ]
        bodies = [queued(store, env) for env in envs]
        # The first analysis in a process warms the engine up, long enough for SlowRuns to
        # store a `processing`: not what is counted here.
        warm = Envelope(
            domain="clinico",
            task_type="mensagem",
            tenant_id="hospital_a",
            payload={**envs[1].payload, "conversationId": "conv-warm"},
        )
        stage.process(queued(store, warm))
        sa.event.listen(store.engine, "before_cursor_execute", statement)
        sa.event.listen(store.engine, "commit", lambda _conn: commits.append(1))

        outcomes = stage.process_many([(body, {}) for body in bodies])

        assert all(isinstance(o, Ack) and o.reply is not None for o in outcomes)
        assert len(commits) == 1 and len(inserts) == 1, "four conversations' rows, one statement"
        log = ConversationLog(store)
        for i, env in enumerate(envs):
            [row] = log.earlier("hospital_a", f"conv-b{i}", datetime.now(UTC), "other")
            assert row["task_id"] == str(env.task_id)
        assert len(stage.dispatcher.emitted) == 2, "the critical message's alert, as the warm-up's"
    finally:
        followups.shutdown()
        store.close()


def test_the_consumer_path_publishes_the_follow_up_only_once_the_reply_is_out(tmp_path: Path) -> None:
    """`defer`: the follow-up's confirmed publish (on the broker connection's thread) must not
    queue ahead of the reply; it starts from `Ack.then`, which the consumer runs after the replies."""
    from workers.stages import Ack

    store, parked, stage, followups = _parking_stage(tmp_path)
    try:
        env, body = _critical(store)
        [outcome], _ = stage.process_batch([(body, {})], defer=True)

        assert isinstance(outcome, Ack) and outcome.reply is not None and len(outcome.then) == 1
        assert parked == [] and not all(f.done() for f in outcome.after)  # the ack still waits
        for start in outcome.then:
            start()
        for fut in outcome.after:
            fut.result(timeout=30)
        assert [json.loads(b)["task_id"] for b in parked] == [str(env.task_id)]
    finally:
        followups.shutdown()
        store.close()
