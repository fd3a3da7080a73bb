"""A worker's batch of status writes: one statement per kind, same answers as one at a time."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from shared.store import BatchTask, Store, progress_for
from tests.support.task_rows import task_row


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    yield s
    s.close()


def _row(task_id: str) -> dict:
    return task_row(task_id=task_id, domain="exames", task_type="hemograma", correlation_id=None)


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


# --- one transaction per rules batch ------------------------------------------------------------------


def _commits(store: Store) -> list[int]:
    """A list that grows by one at each commit of the store's engine."""
    commits: list[int] = []
    sa.event.listen(store.engine, "commit", lambda conn: commits.append(1))
    return commits


def _alert(task_id: str, key: str = "plaquetas") -> dict:
    return {
        "task_id": task_id,
        "alert_key": key,
        "type": "CRITICAL_LAB",
        "severity": "CRITICAL",
        "message": "plaquetas criticamente baixas",
        "body": {"title": "plaquetas"},
    }


def _done(task_id: str, result: dict, alerts: list[dict] | None = None, attempt: int = 1) -> BatchTask:
    return BatchTask(
        task_id=task_id,
        guard=progress_for("processing", attempt_key=attempt),
        status="completed",
        progress=progress_for("completed"),
        result=result,
        ensure=_row(task_id),
        alerts=alerts or [],
    )


def test_a_batch_goes_from_queued_to_completed_with_results_and_alerts_in_one_transaction(
    store: Store,
) -> None:
    alerting, quiet, unknown = (str(uuid.uuid4()) for _ in range(3))
    for task_id in (alerting, quiet):
        store.create_task(_row(task_id))
    commits = _commits(store)

    answers = store.record_batch(
        [
            _done(alerting, {"alerta": True}, [_alert(alerting)]),
            _done(quiet, {"alerta": False}),
            _done(unknown, {"alerta": False}),  # published some other way: its row is created
        ]
    )

    assert len(commits) == 1
    assert [a.applied for a in answers] == [True, True, True]
    assert answers[0].alerts["plaquetas"]["delivery"] == "pending"
    for task_id, alerta in ((alerting, True), (quiet, False), (unknown, False)):
        task = store.get_task(task_id)
        assert task["status"] == "completed" and task["result"] == {"alerta": alerta}
        assert task["attempts"] == 1, "the run counts although no `processing` was written"
    assert [a["delivery"] for a in store.list_alerts(alerting)] == ["pending"]


def test_a_batch_refuses_a_completed_task_and_one_that_a_later_delivery_has_taken(store: Store) -> None:
    done, taken = str(uuid.uuid4()), str(uuid.uuid4())
    for task_id in (done, taken):
        store.create_task(_row(task_id))
    store.transition(done, "completed", progress_for("completed"), result={"first": True})
    store.transition(taken, "processing", progress_for("processing", attempt_key=2))

    answers = store.record_batch([_done(done, {"second": True}, [_alert(done)]), _done(taken, {"x": 1})])

    assert [a.applied for a in answers] == [False, False]
    assert answers[0].current is not None and answers[0].current["status"] == "completed"
    assert store.get_task(done)["result"] == {"first": True}, "a completed task is never written again"
    assert store.list_alerts(done) == [], "a duplicate's alerts are not recorded"
    assert store.get_task(taken)["status"] == "processing", "the later delivery's run stands"


def test_a_task_that_ran_before_finds_the_alert_rows_of_its_first_run(store: Store) -> None:
    task_id = str(uuid.uuid4())
    store.create_task(_row(task_id))
    # The first run recorded the alert with `processing`, delivered it, and died before `completed`.
    first = BatchTask(
        task_id=task_id,
        guard=progress_for("processing", attempt_key=1),
        status="processing",
        progress=progress_for("processing", attempt_key=1),
        alerts=[_alert(task_id)],
    )
    store.record_batch([first])
    store.update_alert(task_id, "plaquetas", delivery="delivered", backend_alert_id="b-1")

    [answer] = store.record_batch([_done(task_id, {"alerta": True}, [_alert(task_id)], attempt=2)])

    assert answer.applied and answer.alerts["plaquetas"]["delivery"] == "delivered"
    task = store.get_task(task_id)
    assert task["status"] == "completed" and task["attempts"] == 2
    assert len(store.list_alerts(task_id)) == 1


def test_a_batch_of_plain_completions_writes_new_ones_and_refuses_done_taken_and_unknown_rows_as_before(
    store: Store,
) -> None:
    # What any write path for a batch without alerts must answer (docs/workers.md, "pg-scale"):
    # a new task, a counted one, a completed one, one a later delivery has, one never issued.
    fresh, started, done, taken, unknown = (str(uuid.uuid4()) for _ in range(5))
    for task_id in (fresh, started, done, taken):
        store.create_task(_row(task_id))
    store.start_many([(started, progress_for("processing", attempt_key=1), None)])
    store.transition(done, "completed", progress_for("completed"), result={"first": True})
    store.transition(taken, "processing", progress_for("processing", attempt_key=2))
    again = _done(started, {"n": 2})
    again.guard, again.count_attempt = progress_for("processing", attempt_key=1) + 1, False

    answers = store.record_batch(
        [
            _done(fresh, {"n": 1}),
            again,
            _done(done, {"second": True}),
            _done(taken, {"x": 1}),
            _done(unknown, {"n": 5}),
        ]
    )

    assert [a.applied for a in answers] == [True, True, False, False, True]
    assert answers[2].current is not None and answers[2].current["result"] == {"first": True}
    assert store.get_task(fresh)["result"] == {"n": 1} and store.get_task(fresh)["attempts"] == 1
    assert store.get_task(started)["result"] == {"n": 2}
    assert store.get_task(started)["attempts"] == 1, (
        "the attempt counted by `processing` is not counted again"
    )
    assert store.get_task(done)["result"] == {"first": True}, "a completed task is never written again"
    assert store.get_task(taken)["status"] == "processing", "the later delivery's run stands"
    assert store.get_task(unknown)["status"] == "completed", "a task the store never issued is created"


