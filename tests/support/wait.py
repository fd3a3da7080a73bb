"""Polling with a deadline: the only way tests wait for something."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T], *, timeout: float = 10.0, interval: float = 0.05, message: str = "condition"
) -> T:
    """Call `predicate` until it returns something truthy; return that value or fail at the deadline."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    last_exc: Exception | None = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            last_exc = None
            if last:
                return last
        except Exception as exc:  # the thing polled may not exist yet
            last_exc = exc
        time.sleep(interval)
    raise AssertionError(
        f"timed out after {timeout}s waiting for {message}; last value {last!r}"
        + (f", last error {last_exc!r}" if last_exc else "")
    )
