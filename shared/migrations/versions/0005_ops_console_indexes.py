"""indexes for the /ops console: tasks by age, by tenant, alerts by delivery state

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-06

The console home page counts the last hour's tasks per minute and per tenant, and lists alerts
that wait or failed (docs/operations.md); with these, each of its queries reads an index range
instead of the whole table (bench/ops_console.py measures it with 100,000 tasks).

(0004 is reserved for another change: whichever lands second points its down_revision at the
other, keeping one head.)
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tasks_created_at", "tasks", ["created_at"])
    op.create_index("ix_tasks_tenant_created_at", "tasks", ["tenant_id", "created_at"])
    op.create_index("ix_tasks_tenant_status_updated_at", "tasks", ["tenant_id", "status", "updated_at"])
    op.create_index("ix_task_alerts_delivery_updated_at", "task_alerts", ["delivery", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_task_alerts_delivery_updated_at", table_name="task_alerts")
    op.drop_index("ix_tasks_tenant_status_updated_at", table_name="tasks")
    op.drop_index("ix_tasks_tenant_created_at", table_name="tasks")
    op.drop_index("ix_tasks_created_at", table_name="tasks")