def test_two_processes_completing_the_same_tasks_in_opposite_orders_write_each_once(store_url: str) -> None:
    # Two workers holding copies of the same tasks (a message published twice) lock the rows in
    # task id order, so neither waits for the other forever; each task is written by one of them.
    ids = [str(uuid.uuid4()) for _ in range(64)]
    stores = [Store(store_url), Store(store_url)]
    try:
        for task_id in ids:
            stores[0].create_task(_row(task_id))
        orders = [ids, ids[::-1]]
        with ThreadPoolExecutor(2) as pool:
            futures = [
                pool.submit(s.record_batch, [_done(t, {"by": n}) for t in order])
                for n, (s, order) in enumerate(zip(stores, orders, strict=True))
            ]
            answers = [f.result(timeout=20) for f in futures]
        for i, task_id in enumerate(ids):
            winners = [n for n, a in enumerate(answers) if a[i if n == 0 else len(ids) - 1 - i].applied]
            assert len(winners) == 1, task_id
            task = stores[0].get_task(task_id)
            assert task["status"] == "completed" and task["attempts"] == 1
            assert task["result"] == {"by": winners[0]}
    finally:
        for s in stores:
            s.close()


def test_a_batch_whose_write_fails_leaves_nothing_and_the_next_batch_commits(store: Store) -> None:
    # On PostgreSQL the writes and COMMIT go out as one pipeline (shared.store.pipeline): an error
    # in any of them must skip the COMMIT, roll back the locked read's transaction and leave the
    # connection as it was for the next batch.
    from shared.store.batches import RowInsert
    from shared.store.schema import tasks

    task_id, other = str(uuid.uuid4()), str(uuid.uuid4())
    for t in (task_id, other):
        store.create_task(_row(t))
    failing = _done(task_id, {"alerta": True}, [_alert(task_id)])
    failing.also = [RowInsert(sa.insert(tasks), _row(other))]  # the task exists: a duplicate key

    with pytest.raises(sa.exc.IntegrityError):
        store.record_batch([failing])

    task = store.get_task(task_id)
    assert task["status"] == "queued" and task["result"] is None
    assert store.list_alerts(task_id) == [], "the alert row went with the rest"
    [answer] = store.record_batch([_done(task_id, {"alerta": True}, [_alert(task_id)])])
    assert answer.applied and answer.alerts["plaquetas"]["delivery"] == "pending"
    assert store.get_task(task_id)["status"] == "completed"
    assert store.get_task(task_id)["attempts"] == 1


def test_postgresql_runs_a_batch_transaction_on_the_driver_and_leaves_the_connection_as_it_was(
    pg_url: str,
) -> None:
    # BEGIN with the locked read, then the writes with COMMIT, each one pipeline of the driver's
    # (docs/agent-message.md, "perf-pg9"); the connection is back to psycopg's own transactions.
    from tests.conftest import pg_schema

    with pg_schema(pg_url) as url:
        s = Store(url)
        try:
            ids = [str(uuid.uuid4()) for _ in range(4)]
            for t in ids:
                s.create_task(_row(t))
            s.batch_state(ids)  # the rules thread's connections, opened
            s.record_batch([_done(ids[0], {"n": 0})])
            statements: list[str] = []
            sa.event.listen(s.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
            s.batch_state(ids[1:])
            answers = s.record_batch([_done(t, {"n": 1}, [_alert(t)]) for t in ids[1:]])
            assert all(a.applied for a in answers)
            # The statements are announced to SQLAlchemy's listeners, as its own are.
            kinds = [" ".join(sql.split()[:2]) for sql in statements]
            assert kinds == ["SELECT task_id,", "SELECT task_id,", "UPDATE tasks", "INSERT INTO"], kinds
            assert statements[1].endswith("FOR UPDATE")
            raw = s._local.write.connection.driver_connection
            assert raw.autocommit is False and raw.pgconn.transaction_status == 0  # idle
            for t in ids[1:]:
                assert s.get_task(t)["status"] == "completed"
                assert [a["delivery"] for a in s.list_alerts(t)] == ["pending"]
        finally:
            s.close()


def test_postgresql_a_batch_on_a_dropped_connection_is_store_unavailable_and_the_next_one_reconnects(
    pg_url: str,
) -> None:
    from shared.store import StoreUnavailable
    from tests.conftest import pg_schema

    with pg_schema(pg_url) as url:
        s = Store(url)
        try:
            ids = [str(uuid.uuid4()) for _ in range(2)]
            for t in ids:
                s.create_task(_row(t))
            s.record_batch([_done(ids[0], {"n": 0})])
            pid = s._local.write.connection.driver_connection.info.backend_pid
            with s.engine.connect() as admin:
                admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                admin.commit()

            with pytest.raises(StoreUnavailable):
                s.record_batch([_done(ids[1], {"n": 1})])

            assert s.get_task(ids[1])["status"] == "queued"
            [answer] = s.record_batch([_done(ids[1], {"n": 1})])
            assert answer.applied and s.get_task(ids[1])["status"] == "completed"
        finally:
            s.close()
