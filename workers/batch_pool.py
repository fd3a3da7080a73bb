"""Threads that take work from one queue in batches: one hand-off per batch, not per message.

A worker thread takes a fair share of what is waiting (all of it split over the threads, at most
`max_batch`), so a long backlog goes in large batches (fewer hand-offs, one store transaction per
batch) while a handful of slow messages still spread over every thread, one each. `min_batch`
(set by the consumer while the handlers are fast) lets a thread take that many even when the
fair share is smaller: with handlers of a fraction of a millisecond, spreading a few messages
over every thread only multiplies the per-batch costs (wake-ups, transactions, acks).
`active` (also set by the consumer while the handlers are fast) caps how many threads run a
batch at once: eight threads each holding a sixteenth of the prefetch trade the GIL at every
store round trip and cut the backlog into small batches; two or three at a time keep the store's
waits overlapped with the handlers of another batch and take the backlog in larger batches
(docs/workers.md, "Fast handlers").
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


class BatchPool(Generic[T]):
    def __init__(self, threads: int, max_batch: int, run: Callable[[list[T]], None], name: str) -> None:
        self.threads = threads
        self.max_batch = max_batch
        self.min_batch = 1
        # Threads allowed to run a batch at once (all of them unless the consumer says otherwise).
        self._active = threads
        self._busy = 0
        self.gather_s = 0.005
        self.run = run
        self._q: deque[T] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._workers = [
            threading.Thread(target=self._loop, name=f"{name}-{i}", daemon=True) for i in range(threads)
        ]
        for t in self._workers:
            t.start()

    @property
    def active(self) -> int:
        return self._active

    @active.setter
    def active(self, n: int) -> None:
        if n == self._active:
            return
        with self._cond:
            self._active = max(1, n)
            self._cond.notify_all()  # threads held back by the old cap may take a batch now

    def put_many(self, items: list[T]) -> None:
        with self._cond:
            if self._closed:
                raise RuntimeError("the pool is shut down")
            self._q.extend(items)
            # As many threads as there are batches to take: an extra wake-up finds nothing.
            free = max(0, min(self._active, self.threads) - self._busy)
            self._cond.notify(min(-(-len(self._q) // self.min_batch), free))

    def _take(self, done: bool) -> list[T] | None:
        """The next batch; `done`: this thread just finished one (its slot is free again)."""
        with self._cond:
            if done:
                self._busy -= 1
            deadline: float | None = None
            while True:
                if self._q and (self._busy < self._active or self._closed):
                    # Fast handlers and another batch under way: a little longer for a full
                    # batch, since the broker refills the prefetch as that batch's acks go out.
                    if len(self._q) >= self.min_batch or not self._busy or self._closed:
                        break
                    now = time.monotonic()
                    deadline = deadline or now + self.gather_s
                    if now >= deadline:
                        break
                    self._cond.wait(deadline - now)
                    continue
                if self._closed and not self._q:
                    return None
                # Nothing waits, or every allowed thread is busy (a queue left on close is
                # finished by whoever is free, whatever `active` says: see the test above).
                self._cond.wait()
            active = min(self._active, self.threads)
            share = -(-len(self._q) // active)  # ceil
            n = max(1, min(self.max_batch, max(share, self.min_batch), len(self._q)))
            self._busy += 1
            batch = [self._q.popleft() for _ in range(n)]
            if self._q and self._busy < active:
                self._cond.notify()  # more is waiting and another thread may run: hand it on
            return batch

    def _loop(self) -> None:
        done = False
        while (batch := self._take(done)) is not None:
            done = True
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
