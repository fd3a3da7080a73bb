"""The task store keeps each task's request payload for the /ops page, whichever way it is written."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from api.ops.queries import OpsQueries
from shared import retention
from shared.store import Store, now, progress_for
from shared.store.schema import tasks


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    yield s
    s.close()


def _row(payload: dict[str, Any], key: str | None = None) -> dict[str, Any]:
    return Store.new_task_row(
        task_id=str(uuid.uuid4()),
        tenant_id="hospital_a",
        domain="clinico",
        task_type="consulta",
        created_at=datetime.now(UTC),
        correlation_id=None,
        idempotency_key=key,
        request_hash="h" if key else None,
        payload=payload,
    )


def _payload(store: Store, task_id: str, tenant: str | None = "hospital_a") -> Any:
    task = asyncio.run(OpsQueries(store).task(task_id, tenant))
    return task["payload"] if task is not None else "unknown"


def test_tasks_created_together_each_keep_their_own_payload(store: Store) -> None:
    rows = [_row({"paciente_id": str(uuid.uuid4()), "queixa": f"dor {i}"}) for i in range(40)]

    async def create_all() -> None:
        # Submitted together: the writer inserts runs of them with one executemany.
        await asyncio.gather(*(store.acreate_task(row) for row in rows))

    asyncio.run(create_all())
    for row in rows:
        assert _payload(store, row["task_id"]) == row["payload"]


def test_a_task_created_under_an_idempotency_key_keeps_its_first_payload(store: Store) -> None:
    first = _row({"queixa": "febre"}, key="k-1")
    assert store.create_task(first).kind == "created"
    retry = {**_row({"queixa": "febre"}, key="k-1"), "task_id": first["task_id"]}
    assert store.create_task(retry).kind == "existing"
    assert _payload(store, first["task_id"]) == {"queixa": "febre"}


def test_the_payload_is_not_in_the_status_view_nor_shown_to_another_tenant(store: Store) -> None:
    row = _row({"queixa": "tosse"})
    store.create_task(row)
    assert "payload" not in store.get_task_view(row["task_id"], tenant_id="hospital_a")
    assert _payload(store, row["task_id"], tenant="hospital_b") == "unknown"


def test_retention_deletes_the_payload_with_its_task(store: Store) -> None:
    row = _row({"paciente_nome": "Maria", "queixa": "cefaleia"})
    store.create_task(row)
    store.transition(row["task_id"], "completed", progress_for("completed"), result={"ok": True})
    with store.engine.begin() as conn:
        old = now() - timedelta(days=400)
        conn.execute(sa.update(tasks).where(tasks.c.task_id == row["task_id"]).values(updated_at=old))

    assert retention.purge(store.engine, now() - timedelta(days=30)).tasks == 1

    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).where(tasks.c.payload.is_not(None))).scalar() == 0
