"""The task store's tables, statuses and engine (SQLite or PostgreSQL).

Status never moves backwards, whatever order updates arrive in. Each status update carries a
`progress` number and is applied with `UPDATE ... WHERE progress < :new` (atomic on both
databases), so a late "processing" from a duplicate delivery can never overwrite "completed":

    progress = generation * GEN + stage
    stage    = 0 for queued
             = 2 * attempt_key     for processing   (attempt_key grows with every delivery
             = 2 * attempt_key + 1 for retrying      and every delayed retry of the message)
             = GEN - 1             for completed, failed, dead_lettered (terminal)

`generation` only grows when an operator replays a dead-lettered task (workers.replay).

This module imports nothing else of the store: the migrations (`shared.store.upgrade`, Alembic's
`env.py`) read the tables from here.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine

GEN = 10**12
TERMINAL_STAGE = GEN - 1

STATUSES = ("queued", "processing", "retrying", "completed", "failed", "dead_lettered")
TERMINAL = frozenset({"completed", "failed", "dead_lettered"})
DELIVERY_STATES = ("pending", "delivered", "failed")

metadata = sa.MetaData()

_json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# A task created without its payload (tests, old rows) keeps SQL NULL rather than JSON 'null'.
_json_or_null = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")

tasks = sa.Table(
    "tasks",
    metadata,
    sa.Column("task_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(200), nullable=False),
    sa.Column("domain", sa.String(32), nullable=False),
    sa.Column("task_type", sa.String(32), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("progress", sa.BigInteger, nullable=False, default=0),
    sa.Column("generation", sa.Integer, nullable=False, default=0),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("result", _json, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("idempotency_key", sa.String(255), nullable=True),
    sa.Column("request_hash", sa.String(64), nullable=True),
    sa.Column("correlation_id", sa.String(200), nullable=True),
    # The validated request payload as the envelope carries it, for the /ops task page (masked
    # there). Never part of the status API; deleted with its row by retention.
    sa.Column("payload", _json_or_null, nullable=True),
    sa.UniqueConstraint("tenant_id", "idempotency_key", name="uq_tasks_tenant_idempotency"),
)
# Retention (shared.retention) looks finished tasks up by status and age.
sa.Index("ix_tasks_status_updated_at", tasks.c.status, tasks.c.updated_at)
# Every column but the payload: status reads and write checks never need it, and an ingestion
# payload can weigh megabytes.
TASK_COLUMNS = tuple(c for c in tasks.c if c.name != "payload")

task_alerts = sa.Table(
    "task_alerts",
    metadata,
    sa.Column("task_id", sa.String(36), primary_key=True),
    sa.Column("alert_key", sa.String(200), primary_key=True),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("severity", sa.String(20), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("body", _json, nullable=False),
    sa.Column("delivery", sa.String(20), nullable=False, default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("backend_alert_id", sa.String(200), nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("parked", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
# The /ops console's reads (api/ops/health.py, api/ops/queries.py; migration 0005).
sa.Index("ix_tasks_created_at", tasks.c.created_at)
sa.Index("ix_tasks_tenant_created_at", tasks.c.tenant_id, tasks.c.created_at)
sa.Index("ix_tasks_tenant_status_updated_at", tasks.c.tenant_id, tasks.c.status, tasks.c.updated_at)
sa.Index("ix_task_alerts_delivery_updated_at", task_alerts.c.delivery, task_alerts.c.updated_at)

# The agent conversation's memory (shared/store/conversations.py, docs/agent-message.md): one row
# per clinico.mensagem task read by a worker, and the open alert episode per finding.
_plain_json = sa.JSON()
conversation_messages = sa.Table(
    "conversation_messages",
    metadata,
    sa.Column("task_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(200), nullable=False),
    sa.Column("conversation_id", sa.String(200), nullable=False),
    sa.Column("message_id", sa.String(200), nullable=True),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("pain_score", sa.Float, nullable=True),
    sa.Column("temperature_c", sa.Float, nullable=True),
    sa.Column("intensities", _plain_json, nullable=True),
    sa.Column("symptoms", _plain_json, nullable=True),
    sa.Column("followup_question", sa.Text, nullable=True),
)
sa.Index(
    "ix_conversation_messages_conversation",
    conversation_messages.c.tenant_id,
    conversation_messages.c.conversation_id,
    conversation_messages.c.received_at,
)

alert_episodes = sa.Table(
    "alert_episodes",
    metadata,
    sa.Column("tenant_id", sa.String(200), primary_key=True),
    sa.Column("conversation_id", sa.String(200), primary_key=True),
    sa.Column("episode_key", sa.String(200), primary_key=True),
    sa.Column("severity", sa.String(20), nullable=False),
    sa.Column("task_id", sa.String(36), nullable=False),
    sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("joined", _plain_json, nullable=False),
)


def now() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _json_dumps(value: Any) -> str:
    # orjson: several times faster than json.dumps, and it passes an `orjson.Fragment` (JSON
    # encoded already: the API's payload, which also goes into the message) through as it is.
    # An integer past 64 bits (a bulk ingestion record may carry one) is json's to encode.
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False)


def make_engine(url: str, *, pool_size: int = 8) -> Engine:
    """`pool_size` (PostgreSQL): connections kept open. A worker sizes it to its rules threads,
    which each keep one to write their batches (`Store(pool_size=...)`)."""
    # hide_parameters: a database error's text never quotes the row it was writing (patient data
    # would reach a log or a traceback; docs/security.md).
    if url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; accept the plain URL operators write.
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            pool_size=16,
            max_overflow=16,
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
            hide_parameters=True,
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(
        url,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=8,
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
        hide_parameters=True,
    )
