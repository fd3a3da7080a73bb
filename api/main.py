"""The FastAPI gateway's app, assembled: settings checked, lifespan (store, publisher, reply
waiter), routers, exception handlers and middleware. Running it is api/server.py's job.

Requests are validated, stored as `queued` and published as confirmed tasks (api/submit.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig

from api import errors, openapi, ops
from api.express import GatewayApp
from api.limits import BodySizeLimit
from api.ops.auth import parse_ops_users
from api.publisher import Publisher
from api.ratelimit import RateLimiter, default_state_path, parse_limits
from api.replies import ReplyWaiter
from api.routes import agent, clinico, docs, exames, health, ingestao, opme
from api.telemetry import RequestTelemetry
from shared import topology, tracing
from shared.config import Settings, get_settings
from shared.logs import get_logger
from shared.store import Store

log = get_logger("api")

DESCRIPTION = """
Clinical task gateway. Every POST validates the request, stores the task as `queued`, publishes it
to the domain's RabbitMQ quorum queue and answers **202** only after the broker confirmed it.
Poll `status_url` for the result and the delivery state of any alert.

Authenticate with `Authorization: Bearer <key>` or `X-API-Key: <key>`.
"""


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

    # Spans (the HTTP server span, the publish) only with an OTLP endpoint, and only for sampled
    # requests: api/telemetry.py decides before any span work, so FastAPI's own tracing is off.
    # The provider is the app's own, so apps in one process (tests) do not share exporters.
    tracer_provider = tracing.make_provider("api", decides_roots=True)
    telemetry: TelemetryConfig = {"metrics": False, "logs": False, "operation_spans": False, "tracing": False}

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
        if api_keys.plain_entries:
            log.warning(
                "api_keys_in_plain_text",
                entries=api_keys.plain_entries,
                hint="store hashes instead: python -m api.keys TENANT (docs/security.md)",
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

    app.include_router(health.router)
    docs.install(app, settings)
    errors.install(app)

    openapi.install(app)
    app.add_middleware(
        BodySizeLimit, default_limit=settings.max_body_bytes, ingestion_limit=settings.max_body_bytes_ingestao
    )
    app.add_middleware(RequestTelemetry, tracer_provider=tracer_provider)
    if fast_lane:
        app.enable_fast_lane(routers)
    return app
