"""Confirmed publishing on an aiormq channel without `Channel.basic_publish`'s per-call machinery.

Profiled under bench/api_publish.py (py-spy `--gil`), `basic_publish` held the GIL for about a
sixth of the API process's time: per message a countdown, two async context managers, the
channel lock, three frame objects marshalled by pamqp, a queue put and, for the writer task, one
socket write; building and marshalling `Basic.Properties` alone cost ~45 us per message. Here,
per message: the content header frame is encoded directly (`content_header`, the same bytes as
pamqp's, the properties that never change encoded once), the confirm future is registered
exactly as `basic_publish` registers it, and the frames are appended to a buffer; the
`Basic.Publish` method frame is the same bytes for every message (same exchange, routing key and
mandatory flag) and is marshalled once. The messages published by the requests of one pass of the
event loop go to aiormq's writer as one frame, so they cost one socket write.

That frame enters the connection's write queue with the pass's first message, and the pass's later
messages are appended to it while it waits there (docs/operations.md, "perf-api9"). It used to wait
for a callback on the loop's next pass, which queued it for the writer task, which wrote it on the
pass after that: under load every pass of the loop serves dozens of requests, and that extra pass
was a few milliseconds of every publish's wait for its confirm. The appending ends the moment the
writer reads the frame's payload (`_OpenFrame.payload`), so no byte is ever appended to a payload
the writer has taken. (Until the eleventh session a callback queued behind the writer's wake-up
ended it; but a writer woken earlier in the pass by another frame, its heartbeat, took the frame
before that callback, and a message published in between was appended to a payload already
written: never sent, and the confirms of every later message one tag off; docs/operations.md,
"api-cpu11".)

What stays aiormq's: the connection and its writer, the channel (open, close, confirm mode, the
agent's reply consumer), and every frame the broker sends back: `Basic.Ack`/`Nack` settle the
futures registered here, `Basic.Return` fails the message's future with `PublishError`
(`on_return_raises`), a closed channel or connection rejects them all. One step of that is done
here (`_on_confirm_frame`): aiormq settles the messages a multiple `Basic.Ack` confirms in
callbacks of the loop's next pass, one each; here they are settled when the frame is handled,
by aiormq's own `_confirm_delivery`, which saves every confirm that extra pass; and an ack is
handled when aiormq's connection reader parses it rather than a pass later by the channel's
reader, unless frames wait before it in the channel's queue (`_frame_in`).

Confirm sequence numbers count the `Basic.Publish` frames of a channel in the order the broker
reads them, so every publish on a channel given to `ConfirmedPublisher` must go through it: the
tag is taken and the frames are queued in one synchronous step, in tag order.
"""

from __future__ import annotations

import asyncio
import datetime
import struct
from collections.abc import Mapping
from typing import Any

import aiormq
from aiormq.abc import ConfirmationFrameType
from aiormq.exceptions import ChannelInvalidStateError
from pamqp import commands as spec
from pamqp import constants, encode
from pamqp.body import ContentBody
from pamqp.frame import marshal

# Basic.Properties flags, in wire order (AMQP 0-9-1; pamqp.commands.Basic.Properties.flags).
_CONTENT_TYPE, _CONTENT_ENCODING, _HEADERS, _DELIVERY_MODE, _PRIORITY = (
    1 << 15,
    1 << 14,
    1 << 13,
    1 << 12,
    1 << 11,
)
_CORRELATION_ID, _REPLY_TO, _MESSAGE_ID, _TIMESTAMP, _TYPE, _USER_ID, _APP_ID = (
    1 << 10,
    1 << 9,
    1 << 7,
    1 << 6,
    1 << 5,
    1 << 4,
    1 << 3,
)
_FRAME_START = struct.Struct(">BHI")  # frame type, channel, payload size
_HEADER_START = struct.Struct(">HHQH")  # class id, weight, body size, property flags
_TIMESTAMP_BYTES = struct.Struct(">Q")
_LONG = struct.Struct(">I")
_FRAME_END = constants.FRAME_END_CHAR


def _short(value: str) -> bytes:
    raw = value.encode()
    if len(raw) > 255:
        # What pamqp raises for the same value (encode.short_string).
        raise TypeError("string exceeds maximum length of 255 bytes")
    return bytes((len(raw),)) + raw


