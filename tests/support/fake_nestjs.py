"""A stand-in for the NestJS backend's `POST /api/v1/alerts`, served over real loopback HTTP.

It behaves like the controller behind the integration guide: a JWT guard (HS256 with the shared
secret, or a configured static token; roles ADMIN or COORDINATOR; `tenantId` must match
`X-Tenant-Id`), a ValidationPipe with `whitelist` + `forbidNonWhitelisted` over `CreateAlertDto`
(400 with class-validator's message array), a patient lookup (404), and Idempotency-Key replay
(the same key returns the same alert). Failures are switched on at run time:

    fake.mode = "ok" | "500" | "503" | "429" | "hang" | "error_after_create" | "down"
    fake.fail_next("503", 500, "hang")   # scripted answers for the next requests, then `mode`
    fake.unknown_patients.add(patient_id)

"down" stops the HTTP server (connections are refused) and leaving it starts a new one on the
same port. Every request is recorded (`fake.requests`) and every alert created once per key
(`fake.alerts`). All controls are thread-safe.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from shared.alert_contract import ALERT_TYPES, SEVERITIES
from tests.support.servers import ServerThread, free_port

DTO_FIELDS = ("patientId", "type", "severity", "message", "context")
ALLOWED_ROLES = frozenset({"ADMIN", "COORDINATOR"})
MODES = frozenset({"ok", "500", "503", "429", "hang", "error_after_create", "down"})
# validator.js isUUID("all")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


# Where a scripted 307/308 points; it does not resolve, and nothing may go there.
REDIRECT_HOST = "redirect-target.invalid"


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    raw: bytes
    at: float = field(default_factory=time.monotonic)
    status: int | None = None
    answered_by: str = ""

    @property
    def token(self) -> str | None:
        auth = self.headers.get("authorization", "")
        return auth[7:] if auth.startswith("Bearer ") else None


# The DTO above as JSON Schema (what `validate_create_alert_dto` enforces, written out here and
# not imported from the product: tests/api/test_asyncapi.py compares the two).
CREATE_ALERT_DTO_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["patientId", "type", "severity", "message"],
    "properties": {
        "patientId": {"type": "string", "format": "uuid"},
        "type": {"type": "string", "enum": list(ALERT_TYPES)},
        "severity": {"type": "string", "enum": list(SEVERITIES)},
        "message": {"type": "string", "minLength": 1},
        # @IsOptional() @IsObject() context?: Record<string, unknown>
        "context": {"type": ["object", "null"]},
    },
}


def _error(status: int, message: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    phrase = HTTPStatus(status).phrase
    return JSONResponse(
        {"statusCode": status, "message": message, "error": phrase}, status_code=status, headers=headers
    )


def validate_create_alert_dto(body: Any) -> list[str]:
    """class-validator's messages for CreateAlertDto under whitelist + forbidNonWhitelisted."""
    if not isinstance(body, dict):
        return ["body must be a JSON object"]
    errors = [f"property {key} should not exist" for key in body if key not in DTO_FIELDS]
    patient = body.get("patientId")
    if patient is None or patient == "":
        errors.append("patientId should not be empty")
    if not isinstance(patient, str) or not UUID_RE.match(patient):
        errors.append("patientId must be a UUID")
    if body.get("type") not in ALERT_TYPES:
        errors.append(f"type must be one of the following values: {', '.join(ALERT_TYPES)}")
    if body.get("severity") not in SEVERITIES:
        errors.append(f"severity must be one of the following values: {', '.join(SEVERITIES)}")
    message = body.get("message")
    if not isinstance(message, str):
        errors.append("message must be a string")
    if message is None or message == "":
        errors.append("message should not be empty")
    if "context" in body and body["context"] is not None and not isinstance(body["context"], dict):
        errors.append("context must be an object")
    return errors


