"""The transport's acks on RabbitMQ: acks of a batch that finished before an older one of its
channel are held for it and go out with it as one `multiple=True` ack (docs/workers.md, "Acks
held for the older batch"), and a worker killed with SIGKILL loses none of what it had not
finished. The worker runs in a child process, so the kill is a real one."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

import pika
import pika.channel

from shared import topology
from shared.config import Settings
from tests.support.amqp import channel, publish_raw, purge, take_all
from workers.pika_transport import PikaTransport
from workers.transport import Delivery

N = 10


def _poll(check: Any, what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def _worker(settings: Settings, steps: list[tuple[int, int]], wait_released: bool, pipe: Connection) -> None:
    """Child: take the N messages, ack the slices of `steps` in order (by delivery tag), tell the
    parent what it acked and how many `basic.ack` frames went out, then wait to be killed."""
    frames: list[bool] = []
    # The transport acks through the channel's own (asynchronous) basic_ack, which the blocking
    # channel's wraps too, so counting there sees every frame either way.
    plain_ack = pika.channel.Channel.basic_ack

    def counted_ack(self: Any, delivery_tag: int = 0, multiple: bool = False) -> None:
        frames.append(multiple)
        plain_ack(self, delivery_tag, multiple)

    pika.channel.Channel.basic_ack = counted_ack  # type: ignore[method-assign]
    vhost = topology.vhost_for("clinico", settings.vhost_prefix)
    transport = PikaTransport(settings, vhost, connection_name="ack-test")
    got: list[Delivery] = []
    transport.subscribe(topology.EVENTS_QUEUE, N, got.extend)
    threading.Thread(target=transport.run, daemon=True).start()
    _poll(lambda: len(got) == N, "the child did not receive every message")
    deliveries = sorted(got, key=lambda d: d.tag)
    acked: list[bytes] = []
    for lo, hi in steps:
        transport.ack_many(deliveries[lo:hi])
        acked += [d.body for d in deliveries[lo:hi]]
        transport.call(lambda: None)  # this step's acks are flushed before the next step's
    if wait_released:
        _poll(lambda: transport.call(lambda: not transport._acks.held), "held acks never went out")
    # Acks go out on the connection thread's next turn; a round trip on their channel (the broker
    # answers in order) makes sure it has taken them before the parent kills this process.
    transport.call(lambda: deliveries[0].channel.basic_qos(prefetch_count=N))
    pipe.send((acked, frames))
    threading.Event().wait()


def _consumers(settings: Settings) -> int:
    with channel(settings, "clinico") as ch:
        return int(ch.queue_declare(topology.EVENTS_QUEUE, passive=True).method.consumer_count)


def _kill_after(settings: Settings, steps: list[tuple[int, int]], *, wait_released: bool = False) -> Any:
    """Publish N messages, run the child's acks, SIGKILL it; (bodies back in the queue, bodies
    the child acked, its ack frames)."""
    purge(settings, "clinico", topology.EVENTS_QUEUE)
    bodies = [str(i).encode() for i in range(N)]
    for body in bodies:
        publish_raw(settings, "clinico", body)
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_worker, args=(settings, steps, wait_released, child))
    proc.start()
    try:
        assert parent.poll(30), "the child did not report"
        acked, frames = parent.recv()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(10)
    # The broker requeues what the dead connection left unacked when it drops its consumer.
    _poll(lambda: _consumers(settings) == 0, "the broker kept the dead worker's consumer")
    back = [body for _props, body in take_all(settings, "clinico")]
    return back, acked, frames


def test_a_batch_finished_before_an_older_one_is_never_acked_over_it_and_a_kill_loses_nothing(
    settings: Settings,
) -> None:
    # Messages 5-9 finish first (their batch was younger), then 0-2; 3 and 4 are still running
    # when the worker is killed.
    back, acked, _frames = _kill_after(settings, [(5, 10), (0, 3)])

    assert {b"3", b"4"} <= set(back), "what was still running comes back"
    assert not {b"0", b"1", b"2"} & set(back), "what was acked below the running ones does not"
    assert set(back) | set(acked) == {str(i).encode() for i in range(N)}, "nothing is lost"


def test_held_acks_go_out_on_their_own_while_the_older_batch_still_runs(settings: Settings) -> None:
    back, _acked, frames = _kill_after(settings, [(5, 10)], wait_released=True)

    assert sorted(back) == [b"0", b"1", b"2", b"3", b"4"], "only the unfinished batch comes back"
    assert frames == [False] * 5, "held past their bound, the acks go out one by one"


def test_when_the_older_batch_is_acked_the_held_acks_go_out_with_it_in_one_frame(settings: Settings) -> None:
    back, _acked, frames = _kill_after(settings, [(5, 10), (0, 5)])

    assert back == [], "every message was acked"
    assert frames == [True], "one basic.ack multiple=True for both batches"
