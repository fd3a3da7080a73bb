"""What both stages do with a delivery besides running its handler: read the headers, parse and
validate the message, build the handler's context, wait for its alerts, and build the answer to a
waiting publisher (direct reply-to).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from shared.config import Settings
from shared.messages import Envelope
from shared.store import Store
from workers.context import AlertGate, HandlerMode, TaskContext, TaskInfo
from workers.findings import AlertSpec
from workers.registry import Handler, HandlerNotFound, get_handler


class AlertEmitter(Protocol):
    """Hands an alert to delivery at once; the future settles with its delivery state."""

    def emit(self, task: TaskInfo, spec: AlertSpec) -> Future[str]: ...


def header_int(headers: Mapping[str, Any], name: str) -> int:
    try:
        return int(headers.get(name) or 0)
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class Parsed:
    envelope: Envelope
    handler: Handler
    payload: BaseModel
    # str(envelope.task_id) once: a UUID's str() is rebuilt on every call, a dozen per task.
    task_id: str


@dataclass(frozen=True)
class Rejected:
    task_id: str | None
    envelope: Envelope | None
    reason: str
    detail: str


def parse(body: bytes, domain: str, vhost: str) -> Parsed | Rejected:
    envelope = _envelope(body)
    if isinstance(envelope, Rejected):
        return envelope
    task_id = str(envelope.task_id)
    if envelope.domain != domain:
        return Rejected(
            task_id, envelope, "wrong_domain", f"domain {envelope.domain!r} sent to vhost {vhost}"
        )
    try:
        handler = get_handler(envelope.domain, envelope.task_type)
    except HandlerNotFound as exc:
        return Rejected(task_id, envelope, "unknown_task_type", str(exc))
    try:
        payload = handler.payload_model.model_validate(envelope.payload)
    except ValidationError as exc:
        return Rejected(task_id, envelope, "invalid_payload", validation_errors(exc))
    return Parsed(envelope, handler, payload, task_id)


def _envelope(body: bytes) -> Envelope | Rejected:
    try:
        # The common case in one pass of pydantic's JSON parser; a failure is looked at again
        # step by step below, to name the reason.
        return Envelope.model_validate_json(body)
    except ValidationError:
        pass
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return Rejected(None, None, "invalid_json", f"body is not JSON: {exc}")
    if not isinstance(data, dict):
        return Rejected(
            None, None, "invalid_envelope", f"body is a JSON {type(data).__name__}, not an envelope object"
        )
    task_id = data.get("task_id") if isinstance(data.get("task_id"), str) else None
    if "schema_version" in data and data.get("schema_version") != 1:
        return Rejected(
            task_id,
            None,
            "unsupported_schema_version",
            f"schema_version {data.get('schema_version')!r} is not supported (1 is)",
        )
    try:
        return Envelope.model_validate(data)
    except ValidationError as exc:
        return Rejected(task_id, None, "invalid_envelope", validation_errors(exc))


def validation_errors(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:10]:
        loc = ".".join(str(x) for x in err.get("loc", ()))
        parts.append(f"{loc}: {err.get('msg')}")
    return "; ".join(parts)


def row_for(envelope: Envelope | None, task_id: str | None = None) -> dict[str, Any] | None:
    """The `queued` row of a task the store may not have yet; `task_id`: str(envelope.task_id),
    when the caller has it already."""
    if envelope is None:
        return None
    return Store.new_task_row(
        task_id=task_id or str(envelope.task_id),
        tenant_id=envelope.tenant_id,
        domain=envelope.domain,
        task_type=envelope.task_type,
        created_at=envelope.created_at,
        correlation_id=envelope.correlation_id,
        idempotency_key=None,
        request_hash=None,
        payload=envelope.payload,
    )


def bind_task(log_: Any, envelope: Envelope, **extra: Any) -> Any:
    """A logger whose lines carry the task's id, type, tenant and correlation id (docs/operations.md)."""
    return log_.bind(
        task_id=str(envelope.task_id),
        task_type=envelope.task_type,
        tenant=envelope.tenant_id,
        correlation_id=envelope.correlation_id,
        **extra,
    )


