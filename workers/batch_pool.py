"""Threads that take work from one queue in batches: one hand-off per batch, not per message.

A worker thread takes a fair share of what is waiting (all of it split over the threads, at most
`max_batch`), so a long backlog goes in large batches (fewer hand-offs, one store transaction per
batch) while a handful of slow messages still spread over every thread, one each. `min_batch`
(set by the consumer while the handlers are fast) lets a thread take that many even when the
fair share is smaller: with handlers of a fraction of a millisecond, spreading a few messages
over every thread only multiplies the per-batch costs (wake-ups, transactions, acks).

Group commit (while the handlers are fast, `min_batch` > 1): a trickle of messages (an open loop
of agent messages, a few hundred a second) would otherwise find an idle thread each, one batch
and one store transaction per message, however busy the machine. Instead, while a batch is
running, what arrives waits for it and the next batch takes all of it: one thread at a time, as
the store's writer thread commits whatever queued up meanwhile. The busier the machine, the
longer a batch takes and the larger the next one, so the cost per message falls as the load
rises. Another thread starts anyway once `min_batch` messages wait (a backlog: every thread works,
as before) or the oldest has waited `group_wait_s` (a batch that runs long, e.g. waiting on a
lock, never holds the others back for longer than that).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

from shared.logs import get_logger

T = TypeVar("T")
log = get_logger("workers.batch_pool")

# How long a message may wait for the running batch before another thread takes it (group commit).
GROUP_WAIT_S = 0.010


class BatchPool(Generic[T]):
    def __init__(
        self,
        threads: int,
        max_batch: int,
        run: Callable[[list[T]], None],
        name: str,
        *,
        group_wait_s: float = GROUP_WAIT_S,
    ) -> None:
        self.threads = threads
        self.max_batch = max_batch
        self.min_batch = 1
        self.group_wait_s = group_wait_s
        self.run = run
        # (when it was queued, item)
        self._q: deque[tuple[float, T]] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._running = 0  # batches being run
        self._workers = [
            threading.Thread(target=self._loop, name=f"{name}-{i}", daemon=True) for i in range(threads)
        ]
        for t in self._workers:
            t.start()

    def put_many(self, items: list[T]) -> None:
        now = time.monotonic()
        with self._cond:
            if self._closed:
                raise RuntimeError("the pool is shut down")
            self._q.extend((now, item) for item in items)
            # As many threads as there are batches to take: an extra wake-up finds nothing.
            self._cond.notify(min(-(-len(self._q) // self.min_batch), self.threads))

    def _grouping(self) -> float:
        """How long the queue should still wait for the running batch (0: take it now)."""
        if self.min_batch <= 1 or not self._running or len(self._q) >= self.min_batch or self._closed:
            return 0.0
        return self._q[0][0] + self.group_wait_s - time.monotonic()

    def _take(self, finished: bool) -> list[T] | None:
        with self._cond:
            if finished:
                self._running -= 1
            while True:
                if not self._q:
                    if self._closed:
                        return None
                    self._cond.wait()
                    continue
                wait = self._grouping()
                if wait <= 0:
                    break
                self._cond.wait(wait)
            share = -(-len(self._q) // self.threads)  # ceil
            n = max(1, min(self.max_batch, max(share, self.min_batch), len(self._q)))
            self._running += 1
            return [self._q.popleft()[1] for _ in range(n)]

    def _loop(self) -> None:
        finished = False
        while (batch := self._take(finished)) is not None:
            finished = True
            try:
                self.run(batch)
            except Exception as exc:  # run() settles its own items; never let a bug kill a thread
                log.error("batch_failed", error=repr(exc))

    def shutdown(self, wait: bool = True) -> None:
        """Finish what is queued, then stop the threads."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if wait:
            for t in self._workers:
                t.join()
