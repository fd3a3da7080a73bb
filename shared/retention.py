"""Retention of finished tasks (docs/scale-out.md, LGPD): delete what is no longer needed.

    python -m shared.retention            delete finished tasks older than TASK_RETENTION_DAYS
    python -m shared.retention --dry-run  only count what would be deleted

A task is purged when its status is final (completed, failed, dead_lettered), it last changed more
than TASK_RETENTION_DAYS days ago, and none of its alerts is still waiting for delivery (pending,
parked or not). Its alerts go with it (and, for an agent message, the conversation's memory of it;
alert episodes last alerted before the cutoff go too), and its status URL answers 404 from then
on. A task kept for an undelivered alert is purged by a later run once the alert is delivered or
has failed.
`python -m workers` runs this every hour; TASK_RETENTION_DAYS=0 turns it off.

Deletes run in small batches, one short transaction each, so the API and the workers writing to
the same database are never held up for long.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from shared.config import Settings, get_settings
from shared.logs import get_logger
from shared.store.schema import (
    TERMINAL,
    alert_episodes,
    conversation_messages,
    make_engine,
    now,
    task_alerts,
    tasks,
)
from shared.store.upgrade import upgrade_engine
from shared.store.writer import write_lock

log = get_logger("shared.retention")

INTERVAL_S = 3600.0
RETRY_AFTER_FAILURE_S = 300.0
BATCH = 500


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    dry_run: bool
    tasks: int
    alerts: int
    kept_undelivered: int

    def describe(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        return (
            f"{verb} {self.tasks} finished task(s) last updated before {self.cutoff:%Y-%m-%d %H:%M} UTC "
            f"and their {self.alerts} alert(s); kept {self.kept_undelivered} with an alert "
            "still waiting for delivery"
        )


def _undelivered() -> sa.ColumnElement[bool]:
    return (
        sa.select(task_alerts.c.task_id)
        .where(task_alerts.c.task_id == tasks.c.task_id, task_alerts.c.delivery == "pending")
        .exists()
    )


def _finished_before(cutoff: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(tasks.c.status.in_(sorted(TERMINAL)), tasks.c.updated_at < cutoff)


def _count(conn: Connection, where: sa.ColumnElement[bool]) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(tasks).where(where)).scalar_one())


def _purge_batch(conn: Connection, cutoff: datetime, batch_size: int) -> tuple[int, int]:
    eligible = sa.and_(_finished_before(cutoff), ~_undelivered())
    ids = list(conn.execute(sa.select(tasks.c.task_id).where(eligible).limit(batch_size)).scalars())
    if not ids:
        return 0, 0
    # The conditions again in the DELETE: an alert registered since the SELECT keeps its task.
    deleted = list(
        conn.execute(
            sa.delete(tasks).where(tasks.c.task_id.in_(ids), eligible).returning(tasks.c.task_id)
        ).scalars()
    )
    alerts = 0
    if deleted:
        alerts = conn.execute(sa.delete(task_alerts).where(task_alerts.c.task_id.in_(deleted))).rowcount
        # What the agent conversation remembered of those messages goes with them.
        conn.execute(sa.delete(conversation_messages).where(conversation_messages.c.task_id.in_(deleted)))
    return len(deleted), max(alerts, 0)


def purge(engine: Engine, cutoff: datetime, *, dry_run: bool = False, batch_size: int = BATCH) -> PurgeReport:
    finished = _finished_before(cutoff)
    with engine.connect() as conn:
        kept = _count(conn, sa.and_(finished, _undelivered()))
        if dry_run:
            eligible = sa.and_(finished, ~_undelivered())
            n_tasks = _count(conn, eligible)
            n_alerts = int(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(task_alerts)
                    .where(task_alerts.c.task_id.in_(sa.select(tasks.c.task_id).where(eligible)))
                ).scalar_one()
            )
            return PurgeReport(cutoff, True, n_tasks, n_alerts, kept)
    total_tasks = total_alerts = 0
    lock = write_lock(engine)
    try:
        while True:
            with lock or contextlib.nullcontext(), engine.begin() as conn:
                n_tasks, n_alerts = _purge_batch(conn, cutoff, batch_size)
            total_tasks += n_tasks
            total_alerts += n_alerts
            if n_tasks < batch_size:
                break
        with lock or contextlib.nullcontext(), engine.begin() as conn:
            # Episodes last alerted before the cutoff are long closed (ALERT_EPISODE_WINDOW_S).
            conn.execute(sa.delete(alert_episodes).where(alert_episodes.c.alerted_at < cutoff))
    finally:
        if lock is not None:
            lock.close()
    return PurgeReport(cutoff, False, total_tasks, total_alerts, kept)


def run(settings: Settings, *, dry_run: bool = False, days: int | None = None) -> PurgeReport | None:
    """One purge with the settings' database and retention; None when retention is off."""
    days = settings.task_retention_days if days is None else days
    if days <= 0:
        return None
    engine = make_engine(settings.database_url)
    try:
        upgrade_engine(engine)  # a supervisor may start before anything created the tables
        return purge(engine, now() - timedelta(days=days), dry_run=dry_run)
    finally:
        engine.dispose()


class HourlyPurge(threading.Thread):
    """The worker supervisor's purge: once at start, then every INTERVAL_S, until stopped."""

    def __init__(self, settings: Settings, interval_s: float = INTERVAL_S) -> None:
        super().__init__(name="retention", daemon=True)
        self.settings = settings
        self.interval_s = interval_s
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            wait = self.interval_s
            try:
                report = run(self.settings)
                if report is not None:
                    log.info(
                        "retention_purge",
                        tasks=report.tasks,
                        alerts=report.alerts,
                        kept_undelivered=report.kept_undelivered,
                        cutoff=report.cutoff.isoformat(),
                    )
            except Exception:
                # The database may be down for a while: try again sooner than the next hour.
                log.exception("retention_purge_failed")
                wait = min(self.interval_s, RETRY_AFTER_FAILURE_S)
            self.stopped.wait(wait)

    def stop(self) -> None:
        self.stopped.set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shared.retention",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
    parser.add_argument("--days", type=int, default=None, help="default: TASK_RETENTION_DAYS")
    args = parser.parse_args(argv)
    settings = get_settings()
    try:
        report = run(settings, dry_run=args.dry_run, days=args.days)
    except sa.exc.SQLAlchemyError as exc:
        print(f"retention failed: {exc}", file=sys.stderr)
        return 1
    if report is None:
        print("retention is off (TASK_RETENTION_DAYS=0): nothing deleted")
        return 0
    print(report.describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
