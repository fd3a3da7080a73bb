"""Waiting for a worker's answer over RabbitMQ direct reply-to (docs/agent-message.md).

The agent route publishes `clinico.mensagem` with `reply_to = amq.rabbitmq.reply-to` on the API's
confirm channel of `fluxo_clinico`; RabbitMQ routes the worker's answer straight back to that
channel's consumer, with no queue to declare or clean up. One consumer per channel serves every
waiting request: it finds the request by the reply's `correlation_id`, which is the task id.

A reply nobody waits for any more (the request already answered 202, or another API process sent
the task) is dropped: the task's result is in the store, behind the status URL, either way.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiormq.abc
import orjson

from shared.logs import get_logger

log = get_logger("api.replies")

DIRECT_REPLY_TO = "amq.rabbitmq.reply-to"


class PendingReply:
    """What a waiting request has heard so far: a preliminary answer (the rules stage, when a crew
    is still writing the reply) and the final one. `final` resolves to the final reply, or to None
    when the wait ran out."""

    __slots__ = ("final", "latest")

    def __init__(self, final: asyncio.Future[dict[str, Any] | None]) -> None:
        self.final = final
        self.latest: dict[str, Any] | None = None


def _expire(fut: asyncio.Future[dict[str, Any] | None]) -> None:
    if not fut.done():
        fut.set_result(None)


class ReplyWaiter:
    """Hundreds of requests wait at once on the agent route (400 messages/s with ~100 ms answers):
    each costs one future and one timer handle, and a reply one dict lookup and one parse, with
    no task, `wait_for` or `shield` per request."""

    def __init__(self) -> None:
        self._pending: dict[str, PendingReply] = {}

    async def attach(self, channel: aiormq.abc.AbstractChannel) -> None:
        """Start the direct reply-to consumer on a new publishing channel (Publisher hook)."""
        await channel.basic_consume(DIRECT_REPLY_TO, self._on_reply, no_ack=True)

    def expect(self, task_id: str) -> PendingReply:
        pending = PendingReply(asyncio.get_running_loop().create_future())
        self._pending[task_id] = pending
        return pending

    def forget(self, task_id: str) -> None:
        self._pending.pop(task_id, None)

    @property
    def waiting(self) -> int:
        return len(self._pending)

    async def _on_reply(self, message: aiormq.abc.DeliveredMessage) -> None:
        task_id = message.header.properties.correlation_id
        pending = self._pending.get(task_id or "")
        if pending is None or pending.final.done():
            return
        try:
            reply = orjson.loads(message.body)
        except orjson.JSONDecodeError:
            log.warning("agent_reply_unreadable", task_id=task_id)
            return
        if not isinstance(reply, dict):
            return
        pending.latest = reply
        if reply.get("final", True):
            pending.final.set_result(reply)

    async def wait(self, pending: PendingReply, timeout_s: float) -> dict[str, Any] | None:
        """The final reply if it comes within `timeout_s`, else the latest preliminary one, else
        None. Only this request's coroutine waits: the event loop goes on serving others."""
        fut = pending.final
        if not fut.done():
            timer = fut.get_loop().call_later(timeout_s, _expire, fut)
            try:
                await fut
            finally:
                timer.cancel()
        final = fut.result() if not fut.cancelled() else None
        return final if final is not None else pending.latest
