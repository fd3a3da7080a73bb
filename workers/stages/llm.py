"""The LLM stage: a task the rules stage completed with `analise_ia.estado = "pendente"`
(docs/workers.md).

It arrives on its own durable queue (`eventos.ia`), so however long a crew or an LLM outage
takes, it only holds this stage's threads, never the rules stage's. Per message:

    parse (it was valid for the rules stage)       unreadable now: DeadLetter
    task not completed, or no longer "pendente"    no-op (a redelivery, a second hand-off)
    run the handler in mode "llm"                  rules again (no alert re-sent) + crew/triage
    wait for any alert the LLM part added          not settled: Requeue
    store the enriched result (only while still "pendente") → Ack

A crash anywhere before the store write leaves the task "pendente" and the message unacked: it is
delivered again. Alerts are keyed by their findings, so a rerun never sends one twice.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from typing import Any

from shared import topology
from shared.config import Settings
from shared.logs import get_logger
from shared.republish import short
from shared.store import Store, StoreUnavailable
from workers import observability
from workers.context import AlertGate
from workers.stages import delivery
from workers.stages.outcomes import Ack, DeadLetter, Outcome, Requeue

log = get_logger("workers.stages.llm")


def failed_result(result: dict[str, Any], settings: Settings, error: str) -> dict[str, Any]:
    """The stored result with the LLM part marked as failed; everything else as it was."""
    return {
        **result,
        "analise_ia": {"estado": "falhou", "modelo": settings.llm_model, "erro": short(error, 500)},
    }


class LlmStage:
    def __init__(
        self,
        settings: Settings,
        domain: str,
        store: Store,
        *,
        dispatcher: delivery.AlertEmitter | None = None,
        vhost: str | None = None,
        conversation: AlertGate | None = None,
    ) -> None:
        """`conversation`: the agent conversation's services (workers.conversation_flow)."""
        self.settings = settings
        self.domain = domain
        self.vhost = vhost or topology.vhost_for(domain, settings.vhost_prefix)
        self.store = store
        self.dispatcher = dispatcher
        self.conversation = conversation
        self.log = log.bind(vhost=self.vhost, stage="llm")

    def process(self, body: bytes, headers: Mapping[str, Any] | None = None) -> Outcome:
        headers = headers or {}
        parsed = delivery.parse(body, self.domain, self.vhost)
        if isinstance(parsed, delivery.Rejected):
            return DeadLetter(parsed.reason, parsed.detail)
        task_id = parsed.task_id
        log_ = delivery.bind_task(self.log, parsed.envelope)
        try:
            task = self.store.get_task(task_id)
        except StoreUnavailable as exc:
            return Requeue(f"task store unavailable: {exc}")
        if task is None or task["status"] != "completed" or delivery.llm_estado(task["result"]) != "pendente":
            log_.info("llm_stage_skipped", status=(task or {}).get("status"))
            done = task is not None and task["status"] == "completed"
            stored_result = task["result"] if task is not None and done else None
            reply = (
                delivery.reply_for(self.store, parsed, stored_result, final=True, log_=log_) if done else None
            )
            return Ack("skipped: nothing pending", reply=reply)
        stored: dict[str, Any] = task["result"]

        delivery_count = delivery.header_int(headers, "x-delivery-count")
        if delivery_count >= topology.WORKER_REDELIVERY_LIMIT:
            # It keeps killing this stage: give the task its answer instead of a DLQ round trip.
            result = failed_result(stored, self.settings, f"LLM stage interrupted {delivery_count} times")
            return self._store(parsed, result, log_)

        ctx = delivery.make_context(
            self.settings, parsed.envelope, 1, log_, self.dispatcher, "llm", self.conversation
        )
        envelope = parsed.envelope
        try:
            # As in the rules stage: the message's trace context reaches the LLM calls and alerts.
            with (
                observability.delivery_span(
                    self.vhost,
                    headers,
                    task_id,
                    f"{envelope.domain}.{envelope.task_type}",
                    topology.LLM_QUEUE,
                ),
                observability.handler_span(envelope.domain, envelope.task_type, task_id),
            ):
                result = parsed.handler.fn(ctx, parsed.payload)
        except Exception as exc:
            # The LLM layer never raises on LLM trouble; this is a bug or the rules changed.
            log_.error("llm_stage_failed", error=repr(exc), traceback=traceback.format_exc(limit=5))
            result = failed_result(stored, self.settings, f"{type(exc).__name__}: {exc}")
        if not delivery.wait_alerts(ctx, self.settings, log_):
            return Requeue("alerts could not be delivered or parked")
        if delivery.llm_estado(result) not in ("concluida", "falhou"):
            result = failed_result(stored, self.settings, "the handler left no LLM analysis")
        return self._store(parsed, result, log_)

    def _store(self, parsed: delivery.Parsed, result: dict[str, Any], log_: Any) -> Outcome:
        try:
            applied = self.store.enrich_result(parsed.task_id, result)
            stored = result if applied else (self.store.get_task(parsed.task_id) or {}).get("result")
        except StoreUnavailable as exc:
            return Requeue(f"task store unavailable: {exc}")
        log_.info("llm_stage_done", estado=delivery.llm_estado(result), applied=applied)
        reply = delivery.reply_for(self.store, parsed, stored, final=True, log_=log_)
        return Ack("enriched" if applied else "skipped: enriched meanwhile", reply=reply)
