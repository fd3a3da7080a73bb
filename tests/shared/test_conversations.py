"""The conversation memory on SQLite and PostgreSQL (shared.conversations)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.store import Store
from shared.store.conversations import ConversationLog
from shared.store.schema import alert_episodes
from workers.conversation_alerts import episode_decision

T0 = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)


@pytest.fixture
def log(store_url: str) -> Iterator[ConversationLog]:
    store = Store(store_url)
    yield ConversationLog(store)
    store.close()


def row(task_id: str, at: datetime, conversation: str = "c1", **extra: Any) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "tenant_id": "hospital_a",
        "conversation_id": conversation,
        "message_id": f"msg-{task_id}",
        "received_at": at,
        "pain_score": None,
        "temperature_c": None,
        "intensities": None,
        "symptoms": None,
        "followup_question": None,
        **extra,
    }


def test_earlier_messages_of_the_conversation_come_newest_first_and_only_before_this_one(
    log: ConversationLog,
) -> None:
    log.record(row("a", T0, pain_score=3, intensities={"tosse": 1}))
    log.record(row("b", T0 + timedelta(minutes=1), pain_score=5))
    log.record(row("c", T0 + timedelta(minutes=5)))
    log.record(row("x", T0, conversation="other", pain_score=9))
    log.record(row("a", T0, pain_score=10))  # a redelivered task keeps its first row

    earlier = log.earlier("hospital_a", "c1", T0 + timedelta(minutes=5), "c")

    assert [(r["task_id"], r["pain_score"]) for r in earlier] == [("b", 5), ("a", 3)]
    assert earlier[1]["intensities"] == {"tosse": 1}
    assert log.earlier("hospital_b", "c1", T0 + timedelta(hours=1), "z") == []


def test_a_later_message_read_by_a_worker_or_still_queued_counts_as_an_answer(log: ConversationLog) -> None:
    log.record(row("q", T0))
    assert not log.answered_after("hospital_a", "c1", T0, "q")

    # Accepted by the API, not yet read by any worker (a backlog in eventos).
    task_id = str(uuid.uuid4())
    log.store.create_task(
        Store.new_task_row(
            task_id=task_id,
            tenant_id="hospital_a",
            domain="clinico",
            task_type="mensagem",
            created_at=T0 + timedelta(minutes=3),
            correlation_id=None,
            idempotency_key=None,
            request_hash=None,
            payload={"patientId": str(uuid.uuid4()), "message": "sim", "conversationId": "c1"},
        )
    )
    assert log.answered_after("hospital_a", "c1", T0, "q")
    assert not log.answered_after("hospital_a", "c2", T0, "q")
    assert not log.answered_after("hospital_b", "c1", T0, "q")

    log.record(row("r", T0 + timedelta(minutes=2), conversation="c2"))
    assert log.answered_after("hospital_a", "c2", T0, "q")


def decide(window: int = 3600) -> Any:
    return lambda ep, severity, task_id, now: episode_decision(ep, severity, task_id, now, window)


def test_the_same_finding_joins_the_open_episode_and_a_higher_severity_escalates_it(
    log: ConversationLog,
) -> None:
    key = "CRITICAL_SYMPTOM:dor_intensa"
    claim = log.claim_episodes

    assert claim("hospital_a", "c1", "t1", [(key, "HIGH")], decide()) == {key: "open"}
    assert claim("hospital_a", "c1", "t2", [(key, "HIGH")], decide()) == {key: "join"}
    assert claim("hospital_a", "c1", "t1", [(key, "HIGH")], decide()) == {key: "same_task"}
    assert claim("hospital_a", "c1", "t3", [(key, "CRITICAL")], decide()) == {key: "escalate"}
    assert claim("hospital_a", "c1", "t4", [(key, "HIGH")], decide()) == {key: "join"}
    assert claim("hospital_a", "c2", "t5", [(key, "HIGH")], decide()) == {key: "open"}
    assert claim("hospital_b", "c1", "t6", [(key, "HIGH")], decide()) == {key: "open"}

    episode = log.episode("hospital_a", "c1", key)
    assert episode is not None
    assert (episode["task_id"], episode["severity"], episode["joined"]) == ("t3", "CRITICAL", ["t4"])
    # After the window the finding opens a new episode.
    assert claim("hospital_a", "c1", "t7", [(key, "HIGH")], decide(window=0)) == {key: "open"}


def test_two_workers_claiming_the_same_new_episode_at_once_send_one_alert(store_url: str) -> None:
    stores = [Store(store_url), Store(store_url)]
    try:
        logs = [ConversationLog(s) for s in stores]
        key = "SYMPTOM_WORSENING:tosse"
        results: list[str] = []
        barrier = threading.Barrier(8)

        def claim(i: int) -> None:
            barrier.wait()
            out = logs[i % 2].claim_episodes("hospital_a", "c1", f"t{i}", [(key, "HIGH")], decide())
            results.append(out[key])

        threads = [threading.Thread(target=claim, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(results) == ["join"] * 7 + ["open"]
    finally:
        for s in stores:
            s.close()


def test_retention_purges_what_the_conversation_remembered_of_purged_tasks_and_old_episodes(
    log: ConversationLog,
) -> None:
    from shared.retention import purge
    from tests.shared.test_retention import _task

    old = _task(log.store, "completed", age_days=40)
    recent = _task(log.store, "completed", age_days=1)
    log.record(row(old, T0))
    log.record(row(recent, T0 + timedelta(minutes=1)))
    key = "CRITICAL_SYMPTOM:dispneia"
    log.claim_episodes("hospital_a", "c-old", old, [(key, "CRITICAL")], decide())
    with log.store.engine.begin() as conn:
        conn.execute(alert_episodes.update().values(alerted_at=datetime.now(UTC) - timedelta(days=40)))
    log.claim_episodes("hospital_a", "c-new", recent, [(key, "CRITICAL")], decide())

    purge(log.store.engine, datetime.now(UTC) - timedelta(days=30))

    assert [r["task_id"] for r in log.earlier("hospital_a", "c1", T0 + timedelta(hours=1), "x")] == [recent]
    assert log.episode("hospital_a", "c-old", key) is None
    assert log.episode("hospital_a", "c-new", key) is not None
