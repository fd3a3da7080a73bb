"""The task store on SQLite and PostgreSQL: creation, idempotency, a status that never moves back."""

from __future__ import annotations

import random
import threading
import uuid

import pytest

from shared.store import Store, progress_for
from tests.support.task_rows import task_row


@pytest.fixture
def store(store_url: str):
    s = Store(store_url)
    yield s
    s.close()


def _row(tenant: str = "a", key: str | None = None, h: str | None = None) -> dict:
    return task_row(tenant_id=tenant, idempotency_key=key, request_hash=h)


def test_created_task_is_queued_with_zero_attempts(store: Store) -> None:
    row = _row()
    assert store.create_task(row).kind == "created"
    task = store.get_task(row["task_id"])
    assert task["status"] == "queued" and task["attempts"] == 0
    assert task["created_at"].tzinfo is not None


def test_idempotency_key_returns_existing_or_conflict(store: Store) -> None:
    first = _row(key="k1", h="hash-1")
    assert store.create_task(first).kind == "created"
    same = store.create_task(_row(key="k1", h="hash-1"))
    assert same.kind == "existing" and same.task["task_id"] == first["task_id"]
    assert store.create_task(_row(key="k1", h="hash-2")).kind == "conflict"
    assert store.create_task(_row(tenant="b", key="k1", h="hash-2")).kind == "created"


def test_status_never_moves_backwards(store: Store) -> None:
    row = _row()
    store.create_task(row)
    tid = row["task_id"]
    assert store.transition(tid, "processing", progress_for("processing", attempt_key=1))[0]
    assert store.transition(tid, "completed", progress_for("completed"), result={"ok": 1})[0]
    applied, current = store.transition(tid, "processing", progress_for("processing", attempt_key=2))
    assert not applied and current["status"] == "completed"
    applied, _ = store.transition(tid, "retrying", progress_for("retrying", attempt_key=5))
    assert not applied
    task = store.get_task(tid)
    assert task["status"] == "completed" and task["result"] == {"ok": 1} and task["attempts"] == 1


def test_queued_insert_after_worker_pickup_does_not_reset_status(store: Store) -> None:
    row = _row()
    # The worker saw the message before the API's insert landed (another producer, say).
    store.transition(row["task_id"], "processing", progress_for("processing"), ensure=dict(row))
    assert store.create_task(dict(row, idempotency_key=None)).kind in ("created", "existing")
    assert store.get_task(row["task_id"])["status"] == "processing"


def test_concurrent_out_of_order_updates_end_in_the_latest_state(store: Store) -> None:
    tasks = []
    for _ in range(20):
        row = _row()
        store.create_task(row)
        tasks.append(row["task_id"])
    updates = []
    for tid in tasks:
        updates += [
            (tid, "processing", progress_for("processing", attempt_key=1)),
            (tid, "retrying", progress_for("retrying", attempt_key=1)),
            (tid, "processing", progress_for("processing", attempt_key=1001)),
            (tid, "completed", progress_for("completed")),
        ]
    random.Random(7).shuffle(updates)
    chunks = [updates[i::8] for i in range(8)]
    barrier = threading.Barrier(8)

    def apply(chunk: list) -> None:
        barrier.wait()
        for tid, status, progress in chunk:
            store.transition(tid, status, progress, result={"done": True} if status == "completed" else None)

    threads = [threading.Thread(target=apply, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for tid in tasks:
        task = store.get_task(tid)
        assert task["status"] == "completed", task
        assert task["result"] == {"done": True}


def test_replay_opens_a_new_generation_unless_the_task_completed(store: Store) -> None:
    done = _row()
    store.create_task(done)
    store.transition(done["task_id"], "completed", progress_for("completed"), result={})
    assert store.replay(done["task_id"]) is None
    assert store.replay(str(uuid.uuid4())) is None
    row = _row()
    store.create_task(row)
    tid = row["task_id"]
    store.transition(tid, "dead_lettered", progress_for("dead_lettered"), error="boom")
    gen = store.replay(tid)
    assert gen == 1
    assert store.get_task(tid)["status"] == "retrying"
    # The old generation's late updates are ignored; the new one moves forward.
    assert not store.transition(tid, "processing", progress_for("processing", attempt_key=9))[0]
    assert store.transition(tid, "processing", progress_for("processing", attempt_key=1, generation=1))[0]
    assert store.transition(tid, "completed", progress_for("completed", generation=1), result={})[0]
    assert store.get_task(tid)["status"] == "completed"


def test_alert_delivery_states_are_final(store: Store) -> None:
    row = _row()
    store.create_task(row)
    tid = row["task_id"]
    stored = store.register_alert(
        tid, "regras:x", type="CRITICAL_SYMPTOM", severity="CRITICAL", message="m", body={"patientId": "p"}
    )
    assert stored["delivery"] == "pending"
    assert (
        store.register_alert(
            tid, "regras:x", type="CRITICAL_SYMPTOM", severity="HIGH", message="other", body={}
        )["severity"]
        == "CRITICAL"
    )
    assert store.update_alert(tid, "regras:x", delivery="delivered", attempts_delta=2, backend_alert_id="b-1")
    assert not store.update_alert(tid, "regras:x", delivery="failed", last_error="late")
    view = store.get_task_view(tid)
    assert view["alerts"] == [
        {
            "type": "CRITICAL_SYMPTOM",
            "severity": "CRITICAL",
            "message": "m",
            "delivery": "delivered",
            "attempts": 2,
            "backend_alert_id": "b-1",
            "last_error": None,
        }
    ]


def test_tenant_and_domain_scope_the_view(store: Store) -> None:
    row = _row(tenant="a")
    store.create_task(row)
    assert store.get_task_view(row["task_id"], tenant_id="a", domain="clinico") is not None
    assert store.get_task_view(row["task_id"], tenant_id="b", domain="clinico") is None
    assert store.get_task_view(row["task_id"], tenant_id="a", domain="exames") is None


def test_discard_only_removes_a_task_still_queued(store: Store) -> None:
    import asyncio

    a, b = _row(), _row()
    store.create_task(a)
    store.create_task(b)
    store.transition(b["task_id"], "processing", progress_for("processing"))
    assert asyncio.run(store.adiscard_task(a["task_id"])) is True
    assert asyncio.run(store.adiscard_task(b["task_id"])) is False
    assert store.get_task(a["task_id"]) is None and store.get_task(b["task_id"]) is not None


def test_concurrent_creations_from_one_event_loop_each_get_their_own_answer(store: Store) -> None:
    # The writer settles a group commit's futures of one loop in one callback: every request
    # still gets its own outcome, a conflict included.
    import asyncio

    first = _row(key="k1", h="h1")
    store.create_task(first)
    conflicting = {**_row(key="k1", h="other"), "task_id": str(uuid.uuid4())}
    rows = [_row() for _ in range(300)]

    async def create_all() -> list:
        return await asyncio.gather(*(store.acreate_task(r) for r in [*rows, conflicting]))

    outcomes = asyncio.run(create_all())
    assert [o.kind for o in outcomes] == ["created"] * 300 + ["conflict"]
    assert all(store.get_task(r["task_id"]) is not None for r in rows)
