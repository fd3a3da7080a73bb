"""What a stage decides for one delivery; the consumer carries it out on the transport.

    Ack         the task is done (or was already): ack, after sending `reply` to a waiting publisher;
                with `after`, the reply goes out at once and the ack waits for those futures (the
                task's alerts: delivered, failed for good or parked, its follow-up confirmed); one
                that fails requeues it; `then` starts once the reply is out (the follow-up)
    Requeue     nack with requeue: nothing was recorded that a second run would trip over
    Retry       publish to the delay queue for `delay_s` with the retry count, then ack
    DeadLetter  publish to the dead-letter exchange with the reason, then ack
    Forward     publish the same message to `queue` (the LLM stage's), then ack

Every publish is confirmed before the ack, so a message is never lost between the two
(docs/workers.md).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Ack:
    note: str = "completed"
    # The answer for the publisher's `reply_to`, when the task type has one (see registry.ReplyFn).
    reply: dict[str, Any] | None = None
    # What must settle before the ack (the alerts on their way to the backend): the stored result
    # is durable already, so the reply does not wait for them (docs/agent-message.md).
    after: tuple[Future[Any], ...] = ()
    # Broker work to start once the reply is on its way (a follow-up's confirmed publish: on the
    # connection thread it would hold the reply back behind its confirm); `after` waits for it.
    then: tuple[Callable[[], None], ...] = ()


@dataclass(frozen=True)
class Requeue:
    note: str


@dataclass(frozen=True)
class Retry:
    delay_s: int
    retry_count: int
    error: str


@dataclass(frozen=True)
class DeadLetter:
    reason: str
    detail: str


@dataclass(frozen=True)
class Forward:
    """Publish the same message to `queue` (confirmed), then ack: the LLM stage takes over."""

    queue: str
    headers: dict[str, Any] = field(default_factory=dict)
    reply: dict[str, Any] | None = None


Outcome = Ack | Requeue | Retry | DeadLetter | Forward
