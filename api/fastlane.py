"""The fast lane: an ordinary, valid task POST without FastAPI's per-request machinery.

Profiling the API under load (bench/api_publish.py, py-spy) showed about half of a POST's CPU in
FastAPI/Starlette's generic request handling: five middleware layers wrapping `send`, routing,
dependency resolution with per-parameter pydantic validation of headers, `json.loads` followed by
Python-mode validation of the body. The API is CPU-bound on one core, so that half bounds the
accepted tasks/s.

For a request that will plainly succeed the fast lane does the same work directly: it matches the
route, checks the API key and headers, validates the body with `model_validate_json` (pydantic's
Rust JSON parser), builds the same `Submitter` and calls the route's own endpoint function, so the
domain, task type and extra fields come from one place. Anything that is not plainly valid (an
unknown path, a missing or bad key, a header or body that fails validation, a body without
Content-Length or over the limit, another content type) is handed to the FastAPI app unchanged,
with the body replayed, so every error keeps FastAPI's exact status, shape and headers. An
exception raised by the endpoint (409, 503) goes through the app's own exception handlers.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import (
    CORRELATION_ID_MAX_LEN,
    IDEMPOTENCY_KEY_MAX_LEN,
    Submitter,
    check_rate,
    get_submitter,
    resolve_tenant,
)
from api.limits import body_limit_for


@dataclass(frozen=True)
class _TaskRoute:
    route: APIRoute
    endpoint: Callable[..., Awaitable[Response]]
    body_param: str
    body_model: type[BaseModel]
    submit_param: str
    path_params: dict[str, TypeAdapter[Any]]


def _task_route(route: APIRoute) -> _TaskRoute | None:
    """The route as the fast lane can serve it, or None: only `POST` endpoints whose parameters
    are exactly a pydantic body, the `SubmitDep` and path parameters qualify."""
    if route.methods != {"POST"} or route.dependencies:
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
    return _TaskRoute(route, route.endpoint, body_param, hints[body_param], submit_param, path_params)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that yields the already-read body first, then defers to the server's."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _is_json(content_type: bytes) -> bool:
    value = content_type.split(b";", 1)[0].strip().lower()
    return value == b"application/json"


class FastLane:
    """ASGI callable placed in front of the FastAPI app's own `__call__` (see `GatewayApp`)."""

    def __init__(
        self,
        app: FastAPI,
        fallback: ASGIApp,
        routers: Iterable[APIRouter],
        default_limit: int,
        ingestion_limit: int,
    ) -> None:
        self.app = app
        self.fallback = fallback
        self.default_limit = default_limit
        self.ingestion_limit = ingestion_limit
        self.exact: dict[str, _TaskRoute] = {}
        self.parametrised: list[_TaskRoute] = []
        # The routers as included in the app without a prefix: their routes carry full paths.
        for route in (r for router in routers for r in router.routes):
            if isinstance(route, APIRoute) and (task := _task_route(route)) is not None:
                if route.param_convertors:
                    self.parametrised.append(task)
                else:
                    self.exact[route.path] = task

    def limit_for(self, path: str) -> int:
        return body_limit_for(path, self.default_limit, self.ingestion_limit)

    def _match(self, scope: Scope) -> tuple[_TaskRoute, dict[str, Any]] | None:
        path = scope["path"]
        task = self.exact.get(path)
        if task is not None:
            return task, {}
        for task in self.parametrised:
            match, child = task.route.matches(scope)
            if match is Match.FULL:
                return task, child["path_params"]
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope.get("root_path")
            or self.app.root_path
        ):
            await self.fallback(scope, receive, send)
            return
        matched = self._match(scope)
        if matched is None:
            await self.fallback(scope, receive, send)
            return
        task, raw_path_params = matched
        length = content_type = authorization = x_api_key = idem = correlation = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                length = value
            elif name == b"content-type":
                content_type = value
            elif name == b"authorization":
                authorization = authorization or value.decode("latin-1")
            elif name == b"x-api-key":
                x_api_key = x_api_key or value.decode("latin-1")
            elif name == b"idempotency-key":
                idem = idem or value.decode("latin-1")
            elif name == b"x-correlation-id":
                correlation = correlation or value.decode("latin-1")
        state = self.app.state
        if (
            length is None
            or not length.isdigit()
            or int(length) > self.limit_for(scope["path"])
            or content_type is None
            or not _is_json(content_type)
            or (idem is not None and not 1 <= len(idem) <= IDEMPOTENCY_KEY_MAX_LEN)
            or (correlation is not None and len(correlation) > CORRELATION_ID_MAX_LEN)
        ):
            await self.fallback(scope, receive, send)
            return
        tenant = resolve_tenant(state, authorization, x_api_key)
        if tenant is None:
            await self.fallback(scope, receive, send)
            return

        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body: nothing was accepted
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            payload = task.body_model.model_validate_json(body)
            kwargs: dict[str, Any] = {
                name: adapter.validate_python(raw_path_params[name])
                for name, adapter in task.path_params.items()
            }
        except ValidationError:
            await self.fallback(scope, _replay(body, receive), send)
            return

        kwargs[task.body_param] = payload
        kwargs[task.submit_param] = Submitter(
            scope, tenant, state.store, state.publisher, idem, correlation, unicode_checked=True
        )
        try:
            # After the body is validated, as in FastAPI, where the rate check (a dependency)
            # runs once per request whatever the body: a body that fails here is handed over
            # without having taken a token, and FastAPI takes it.
            check_rate(state, tenant)
            response = await task.endpoint(**kwargs)
        except Exception as exc:
            handler = self._handler_for(exc)
            if handler is None:
                raise
            scope["app"] = self.app
            response = await handler(Request(scope, receive), exc)
        await response(scope, receive, send)

    def _handler_for(self, exc: Exception) -> Callable[[Request, Any], Awaitable[Response]] | None:
        # The app's own handlers (HTTPException → FastAPI's JSON body, BrokerUnavailable → 503
        # with Retry-After, ...), looked up along the exception's MRO as Starlette does.
        handlers = self.app.exception_handlers
        for cls in type(exc).__mro__:
            if cls in handlers:
                return handlers[cls]  # type: ignore[return-value]
        return None


class GatewayApp(FastAPI):
    """FastAPI with the fast lane in front (`fast_lane = False` serves everything the usual way)."""

    fast_lane: FastLane | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.fast_lane is not None and scope["type"] == "http":
            await self.fast_lane(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)

    def enable_fast_lane(
        self, routers: Iterable[APIRouter], default_limit: int, ingestion_limit: int
    ) -> None:
        self.fast_lane = FastLane(self, super().__call__, routers, default_limit, ingestion_limit)
