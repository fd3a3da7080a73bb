"""The FastAPI gateway: validates requests, stores them as `queued`, publishes confirmed tasks."""

from __future__ import annotations

import gc
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import openapi, ops
from api.asyncapi import build_asyncapi
from api.deps import PublisherDep, StoreDep
from api.fastlane import GatewayApp
from api.limits import BodySizeLimit
from api.metrics import RequestMetrics
from api.ops.auth import parse_ops_users
from api.publisher import BrokerUnavailable, Publisher
from api.ratelimit import RateLimiter, default_state_path, parse_limits
from api.replies import ReplyWaiter
from api.routes import agent, clinico, exames, ingestao, opme
from shared import topology, tracing
from shared.config import Settings, get_settings
from shared.logs import configure_logging, get_logger
from shared.store import Store, StoreUnavailable

log = get_logger("api")

DESCRIPTION = """
Clinical task gateway. Every POST validates the request, stores the task as `queued`, publishes it
to the domain's RabbitMQ quorum queue and answers **202** only after the broker confirmed it.
Poll `status_url` for the result and the delivery state of any alert.

Authenticate with `Authorization: Bearer <key>` or `X-API-Key: <key>`.
"""


UNPARSABLE_BODY = "There was an error parsing the body"  # FastAPI's 400 detail


class ConfigurationError(RuntimeError):
    pass


