"""api/confirmed.py encodes the content header frame itself: byte for byte what pamqp marshals
for the same `Basic.Properties` (the frame aio-pika's `Exchange.publish` used to send), and hands
the messages of one pass of the event loop to aiormq's writer as one frame, in tag order."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

import aiormq
import pytest
from aiormq.abc import ChannelFrame
from aiormq.exceptions import DeliveryError
from pamqp import commands as spec
from pamqp.body import ContentBody
from pamqp.frame import marshal
from pamqp.header import ContentHeader

from api.confirmed import ConfirmedPublisher, FixedProperties, content_header

NOW = datetime.datetime(2026, 12, 7, 5, 30, 1, 987654, tzinfo=datetime.UTC)
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def fixed(user_id: str = "gateway") -> FixedProperties:
    return FixedProperties(
        content_type="application/json",
        content_encoding="utf-8",
        delivery_mode=2,
        priority=0,
        app_id="clinical-task-gateway",
        user_id=user_id,
    )


def pamqp_frame(channel: int, body_size: int, user_id: str = "gateway", **values: object) -> bytes:
    properties = spec.Basic.Properties(
        content_type="application/json",
        content_encoding="utf-8",
        delivery_mode=2,
        priority=0,
        app_id="clinical-task-gateway",
        user_id=user_id,
        **values,  # type: ignore[arg-type]
    )
    return marshal(ContentHeader(properties=properties, body_size=body_size), channel)


CASES = [
    {"headers": {"x-tenant-id": "hospital_a", "traceparent": TRACEPARENT}, "correlation_id": "c" * 32},
    {
        "headers": {"x-tenant-id": "hospital_a"},
        "correlation_id": "abc",
        "reply_to": "amq.rabbitmq.reply-to.g1h2",
    },
    {"headers": {"x-tenant-id": "clínica_são_joão", "traceparent": TRACEPARENT}, "correlation_id": "é" * 100},
    {"headers": {"x-tenant-id": "t", "tracestate": "vendor=1", "baggage": "k=v"}, "correlation_id": "x"},
    {"headers": {"x-tenant-id": "t", "x-retries": 3, "nested": {"a": "b"}}, "correlation_id": "y"},
    {"headers": {}, "correlation_id": None, "reply_to": ""},
    {"headers": None, "correlation_id": "z"},
]


@pytest.mark.parametrize("values", CASES)
@pytest.mark.parametrize("channel", [1, 7])
def test_the_content_header_is_the_frame_pamqp_marshals(values: dict[str, object], channel: int) -> None:
    common = {"message_id": "7d0b6f9e-25a1-4c7e-9d9e-2f4c1e0b9a11", "message_type": "clinico.consulta"}
    ours = content_header(
        channel,
        494,
        fixed(),
        headers=values["headers"],  # type: ignore[arg-type]
        correlation_id=values.get("correlation_id"),  # type: ignore[arg-type]
        reply_to=values.get("reply_to"),  # type: ignore[arg-type]
        timestamp=NOW,
        **common,
    )
    theirs = pamqp_frame(
        channel,
        494,
        headers=values["headers"],
        correlation_id=values.get("correlation_id"),
        reply_to=values.get("reply_to"),
        timestamp=NOW,
        **common,
    )
    assert ours == theirs


def test_a_naive_timestamp_and_no_user_id_encode_as_pamqp_encodes_them() -> None:
    naive = datetime.datetime(2026, 1, 2, 3, 4, 5)
    ours = content_header(
        1,
        10,
        fixed(user_id=""),
        headers={"x-tenant-id": "t"},
        correlation_id="c",
        reply_to=None,
        message_id="m",
        timestamp=naive,
        message_type="exames.hemograma",
    )
    theirs = pamqp_frame(
        1,
        10,
        user_id="",
        headers={"x-tenant-id": "t"},
        correlation_id="c",
        message_id="m",
        timestamp=naive,
        message_type="exames.hemograma",
    )
    assert ours == theirs


def test_a_correlation_id_longer_than_a_short_string_is_refused_as_pamqp_refuses_it() -> None:
    too_long = "é" * 128  # 256 bytes in UTF-8
    with pytest.raises(TypeError):
        pamqp_frame(
            1, 1, headers={"x-tenant-id": "t"}, correlation_id=too_long, message_id="m", timestamp=NOW
        )
    with pytest.raises(TypeError):
        content_header(
            1,
            1,
            fixed(),
            headers={"x-tenant-id": "t"},
            correlation_id=too_long,
            reply_to=None,
            message_id="m",
            timestamp=NOW,
            message_type="t",
        )


# --- one frame per pass of the event loop, queued with the pass's first message ---------------


class FakeChannel:
    """What ConfirmedPublisher uses of an aiormq channel in confirm mode."""

    publisher_confirms = True
    number = 1
    max_content_size = 131_064
    is_closed = False

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.delivery_tag = 0
        self.confirmations: dict[int, asyncio.Future[object]] = {}
        self.message_id_delivery_tag: dict[str, int] = {}
        self.write_queue: asyncio.Queue[ChannelFrame] = asyncio.Queue(maxsize=10)  # as aiormq's
        self.frames: asyncio.Queue[tuple[int, Any]] = asyncio.Queue()  # filled by the connection

    def create_future(self) -> asyncio.Future[object]:
        return self.loop.create_future()

    # aiormq's own handling of the broker's Basic.Ack / Basic.Nack
    _on_confirm_frame: Any = aiormq.Channel._on_confirm_frame
    _confirm_delivery: Any = aiormq.Channel._confirm_delivery


def message(i: int) -> dict[str, Any]:
    return {
        "message_id": f"m{i}",
        "correlation_id": f"c{i}",
        "message_type": "clinico.consulta",
        "timestamp": NOW,
        "headers": {"x-tenant-id": "t"},
    }


def wire(i: int, body: bytes) -> bytes:
    """The frames of message i as the broker must read them: method, content header, body."""
    method = marshal(spec.Basic.Publish(exchange="eventos", routing_key="eventos", mandatory=True), 1)
    header = content_header(1, len(body), fixed(), reply_to=None, **message(i))
    return method + header + marshal(ContentBody(body), 1)


async def start_writer(channel: FakeChannel, written: list[bytes]) -> asyncio.Task[None]:
    """aiormq's writer task: takes each queued frame and writes its payload as it is then."""

    async def writer() -> None:
        while True:
            frame = await channel.write_queue.get()
            written.append(bytes(frame.payload))

    task = asyncio.create_task(writer())
    await asyncio.sleep(0)  # the writer now waits on the queue, as it does between writes
    return task