class FakeNestJS:
    def __init__(
        self,
        *,
        jwt_secret: str | None = None,
        static_token: str | None = None,
        static_token_roles: tuple[str, ...] = ("ADMIN",),
        port: int | None = None,
        hang_s: float = 5.0,
        retry_after: str | None = "1",
    ) -> None:
        self.jwt_secret = jwt_secret
        self.static_token = static_token
        self.static_token_roles = static_token_roles
        self.hang_s = hang_s
        self.retry_after = retry_after  # Retry-After sent with 429 and 503; None for none
        self.unknown_patients: set[str] = set()
        self.port = port or free_port()
        self._lock = threading.RLock()
        self._mode = "ok"
        self._script: deque[str | int] = deque()
        self._requests: list[RecordedRequest] = []
        self._alerts: dict[str, dict[str, Any]] = {}
        self._created = 0
        self._server: ServerThread | None = None
        self._stopping = threading.Event()
        self.app = Starlette(routes=[Route("/api/v1/alerts", self._create_alert, methods=["POST"])])

    # --- lifecycle ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> FakeNestJS:
        with self._lock:
            if self._server is None:
                self._stopping.clear()
                # A hung request must not hold up a stop for long.
                self._server = ServerThread(
                    self.app, port=self.port, lifespan="off", timeout_graceful_shutdown=1
                ).start()
        return self

    def stop(self) -> None:
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            self._stopping.set()
            server.stop()

    def __enter__(self) -> FakeNestJS:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- controls -----------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        with self._lock:
            return self._mode

    @mode.setter
    def mode(self, value: str) -> None:
        if value not in MODES:
            raise ValueError(f"unknown mode {value!r}; one of {sorted(MODES)}")
        with self._lock:
            previous, self._mode = self._mode, value
        if value == "down" and previous != "down":
            self.stop()
        elif previous == "down" and value != "down":
            self.start()

    def fail_next(self, *answers: str | int) -> None:
        """Answer the next requests with these modes or bare status codes, then follow `mode`."""
        for answer in answers:
            if isinstance(answer, str) and (answer not in MODES or answer == "down"):
                raise ValueError(f"cannot script {answer!r}")
        with self._lock:
            self._script.extend(answers)

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self._requests.clear()
            self._alerts.clear()
            self._created = 0
            self.unknown_patients.clear()
        self.mode = "ok"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def alerts(self) -> dict[str, dict[str, Any]]:
        """Alerts created, by Idempotency-Key (or by id when a request had no key)."""
        with self._lock:
            return {k: dict(v) for k, v in self._alerts.items()}

    @property
    def created_count(self) -> int:
        """How many alerts were really created (a replayed Idempotency-Key does not count)."""
        with self._lock:
            return self._created

    def statuses(self) -> list[int | None]:
        return [r.status for r in self.requests]

    # --- the endpoint -------------------------------------------------------------------------

    async def _create_alert(self, request: Request) -> JSONResponse:
        raw = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        try:
            body: Any = json.loads(raw) if raw else None
            bad_json = False
        except ValueError:
            body, bad_json = raw.decode(errors="replace"), True
        record = RecordedRequest(request.method, request.url.path, headers, body, raw)
        with self._lock:
            answer: str | int = self._script.popleft() if self._script else self._mode
            self._requests.append(record)
        record.answered_by = str(answer)
        response = await self._answer(answer, headers, body, bad_json)
        record.status = response.status_code
        return response

    async def _answer(
        self, answer: str | int, headers: dict[str, str], body: Any, bad_json: bool
    ) -> JSONResponse:
        if isinstance(answer, int):
            return _error(answer, HTTPStatus(answer).phrase, self._retry_after_headers(answer))
        if answer in ("500", "503", "429"):
            status = int(answer)
            return _error(status, HTTPStatus(status).phrase, self._retry_after_headers(status))
        if answer == "hang":
            deadline = time.monotonic() + self.hang_s
            while time.monotonic() < deadline and not self._stopping.is_set():
                await asyncio.sleep(0.02)
            # A slow backend still finishes the work after the client gave up.
        return self._process(headers, body, bad_json, fail_after_create=answer == "error_after_create")

    def _retry_after_headers(self, status: int) -> dict[str, str] | None:
        if status in (307, 308):  # a proxy sending the client elsewhere (never followed)
            return {"Location": f"http://{REDIRECT_HOST}/api/v1/alerts"}
        if status in (429, 503) and self.retry_after is not None:
            return {"Retry-After": self.retry_after}
        return None

    def _authenticate(self, headers: dict[str, str]) -> tuple[JSONResponse | None, str | None]:
        auth = headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            return _error(401, "Unauthorized"), None
        token = auth[len("Bearer ") :]
        tenant_claim: str | None = None
        if self.static_token is not None and token == self.static_token:
            roles: Any = list(self.static_token_roles)
        elif self.jwt_secret is not None:
            try:
                claims = jwt.decode(
                    token, self.jwt_secret, algorithms=["HS256"], options={"require": ["exp"]}
                )
            except jwt.ExpiredSignatureError:
                return _error(401, "jwt expired"), None
            except jwt.InvalidTokenError:
                return _error(401, "Unauthorized"), None
            roles = claims.get("roles") or []
            tenant_claim = claims.get("tenantId")
        else:
            return _error(401, "Unauthorized"), None
        if not isinstance(roles, list) or not ALLOWED_ROLES & set(roles):
            return _error(403, "Forbidden resource"), None
        tenant_header = headers.get("x-tenant-id")
        if tenant_claim and tenant_header and tenant_claim != tenant_header:
            return _error(403, "Tenant mismatch"), None
        tenant = tenant_header or tenant_claim
        if not tenant:
            return _error(403, "Tenant not identified"), None
        return None, tenant

    def _process(
        self, headers: dict[str, str], body: Any, bad_json: bool, *, fail_after_create: bool
    ) -> JSONResponse:
        denied, tenant = self._authenticate(headers)
        if denied is not None:
            return denied
        if bad_json:
            return _error(400, "Unexpected token in JSON")
        errors = validate_create_alert_dto(body)
        if errors:
            return _error(400, errors)
        with self._lock:
            if body["patientId"] in self.unknown_patients:
                return _error(404, f"Patient {body['patientId']} not found")
            key = headers.get("idempotency-key")
            existing = self._alerts.get(key) if key else None
            if existing is not None:
                if existing["request"] != body or existing["tenantId"] != tenant:
                    return _error(409, "Idempotency-Key was already used with a different request")
                alert = existing
            else:
                alert = {
                    "id": str(uuid.uuid4()),
                    "tenantId": tenant,
                    "patientId": body["patientId"],
                    "type": body["type"],
                    "severity": body["severity"],
                    "message": body["message"],
                    "context": body.get("context"),
                    "status": "PENDING",
                    "createdAt": datetime.now(UTC).isoformat(),
                    "idempotencyKey": key,
                    "request": body,
                }
                self._alerts[key or alert["id"]] = alert
                self._created += 1
        if fail_after_create:
            return _error(500, "Internal server error")
        return JSONResponse({k: v for k, v in alert.items() if k != "request"}, status_code=201)
