"""NO_RESPONSE: a red-flag follow-up question nobody answered (docs/agent-message.md).

    rules stage (reply asks "…? Responda SIM ou NÃO.")
        schedule() ──publish, confirmed──> seguimento.espera.<N>s   (TTL N = NO_RESPONSE_AFTER_S)
                                                 │ dead-letters after N s
                                                 ▼
        handle(body) <─────────────────────── seguimento
           ├─ a later message of the conversation (read, or still waiting in eventos) → nothing
           ├─ the task is unknown, or of another tenant                                → dropped
           └─ otherwise → NO_RESPONSE (MEDIUM) through the alert dispatcher, waited for

The wait lives in the broker, so it survives worker restarts; the check runs against the store
when it fires. The alert's key is fixed per question (`no_response` on the question's task), so a
follow-up delivered twice (a redelivered task schedules it again, a crash before the ack) finds
the alert recorded and never sends it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from shared import topology
from shared.config import Settings
from shared.messages import FollowUp
from shared.store import Store
from shared.store.conversations import ConversationLog
from workers.context import TaskInfo
from workers.findings import AlertSpec

log = logging.getLogger(__name__)

ALERT_KEY = "no_response"

Publish = Callable[[str, str, bytes, dict[str, Any]], None]
Emit = Callable[[TaskInfo, AlertSpec], "Future[str]"]


class FollowUps:
    """`publish` as the alert dispatcher's (confirmed, persistent, mandatory); `emit` is
    `AlertDispatcher.emit`."""

    def __init__(
        self, settings: Settings, store: Store, log_: ConversationLog, publish: Publish, emit: Emit
    ) -> None:
        self.settings = settings
        self.store = store
        self.log = log_
        self.publish = publish
        self.emit = emit
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="seguimento")

    @property
    def delay_s(self) -> int:
        return self.settings.no_response_after_s

    def schedule(self, info: TaskInfo, *, question: str, asked_at: datetime, severity: str) -> Future[None]:
        """Park the follow-up of `question` for NO_RESPONSE_AFTER_S, on the pool: the Future
        raises when the broker does not confirm it, and the task is then not acked (it runs
        again) rather than acked without its follow-up."""
        if self.delay_s <= 0 or not info.conversation_id:
            done: Future[None] = Future()
            done.set_result(None)
            return done
        message = FollowUp(
            task_id=info.task_id,
            tenant_id=info.tenant_id,
            patient_id=info.patient_id,
            conversation_id=info.conversation_id,
            message_id=info.message_id,
            question=question,
            asked_at=asked_at,
            severity=severity,
            delay_s=self.delay_s,
        )
        return self._pool.submit(
            self.publish,
            topology.FOLLOWUP_DELAY_EXCHANGE,
            topology.followup_delay_queue_name(self.delay_s),
            message.model_dump_json().encode(),
            {"x-task-id": info.task_id},
        )

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)

    def handle(self, body: bytes) -> str:
        """One message from `seguimento`. Returns what happened; raises when it must be
        requeued (store or alert delivery trouble)."""
        try:
            msg = FollowUp.model_validate_json(body)
        except ValidationError as exc:
            log.error("dropping unreadable follow-up message (%s)", exc.errors()[:1])
            return "unreadable"
        task_id, tenant_id, conversation_id = msg.task_id, msg.tenant_id, msg.conversation_id
        asked_at = msg.asked_at
        if self.delay_s <= 0:
            log.info("follow-up of task %s dropped: NO_RESPONSE_AFTER_S is 0", task_id)
            return "disabled"
        task = self.store.get_task(task_id)
        if task is None or task["tenant_id"] != tenant_id:
            # Only follow-ups of tasks this store issued, under their own tenant (trust boundary).
            log.error("follow-up for task %s does not match a task of tenant %s; dropped", task_id, tenant_id)
            return "untrusted"
        if self.log.answered_after(tenant_id, conversation_id, asked_at, task_id):
            log.info("follow-up of task %s: the patient answered", task_id)
            return "answered"
        waited = int((datetime.now(UTC) - asked_at).total_seconds())
        spec = AlertSpec(
            alert_key=ALERT_KEY,
            type="NO_RESPONSE",
            severity="MEDIUM",
            message=(
                "Paciente não respondeu à pergunta de acompanhamento de um sinal de alarme "
                f"em {_duration(max(waited, self.delay_s))}."
            ),
            symptoms=[],
            detected_by="rules_engine",
            context={
                "question": msg.question,
                "askedAt": asked_at.isoformat(),
                "waitedSeconds": waited,
                "originalSeverity": msg.severity,
                "taskType": "clinico.mensagem",
            },
        )
        info = TaskInfo(
            task_id=task_id,
            tenant_id=tenant_id,
            patient_id=msg.patient_id,
            conversation_id=conversation_id,
            message_id=msg.message_id,
        )
        state = self.emit(info, spec).result(timeout=self.settings.alert_inline_budget_s + 30)
        log.info("NO_RESPONSE for task %s: %s", task_id, state)
        return f"alerted:{state}"


def _duration(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds >= 120 else f"{seconds} s"
