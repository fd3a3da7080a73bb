"""Headers and properties of a message sent on again: a retry, a dead-lettered copy, a replay, the
hand-off to the LLM stage. One place, so the worker and the replay (`shared/replay.py`, used by
`python -m workers.replay` and the /ops console) strip the same headers.

The broker's own bookkeeping (`x-delivery-count`, `x-death`, ...) describes the old copy; carried
over, it would count the new copy's deliveries against the old one's delivery limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pika

from shared import topology

BROKER_HEADERS = (
    "x-delivery-count",
    "x-death",
    "x-first-death-exchange",
    "x-first-death-queue",
    "x-first-death-reason",
    "x-last-death-exchange",
    "x-last-death-queue",
    "x-last-death-reason",
)
# What a replayed message must not carry: it starts afresh as a new generation.
REPLAY_DROPPED = (
    *BROKER_HEADERS,
    topology.H_RETRY_COUNT,
    topology.H_DEAD_LETTER_AT,
    topology.H_ORIGINAL_TYPE,
    "x-last-error",
)


def headers_without(
    headers: Mapping[str, Any] | None, drop: Iterable[str], *, prefix: str | None = None
) -> dict[str, Any]:
    dropped = set(drop)
    return {
        k: v
        for k, v in (headers or {}).items()
        if k not in dropped and not (prefix is not None and k.startswith(prefix))
    }


def replay_headers(headers: Mapping[str, Any] | None) -> dict[str, Any]:
    return headers_without(headers, REPLAY_DROPPED, prefix="x-dead-letter")


def republish_properties(
    props: Any,
    extra: Mapping[str, Any],
    *,
    keep_broker_headers: bool = False,
    headers: Mapping[str, Any] | None = None,
) -> pika.BasicProperties:
    """The properties of `props` (persistent) with `extra` headers added. `headers` replaces the
    original headers when given; otherwise the broker's are dropped unless asked to keep them
    (a dead-lettered copy keeps them: they tell the operator what happened)."""
    if headers is None:
        original = getattr(props, "headers", None) or {}
        headers = dict(original) if keep_broker_headers else headers_without(original, BROKER_HEADERS)
    merged = {**headers, **extra}
    return pika.BasicProperties(
        content_type=getattr(props, "content_type", None) or "application/json",
        content_encoding=getattr(props, "content_encoding", None),
        delivery_mode=2,
        message_id=getattr(props, "message_id", None),
        correlation_id=getattr(props, "correlation_id", None),
        type=getattr(props, "type", None),
        timestamp=getattr(props, "timestamp", None),
        app_id=getattr(props, "app_id", None),
        # A publisher waiting for the answer (direct reply-to) still gets it after a retry or
        # the hand-off to the LLM stage.
        reply_to=getattr(props, "reply_to", None),
        headers=merged,
    )


def short(text: str, limit: int = 1000) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
