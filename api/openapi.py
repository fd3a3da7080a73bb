"""The exact OpenAPI document (docs/api-contract.md): security schemes, every status each
operation can answer, the headers that come with them, and links from an accepted task to its status.

FastAPI generates the schemas from the pydantic models (where every validation rule lives, see
shared/messages.py); what it cannot know is added here, once, when the document is first built:
authentication is checked by a dependency that reads the headers itself (the fast lane shares
it), the 413 comes from the body-size middleware, the 503s from exception handlers.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

BEARER = "bearerAuth"
API_KEY = "apiKeyHeader"

SECURITY_SCHEMES: dict[str, Any] = {
    BEARER: {
        "type": "http",
        "scheme": "bearer",
        "description": "`Authorization: Bearer <key>`, a key from API_KEYS",
    },
    API_KEY: {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "`X-API-Key: <key>`, a key from API_KEYS",
    },
}
# Either scheme is enough: two requirement objects, not one with both.
SECURITY: list[dict[str, list[str]]] = [{BEARER: []}, {API_KEY: []}]

_ERROR = {"$ref": "#/components/schemas/ErrorBody"}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}
_LOCATION = {
    "Location": {
        "description": "The task's status URL (same as `status_url`)",
        "required": True,
        "schema": {"type": "string"},
    }
}
_WWW_AUTHENTICATE = {
    "WWW-Authenticate": {"description": "`Bearer`", "required": True, "schema": {"type": "string"}}
}


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": _ERROR}},
    }
    if headers:
        response["headers"] = headers
    return response


UNAUTHORIZED = _error("Missing or unknown API key", _WWW_AUTHENTICATE)
STORE_OR_BROKER_DOWN = _error(
    "The broker or the task store is down or refusing work: nothing was accepted; retry after "
    "`Retry-After` seconds (with the same Idempotency-Key, the retry reuses the same task)",
    _RETRY_AFTER,
)
TOO_LARGE = _error("Body larger than MAX_BODY_BYTES (MAX_BODY_BYTES_INGESTAO on /api/ingestao)")
RATE_LIMITED = _error(
    "The tenant is over its rate (TENANT_RATE_LIMITS); retry after `Retry-After`", _RETRY_AFTER
)
CONFLICT = _error("Idempotency-Key already used by this tenant with a different body")
STORE_DOWN = _error("The task store did not answer", _RETRY_AFTER)

_STATUS_PATH = re.compile(r"^/api/(?P<domain>[a-z]+)/status/\{task_id\}$")


def build_openapi(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    components = schema.setdefault("components", {})
    components.setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
    components.setdefault("schemas", {}).setdefault(
        "ErrorBody",
        {"type": "object", "properties": {"detail": {}}, "required": ["detail"], "title": "ErrorBody"},
    )
    status_ops = {
        m.group("domain"): op["get"]["operationId"]
        for path, op in schema["paths"].items()
        if (m := _STATUS_PATH.match(path)) and "get" in op
    }
    for path, item in schema["paths"].items():
        if not path.startswith("/api/"):
            continue
        domain = path.split("/")[2]
        for method, op in item.items():
            op["security"] = SECURITY
            responses = op.setdefault("responses", {})
            responses["401"] = UNAUTHORIZED
            if method == "post":
                _task_post(responses, status_ops.get(domain))
            else:
                responses["503"] = STORE_DOWN
    return schema


def _task_post(responses: dict[str, Any], status_op: str | None) -> None:
    for code in ("200", "202"):
        if code in responses:
            responses[code]["headers"] = _LOCATION
            if status_op is not None:
                responses[code]["links"] = {
                    "TaskStatus": {
                        "operationId": status_op,
                        "parameters": {"task_id": "$response.body#/task_id"},
                        "description": "The status of the task just accepted",
                    }
                }
    responses["409"] = CONFLICT
    responses["413"] = TOO_LARGE
    responses["429"] = RATE_LIMITED
    responses["503"] = STORE_OR_BROKER_DOWN


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
