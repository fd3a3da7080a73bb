"""Confirmed publishing on an aiormq channel without `Channel.basic_publish`'s per-call machinery.

Profiled under bench/api_publish.py (py-spy `--gil`), `basic_publish` held the GIL for about a
sixth of the API process's time: per message a countdown, two async context managers, the
channel lock, three frame objects marshalled by pamqp, a queue put and, for the writer task, one
socket write. Here, per message: the content header is marshalled, the confirm future is
registered exactly as `basic_publish` registers it, and the frames are appended to a buffer; the
`Basic.Publish` method frame is the same bytes for every message (same exchange, routing key and
mandatory flag) and is marshalled once. The buffer goes to aiormq's writer as one frame per loop
iteration, so the messages published by the requests of one iteration cost one socket write.

What stays aiormq's: the connection and its writer, the channel (open, close, confirm mode, the
agent's reply consumer), and every frame the broker sends back: `Basic.Ack`/`Nack` settle the
futures registered here, `Basic.Return` fails the message's future with `PublishError`
(`on_return_raises`), a closed channel or connection rejects them all.

Confirm sequence numbers count the `Basic.Publish` frames of a channel in the order the broker
reads them, so every publish on a channel given to `ConfirmedPublisher` must go through it: the
tag is taken and the frames are queued in one synchronous step, in tag order.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiormq
from aiormq.abc import ChannelFrame
from aiormq.exceptions import ChannelInvalidStateError
from pamqp import commands as spec
from pamqp.body import ContentBody
from pamqp.frame import marshal
from pamqp.header import ContentHeader


class ConfirmedPublisher:
    """Publishes to one exchange and routing key on a confirm channel, `mandatory` set."""

    __slots__ = ("_channel", "_flush_scheduled", "_loop", "_method", "_pending")

    def __init__(self, channel: aiormq.Channel, exchange: str, routing_key: str) -> None:
        if not channel.publisher_confirms:
            raise ValueError("ConfirmedPublisher needs a channel in confirm mode")
        self._channel = channel
        self._loop = channel.loop
        self._method = marshal(
            spec.Basic.Publish(exchange=exchange, routing_key=routing_key, mandatory=True), channel.number
        )
        self._pending: list[bytes] = []
        self._flush_scheduled = False

    def publish(self, body: bytes, properties: spec.Basic.Properties) -> asyncio.Future[Any]:
        """Queue the message; the future settles with the broker's `Basic.Ack`, or fails with
        aiormq's `DeliveryError` (nack), `PublishError` (returned) or the channel's close reason.
        `properties.message_id` must be set (returns are matched to messages by it)."""
        channel = self._channel
        if channel.is_closed:
            raise ChannelInvalidStateError(f"{channel!r} closed")
        message_id = properties.message_id
        if not message_id:
            raise ValueError("properties.message_id is required")
        number = channel.number
        parts = [self._method, marshal(ContentHeader(properties=properties, body_size=len(body)), number)]
        size = channel.max_content_size
        if len(body) < size:
            parts.append(marshal(ContentBody(body), number))
        else:
            parts.extend(marshal(ContentBody(body[i : i + size]), number) for i in range(0, len(body), size))

        # As basic_publish does under the channel lock: the tag, the future, the message id.
        channel.delivery_tag += 1
        tag = channel.delivery_tag
        confirmation = channel.create_future()
        channel.confirmations[tag] = confirmation
        by_id = channel.message_id_delivery_tag
        by_id[message_id] = tag

        def forget_message_id(_: asyncio.Future[Any]) -> None:
            if by_id.get(message_id) == tag:
                by_id.pop(message_id)

        confirmation.add_done_callback(forget_message_id)
        self._pending.append(b"".join(parts))
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._loop.call_soon(self._flush)
        return confirmation

    def _flush(self) -> None:
        self._flush_scheduled = False
        if not self._pending:
            return
        payload = b"".join(self._pending)
        self._pending.clear()
        if self._channel.is_closed:
            return  # the channel's close already failed every future registered above
        # Unbounded queue: never blocks. aiormq's writer writes it as one socket write.
        self._channel.write_queue.put_nowait(ChannelFrame(payload=payload, should_close=False))
