"""One vhost's worker process: store, alert delivery and the consumer, stopped by SIGTERM/SIGINT."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from typing import Any, Literal

from shared.telemetry import quiet_third_party_telemetry

quiet_third_party_telemetry()  # before anything imports CrewAI or OpenTelemetry

from shared import provision, topology, tracing
from shared.collector import quiet_collector
from shared.config import Settings, get_settings
from shared.logs import configure_logging, get_logger
from shared.store import Store
from shared.store.conversations import ConversationLog
from workers import clinical, health
from workers.alert_dispatch import AlertDispatcher
from workers.alerts import AlertClient
from workers.consumer import VhostConsumer
from workers.conversation_flow import ConversationServices
from workers.followup import FollowUps
from workers.observability import QueueDepthSampler
from workers.pika_transport import PikaTransport
from workers.registry import load_handlers
from workers.stages import LlmStage, RulesStage
from workers.transport import Transport, confirmed_publisher

# Which queues of its vhost a worker process consumes (not to be confused with the handler mode,
# workers.context.HandlerMode): "all", or the rules stage and the LLM stage in two processes.
ProcessRole = Literal["all", "rules", "llm"]
SHUTDOWN_GRACE_S = 30.0
# Young collections every 10,000 net allocations instead of 700 (api/server.py uses the same).

log = get_logger("workers.worker")


def extra_handler_modules() -> list[str]:
    """`WORKER_EXTRA_HANDLERS=pkg.module,...` loads more handler modules after the built-in ones
    (they may override a task type); used by the test suite and for extensions."""
    raw = os.environ.get("WORKER_EXTRA_HANDLERS", "")
    return [m.strip() for m in raw.split(",") if m.strip()]


def build_consumer(
    settings: Settings,
    vhost: str,
    *,
    concurrency: int | None = None,
    prefetch: int | None = None,
    store: Store | None = None,
    role: ProcessRole = "all",
    alerts: bool = True,
    heartbeat_s: int = 30,
    shutdown_grace_s: float = SHUTDOWN_GRACE_S,
    transport: Transport | None = None,
) -> VhostConsumer:
    """transport → alert dispatcher → stages → consumer, each handed what it needs when built.

    `role`: "all" consumes every queue of the vhost; "rules" (`eventos`, `alertas`) and "llm"
    (`eventos.ia`) split them over two processes. `store`: a store the caller owns (else the
    consumer opens one and closes it when it stops). `alerts=False`: no alert delivery (tests of
    the consumer alone)."""
    domain = topology.domain_for_vhost(vhost, settings.vhost_prefix)
    concurrency = concurrency or settings.worker_concurrency
    llm_concurrency = settings.worker_llm_concurrency
    with_llm = settings.llm_enabled and role in ("all", "llm")
    on_stopped: list[Callable[[], None]] = []
    if transport is None:
        transport = PikaTransport(
            settings,
            vhost,
            connection_name=f"gateway-worker-{domain}-{role}",
            heartbeat_s=heartbeat_s,
            shutdown_grace_s=shutdown_grace_s,
            declare=lambda ch: provision.declare_worker_queues(ch, settings),
        )
    if store is None:
        # PostgreSQL: each rules thread keeps a connection for its batches, plus a few for the
        # writer thread and reads.
        store = Store(settings.database_url, pool_size=concurrency + 4)
        on_stopped.append(store.close)
    dispatcher = None
    if alerts:
        client = AlertClient(settings)
        client.warn_if_disabled(log)
        # Enough delivery threads that a hanging backend cannot queue one handler's alerts behind
        # another's: each alert then still gets its full inline budget before it is parked. Both
        # stages emit alerts.
        threads = concurrency + (llm_concurrency if settings.llm_enabled else 0)
        dispatcher = AlertDispatcher(
            settings, store, client, confirmed_publisher(transport), max_workers=max(4, 2 * threads)
        )
        on_stopped.insert(0, lambda: dispatcher.shutdown(wait=True))
    # The agent conversation (docs/agent-message.md): earlier messages, episodes, and the
    # NO_RESPONSE follow-ups, which park through the broker and alert through the dispatcher.
    conversations = ConversationLog(store)
    followups = None
    if dispatcher is not None:
        followups = FollowUps(settings, store, conversations, confirmed_publisher(transport), dispatcher.emit)
        on_stopped.insert(0, followups.shutdown)
    services = ConversationServices(settings, conversations, followups)
    rules = None
    if role in ("all", "rules"):
        rules = RulesStage(
            settings,
            domain,
            store,
            dispatcher=dispatcher,
            llm_stage=settings.llm_enabled,
            vhost=vhost,
            conversation=services,
        )
    llm = (
        LlmStage(settings, domain, store, dispatcher=dispatcher, vhost=vhost, conversation=services)
        if with_llm
        else None
    )
    return VhostConsumer(
        vhost,
        domain,
        transport,
        rules=rules,
        llm=llm,
        parked=dispatcher,
        followups=followups,
        concurrency=concurrency,
        prefetch=max(prefetch, concurrency)
        if prefetch
        else settings.worker_prefetch_for(domain, concurrency),
        llm_concurrency=llm_concurrency,
        on_stopped=on_stopped,
    )


def run_vhost(
    vhost: str,
    concurrency: int | None = None,
    prefetch: int | None = None,
    metrics_port: int | None = None,
    role: ProcessRole = "all",
) -> int:
    # The workers' own broker identity (RABBITMQ_WORKER_URL), never the administrator's.
    settings = get_settings().for_broker_role("worker")
    configure_logging(settings, f"worker:{vhost}")
    load_handlers(extra=extra_handler_modules())
    tracing.install_global(f"worker:{vhost}")
    sampler = None
    # Every stage serves metrics; one sampler per vhost (the LLM stage shares the vhost's queues).
    if metrics_port and health.serve_metrics(metrics_port) and role != "llm":
        sampler = QueueDepthSampler(settings, vhost)
        sampler.start()
    consumer = build_consumer(settings, vhost, concurrency=concurrency, prefetch=prefetch, role=role)
    if role != "llm":
        clinical.warm_up()
    if settings.llm_enabled and role != "rules":
        from workers.llm import preload

        # Import CrewAI and langchain now, once, instead of inside the first tasks' threads.
        preload()
        log.info("llm_configured", model=settings.llm_model, base_url=settings.llm_base_url or "OpenAI")
    else:
        log.info(
            "llm_not_configured",
            note="deterministic clinical engine only; every result carries analise_ia: null",
        )

    def on_signal(signum: int, _frame: Any) -> None:
        log.info("stop_requested", signal=signal.Signals(signum).name)
        consumer.stop()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
    heartbeat = health.Heartbeat.start_for(settings, consumer, vhost, role)
    quiet_collector()
    consumer.run()
    if heartbeat is not None:
        heartbeat.stop()
    if sampler is not None:
        sampler.stop()
    tracing.shutdown()
    return 0


def child_main(
    vhost: str,
    concurrency: int | None,
    prefetch: int | None,
    metrics_port: int | None,
    role: ProcessRole = "all",
) -> None:
    """Entry point of a supervisor's child process."""
    import sys

    code = run_vhost(vhost, concurrency=concurrency, prefetch=prefetch, metrics_port=metrics_port, role=role)
    # Work is done. Interpreter shutdown resets Python's signal handlers to the default, so a
    # second SIGTERM/SIGINT now (Ctrl-C reaches the whole process group, and the supervisor passes
    # it on) would turn a clean exit into "killed by signal".
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)