def _table(headers: Mapping[str, Any]) -> bytes:
    if not headers:
        return _LONG.pack(0)
    if not all(isinstance(v, str) and len(k) <= 32 and k.isascii() for k, v in headers.items()):
        return encode.field_table(dict(headers))  # anything but short keys and text values
    parts: list[bytes] = []
    for key, value in sorted(headers.items()):
        raw = value.encode()
        parts += (bytes((len(key),)), key.encode(), b"S", _LONG.pack(len(raw)), raw)
    out = b"".join(parts)
    return _LONG.pack(len(out)) + out


class FixedProperties:
    """The properties every message of a publisher carries, encoded once."""

    __slots__ = ("app_id", "encoded_head", "encoded_tail", "flags")

    def __init__(
        self,
        *,
        content_type: str,
        content_encoding: str,
        delivery_mode: int,
        priority: int,
        user_id: str,
        app_id: str,
    ) -> None:
        self.flags = _CONTENT_TYPE | _CONTENT_ENCODING | _DELIVERY_MODE | _PRIORITY | _APP_ID
        # Before the headers: content type and encoding; after them: delivery mode, priority.
        self.encoded_head = _short(content_type) + _short(content_encoding)
        self.encoded_tail = bytes((delivery_mode, priority))
        self.app_id = _short(app_id)
        if user_id:
            self.flags |= _USER_ID
            self.app_id = _short(user_id) + self.app_id


def content_header(
    channel: int,
    body_size: int,
    fixed: FixedProperties,
    *,
    headers: Mapping[str, Any] | None,
    correlation_id: str | None,
    reply_to: str | None,
    message_id: str,
    timestamp: datetime.datetime,
    message_type: str,
) -> bytes:
    """The content header frame pamqp would marshal for `Basic.Properties` with these values
    (None or "" leaves a property out, as pamqp does); tests/api/test_confirmed.py compares."""
    flags = fixed.flags
    parts = [b"", fixed.encoded_head]
    if headers is not None:
        flags |= _HEADERS
        parts.append(_table(headers))
    parts.append(fixed.encoded_tail)
    if correlation_id:
        flags |= _CORRELATION_ID
        parts.append(_short(correlation_id))
    if reply_to:
        flags |= _REPLY_TO
        parts.append(_short(reply_to))
    if message_id:
        flags |= _MESSAGE_ID
        parts.append(_short(message_id))
    flags |= _TIMESTAMP
    if timestamp.tzinfo is None or timestamp.tzinfo.utcoffset(timestamp) is None:
        timestamp = timestamp.replace(tzinfo=datetime.UTC)  # as pamqp: a naive time is UTC
    parts.append(_TIMESTAMP_BYTES.pack(int(timestamp.timestamp())))
    if message_type:
        flags |= _TYPE
        parts.append(_short(message_type))
    parts.append(fixed.app_id)
    parts[0] = _HEADER_START.pack(spec.Basic.frame_id, 0, body_size, flags)
    payload = b"".join(parts)
    return _FRAME_START.pack(constants.FRAME_HEADER, channel, len(payload)) + payload + _FRAME_END


class _OpenFrame:
    """A `ChannelFrame` for aiormq's writer (which reads `payload`, `should_close`, `should_drain`
    and calls `drain()`) whose payload is closed to appending when the writer reads it: the
    messages published after that start a frame of their own."""

    __slots__ = ("_payload", "_sender")
    should_close = False
    should_drain = False
    drain_future = None

    def __init__(self, sender: ConfirmedPublisher, payload: bytearray) -> None:
        self._sender = sender
        self._payload = payload

    @property
    def payload(self) -> bytearray:
        sender = self._sender
        if sender._open is self._payload:
            sender._open = None
        return self._payload

    def drain(self) -> None:
        return None


