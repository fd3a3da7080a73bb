"""Accepting a task POST: validate → store as queued → publish with confirm → 202 (`Submitter`),
and the request's canonical form, whose hash makes an `Idempotency-Key` replay safe
(docs/api-contract.md). Every task route and the fast lane (api/fastlane.py) go through here.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import orjson
from fastapi import Depends, Header, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.types import Scope

from api import metrics
from api.providers import get_tenant
from api.publisher import BrokerUnavailable, Publisher
from api.ratelimit import check_rate
from shared import ids, tracing
from shared.messages import Envelope
from shared.request_envelope import request_envelope
from shared.store import Store, publish_unconfirmed

IDEMPOTENCY_KEY_MAX_LEN = 255
CORRELATION_ID_MAX_LEN = 200
# The correlation id travels as the AMQP `correlation_id` property, a short string of at most
# 255 bytes: 200 characters fit only while they are ASCII (header values are read as latin-1,
# so each byte past 0x7f becomes two bytes in UTF-8).
CORRELATION_ID_MAX_BYTES = 255


class TaskAccepted(BaseModel):
    task_id: str
    domain: str
    task_type: str
    status: str
    status_url: str


def canonical_request(domain: str, task_type: str, payload: dict[str, Any]) -> bytes:
    """The request as canonical JSON bytes (for the idempotency hash).

    Raises UnicodeEncodeError for a string with an unpaired surrogate (`"\\ud800"` is valid JSON
    text but no Unicode string can carry it): such a body cannot be published either."""
    doc = {"d": domain, "t": task_type, "p": payload}
    try:
        return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        # orjson stops at 64-bit integers and at unpaired surrogates; JSON numbers have no size
        # limit and a free-form record (ingestao) may hold any. The same body always takes the
        # same branch, so its hash is stable.
        text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return text.encode()


def _not_unicode() -> RequestValidationError:
    return RequestValidationError(
        [
            {
                "type": "string_unicode",
                "loc": ("body",),
                "msg": "Input should be a valid string: the body has an unpaired UTF-16 surrogate escape",
                "input": {},
            }
        ]
    )


def _correlation_id_too_long(value: str) -> RequestValidationError:
    return RequestValidationError(
        [
            {
                "type": "string_too_long",
                "loc": ("header", "x-correlation-id"),
                "msg": f"String should have at most {CORRELATION_ID_MAX_BYTES} bytes in UTF-8",
                "input": value,
                "ctx": {"max_length": CORRELATION_ID_MAX_BYTES},
            }
        ]
    )


class OrjsonResponse(JSONResponse):
    """JSONResponse rendered by orjson: the same bytes (compact, UTF-8) for these bodies, faster."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class AcceptedResponse(OrjsonResponse):
    """`OrjsonResponse(body, code, {"Location": url})` with its headers built directly: the
    same bytes and header order, without `init_headers`' generic pass (every accepted POST)."""

    def __init__(self, body: dict[str, Any], status_code: int, location: str) -> None:
        self.status_code = status_code
        self.background = None
        self.body = raw = orjson.dumps(body)
        self.raw_headers = [
            (b"location", location.encode("latin-1")),
            (b"content-length", str(len(raw)).encode("latin-1")),
            (b"content-type", b"application/json"),
        ]


# (domain, task_type) -> bound child of TASKS_ACCEPTED: `labels()` takes a lock and builds the
# label tuple on every call; the set of task types is small and fixed.
_ACCEPTED_CHILDREN: dict[tuple[str, str], Any] = {}


def _accepted_child(domain: str, task_type: str) -> Any:
    key = (domain, task_type)
    child = _ACCEPTED_CHILDREN.get(key)
    if child is None:
        child = _ACCEPTED_CHILDREN[key] = metrics.TASKS_ACCEPTED.labels(domain, task_type)
    return child


