"""conversations: earlier messages of a conversation and open alert episodes

Revision ID: 0004
Revises: 0005
Create Date: 2026-12-06

It comes after 0005 (the /ops console's indexes), which landed first: a database already at 0005
gets this one next, and there is one head.

`conversation_messages` lets SCORE_CHANGE, SYMPTOM_WORSENING and NO_RESPONSE look at what a
conversation said before; `alert_episodes` keeps one alert per episode (docs/agent-message.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_messages",
        sa.Column("task_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(200), nullable=False),
        sa.Column("conversation_id", sa.String(200), nullable=False),
        sa.Column("message_id", sa.String(200), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pain_score", sa.Float, nullable=True),
        sa.Column("temperature_c", sa.Float, nullable=True),
        sa.Column("intensities", sa.JSON(), nullable=True),
        sa.Column("symptoms", sa.JSON(), nullable=True),
        sa.Column("followup_question", sa.Text, nullable=True),
    )
    op.create_index(
        "ix_conversation_messages_conversation",
        "conversation_messages",
        ["tenant_id", "conversation_id", "received_at"],
    )
    op.create_table(
        "alert_episodes",
        sa.Column("tenant_id", sa.String(200), primary_key=True),
        sa.Column("conversation_id", sa.String(200), primary_key=True),
        sa.Column("episode_key", sa.String(200), primary_key=True),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("task_id", sa.String(36), nullable=False),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("joined", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("alert_episodes")
    op.drop_index("ix_conversation_messages_conversation", table_name="conversation_messages")
    op.drop_table("conversation_messages")