class ConfirmedPublisher:
    """Publishes to one exchange and routing key on a confirm channel, `mandatory` set."""

    __slots__ = ("_aiormq_on_confirm", "_aiormq_put", "_channel", "_fixed", "_loop", "_method", "_open")

    def __init__(
        self, channel: aiormq.Channel, exchange: str, routing_key: str, fixed: FixedProperties
    ) -> None:
        if not channel.publisher_confirms:
            raise ValueError("ConfirmedPublisher needs a channel in confirm mode")
        self._channel = channel
        # Two of aiormq 7.2.4's channel internals (pinned in requirements.api.txt) are wrapped here:
        # re-check them when the pin moves; tests/api/test_confirmed.py fails if they change shape.
        self._aiormq_on_confirm = channel._on_confirm_frame
        channel._on_confirm_frame = self._on_confirm_frame  # type: ignore[method-assign]
        self._aiormq_put = channel.frames.put
        channel.frames.put = self._frame_in  # type: ignore[method-assign]
        self._fixed = fixed
        self._loop = channel.loop
        self._method = marshal(
            spec.Basic.Publish(exchange=exchange, routing_key=routing_key, mandatory=True), channel.number
        )
        # The payload of this pass's frame, queued for the writer and still open for appending.
        self._open: bytearray | None = None

    def publish(
        self,
        body: bytes,
        *,
        message_id: str,
        correlation_id: str | None,
        message_type: str,
        timestamp: datetime.datetime,
        headers: Mapping[str, Any],
        reply_to: str | None = None,
    ) -> asyncio.Future[Any]:
        """Queue the message; the future settles with the broker's `Basic.Ack`, or fails with
        aiormq's `DeliveryError` (nack), `PublishError` (returned) or the channel's close reason.
        `message_id` is required: returns are matched to messages by it."""
        channel = self._channel
        if channel.is_closed:
            raise ChannelInvalidStateError(f"{channel!r} closed")
        if not message_id:
            raise ValueError("message_id is required")
        number = channel.number
        header = content_header(
            number,
            len(body),
            self._fixed,
            headers=headers,
            correlation_id=correlation_id,
            reply_to=reply_to,
            message_id=message_id,
            timestamp=timestamp,
            message_type=message_type,
        )
        parts = [self._method, header]
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
        frames = b"".join(parts)
        payload = self._open
        if payload is not None:
            payload += frames  # still queued: goes out with this pass's socket write, in tag order
            return confirmation
        self._open = payload = bytearray(frames)
        self._enqueue(payload)
        return confirmation

    def _enqueue(self, payload: bytearray) -> None:
        channel = self._channel
        if channel.is_closed:
            self._open = None  # the channel's close already failed every future registered here
            return
        queue = channel.write_queue
        if queue.full():
            # aiormq's writer is behind (its queue holds 10 frames): this pass's messages keep
            # going into the payload, which is queued on a later pass, still in tag order.
            self._loop.call_soon(self._enqueue, payload)
            return
        # aiormq's writer writes the payload as it is when it takes the frame, in one socket
        # write; frames queued before it (a channel's Close-Ok) stay before it.
        queue.put_nowait(_OpenFrame(self, payload))  # type: ignore[arg-type]

    async def _frame_in(self, item: tuple[int, Any]) -> None:
        """The channel's frame queue as aiormq's connection reader fills it: a `Basic.Ack`/`Nack`
        that finds the queue empty is handled right away, in the connection reader's step, not a
        pass later by the channel's reader. Only with the queue empty: a returned message's
        frames (`Basic.Return`, its header and body, which the broker sends before the ack) are
        then all handled already, so its future fails with `PublishError` before any ack."""
        frame = item[1]
        if isinstance(frame, spec.Basic.Ack | spec.Basic.Nack) and self._channel.frames.empty():
            await self._on_confirm_frame(frame)
            return
        await self._aiormq_put(item)

    async def _on_confirm_frame(self, frame: ConfirmationFrameType) -> None:
        """The channel's handler of `Basic.Ack`/`Nack`: aiormq's, except that the messages a
        multiple frame confirms are settled now rather than one callback each on the next pass."""
        channel = self._channel
        confirmations = channel.confirmations
        if not getattr(frame, "multiple", False) or frame.delivery_tag not in confirmations:
            await self._aiormq_on_confirm(frame)  # a single tag is settled at once there too
            return
        last = frame.delivery_tag
        for tag in [tag for tag in confirmations if tag <= last]:
            channel._confirm_delivery(tag, frame)
