"""A worker's batch of status writes: one statement per kind, same answers as one at a time."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from shared.store import Store, progress_for


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    yield s
    s.close()


def _row(task_id: str) -> dict:
    return Store.new_task_row(
        task_id=task_id,
        tenant_id="a",
        domain="exames",
        task_type="hemograma",
        created_at=datetime.now(UTC),
        correlation_id=None,
        idempotency_key=None,
        request_hash=None,
    )


def test_a_batch_starts_new_and_known_tasks_and_refuses_completed_ones_and_duplicates(store: Store) -> None:
    queued, unknown, done = (str(uuid.uuid4()) for _ in range(3))
    store.create_task(_row(queued))
    store.create_task(_row(done))
    store.transition(done, "completed", progress_for("completed"), result={"ok": 1})
    first = progress_for("processing", attempt_key=1)

    answers = store.start_many(
        [
            (queued, first, _row(queued)),
            (unknown, first, _row(unknown)),
            (done, first, _row(done)),
            (queued, first, None),
        ]
    )

    assert [applied for applied, _ in answers] == [True, True, False, False]
    assert answers[2][1]["status"] == "completed"
    for task_id in (queued, unknown):
        task = store.get_task(task_id)
        assert task["status"] == "processing" and task["attempts"] == 1
    assert store.get_task(done)["result"] == {"ok": 1}


def test_a_batch_of_completions_stores_each_result_and_never_moves_a_status_back(store: Store) -> None:
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    for task_id in (a, b):
        store.create_task(_row(task_id))
    store.start_many([(t, progress_for("processing", attempt_key=1), None) for t in (a, b)])
    store.transition(b, "completed", progress_for("completed", generation=1), result={"newer": True})

    store.complete_many([(a, progress_for("completed"), {"n": 1}), (b, progress_for("completed"), {"n": 2})])

    assert store.get_task(a)["status"] == "completed" and store.get_task(a)["result"] == {"n": 1}
    assert store.get_task(b)["result"] == {"newer": True}, "a later generation's result stays"
