"""The envelope of an accepted request, built without validating again what is valid by
construction (docs/operations.md, "api-cpu11").

The API validates the body as its payload model and dumps it; the ids and the time are made
here; the tenant comes from the configured keys. `Envelope(...)` then ran pydantic's validation
of all of it once more for every accepted task (about 2 % of the API's instructions per task).
`request_envelope` fills the instance as validation fills it (the same `__dict__` in the same
order, the same fields set: tests/shared/test_envelope_json.py compares), and a value of
another type, or a tenant outside the field's length, still goes through the constructor.
"""

from __future__ import annotations

import uuid
from typing import Any

from shared.messages import SCHEMA_VERSION, Envelope, utcnow

_new = object.__new__
_set = object.__setattr__
_GIVEN = frozenset(
    {"task_id", "domain", "task_type", "tenant_id", "payload", "correlation_id", "idempotency_key"}
)
# What `model_construct` fills is filled here; another field list, a private attribute or a
# post-init hook (a change to the model) sends every envelope through the constructor again.
_LAYOUT = [
    "schema_version",
    "task_id",
    "domain",
    "task_type",
    "tenant_id",
    "payload",
    "created_at",
    "correlation_id",
    "idempotency_key",
]
TRUSTED_LAYOUT = (
    list(Envelope.model_fields) == _LAYOUT
    and not Envelope.__private_attributes__
    and Envelope.__pydantic_post_init__ is None
)


def request_envelope(
    *,
    domain: str,
    task_type: str,
    tenant_id: str,
    payload: dict[str, Any],
    idempotency_key: str | None,
    correlation_id: str,
    task_id: uuid.UUID,
) -> Envelope:
    """`Envelope(domain=..., ..., task_id=...)`, `created_at` now."""
    if not (
        TRUSTED_LAYOUT
        and type(domain) is str
        and type(task_type) is str
        and type(tenant_id) is str
        and 0 < len(tenant_id) <= 200
        and type(payload) is dict
        and (idempotency_key is None or type(idempotency_key) is str)
        and type(correlation_id) is str
        and type(task_id) is uuid.UUID
    ):
        return Envelope(
            domain=domain,
            task_type=task_type,
            tenant_id=tenant_id,
            payload=payload,
            idempotency_key=idempotency_key,
            correlation_id=correlation_id,
            task_id=task_id,
        )
    envelope = _new(Envelope)
    # In the fields' order, as validation fills __dict__ (the message body follows it).
    _set(
        envelope,
        "__dict__",
        {
            "schema_version": SCHEMA_VERSION,
            "task_id": task_id,
            "domain": domain,
            "task_type": task_type,
            "tenant_id": tenant_id,
            "payload": payload,
            "created_at": utcnow(),
            "correlation_id": correlation_id,
            "idempotency_key": idempotency_key,
        },
    )
    _set(envelope, "__pydantic_fields_set__", set(_GIVEN))
    _set(envelope, "__pydantic_extra__", None)
    _set(envelope, "__pydantic_private__", None)
    return envelope