class TaskLog:
    """`bind_task` on first use: most tasks never log a line of their own (a batch logs one line
    for all), and binding a structlog logger per task cost as much as validating its payload."""

    __slots__ = ("_bound", "_envelope", "_extra", "_log")

    def __init__(self, log_: Any, envelope: Envelope, **extra: Any) -> None:
        self._log = log_
        self._envelope = envelope
        self._extra = extra
        self._bound: Any = None

    def __getattr__(self, name: str) -> Any:
        bound = self._bound
        if bound is None:
            bound = self._bound = bind_task(self._log, self._envelope, **self._extra)
        return getattr(bound, name)


def make_context(
    settings: Settings,
    envelope: Envelope,
    attempt: int,
    log_: Any,
    dispatcher: AlertEmitter | None,
    mode: HandlerMode,
    conversation: AlertGate | None = None,
) -> TaskContext:
    emit = None
    if dispatcher is not None:

        def emit(spec: AlertSpec, info: TaskInfo) -> Future[str]:
            return dispatcher.emit(info, spec)

    return TaskContext(
        envelope=envelope,
        settings=settings,
        attempt=attempt,
        log=log_,
        emit=emit,
        mode=mode,
        conversation=conversation,
    )


def wait_alerts(ctx: TaskContext, settings: Settings, log_: Any) -> bool:
    """True once every alert the handler emitted is delivered, failed for good or parked, and
    what else it handed to the broker (a follow-up, `ctx.side_futures`) is confirmed."""
    budget = settings.alert_inline_budget_s + 30
    ok = True
    for fut in [*ctx.alert_futures, *ctx.side_futures]:
        try:
            state = fut.result(timeout=budget)
            log_.info("alert_settled", state=state)
        except Exception as exc:
            log_.error("alert_not_settled", error=repr(exc))
            ok = False
    return ok


def _settled_alerts(ctx: TaskContext) -> list[dict[str, Any]]:
    """The alerts this run emitted, in the status view's terms (parked is still pending)."""
    out = []
    for spec, fut in zip(ctx.alert_specs, ctx.alert_futures, strict=True):
        state = fut.result() if fut.done() and fut.exception() is None else "pending"
        delivery = state if state in ("delivered", "failed") else "pending"
        out.append({"type": spec.type, "severity": spec.severity, "delivery": delivery})
    return out


def reply_for(
    store: Store,
    parsed: Parsed,
    result: Any,
    *,
    final: bool,
    log_: Any,
    ctx: TaskContext | None = None,
) -> dict[str, Any] | None:
    """The answer to a waiting publisher (direct reply-to), for task types that have one: built
    from the stored result, with the task's alerts (delivered, failed or pending; parked ones
    count as pending) and whether more is to come (`final`). The alerts come from `ctx` when this
    run emitted them all (no store read), else from the store."""
    build = parsed.handler.reply
    if build is None or not isinstance(result, dict):
        return None
    try:
        body = build(parsed.task_id, result)
        if ctx is not None:
            alerts = _settled_alerts(ctx)
        else:
            rows = store.list_alerts(parsed.task_id) if result.get("alerta") else []
            alerts = [{"type": a["type"], "severity": a["severity"], "delivery": a["delivery"]} for a in rows]
    except Exception as exc:  # the task is done and stored: a missing answer only costs a 202
        log_.warning("reply_not_built", task_id=parsed.task_id, error=repr(exc))
        return None
    body["alerts"] = alerts
    body["final"] = final
    return body


def llm_estado(result: Any) -> str | None:
    if isinstance(result, dict) and isinstance(result.get("analise_ia"), dict):
        estado = result["analise_ia"].get("estado")
        return str(estado) if estado is not None else None
    return None
