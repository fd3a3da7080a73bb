"""`PUBLISH_TIMEOUT_S` for the broker's confirms with one event-loop timer per 50 ms of deadlines,
not an `asyncio.timeout` per publish (docs/operations.md, "api-cpu11").

`asyncio.timeout` costs every publish a `Timeout` object, two context-manager calls and a timer
handle scheduled and cancelled on the loop (about 3 us of CPU a publish under uvloop, some 3 % of
the API's instructions per accepted task). Here a confirm future joins the set of its grain (its
deadline rounded up to the next 50 ms), one timer per grain cancels what is still pending in it,
and a settled future leaves its set at once (its done callback). The awaiting request then gets
`TimeoutError`, as from `asyncio.timeout`; a cancellation of the request's own task stays a
cancellation. A deadline is never earlier than the timeout: 5 s becomes 5.00-5.05 s.

The tenth session measured this and did not merge it: runs under valgrind ended with a few 503s
that were not explained. They came from api/confirmed.py (a message appended to a frame aiormq's
writer had already written, after its heartbeat woke it), on main as well; that is fixed and
tested there.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any, TypeVar

GRAIN_S = 0.05
_EXPIRED = "gateway.publish_deadline"

T = TypeVar("T")


class Deadlines:
    """The pending confirms of one event loop, by the grain of their deadline."""

    __slots__ = ("_grains", "loop")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._grains: dict[int, set[asyncio.Future[Any]]] = {}

    def watch(self, fut: asyncio.Future[Any], timeout_s: float) -> None:
        """Cancel `fut` if it is still pending `timeout_s` from now (or up to one grain later)."""
        key = math.ceil((self.loop.time() + timeout_s) / GRAIN_S)
        grain = self._grains.get(key)
        if grain is None:
            grain = self._grains[key] = set()
            self.loop.call_at(key * GRAIN_S, self._expire, key)
        grain.add(fut)
        fut.add_done_callback(grain.discard)

    def _expire(self, key: int) -> None:
        for fut in list(self._grains.pop(key, ())):
            fut.cancel(_EXPIRED)

    def pending(self) -> int:
        """Futures watched and not settled yet (for tests)."""
        return sum(len(grain) for grain in self._grains.values())


async def within(deadlines: Deadlines, fut: asyncio.Future[T], timeout_s: float) -> T:
    """`await fut`, or `TimeoutError` once its deadline passed, as `asyncio.timeout` would."""
    deadlines.watch(fut, timeout_s)
    try:
        return await fut
    except asyncio.CancelledError as exc:
        task = asyncio.current_task()
        if exc.args[:1] == (_EXPIRED,) and (task is None or task.cancelling() == 0):
            raise TimeoutError from None
        raise
