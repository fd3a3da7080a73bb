"""The conversation memory the agent flow needs beyond one message (docs/agent-message.md).

    conversation_messages  one row per `clinico.mensagem` task the workers read: when it arrived
                           (the API's `created_at`), the pain score, temperature, symptom
                           intensities and findings read, and the follow-up question the reply
                           asked. SCORE_CHANGE and SYMPTOM_WORSENING compare with earlier rows;
                           NO_RESPONSE asks whether a later row exists.
    alert_episodes         per tenant, conversation and finding (`<type>:<code>`): the open
                           episode's severity, the task whose alert opened it and when. A message
                           with the same finding inside ALERT_EPISODE_WINDOW_S joins it instead of
                           alerting again; a higher severity escalates it (a new alert).

Writes go through the task store's single writer (group commit) on SQLite, on the rules
thread's own connection on PostgreSQL; the episode claim is one transaction with the row locked
on PostgreSQL, so two workers handling two messages of the same conversation at once still send
one alert. Migration 0004 creates both tables (shared/store/schema.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from shared.store.batches import RowInsert
from shared.store.facade import Store
from shared.store.schema import alert_episodes, aware, conversation_messages, now, tasks

MAX_JOINED = 50
# Statuses of a task no worker has finished reading: an answer still waiting in `eventos`.
_UNREAD = ("queued", "processing", "retrying")

# (episode row or None, severity, task id, now) -> decision; see conversation_alerts.
Decide = Callable[[dict[str, Any] | None, str, str, datetime], str]


_c, _e = conversation_messages.c, alert_episodes.c
# Built once, with bound parameters: building a statement (and its cache key) per message cost
# more CPU than SQLite took to run it.
_EARLIER = (
    sa.select(conversation_messages)
    .where(
        _c.tenant_id == sa.bindparam("tenant_id"),
        _c.conversation_id == sa.bindparam("conversation_id"),
        _c.received_at < sa.bindparam("before"),
        _c.task_id != sa.bindparam("task_id"),
    )
    .order_by(_c.received_at.desc())
    .limit(50)
)
_EPISODE_WHERE = (
    _e.tenant_id == sa.bindparam("k_tenant_id"),
    _e.conversation_id == sa.bindparam("k_conversation_id"),
    _e.episode_key == sa.bindparam("k_episode_key"),
)
_EPISODE = sa.select(alert_episodes).where(*_EPISODE_WHERE)
_EPISODE_LOCKED = _EPISODE.with_for_update()
_EPISODE_RESET = (
    sa.update(alert_episodes)
    .where(*_EPISODE_WHERE)
    .values(
        severity=sa.bindparam("severity"),
        task_id=sa.bindparam("task_id"),
        alerted_at=sa.bindparam("ts"),
        last_seen_at=sa.bindparam("ts"),
        joined=sa.bindparam("joined", type_=alert_episodes.c.joined.type),
    )
)
_EPISODE_JOIN = (
    sa.update(alert_episodes)
    .where(*_EPISODE_WHERE)
    .values(
        last_seen_at=sa.bindparam("ts"), joined=sa.bindparam("joined", type_=alert_episodes.c.joined.type)
    )
)


class ConversationLog:
    def __init__(self, store: Store) -> None:  # the facade: its writer, pool and statements
        self.store = store
        self._record = store._stmts.insert(conversation_messages).on_conflict_do_nothing()
        # RETURNING rather than rowcount: psycopg reports -1 for INSERT ... ON CONFLICT.
        self._open = (
            store._stmts.insert(alert_episodes)
            .on_conflict_do_nothing()
            .returning(alert_episodes.c.episode_key)
        )

    def record(self, row: dict[str, Any]) -> None:
        """Remember one message (a redelivered task keeps its first row)."""
        self.store._write(self.record_op(row))

    def record_op(self, row: dict[str, Any]) -> Callable[[Connection], None]:
        """`record` as a write for another transaction: the rules stage commits it with the
        task's `completed` status, so a message is remembered exactly when its task is done (the
        rows of a batch's messages in one statement, `RowInsert`)."""
        return RowInsert(self._record, row)

    def earlier(
        self, tenant_id: str, conversation_id: str, before: datetime, task_id: str
    ) -> list[dict[str, Any]]:
        """The conversation's messages that arrived before `before`, newest first (at most 50)."""
        params = {
            "tenant_id": tenant_id,
            "conversation_id": conversation_id,
            "before": before,
            "task_id": task_id,
        }

        def fn(conn: Connection) -> list[dict[str, Any]]:
            rows = conn.execute(_EARLIER, params)
            return [dict(r._mapping) for r in rows]

        # The rules thread's own read connection: no checkout, no pre-ping round trip.
        return self.store._on_thread_conn("read", fn)

    def answered_after(self, tenant_id: str, conversation_id: str, after: datetime, task_id: str) -> bool:
        """Whether a message of the conversation arrived after `after`: read by a worker, or
        accepted by the API and still waiting for one (a backlog must not look like silence)."""
        c = conversation_messages.c

        def fn(conn: Connection) -> bool:
            read = conn.execute(
                sa.select(c.task_id)
                .where(
                    c.tenant_id == tenant_id,
                    c.conversation_id == conversation_id,
                    c.received_at > after,
                    c.task_id != task_id,
                )
                .limit(1)
            ).first()
            if read is not None:
                return True
            waiting = conn.execute(
                sa.select(tasks.c.payload).where(
                    tasks.c.tenant_id == tenant_id,
                    tasks.c.domain == "clinico",
                    tasks.c.task_type == "mensagem",
                    tasks.c.status.in_(_UNREAD),
                    tasks.c.created_at > after,
                    tasks.c.task_id != task_id,
                )
            )
            return any(
                isinstance(p, dict) and conversation_id in (p.get("conversationId"), p.get("conversation_id"))
                for (p,) in waiting
            )

        return self.store._read(fn)

    def claim_episodes(
        self,
        tenant_id: str,
        conversation_id: str,
        task_id: str,
        items: list[tuple[str, str]],
        decide: Decide,
    ) -> dict[str, str]:
        """Decide, atomically, for each (episode key, severity) whether it opens or escalates an
        episode (this task's alert is sent), or joins the open one (recorded, not sent)."""
        # PostgreSQL: on the rules thread's own connection, as its batches (no hand-off to the
        # writer thread); SQLite: through the writer, its one writer.
        return self.store._batch_write(self.claim_op(tenant_id, conversation_id, task_id, items, decide))

    def claim_op(
        self,
        tenant_id: str,
        conversation_id: str,
        task_id: str,
        items: list[tuple[str, str]],
        decide: Decide,
    ) -> Callable[[Connection], dict[str, str]]:
        """`claim_episodes` as a write for another transaction: the rules stage decides a
        message's episodes in its batch's transaction (docs/agent-message.md). The keys are
        claimed in sorted order, so two transactions that lock the same episodes of a
        conversation on PostgreSQL take them in the same order."""
        insert = self._open
        items = sorted(items)

        def op(conn: Connection) -> dict[str, str]:
            ts = now()
            out: dict[str, str] = {}
            for key, severity in items:
                where = {"k_tenant_id": tenant_id, "k_conversation_id": conversation_id, "k_episode_key": key}
                # Insert first: a finding the conversation has no episode of (the common case)
                # opens one in one statement instead of a select and an insert.
                fresh = {
                    "tenant_id": tenant_id,
                    "conversation_id": conversation_id,
                    "episode_key": key,
                    "severity": severity,
                    "task_id": task_id,
                    "alerted_at": ts,
                    "last_seen_at": ts,
                    "joined": [],
                }
                if conn.execute(insert, fresh).first() is not None:
                    out[key] = "open"
                    continue
                # The episode exists (or another worker opened it a moment ago, PostgreSQL: the
                # insert waited for its commit): decide against its row, locked.
                current = self._locked(conn, where)
                decision = decide(current, severity, task_id, ts)
                out[key] = decision
                if decision in ("open", "escalate"):
                    conn.execute(
                        _EPISODE_RESET,
                        {**where, "severity": severity, "task_id": task_id, "ts": ts, "joined": []},
                    )
                elif decision == "join" and current is not None:
                    joined = [t for t in current["joined"] or [] if t != task_id][-(MAX_JOINED - 1) :]
                    conn.execute(_EPISODE_JOIN, {**where, "ts": ts, "joined": [*joined, task_id]})
            return out

        return op

    @staticmethod
    def _locked(conn: Connection, where: dict[str, str]) -> dict[str, Any] | None:
        query = _EPISODE_LOCKED if conn.dialect.name == "postgresql" else _EPISODE
        row = conn.execute(query, where).first()
        if row is None:
            return None
        current = dict(row._mapping)
        current["alerted_at"] = aware(current["alerted_at"])
        return current

    def episode(self, tenant_id: str, conversation_id: str, key: str) -> dict[str, Any] | None:
        e = alert_episodes.c

        def fn(conn: Connection) -> dict[str, Any] | None:
            row = conn.execute(
                sa.select(alert_episodes).where(
                    e.tenant_id == tenant_id, e.conversation_id == conversation_id, e.episode_key == key
                )
            ).first()
            return dict(row._mapping) if row is not None else None

        return self.store._read(fn)
