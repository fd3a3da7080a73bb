"""The fast lane: an ordinary, valid task POST without FastAPI's per-request parameter machinery.

Profiling the API under load (bench/api_publish.py, py-spy) showed a large share of a POST's CPU
in FastAPI's generic request handling: dependency resolution with per-parameter pydantic
validation of headers, `json.loads` followed by Python-mode validation of the body. The API is
CPU-bound on one core, so that share bounds the accepted tasks/s.

The fast lane is a route class (`TaskRoute`): routing, the middleware stack (request metrics,
body size limit, OpenTelemetry, exception handlers) and `dependency_overrides` all still apply;
only the route's own handler is replaced. For a request that will plainly succeed it does the same
work directly: it checks the API key and headers, validates the body with `model_validate_json`
(pydantic's Rust JSON parser), builds the same `Submitter` and calls the route's own endpoint
function, so the domain, task type and extra fields come from one place. Anything that is not
plainly valid (a missing or bad key, a header or body that fails validation, another content
type) goes to FastAPI's own handler for the route, which reads the same cached body, so every
error keeps FastAPI's exact status, shape and headers. An exception raised by the endpoint (409,
503) goes through the app's exception handlers like any other.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import fastapi.routing
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from api import metrics
from api.providers import resolve_tenant
from api.ratelimit import check_rate
from api.submit import CORRELATION_ID_MAX_LEN, IDEMPOTENCY_KEY_MAX_LEN, Submitter, get_submitter


@dataclass(slots=True)
class PlainHeaders:
    """What the headers of a plainly valid task POST carry. (Not frozen: a frozen dataclass sets
    each field through `object.__setattr__`, three times the CPU, and one is built per request.)"""

    tenant: str
    idempotency_key: str | None
    correlation_id: str | None
    content_length: int | None  # the first Content-Length header, None if absent or not a number


def plain_headers(state: Any, headers: Iterable[tuple[bytes, bytes]]) -> PlainHeaders | None:
    """The headers of a task POST that will plainly pass FastAPI's checks (JSON content type,
    header limits, a known API key); None sends the request to FastAPI's own handler."""
    content_type = authorization = x_api_key = idem = correlation = content_length = None
    for name, value in headers:
        if name == b"content-type":
            content_type = value
        elif name == b"content-length":
            content_length = content_length or value
        elif name == b"authorization":
            authorization = authorization or value.decode("latin-1")
        elif name == b"x-api-key":
            x_api_key = x_api_key or value.decode("latin-1")
        elif name == b"idempotency-key":
            idem = idem or value.decode("latin-1")
        elif name == b"x-correlation-id":
            correlation = correlation or value.decode("latin-1")
    if (
        content_type is None
        or not _is_json(content_type)
        or (idem is not None and not 1 <= len(idem) <= IDEMPOTENCY_KEY_MAX_LEN)
        or (correlation is not None and len(correlation) > CORRELATION_ID_MAX_LEN)
    ):
        return None
    tenant = resolve_tenant(state, authorization, x_api_key)
    if tenant is None:
        return None
    length = int(content_length) if content_length is not None and content_length.isdigit() else None
    return PlainHeaders(tenant, idem, correlation, length)


@dataclass(frozen=True)
class TaskSpec:
    endpoint: Callable[..., Awaitable[Response]]
    body_param: str
    body_model: type[BaseModel]
    submit_param: str
    path_params: dict[str, TypeAdapter[Any]]

    def arguments(self, state: Any, scope: Scope, body: bytes, head: PlainHeaders) -> dict[str, Any] | None:
        """The endpoint's arguments for a plainly valid body, else None (FastAPI's handler)."""
        try:
            # model_validate_json's own call, without its Python wrapper (every task POST).
            payload = self.body_model.__pydantic_validator__.validate_json(body)
            path_params = scope.get("path_params", {})
            kwargs: dict[str, Any] = {
                name: adapter.validate_python(path_params[name]) for name, adapter in self.path_params.items()
            }
        except (ValidationError, KeyError):
            return None
        kwargs[self.body_param] = payload
        # unicode_checked: pydantic's JSON parser refuses unpaired surrogates, json.loads
        # (FastAPI's handler) lets them through for the Submitter to refuse.
        kwargs[self.submit_param] = Submitter(
            scope,
            head.tenant,
            state.store,
            state.publisher,
            head.idempotency_key,
            head.correlation_id,
            unicode_checked=True,
        )
        return kwargs


def _task_spec(route: APIRoute) -> TaskSpec | None:
    """The route as the fast lane can serve it, or None: only `POST` endpoints whose parameters
    are exactly a pydantic body, the `SubmitDep` and path parameters qualify."""
    if route.methods != {"POST"} or route.dependencies or _included_with_dependencies():
        return None
    hints = typing.get_type_hints(route.endpoint, include_extras=True)
    body_param = submit_param = None
    path_params: dict[str, TypeAdapter[Any]] = {}
    for name in inspect.signature(route.endpoint).parameters:
        hint = hints.get(name)
        metadata = getattr(hint, "__metadata__", ())
        if any(getattr(m, "dependency", None) is get_submitter for m in metadata):
            submit_param = name
        elif inspect.isclass(hint) and issubclass(hint, BaseModel) and body_param is None:
            body_param = name
        elif name in route.param_convertors and hint is not None and not metadata:
            path_params[name] = TypeAdapter(hint)
        else:
            return None
    if body_param is None or submit_param is None or set(path_params) != set(route.param_convertors):
        return None
    return TaskSpec(route.endpoint, body_param, hints[body_param], submit_param, path_params)


def _included_with_dependencies() -> bool:
    # FastAPI builds an included route's handler once per `include_router`, with the inclusion's
    # context (router-level dependencies such as a rate limit) set in a context variable. A route
    # included with dependencies must run them, so it does not take the fast lane.
    var = getattr(fastapi.routing, "_effective_route_context_var", None)
    context = var.get() if var is not None else None
    return bool(getattr(context, "dependencies", None))


def _is_json(content_type: bytes) -> bool:
    value = content_type.split(b";", 1)[0].strip().lower()
    return value == b"application/json"


class TaskRoute(APIRoute):
    """APIRoute whose handler serves plainly valid task POSTs directly (see the module docstring).
    Every other route built with this class behaves exactly like an APIRoute."""

    fast_spec: TaskSpec | None = None

    def get_route_handler(self) -> Callable[[Request], typing.Coroutine[Any, Any, Response]]:
        default = super().get_route_handler()
        spec = _task_spec(self)
        if spec is None:
            return default
        self.fast_spec = spec

        async def handler(request: Request) -> Response:
            app = request.app
            if getattr(app, "fast_lane", None) is None or app.dependency_overrides:
                return await default(request)
            head = plain_headers(app.state, request.scope["headers"])
            if head is None:
                return await default(request)
            # Cached on the request: FastAPI's handler reads the same bytes when it takes over.
            body = await request.body()
            state = app.state
            kwargs = spec.arguments(state, request.scope, body, head)
            if kwargs is None:
                return await default(request)
            metrics.FAST_LANE.inc()
            # After the body is validated, as in FastAPI, where the rate check (a dependency)
            # runs once per request whatever the body: a body that fails validation goes to
            # FastAPI's handler without having taken a token, and FastAPI's dependency takes it.
            # A 429 (HTTPException) goes through the app's exception handlers like any other.
            check_rate(state, head.tenant)
            express = getattr(app, "express", None)
            if express is not None:
                express.learn(request.scope, self, spec)
            return await spec.endpoint(**kwargs)

        return handler
