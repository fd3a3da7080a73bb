"""What the rules stage records when a delivery fails: a retry through the delay queues, a
dead-letter with its reason, or a requeue when the store cannot be written (docs/workers.md,
"The rules stage, per message", step 6).
"""

from __future__ import annotations

import contextlib
from typing import Any

from shared import topology
from shared.config import Settings
from shared.messages import Envelope
from shared.republish import short
from shared.store import Store, StoreUnavailable, progress_for
from workers.stages.batch import Work
from workers.stages.delivery import Rejected, row_for
from workers.stages.outcomes import DeadLetter, Outcome, Requeue, Retry


class Failures:
    """The failure outcomes of `RulesStage`, with their status writes."""

    def __init__(self, settings: Settings, store: Store, log_: Any) -> None:
        self.settings = settings
        self.store = store
        self.log = log_

    def count_attempt(self, rejected: Rejected, attempt_key: int, generation: int) -> None:
        """A delivery refused as invalid is an attempt too (a poison task refused, replayed and
        refused again shows 2), for a task the store has; `dead_letter` records the rest."""
        if rejected.task_id:
            with contextlib.suppress(Exception):  # a malformed id or a store outage must not stop it
                progress = progress_for("processing", attempt_key=attempt_key, generation=generation)
                self.store.transition(rejected.task_id, "processing", progress)

    def store_failed(self, w: Work, exc: Exception) -> Outcome:
        if not isinstance(exc, StoreUnavailable):
            w.log.error("store_write_failed", error=repr(exc))
            return Requeue(f"store write failed: {exc!r}")
        # Nothing can be recorded: retry later through the delay queue without a status.
        return self.retry_or_dead_letter(w, f"task store unavailable: {exc}", record=False)

    def retry_or_dead_letter(self, w: Work, error: str, record: bool = True) -> Outcome:
        task_id, retry_count, generation = w.task_id, w.retry_count, w.generation
        if retry_count >= self.settings.worker_max_retries:
            return self.dead_letter(
                task_id,
                w.parsed.envelope,
                "max_retries_exceeded",
                f"failed {retry_count + 1} times; last error: {error}",
                generation,
                count_attempt=record and not w.started,
            )
        delay = topology.retry_delay_for(retry_count + 1, self.settings.retry_delays)
        if record:
            try:
                self.store.transition(
                    task_id,
                    "retrying",
                    progress_for("retrying", attempt_key=w.attempt_key, generation=generation),
                    error=short(error),
                    count_attempt=not w.started,
                )
            except StoreUnavailable as exc:
                self.log.warning("store_unavailable", task_id=task_id, error=str(exc))
        self.log.info(
            "task_retry_scheduled",
            task_id=task_id,
            retry=retry_count + 1,
            delay_s=delay,
            error=short(error, 300),
        )
        return Retry(delay_s=delay, retry_count=retry_count + 1, error=error)

    def dead_letter(
        self,
        task_id: str | None,
        envelope: Envelope | None,
        reason: str,
        detail: str,
        generation: int = 0,
        *,
        count_attempt: bool = False,
    ) -> DeadLetter:
        self.log.warning("task_dead_lettered", task_id=task_id, reason=reason, detail=short(detail, 300))
        if task_id:
            try:
                # Only a task the store knows (or whose tenant we know) gets a status.
                self.store.transition(
                    task_id,
                    "dead_lettered",
                    progress_for("dead_lettered", generation=generation),
                    error=short(f"{reason}: {detail}"),
                    ensure=row_for(envelope),
                    count_attempt=count_attempt,
                )
            except StoreUnavailable as exc:
                self.log.warning("store_unavailable", task_id=task_id, error=str(exc))
            except Exception as exc:  # a malformed task_id must not stop dead-lettering
                self.log.warning("dead_letter_status_not_recorded", task_id=task_id, error=repr(exc))
        return DeadLetter(reason, detail)
