"""The task store's schema as `metadata.create_all` made it before migrations existed (frozen copy
of shared/store.py at commit f1f8317): what a database in the field looks like before its first
`python -m shared.migrate`."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

legacy_metadata = sa.MetaData()

_json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

legacy_tasks = sa.Table(
    "tasks",
    legacy_metadata,
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
    sa.UniqueConstraint("tenant_id", "idempotency_key", name="uq_tasks_tenant_idempotency"),
)

legacy_task_alerts = sa.Table(
    "task_alerts",
    legacy_metadata,
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