def test_the_messages_of_one_pass_reach_the_writer_on_the_next_pass_as_one_write() -> None:
    asyncio.run(one_pass())


async def one_pass() -> None:
    channel = FakeChannel()
    sender = ConfirmedPublisher(channel, "eventos", "eventos", fixed())  # type: ignore[arg-type]
    written: list[bytes] = []
    writer = await start_writer(channel, written)
    bodies = [b'{"n": %d}' % i for i in range(4)]
    futures = [sender.publish(bodies[i], **message(i)) for i in range(3)]
    await asyncio.sleep(0)  # one pass: the writer has written them (two passes before perf-api9)
    assert written == [wire(0, bodies[0]) + wire(1, bodies[1]) + wire(2, bodies[2])]
    assert list(channel.confirmations) == [1, 2, 3]
    assert channel.confirmations[2] is futures[1]
    # A message published after the writer took that frame goes out in a frame of its own.
    sender.publish(bodies[3], **message(3))
    await asyncio.sleep(0)
    assert written[1:] == [wire(3, bodies[3])]
    writer.cancel()


def test_a_full_write_queue_delays_the_frame_and_keeps_the_order() -> None:
    asyncio.run(full_queue())


async def full_queue() -> None:
    channel = FakeChannel()
    sender = ConfirmedPublisher(channel, "eventos", "eventos", fixed())  # type: ignore[arg-type]
    for _ in range(10):
        channel.write_queue.put_nowait(ChannelFrame(payload=b"other", should_close=False))
    bodies = [b"a", b"b", b"c"]
    sender.publish(bodies[0], **message(0))
    await asyncio.sleep(0)
    sender.publish(bodies[1], **message(1))  # the queue is still full: same payload, later
    written: list[bytes] = []
    writer = await start_writer(channel, written)  # drains the ten frames
    sender.publish(bodies[2], **message(2))
    for _ in range(3):
        await asyncio.sleep(0)
    assert written[:10] == [b"other"] * 10
    assert b"".join(written[10:]) == wire(0, bodies[0]) + wire(1, bodies[1]) + wire(2, bodies[2])
    writer.cancel()


