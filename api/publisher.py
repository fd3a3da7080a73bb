"""Confirmed publishing from the event loop (aio-pika): one connection and one confirm channel per vhost.

Why not aio-pika's RobustConnection: while it reconnects in the background a publish can wait
for it far longer than a client should wait for a 503. Here a request either publishes on a live
channel or gets `BrokerUnavailable` within `BROKER_CONNECT_TIMEOUT_S` + `PUBLISH_TIMEOUT_S`;
the first request after the broker comes back reconnects (one attempt at a time per vhost, with
a short cool-down after a failure so a dead broker is not hammered by every request).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import aio_pika.exceptions
import aiormq.exceptions
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractExchange
from opentelemetry import trace
from opentelemetry.trace import SpanKind, TracerProvider
from pamqp import commands as amqp_commands

from api.confirmed import ConfirmedPublisher, FixedProperties
from api.deadlines import Deadlines, within
from shared import topology, tracing
from shared.config import Settings, vhost_url
from shared.logs import get_logger
from shared.messages import Envelope

log = get_logger("api.publisher")

RECONNECT_COOLDOWN_S = 1.0


class BrokerUnavailable(Exception):
    """The broker is down, refused the message or did not confirm it in time (→ 503)."""

    def __init__(self, reason: str, retry_after_s: int = 5) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after_s = retry_after_s


_BROKER_ERRORS: tuple[type[BaseException], ...] = (
    aio_pika.exceptions.AMQPException,
    aiormq.exceptions.AMQPError,
    ConnectionError,
    OSError,
    asyncio.TimeoutError,
    RuntimeError,  # aiormq raises it for writes on a closing connection
)


@dataclass
class _VhostLink:
    vhost: str
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    connection: AbstractConnection | None = None
    channel: AbstractChannel | None = None
    exchange: AbstractExchange | None = None
    raw: aiormq.abc.AbstractChannel | None = None  # the aiormq channel under `channel`
    sender: ConfirmedPublisher | None = None  # every publish on `raw` (api/confirmed.py)
    failed_at: float = 0.0
    last_error: str = ""

    def usable(self) -> bool:
        return (
            self.connection is not None
            and not self.connection.is_closed
            and self.channel is not None
            and not self.channel.is_closed
            and self.exchange is not None
            and self.raw is not None
            and self.sender is not None
        )


class Publisher:
    def __init__(self, settings: Settings, tracer_provider: TracerProvider | None = None) -> None:
        # The API's own broker identity (RABBITMQ_API_URL): it may only publish to `eventos`.
        self.settings = settings.for_broker_role("api")
        self._user = self.settings.broker_user
        self._fixed = FixedProperties(
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=int(aio_pika.DeliveryMode.PERSISTENT),
            priority=0,
            app_id="clinical-task-gateway",
            # RabbitMQ checks user_id against this connection's user: the worker can tell the
            # gateway's own messages from anyone else's (docs/security.md, tenant verification).
            user_id=self._user,
        )
        self.tracer_provider = tracer_provider
        # One tracer for the publisher's life: `get_tracer` built a new one per sampled publish.
        self._tracer = tracing.tracer(tracer_provider) if tracer_provider is not None else None
        self._deadlines: Deadlines | None = None  # PUBLISH_TIMEOUT_S, per event loop
        self._links = {
            topology.vhost_for(d, settings.vhost_prefix): _VhostLink(
                topology.vhost_for(d, settings.vhost_prefix)
            )
            for d in topology.all_domains()
        }
        # vhost -> coroutine run on every new channel before it is used (e.g. the agent route's
        # direct reply-to consumer, which must live on the channel that publishes).
        self.channel_hooks: dict[str, Callable[[aiormq.abc.AbstractChannel], Awaitable[None]]] = {}

    async def start(self) -> None:
        """Connect eagerly so the first requests do not pay for it; a broker that is down is not
        fatal: the API starts, reports not-ready and answers 503 until the broker is back."""
        await asyncio.gather(*(self._try_connect(link) for link in self._links.values()))

    async def _try_connect(self, link: _VhostLink) -> None:
        try:
            async with link.lock:
                await self._connect(link)
        except BrokerUnavailable as exc:
            log.warning("broker_unavailable_at_startup", vhost=link.vhost, error=exc.reason)

    async def close(self) -> None:
        for link in self._links.values():
            await self._drop(link)

    async def _drop(self, link: _VhostLink) -> None:
        conn, link.connection, link.channel, link.exchange, link.raw = link.connection, None, None, None, None
        link.sender = None
        if conn is not None and not conn.is_closed:
            try:
                await asyncio.wait_for(conn.close(), timeout=2)
            except Exception as exc:  # already broken; nothing to save
                log.debug("close_failed", vhost=link.vhost, error=repr(exc))

    async def _connect(self, link: _VhostLink) -> None:
        if link.usable():
            return
        await self._drop(link)
        errors = []
        for url in self.settings.rabbitmq_urls:
            try:
                conn = await aio_pika.connect(
                    vhost_url(url, link.vhost),
                    timeout=self.settings.broker_connect_timeout_s,
                    client_properties={"connection_name": "gateway-api"},
                )
            except _BROKER_ERRORS as exc:
                errors.append(f"{_safe_url(url)}: {exc!r}")
                continue
            try:
                channel = await asyncio.wait_for(
                    conn.channel(publisher_confirms=True, on_return_raises=True),
                    timeout=self.settings.broker_connect_timeout_s,
                )
                exchange = await channel.get_exchange(topology.EVENTS_EXCHANGE, ensure=False)
                raw = await channel.get_underlay_channel()
                if (hook := self.channel_hooks.get(link.vhost)) is not None:
                    await hook(raw)
                sender = ConfirmedPublisher(
                    raw,  # type: ignore[arg-type]
                    topology.EVENTS_EXCHANGE,
                    topology.EVENTS_ROUTING_KEY,
                    self._fixed,
                )
            except _BROKER_ERRORS as exc:
                errors.append(f"{_safe_url(url)}: {exc!r}")
                await conn.close()
                continue
            link.connection, link.channel, link.exchange, link.raw = conn, channel, exchange, raw
            link.sender = sender
            link.failed_at, link.last_error = 0.0, ""
            log.info("broker_connected", vhost=link.vhost, url=_safe_url(url))
            return
        link.failed_at = time.monotonic()
        link.last_error = "; ".join(errors)
        raise BrokerUnavailable(f"cannot reach RabbitMQ vhost {link.vhost}: {link.last_error}")

    async def _exchange(self, vhost: str) -> AbstractExchange:
        link = self._links[vhost]
        if link.usable():
            assert link.exchange is not None
            return link.exchange
        if link.failed_at and time.monotonic() - link.failed_at < RECONNECT_COOLDOWN_S:
            raise BrokerUnavailable(f"RabbitMQ vhost {vhost} is unavailable: {link.last_error}")
        async with link.lock:
            await self._connect(link)
        assert link.exchange is not None
        return link.exchange

    async def publish(
        self,
        envelope: Envelope,
        traceparent: str | None = None,
        reply_to: str | None = None,
        *,
        body: bytes | None = None,
        task_id: str | None = None,
    ) -> None:
        """Publish with a confirm. `traceparent`: the request's, used when no span is recorded
        (tracing off), so the trace id still reaches the worker and the backend. `reply_to`: where
        the worker answers (direct reply-to, POST /api/v1/agent/message). `task_id`: the
        envelope's task id as text, when the caller has it already."""
        if task_id is None:
            task_id = str(envelope.task_id)
        if self._tracer is None or not trace.get_current_span().is_recording():
            # Not sampled (api/telemetry.py decided): no producer span either.
            await self._publish(
                envelope,
                {tracing.TRACEPARENT: traceparent or tracing.new_traceparent()},
                reply_to,
                body,
                task_id,
            )
            return
        vhost = topology.vhost_for(envelope.domain, self.settings.vhost_prefix)
        with tracing.span(
            "eventos publish",
            kind=SpanKind.PRODUCER,
            tracer_=self._tracer,
            attributes={
                "messaging.system": "rabbitmq",
                "messaging.operation.type": "send",
                "messaging.destination.name": topology.EVENTS_EXCHANGE,
                "messaging.rabbitmq.vhost": vhost,
                "messaging.message.id": task_id,
                "task.type": envelope.message_type,
            },
        ):
            headers: dict[str, str] = {}
            tracing.inject(headers, fallback=traceparent)
            await self._publish(envelope, headers, reply_to, body, task_id)

    async def _publish(
        self,
        envelope: Envelope,
        trace_headers: dict[str, str],
        reply_to: str | None,
        body: bytes | None,
        task_id: str,
    ) -> None:
        vhost = topology.vhost_for(envelope.domain, self.settings.vhost_prefix)
        if body is None:
            body = envelope.to_json_bytes()
        try:
            link = self._links[vhost]
            if not link.usable():  # inline check: no coroutine per publish on a live link
                await self._exchange(vhost)
            sender = link.sender
            assert sender is not None
            # The frame aio_pika.Message + Exchange.publish would send (same properties,
            # priority 0 included; `self._fixed` holds those that never change).
            confirmation = sender.publish(
                body,
                message_id=task_id,
                correlation_id=envelope.correlation_id,
                message_type=envelope.message_type,
                timestamp=envelope.created_at,
                headers={"x-tenant-id": envelope.tenant_id, **trace_headers},
                reply_to=reply_to,
            )
            # The confirm comes after the frames were written, so its deadline covers the write
            # as well; a shared timer per 50 ms of deadlines, not one per publish (api/deadlines.py).
            loop = asyncio.get_running_loop()
            deadlines = self._deadlines
            if deadlines is None or deadlines.loop is not loop:
                deadlines = self._deadlines = Deadlines(loop)
            await within(deadlines, confirmation, self.settings.publish_timeout_s)
        except BrokerUnavailable:
            raise
        except (aio_pika.exceptions.DeliveryError, aio_pika.exceptions.PublishError) as exc:
            # The connection itself is fine: the broker returned the message (no queue bound) or
            # nacked it (the queue is over its length limit with reject-publish, or in trouble).
            returned = isinstance(exc, aio_pika.exceptions.PublishError) or isinstance(
                getattr(exc, "frame", None), amqp_commands.Basic.Return
            )
            if returned:
                raise BrokerUnavailable(
                    f"RabbitMQ could not route the message to queue {topology.EVENTS_QUEUE} of vhost "
                    f"{vhost}: is the topology provisioned (python -m shared.provision)?"
                ) from exc
            raise BrokerUnavailable(
                f"RabbitMQ refused the message (queue full or broker overloaded): {_frame(exc)}"
            ) from exc
        except _BROKER_ERRORS as exc:
            link = self._links[vhost]
            link.failed_at, link.last_error = time.monotonic(), repr(exc)
            await self._drop(link)
            raise BrokerUnavailable(f"publishing to RabbitMQ vhost {vhost} failed: {exc!r}") from exc

    async def ready(self) -> dict[str, Any]:
        """Per-vhost readiness; tries to connect where no connection is up."""
        out: dict[str, Any] = {}
        for vhost in self._links:
            try:
                await self._exchange(vhost)
                out[vhost] = "ok"
            except BrokerUnavailable as exc:
                out[vhost] = exc.reason
        return out


def _frame(exc: Exception) -> str:
    frame = getattr(exc, "frame", None)
    return repr(frame) if frame is not None else repr(exc)


def _safe_url(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 5672}"
