"""The message body's envelope fields are written by orjson where they hold what the API puts
there (shared/messages.py `_head_json`): the bytes must be pydantic's, for any text."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest
from pydantic import ValidationError

from shared import ids
from shared.messages import Envelope, _head_json
from shared.request_envelope import request_envelope

# Every character a header (latin-1) or a configured tenant can carry, and some past it.
TEXT = "".join(chr(c) for c in range(0x300)) + "\u2028\u2029/\\\"'ção😀"


def _pydantic(envelope: Envelope) -> bytes:
    return envelope.model_dump_json(exclude={"payload"}).encode()


def _envelope(**fields: object) -> Envelope:
    base: dict[str, object] = {
        "domain": "clinico",
        "task_type": "consulta",
        "tenant_id": "tenant_a",
        "payload": {"queixa": "dor"},
        "task_id": ids.uuid7(),
    }
    base.update(fields)
    return Envelope(**base)  # type: ignore[arg-type]


def test_the_same_bytes_as_pydantic_for_any_text() -> None:
    for i in range(0, len(TEXT), 40):
        chunk = TEXT[i : i + 40]
        envelope = _envelope(tenant_id=chunk, correlation_id=chunk, idempotency_key=chunk)
        assert _head_json(envelope) == _pydantic(envelope), chunk


def test_the_same_bytes_for_times_ids_and_absent_keys() -> None:
    moments = [
        datetime(2026, 12, 7, 22, 40, 4, 0, tzinfo=UTC),
        datetime(2026, 12, 7, 22, 40, 4, 1, tzinfo=UTC),
        datetime(1999, 1, 1, tzinfo=UTC),
        datetime.now(UTC),
    ]
    for moment in moments:
        for task_id in (uuid.uuid4(), ids.uuid7(), uuid.UUID(int=0)):
            envelope = _envelope(created_at=moment, task_id=task_id, idempotency_key=None)
            assert _head_json(envelope) == _pydantic(envelope)


def test_other_values_go_through_pydantic() -> None:
    # What model_copy(update=...) can put there without validation (the retry of a 503).
    plus_two = timezone(timedelta(hours=2))
    for update in (
        {"created_at": datetime(2026, 12, 7, 22, 0, tzinfo=plus_two)},
        {"created_at": datetime(2026, 12, 7, 22, 0)},
        {"created_at": datetime(2026, 12, 7, 22, 0, tzinfo=timezone(timedelta(0)))},
    ):
        envelope = _envelope().model_copy(update=update)
        assert _head_json(envelope) == _pydantic(envelope)


def test_the_body_is_the_envelope_with_the_payload_spliced_in() -> None:
    envelope = _envelope(correlation_id="c-1", idempotency_key="k")
    payload = orjson.dumps(envelope.payload)
    assert orjson.loads(envelope.to_json_bytes(payload)) == orjson.loads(envelope.model_dump_json())


def test_the_request_envelope_is_the_one_the_constructor_builds() -> None:
    # request_envelope skips validation of what the API built itself: the same fields, in the
    # same order, the same fields set and the same message body as the validating constructor.
    for tenant, key, correlation in (("tenant_a", None, "c" * 32), (TEXT[:200], TEXT[:40], TEXT[40:80])):
        fields: dict[str, object] = {
            "domain": "clinico",
            "task_type": "consulta",
            "tenant_id": tenant,
            "payload": {"queixa": "dor", "sinais_vitais": {"spo2_pct": 97.0}},
            "idempotency_key": key,
            "correlation_id": correlation,
            "task_id": ids.uuid7(),
        }
        fast = request_envelope(**fields)  # type: ignore[arg-type]
        slow = Envelope(**fields, created_at=fast.created_at)  # type: ignore[arg-type]
        assert fast == slow
        assert list(fast.__dict__) == list(slow.__dict__)
        assert fast.model_fields_set == slow.model_fields_set - {"created_at"}
        assert fast.created_at.tzinfo is UTC
        assert fast.to_json_bytes(b'{"x":1}') == slow.to_json_bytes(b'{"x":1}')
        assert fast.model_dump_json() == slow.model_dump_json()


def test_a_request_envelope_the_constructor_would_refuse_is_still_refused() -> None:
    base: dict[str, object] = {
        "domain": "clinico",
        "task_type": "consulta",
        "payload": {},
        "idempotency_key": None,
        "correlation_id": "c",
        "task_id": ids.uuid7(),
    }
    for tenant in ("", "t" * 201):
        with pytest.raises(ValidationError):
            request_envelope(tenant_id=tenant, **base)  # type: ignore[arg-type]
    # Another type than the API's own goes through validation too (and is converted by it).
    envelope = request_envelope(tenant_id="t", **{**base, "task_id": str(base["task_id"])})  # type: ignore[arg-type]
    assert envelope.task_id == base["task_id"]
