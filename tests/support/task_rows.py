"""A task row as the store takes it, for tests that write rows without going through the API: the
defaults of a queued clinical consulta, any column overridden by name."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from shared.store import Store


def task_row(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "task_id": str(uuid.uuid4()),
        "tenant_id": "a",
        "domain": "clinico",
        "task_type": "consulta",
        "created_at": datetime.now(UTC),
        "correlation_id": "c",
        "idempotency_key": None,
        "request_hash": None,
    }
    fields.update(overrides)
    return Store.new_task_row(**fields)
