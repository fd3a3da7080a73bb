"""The worker's frames are joined into one `send()` per turn of pika's I/O loop
(workers/pika_writes.py): what a requester receives must be exactly what was published, in order,
however many replies one turn carries, past the join limit included."""

from __future__ import annotations

import threading
import time

from shared import topology
from shared.config import Settings
from tests.support.amqp import purge, take_all
from workers import pika_writes
from workers.pika_transport import PikaTransport


def _wait(check: object, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def test_a_burst_of_replies_past_the_join_limit_arrives_whole_and_in_order(settings: Settings) -> None:
    vhost = topology.vhost_for("clinico", settings.vhost_prefix)
    purge(settings, "clinico", topology.EVENTS_QUEUE)
    transport = PikaTransport(settings, vhost, connection_name="writes-test")
    runner = threading.Thread(target=transport.run, daemon=True)
    runner.start()
    try:
        assert transport.connected.wait(20), "the transport did not connect"
        # Sizes that do not divide the limit evenly, and more bytes than one join takes.
        bodies = [(f"{i:04d}:".encode() + b"x" * (1000 + 37 * (i % 50))) for i in range(400)]
        assert sum(len(b) for b in bodies) > 2 * pika_writes.JOIN_LIMIT
        replies = [(topology.EVENTS_QUEUE, f"c-{i}", body) for i, body in enumerate(bodies)]
        transport.send_replies(replies, [])
        got: list[tuple[str, bytes]] = []

        def arrived() -> bool:
            got.extend((props.correlation_id, body) for props, body in take_all(settings, "clinico"))
            return len(got) >= len(bodies)

        _wait(arrived, "not every reply arrived")
    finally:
        transport.stop()
        runner.join(20)

    assert got == [(f"c-{i}", body) for i, body in enumerate(bodies)]
