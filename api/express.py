"""The express lane: a plainly valid task POST served from the top of the app, past Starlette's
middleware stack and FastAPI's routing (docs/operations.md, "api-cpu").

The fast lane (api/fastlane.py) replaced a task route's handler; the layers above it still cost
about a third of the API's CPU per accepted task (py-spy under bench/api_publish.py): seven
middleware, each with its own `send` wrapper, the router's walk through the included routers, a
`Request` and two `AsyncExitStack`s per request. The express lane skips them for the requests
the fast lane would serve, and does what those layers do for such a request, in the same order:

- the request metrics and the server span: the app's own `RequestTelemetry` (api/telemetry.py)
  observes the request under the same route template, and a sampled request gets the same span;
- the body limit: only a request whose `Content-Length` is within `BodySizeLimit`'s limit for
  the path is taken (the HTTP server delivers no more than that);
- an exception from the endpoint (409, 429, 503, 422) goes through Starlette's own
  `wrap_app_handling_exceptions` with the app's handlers, and one that no handler takes through
  the app's own `ServerErrorMiddleware` (500, then re-raised for the server to log).

Which paths it serves is learned from the app's own routing: the fast lane's handler, reached
through the whole stack, records its path (`Express.learn`), so the first request of each path
takes the usual way and the router, not this module, decides which route a path belongs to. A
path with path parameters, a `root_path`, any middleware beyond the app's own, FastAPI's native
telemetry or body limits, or `dependency_overrides` keep every request on the usual way. Anything
that is not plainly valid (headers, key, body) is handed to the usual stack with the body it
already read replayed, so every error keeps FastAPI's exact answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.asyncexitstack import AsyncExitStackMiddleware
from fastapi.telemetry._asgi import ExceptionTelemetryMiddleware
from starlette._exception_handler import wrap_app_handling_exceptions
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import metrics
from api.fastlane import PlainHeaders, TaskRoute, TaskSpec, plain_headers
from api.http_limits import HOLD_HEAD
from api.limits import BodySizeLimit
from api.ratelimit import check_rate
from api.telemetry import RequestTelemetry

if TYPE_CHECKING:
    from fastapi.routing import APIRoute

MAX_PATHS = 256  # learned paths; routes with path parameters are never learned
_ERROR = "gateway.express_error"


@dataclass(frozen=True)
class _Entry:
    route: APIRoute
    spec: TaskSpec
    limit: int


@dataclass(frozen=True)
class _Stack:
    """The app's own middleware, as the express lane uses them."""

    telemetry: RequestTelemetry
    body_limit: BodySizeLimit
    handlers: tuple[Any, Any]  # ExceptionMiddleware's (exception handlers, status handlers)
    server_errors: ASGIApp  # ServerErrorMiddleware(ExceptionTelemetryMiddleware(re-raise))


async def _reraise(scope: Scope, _receive: Receive, _send: Send) -> None:
    raise scope.pop(_ERROR)


