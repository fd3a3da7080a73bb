"""`SlowRuns`: a first delivery whose handler runs long gets its `processing` written after all,
so the status API shows it running (docs/workers.md, "Group commit"); a rules batch otherwise goes
from `queued` to `completed` in one write."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from shared.logs import get_logger
from workers.stages.batch import Work

log = get_logger("workers.stages.batch")

# A first delivery's handler still running after this long gets its `processing` written.
PROCESSING_AFTER_S = 0.5


class SlowRuns:
    """Writes `processing` (through `start`) for first deliveries whose handler runs past
    `after_s`: a rules batch otherwise goes from `queued` to `completed` in one write. One thread
    per rules stage, asleep while no handler runs.

    Handlers of a busy pool start one after the other, a fraction of a millisecond each, and
    `watch` must not wake this thread for each of them (that was a thread switch per task): the
    thread wakes at the deadline of the oldest handler it knew of, and only one asleep without a
    deadline (nothing ran for `after_s`) is woken by `watch`."""

    def __init__(self, start: Callable[[list[Work]], None], after_s: float = PROCESSING_AFTER_S) -> None:
        self.start = start
        self.after_s = after_s
        self._running: dict[int, tuple[float, Work]] = {}
        # Held during a `processing` write: the batch's write then knows (`Work.started`) whether it counted.
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._asleep = False

    def watch(self, w: Work) -> None:
        if w.started:
            return
        with self._cond:
            self._running[id(w)] = (time.monotonic(), w)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="slow-runs", daemon=True)
                self._thread.start()
            if self._asleep:
                self._asleep = False
                self._cond.notify()

    def unwatch(self, w: Work) -> None:
        with self._cond:
            self._running.pop(id(w), None)

    def _loop(self) -> None:
        while True:
            with self._cond:
                if not self._running:
                    # Nothing runs: wait one period before sleeping without a deadline. A handler
                    # that starts meanwhile is due at the earliest when the period ends.
                    self._cond.wait(self.after_s)
                    if not self._running:
                        self._asleep = True
                        while self._asleep:
                            self._cond.wait()
                    continue
                oldest = min(t for t, _ in self._running.values())
                wait = oldest + self.after_s - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                now = time.monotonic()
                due = [w for t, w in self._running.values() if now - t >= self.after_s]
                for w in due:
                    self._running.pop(id(w), None)
                try:
                    self.start(due)
                except Exception as exc:  # the batch's write still counts the attempt
                    log.warning("processing_not_stored", error=repr(exc))