@dataclass(slots=True)
class Accepted:
    """What `Submitter.accept` did: 202 a task published now, 200 an idempotent replay of one
    accepted earlier (its current state). Not frozen: one per request (see `PlainHeaders`)."""

    code: int
    task_id: str
    domain: str
    task_type: str
    state: str


class Submitter:
    """Validate → store as queued → publish with confirm → 202. Shared by every POST route.

    `reply_to` and `before_publish` serve the agent route (api/routes/agent.py): the worker answers
    to `reply_to`, and `before_publish(task_id)` runs before each publish so a waiter is registered
    before the fastest possible reply."""

    def __init__(
        self,
        scope: Scope,
        tenant: str,
        store: Store,
        publisher: Publisher,
        idempotency_key: str | None = None,
        x_correlation_id: str | None = None,
        *,
        unicode_checked: bool = False,
    ) -> None:
        # unicode_checked: the body was parsed by pydantic's JSON parser (the fast lane), which
        # refuses unpaired surrogates; json.loads (FastAPI) lets them through.
        self.unicode_checked = unicode_checked
        self.scope = scope
        self.tenant = tenant
        self.store = store
        self.publisher = publisher
        self.idempotency_key = idempotency_key
        self.correlation_id = x_correlation_id
        self.reply_to: str | None = None
        self.before_publish: Callable[[str], None] | None = None

    def _traceparent(self) -> str | None:
        for name, value in self.scope["headers"]:  # a loop, not a generator: every request
            if name == b"traceparent":
                return tracing.valid_traceparent(value)
        return None

    def status_url(self, domain: str, task_id: str) -> str:
        # PUBLIC_BASE_URL when set, else a relative path: the Host header is the client's to
        # forge and is never echoed (docs/security.md).
        scope = self.scope
        public = scope["app"].state.settings.public_base_url
        base = (
            public.rstrip("/")
            if public
            else scope.get("app_root_path", scope.get("root_path", "")).rstrip("/")
        )
        return f"{base}/api/{domain}/status/{task_id}"

    def _answer(self, code: int, task_id: str, domain: str, task_type: str, state: str) -> JSONResponse:
        url = self.status_url(domain, task_id)
        body = {
            "task_id": task_id,
            "domain": domain,
            "task_type": task_type,
            "status": state,
            "status_url": url,
        }
        return AcceptedResponse(body, code, url)

    def answer(self, accepted: Accepted) -> JSONResponse:
        a = accepted
        return self._answer(a.code, a.task_id, a.domain, a.task_type, a.state)

    async def __call__(
        self, domain: str, task_type: str, payload: BaseModel, extra: dict[str, Any] | None = None
    ) -> JSONResponse:
        return self.answer(await self.accept(domain, task_type, payload, extra))

    async def accept(
        self, domain: str, task_type: str, payload: BaseModel, extra: dict[str, Any] | None = None
    ) -> Accepted:
        correlation = self.correlation_id
        if (
            correlation is not None
            and not correlation.isascii()
            and len(correlation.encode()) > CORRELATION_ID_MAX_BYTES
        ):
            raise _correlation_id_too_long(correlation)  # before the row: nothing stored, nothing sent
        # model_dump's own call, without its Python wrapper (every accepted task).
        data = payload.__pydantic_serializer__.to_python(payload, mode="json", exclude_none=True)
        if extra:
            data.update(extra)
        envelope = request_envelope(
            domain=domain,
            task_type=task_type,
            tenant_id=self.tenant,
            payload=data,
            idempotency_key=self.idempotency_key,
            correlation_id=self.correlation_id or ids.uuid4_hex(),
            task_id=ids.uuid7(),  # time-ordered: appended to the task table's index (shared/ids.py)
        )
        task_id = str(envelope.task_id)
        digest = None
        if self.idempotency_key or not self.unicode_checked:
            try:
                digest = hashlib.sha256(canonical_request(domain, task_type, data)).hexdigest()
            except UnicodeEncodeError:
                raise _not_unicode() from None
        # Encoded once: the same bytes go into the task row and the message.
        payload_json = encode_payload(data)
        row = Store.new_task_row(
            task_id=task_id,
            tenant_id=self.tenant,
            domain=domain,
            task_type=task_type,
            created_at=envelope.created_at,
            correlation_id=envelope.correlation_id,
            idempotency_key=self.idempotency_key,
            request_hash=digest if self.idempotency_key else None,
            payload=orjson.Fragment(payload_json),
        )
        # The row exists before the message does, so a fast worker always finds it and a status
        # request right after the 202 never sees 404.
        outcome = await self.store.acreate_task(row)
        if outcome.kind == "conflict":
            raise HTTPException(
                status.HTTP_409_CONFLICT, detail="Idempotency-Key already used with a different request body"
            )
        if outcome.kind == "existing":
            assert outcome.task is not None
            t = outcome.task
            if not publish_unconfirmed(t):
                return Accepted(200, t["task_id"], t["domain"], t["task_type"], t["status"])
            # The retry of a publish that got a 503: publish again under the first attempt's
            # task_id. If the first message did reach the queue after all, the worker sees two
            # copies of one task and runs it once (its "processing" update wins only once).
            envelope = envelope.model_copy(
                update={
                    "task_id": uuid.UUID(t["task_id"]),
                    "created_at": t["created_at"],
                    "correlation_id": t["correlation_id"] or envelope.correlation_id,
                }
            )
            task_id = t["task_id"]
            await self._publish(envelope, task_id, domain, payload_json)
            await self.store.aclear_unconfirmed(task_id)
            return Accepted(202, task_id, domain, task_type, "queued")
        await self._publish(envelope, task_id, domain, payload_json)
        return Accepted(202, task_id, domain, task_type, "queued")

    async def _publish(self, envelope: Envelope, task_id: str, domain: str, payload_json: bytes) -> None:
        if self.before_publish is not None:
            self.before_publish(task_id)
        started = time.perf_counter()
        try:
            try:
                await self.publisher.publish(
                    envelope,
                    self._traceparent(),
                    self.reply_to,
                    body=envelope.to_json_bytes(payload_json),
                    task_id=task_id,
                )
            finally:
                # What PUBLISH_SECONDS.time() observed (the publish alone, success or failure),
                # without a context manager object per request.
                metrics.PUBLISH_SECONDS.observe(time.perf_counter() - started)
        except BrokerUnavailable as exc:
            metrics.PUBLISH_FAILURES.labels(domain).inc()
            if self.idempotency_key:
                # Timed out or refused, the message may still reach the queue later: keep the
                # row so that the client's retry with this key reuses the same task_id.
                await self.store.amark_unconfirmed(task_id, exc.reason)
            else:
                # Not accepted, and no key to retry with: forget the row.
                await self.store.adiscard_task(task_id)
            raise exc
        _accepted_child(domain, envelope.task_type).inc()


def encode_payload(data: dict[str, Any]) -> bytes:
    """orjson for speed; json for what orjson refuses (an integer past 64 bits in a record)."""
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


async def get_submitter(
    request: Request,
    tenant: Annotated[str, Depends(get_tenant)],
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=IDEMPOTENCY_KEY_MAX_LEN,
            description="Same key and same body from the same tenant return the same task; "
            "same key with another body is a 409.",
        ),
    ] = None,
    x_correlation_id: Annotated[
        str | None, Header(max_length=CORRELATION_ID_MAX_LEN, include_in_schema=False)
    ] = None,
) -> Submitter:
    # A factory rather than `Depends(Submitter)`: a class dependency runs in the thread pool. The
    # store and the publisher come from app.state directly (as api.providers does) to
    # save two dependency levels per request.
    state = request.app.state
    check_rate(state, tenant)
    return Submitter(request.scope, tenant, state.store, state.publisher, idempotency_key, x_correlation_id)