def _stack_of(app: FastAPI) -> _Stack | None:
    """The middleware stack when it is exactly the app's own (else None: no express lane)."""
    if app.middleware_stack is None or app.max_body_size is not None or app._native_telemetry.enabled():
        return None
    layers: list[Any] = []
    layer: Any = app.middleware_stack
    while layer is not None and layer is not app.router:
        layers.append(layer)
        layer = getattr(layer, "app", None)
    expected = (
        ServerErrorMiddleware,
        ExceptionTelemetryMiddleware,
        Any,  # AppBodyLimitMiddleware: a pass-through while the app has no max_body_size
        RequestTelemetry,
        BodySizeLimit,
        ExceptionMiddleware,
        AsyncExitStackMiddleware,
    )
    if layer is None or len(layers) != len(expected):
        return None
    if any(kind is not Any and type(obj) is not kind for obj, kind in zip(layers, expected, strict=True)):
        return None
    errors, _, _, telemetry, body_limit, exceptions, _ = layers
    if errors.debug:
        return None
    server_errors = ServerErrorMiddleware(ExceptionTelemetryMiddleware(_reraise), handler=errors.handler)
    handlers = (exceptions._exception_handlers, exceptions._status_handlers)
    return _Stack(telemetry, body_limit, handlers, server_errors)


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    """`receive` that gives back the messages already read, then the rest from the server."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


class Express:
    def __init__(self, app: FastAPI, usual: Callable[[Scope, Receive, Send], Any]) -> None:
        self.app = app
        self.usual = usual  # the app's own __call__: the whole stack
        self.routes: dict[str, _Entry] = {}
        self._stack: _Stack | None = None

    def learn(self, scope: Scope, route: APIRoute, spec: TaskSpec) -> None:
        """Called by the fast lane's handler for a request it served: the router chose `route`
        for this method and path."""
        path = scope["path"]
        if (
            path in self.routes
            or len(self.routes) >= MAX_PATHS
            or route.param_convertors
            or scope.get("path_params")
            or scope.get("root_path")
            or self.app.root_path
            or MAX_BODY_SIZE_SCOPE_KEY in scope
        ):
            return
        if self._stack is None:
            self._stack = _stack_of(self.app)
            if self._stack is None:
                return
        self.routes[path] = _Entry(route, spec, self._stack.body_limit.limit_for(path))

    async def serve(
        self, entry: _Entry, scope: Scope, receive: Receive, send: Send, head: PlainHeaders
    ) -> None:
        started = time.perf_counter()
        stack = self._stack
        assert stack is not None
        app = self.app
        # Read the body (at most the declared length, within the limit: checked by the caller).
        messages: list[Message] = []
        chunks: list[bytes] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                await self.usual(scope, _replaying(messages, receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        state = app.state
        kwargs = entry.spec.arguments(state, scope, body, head)
        if kwargs is None:
            await self.usual(scope, _replaying(messages, receive), send)
            return
        # From here on the request is ours: what Starlette.__call__ and the router put in the scope.
        scope["app"] = app
        scope["router"] = app.router
        scope["endpoint"] = entry.route.endpoint
        scope["route"] = entry.route
        scope["path_params"] = {}
        metrics.FAST_LANE.inc()
        endpoint = entry.spec.endpoint
        tenant = head.tenant
        status = 500
        response_started = False
        final_send = send  # the server's own: the status is known here, no wrapper needed

        async def handle(scope: Scope, receive: Receive, send: Send) -> None:
            nonlocal status, response_started
            try:
                check_rate(state, tenant)  # after validation, as in the fast lane
                response = await endpoint(**kwargs)
            except Exception as exc:
                await self._handled(scope, receive, send, exc)
                return
            status = response.status_code
            response_started = True
            if response.background is not None or not isinstance(response.body, bytes):
                await response(scope, receive, final_send)
                return
            start = {"type": "http.response.start", "status": status, "headers": response.raw_headers}
            transport = scope.get(HOLD_HEAD)
            if transport is None:
                await final_send(start)
                await final_send({"type": "http.response.body", "body": response.body})
                return
            # One socket write for head and body (api/http_limits.py); `release` writes a held
            # head that no body followed (the server refused the head, or the client left).
            transport.hold_next_write()
            try:
                await final_send(start)
                await final_send({"type": "http.response.body", "body": response.body})
            finally:
                transport.release()

        async def handled_send(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
            await send(message)

        telemetry = stack.telemetry
        try:
            await telemetry.serve(handle, scope, receive, handled_send, started, lambda: status)
        except Exception as exc:
            if response_started:
                raise
            scope[_ERROR] = exc
            await stack.server_errors(scope, receive, send)

    async def _handled(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
        """The app's exception handlers, exactly as Starlette applies them to a route."""
        assert self._stack is not None
        scope["starlette.exception_handlers"] = self._stack.handlers
        scope[_ERROR] = exc
        try:
            await wrap_app_handling_exceptions(_reraise, Request(scope, receive, send))(scope, receive, send)
        finally:
            scope.pop(_ERROR, None)


@dataclass(frozen=True)
class FastLane:
    """The fast lane of one app: which task routes it serves (for tests and operators)."""

    served_paths: frozenset[str]


def fast_lane_paths(routers: Iterable[APIRouter]) -> frozenset[str]:
    # The routers carry their prefix, so their routes carry full paths.
    return frozenset(
        route.path
        for router in routers
        for route in router.routes
        if isinstance(route, TaskRoute) and route.fast_spec is not None
    )


class GatewayApp(FastAPI):
    """FastAPI whose `TaskRoute`s take the fast lane (`fast_lane = None` serves everything the
    usual way), and whose learned task paths take the express lane (api/express.py)."""

    fast_lane: FastLane | None = None
    express: Express | None = None

    def enable_fast_lane(self, routers: Iterable[APIRouter]) -> None:
        self.fast_lane = FastLane(fast_lane_paths(routers))
        self.express = Express(self, super().__call__)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        express = self.express
        if express is not None and scope["type"] == "http" and scope["method"] == "POST":
            entry = express.routes.get(scope["path"])
            if entry is not None and not self.dependency_overrides and not scope.get("root_path"):
                head = plain_headers(self.state, scope["headers"])
                length = head.content_length if head is not None else None
                if length is not None and length <= entry.limit:
                    assert head is not None
                    await express.serve(entry, scope, receive, send, head)
                    return
        await super().__call__(scope, receive, send)