def test_a_multiple_ack_settles_the_messages_it_confirms_at_once() -> None:
    asyncio.run(multiple_ack())


async def multiple_ack() -> None:
    channel = FakeChannel()
    sender = ConfirmedPublisher(channel, "eventos", "eventos", fixed())  # type: ignore[arg-type]
    futures = [sender.publish(b"x", **message(i)) for i in range(4)]
    # The channel's reader handles the frame: the two messages are confirmed when it returns,
    # not one pass later (aiormq's own handler schedules a callback per message).
    await channel._on_confirm_frame(spec.Basic.Ack(delivery_tag=2, multiple=True))
    assert [f.done() for f in futures] == [True, True, False, False]
    assert isinstance(futures[1].result(), spec.Basic.Ack)
    assert list(channel.confirmations) == [3, 4]
    await channel._on_confirm_frame(spec.Basic.Nack(delivery_tag=3, multiple=False))
    assert isinstance(futures[2].exception(), DeliveryError)
    await channel._on_confirm_frame(spec.Basic.Nack(delivery_tag=4, multiple=True))
    assert isinstance(futures[3].exception(), DeliveryError)
    assert channel.confirmations == {}
    await asyncio.sleep(0)
    assert channel.message_id_delivery_tag == {}  # each message's id forgotten once settled


def test_an_ack_is_handled_as_the_connection_reads_it_unless_frames_wait_before_it() -> None:
    asyncio.run(ack_as_read())


async def ack_as_read() -> None:
    channel = FakeChannel()
    sender = ConfirmedPublisher(channel, "eventos", "eventos", fixed())  # type: ignore[arg-type]
    futures = [sender.publish(b"x", **message(i)) for i in range(3)]
    # What aiormq's connection reader does with a frame for the channel: nothing waits before it.
    await channel.frames.put((1, spec.Basic.Ack(delivery_tag=1, multiple=False)))
    assert futures[0].done() and channel.frames.empty()
    # A returned message's frames wait in the queue: the ack behind them waits its turn, so the
    # channel's reader fails the returned message first (PublishError), as aiormq orders it.
    returned = spec.Basic.Return(reply_code=312, reply_text="NO_ROUTE", exchange="eventos", routing_key="x")
    await channel.frames.put((1, returned))
    ack = spec.Basic.Ack(delivery_tag=3, multiple=True)
    await channel.frames.put((1, ack))
    assert not futures[1].done() and not futures[2].done()
    assert channel.frames.get_nowait()[1] is returned
    assert channel.frames.get_nowait()[1] is ack


def test_a_writer_woken_before_the_pass_first_message_loses_no_later_message() -> None:
    asyncio.run(woken_writer())


async def woken_writer() -> None:
    """aiormq's writer takes every frame its queue holds in one step. When another frame (its
    heartbeat, every 30 s) woke it in the pass of a message, it takes that pass's frame on the next
    pass before anything else of it runs: a message published later in that pass must not be
    appended to the frame already written (it would never reach the broker, and the broker's
    confirm sequence, one behind from then on, would confirm each message with the next one's ack)."""
    channel = FakeChannel()
    sender = ConfirmedPublisher(channel, "eventos", "eventos", fixed())  # type: ignore[arg-type]
    written: list[bytes] = []
    writer = await start_writer(channel, written)
    channel.write_queue.put_nowait(ChannelFrame(payload=b"heartbeat", should_close=False))
    late: list[asyncio.Future[Any]] = []
    # Runs on the next pass right after the writer's step (a request resumed by the store, say).
    asyncio.get_running_loop().call_soon(lambda: late.append(sender.publish(b"b", **message(1))))
    sender.publish(b"a", **message(0))
    for _ in range(3):
        await asyncio.sleep(0)
    assert b"".join(written) == b"heartbeat" + wire(0, b"a") + wire(1, b"b")
    writer.cancel()
