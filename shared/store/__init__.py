"""Task store: tasks, their status history position and their alerts (SQLite or PostgreSQL).

    schema       tables, `metadata`, statuses, `make_engine` (all the migrations import)
    upgrade      Alembic migrations, run by every process opening a `Store` (and `shared.migrate`)
    writer       the writer thread (group commit) and the cross-process SQLite write lock
    tasks        task creation (idempotent), the publish-unconfirmed mark, reads
    transitions  forward-only status moves, batch writes, LLM enrichment, replay
    batches      a rules batch's statuses, results and alerts in one transaction
    alerts       alert rows and their delivery state
    facade       `Store`, the object the API and the workers hold

The tables themselves are imported from `shared.store.schema` (`shared.store.tasks` is the
module of task rows, not the table).
"""

from shared.store.batches import BatchAnswer, BatchTask, TaskState
from shared.store.facade import Store
from shared.store.schema import (
    DELIVERY_STATES,
    GEN,
    STATUSES,
    TERMINAL,
    TERMINAL_STAGE,
    make_engine,
    metadata,
    now,
)
from shared.store.tasks import PUBLISH_UNCONFIRMED, CreateOutcome, publish_unconfirmed
from shared.store.transitions import progress_for
from shared.store.writer import StoreUnavailable

__all__ = [
    "DELIVERY_STATES",
    "GEN",
    "PUBLISH_UNCONFIRMED",
    "STATUSES",
    "TERMINAL",
    "TERMINAL_STAGE",
    "BatchAnswer",
    "BatchTask",
    "CreateOutcome",
    "Store",
    "StoreUnavailable",
    "TaskState",
    "make_engine",
    "metadata",
    "now",
    "progress_for",
    "publish_unconfirmed",
]
