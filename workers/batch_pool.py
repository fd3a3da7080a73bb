"""Threads that take work from one queue in batches: one hand-off per batch, not per message.

A worker thread takes a fair share of what is waiting (all of it split over the threads, at most
`max_batch`), so a long backlog goes in large batches (fewer hand-offs, one store transaction per
batch) while a handful of slow messages still spread over every thread, one each. `min_batch`
(set by the consumer while the handlers are fast) lets a thread take that many even when the
fair share is smaller: with handlers of a fraction of a millisecond, spreading a few messages
over every thread only multiplies the per-batch costs (wake-ups, transactions, acks).
"""

from __future__ import annotations

import threading
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
        self.run = run
        self._q: deque[T] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._workers = [
            threading.Thread(target=self._loop, name=f"{name}-{i}", daemon=True) for i in range(threads)
        ]
        for t in self._workers:
            t.start()

    def put_many(self, items: list[T]) -> None:
        with self._cond:
            if self._closed:
                raise RuntimeError("the pool is shut down")
            self._q.extend(items)
            # As many threads as there are batches to take: an extra wake-up finds nothing.
            self._cond.notify(min(-(-len(self._q) // self.min_batch), self.threads))

    def _take(self) -> list[T] | None:
        with self._cond:
            while not self._q:
                if self._closed:
                    return None
                self._cond.wait()
            share = -(-len(self._q) // self.threads)  # ceil
            n = max(1, min(self.max_batch, max(share, self.min_batch), len(self._q)))
            return [self._q.popleft() for _ in range(n)]

    def _loop(self) -> None:
        while (batch := self._take()) is not None:
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
