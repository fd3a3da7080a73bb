"""Task type → handler, filled by a decorator (like dramatiq's `declare_actor`).

A handler is a plain function `(ctx: TaskContext, payload: <PayloadModel>) -> dict` with no pika
inside: it gets a validated payload and returns the result that is stored for the task.
Raise `PermanentError` for input that can never succeed (dead-lettered at once); any other
exception counts as transient and is retried with delay.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from shared.catalog import BY_TYPE, VHOSTS

if TYPE_CHECKING:
    from workers.context import TaskContext

HandlerFn = Callable[["TaskContext", Any], dict[str, Any]]
# (task_id, stored result) -> the answer sent to a request's `reply_to` (RabbitMQ direct reply-to)
ReplyFn = Callable[[str, dict[str, Any]], dict[str, Any]]

DEFAULT_MODULES = tuple(f"workers.handlers.{domain}" for domain in VHOSTS)


class HandlerNotFound(LookupError):
    """No handler for this domain/task type: a permanent error for the message."""


class PermanentError(Exception):
    """The task can never succeed as sent; dead-letter it now instead of retrying."""


@dataclass(frozen=True)
class Handler:
    domain: str
    task_type: str
    fn: HandlerFn
    payload_model: type[BaseModel]
    reply: ReplyFn | None = None


_REGISTRY: dict[tuple[str, str], Handler] = {}


def handler(
    domain: str, task_type: str, *, override: bool = False, reply: ReplyFn | None = None
) -> Callable[[HandlerFn], HandlerFn]:
    """`reply`: for a task type whose publisher waits for an answer (`reply_to`), what to send
    once the task's result is stored and its alerts are settled."""
    key = (domain, task_type)
    if key not in BY_TYPE:
        raise ValueError(f"{domain}.{task_type} is not a task type of the contract")

    def register(fn: HandlerFn) -> HandlerFn:
        existing = _REGISTRY.get(key)
        # The same function defined again (a module reloaded) replaces itself; anything else
        # needs override=True so two modules cannot silently fight over a task type.
        same = existing is not None and _qualname(existing.fn) == _qualname(fn)
        if existing is not None and not override and not same:
            raise ValueError(
                f"a handler for {domain}.{task_type} is already registered ({_qualname(existing.fn)})"
            )
        _REGISTRY[key] = Handler(domain, task_type, fn, BY_TYPE[key].payload_model, reply)
        return fn

    return register


def _qualname(fn: HandlerFn) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def get_handler(domain: str, task_type: str) -> Handler:
    try:
        return _REGISTRY[(domain, task_type)]
    except KeyError:
        raise HandlerNotFound(f"no handler for task type {domain}.{task_type!s}") from None


def load_handlers(
    modules: list[str] | tuple[str, ...] = DEFAULT_MODULES, extra: list[str] | tuple[str, ...] = ()
) -> None:
    """Import handler modules; `extra` modules load last and may override (tests, extensions)."""
    for name in (*modules, *extra):
        importlib.import_module(name)