def create_app(settings: Settings | None = None, *, fast_lane: bool = True) -> FastAPI:
    settings = settings or get_settings()
    try:
        api_keys = settings.api_key_map
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from exc
    try:
        limits = parse_limits(settings.tenant_rate_limits)
        ops_users = parse_ops_users(settings.ops_users)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from exc
    if settings.api_auth == "enabled" and not api_keys:
        raise ConfigurationError(
            "API_KEYS is empty: set API_KEYS=key1=tenant_a,key2=tenant_b "
            "(or API_AUTH=disabled for a local experiment)"
        )

    # Spans (FastAPI's HTTP server span, ours for the publish) only with an OTLP endpoint; the
    # provider is the app's own, so apps in one process (tests) do not share exporters.
    tracer_provider = tracing.make_provider("api")
    telemetry: TelemetryConfig = {"metrics": False, "logs": False, "operation_spans": False}
    if tracer_provider is not None:
        telemetry["tracer_provider"] = tracer_provider
    else:
        telemetry["tracing"] = False

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = Store(settings.database_url)
        app.state.publisher = Publisher(settings, tracer_provider)
        app.state.replies = ReplyWaiter()
        clinico_vhost = topology.vhost_for("clinico", settings.vhost_prefix)
        app.state.publisher.channel_hooks[clinico_vhost] = app.state.replies.attach
        await app.state.publisher.start()
        log.info(
            "api_started",
            host=settings.api_host,
            port=settings.api_port,
            auth=settings.api_auth,
            tenants=sorted(set(api_keys.values())),
        )
        try:
            yield
        finally:
            await app.state.publisher.close()
            app.state.store.close()
            app.state.rate_limiter.close()
            if tracer_provider is not None:
                tracer_provider.shutdown()  # type: ignore[attr-defined]

    app = GatewayApp(
        title="Clinical task gateway",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        telemetry=telemetry,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.api_keys = api_keys
    tenants = set(api_keys.values()) if settings.api_auth == "enabled" else {"default"}
    app.state.rate_limiter = RateLimiter(
        limits, tenants, settings.rate_limit_file or default_state_path(settings.api_port)
    )

    routers = [module.router for module in (clinico, exames, opme, ingestao)]
    for router in routers:
        app.include_router(router)
    app.include_router(agent.router)
    app.include_router(ops.router)
    app.state.ops_users = ops_users

    @app.exception_handler(BrokerUnavailable)
    async def broker_unavailable(_request: Request, exc: BrokerUnavailable) -> JSONResponse:
        log.warning("broker_unavailable", reason=exc.reason)
        return JSONResponse(
            {"detail": f"broker unavailable, task not accepted: {exc.reason}"},
            status_code=503,
            headers={"Retry-After": str(exc.retry_after_s)},
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # FastAPI answers 400 when a JSON body cannot even be decoded (not UTF-8, nested too
        # deep); it is the same client error as a JSON syntax error, which FastAPI makes a 422.
        if exc.status_code == 400 and exc.detail == UNPARSABLE_BODY:
            error = {
                "type": "json_invalid",
                "loc": ("body",),
                "msg": "JSON decode error",
                "input": {},
                "ctx": {"error": "the body is not UTF-8 encoded JSON"},
            }
            return await request_validation_exception_handler(request, RequestValidationError([error]))
        return await http_exception_handler(request, exc)

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(_request: Request, exc: StoreUnavailable) -> JSONResponse:
        log.warning("store_unavailable", error=str(exc))
        return JSONResponse(
            {"detail": "task store unavailable, task not accepted"},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.get("/health/live", tags=["health"])
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/health/ready",
        tags=["health"],
        responses={
            503: {
                "description": "not ready",
                "headers": {"Retry-After": {"required": True, "schema": {"type": "integer", "minimum": 1}}},
            }
        },
    )
    async def ready(publisher: PublisherDep, store: StoreDep) -> JSONResponse:
        checks: dict[str, Any] = {"broker": await publisher.ready()}
        try:
            await store.aping()
            checks["store"] = "ok"
        except StoreUnavailable as exc:
            checks["store"] = str(exc)
        ok = checks["store"] == "ok" and all(v == "ok" for v in checks["broker"].values())
        return JSONResponse(
            {"status": "ready" if ok else "not_ready", "checks": checks},
            status_code=200 if ok else 503,
            headers={} if ok else {"Retry-After": "5"},
        )

    asyncapi_document = build_asyncapi(settings)

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi() -> JSONResponse:
        return JSONResponse(asyncapi_document)

    @app.get("/metrics", tags=["health"], include_in_schema=False)
    async def metrics_endpoint() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    # Swagger UI from files shipped in a wheel: hospital networks often have no internet access.
    static_dir = fastapi_offline.core._STATIC_PATH
    app.mount("/static/docs", StaticFiles(directory=static_dir), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}/openapi.json",
            title="Clinical task gateway - Swagger UI",
            swagger_js_url=f"{root}/static/docs/swagger-ui-bundle.js",
            swagger_css_url=f"{root}/static/docs/swagger-ui.css",
            swagger_favicon_url=f"{root}/static/docs/favicon.png",
            oauth2_redirect_url="/docs/oauth2-redirect",
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    async def docs_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    openapi.install(app)
    app.add_middleware(
        BodySizeLimit, default_limit=settings.max_body_bytes, ingestion_limit=settings.max_body_bytes_ingestao
    )
    app.add_middleware(RequestMetrics)
    if fast_lane:
        app.enable_fast_lane(routers)
    return app


def tune_runtime() -> None:
    """CPython settings for the API process, measured with bench/api_publish.py (64 clients):

    - Garbage collector: with the default threshold (700) a request or two triggered a collection,
      about 1.2 s of every 8 s went to it, and each full collection walked every object of the
      app (~100k) in 80-100 ms, stalling every request in flight (p99 120 ms). The objects built
      at start-up live as long as the process, so they are frozen out of the collector, and young
      collections run less often: GC time fell to under 0.1 s per 8 s, p99 to about 50 ms.
    - Switch interval: the store's writer thread hands the GIL back to the event loop around
      each SQLite call and must get it again from a busy loop; 0.5 ms instead of 5 ms keeps that
      wait short (lower store latency under load).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)
    sys.setswitchinterval(0.0005)


def _listening_socket(host: str, port: int) -> socket.socket:
    # SO_REUSEPORT: every API process has its own listening socket on the same port and the
    # kernel spreads new connections across them evenly. (A shared socket, uvicorn's --workers,
    # lets the busiest process accept most connections: measured 46 of 64 on one process.)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(index: int = 0) -> None:
    """One API process: its own app (broker connections, store writer) on a SO_REUSEPORT socket."""
    import uvicorn

    settings = get_settings()
    configure_logging(settings, "api" if settings.api_workers == 1 else f"api-{index}")
    try:
        app = create_app(settings)
    except ConfigurationError as exc:
        raise SystemExit(f"error: {exc}") from None
    tune_runtime()
    config = uvicorn.Config(
        app, log_config=None, proxy_headers=True, access_log=False, loop="uvloop", http="httptools"
    )
    sock = _listening_socket(settings.api_host, settings.api_port)
    uvicorn.Server(config).run(sockets=[sock])


def main() -> None:
    """`python -m api`: one process, or `API_WORKERS` processes sharing the port."""
    import multiprocessing as mp
    import signal

    settings = get_settings()
    if settings.api_workers == 1:
        serve()
        return
    try:
        create_app(settings)  # fail fast on configuration errors, before starting anything
    except ConfigurationError as exc:
        raise SystemExit(f"error: {exc}") from None
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=serve, args=(i,), name=f"api-{i}") for i in range(settings.api_workers)]
    for proc in procs:
        proc.start()

    def stop(signum: int, _frame: Any) -> None:
        for proc in procs:
            if proc.is_alive() and proc.pid:
                os.kill(proc.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # Whichever process ends, stop them all: a half-running API should not look healthy.
    while all(proc.is_alive() for proc in procs):
        procs[0].join(0.5)
    stop(signal.SIGTERM, None)
    for proc in procs:
        proc.join(30)
    codes = {proc.exitcode for proc in procs}
    raise SystemExit(0 if codes <= {0, -signal.SIGTERM} else 1)


if __name__ == "__main__":
    main()
