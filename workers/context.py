"""What a handler gets besides its payload: the task's identity, settings, a logger and alerts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol

from shared.config import Settings
from shared.messages import Envelope
from workers.findings import AlertSpec

# How a handler runs (not to be confused with the process role, workers.worker.ProcessRole):
# "inline": rules and LLM in one run (a handler called directly); "rules": the worker's rules
# stage, which leaves the LLM part to the LLM stage ("llm") when an LLM is configured
# (docs/workers.md).
HandlerMode = Literal["inline", "rules", "llm"]


@dataclass(frozen=True)
class TaskInfo:
    """What travels with a task besides its payload: whose it is (tenant, patient), where it came
    from (conversation, message), the names to keep out of LLM prompts and what the alerts'
    `context` carries beyond the findings. A handler fills the patient part; `task_id` and
    `tenant_id` are filled from the envelope when the alert is emitted."""

    task_id: str = ""
    tenant_id: str = ""
    patient_id: str | None = None
    conversation_id: str | None = None
    message_id: str | None = None
    names: tuple[str, ...] = ()
    alert_context: Mapping[str, Any] = field(default_factory=dict)


class AlertGate(Protocol):
    """Episodes of a conversation (workers.conversation_flow.ConversationServices.gate): the
    alert to send, narrowed or None, and the findings that joined an open episode instead."""

    def gate(self, spec: AlertSpec, info: TaskInfo) -> tuple[AlertSpec | None, list[dict[str, Any]]]: ...

    def gate_op(
        self, specs: list[AlertSpec], info: TaskInfo
    ) -> Callable[[Any], list[tuple[AlertSpec | None, list[dict[str, Any]]]]] | None: ...

    def park_again(self, envelope: Envelope, result: Any) -> Future[Any] | None:
        """The follow-up a completed task's reply asked, parked again for its redelivery (the
        first run's may not have been confirmed); None when it asked none."""
        ...


# (spec, task) -> future of the alert's local delivery state
EmitFn = Callable[[AlertSpec, TaskInfo], "Future[str]"]


@dataclass
class TaskContext:
    envelope: Envelope
    settings: Settings
    attempt: int
    log: Any
    emit: EmitFn | None = None
    alert_futures: list[Future[str]] = field(default_factory=list)
    alert_specs: list[AlertSpec] = field(default_factory=list)  # in step with alert_futures
    mode: HandlerMode = "inline"
    # Set by the rules stage when the task has LLM work left for the second stage.
    llm_pending: bool = False
    # The conversation services (episodes, earlier messages, follow-ups) when the worker has them.
    conversation: AlertGate | None = None
    # Findings whose alert joined an open episode of the conversation instead of being sent.
    episodes_joined: list[dict[str, Any]] = field(default_factory=list)
    # Store writes to commit in the same transaction as the task's `completed` (the conversation's
    # memory of the message); broker work to start once that is committed (a follow-up:
    # `after_commit`, run by the rules stage), and its futures, confirmed before the ack
    # (`side_futures`): the reply never waits for the broker's confirm.
    on_complete: list[Callable[[Any], Any]] = field(default_factory=list)
    after_commit: list[Callable[[], Future[Any]]] = field(default_factory=list)
    side_futures: list[Future[Any]] = field(default_factory=list)
    # Set by the rules stage: a conversation's alerts are held for its batch's transaction, where
    # their episodes are decided (workers.stages.batch), instead of a claim of their own here.
    defer_gate: Callable[[AlertSpec, TaskInfo], None] | None = None

    @property
    def task_id(self) -> str:
        return str(self.envelope.task_id)

    @property
    def tenant_id(self) -> str:
        return self.envelope.tenant_id

    def emit_alert(self, spec: AlertSpec | None, info: TaskInfo) -> None:
        """Hand an alert to delivery now, without waiting for it: delivery runs on its own threads,
        so a long crew that follows never delays the alert. The message is acked only after every
        alert emitted here is delivered, failed for good, or durably parked."""
        if spec is None or not info.patient_id:
            return
        if self.emit is None:
            self.log.warning("alert_not_emitted_no_dispatcher", alert_key=spec.alert_key)
            return
        info = replace(info, task_id=self.task_id, tenant_id=self.tenant_id)
        if self.conversation is not None and info.conversation_id:
            if self.defer_gate is not None:
                self.defer_gate(spec, info)
                return
            narrowed, joined = self.conversation.gate(spec, info)
            self.episodes_joined.extend(joined)
            if narrowed is None:
                self.log.info("alert_joined_open_episode", alert_key=spec.alert_key)
                return
            spec = narrowed
        self.alert_futures.append(self.emit(spec, info))
        self.alert_specs.append(spec)
