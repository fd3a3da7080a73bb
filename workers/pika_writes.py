"""One `send()` per turn of pika's I/O loop instead of one per AMQP frame.

pika queues every frame it marshals as a chunk of its own (a publish is three: method, header,
body; an ack one) and its transport's `_produce` hands each chunk to the socket with a `send()`
of its own. On a TCP_NODELAY socket each of those is a system call and a TCP segment that
RabbitMQ reads separately: a rules batch of eight agent messages answered eight replies and one
ack in about 25 segments, and the `send()` calls were more than half of the connection thread's
CPU under the agent bench (docs/agent-message.md, "Eighth session").

`install()` replaces `_produce` of pika's plaintext transport with one that joins the queued
chunks (up to `JOIN_LIMIT` bytes) before each `send()`. The bytes on the wire and their order are
the same; a partial send leaves the unsent tail at the head of the queue exactly as pika's own
does, and a `send()` that would block raises to pika's caller as before. The TLS transport is left
alone: OpenSSL wants a retried write to present the same buffer.
"""

from __future__ import annotations

from typing import Any

from pika.adapters.utils import io_services_utils

# Bounds the copy a join makes when the socket takes only part of a large backlog.
JOIN_LIMIT = 256 * 1024

_installed = False


def _produce_joined(self: Any) -> None:
    buffers = self._tx_buffers
    while buffers:
        if len(buffers) > 1 and len(buffers[0]) < JOIN_LIMIT:
            parts = []
            size = 0
            while buffers and size < JOIN_LIMIT:
                chunk = buffers.popleft()
                parts.append(chunk)
                size += len(chunk)
            buffers.appendleft(b"".join(parts))
        chunk = buffers[0]
        sent = self._sigint_safe_send(self._sock, chunk)
        buffers.popleft()
        if sent < len(chunk):
            buffers.appendleft(chunk[sent:])
        self._tx_buffered_byte_count -= sent


def install() -> None:
    """Idempotent; affects every pika connection of the process (same bytes, fewer sends)."""
    global _installed
    if _installed:
        return
    io_services_utils._AsyncPlaintextTransport._produce = _produce_joined
    _installed = True
