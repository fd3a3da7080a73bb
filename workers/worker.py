"""One vhost's worker process: store, alert delivery and the consumer, stopped by SIGTERM/SIGINT."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

# CrewAI and OpenTelemetry phone home by default; this machine (and many hospital networks) has
# no outside access. Set before anything imports them. An operator who points
# OTEL_EXPORTER_OTLP_ENDPOINT at a collector wants the SDK on (our own spans, shared/tracing.py).
os.environ.setdefault("CREWAI_DISABLE_TELEMETRY", "true")
if not os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
    os.environ.setdefault("OTEL_SDK_DISABLED", "true")
os.environ.setdefault("CREWAI_TRACING_ENABLED", "false")

from shared import tracing
from shared.config import Settings, get_settings
from shared.conversations import ConversationLog
from shared.logs import configure_logging, get_logger
from shared.store import Store
from workers.consumer import VhostConsumer
from workers.conversation_flow import ConversationServices
from workers.followup import FollowUps
from workers.observability import QueueDepthSampler
from workers.registry import load_handlers

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
    stage: str = "all",
) -> VhostConsumer:
    """The consumer with its own store and alert delivery (pooled HTTP client, own threads)."""
    from workers.alert_dispatch import AlertDispatcher
    from workers.alerts import AlertClient

    own_store = store is None
    store = store or Store(settings.database_url)
    consumer = VhostConsumer(
        settings, vhost, store=store, concurrency=concurrency, prefetch=prefetch, stage=stage
    )
    consumer.own_store = own_store
    client = AlertClient(settings)
    client.warn_if_disabled(log)
    # Enough delivery threads that a hanging backend cannot queue one handler's alerts behind
    # another's: each alert then still gets its full inline budget before it is parked. Both
    # stages emit alerts.
    threads = consumer.concurrency + (consumer.llm_concurrency if consumer.llm_enabled else 0)
    dispatcher = AlertDispatcher(settings, store, client, consumer.publish, max_workers=max(4, 2 * threads))
    consumer.dispatcher = dispatcher
    # The agent conversation: earlier messages, episodes, NO_RESPONSE follow-ups.
    conversations = ConversationLog(store)
    consumer.followups = FollowUps(settings, store, conversations, consumer.publish, dispatcher.emit)
    services = ConversationServices(settings, conversations, consumer.followups)
    consumer.processor.conversation = services  # type: ignore[attr-defined]
    consumer.llm_processor.conversation = services  # type: ignore[attr-defined]
    return consumer


def run_vhost(
    vhost: str,
    concurrency: int | None = None,
    prefetch: int | None = None,
    metrics_port: int | None = None,
    stage: str = "all",
) -> int:
    settings = get_settings()
    configure_logging(settings, f"worker:{vhost}")
    load_handlers(extra=extra_handler_modules())
    tracing.install_global(f"worker:{vhost}")
    sampler = None
    if metrics_port:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr="127.0.0.1")
        if stage != "llm":
            # One sampler per vhost: the LLM stage's process shares the vhost's queues.
            sampler = QueueDepthSampler(settings, vhost)
            sampler.start()
    consumer = build_consumer(settings, vhost, concurrency=concurrency, prefetch=prefetch, stage=stage)
    if settings.llm_enabled and stage != "rules":
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
    consumer.run()
    if sampler is not None:
        sampler.stop()
    tracing.shutdown()
    return 0


def child_main(
    vhost: str, concurrency: int | None, prefetch: int | None, metrics_port: int | None, stage: str = "all"
) -> None:
    """Entry point of a supervisor's child process."""
    import sys

    code = run_vhost(
        vhost, concurrency=concurrency, prefetch=prefetch, metrics_port=metrics_port, stage=stage
    )
    # Work is done. Interpreter shutdown resets Python's signal handlers to the default, so a
    # second SIGTERM/SIGINT now (Ctrl-C reaches the whole process group, and the supervisor passes
    # it on) would turn a clean exit into "killed by signal".
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)
